from django.apps import AppConfig


class ScopingConfig(AppConfig):
    name = "scoping"

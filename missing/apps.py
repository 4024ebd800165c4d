from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "missing"
    verbose_name = "Missing and away episodes"

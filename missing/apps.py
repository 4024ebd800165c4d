from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "missing"
    verbose_name = "Missing and away episodes"

    def ready(self):
        from . import pattern_pages

        pattern_pages.register()

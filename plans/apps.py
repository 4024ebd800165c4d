from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans, health and education"

    def ready(self):
        from . import pages

        pages.register()

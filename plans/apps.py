from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans, health and education"

    def ready(self):
        from . import admin_terms, duty_kinds, pages  # noqa: F401 (admin_terms: registers on import)

        duty_kinds.register()
        pages.register()

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents and allegations"

    def ready(self):
        from . import duty_kinds, pages

        duty_kinds.register()
        pages.register()

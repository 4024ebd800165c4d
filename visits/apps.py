from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"

    def ready(self):
        from . import duty_kinds, pages, receivers

        duty_kinds.register()
        receivers.connect()
        pages.register()

from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "escalations"

    def ready(self):
        from . import duty_kinds, pages, receivers

        duty_kinds.register()
        receivers.connect()
        pages.register()

from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "missing"
    verbose_name = "Missing and away episodes"

    def ready(self):
        from . import duty_kinds, pages, receivers

        duty_kinds.register()
        pages.register()
        receivers.connect()

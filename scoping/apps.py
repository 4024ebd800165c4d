from django.apps import AppConfig


class ScopingConfig(AppConfig):
    name = "scoping"

    def ready(self):
        from . import duty_kinds, pages, receivers

        duty_kinds.register()
        receivers.connect()
        pages.register()

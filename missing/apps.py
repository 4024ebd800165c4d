from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "missing"
    verbose_name = "Missing and away episodes"

    def ready(self):
        from . import duty_kinds, pages, pattern_pages, receivers

        duty_kinds.register()
        pages.register()
        pattern_pages.register()
        receivers.connect()

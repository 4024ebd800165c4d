from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = "Duties, alerts and timescales"

    def ready(self):
        from . import pages, receivers, timescales
        from .rules import AlertRules

        # The overdue sweep's thresholds are rules an administrator may change; they move
        # no due date, so nothing is recomputed when they change.
        timescales.register(AlertRules, recompute=False)
        receivers.connect()
        pages.register()

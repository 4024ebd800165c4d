from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = "Duties, alerts and timescales"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import pages, receivers, timescales
        from .rules import AlertRules

        # The overdue sweep's thresholds are rules an administrator may change; they move
        # no due date, so nothing is recomputed when they change.
        timescales.register(AlertRules, recompute=False)
        receivers.connect()
        # Every registered timescale has its row for an administrator to edit.
        post_migrate.connect(
            timescales.seed_rule_values, sender=self, dispatch_uid="duties.seed_rule_values"
        )
        pages.register()

"""An alert is keyed by (duty, level, due date): a duty whose due date moves alerts again.

The alerts already sent are given the due date of their duty as it stands (their cycle is
the current one), so that upgrading sends nothing again: only a due date that moves after
the upgrade starts a new cycle.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def _checks_now(schema_editor):
    """Foreign keys checked at each statement, not at commit: PostgreSQL refuses to alter a
    table with checks still pending from rows this migration changed."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def record_due_dates(apps, schema_editor):
    _checks_now(schema_editor)
    Alert = apps.get_model("duties", "Alert")
    Duty = apps.get_model("duties", "Duty")
    Alert.objects.filter(duty__isnull=False).update(
        due=Subquery(Duty.objects.filter(pk=OuterRef("duty_id")).values("due")[:1])
    )


def keep_one_alert_per_duty_level(apps, schema_editor):
    """Going back to one alert per (duty, level): the first of each is kept."""
    _checks_now(schema_editor)
    Alert = apps.get_model("duties", "Alert")
    first = {}
    for pk, duty_id, level in (
        Alert.objects.filter(duty__isnull=False)
        .order_by("duty_id", "level", "created_at", "pk")
        .values_list("pk", "duty_id", "level")
    ):
        first.setdefault((duty_id, level), pk)
    Alert.objects.filter(duty__isnull=False).exclude(pk__in=first.values()).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("duties", "0003_drop_visit_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="due",
            field=models.DateField(
                blank=True,
                help_text="The duty's due date the alert was for (a new due date alerts again)",
                null=True,
            ),
        ),
        migrations.RemoveConstraint(model_name="alert", name="one_alert_per_duty_level"),
        migrations.RunPython(record_due_dates, keep_one_alert_per_duty_level, elidable=False),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                fields=("duty", "level", "due"), name="one_alert_per_duty_level_due"
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(("duty__isnull", True), ("due__isnull", False), _connector="OR"),
                name="duty_alert_has_due",
            ),
        ),
    ]

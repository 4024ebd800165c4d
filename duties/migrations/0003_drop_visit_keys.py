"""The discharging visit and the escalated visit, now subjects (0002), lose their old
foreign keys to visits."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("duties", "0002_done_by_and_alert_subject"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="alert", name="one_alert_per_visit_level"),
        migrations.RemoveConstraint(model_name="alert", name="alert_has_subject"),
        migrations.RemoveField(model_name="duty", name="done_by_visit"),
        migrations.RemoveField(model_name="alert", name="visit"),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                condition=models.Q(("subject", ""), _negated=True),
                fields=("subject", "level"),
                name="one_alert_per_subject_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("duty__isnull", False), models.Q(("subject", ""), _negated=True), _connector="OR"
                ),
                name="alert_has_subject",
            ),
        ),
    ]

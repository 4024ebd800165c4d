"""A duty's discharging record, and a visit's escalation alert, as subjects ("visit:12")
instead of foreign keys to visits: the engine names records of any workflow the same way
it names what a duty is about, and keeps no key into a workflow's tables. Every row's
value is copied here; 0003 drops the old columns, in a transaction of its own (the
caseload-version triggers of the copied rows fire as this one commits, and PostgreSQL
alters no table with such events pending)."""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Cast, Concat


def to_subjects(apps, schema_editor):
    """One UPDATE a table (millions of done duties at a large authority)."""
    for model, field, target in (("Duty", "done_by_visit", "done_by"), ("Alert", "visit", "subject")):
        apps.get_model("duties", model).objects.filter(**{f"{field}__isnull": False}).update(
            **{target: Concat(Value("visit:"), Cast(f"{field}_id", models.CharField()))}
        )


def to_keys(apps, schema_editor):
    for model, field, source in (("Duty", "done_by_visit", "done_by"), ("Alert", "visit", "subject")):
        rows = apps.get_model("duties", model).objects.filter(**{f"{source}__startswith": "visit:"})
        for pk, subject in rows.values_list("pk", source).iterator(chunk_size=5000):
            rows.filter(pk=pk).update(**{f"{field}_id": int(subject.split(":", 1)[1])})


class Migration(migrations.Migration):

    dependencies = [
        ("duties", "0001_initial"),
        ("visits", "0012_engine_and_reviews_move_out"),
    ]

    operations = [
        migrations.AddField(
            model_name="duty",
            name="done_by",
            field=models.CharField(
                blank=True,
                help_text='The record that discharged it, as a subject ("visit:12"), when one did',
                max_length=60,
            ),
        ),
        migrations.AddField(
            model_name="alert",
            name="subject",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(to_subjects, to_keys),
    ]

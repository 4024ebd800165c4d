"""Seed the letter of concern's working-day periods as RuleValue rows (escalations.letters),
and say who decided the concern levels set by hand before decisions were recorded apart.

Existing rule rows are left alone (an administrator may have changed them).
"""

from django.db import migrations

# A copy, not an import: a migration must not change when the code does.
RULES = {
    "letter_compliance_working_days": (
        15,
        "Working days after the day a letter of concern is given on which its compliance "
        "period ends.",
        "Seed 001 (Knowsley protocol) l.204: 'The initial compliance period beginning with "
        "the day when the letter of concern is given and ending 15 working days following "
        "that day'",
    ),
    "letter_representations_working_days": (
        15,
        "Working days after the owners receive a letter of concern within which their "
        "representations must be made.",
        "Seed 001 (Knowsley protocol) l.218: 'The representations must be made in writing "
        "within 15 working days of receipt of the letter.'",
    ),
}


def seed(apps, schema_editor):
    RuleValue = apps.get_model("duties", "RuleValue")
    existing = set(RuleValue.objects.values_list("name", flat=True))
    RuleValue.objects.bulk_create(
        RuleValue(name=name, value=value, help_text=help_text, source=source)
        for name, (value, help_text, source) in RULES.items()
        if name not in existing
    )


def deciders(apps, schema_editor):
    """A level set by hand was decided by whoever set it."""
    ConcernLevelChange = apps.get_model("escalations", "ConcernLevelChange")
    for change in ConcernLevelChange.objects.filter(source="manual", decided_by__isnull=True):
        change.decided_by_id = change.set_by_id
        change.save(update_fields=["decided_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0005_concern_decisions_governance_review_letter_receipt"),
        ("duties", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(deciders, migrations.RunPython.noop),
    ]

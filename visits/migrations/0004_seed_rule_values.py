"""Seed one RuleValue per visits.rules.RuleSet field, with the defaults of timescales.md.

Existing rows are left alone (an administrator may have changed them), so the
migration can be re-run after RuleSet gains a field.
"""

from dataclasses import asdict

from django.db import migrations


def seed(apps, schema_editor):
    from visits.rules import RuleSet

    RuleValue = apps.get_model("visits", "RuleValue")
    defaults = asdict(RuleSet.defaults())
    existing = set(RuleValue.objects.values_list("name", flat=True))
    RuleValue.objects.bulk_create(
        RuleValue(name=name, value=defaults[name], help_text=help_text, source=source)
        for name, (help_text, source) in RuleSet.field_help().items()
        if name not in existing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0003_rules_and_schedule_overrides"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

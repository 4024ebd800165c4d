"""Seed the response timescales of IRO escalations as RuleValue rows (escalations.iro).

Seed 000 names no figure; these defaults are the authority's to change in the admin.
Existing rows are left alone (an administrator may have changed them).
"""

from django.db import migrations

# A copy, not an import: a migration must not change when the code does.
RULES = {
    "escalation_informal_working_days": (
        5,
        "Working days from an IRO raising an escalation for the social worker (with the team "
        "manager) to reply at the informal stage. Seed 000 names no figure: the authority's "
        "to set.",
    ),
    "escalation_team_manager_working_days": (
        5,
        "Working days for the team manager to reply at formal stage 1 of an IRO escalation. "
        "Seed 000 names no figure: the authority's to set.",
    ),
    "escalation_service_manager_working_days": (
        10,
        "Working days for the service manager to reply at formal stage 2 of an IRO "
        "escalation. Seed 000 names no figure: the authority's to set.",
    ),
    "escalation_assistant_director_working_days": (
        10,
        "Working days for the assistant director to reply at formal stage 3 of an IRO "
        "escalation. Seed 000 names no figure: the authority's to set.",
    ),
}


def seed(apps, schema_editor):
    RuleValue = apps.get_model("visits", "RuleValue")
    existing = set(RuleValue.objects.values_list("name", flat=True))
    RuleValue.objects.bulk_create(
        RuleValue(
            name=name,
            value=value,
            help_text=help_text,
            source="Seed 000 'IRO Escalation Process'",
        )
        for name, (value, help_text) in RULES.items()
        if name not in existing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0003_iro_escalations"),
        ("visits", "0004_seed_rule_values"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

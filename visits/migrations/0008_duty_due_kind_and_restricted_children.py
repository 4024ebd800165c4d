"""Indexes for the worktray and deadline lists at the size of a large authority.

- ``visits_duty_due_kind_idx``: the deadlines page reads open duties and those done on
  the date in (due, kind, child) order, 50 at a time; with an index in that order it
  stops after a page instead of sorting every duty in scope.
- ``placements_child_restricted_idx`` (partial, restricted children only): every
  worktray query excludes the duties of the restricted children the user may not see
  (visits.worktray.restricted_ok_q); without it each query reads the whole children
  table to find the few restricted ones. Created here, with the query that needs it,
  as SQL (PostgreSQL), so it is not in the placements app's model state.
"""

from django.db import migrations, models


def create_restricted_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS placements_child_restricted_idx "
            "ON placements_child (id) WHERE restricted"
        )


def drop_restricted_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS placements_child_restricted_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0007_caseload_version"),
        ("placements", "0005_accesslog_sign_in"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="duty",
            index=models.Index(fields=["due", "kind"], name="visits_duty_due_kind_idx"),
        ),
        migrations.RunPython(create_restricted_index, drop_restricted_index),
    ]

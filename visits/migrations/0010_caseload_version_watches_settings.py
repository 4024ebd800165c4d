"""The caseload version (visits.count_cache) now also advances on every write to the
settings table: the kept home-page worktray shows each duty's setting by name and URN, so
renaming a setting must drop it. Writes to settings are rare (commissioning staff)."""

from django.db import migrations

TRIGGERS = """
CREATE TRIGGER visits_caseload_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON placements_setting
    FOR EACH STATEMENT EXECUTE FUNCTION visits_caseload_changed();
CREATE CONSTRAINT TRIGGER visits_caseload_committing
    AFTER INSERT OR UPDATE OR DELETE ON placements_setting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION visits_caseload_committing();
"""

DROP = """
DROP TRIGGER IF EXISTS visits_caseload_changed ON placements_setting;
DROP TRIGGER IF EXISTS visits_caseload_committing ON placements_setting;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0009_caseload_version_ignores_sign_ins"),
        ("placements", "0005_accesslog_sign_in"),
    ]

    operations = [migrations.RunPython(create, drop)]

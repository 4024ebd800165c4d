"""A sign-in (Django writes accounts_user.last_login alone) no longer advances the caseload
version: on the staff table the triggers of 0007 now fire only on inserts, deletes and
updates of the columns a count depends on (team, line manager, role, active, names,
username). Every other table keeps the triggers of 0007."""

from django.db import migrations

COLUMNS = "team_id, line_manager_id, role, is_active, first_name, last_name, username"

NARROW = f"""
DROP TRIGGER IF EXISTS visits_caseload_changed ON accounts_user;
DROP TRIGGER IF EXISTS visits_caseload_committing ON accounts_user;
CREATE TRIGGER visits_caseload_changed
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {COLUMNS} ON accounts_user
    FOR EACH STATEMENT EXECUTE FUNCTION visits_caseload_changed();
CREATE CONSTRAINT TRIGGER visits_caseload_committing
    AFTER INSERT OR DELETE OR UPDATE OF {COLUMNS} ON accounts_user
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION visits_caseload_committing();
"""

WIDE = """
DROP TRIGGER IF EXISTS visits_caseload_changed ON accounts_user;
DROP TRIGGER IF EXISTS visits_caseload_committing ON accounts_user;
CREATE TRIGGER visits_caseload_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts_user
    FOR EACH STATEMENT EXECUTE FUNCTION visits_caseload_changed();
CREATE CONSTRAINT TRIGGER visits_caseload_committing
    AFTER INSERT OR UPDATE OR DELETE ON accounts_user
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION visits_caseload_committing();
"""


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NARROW)


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WIDE)


class Migration(migrations.Migration):
    dependencies = [("visits", "0008_duty_due_kind_and_restricted_children")]

    operations = [migrations.RunPython(narrow, widen)]

"""The caseload version (visits.count_cache): a sequence that every write to the tables a
count depends on advances, from triggers, so cached counts are dropped whoever writes.

Two triggers per table, both PostgreSQL only (SQLite has no cache to invalidate):

- after each statement (insert, update, delete, truncate), so the change is seen at once
  inside the writing transaction and by the tests;
- a deferred constraint trigger, fired as the transaction commits (once per transaction:
  it notes the transaction id in a transaction-local setting), so that a count computed by
  another request between the statement and the commit, from the data before the write,
  is not kept after the commit.
"""

from django.db import migrations

TABLES = (
    "visits_duty",
    "placements_child",
    "placements_placement",
    "accounts_user",
    "accounts_team",
)

FUNCTIONS = """
CREATE SEQUENCE IF NOT EXISTS visits_caseload_version;

CREATE OR REPLACE FUNCTION visits_caseload_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('visits_caseload_version');
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION visits_caseload_committing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('visits.caseload_committing', true) IS DISTINCT FROM
            txid_current()::text THEN
        PERFORM set_config('visits.caseload_committing', txid_current()::text, true);
        PERFORM nextval('visits_caseload_version');
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER visits_caseload_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION visits_caseload_changed();
CREATE CONSTRAINT TRIGGER visits_caseload_committing
    AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION visits_caseload_committing();
"""

DROP = """
DROP TRIGGER IF EXISTS visits_caseload_changed ON {table};
DROP TRIGGER IF EXISTS visits_caseload_committing ON {table};
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for table in TABLES:
        schema_editor.execute(TRIGGERS.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP.format(table=table))
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS visits_caseload_changed(); "
        "DROP FUNCTION IF EXISTS visits_caseload_committing(); "
        "DROP SEQUENCE IF EXISTS visits_caseload_version;"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0006_escalation_and_scoping_duty_kinds"),
        ("placements", "0005_accesslog_sign_in"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]

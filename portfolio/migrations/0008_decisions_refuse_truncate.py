"""On PostgreSQL the database refuses TRUNCATE of the decisions table as well.

0002 refuses UPDATE and DELETE row by row, but TRUNCATE fires no row triggers and
would empty the table in one statement. A statement-level BEFORE TRUNCATE trigger
closes that path. Like every ordinary trigger it does not fire while a superuser has
set session_replication_role = replica: the test suite's flush and the benchmark's
wipe of a throw-away database do that on purpose; the application's role cannot.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION samverkan_refuse_decision_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'Beslut är allmänna handlingar och kan inte tas bort.'
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER gatedecision_no_truncate
  BEFORE TRUNCATE ON portfolio_gatedecision
  FOR EACH STATEMENT EXECUTE FUNCTION samverkan_refuse_decision_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS gatedecision_no_truncate ON portfolio_gatedecision;
DROP FUNCTION IF EXISTS samverkan_refuse_decision_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0007_cost_and_time_entries_versioned")]

    operations = [migrations.RunPython(create, drop)]

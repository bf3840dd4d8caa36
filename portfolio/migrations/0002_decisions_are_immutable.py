"""On PostgreSQL the database itself refuses to change or delete a decision.

The model and admin refuse too; this closes raw SQL and bulk paths.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION samverkan_refuse_decision_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'Beslut är allmänna handlingar och kan inte ändras eller tas bort.'
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER gatedecision_immutable
  BEFORE UPDATE OR DELETE ON portfolio_gatedecision
  FOR EACH ROW EXECUTE FUNCTION samverkan_refuse_decision_change();
"""
DROP = """
DROP TRIGGER IF EXISTS gatedecision_immutable ON portfolio_gatedecision;
DROP FUNCTION IF EXISTS samverkan_refuse_decision_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

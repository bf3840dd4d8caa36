"""On PostgreSQL the database itself refuses to change, delete or truncate attachments,
as it does for decisions (0002, 0008): what a decision or an agreement rests on must
not vanish by raw SQL or a bulk path either. A later version is a new row.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION samverkan_refuse_attachment_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'Bilagor ändras och tas aldrig bort; en ny version är en ny bilaga.'
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER attachment_immutable
  BEFORE UPDATE OR DELETE ON portfolio_attachment
  FOR EACH ROW EXECUTE FUNCTION samverkan_refuse_attachment_change();
CREATE TRIGGER attachment_no_truncate
  BEFORE TRUNCATE ON portfolio_attachment
  FOR EACH STATEMENT EXECUTE FUNCTION samverkan_refuse_attachment_change();
"""
DROP = """
DROP TRIGGER IF EXISTS attachment_no_truncate ON portfolio_attachment;
DROP TRIGGER IF EXISTS attachment_immutable ON portfolio_attachment;
DROP FUNCTION IF EXISTS samverkan_refuse_attachment_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0019_attachments")]

    operations = [migrations.RunPython(create, drop)]

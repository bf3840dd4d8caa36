"""On PostgreSQL the database itself keeps an issued document as it was issued.

Once a PDF document's job is done, what was issued (its file, checksum, figures, date,
who ordered it, what it is about and which issue it replaces) can no longer be changed,
and the row cannot be deleted: a newer version is a new row that names this one. An
Excel export (a personal working copy) is not an issued document and stays deletable.
The services never write a done job; this closes raw SQL and bulk paths.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION samverkan_refuse_issued_document_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'done'
     OR OLD.kind NOT IN ('board_report', 'decision_memo', 'municipality_report') THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND (
       NEW.status, NEW.kind, NEW.file_path, NEW.file_size, NEW.sha256, NEW.figures,
       NEW.finished_at, NEW.created_at, NEW.requested_by_id, NEW.parameters,
       NEW.portfolio_id, NEW.initiative_id, NEW.decision_id, NEW.municipality_id,
       NEW.replaces_id
     ) IS NOT DISTINCT FROM (
       OLD.status, OLD.kind, OLD.file_path, OLD.file_size, OLD.sha256, OLD.figures,
       OLD.finished_at, OLD.created_at, OLD.requested_by_id, OLD.parameters,
       OLD.portfolio_id, OLD.initiative_id, OLD.decision_id, OLD.municipality_id,
       OLD.replaces_id
     ) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'Ett utfärdat dokument kan inte ändras eller tas bort; utfärda en ny version.'
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reportjob_issued_immutable
  BEFORE UPDATE OR DELETE ON reports_reportjob
  FOR EACH ROW EXECUTE FUNCTION samverkan_refuse_issued_document_change();
"""
DROP = """
DROP TRIGGER IF EXISTS reportjob_issued_immutable ON reports_reportjob;
DROP FUNCTION IF EXISTS samverkan_refuse_issued_document_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_issued_documents_checksum_figures_versions")]

    operations = [migrations.RunPython(create, drop)]

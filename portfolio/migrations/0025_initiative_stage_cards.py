"""An index for the dashboard's first cards of each stage (PostgreSQL only).

On PostgreSQL the dashboard reads each stage's first cards by priority with one
LIMIT per stage; this index lets each read eight rows instead of the whole stage.
SQLite cannot index NULLS LAST and ranks with a window instead, so it gets none.
"""

from django.db import migrations

NAME = "initiative_stage_cards"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "portfolio_initiative" '
            '("portfolio_id", "stage", "priority_score" DESC NULLS LAST, "id")'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0024_meeting_agenda_sent")]

    operations = [migrations.RunPython(create, drop)]

import uuid

from django.db import migrations, models


def create_identity(apps, schema_editor):
    # Written once, here, so that every process reads the same id from the first start.
    apps.get_model("samverkan", "Installation").objects.get_or_create(
        pk=1, defaults={"uuid": uuid.uuid4()}
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Installation",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "uuid",
                    models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunPython(create_identity, migrations.RunPython.noop),
    ]

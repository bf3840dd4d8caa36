from django.db import migrations

from municipalities.reference_data import load_reference_data


def forwards(apps, schema_editor):
    load_reference_data(
        apps.get_model("municipalities", "County"),
        apps.get_model("municipalities", "Municipality"),
        apps.get_model("municipalities", "Population"),
    )


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

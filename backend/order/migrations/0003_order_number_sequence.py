from django.db import migrations


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS order_number_seq START 10001")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS order_number_seq")


class Migration(migrations.Migration):
    dependencies = [("order", "0002_initial")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]

"""Load the 34 current provincial units and the 63 former provinces (data from
`vietnamadminunits`), so every database knows them from the start."""

from django.db import migrations


def load(apps, schema_editor):
    from backend.ocop.provinces import load_provinces

    load_provinces(apps.get_model("ocop", "Province"), apps.get_model("ocop", "LegacyProvince"))


class Migration(migrations.Migration):
    dependencies = [("ocop", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

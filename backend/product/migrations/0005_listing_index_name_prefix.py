"""A covering index for search's top tier (names starting with the query), and vacuuming the
listing index often enough that index-only scans of it rarely have to visit the table."""

from django.db import migrations, models

# Autovacuum's default waits for a fifth of a table to change; the visibility map index-only
# scans rely on is renewed by vacuum, so this table is vacuumed after 1 % instead.
VACUUM_OFTEN = (
    "ALTER TABLE product_productlistingindex SET (autovacuum_vacuum_scale_factor = 0.01, "
    "autovacuum_vacuum_insert_scale_factor = 0.01)"
)
VACUUM_DEFAULT = (
    "ALTER TABLE product_productlistingindex RESET (autovacuum_vacuum_scale_factor, "
    "autovacuum_vacuum_insert_scale_factor)"
)


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("channel", "0001_initial"),
        ("ocop", "0003_certifications"),
        ("product", "0004_listing_index_stock"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="productlistingindex",
            index=models.Index(
                fields=["channel", "search_name"],
                include=("published_at", "slug", "product", "id", "price", "max_price"),
                name="listing_index_name_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(_on_postgresql(VACUUM_OFTEN), _on_postgresql(VACUUM_DEFAULT)),
    ]

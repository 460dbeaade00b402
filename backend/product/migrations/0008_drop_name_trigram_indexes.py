"""Drop the trigram indexes on the product name (`search_name`), of products and of listing
index rows: they served typo matching by trigram word similarity, which spelling correction
against the catalogue's vocabulary replaced (backend/product/spelling.py). Searches match
`search_document` (its trigram indexes stay) and rank names from the matched rows; every
catalogue write was still paying to keep these two up to date."""

from django.db import migrations

INDEXES = {
    "product_product_search_name_trgm": "product_product",
    "listing_index_search_name_trgm": "product_productlistingindex",
}


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [("product", "0007_listing_index_refresh_without_jit")]

    operations = [migrations.RunPython(drop, create)]

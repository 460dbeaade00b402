"""`Product.search_name` (filled for existing rows) and, on PostgreSQL only, the pg_trgm
extension with GIN trigram indexes serving accent-free search (see backend/product/search.py).
SQLite keeps working without them."""

from django.db import migrations, models

from backend.core.search import normalize_search_text

BATCH_SIZE = 2000
TRIGRAM_INDEXES = {
    "product_product_search_document_trgm": "search_document",
    "product_product_search_name_trgm": "search_name",
}


def fill_search_name(apps, schema_editor):
    Product = apps.get_model("product", "Product")
    manager = Product.objects.using(schema_editor.connection.alias)
    products = manager.only("pk", "name")
    batch = []
    for product in products.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        product.search_name = normalize_search_text(product.name)
        batch.append(product)
        if len(batch) == BATCH_SIZE:
            manager.bulk_update(batch, ["search_name"])
            batch = []
    manager.bulk_update(batch, ["search_name"])


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON product_product "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("product", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=250),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]

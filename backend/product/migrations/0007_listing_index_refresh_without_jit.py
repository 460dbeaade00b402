"""The listing index's refresh functions run without JIT compilation.

Their planner estimates for "the products a statement touched" are generic and large, which
crosses PostgreSQL's JIT thresholds on a catalogue of tens of thousands of products: every
statement that changed a product, a price, a stock row or a certification then spent about a
second compiling the refresh (1.3 s measured at 26,000 products) to refresh a handful of rows.
A function's SET clause is dropped when the function is replaced: a migration that replaces one
of these must set it again.
"""

from django.db import migrations

FUNCTIONS = (
    "product_listing_index_refresh(bigint[])",
    "product_listing_index_refresh_stock(bigint[])",
)


def _alter(setting: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for function in FUNCTIONS:
                schema_editor.execute(f"ALTER FUNCTION {function} {setting}")

    return run


class Migration(migrations.Migration):
    dependencies = [("product", "0006_listing_index_covering_filters")]

    operations = [migrations.RunPython(_alter("SET jit = off"), _alter("RESET jit"))]

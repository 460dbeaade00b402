"""The listing index's `in_stock` follows the warehouse domain's availability rule
(backend/warehouse/availability.py): a product is in stock in a channel when one of its variants
priced there does not track inventory, or has a stock row in a warehouse that ships in that channel (not a
pick-up-only showroom) whose quantity exceeds what is allocated and held by live holds.

Triggers now also follow holds (placed, extended, released, or swept once expired), a
warehouse's pick-up role and a variant's inventory tracking. As before, the stock triggers take
no lock and write a row only when a product's availability flips.
"""

import importlib

from django.conf import settings
from django.db import migrations

INDEX = importlib.import_module("backend.product.migrations.0003_listing_index")
STOCK = importlib.import_module("backend.product.migrations.0004_listing_index_stock")
NO_JIT = importlib.import_module(
    "backend.product.migrations.0007_listing_index_refresh_without_jit"
)

IN_STOCK = """EXISTS (
    SELECT 1 FROM product_productvariant AS variant
      JOIN product_productvariantchannellisting AS priced
        ON priced.variant_id = variant.id AND priced.channel_id = {listing}.channel_id
     WHERE variant.product_id = {listing}.product_id AND priced.price_amount IS NOT NULL
       AND (NOT variant.track_inventory OR EXISTS (
           SELECT 1 FROM warehouse_stock AS stock
             JOIN warehouse_warehouse AS warehouse ON warehouse.id = stock.warehouse_id
             JOIN warehouse_warehouse_channels AS serves
               ON serves.warehouse_id = stock.warehouse_id
            WHERE stock.product_variant_id = variant.id
              AND serves.channel_id = {listing}.channel_id
              AND warehouse.click_and_collect_option <> 'local'
              AND stock.quantity - stock.quantity_allocated > COALESCE(
                  (SELECT sum(hold.quantity_reserved) FROM warehouse_reservation AS hold
                    WHERE hold.stock_id = stock.id AND hold.reserved_until > now()), 0))))"""

REFRESH_STOCK_FUNCTION = f"""
CREATE OR REPLACE FUNCTION product_listing_index_refresh_stock(product_ids bigint[])
RETURNS void LANGUAGE sql AS $body$
    UPDATE product_productlistingindex AS entry SET in_stock = NOT entry.in_stock
     WHERE entry.product_id = ANY (product_ids)
       AND entry.in_stock IS DISTINCT FROM {IN_STOCK.format(listing="entry")};
$body$;
"""

# table: (the products its rows touch, selected from `rows`; the columns that matter; events)
SOURCES = {
    "warehouse_stock": (
        "SELECT variant.product_id {rows} "
        "JOIN product_productvariant AS variant ON variant.id = rows.product_variant_id",
        "id, product_variant_id, warehouse_id, quantity, quantity_allocated",
        ["INSERT", "UPDATE", "DELETE"],
    ),
    "warehouse_reservation": (
        "SELECT variant.product_id {rows} "
        "JOIN warehouse_stock AS stock ON stock.id = rows.stock_id "
        "JOIN product_productvariant AS variant ON variant.id = stock.product_variant_id",
        "id, stock_id, quantity_reserved, reserved_until",
        ["INSERT", "UPDATE", "DELETE"],
    ),
    "warehouse_warehouse": (
        "SELECT DISTINCT variant.product_id {rows} "
        "JOIN warehouse_stock AS stock ON stock.warehouse_id = rows.id "
        "JOIN product_productvariant AS variant ON variant.id = stock.product_variant_id",
        "id, click_and_collect_option",
        ["UPDATE"],
    ),
    "product_productvariant": (
        "SELECT rows.product_id {rows}",
        "id, product_id, track_inventory",
        ["INSERT", "UPDATE", "DELETE"],
    ),
}
NEW_TABLES = ("warehouse_reservation", "warehouse_warehouse", "product_productvariant")


def _products_from(table: str, source: str) -> str:
    return SOURCES[table][0].replace("{rows}", f"FROM {source}")


def _function(table: str) -> str:
    _products, columns, _events = SOURCES[table]
    changed = "(SELECT {columns} FROM {a} EXCEPT SELECT {columns} FROM {b}) AS rows"
    return f"""
CREATE OR REPLACE FUNCTION product_listing_index_on_{table}() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM product_listing_index_refresh_stock(ARRAY(
            {_products_from(table, "new_rows AS rows")}));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM product_listing_index_refresh_stock(ARRAY(
            {_products_from(table, "old_rows AS rows")}));
    ELSE
        PERFORM product_listing_index_refresh_stock(ARRAY(
            {_products_from(table, changed.format(columns=columns, a="new_rows", b="old_rows"))}
            UNION
            {_products_from(table, changed.format(columns=columns, a="old_rows", b="new_rows"))}));
    END IF;
    RETURN NULL;
END
$body$;
"""


def _install_refresh(schema_editor, in_stock: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            STOCK.REFRESH_FUNCTION.replace("%(in_stock)s", in_stock.format(listing="listing")),
            {
                "time_zone": settings.TIME_ZONE,
                "lock_class": INDEX.LOCK_CLASS,
                "stripes": INDEX.LOCK_STRIPES,
            },
        )


def _without_jit(schema_editor) -> None:
    for function in NO_JIT.FUNCTIONS:
        schema_editor.execute(f"ALTER FUNCTION {function} SET jit = off")


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _install_refresh(schema_editor, IN_STOCK)
    schema_editor.execute(REFRESH_STOCK_FUNCTION)
    _without_jit(schema_editor)
    for table, (_products, _columns, events) in SOURCES.items():
        schema_editor.execute(_function(table))
        if table in NEW_TABLES:
            for event in events:
                schema_editor.execute(
                    f"CREATE TRIGGER listing_index_stock_{event.lower()} AFTER {event} ON {table} "
                    f"REFERENCING {INDEX.EVENTS[event]} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION product_listing_index_on_{table}()"
                )
    schema_editor.execute(
        "SELECT product_listing_index_refresh_stock("
        "ARRAY(SELECT DISTINCT product_id FROM product_productlistingindex))"
    )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NEW_TABLES:
        for event in SOURCES[table][2]:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS listing_index_stock_{event.lower()} ON {table}"
            )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS product_listing_index_on_{table}()")
    _install_refresh(schema_editor, STOCK.IN_STOCK)
    schema_editor.execute(STOCK.REFRESH_STOCK_FUNCTION)
    schema_editor.execute(STOCK.STOCK_TRIGGER_FUNCTIONS["warehouse_stock"])
    _without_jit(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("product", "0009_verbose_names"),
        ("warehouse", "0004_stock_holds_and_changes"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

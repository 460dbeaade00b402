"""The listing index learns stock: `ProductListingIndex.in_stock`, filled by the refresh
function and kept current by triggers on stock rows and on which warehouses serve a channel.

Stock changes with every order, so its trigger takes no lock (checkouts never wait on the index)
and writes an index row only when a product's availability flips.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

PREVIOUS = importlib.import_module("backend.product.migrations.0003_listing_index")

REFRESH_FUNCTION = """
CREATE OR REPLACE FUNCTION product_listing_index_refresh(product_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $body$
DECLARE
    today date := (now() AT TIME ZONE %(time_zone)s)::date;
BEGIN
    IF product_ids IS NULL OR cardinality(product_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(%(lock_class)s, stripe)
       FROM (SELECT DISTINCT (id %% %(stripes)s)::int AS stripe
               FROM unnest(product_ids) AS ids(id) ORDER BY 1) AS stripes;

    DELETE FROM product_productlistingindex AS entry
     WHERE entry.product_id = ANY (product_ids)
       AND NOT EXISTS (
           SELECT 1 FROM product_productchannellisting AS listing
            WHERE listing.product_id = entry.product_id
              AND listing.channel_id = entry.channel_id
              AND listing.is_published AND listing.visible_in_listings
              AND listing.discounted_price_amount IS NOT NULL);

    INSERT INTO product_productlistingindex AS entry (
        product_id, channel_id, published_at, slug, name, created_at, search_name,
        search_document, category_id, product_type_id, producer_id, province_id,
        producer_type, price, max_price, badge_stars, badge_until, in_stock, attribute_values)
    SELECT listing.product_id, listing.channel_id, listing.published_at, product.slug,
           product.name, product.created_at, product.search_name, product.search_document,
           product.category_id, product.product_type_id, product.producer_id,
           producer.province_id, producer.legal_type, listing.discounted_price_amount,
           (SELECT max(variant_listing.price_amount)
              FROM product_productvariantchannellisting AS variant_listing
              JOIN product_productvariant AS variant ON variant.id = variant_listing.variant_id
             WHERE variant.product_id = listing.product_id
               AND variant_listing.channel_id = listing.channel_id),
           badge.stars, badge.valid_until, %(in_stock)s,
           ARRAY(SELECT assigned.value_id FROM attribute_assignedproductattributevalue AS assigned
                  WHERE assigned.product_id = listing.product_id
                 UNION
                 SELECT assigned.value_id FROM attribute_assignedvariantattributevalue AS assigned
                   JOIN product_productvariant AS variant ON variant.id = assigned.variant_id
                  WHERE variant.product_id = listing.product_id
                 ORDER BY 1)
      FROM product_productchannellisting AS listing
      JOIN product_product AS product ON product.id = listing.product_id
      LEFT JOIN ocop_producer AS producer ON producer.id = product.producer_id
      LEFT JOIN LATERAL (
           SELECT certification.stars, certification.valid_until
             FROM ocop_certification AS certification
            WHERE certification.product_id = listing.product_id
              AND certification.status = 'valid'
              AND certification.verification_status = 'verified'
              AND certification.valid_from <= today AND certification.valid_until >= today
            ORDER BY certification.stars DESC, certification.valid_until DESC
            LIMIT 1) AS badge ON true
     WHERE listing.product_id = ANY (product_ids)
       AND listing.is_published AND listing.visible_in_listings
       AND listing.discounted_price_amount IS NOT NULL
    ON CONFLICT (product_id, channel_id) DO UPDATE SET
        published_at = EXCLUDED.published_at, slug = EXCLUDED.slug, name = EXCLUDED.name,
        created_at = EXCLUDED.created_at, search_name = EXCLUDED.search_name,
        search_document = EXCLUDED.search_document, category_id = EXCLUDED.category_id,
        product_type_id = EXCLUDED.product_type_id, producer_id = EXCLUDED.producer_id,
        province_id = EXCLUDED.province_id, producer_type = EXCLUDED.producer_type,
        price = EXCLUDED.price, max_price = EXCLUDED.max_price,
        badge_stars = EXCLUDED.badge_stars, badge_until = EXCLUDED.badge_until,
        in_stock = EXCLUDED.in_stock, attribute_values = EXCLUDED.attribute_values
    WHERE (entry.published_at, entry.slug, entry.name, entry.created_at, entry.search_name,
           entry.search_document, entry.category_id, entry.product_type_id, entry.producer_id,
           entry.province_id, entry.producer_type, entry.price, entry.max_price,
           entry.badge_stars, entry.badge_until, entry.in_stock, entry.attribute_values)
          IS DISTINCT FROM
          (EXCLUDED.published_at, EXCLUDED.slug, EXCLUDED.name, EXCLUDED.created_at,
           EXCLUDED.search_name, EXCLUDED.search_document, EXCLUDED.category_id,
           EXCLUDED.product_type_id, EXCLUDED.producer_id, EXCLUDED.province_id,
           EXCLUDED.producer_type, EXCLUDED.price, EXCLUDED.max_price, EXCLUDED.badge_stars,
           EXCLUDED.badge_until, EXCLUDED.in_stock, EXCLUDED.attribute_values);
END
$body$;
"""

# Whether the listing's product has stock beyond allocations in a warehouse of its channel.
IN_STOCK = """EXISTS (
    SELECT 1 FROM warehouse_stock AS stock
      JOIN product_productvariant AS variant ON variant.id = stock.product_variant_id
      JOIN warehouse_warehouse_channels AS serves ON serves.warehouse_id = stock.warehouse_id
     WHERE variant.product_id = {listing}.product_id AND serves.channel_id = {listing}.channel_id
       AND stock.quantity > stock.quantity_allocated)"""

# Stock changes with every order: its trigger takes no lock and writes a row only when a
# product's availability flips (a stock row running out or coming back), so checkouts never
# wait on the index. Two checkouts emptying a product's last two warehouses at the same instant
# can each still see the other's stock; the daily pass (`refresh_calendar_and_stock`) repairs
# that.
REFRESH_STOCK_FUNCTION = f"""
CREATE OR REPLACE FUNCTION product_listing_index_refresh_stock(product_ids bigint[])
RETURNS void LANGUAGE sql AS $body$
    UPDATE product_productlistingindex AS entry SET in_stock = NOT entry.in_stock
     WHERE entry.product_id = ANY (product_ids)
       AND entry.in_stock IS DISTINCT FROM {IN_STOCK.format(listing="entry")};
$body$;
"""

STOCK_TRIGGER_FUNCTIONS = {
    "warehouse_stock": """
CREATE OR REPLACE FUNCTION product_listing_index_on_warehouse_stock() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM product_listing_index_refresh_stock(ARRAY(
            SELECT variant.product_id FROM new_rows AS rows
              JOIN product_productvariant AS variant ON variant.id = rows.product_variant_id
             WHERE rows.quantity > rows.quantity_allocated));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM product_listing_index_refresh_stock(ARRAY(
            SELECT variant.product_id FROM old_rows AS rows
              JOIN product_productvariant AS variant ON variant.id = rows.product_variant_id
             WHERE rows.quantity > rows.quantity_allocated));
    ELSE
        PERFORM product_listing_index_refresh_stock(ARRAY(
            SELECT variant.product_id
              FROM (SELECT id, product_variant_id, warehouse_id,
                           quantity > quantity_allocated AS available FROM new_rows
                    EXCEPT
                    SELECT id, product_variant_id, warehouse_id,
                           quantity > quantity_allocated FROM old_rows) AS rows
              JOIN product_productvariant AS variant ON variant.id = rows.product_variant_id
            UNION
            SELECT variant.product_id
              FROM (SELECT id, product_variant_id, warehouse_id,
                           quantity > quantity_allocated AS available FROM old_rows
                    EXCEPT
                    SELECT id, product_variant_id, warehouse_id,
                           quantity > quantity_allocated FROM new_rows) AS rows
              JOIN product_productvariant AS variant ON variant.id = rows.product_variant_id));
    END IF;
    RETURN NULL;
END
$body$;
""",
    "warehouse_warehouse_channels": """
CREATE OR REPLACE FUNCTION product_listing_index_on_warehouse_warehouse_channels()
RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM product_listing_index_refresh_stock(ARRAY(
            SELECT DISTINCT variant.product_id FROM new_rows AS rows
              JOIN warehouse_stock AS stock ON stock.warehouse_id = rows.warehouse_id
              JOIN product_productvariant AS variant ON variant.id = stock.product_variant_id));
    ELSE
        PERFORM product_listing_index_refresh_stock(ARRAY(
            SELECT DISTINCT variant.product_id FROM old_rows AS rows
              JOIN warehouse_stock AS stock ON stock.warehouse_id = rows.warehouse_id
              JOIN product_productvariant AS variant ON variant.id = stock.product_variant_id));
    END IF;
    RETURN NULL;
END
$body$;
""",
}
# The events each stock table's trigger fires on (a warehouse's channels are added or removed).
STOCK_EVENTS = {
    "warehouse_stock": ["INSERT", "UPDATE", "DELETE"],
    "warehouse_warehouse_channels": ["INSERT", "DELETE"],
}


def _function_name(table: str) -> str:
    return f"product_listing_index_on_{table}"


def _install_refresh(schema_editor, function: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            function.replace("%(in_stock)s", IN_STOCK.format(listing="listing")),
            {
                "time_zone": settings.TIME_ZONE,
                "lock_class": PREVIOUS.LOCK_CLASS,
                "stripes": PREVIOUS.LOCK_STRIPES,
            },
        )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    _install_refresh(schema_editor, REFRESH_FUNCTION)
    execute(REFRESH_STOCK_FUNCTION)
    for table, function in STOCK_TRIGGER_FUNCTIONS.items():
        execute(function)
        for event in STOCK_EVENTS[table]:
            execute(
                f"CREATE TRIGGER listing_index_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {PREVIOUS.EVENTS[event]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {_function_name(table)}()"
            )
    execute(
        "SELECT product_listing_index_refresh_stock("
        "ARRAY(SELECT DISTINCT product_id FROM product_productlistingindex))"
    )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, events in STOCK_EVENTS.items():
        for event in events:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS listing_index_{event.lower()} ON {table}"
            )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {_function_name(table)}()")
    schema_editor.execute("DROP FUNCTION IF EXISTS product_listing_index_refresh_stock(bigint[])")
    _install_refresh(schema_editor, PREVIOUS.REFRESH_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("product", "0003_listing_index"),
        ("warehouse", "0002_allocation_reservation"),
    ]

    operations = [
        migrations.AddField(
            model_name="productlistingindex",
            name="in_stock",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(install, uninstall),
    ]

"""`ProductListingIndex` and, on PostgreSQL, what keeps it current: a refresh function and
statement-level triggers on every table a row is derived from, plus the GIN indexes its
searches and attribute filters use. Existing products are indexed at the end.

Each refresh first takes transaction-level advisory locks on the products' lock stripes, so
two transactions changing the same product one after the other both end with the other's
committed changes in the row (each statement after the lock reads a fresh snapshot).
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LOCK_CLASS = 7_100  # first key of the advisory locks; the second is the product's stripe
LOCK_STRIPES = 64  # at most this many locks per refresh, whatever the number of products

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
        producer_type, price, max_price, badge_stars, badge_until, attribute_values)
    SELECT listing.product_id, listing.channel_id, listing.published_at, product.slug,
           product.name, product.created_at, product.search_name, product.search_document,
           product.category_id, product.product_type_id, product.producer_id,
           producer.province_id, producer.legal_type, listing.discounted_price_amount,
           (SELECT max(variant_listing.price_amount)
              FROM product_productvariantchannellisting AS variant_listing
              JOIN product_productvariant AS variant ON variant.id = variant_listing.variant_id
             WHERE variant.product_id = listing.product_id
               AND variant_listing.channel_id = listing.channel_id),
           badge.stars, badge.valid_until,
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
        attribute_values = EXCLUDED.attribute_values
    WHERE (entry.published_at, entry.slug, entry.name, entry.created_at, entry.search_name,
           entry.search_document, entry.category_id, entry.product_type_id, entry.producer_id,
           entry.province_id, entry.producer_type, entry.price, entry.max_price,
           entry.badge_stars, entry.badge_until, entry.attribute_values)
          IS DISTINCT FROM
          (EXCLUDED.published_at, EXCLUDED.slug, EXCLUDED.name, EXCLUDED.created_at,
           EXCLUDED.search_name, EXCLUDED.search_document, EXCLUDED.category_id,
           EXCLUDED.product_type_id, EXCLUDED.producer_id, EXCLUDED.province_id,
           EXCLUDED.producer_type, EXCLUDED.price, EXCLUDED.max_price, EXCLUDED.badge_stars,
           EXCLUDED.badge_until, EXCLUDED.attribute_values);
END
$body$;
"""

# table: (SQL giving the product ids of the rows in `rows`, columns whose change matters)
SOURCES = {
    "product_product": (
        "SELECT rows.id FROM {rows} AS rows",
        "slug, name, created_at, search_name, search_document, category_id, product_type_id, "
        "producer_id",
    ),
    "product_productchannellisting": (
        "SELECT rows.product_id FROM {rows} AS rows",
        "product_id, channel_id, is_published, published_at, visible_in_listings, "
        "discounted_price_amount",
    ),
    "product_productvariantchannellisting": (
        "SELECT variant.product_id FROM {rows} AS rows "
        "JOIN product_productvariant AS variant ON variant.id = rows.variant_id",
        "variant_id, channel_id, price_amount",
    ),
    "ocop_certification": (
        "SELECT rows.product_id FROM {rows} AS rows",
        "product_id, stars, status, verification_status, valid_from, valid_until",
    ),
    "ocop_producer": (
        "SELECT product.id FROM {rows} AS rows "
        "JOIN product_product AS product ON product.producer_id = rows.id",
        "province_id, legal_type",
    ),
    "attribute_assignedproductattributevalue": (
        "SELECT rows.product_id FROM {rows} AS rows",
        "product_id, value_id",
    ),
    "attribute_assignedvariantattributevalue": (
        "SELECT variant.product_id FROM {rows} AS rows "
        "JOIN product_productvariant AS variant ON variant.id = rows.variant_id",
        "variant_id, value_id",
    ),
}

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM product_listing_index_refresh(ARRAY({inserted}));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM product_listing_index_refresh(ARRAY({deleted}));
    ELSE
        PERFORM product_listing_index_refresh(ARRAY({updated_new} UNION {updated_old}));
    END IF;
    RETURN NULL;
END
$body$;
"""

# The rows of `{side}` whose watched columns differ from the other side (set difference,
# hashed: transition tables have no index to join on).
CHANGED = "(SELECT {columns} FROM {side} EXCEPT SELECT {columns} FROM {other})"

EVENTS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}

GIN_INDEXES = {
    "listing_index_attribute_values": "attribute_values",
    "listing_index_search_name_trgm": "search_name gin_trgm_ops",
    "listing_index_search_document_trgm": "search_document gin_trgm_ops",
}


def _function_name(table: str) -> str:
    return f"product_listing_index_on_{table}"


def _trigger_function(table: str) -> str:
    product_ids, columns = SOURCES[table]
    names = [name.strip() for name in columns.split(",")]

    def changed(side, other):
        return CHANGED.format(columns=", ".join(["id", *names]), side=side, other=other)

    return TRIGGER_FUNCTION.format(
        function=_function_name(table),
        inserted=product_ids.format(rows="new_rows"),
        deleted=product_ids.format(rows="old_rows"),
        updated_new=product_ids.format(rows=changed("new_rows", "old_rows")),
        updated_old=product_ids.format(rows=changed("old_rows", "new_rows")),
    )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in GIN_INDEXES.items():
        execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON product_productlistingindex "
            f"USING gin ({expression})"
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            REFRESH_FUNCTION,
            {"time_zone": settings.TIME_ZONE, "lock_class": LOCK_CLASS, "stripes": LOCK_STRIPES},
        )
    for table in SOURCES:
        execute(_trigger_function(table))
        events = ["UPDATE"] if table == "ocop_producer" else list(EVENTS)
        for event in events:
            execute(
                f"CREATE TRIGGER listing_index_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {EVENTS[event]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {_function_name(table)}()"
            )
    execute("SELECT product_listing_index_refresh(ARRAY(SELECT id FROM product_product))")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SOURCES:
        for event in EVENTS:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS listing_index_{event.lower()} ON {table}"
            )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {_function_name(table)}()")
    schema_editor.execute("DROP FUNCTION IF EXISTS product_listing_index_refresh(bigint[])")


class Migration(migrations.Migration):
    dependencies = [
        ("attribute", "0001_initial"),
        ("channel", "0001_initial"),
        ("ocop", "0003_certifications"),
        ("product", "0002_product_search_name_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductListingIndex",
            # Fixed-width columns first: filtering on them reads a row without walking its text.
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="product.product",
                    ),
                ),
                (
                    "channel",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="channel.channel",
                    ),
                ),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField()),
                (
                    "category",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="product.category",
                    ),
                ),
                (
                    "product_type",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="product.producttype",
                    ),
                ),
                (
                    "producer",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ocop.producer",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ocop.province",
                    ),
                ),
                ("price", models.BigIntegerField()),
                ("max_price", models.BigIntegerField(null=True)),
                ("badge_stars", models.PositiveSmallIntegerField(null=True)),
                ("badge_until", models.DateField(null=True)),
                ("slug", models.CharField(max_length=255)),
                ("name", models.CharField(max_length=250)),
                ("producer_type", models.CharField(max_length=20, null=True)),
                ("search_name", models.CharField(max_length=250)),
                ("search_document", models.TextField()),
                (
                    "attribute_values",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), default=list, size=None
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["channel", "slug", "product"], name="listing_index_slug"),
                    models.Index(
                        fields=["channel", "name", "slug", "product"], name="listing_index_name"
                    ),
                    models.Index(
                        fields=["channel", "price", "slug", "product"], name="listing_index_price"
                    ),
                    models.Index(
                        fields=["channel", "created_at", "product"], name="listing_index_created"
                    ),
                    models.Index(
                        fields=["channel", "category", "slug", "product"],
                        name="listing_index_category",
                    ),
                    models.Index(
                        fields=["channel", "province", "product"], name="listing_index_province"
                    ),
                    models.Index(
                        fields=["channel", "producer", "product"], name="listing_index_producer"
                    ),
                    models.Index(
                        fields=["channel", "badge_stars", "product"], name="listing_index_badge"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("product", "channel"), name="product_listing_index_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]

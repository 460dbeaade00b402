"""Search and filtered-listing speed on PostgreSQL with 50,000 generated products.

Run: `python bench/search.py` (DATABASE_URL defaults to .../ocop_search_bench; the database is
created, migrated and filled with `generate_catalog` when short of products, then ANALYZEd).
Accent-free queries (one with a typo) go through `products(search:, sortBy: RANK)`; listing
pages combine a category and an attribute filter, plus `productFacets` when the schema has it.
Same in-process measuring as bench/catalog_api.py: p50/p95 over N runs after a warm-up.
Target: p95 < 50 ms.
Buyers' lists count up to 1,000 matches ("24 of 1000+" means at least that many).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_search_bench")

from catalog_api import (  # noqa: E402  (DATABASE_URL must be set first)
    CATALOG_SEED,
    CHANNEL,
    PRODUCT_CARD,
    RUNS,
    WARM_UP,
    WSGIClient,
    ensure_database,
    host_speed_line,
    host_speed_ms,
    measure,
)

TARGET_PRODUCTS = 50_000
TARGET_P95_MS = 50
# "nuoc mma" is a typo: answered as its spelling correction, "nuoc mam".
QUERIES = ["nuoc mam", "dau lac", "gao", "tra tan cuong", "mat ong", "nuoc mma"]

SEARCH = (
    """
query Search($channel: String!, $search: String!) {
  products(search: $search, first: 24, channel: $channel,
           sortBy: {field: RANK, direction: DESC}) {
    totalCount totalCountExact
    pageInfo { hasNextPage endCursor }
    edges { node { ...ProductCard } }
  }
}
"""
    + PRODUCT_CARD
)
FILTERED = (
    """
query Filtered($channel: String!, $filter: ProductFilterInput) {
  products(first: 24, channel: $channel, filter: $filter) {
    totalCount totalCountExact
    pageInfo { hasNextPage endCursor }
    edges { node { ...ProductCard } }
  }
}
"""
    + PRODUCT_CARD
)
FACETS = """
query Facets($channel: String!, $filter: ProductFilterInput) {
  productFacets(channel: $channel, filter: $filter) {
    provinces { slug count }
    stars { stars count }
    categories { slug count }
    producerTypes { type count }
    inStock
    priceRange { min { amount } max { amount } }
  }
}
"""


def prepare_catalog() -> None:
    from django.core.management import call_command
    from django.db import connection

    from backend.product.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    missing = TARGET_PRODUCTS - Product.objects.count()
    if missing > 0:
        print(f"generating {missing} products (a few minutes)…")
        call_command("generate_catalog", products=missing, seed=CATALOG_SEED)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def has_query_field(name: str) -> bool:
    from backend.graphql.api import schema

    return name in schema.graphql_schema.query_type.fields


def scenarios() -> list[tuple[str, str, dict]]:
    from backend.core.ids import global_id
    from backend.product.models import Category

    category = global_id("Category", Category.objects.get(slug="gao-ngu-coc").pk)
    listing = {
        "categories": [category],
        "attributes": [{"slug": "packaging", "values": ["tui"]}],
    }
    found = [(f"search “{text}”", SEARCH, {"search": text}) for text in QUERIES]
    found.append(("listing: category + attribute", FILTERED, {"filter": listing}))
    found.append(
        (
            "listing: attribute only",
            FILTERED,
            {"filter": {"attributes": [{"slug": "ocop-stars", "values": ["4"]}]}},
        )
    )
    if has_query_field("productFacets"):
        found.append(("facets: category + attribute", FACETS, {"filter": listing}))
        found.append(("facets: search “nuoc mam”", FACETS, {"filter": {"search": "nuoc mam"}}))
    else:
        print("note: no productFacets query in the schema yet, facet scenarios skipped")
    return found


def result_size(data: dict) -> str:
    if "products" in data:
        products = data["products"]
        more = "" if products["totalCountExact"] else "+"  # counted up to the list's limit
        return f"{len(products['edges'])} of {products['totalCount']}{more}"
    return f"{len(data['productFacets']['categories'])} category facets"


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from backend.product.models import Product

    prepare_catalog()
    client = WSGIClient()
    print(
        f"\nSearch and filtered listings on {Product.objects.count()} products; N={RUNS} "
        f"after {WARM_UP} warm-up runs, in process (WSGI)\n"
    )
    header = f"{'scenario':<32} {'p50 ms':>8} {'p95 ms':>8} {'SQL/request':>12}  result"
    print(header)
    print("-" * len(header))
    failures, host_speed = 0, host_speed_ms()
    for label, query, variables in scenarios():
        try:
            figures = measure(client, query, {"channel": CHANNEL, **variables})
        except Exception as error:  # report the scenario and go on with the others
            failures += 1
            print(f"{label:<32} FAILED: {error}"[:400])
            continue
        slow = "  ← over target" if figures["p95"] >= TARGET_P95_MS else ""
        print(
            f"{label:<32} {figures['p50']:>8.1f} {figures['p95']:>8.1f} {figures['queries']:>12}  "
            f"{result_size(figures['data'])}{slow}"
        )
    print(host_speed_line(host_speed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

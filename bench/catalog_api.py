"""Catalog API speed on PostgreSQL with a generated catalogue of at least 10,000 products.

Run: `python bench/catalog_api.py` (DATABASE_URL defaults to .../ocop_bench; the database is
created and migrated when missing). Each scenario posts a storefront-shaped GraphQL query to
/graphql/ in process through the project's WSGI application, as a WSGI server's worker calls it
(`backend.wsgi`, which readies the process first), N times after a warm-up, and prints p50/p95
latency and the SQL queries per request (counted in one more run: the query log costs time).
Settings are production-like: DEBUG off, database connections kept and health-checked.
"""

import io
import json
import os
import secrets
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench")
os.environ.setdefault("DEBUG", "false")
# Plain HTTP on localhost, as behind a TLS-terminating proxy (no HTTPS redirect).
os.environ.setdefault("HTTPS_ONLY", "false")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
# Static files are not collected for a bench: WhiteNoise's notice about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")

TARGET_PRODUCTS = 10_000
RUNS = 50
WARM_UP = 5
CHANNEL = "vn"
# The same generated catalogue on every machine (the slugs stay unique per run), so figures compare.
CATALOG_SEED = 2026

PRODUCT_CARD = """
fragment ProductCard on Product {
  id name slug
  thumbnail(size: 512, format: WEBP) { url alt }
  category { id name slug }
  pricing {
    priceRange {
      start { gross { amount currency } }
      stop { gross { amount currency } }
    }
  }
  assignedAttributes(limit: 10) {
    attribute { slug name }
    ... on AssignedSingleChoiceAttribute { value { name slug } }
  }
}
"""
LISTING = (
    """
query Listing($channel: String!, $first: Int!, $where: ProductWhereInput) {
  products(first: $first, channel: $channel, where: $where) {
    totalCount totalCountExact
    pageInfo { hasNextPage endCursor }
    edges { node { ...ProductCard } }
  }
}
"""
    + PRODUCT_CARD
)
DETAIL = (
    """
query Detail($slug: String!, $channel: String!) {
  product(slug: $slug, channel: $channel) {
    ...ProductCard
    description seoTitle seoDescription
    productType { slug }
    media { url(size: 1024, format: WEBP) alt type }
    translation(languageCode: EN) { name description }
    productVariants(first: 100) {
      edges { node {
        id name sku quantityAvailable
        pricing { price { gross { amount currency } } }
        attributes(variantSelection: ALL) { attribute { slug name } values { name slug } }
      } }
    }
  }
}
"""
    + PRODUCT_CARD
)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def prepare_catalog() -> None:
    from django.core.management import call_command

    from backend.product.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    missing = TARGET_PRODUCTS - Product.objects.count()
    if missing > 0:
        print(f"generating {missing} products…")
        call_command("generate_catalog", products=missing, seed=CATALOG_SEED)
    # Fresh planner statistics and no dead rows, as autovacuum keeps a live database.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def host_speed_ms() -> float:
    """Milliseconds a fixed pure-Python loop takes now: on a shared machine every figure scales
    with it, so the benches print it before and after their scenarios."""
    started = time.perf_counter()
    total = 0
    for step in range(3_000_000):
        total += step
    return (time.perf_counter() - started) * 1000


def host_speed_line(before: float) -> str:
    return (
        f"\nhost check: a fixed Python loop took {before:.0f} ms before and "
        f"{host_speed_ms():.0f} ms after the scenarios (lower is faster)"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class WSGIClient:
    """Posts JSON to the project's WSGI application in process, the way a WSGI server's worker
    calls it (unlike Django's test Client, which instruments each request for tests)."""

    def __init__(self):
        from backend.wsgi import application

        self.application = application

    def post_json(self, path: str, payload: dict) -> tuple[int, dict]:
        body = json.dumps(payload).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        statuses = []
        result = self.application(
            environ, lambda status, headers, exc_info=None: statuses.append(status)
        )
        try:
            content = b"".join(result)
        finally:
            result.close()  # ends the request (request_finished), as servers do
        return int(statuses[0].split()[0]), json.loads(content)


def measure(client: WSGIClient, query: str, variables: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        started = time.perf_counter()
        status, body = client.post_json("/graphql/", {"query": query, "variables": variables})
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or body.get("errors"):
            raise RuntimeError(f"HTTP {status}: {body.get('errors')}")
        return elapsed, body["data"]

    for _ in range(WARM_UP):
        run()
    timings = [run()[0] for _ in range(RUNS)]
    with CaptureQueriesContext(connection) as captured:
        data = run()[1]
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": len(captured.captured_queries),
        "data": data,
    }


def result_size(data: dict) -> str:
    if "products" in data:
        products = data["products"]
        more = "" if products["totalCountExact"] else "+"  # counted up to the list's limit
        return f"{len(products['edges'])} of {products['totalCount']}{more}"
    variants = data["product"]["productVariants"]["edges"] if data.get("product") else []
    return f"1 product, {len(variants)} variants"


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from backend.core.ids import global_id
    from backend.product.models import Category, Product

    prepare_catalog()
    client = WSGIClient()
    category = Category.objects.get(slug="gao-ngu-coc")
    detail_slug = (
        Product.objects.filter(channel_listings__channel__slug=CHANNEL, variants__isnull=False)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    scenarios = [
        ("a. listing, 24 products", LISTING, {"first": 24}),
        (
            "b. listing by category",
            LISTING,
            {"first": 24, "where": {"category": {"oneOf": [global_id("Category", category.pk)]}}},
        ),
        (
            "c. listing by ocop-stars 4",
            LISTING,
            {"first": 24, "where": {"attributes": [{"slug": "ocop-stars", "values": ["4"]}]}},
        ),
        ("d. product detail", DETAIL, {"slug": detail_slug}),
    ]
    print(
        f"\nCatalog API on {Product.objects.count()} products; N={RUNS} after {WARM_UP} "
        "warm-up runs, in process (WSGI)\n"
    )
    header = f"{'scenario':<30} {'p50 ms':>8} {'p95 ms':>8} {'SQL/request':>12}  result"
    print(header)
    print("-" * len(header))
    failures, host_speed = 0, host_speed_ms()
    for label, query, variables in scenarios:
        try:
            figures = measure(client, query, {"channel": CHANNEL, **variables})
        except Exception as error:  # report the scenario and go on with the others
            failures += 1
            print(f"{label:<30} FAILED: {error}"[:400])
            continue
        print(
            f"{label:<30} {figures['p50']:>8.1f} {figures['p95']:>8.1f} {figures['queries']:>12}  "
            f"{result_size(figures['data'])}"
        )
    print(host_speed_line(host_speed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

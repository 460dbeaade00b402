"""The office dashboard's speed (/admin/dashboard/) on PostgreSQL with 10,000 generated products.

Run: `python bench/office_dashboard.py` (DATABASE_URL defaults to .../ocop_dashboard_bench; the
database is created, migrated, filled with `generate_catalog` and given orders over the last 60
days when short of them, then ANALYZEd). A staff member's signed-in GET of the page goes through
the project's WSGI application in process, N times after a warm-up, as in bench/catalog_api.py;
then one XLSX download of the biggest table. Prints p50/p95 and the SQL queries per request.
Target: p95 < 300 ms.
"""

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_dashboard_bench")

from catalog_api import (  # noqa: E402  (DATABASE_URL must be set first)
    CATALOG_SEED,
    CHANNEL,
    RUNS,
    WARM_UP,
    ensure_database,
    host_speed_line,
    host_speed_ms,
    percentile,
)

TARGET_PRODUCTS = 10_000
TARGET_ORDERS = 3_000
TARGET_P95_MS = 300
STAFF_EMAIL = "bench.office@ocop.example"


def prepare() -> None:
    from django.core.management import call_command
    from django.db import connection

    from backend.product.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    missing = TARGET_PRODUCTS - Product.objects.count()
    if missing > 0:
        print(f"generating {missing} products…")
        call_command("generate_catalog", products=missing, seed=CATALOG_SEED)
    generate_orders()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def generate_orders() -> None:
    """Orders of one to three lines spread over the last 60 days (one in twenty cancelled), in
    bulk: the figures read orders and lines, not their history."""
    from datetime import timedelta

    from django.utils import timezone

    from backend.channel.models import Channel
    from backend.order.models import Order, OrderLine, OrderStatus
    from backend.order.utils import next_order_number
    from backend.product.models import ProductVariantChannelListing

    missing = TARGET_ORDERS - Order.objects.count()
    if missing <= 0:
        return
    print(f"generating {missing} orders…")
    rng = random.Random(CATALOG_SEED)
    channel = Channel.objects.get(slug=CHANNEL)
    priced = list(
        ProductVariantChannelListing.objects.filter(channel=channel, price_amount__isnull=False)
        .select_related("variant__product")
        .order_by("pk")[:3000]
    )
    now, orders, lines = timezone.now(), [], []
    first_number = next_order_number()
    for index in range(missing):
        chosen = rng.sample(priced, rng.randint(1, 3))
        order_lines = [
            OrderLine(
                variant=listing.variant,
                product_name=listing.variant.product.name,
                variant_name=listing.variant.name,
                product_sku=listing.variant.sku,
                quantity=(quantity := rng.randint(1, 4)),
                currency=channel.currency_code,
                undiscounted_unit_price_amount=listing.price_amount,
                unit_price_amount=listing.price_amount,
                total_price_amount=listing.price_amount * quantity,
            )
            for listing in chosen
        ]
        subtotal = sum(line.total_price_amount for line in order_lines)
        order = Order(
            number=first_number + index,
            user_email=f"khach{index}@example.com",
            channel=channel,
            currency=channel.currency_code,
            status=OrderStatus.CANCELED if index % 20 == 0 else OrderStatus.UNFULFILLED,
            subtotal_amount=subtotal,
            undiscounted_total_amount=subtotal,
            total_amount=subtotal,
        )
        orders.append(order)
        for line in order_lines:
            line.order = order
        lines.extend(order_lines)
    Order.objects.bulk_create(orders, batch_size=1000)
    OrderLine.objects.bulk_create(lines, batch_size=1000)
    # created_at is set on insert (auto_now_add); spread the orders over 60 days afterwards.
    for order in orders:
        order.created_at = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
    Order.objects.bulk_update(orders, ["created_at"], batch_size=1000)


def session_cookie(user=None) -> str:
    """A signed-in session cookie for `user` (by default an office user: staff, no other
    permission)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from backend.account.models import User

    if user is None:
        user = User.objects.filter(email=STAFF_EMAIL).first() or User.objects.create_user(
            STAFF_EMAIL, None, is_staff=True
        )
    session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; django_language=vi"


def get(application, cookie: str, path: str, query: str = "") -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    result = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        content = b"".join(result)
    finally:
        result.close()
    return int(statuses[0].split()[0]), content


def measure(application, cookie: str, path: str, query: str = "") -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        started = time.perf_counter()
        status, content = get(application, cookie, path, query)
        if status != 200:
            raise RuntimeError(f"HTTP {status} for {path}")
        return (time.perf_counter() - started) * 1000, content

    for _ in range(WARM_UP):
        run()
    timings = [run()[0] for _ in range(RUNS)]
    with CaptureQueriesContext(connection) as captured:
        content = run()[1]
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": len(captured.captured_queries),
        "bytes": len(content),
    }


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from backend.order.models import Order
    from backend.product.models import Product
    from backend.wsgi import application

    prepare()
    cookie = session_cookie()
    print(
        f"\nOffice dashboard on {Product.objects.count()} products and {Order.objects.count()} "
        f"orders; N={RUNS} after {WARM_UP} warm-up runs, in process (WSGI)\n"
    )
    header = f"{'scenario':<34} {'p50 ms':>8} {'p95 ms':>8} {'SQL/request':>12} {'KB':>7}"
    print(header)
    print("-" * len(header))
    host_speed = host_speed_ms()
    scenarios = [
        ("a. dashboard, last 30 days", "/admin/dashboard/", ""),
        ("b. dashboard, 60 days", "/admin/dashboard/", period_query(60)),
        ("c. stock-outs as XLSX", "/admin/dashboard/stock-outs.xlsx", ""),
    ]
    slow = False
    for label, path, query in scenarios:
        figures = measure(application, cookie, path, query)
        print(
            f"{label:<34} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
            f"{figures['queries']:>12} {figures['bytes'] / 1024:>7.0f}"
        )
        slow |= path == "/admin/dashboard/" and figures["p95"] >= TARGET_P95_MS
    print(f"\ntarget: the page's p95 < {TARGET_P95_MS} ms")
    print(host_speed_line(host_speed))
    print()
    equal = check_figures()
    return 1 if slow or not equal else 0


BADGES_SQL = """
    SELECT DISTINCT ON (product_id) product_id, stars FROM ocop_certification
    WHERE status = 'valid' AND verification_status = 'verified'
      AND valid_from <= %(day)s AND valid_until >= %(day)s
    ORDER BY product_id, stars DESC, valid_until DESC, id
"""
DIRECT_SQL = {
    "products per province": """
        SELECT pr.province_id, count(*) FROM product_product p
        JOIN ocop_producer pr ON pr.id = p.producer_id GROUP BY 1""",
    "producers per province": "SELECT province_id, count(*) FROM ocop_producer GROUP BY 1",
    "products per stars": f"""
        SELECT b.stars, count(*) FROM product_product p
        LEFT JOIN ({BADGES_SQL}) b ON b.product_id = p.id GROUP BY 1""",
    "revenue per province": """
        SELECT pr.province_id, sum(l.total_price_amount) FROM order_orderline l
        JOIN order_order o ON o.id = l.order_id
        JOIN product_productvariant v ON v.id = l.variant_id
        JOIN product_product p ON p.id = v.product_id
        JOIN ocop_producer pr ON pr.id = p.producer_id
        WHERE o.created_at >= %(start)s AND o.created_at < %(end)s AND o.currency = 'VND'
          AND o.status NOT IN ('draft', 'canceled', 'expired')
        GROUP BY 1""",
    "expiring in 90 days": """
        SELECT 'all', count(*) FROM ocop_certification
        WHERE status = 'valid' AND verification_status = 'verified'
          AND valid_from <= %(day)s AND valid_until BETWEEN %(day)s AND %(horizon)s""",
    "producers without a badge": """
        SELECT 'all', count(*) FROM ocop_producer pr WHERE NOT EXISTS (
          SELECT 1 FROM ocop_certification c WHERE c.producer_id = pr.id
            AND c.status = 'valid' AND c.verification_status = 'verified'
            AND c.valid_from <= %(day)s AND c.valid_until >= %(day)s)""",
}


def dashboard_figures(day, period) -> dict:
    """The dashboard's own figures, keyed as DIRECT_SQL."""
    from backend.ocop import dashboard
    from backend.ocop.models import Province

    ids = dict(Province.objects.values_list("name", "pk"))
    catalogue = dashboard.catalogue(day)
    return {
        "products per province": {ids[r.province]: r.products for r in catalogue.provinces},
        "producers per province": {ids[r.province]: r.producers for r in catalogue.provinces},
        "products per stars": {r.stars: r.products for r in catalogue.stars if r.products},
        "revenue per province": {
            ids[r.province]: r.revenue for r in dashboard.sales_by_province(period)
        },
        "expiring in 90 days": {"all": len(dashboard.expiring_certifications(day))},
        "producers without a badge": {"all": len(dashboard.producers_without_badge(day))},
        "stock-outs": {"all": len(dashboard.stock_outs())},
    }


def direct_figures(day, period) -> dict:
    """The same figures counted directly: plain SQL over the tables, and stock-outs from the
    availability rule's row-by-row half (stock minus allocations minus live holds)."""
    from collections import defaultdict
    from datetime import timedelta

    from django.db import connection

    from backend.product.models import Product
    from backend.warehouse.availability import free_units, selling_stocks

    start, end = period.bounds()
    params = {"day": day, "horizon": day + timedelta(days=90), "start": start, "end": end}
    figures = {}
    with connection.cursor() as cursor:
        for name, sql in DIRECT_SQL.items():
            cursor.execute(sql, params)
            figures[name] = {k: v for k, v in cursor.fetchall() if v or k == "all"}
    stocks = list(selling_stocks())
    free, sellable = free_units(stocks), defaultdict(int)
    for stock in stocks:
        sellable[stock.product_variant_id] += free[stock.pk]
    out = sum(
        1
        for product in Product.objects.prefetch_related("variants")
        if product.variants.all()
        and not any(
            not variant.track_inventory or sellable[variant.pk] > 0
            for variant in product.variants.all()
        )
    )
    figures["stock-outs"] = {"all": out}
    return figures


def check_figures() -> bool:
    """Print whether each dashboard figure equals its direct count; True when all do."""
    from django.utils import timezone

    from backend.ocop.dashboard import Period

    day, period = timezone.localdate(), Period.last_days(60)
    ours, direct = dashboard_figures(day, period), direct_figures(day, period)
    print("figures against a direct count:")
    for name, expected in direct.items():
        same = ours[name] == expected
        total = sum(expected.values())
        print(f"  {name:<28} {'equal' if same else 'DIFFERENT':<10} (total {total:,})")
    return ours == direct


def period_query(days: int) -> str:
    from backend.ocop.dashboard import Period

    period = Period.last_days(days)
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


if __name__ == "__main__":
    sys.exit(main())

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
    return 1 if slow else 0


def period_query(days: int) -> str:
    from backend.ocop.dashboard import Period

    period = Period.last_days(days)
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


if __name__ == "__main__":
    sys.exit(main())

"""Flash sale: 200 buyers at once for the last 50 units of one variant, over real HTTP.

Run: `python bench/flash_sale.py` (DATABASE_URL defaults to .../ocop_flash_bench, created and
migrated when missing; tasks go to Redis db 15). The shop runs under gunicorn (gthread workers)
with a Celery worker beside it, as in production, on a free local
port; each buyer is a thread with its own HTTP session doing what a storefront does —
checkoutCreate (cart, email, address) → checkoutDeliveryMethodUpdate → checkoutComplete (COD).

Two rounds: with stock holds (the default: a buyer's cart holds the units, so late buyers hear
"sold out" when adding to the cart) and without (RESERVE_STOCK_MINUTES=0: all 200 reach the final
step and race for the stock rows). Prints orders created (must be 50), oversold (must be 0), sold
out answers, unexpected errors, throughput and p50/p95 latency of checkoutComplete and of the
whole buyer flow.
"""

import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_flash_bench")

from catalog_api import ROOT, WSGIClient, ensure_database, percentile  # noqa: E402

BUYERS = 200
UNITS = 50
WORKERS = 5
THREADS = 4
VARIANT_SKU = "flash-sale-banh-pia"
BROKER_URL = os.environ.get("FLASH_SALE_BROKER_URL", "redis://127.0.0.1:6379/15")

CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id shippingMethods { id name price { amount } } }
    errors { field code message }
  }
}
"""
DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { id totalPrice { gross { amount } } }
    errors { field code message }
  }
}
"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number status }
    errors { field code message }
  }
}
"""
ADDRESS = {
    "firstName": "Minh",
    "lastName": "Trần",
    "streetAddress1": "12 Phan Đình Phùng",
    "city": "Phường Ba Đình",
    "countryArea": "Thành phố Hà Nội",
    "country": "VN",
    "phone": "0912345678",
}


def prepare_sale() -> int:
    """A variant with exactly UNITS free in stock and no earlier orders; returns its id."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from backend.channel.models import Channel
    from backend.checkout.models import Checkout
    from backend.order.models import Order
    from backend.payment.models import TransactionItem
    from backend.product.models import (
        Product,
        ProductChannelListing,
        ProductType,
        ProductVariant,
        ProductVariantChannelListing,
    )
    from backend.product.pricing import update_discounted_prices
    from backend.shipping.models import (
        ShippingMethod,
        ShippingMethodChannelListing,
        ShippingMethodType,
        ShippingZone,
    )
    from backend.warehouse.models import Allocation, Stock, Warehouse

    channel, _ = Channel.objects.get_or_create(
        slug="vn", defaults={"name": "Việt Nam", "currency_code": "VND"}
    )
    product_type, _ = ProductType.objects.get_or_create(
        slug="banh-keo", defaults={"name": "Bánh kẹo"}
    )
    product, _ = Product.objects.get_or_create(
        slug="banh-pia-flash-sale",
        defaults={"name": "Bánh pía Sóc Trăng (flash sale)", "product_type": product_type},
    )
    ProductChannelListing.objects.update_or_create(
        product=product,
        channel=channel,
        defaults={
            "currency": "VND",
            "is_published": True,
            "available_for_purchase_at": "2026-01-01T00:00:00Z",
        },
    )
    variant, _ = ProductVariant.objects.get_or_create(
        sku=VARIANT_SKU, defaults={"product": product, "name": "Hộp 4 bánh", "weight_grams": 400}
    )
    ProductVariantChannelListing.objects.update_or_create(
        variant=variant, channel=channel, defaults={"currency": "VND", "price_amount": 99_000}
    )
    update_discounted_prices([product.pk])
    warehouse, _ = Warehouse.objects.get_or_create(
        slug="kho-flash-sale", defaults={"name": "Kho flash sale"}
    )
    warehouse.channels.add(channel)
    zone, _ = ShippingZone.objects.get_or_create(name="Toàn quốc", defaults={"countries": ["VN"]})
    zone.channels.add(channel)
    zone.warehouses.add(warehouse)
    method, _ = ShippingMethod.objects.get_or_create(
        name="Giao hàng tiêu chuẩn",
        shipping_zone=zone,
        defaults={"type": ShippingMethodType.PRICE_BASED},
    )
    ShippingMethodChannelListing.objects.update_or_create(
        shipping_method=method,
        channel=channel,
        defaults={"currency": "VND", "price_amount": 30_000},
    )
    Allocation.objects.filter(stock__product_variant=variant).delete()
    orders = Order.objects.filter(lines__variant=variant)
    TransactionItem.objects.filter(order__in=orders).delete()
    orders.delete()
    Checkout.objects.all().delete()
    Stock.objects.update_or_create(
        warehouse=warehouse,
        product_variant=variant,
        defaults={"quantity": UNITS, "quantity_allocated": 0},
    )
    return variant.pk


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(reserve_minutes: int) -> dict:
    """Production-like: DEBUG off, tasks (confirmation emails, webhooks) queued on Redis for a
    Celery worker instead of run inside the request."""
    return {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "DEBUG": "false",
        "HTTPS_ONLY": "false",  # plain HTTP on localhost, as behind a TLS-terminating proxy
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "dummymail://localhost",
        "RESERVE_STOCK_MINUTES": str(reserve_minutes),
        "LOG_LEVEL": "WARNING",
    }


def start_worker(env: dict) -> subprocess.Popen:
    celery = str(Path(sys.executable).parent / "celery")
    subprocess.run(
        [celery, "-A", "backend", "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return subprocess.Popen(
        [celery, "-A", "backend", "worker", "--concurrency", "1", "--loglevel", "warning"],
        cwd=ROOT,
        env=env,
    )


def start_server(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "backend.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


class Buyer:
    def __init__(self, url: str, variant_gid: str, index: int):
        import requests

        self.session = requests.Session()
        self.url = url
        self.variant_gid = variant_gid
        self.index = index
        self.outcome = None
        self.complete_ms = None
        self.flow_ms = None

    def post(self, query, variables):
        response = self.session.post(self.url, json={"query": query, "variables": variables})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"HTTP {response.status_code}: {body.get('errors')}")
        return body["data"]

    def buy(self, barrier: threading.Barrier):
        barrier.wait()
        started = time.perf_counter()
        try:
            created = self.post(
                CREATE,
                {
                    "input": {
                        "channel": "vn",
                        "email": f"nguoimua{self.index}@example.com",
                        "lines": [{"variantId": self.variant_gid, "quantity": 1}],
                        "shippingAddress": ADDRESS,
                        "billingAddress": ADDRESS,
                    }
                },
            )["checkoutCreate"]
            if created["errors"]:
                self.outcome = created["errors"][0]["code"]
                return
            checkout = created["checkout"]
            method = checkout["shippingMethods"][0]["id"]
            delivery = self.post(DELIVERY, {"id": checkout["id"], "method": method})
            if delivery["checkoutDeliveryMethodUpdate"]["errors"]:
                self.outcome = delivery["checkoutDeliveryMethodUpdate"]["errors"][0]["code"]
                return
            complete_started = time.perf_counter()
            completed = self.post(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]
            self.complete_ms = (time.perf_counter() - complete_started) * 1000
            self.outcome = "ORDER" if completed["order"] else completed["errors"][0]["code"]
        except Exception as error:  # counted and printed as an unexpected error
            self.outcome = f"ERROR {error}"[:200]
        finally:
            self.flow_ms = (time.perf_counter() - started) * 1000


def run_round(label: str, reserve_minutes: int, variant_id: int) -> None:
    from django.db.models import Sum

    from backend.core.ids import global_id
    from backend.order.models import OrderLine
    from backend.warehouse.audit import stock_levels_are_consistent
    from backend.warehouse.models import Stock

    prepare_sale()
    port = free_port()
    env = server_environment(reserve_minutes)
    worker = start_worker(env)
    server = start_server(port, env)
    try:
        url = f"http://127.0.0.1:{port}/graphql/"
        variant_gid = global_id("ProductVariant", variant_id)
        Buyer(url, variant_gid, -1).post("{ shop { name } }", {})  # warm the workers up
        buyers = [Buyer(url, variant_gid, index) for index in range(BUYERS)]
        barrier = threading.Barrier(BUYERS)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=BUYERS) as pool:
            list(pool.map(lambda buyer: buyer.buy(barrier), buyers))
        elapsed = time.perf_counter() - started
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=60)

    sold = (
        OrderLine.objects.filter(variant_id=variant_id).aggregate(total=Sum("quantity"))["total"]
        or 0
    )
    stock = Stock.objects.get(product_variant_id=variant_id)
    outcomes = {}
    for buyer in buyers:
        key = buyer.outcome if not buyer.outcome.startswith("ERROR") else "ERROR"
        outcomes[key] = outcomes.get(key, 0) + 1
    errors = [b.outcome for b in buyers if b.outcome not in ("ORDER", "INSUFFICIENT_STOCK")]
    completes = [b.complete_ms for b in buyers if b.complete_ms is not None]
    flows = [b.flow_ms for b in buyers]
    print(f"\n== {label} ==")
    print(
        f"buyers {BUYERS}, units {UNITS}, server gunicorn {WORKERS}×{THREADS} gthread, "
        "tasks on a Celery worker (Redis)"
    )
    print(f"orders created:     {outcomes.get('ORDER', 0)} (units sold {sold})")
    print(
        f"oversold:           {max(sold - UNITS, 0)} (stock {stock.quantity}, "
        f"allocated {stock.quantity_allocated}, consistent {stock_levels_are_consistent()})"
    )
    print(f"sold out answers:   {outcomes.get('INSUFFICIENT_STOCK', 0)}")
    print(f"unexpected errors:  {len(errors)} {sorted(set(errors))[:3]}")
    print(
        f"throughput:         {BUYERS / elapsed:.1f} buyers/s, "
        f"{outcomes.get('ORDER', 0) / elapsed:.1f} orders/s ({elapsed:.2f} s in all)"
    )
    if completes:
        print(
            f"checkoutComplete:   p50 {statistics.median(completes):.0f} ms, "
            f"p95 {percentile(completes, 0.95):.0f} ms ({len(completes)} calls)"
        )
    print(
        f"whole buyer flow:   p50 {statistics.median(flows):.0f} ms, "
        f"p95 {percentile(flows, 0.95):.0f} ms"
    )


def count_complete_statements(variant_id: int) -> int:
    """SQL statements of one warm checkoutComplete (a buyer with a held unit, cash on delivery),
    posted to the WSGI application in process as a server's worker runs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backend.celery import app
    from backend.core.ids import global_id

    # Tasks go to the broker, as from a server (the next round's worker purges them).
    app.conf.task_always_eager, app.conf.broker_url = False, BROKER_URL
    prepare_sale()
    client = WSGIClient()
    variant_gid = global_id("ProductVariant", variant_id)
    checkouts = []
    for index in range(2):  # the first completion warms the process up
        _status, body = client.post_json(
            "/graphql/",
            {
                "query": CREATE,
                "variables": {
                    "input": {
                        "channel": "vn",
                        "email": f"dem{index}@example.com",
                        "lines": [{"variantId": variant_gid, "quantity": 1}],
                        "shippingAddress": ADDRESS,
                        "billingAddress": ADDRESS,
                    }
                },
            },
        )
        checkout = body["data"]["checkoutCreate"]["checkout"]
        method = checkout["shippingMethods"][0]["id"]
        client.post_json(
            "/graphql/", {"query": DELIVERY, "variables": {"id": checkout["id"], "method": method}}
        )
        checkouts.append(checkout["id"])
    client.post_json("/graphql/", {"query": COMPLETE, "variables": {"id": checkouts[0]}})
    with CaptureQueriesContext(connection) as captured:
        _status, body = client.post_json(
            "/graphql/", {"query": COMPLETE, "variables": {"id": checkouts[1]}}
        )
    if not body["data"]["checkoutComplete"]["order"]:
        raise RuntimeError(f"checkoutComplete failed: {body}")
    return len(captured.captured_queries)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    ensure_database(os.environ["DATABASE_URL"])
    variant_id = prepare_sale()
    print(f"checkoutComplete:   {count_complete_statements(variant_id)} SQL statements (warm)")
    run_round("with stock holds (carts hold units for 20 minutes)", 20, variant_id)
    run_round("without stock holds (all buyers race at checkoutComplete)", 0, variant_id)


if __name__ == "__main__":
    main()

"""Marketplace stock sync: 10,000 mapped SKUs on the four local marketplaces, pushed by a real
Celery worker, and the lag from a shop order to every marketplace showing the new stock.

Run: `python bench/sync.py` (DATABASE_URL defaults to .../ocop_bench_sync, dropped, created and
migrated afresh each run; tasks go to Redis db 12). The local Shopee, Lazada, TikTok Shop and Tiki
servers (tests/marketplace_servers) run in this process with their rate limits as realistic as we
know them, and each account's `calls_per_second` is set to the same; a Celery worker
(`--concurrency 4`, prefork) in another process talks to them over HTTP.

One producer lists 2,500 variants (50 products of 50 variants) on all four shops, each the way
that marketplace groups SKUs:

    marketplace  calls/s  one stock call takes             listed as
    Shopee       10       one item, at most 50 models      an item (50 models) per product
    Lazada       50       at most 50 SKUs, any items       an item (50 SKUs) per product
    TikTok Shop  50       one product, at most 100 SKUs    a product (100 SKUs) per 2 products
    Tiki         5        at most 50 SKUs (unverified)     a product per SKU

Tiki publishes neither its batch size nor its rate limit: the 50 and 5/s are our settings'
unverified figures.

1. Full push: every mapping is new, so due; one push_account_stock task per account is queued
   and the clock runs until every mapping is pushed. Printed against the least time the rate
   limits allow — max over marketplaces of (calls the batch rules need / calls per second) —
   target ≤ 1.2×. (The servers count calls in any one second, so n calls at r/s can end a
   little before n / r seconds: the last r go at n / r − 1 s. Below 1× is possible.) Then every
   server must show every SKU's stock, and no call was throttled.
2. Lag: LAG_ORDERS shop orders, one at a time, each for one unit of a random mapped variant
   through complete_checkout; from the order's commit (the stock-changed signal) until all four
   servers show the new stock (polled every 10 ms). p50/p95, target p95 ≤ 5 s.

Exits non-zero when a marketplace shows a wrong stock or throttled a call.
"""

import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_sync")
BROKER_URL = os.environ.get("SYNC_BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ["REDIS_URL"] = os.environ["CELERY_BROKER_URL"] = BROKER_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from catalog_api import ROOT, percentile  # noqa: E402

PRODUCTS = 50
VARIANTS_PER_PRODUCT = 50
RATE_LIMITS = {"shopee": 10, "lazada": 50, "tiktok": 50, "tiki": 5}
BATCH = {"shopee": 50, "lazada": 50, "tiktok": 100, "tiki": 50}  # SKUs one stock call takes
PER_ITEM = {"shopee": True, "lazada": False, "tiktok": True, "tiki": False}
PRODUCTS_PER_TIKTOK_PRODUCT = 2
LAG_ORDERS = 50
WORKER_CONCURRENCY = 4
TARGET_RATIO = 1.2
TARGET_LAG_P95 = 5.0
PUSH_TIMEOUT = 120
LAG_TIMEOUT = 10


def recreate_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- data -------------------------------------------------------------------------------------
def generate_catalogue():
    """One producer, its warehouse shipping in the vn channel, PRODUCTS × VARIANTS_PER_PRODUCT
    published variants with 100–400 units each: returns (producer, channel, products, variants
    grouped per product)."""
    from django.utils import timezone

    from backend.channel.models import Channel
    from backend.ocop.models import Producer, Province
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
    from backend.warehouse.models import Stock, Warehouse

    rng = random.Random(15)
    now = timezone.now()
    channel = Channel.objects.create(name="Việt Nam", slug="vn", currency_code="VND")
    producer = Producer.objects.create(
        name="HTX Chè Tân Cương",
        slug="htx-che-tan-cuong",
        legal_type="cooperative",
        province=Province.objects.get(slug="thai-nguyen"),
        verification_status="verified",
        verified_at=now,
    )
    warehouse = Warehouse.objects.create(
        name="Kho Tân Cương", slug="kho-tan-cuong", producer=producer, email="kho@tancuong.vn"
    )
    warehouse.channels.add(channel)
    zone = ShippingZone.objects.create(name="Toàn quốc", countries=["VN"])
    zone.channels.add(channel)
    zone.warehouses.add(warehouse)
    method = ShippingMethod.objects.create(
        name="Giao hàng tiêu chuẩn", type=ShippingMethodType.PRICE_BASED, shipping_zone=zone
    )
    ShippingMethodChannelListing.objects.create(
        shipping_method=method, channel=channel, currency="VND", price_amount=30_000
    )
    product_type = ProductType.objects.create(name="Trà", slug="tra")
    products = Product.objects.bulk_create(
        Product(
            product_type=product_type,
            producer=producer,
            name=f"Chè Tân Cương loại {index + 1}",
            slug=f"che-tan-cuong-{index + 1}",
        )
        for index in range(PRODUCTS)
    )
    ProductChannelListing.objects.bulk_create(
        ProductChannelListing(
            product=product,
            channel=channel,
            currency="VND",
            is_published=True,
            published_at=now,
            available_for_purchase_at=now,
        )
        for product in products
    )
    variants = ProductVariant.objects.bulk_create(
        ProductVariant(
            product=product,
            sku=f"tan-cuong-{p + 1}-{v + 1}",
            name=f"Gói {v + 1}",
            is_default=v == 0,
        )
        for p, product in enumerate(products)
        for v in range(VARIANTS_PER_PRODUCT)
    )
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(
            variant=variant, channel=channel, currency="VND", price_amount=120_000
        )
        for variant in variants
    )
    Stock.objects.bulk_create(
        Stock(warehouse=warehouse, product_variant=variant, quantity=rng.randint(100, 400))
        for variant in variants
    )
    update_discounted_prices([product.pk for product in products])
    per_product = [
        variants[p * VARIANTS_PER_PRODUCT : (p + 1) * VARIANTS_PER_PRODUCT] for p in range(PRODUCTS)
    ]
    return producer, channel, method, per_product


def connect_and_map(world, producer, channel, per_product):
    """An account per marketplace (calls_per_second = the server's limit) and every variant
    listed there (stock 0) and mapped; returns {marketplace: {variant_id: Listed}}."""
    from integrations.marketplaces.models import MarketplaceAccount, VariantMapping

    listed = {}
    for name in RATE_LIMITS:
        account = MarketplaceAccount.objects.create(
            producer=producer,
            marketplace=name,
            name=f"{producer.name} trên {name}",
            channel=channel,
            calls_per_second=RATE_LIMITS[name],
            **world.account_fields(name),
        )
        listed[name] = {}
        mappings = []
        for p, variants in enumerate(per_product):
            group = p // PRODUCTS_PER_TIKTOK_PRODUCT if name == "tiktok" else p
            item_id = str(8_000_000 + group) if name != "tiki" else None
            for variant in variants:
                where = world.list_sku(name, variant.sku, name="Chè Tân Cương", item_id=item_id)
                listed[name][variant.pk] = where
                mappings.append(
                    VariantMapping(
                        account=account,
                        variant=variant,
                        item_id=where.item_id,
                        sku_id=where.sku_id,
                        seller_sku=variant.sku,
                        warehouse_id=where.warehouse_id,
                    )
                )
        VariantMapping.objects.bulk_create(mappings)
    return listed


def calls_needed(marketplace: str, skus_per_item: dict[str, int]) -> int:
    """Stock calls a full push needs under the marketplace's batch rules."""
    if PER_ITEM[marketplace]:
        return sum(math.ceil(count / BATCH[marketplace]) for count in skus_per_item.values())
    return math.ceil(sum(skus_per_item.values()) / BATCH[marketplace])


# --- the worker -------------------------------------------------------------------------------
def start_worker() -> subprocess.Popen:
    from backend.celery import app

    celery = str(Path(sys.executable).parent / "celery")
    env = {**os.environ, "EMAIL_URL": "dummymail://localhost", "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [celery, "-A", "backend", "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    worker = subprocess.Popen(
        [celery, "-A", "backend", "worker", "--concurrency", str(WORKER_CONCURRENCY)]
        + ["--pool", "prefork", "--loglevel", "warning", "--hostname", "sync-bench@%h"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors still show
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return worker
    worker.terminate()
    raise RuntimeError("the Celery worker did not answer")


# --- 1. full push -----------------------------------------------------------------------------
def full_push(world, listed) -> bool:
    from django.db.models import F

    from backend.warehouse.availability import available_quantities
    from integrations.marketplaces import tasks
    from integrations.marketplaces.models import MarketplaceAccount, VariantMapping
    from integrations.marketplaces.sync import mark_stock_changed

    mark_stock_changed(VariantMapping.objects.all())
    accounts = list(MarketplaceAccount.objects.order_by("pk"))
    minimum = {}
    for account in accounts:
        skus_per_item: dict[str, int] = {}
        for item_id in VariantMapping.objects.filter(account=account).values_list(
            "item_id", flat=True
        ):
            skus_per_item[item_id] = skus_per_item.get(item_id, 0) + 1
        calls = calls_needed(account.marketplace, skus_per_item)
        minimum[account.marketplace] = (calls, calls / RATE_LIMITS[account.marketplace])
    due = VariantMapping.objects.filter(stock_version__gt=F("pushed_version"))
    total = due.count()

    started = time.perf_counter()
    for account in accounts:
        tasks.push_account_stock.delay(account.pk)
    finished_at = {}
    while len(finished_at) < len(accounts) and time.perf_counter() - started < PUSH_TIMEOUT:
        time.sleep(0.02)
        for account in accounts:
            if account.marketplace not in finished_at and not due.filter(account=account).exists():
                finished_at[account.marketplace] = time.perf_counter() - started
    elapsed = time.perf_counter() - started

    least = max(seconds for _calls, seconds in minimum.values())
    print(f"\n== full push: {total:,} mapped SKUs, one worker process per account ==")
    for name, (calls, seconds) in minimum.items():
        done = finished_at.get(name)
        took = f"{done:6.2f} s" if done is not None else "unfinished"
        print(
            f"{name:8} {len(listed[name]):>6,} SKUs  {calls:>3} calls at {RATE_LIMITS[name]:>2}/s"
            f"  least {seconds:5.2f} s  took {took}"
        )
    print(f"total:              {elapsed:.2f} s")
    print(f"least the limits allow: {least:.2f} s (Tiki's batch size and rate are unverified)")
    print(f"ratio:              {elapsed / least:.2f}× (target ≤ {TARGET_RATIO}×)")

    channel_id = accounts[0].channel_id
    variant_ids = set(listed["shopee"])
    available = available_quantities(variant_ids, channel_id)
    wrong = {
        name: sum(world.stock(name, where) != available[pk] for pk, where in skus.items())
        for name, skus in listed.items()
    }
    print(f"wrong stock shown:  {wrong}")
    print(f"throttled calls:    {world.throttled()}")
    return (
        len(finished_at) == len(accounts)
        and not any(wrong.values())
        and (not any(world.throttled().values()))
    )


# --- 2. lag -----------------------------------------------------------------------------------
def lag(world, listed, channel, method) -> bool:
    from backend.account.models import Address
    from backend.checkout.complete_checkout import complete_checkout
    from backend.checkout.models import Checkout, CheckoutLine
    from backend.warehouse.availability import available_quantities
    from backend.warehouse.changes import stock_changes_recorded

    committed = []
    stock_changes_recorded.connect(
        lambda **kwargs: committed.append(time.perf_counter()), weak=False
    )
    address = Address.objects.create(
        first_name="Lan",
        last_name="Nguyễn",
        street_address_1="12 Phan Đình Phùng",
        city="Phường Ba Đình",
        country_area="Thành phố Hà Nội",
        country="VN",
        phone="+84912345678",
    )
    rng = random.Random(2026)
    chosen = rng.sample(sorted(listed["shopee"]), LAG_ORDERS)
    lags, per_marketplace, failures = [], {name: [] for name in listed}, 0
    for variant_id in chosen:
        checkout = Checkout.objects.create(
            channel=channel,
            currency="VND",
            email="khach@example.com",
            shipping_address=address,
            billing_address=address,
            shipping_method=method,
        )
        CheckoutLine.objects.create(checkout=checkout, variant_id=variant_id, quantity=1)
        committed.clear()
        complete_checkout(checkout)
        start = committed[0]
        expected = available_quantities([variant_id], channel)[variant_id]
        seen = {}
        while len(seen) < len(listed) and time.perf_counter() - start < LAG_TIMEOUT:
            for name, skus in listed.items():
                if name not in seen and world.stock(name, skus[variant_id]) == expected:
                    seen[name] = time.perf_counter() - start
            time.sleep(0.01)
        if len(seen) < len(listed):
            failures += 1
            continue
        lags.append(max(seen.values()))
        for name, seconds in seen.items():
            per_marketplace[name].append(seconds)

    print(f"\n== lag: {LAG_ORDERS} shop orders, one at a time, to all four showing the stock ==")
    for name, values in per_marketplace.items():
        if values:
            print(
                f"{name:8} p50 {statistics.median(values):.2f} s  "
                f"p95 {percentile(values, 0.95):.2f} s"
            )
    if lags:
        p95 = percentile(lags, 0.95)
        print(
            f"all four: p50 {statistics.median(lags):.2f} s  p95 {p95:.2f} s  "
            f"max {max(lags):.2f} s (target p95 ≤ {TARGET_LAG_P95:.0f} s)"
        )
    print(f"orders not shown within {LAG_TIMEOUT} s: {failures}")
    print(f"throttled calls:    {world.throttled()}")
    return not failures and not any(world.throttled().values())


def main() -> int:
    import django

    recreate_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    from tests.marketplace_servers.world import MarketplaceWorld

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated a fresh database in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    producer, channel, method, per_product = generate_catalogue()
    with MarketplaceWorld(rate_limits=RATE_LIMITS) as world:
        listed = connect_and_map(world, producer, channel, per_product)
        print(f"generated and mapped the catalogue in {time.perf_counter() - began:.1f} s")
        worker = start_worker()
        try:
            pushed = full_push(world, listed)
            shown = lag(world, listed, channel, method)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    if not (pushed and shown):
        print("FAILED: a marketplace shows a wrong stock, throttled a call or was not reached")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

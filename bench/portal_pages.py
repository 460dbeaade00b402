"""The producer portal's pages: SQL queries per page for a small and a large producer, and the
large one's p50/p95, on PostgreSQL with 10,000 generated products and 3,000 orders.

Run: `python bench/portal_pages.py` (DATABASE_URL defaults to .../ocop_dashboard_bench, the
office dashboard bench's database: created, migrated and filled the same way). Two bench
producers are made from generated products: "small" owns 10 products, "large" 1,000 (with
their order lines and certifications). Each page is fetched by a signed-in owner through the
WSGI application in process, N times after a warm-up. The portal's promise: the number of
queries per page does not grow with the number of products or orders.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_dashboard_bench")

from catalog_api import RUNS, WARM_UP, ensure_database, host_speed_line, host_speed_ms  # noqa: E402
from office_dashboard import measure, prepare, session_cookie  # noqa: E402

SIZES = {"small": 10, "large": 1_000}


def bench_producer(label: str, size: int):
    """A producer owning `size` generated products (taken from the generated producers once),
    with its own warehouse holding their stock, and an owner member."""
    from django.db import transaction

    from backend.account.models import User
    from backend.ocop.models import Producer, ProducerMembership

    slug = f"bench-portal-{label}"
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None:
        with transaction.atomic():
            producer = _make_producer(label, slug, size)
    email = f"{slug}@bench.ocop.example"
    user = User.objects.filter(email=email).first() or User.objects.create_user(email, None)
    ProducerMembership.objects.get_or_create(producer=producer, user=user)
    return producer, user


def _make_producer(label: str, slug: str, size: int):
    from backend.ocop.models import Certification, Producer, Province, VerificationStatus
    from backend.product.models import Product, ProductVariant
    from backend.warehouse.models import Stock, Warehouse

    producer = Producer.objects.create(
        name=f"HTX bench {label}",
        slug=slug,
        legal_type="cooperative",
        province=Province.objects.get(slug="ninh-binh"),
        verification_status=VerificationStatus.VERIFIED,
    )
    taken = Product.objects.exclude(producer__slug__startswith="bench-portal-")
    ids = list(taken.order_by("pk").values_list("pk", flat=True)[:size])
    Product.objects.filter(pk__in=ids).update(producer=producer)
    Certification.objects.filter(product_id__in=ids).update(producer=producer)
    warehouse = Warehouse.objects.create(name=f"Kho {slug}", slug=slug, producer=producer)
    variants = ProductVariant.objects.filter(product_id__in=ids).values_list("pk", flat=True)
    Stock.objects.bulk_create(
        [Stock(warehouse=warehouse, product_variant_id=pk, quantity=20) for pk in variants]
    )
    return producer


def pages(producer) -> list[tuple[str, str]]:
    """The portal's pages for `producer`: lists, and the detail pages of its busiest product
    and newest order."""
    from django.db.models import Count

    from backend.order.models import Order

    product = producer.products.annotate(n=Count("variants")).order_by("-n", "pk").first()
    order = (
        Order.objects.filter(lines__variant__product__producer=producer)
        .order_by("-created_at")
        .first()
    )
    certification = producer.certifications.order_by("pk").first()
    return [
        ("dashboard", "/portal/"),
        ("products", "/portal/san-pham/"),
        ("product", f"/portal/san-pham/{product.pk}/"),
        ("photos", f"/portal/san-pham/{product.pk}/anh/"),
        ("stock", f"/portal/san-pham/{product.pk}/ton-kho/"),
        ("orders", "/portal/don-hang/"),
        ("order", f"/portal/don-hang/{order.number}/"),
        ("certificates", "/portal/chung-nhan/"),
        ("certificate", f"/portal/chung-nhan/{certification.pk}/"),
        ("business", "/portal/co-so/"),
    ]


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from backend.wsgi import application

    prepare()
    producers = {label: bench_producer(label, size) for label, size in SIZES.items()}
    print(f"\nProducer portal; N={RUNS} after {WARM_UP} warm-up runs, in process (WSGI)\n")
    header = (
        f"{'page':<16} {'SQL, 10 products':>17} {'SQL, 1,000':>11} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'KB':>6}"
    )
    print(header)
    print("-" * len(header))
    host_speed = host_speed_ms()
    cookies = {label: session_cookie(user) for label, (_producer, user) in producers.items()}
    growing = False
    small_pages = pages(producers["small"][0])
    large_pages = pages(producers["large"][0])
    for (label, small_path), (_label, large_path) in zip(small_pages, large_pages, strict=True):
        small = measure(application, cookies["small"], small_path)
        large = measure(application, cookies["large"], large_path)
        print(
            f"{label:<16} {small['queries']:>17} {large['queries']:>11} "
            f"{large['p50']:>8.1f} {large['p95']:>8.1f} {large['bytes'] / 1024:>6.0f}"
        )
        # One more query is allowed: a list that is empty for the small producer (no order
        # today, say) skips the query that would read its rows' details.
        growing |= large["queries"] > small["queries"] + 1
    print("\npromise: the SQL queries per page do not grow from 10 to 1,000 products")
    print(host_speed_line(host_speed))
    return 1 if growing else 0


if __name__ == "__main__":
    sys.exit(main())

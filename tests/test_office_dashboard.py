"""The office dashboard (/admin/dashboard/, backend/ocop/dashboard.py): every figure equals a
direct count over generated data, worked out here row by row with the badge rule's and the
availability rule's Python halves; the page costs the same queries for 5 or 50 products; each
table downloads as CSV and XLSX; only staff get in."""

import csv
import io
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from backend.account.models import User
from backend.ocop import dashboard
from backend.ocop.dashboard_admin import TABLES, Report
from backend.ocop.models import (
    Certification,
    CertificationStatus,
    IssuerLevel,
    Producer,
    ProducerType,
    ProductGroup,
    Province,
    VerificationStatus,
)
from backend.order.models import Order, OrderLine, OrderStatus
from backend.product.models import Product, ProductVariant
from backend.warehouse.availability import free_units, selling_stocks
from backend.warehouse.models import Stock
from tests.order_factory import create_order
from tests.storefront_data import Shop
from tests.test_admin_console import untranslated

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = dashboard.Period.last_days(30, TODAY)
DASHBOARD = "/admin/dashboard/"


def _province(index):
    province = Province.objects.order_by("code")[index : index + 1].first()
    return province or Province.objects.create(
        code=f"9{index}", name=f"Tỉnh {index}", slug=f"tinh-{index}"
    )


def _certify(product, stars, valid_from, valid_until=None, **fields):
    return Certification.objects.create(
        product=product,
        producer=product.producer,
        stars=stars,
        product_group=ProductGroup.FOOD,
        decision_number=f"{product.pk}-{stars}-{valid_from}",
        decision_date=valid_from,
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh",
        valid_from=valid_from,
        valid_until=valid_until,
        verification_status=fields.pop("verification_status", VerificationStatus.VERIFIED),
        **fields,
    )


def _order(shop, lines, *, days_ago=0, status=None):
    order = create_order(shop.channel, lines)
    changes = {"created_at": timezone.now() - timedelta(days=days_ago)}
    if status:
        changes["status"] = status
    Order.objects.filter(pk=order.pk).update(**changes)
    return order


def build(extra_products=0):
    """Producers in three provinces; products with 3★, 4★, 5★ and no badge (revoked, pending,
    expired); an expiring certification; stock-outs; orders in and out of the period, a cancelled
    and a draft one. `extra_products` more products spread over the producers."""
    shop = Shop()
    group = shop.category("Thực phẩm", "thuc-pham")
    month_ago = TODAY - timedelta(days=30)
    producers = [shop.producer] + [
        Producer.objects.create(
            name=f"HTX {index}",
            slug=f"htx-{index}",
            legal_type=ProducerType.COOPERATIVE,
            province=_province(index),
            verification_status=VerificationStatus.VERIFIED,
        )
        for index in (1, 2, 3)
    ]
    Producer.objects.create(  # a producer without products
        name="Hộ Bà Lan",
        slug="ho-ba-lan",
        legal_type=ProducerType.HOUSEHOLD_BUSINESS,
        province=_province(2),
    )
    products = []

    def product(producer, quantity=10, price=125_000):
        made = shop.product(
            f"Sản phẩm {len(products)}", f"san-pham-{len(products)}", group, price, quantity
        )
        Product.objects.filter(pk=made.pk).update(producer=producer)
        made.producer = producer
        products.append(made)
        return made

    _certify(product(producers[0]), 5, month_ago)
    _certify(product(producers[0]), 3, month_ago, TODAY + timedelta(days=20))  # expiring
    _certify(product(producers[1]), 4, month_ago, TODAY + timedelta(days=89))  # expiring
    _certify(product(producers[1]), 4, month_ago, TODAY + timedelta(days=200))
    _certify(product(producers[2]), 5, month_ago, status=CertificationStatus.REVOKED)
    _certify(product(producers[2]), 3, month_ago, verification_status=VerificationStatus.PENDING)
    _certify(product(producers[3], quantity=0), 4, month_ago - timedelta(days=2000))  # lapsed
    sold_out = product(producers[3], quantity=2)
    untracked = product(producers[3], quantity=0)
    ProductVariant.objects.filter(product=untracked).update(track_inventory=False)
    loose = shop.product("Không chủ thể", "khong-chu-the", group)
    Product.objects.filter(pk=loose.pk).update(producer=None)

    def add_products(count):
        for index in range(count):
            made = product(producers[index % len(producers)], quantity=index % 3)
            if index % 4 == 0:
                _certify(made, 3 + index % 3, month_ago)

    add_products(extra_products)

    def variant(made):
        return made.variants.get()

    _order(shop, [(variant(products[0]), 2), (variant(products[2]), 1)], days_ago=1)
    _order(shop, [(variant(products[2]), 3)], days_ago=29)
    _order(shop, [(variant(sold_out), 2)], days_ago=3)  # allocates its last two units
    _order(shop, [(variant(products[1]), 1)], days_ago=45)  # before the period
    _order(shop, [(variant(products[0]), 5)], days_ago=2, status=OrderStatus.CANCELED)
    _order(shop, [(variant(products[3]), 4)], days_ago=2, status=OrderStatus.DRAFT)
    shop.add_products = add_products
    shop.sold_out = sold_out
    return shop


def expected_badges():
    """{product id: badge stars} by the badge rule's Python half."""
    badges = Certification.objects.badges_for_products(
        Product.objects.values_list("pk", flat=True), TODAY
    )
    return {pk: certification.stars for pk, certification in badges.items()}


def test_counts_by_province_and_stars_equal_direct_counts():
    build(extra_products=12)
    badges = expected_badges()
    producers = Counter(Producer.objects.values_list("province__name", flat=True))
    products, stars = Counter(), defaultdict(Counter)
    star_producers = defaultdict(set)
    for product in Product.objects.select_related("producer__province"):
        badge = badges.get(product.pk)
        star_producers[badge].add(product.producer_id)
        if product.producer is None:
            continue
        products[product.producer.province.name] += 1
        if badge:
            stars[product.producer.province.name][badge] += 1

    catalogue = dashboard.catalogue(TODAY)
    rows = catalogue.provinces
    assert {row.province: row.producers for row in rows} == dict(producers)
    assert {row.province: row.products for row in rows if row.products} == dict(products)
    assert {row.province: {k: v for k, v in row.stars.items() if v} for row in rows} == {
        name: dict(stars[name]) for name in producers
    }

    counted = Counter(badges.get(pk) for pk in Product.objects.values_list("pk", flat=True))
    by_stars = catalogue.stars
    assert [row.stars for row in by_stars] == [5, 4, 3, None]
    for row in by_stars:
        assert row.products == counted[row.stars]
        assert row.producers == len(star_producers[row.stars] - {None})
    assert sum(row.products for row in by_stars) == Product.objects.count()


def test_sales_equal_direct_sums_over_the_period():
    build()
    start, end = PERIOD.bounds()
    by_producer, by_province = defaultdict(Counter), defaultdict(Counter)
    orders_of, province_orders = defaultdict(set), defaultdict(set)
    for line in OrderLine.objects.select_related("order", "variant__product__producer__province"):
        order = line.order
        if order.status in dashboard.NOT_SALES or not start <= order.created_at < end:
            continue
        producer = line.variant.product.producer
        for totals, ids, key in (
            (by_producer, orders_of, producer.name),
            (by_province, province_orders, producer.province.name),
        ):
            totals[key]["units"] += line.quantity
            totals[key]["revenue"] += line.total_price_amount
            ids[key].add(order.pk)

    assert by_producer  # the generated orders do fall in the period
    assert {
        row.name: (row.orders, row.units, row.revenue)
        for row in dashboard.sales_by_producer(PERIOD)
    } == {
        name: (len(orders_of[name]), totals["units"], totals["revenue"])
        for name, totals in by_producer.items()
    }
    assert {
        row.name: (row.orders, row.units, row.revenue)
        for row in dashboard.sales_by_province(PERIOD)
    } == {
        name: (len(province_orders[name]), totals["units"], totals["revenue"])
        for name, totals in by_province.items()
    }
    # The cancelled, the draft and the earlier order are not sales; 125.000 ₫ a unit.
    assert sum(row.units for row in dashboard.sales_by_producer(PERIOD)) == 8
    assert sum(row.revenue for row in dashboard.sales_by_province(PERIOD)) == 8 * 125_000


def test_expiring_without_badge_and_stock_outs_equal_direct_counts():
    build(extra_products=6)
    horizon = TODAY + timedelta(days=90)
    expiring = [
        c.pk
        for c in Certification.objects.order_by("valid_until", "pk")
        if c.status == CertificationStatus.VALID
        and c.verification_status == VerificationStatus.VERIFIED
        and c.valid_from <= TODAY <= c.valid_until <= horizon
    ]
    assert len(expiring) >= 2
    assert [c.pk for c in dashboard.expiring_certifications(TODAY)] == expiring

    with_badge = {
        c.producer_id
        for c in Certification.objects.all()
        if c.status == CertificationStatus.VALID
        and c.verification_status == VerificationStatus.VERIFIED
        and c.valid_from <= TODAY <= c.valid_until
    }
    without = dashboard.producers_without_badge(TODAY)
    assert {p.pk for p in without} == set(
        Producer.objects.values_list("pk", flat=True)
    ) - with_badge
    for producer in without:
        assert producer.product_count == producer.products.count()
        assert (
            producer.pending_count
            == producer.certifications.filter(
                verification_status=VerificationStatus.PENDING
            ).count()
        )

    stocks = list(selling_stocks())
    free = free_units(stocks)
    sellable = defaultdict(int)
    for stock in stocks:
        sellable[stock.product_variant_id] += free[stock.pk]
    out = {
        product.pk
        for product in Product.objects.prefetch_related("variants")
        if product.variants.all()
        and not any(
            not variant.track_inventory or sellable[variant.pk] > 0
            for variant in product.variants.all()
        )
    }
    assert len(out) >= 2  # the one with no stock and the one whose last units were ordered
    assert {p.pk for p in dashboard.stock_outs()} == out
    assert Stock.objects.filter(quantity=0).exists()


@pytest.fixture
def office(db):
    user = User.objects.create_user("van.phong@ocop.example", "mat-khau-dai-123", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_every_table_in_vietnamese_with_charts(office):
    build()
    office.cookies["django_language"] = "vi"
    index = office.get("/admin/").content.decode()
    assert DASHBOARD in index
    response = office.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    for key in TABLES:
        assert f'id="{key}"' in page
        assert f"/admin/dashboard/{key}.xlsx?start={PERIOD.start}&amp;end={PERIOD.end}" in page
    assert "Doanh số theo tỉnh" in page
    assert "250.000 ₫" in page  # two units of products[0] in the period
    assert "<svg" in page and "<rect" in page
    assert f'nonce="{response.wsgi_request.csp_nonce}"' in page

    office.cookies["django_language"] = "en"
    assert "Sales by province" in office.get(DASHBOARD).content.decode()
    assert untranslated(office, DASHBOARD) == set()


def _units_shown(response):
    table = next(t for t in response.context["tables"] if t["key"] == "sales-provinces")
    return sum(row["cells"][2]["text"] for row in table["rows"])


def test_the_period_is_chosen_in_the_form(office):
    build()
    assert _units_shown(office.get(DASHBOARD)) == 8  # the last 30 days
    sixty_days = {"start": TODAY - timedelta(days=59), "end": TODAY}
    assert _units_shown(office.get(DASHBOARD, sixty_days)) == 9
    wrong = office.get(DASHBOARD, {"start": TODAY, "end": TODAY - timedelta(days=1)})
    assert wrong.status_code == 200
    assert wrong.context["period"] == dashboard.Period.last_days()
    assert wrong.context["form"].errors


def test_the_page_costs_the_same_queries_for_5_or_50_products(office):
    generated = build(extra_products=5)
    counts = []
    for more in (0, 45):
        generated.add_products(more)
        with CaptureQueriesContext(connection) as queries:
            assert office.get(DASHBOARD).status_code == 200
        counts.append(len(queries))
    assert Product.objects.count() > 50
    assert counts[0] == counts[1] <= 15, counts


@pytest.mark.parametrize("key", list(TABLES))
def test_each_table_downloads_as_csv_and_xlsx(office, key):
    build(extra_products=3)
    expected = [list(row) for row in TABLES[key].rows(Report(PERIOD))]
    assert expected or key in {"sales-producers"}  # every table has rows on this data
    headings = TABLES[key].headings()

    response = office.get(f"/admin/dashboard/{key}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [headings] + [[str(value) for value in row] for row in expected]

    response = office.get(f"/admin/dashboard/{key}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == headings
    assert [
        [
            value.date() if hasattr(value, "date") and callable(value.date) else value
            for value in row
        ]
        for row in cells[1:]
    ] == expected


def test_names_that_look_like_formulas_stay_names(office):
    shop = build()
    name = '=HYPERLINK("http://evil.example","x")'
    Product.objects.filter(pk=shop.sold_out.pk).update(name=name)
    rows = list(
        csv.reader(
            io.StringIO(office.get("/admin/dashboard/stock-outs.csv").content.decode("utf-8-sig"))
        )
    )
    assert ["'" + name] in [row[:1] for row in rows]
    sheet = load_workbook(io.BytesIO(office.get("/admin/dashboard/stock-outs.xlsx").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == name]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_unknown_export_is_not_found(office):
    assert office.get("/admin/dashboard/nothing.csv").status_code == 404
    assert office.get("/admin/dashboard/stars.pdf").status_code == 404


@pytest.mark.parametrize("url", [DASHBOARD, "/admin/dashboard/stars.csv"])
def test_only_staff_get_in(url):
    customer = User.objects.create_user("khach@example.com", "mat-khau-dai-123")
    client = Client()
    client.force_login(customer)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Client().get(url).status_code == 302

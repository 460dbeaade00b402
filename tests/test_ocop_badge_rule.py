"""One star badge rule (`Certification.objects`, backend/ocop/models.py): the badge a product
shows is its best valid, verified certification in force that day. The listing index writes the
same rule in SQL (migration product/0004); every reader agrees with the Python rule."""

from datetime import date, timedelta

import pytest
from django.db.models import Case, F, When
from django.utils import timezone

from backend.ocop.models import (
    Certification,
    CertificationStatus,
    IssuerLevel,
    ProductGroup,
    VerificationStatus,
)
from backend.product.listing_index import badge_shown_q
from backend.product.models import Product, ProductListingIndex
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _certify(shop, product, stars, valid_from, valid_until=None, **fields):
    return Certification.objects.create(
        product=product,
        producer=shop.producer,
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


@pytest.fixture
def products():
    """A product for each case the rule decides, keyed by the badge it must show (or None)."""
    shop = Shop()
    group = shop.category("Thực phẩm", "thuc-pham")
    month_ago, in_a_year = TODAY - timedelta(days=30), TODAY + timedelta(days=365)
    cases = {}

    def product(name, expected):
        made = shop.product(name, f"san-pham-{len(cases)}", group)
        cases[made.pk] = expected
        return made

    product("No certification", None)
    _certify(shop, product("Valid 4 stars", 4), 4, month_ago)
    best = product("Best of several", 5)
    _certify(shop, best, 3, month_ago)
    _certify(shop, best, 5, month_ago)
    _certify(shop, best, 4, month_ago)
    revoked = product("Revoked", None)
    _certify(shop, revoked, 5, month_ago, status=CertificationStatus.REVOKED)
    expired = product("Expired by the nightly task", None)
    _certify(shop, expired, 4, date(2019, 1, 1), status=CertificationStatus.EXPIRED)
    _certify(shop, product("Past its last day", None), 4, date(2019, 1, 1), date(2022, 1, 1))
    _certify(
        shop,
        product("Awaiting verification", None),
        5,
        month_ago,
        verification_status=VerificationStatus.PENDING,
    )
    _certify(
        shop,
        product("Rejected", None),
        5,
        month_ago,
        verification_status=VerificationStatus.REJECTED,
    )
    _certify(shop, product("Starts next year", None), 5, in_a_year)
    last_day = product("Its last day is today", 3)
    _certify(shop, last_day, 3, date(2020, 1, 1), TODAY)
    lesser = product("A lesser one still valid", 3)
    _certify(shop, lesser, 5, month_ago, status=CertificationStatus.REVOKED)
    _certify(shop, lesser, 3, month_ago)
    return cases


def test_the_badge_is_the_best_valid_verified_certification(products):
    badges = Certification.objects.badges_for_products(products, TODAY)
    assert {pk: getattr(badges.get(pk), "stars", None) for pk in products} == products


def test_the_sql_badge_expression_agrees(products):
    shown = Product.objects.annotate(badge=Certification.objects.badge_stars(TODAY))
    assert dict(shown.filter(pk__in=products).values_list("pk", "badge")) == products
    certified = Product.objects.filter(Certification.objects.badge_exists(TODAY))
    assert set(certified.values_list("pk", flat=True)) == {
        pk for pk, stars in products.items() if stars
    }


def test_the_listing_index_stores_the_same_badge(products):
    rows = ProductListingIndex.objects.filter(product_id__in=products).annotate(
        shown=Case(When(badge_shown_q(TODAY), then=F("badge_stars")))
    )
    assert dict(rows.values_list("product_id", "shown")) == products


def test_a_badge_ends_after_its_last_day_for_every_reader(products):
    """Read-time check: no write happens when a certification's last day passes."""
    tomorrow = TODAY + timedelta(days=1)
    last_day = Product.objects.get(name="Its last day is today").pk
    assert last_day not in Certification.objects.badges_for_products([last_day], tomorrow)
    shown = Product.objects.annotate(badge=Certification.objects.badge_stars(tomorrow))
    assert shown.get(pk=last_day).badge is None
    rows = ProductListingIndex.objects.filter(product_id=last_day)
    assert rows.exists() and not rows.filter(badge_shown_q(tomorrow)).exists()

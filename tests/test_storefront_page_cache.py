"""Anonymous visitors get the shop's pages from the page cache (storefront/page_cache.py): no
SQL on a hit, yet their own CSRF token and CSP nonce, fresh prices at once, and nothing of one
visitor's session shown to another."""

import re

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.checkout.models import Checkout
from backend.demo.content import ensure_pages
from backend.ocop.models import VerificationStatus
from backend.product.models import ProductVariantChannelListing
from backend.product.pricing import update_discounted_prices
from storefront.session_cart import SESSION_KEY
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
NONCE_SCRIPT = re.compile(r'<script nonce="([^"]+)">')


@pytest.fixture
def page_cache_on(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    cache.delete("catalogue:version")  # no entry of an earlier test is read


@pytest.fixture
def shop(page_cache_on):
    shop = Shop()
    shop.producer.verification_status = VerificationStatus.VERIFIED
    shop.producer.verified_at = timezone.now()
    shop.producer.save()
    food = shop.category("Thực phẩm", "thuc-pham")
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", food, price=125_000)
    shop.product("Mắm tôm", "mam-tom", food, price=60_000)
    return shop


@pytest.fixture
def product_url(shop):
    return reverse("storefront:product", args=["nuoc-mam-cua-lo"])


def _pages(shop):
    ensure_pages()
    return [
        reverse("storefront:home"),
        reverse("storefront:category", args=["thuc-pham"]),
        reverse("storefront:products") + "?sort=price-asc",
        reverse("storefront:product", args=["mam-tom"]),
        reverse("storefront:search") + "?q=mam",
        reverse("storefront:provinces"),
        reverse("storefront:province", args=[shop.province.slug]),
        reverse("storefront:producer", args=[shop.producer.slug]),
        reverse("storefront:page", args=["gioi-thieu"]),
        reverse("storefront:about_ocop"),
    ]


def test_every_shop_page_asked_again_is_served_without_sql(shop, django_assert_num_queries):
    client = Client()
    for url in _pages(shop):
        first = client.get(url)
        assert (first.status_code, first["X-Cache"]) == (200, "miss"), url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert (again.status_code, again["X-Cache"]) == (200, "hit"), url
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Content-Language"] == "vi"
        assert _without_tokens(again) == _without_tokens(first)


def test_the_same_query_in_another_order_is_the_same_page(shop, client):
    products = reverse("storefront:products")
    assert client.get(f"{products}?sort=price-asc&in_stock=1")["X-Cache"] == "miss"
    assert client.get(f"{products}?in_stock=1&sort=price-asc")["X-Cache"] == "hit"
    assert client.get(f"{products}?in_stock=1&sort=price-desc")["X-Cache"] == "miss"


def test_a_cached_page_gives_each_visitor_a_token_their_cart_form_accepts(page_cache_on, variant):
    product_url = reverse("storefront:product", args=[variant.product.slug])
    assert Client().get(product_url)["X-Cache"] == "miss"

    buyer = Client(enforce_csrf_checks=True)
    page = buyer.get(product_url)
    assert page["X-Cache"] == "hit"
    assert "csrftoken" in page.cookies  # the new visitor's CSRF cookie is set
    tokens = set(CSRF_FIELD.findall(page.content.decode()))
    assert len(tokens) == 1  # the cart form and the language switcher: this visitor's token

    added = buyer.post(
        reverse("storefront:cart_add"),
        {"variant": variant.pk, "quantity": "2", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert added.status_code == 302 and added["Location"] == reverse("storefront:cart")
    line = Checkout.objects.get(pk=buyer.session[SESSION_KEY]).lines.get()
    assert (line.variant, line.quantity) == (variant, 2)


def test_a_hit_carries_this_requests_nonce_in_header_and_body(shop, settings, tmp_path):
    overrides = tmp_path / "templates" / "storefront"
    overrides.mkdir(parents=True)
    (overrides / "home.html").write_text(
        '{% extends "storefront/base.html" %}{% block head %}'
        '<script nonce="{{ request.csp_nonce }}">document.documentElement.dataset.js = 1;</script>'
        '<style nonce="{{ request.csp_nonce }}">.js{}</style>{% endblock %}'
        "{% block content %}<h1>OCOP</h1>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    client = Client()
    first = client.get("/")
    assert first["X-Cache"] == "miss"
    second = client.get("/")
    assert second["X-Cache"] == "hit"

    first_nonce = NONCE_SCRIPT.search(first.content.decode())[1]
    nonce = NONCE_SCRIPT.search(second.content.decode())[1]
    assert nonce != first_nonce
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert second.content.decode().count(f'nonce="{nonce}"') == 2
    assert first_nonce not in second.content.decode()


def test_a_new_price_shows_at_once(shop, product_url, django_capture_on_commit_callbacks):
    client = Client()
    client.get(product_url)
    assert client.get(product_url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        price = ProductVariantChannelListing.objects.get(variant__product__slug="nuoc-mam-cua-lo")
        price.price_amount = 99_000
        price.save()
        update_discounted_prices([price.variant.product_id])

    page = client.get(product_url)
    assert page["X-Cache"] == "miss"
    assert "99.000 ₫" in page.content.decode()
    assert "125.000 ₫" not in page.content.decode()


def test_a_visitor_with_a_cart_is_never_served_nor_stored(page_cache_on, variant):
    product_url = reverse("storefront:product", args=[variant.product.slug])
    assert Client().get(product_url)["X-Cache"] == "miss"  # stored for anonymous visitors
    buyer = Client()
    buyer.post(reverse("storefront:cart_add"), {"variant": variant.pk, "quantity": "2"})

    for _ in range(2):
        page = buyer.get(product_url)
        assert "X-Cache" not in page
        assert '<span class="cart-count">2</span>' in page.content.decode()
    anonymous = Client().get(product_url)
    assert anonymous["X-Cache"] == "hit"
    assert '<span class="cart-count">0</span>' in anonymous.content.decode()


def test_a_signed_in_visitor_is_never_served_nor_stored(shop, product_url, customer_user):
    Client().get(product_url)  # stored for anonymous visitors
    member = Client()
    member.force_login(customer_user)
    for _ in range(2):
        page = member.get(product_url)
        assert "X-Cache" not in page
        assert reverse("storefront:account") in page.content.decode()
    assert Client().get(product_url)["X-Cache"] == "hit"


def test_each_language_has_its_own_entry(shop, settings):
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    vietnamese = Client(HTTP_ACCEPT_LANGUAGE="en")  # the shop reads only the chosen language

    assert vietnamese.get("/")["X-Cache"] == "miss"
    first = english.get("/")
    assert first["X-Cache"] == "miss"
    again = english.get("/")
    assert again["X-Cache"] == "hit" and again["Content-Language"] == "en"
    assert '<html lang="en">' in again.content.decode()
    page = vietnamese.get("/")
    assert page["X-Cache"] == "hit" and '<html lang="vi">' in page.content.decode()


def test_not_found_pages_and_posts_are_not_stored(shop, client):
    missing = reverse("storefront:product", args=["khong-co"])
    for _ in range(2):
        page = client.get(missing)
        assert (page.status_code, page["X-Cache"]) == (404, "miss")

    posted = client.post("/")
    assert "X-Cache" not in posted
    assert client.get("/")["X-Cache"] == "miss"


class RemembersTheLastPage:
    """A step inside the page cache that writes to the session, as a view could."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session["last_page"] = request.path
        return self.get_response(request)


class SaysWelcome:
    """A step inside the page cache that adds a message, as a view could."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        messages.info(request, "Chào mừng!")
        return self.get_response(request)


@pytest.mark.parametrize("step", [RemembersTheLastPage, SaysWelcome])
def test_a_page_that_wrote_to_the_session_or_added_a_message_is_not_stored(
    shop, settings, product_url, step
):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.{step.__name__}"]
    writer = Client()
    assert writer.get(product_url)["X-Cache"] == "miss"

    settings.MIDDLEWARE = settings.MIDDLEWARE[:-1]
    assert Client().get(product_url)["X-Cache"] == "miss"


def _without_tokens(response) -> str:
    return CSRF_FIELD.sub("", response.content.decode())

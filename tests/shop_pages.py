"""A small shop with something on every page a buyer opens (a certified product with an
out-of-stock variant, the demo's content pages and footer menu, a nationwide delivery), and
helpers to read pages the way the SEO, content and accessibility tests do."""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

from django.test import Client
from django.utils import timezone

from backend.account.addresses import find_province
from backend.demo.content import ensure_menus, ensure_pages
from backend.order.models import Order
from backend.payment import gateways
from backend.product.models import (
    CategoryTranslation,
    ProductChannelListing,
    ProductTranslation,
)
from backend.shipping.models import ShippingZone
from tests.fixtures.checkout import _method
from tests.storefront_data import DESCRIPTION, Shop

HA_NOI = find_province("Hà Nội")
BA_DINH = HA_NOI.find_ward("Phường Ba Đình")


@dataclass
class ShopPages:
    shop: Shop
    product: object
    certification: object
    pages: dict
    shipping_method: object


def build_shop() -> ShopPages:
    shop = Shop()
    food = shop.category("Thực phẩm", "thuc-pham")
    CategoryTranslation.objects.create(category=food, language_code="en", name="Food")
    product = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", food, description=DESCRIPTION)
    ProductTranslation.objects.create(product=product, language_code="en", name="Cửa Lò fish sauce")
    shop.variant(product, "nuoc-mam-cua-lo-1l", "Chai 1 lít", 210_000, 0)
    certification = shop.certify(product, 4, valid_from=timezone.localdate() - timedelta(days=90))
    ProductChannelListing.objects.update(
        available_for_purchase_at=timezone.now() - timedelta(days=1)
    )
    pages = ensure_pages()
    ensure_menus({"thuc-pham": food}, ["thuc-pham"], pages)
    zone = ShippingZone.objects.create(name="Toàn quốc", countries=["VN"])
    zone.channels.add(shop.channel)
    zone.warehouses.add(shop.warehouse)
    method = _method(zone, shop.channel, "Giao hàng tiêu chuẩn", 30_000)
    return ShopPages(shop, product, certification, pages, method)


def add_to_cart(client: Client, variant, quantity=1):
    response = client.post("/gio-hang/them/", {"variant": variant.pk, "quantity": quantity})
    assert response["Location"] == "/gio-hang/"


def place_order(client: Client, shop_pages: ShopPages) -> Order:
    """A cash-on-delivery order for one bottle, placed through the checkout page."""
    add_to_cart(client, shop_pages.product.variants.order_by("pk").first())
    response = client.post(
        "/thanh-toan/",
        {
            "action": "place",
            "email": "khach.le@example.com",
            "full_name": "Nguyễn Thị Lan",
            "phone": "0912 345 678",
            "province": HA_NOI.code,
            "ward": BA_DINH.code,
            "street": "12 Phan Đình Phùng",
            "delivery": f"shipping:{shop_pages.shipping_method.pk}",
            "gateway": gateways.COD,
            "promo_code": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.order_by("pk").last()
    assert order is not None and response["Location"] == f"/don-hang/{order.token}/", response[
        "Location"
    ]
    return order


class HeadReader(HTMLParser):
    """The tags search engines and sharing previews read, and the page's h1 headings."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.meta: list[dict] = []
        self.json_ld: list = []
        self.h1_count = 0
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self._in_json_ld = False
        self._json_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
            if attrs.get("rel") == "stylesheet":
                self.stylesheets.append(attrs["href"])
        elif tag == "meta":
            self.meta.append(attrs)
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "script":
            if attrs.get("type") == "application/ld+json":
                self._in_json_ld, self._json_text = True, ""
            elif attrs.get("src"):
                self.scripts.append(attrs["src"])

    def handle_data(self, data):
        if self._in_json_ld:
            self._json_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_json_ld:
            self._in_json_ld = False
            self.json_ld.append(json.loads(self._json_text))

    def link(self, rel, **attrs) -> list[str]:
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and all(link.get(k) == v for k, v in attrs.items())
        ]

    def meta_content(self, key) -> list[str]:
        return [
            meta.get("content")
            for meta in self.meta
            if meta.get("property") == key or meta.get("name") == key
        ]

    def structured(self, kind) -> list[dict]:
        return [data for data in self.json_ld if data.get("@type") == kind]


def read(response) -> HeadReader:
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())

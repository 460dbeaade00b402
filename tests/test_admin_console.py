"""The office console (/admin/) speaks the clerk's language — Vietnamese first, English when chosen
with the language switch — and the order page is one a clerk can work in: phone, addresses,
payment method by name, history in sentences, fulfil / cancel / mark paid through the order
services, only with MANAGE_ORDERS."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from backend.account.models import User
from backend.ocop.models import Producer, Province
from backend.order.models import OrderEvents, OrderStatus
from backend.payment.gateways import COD
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order, grant

ORDERS = "/admin/order/order/"
# Labels that read the same in both languages (and the language switch).
SAME_IN_BOTH = {"ID", "Email", "SKU", "Webhook", "URL", "OCOP", "VI", "EN"}


class _Labels(HTMLParser):
    """The texts a clerk reads as labels: headings, column heads, form labels, action names."""

    TAGS = {"h1", "h2", "h3", "th", "label", "caption", "button", "option"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.in_actions = [], set(), False

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.in_actions = dict(attrs).get("name") == "action"
        if tag in self.TAGS and (tag != "option" or self.in_actions):
            self.stack.append([])

    def handle_endtag(self, tag):
        if tag == "option" and not self.in_actions:
            return
        if tag in self.TAGS and self.stack:
            text = " ".join("".join(self.stack.pop()).split()).rstrip(":").strip()
            if re.search(r"[^\W\d_]", text) and not re.search(r"\d", text):
                self.texts.add(text)

    def handle_data(self, data):
        if self.stack:
            self.stack[-1].append(data)


def labels(html: str) -> set[str]:
    parser = _Labels()
    parser.feed(html)
    return parser.texts


def untranslated(client, url) -> set[str]:
    """Labels shown in English on the Vietnamese page: the same text on the English page, all
    ASCII (Vietnamese labels carry diacritics)."""
    vietnamese = labels(get(client, url, "vi"))
    english = labels(get(client, url, "en"))
    return {t for t in vietnamese & english if t.isascii() and t not in SAME_IN_BOTH}


def get(client, url, language="vi") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def superuser_client(django_user_model):
    user = django_user_model.objects.create_superuser("admin@ocop.example", "Mat-khau-dai-1!")
    client = Client()
    client.force_login(user)
    return client


def _staff_client(email, *permissions):
    user = User.objects.create_user(email, "mat-khau-dai-123", is_staff=True)
    for codename in permissions:
        user = grant(user, "order", codename)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(db):
    """Office staff who handle orders (MANAGE_ORDERS)."""
    return _staff_client("thu.ky@ocop.example", "manage_orders")


@pytest.fixture
def viewer(db):
    """Staff who may look at orders but not handle them."""
    return _staff_client("xem.don@ocop.example", "view_order", "change_order")


@pytest.fixture
def order(channel_vn, variant):
    order = create_order(channel_vn, [(variant, 2)], address_data=VN_ADDRESS, gateway=COD)
    # As checkoutComplete records it.
    order.events.filter(type=OrderEvents.PLACED).update(parameters={"gateway": COD})
    return order


def test_index_is_the_office_console_in_vietnamese(superuser_client):
    page = get(superuser_client, "/admin/")
    assert "Bảng điều khiển văn phòng điều phối OCOP" in page
    assert "Trang quản trị cho Django" not in page
    assert "Quản trị Django" not in page
    for model in admin.site._registry:
        with translation.override("vi"):
            assert f">{capfirst(model._meta.verbose_name_plural)}<" in page, model
    assert "Addresss" not in page and "deliverys" not in page
    assert untranslated(superuser_client, "/admin/") == set()


def test_index_in_english_has_real_plurals(superuser_client):
    page = get(superuser_client, "/admin/", "en")
    assert "OCOP coordination office console" in page
    assert ">Addresses<" in page and ">Event deliveries<" in page and ">Orders<" in page
    assert "Addresss" not in page and "deliverys" not in page


def test_order_list_reads_in_vietnamese(superuser_client, order):
    page = get(superuser_client, ORDERS)
    assert ">Thanh toán khi nhận hàng (COD)<" in page
    assert ">ocop.payments.cod<" not in page
    assert "0912 345 678" in page
    assert "280.000 ₫" in page
    assert {"Số", "Trạng thái", "Tổng cộng", "Phương thức thanh toán"} <= labels(page)
    assert untranslated(superuser_client, ORDERS) == set()


def test_order_page_reads_like_a_clerks_page(superuser_client, order):
    superuser_client.post(f"{ORDERS}{order.pk}/mark-paid/")
    url = f"{ORDERS}{order.pk}/change/"
    page = get(superuser_client, url)
    assert '<a href="tel:+84912345678">0912 345 678</a>' in page
    assert "Nguyễn Lan<br>12 Phan Đình Phùng, Phường Ba Đình, Thành phố Hà Nội" in page
    assert "Thanh toán khi nhận hàng (COD)" in page
    assert "Đã đặt hàng, thanh toán bằng Thanh toán khi nhận hàng (COD)" in page
    assert "Nhân viên đã xác nhận thanh toán 280.000 ₫" in page
    assert "admin@ocop.example" in page  # who marked it paid
    assert '"gateway"' not in page and '"amount"' not in page  # no raw JSON
    assert "ocop.payments.cod" not in page
    assert untranslated(superuser_client, url) == set()

    english = get(superuser_client, url, "en")
    assert "Order placed, to be paid by Cash on delivery" in english
    assert "Marked as paid by staff: 280.000 ₫" in english


@pytest.mark.parametrize("url", ["/admin/ocop/producer/", "/admin/ocop/certification/"])
def test_ocop_office_pages_have_no_english_labels(superuser_client, url):
    Producer.objects.create(
        name="HTX Mật ong Hải Hậu",
        slug="htx-mat-ong-hai-hau",
        legal_type="cooperative",
        province=Province.objects.get(code="37"),
    )
    assert untranslated(superuser_client, url) == set()
    assert untranslated(superuser_client, f"{url}add/") == set()


def test_clerk_fulfils_selected_orders_through_the_service(clerk, order, variant):
    response = clerk.post(
        ORDERS, {"action": "fulfill_orders", ACTION_CHECKBOX_NAME: [str(order.pk)]}, follow=True
    )
    assert "Đã xuất kho 1 đơn hàng." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED
    assert order.lines.get().quantity_fulfilled == 2
    stock = variant.stocks.get()
    assert (stock.quantity, stock.quantity_allocated) == (8, 0)
    page = get(clerk, f"{ORDERS}{order.pk}/change/")
    assert f"Đã xuất kho 2 sản phẩm (lần giao {order.number}-1)" in page


def test_clerk_fulfils_from_the_order_page(clerk, order, variant):
    page = get(clerk, f"{ORDERS}{order.pk}/change/")
    assert "Xuất kho (giao toàn bộ)" in page and "Hủy đơn hàng" in page
    response = clerk.post(f"{ORDERS}{order.pk}/fulfill/", follow=True)
    assert f"Đã xuất kho đơn hàng #{order.number}." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED
    assert variant.stocks.get().quantity == 8
    # Shipped: it can be neither fulfilled again nor canceled.
    page = response.content.decode()
    assert "Xuất kho (giao toàn bộ)" not in page and "Hủy đơn hàng</button>" not in page
    again = clerk.post(f"{ORDERS}{order.pk}/cancel/", follow=True).content.decode()
    assert "Đơn hàng này không thể hủy được nữa." in again
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED


def test_clerk_cancels_and_marks_paid_from_the_order_page(clerk, channel_vn, variant, order):
    clerk.post(f"{ORDERS}{order.pk}/mark-paid/")
    order.refresh_from_db()
    assert order.is_paid
    other = create_order(channel_vn, [(variant, 1)], address_data=VN_ADDRESS)
    response = clerk.post(f"{ORDERS}{other.pk}/cancel/", follow=True)
    assert f"Đã hủy đơn hàng #{other.number}." in response.content.decode()
    other.refresh_from_db()
    assert other.status == OrderStatus.CANCELED
    assert variant.stocks.get().quantity_allocated == 2  # only the first order's units


def test_staff_without_manage_orders_cannot_fulfil(viewer, order, variant):
    page = get(viewer, f"{ORDERS}{order.pk}/change/")
    assert "Xuất kho (giao toàn bộ)" not in page
    assert 'value="fulfill_orders"' not in get(viewer, ORDERS)
    viewer.post(ORDERS, {"action": "fulfill_orders", ACTION_CHECKBOX_NAME: [str(order.pk)]})
    assert viewer.post(f"{ORDERS}{order.pk}/fulfill/").status_code == 403
    assert viewer.post(f"{ORDERS}{order.pk}/cancel/").status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED
    stock = variant.stocks.get()
    assert (stock.quantity, stock.quantity_allocated) == (10, 2)


def test_fulfilling_twice_says_why_and_changes_nothing(clerk, order, variant):
    clerk.post(f"{ORDERS}{order.pk}/fulfill/")
    response = clerk.post(
        ORDERS, {"action": "fulfill_orders", ACTION_CHECKBOX_NAME: [str(order.pk)]}, follow=True
    )
    message = f"#{order.number}: Chỉ có thể xuất kho các đơn hàng chưa giao xong."
    assert message in response.content.decode()
    assert variant.stocks.get().quantity == 8


def test_ocop_office_pages_read_in_english_when_chosen(superuser_client):
    Producer.objects.create(
        name="HTX Mật ong Hải Hậu",
        slug="htx-mat-ong-hai-hau",
        legal_type="cooperative",
        province=Province.objects.get(code="37"),
    )
    producers = get(superuser_client, "/admin/ocop/producer/", "en")
    assert "Verify selected producers" in producers
    assert "Verification status" in producers
    assert "Xác minh chủ thể đã chọn" not in producers
    certification = get(superuser_client, "/admin/ocop/certification/add/", "en")
    assert "Decision number" in certification and "Recognition decision" in certification
    assert "Số quyết định" not in certification


def test_webhook_form_has_no_english_labels(superuser_client):
    # The event codes (ORDER_CREATED...) are Saleor's names, the same in every language.
    left = untranslated(superuser_client, "/admin/webhook/webhook/add/")
    assert {label for label in left if not label.isupper()} == set()

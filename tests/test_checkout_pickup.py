"""Pick-up points: offered nearest first (same province, then region), named with their
province, never chosen for the buyer; the order page and the confirmation email say how the
order is handed over and paid (a pick-up paid by cash on delivery is paid at the point)."""

import pytest
from django.core import mail

from backend.core.ids import global_id
from backend.ocop.models import Province
from backend.order.models import Order
from backend.order.tasks import send_order_confirmation
from backend.payment import gateways
from backend.warehouse.models import ClickAndCollectOption, Stock, Warehouse
from tests.fixtures.checkout import SOUTH_ADDRESS_INPUT
from tests.test_checkout_flow import QUERY, SHIPPING_ADDRESS, run
from tests.test_storefront_checkout import HA_NOI, add, order_form, text

pytestmark = pytest.mark.django_db


def _showroom(channel, variant, name, province_slug, street):
    showroom = Warehouse.objects.create(
        name=name,
        slug=province_slug + "-" + str(Warehouse.objects.count()),
        is_private=False,
        click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK,
        street_address=street,
        ward="Phường Trung tâm",
        province=Province.objects.get(slug=province_slug),
    )
    showroom.channels.add(channel)
    Stock.objects.create(warehouse=showroom, product_variant=variant, quantity=5)
    return showroom


@pytest.fixture
def showrooms(channel_vn, variant):
    """Named so that alphabetical order is not nearest-first."""
    return {
        "ninh_binh": _showroom(
            channel_vn, variant, "Điểm bán OCOP Ninh Bình", "ninh-binh", "1 Lê Lợi"
        ),
        "sai_gon": _showroom(
            channel_vn, variant, "Cửa hàng OCOP Sài Gòn", "ho-chi-minh", "5 Lê Duẩn"
        ),
        "ha_noi": _showroom(channel_vn, variant, "Showroom OCOP Hà Nội", "ha-noi", "2 Tràng Tiền"),
    }


def _collection_points(api_client, checkout):
    seen = run(api_client, QUERY, {"id": global_id("Checkout", checkout.pk)}, "checkout")
    return [point["name"] for point in seen["availableCollectionPoints"]]


def test_api_lists_pick_up_points_nearest_to_the_address_first(api_client, checkout, showrooms):
    # The checkout's address is in Hà Nội: its showroom, then the Red River Delta's, then the rest.
    assert _collection_points(api_client, checkout) == [
        "Showroom OCOP Hà Nội",
        "Điểm bán OCOP Ninh Bình",
        "Cửa hàng OCOP Sài Gòn",
    ]
    run(
        api_client,
        SHIPPING_ADDRESS,
        {"id": global_id("Checkout", checkout.pk), "address": SOUTH_ADDRESS_INPUT},
        "checkoutShippingAddressUpdate",
    )
    assert _collection_points(api_client, checkout)[0] == "Cửa hàng OCOP Sài Gòn"


@pytest.fixture
def buyer(client, variant, shipping_zones):
    add(client, variant)
    return client


def _checked(body) -> list[str]:
    import re

    return re.findall(r'value="([a-z]+:\d+)" checked', body)


def test_shop_never_preselects_a_pick_up_point(buyer, shipping_zones, showrooms):
    # Before the province is known only pick-up points apply: none is chosen for the buyer.
    first = text(buyer.get("/thanh-toan/"))
    assert "Nhận hàng tại Điểm bán OCOP Ninh Bình (Ninh Bình)" in first
    assert _checked(first) == []

    # The province chosen: the cheapest shipping is, the Hà Nội showroom is offered first.
    body = text(buyer.post("/thanh-toan/", order_form(action="refresh", delivery="")))
    assert _checked(body) == [f"shipping:{shipping_zones['standard'].pk}"]
    points = [body.index(showroom.name) for showroom in showrooms.values()]
    assert body.index("Showroom OCOP Hà Nội") == min(points)
    assert body.index("Cửa hàng OCOP Sài Gòn") == max(points)
    assert "280.000 ₫" in body  # 250.000 + 30.000 standard shipping, not a free pick-up

    # A pick-up the buyer chose stays chosen.
    chosen = f"pickup:{showrooms['ninh_binh'].pk}"
    body = text(buyer.post("/thanh-toan/", order_form(action="refresh", delivery=chosen)))
    assert _checked(body) == [chosen]


def test_pick_up_order_page_and_email_say_pay_at_the_point(buyer, showrooms):
    showroom = showrooms["ha_noi"]
    response = buyer.post("/thanh-toan/", order_form(delivery=f"pickup:{showroom.pk}"), follow=True)

    order = Order.objects.get()
    body = text(response)
    assert "Vui lòng thanh toán 250.000 ₫ bằng tiền mặt tại điểm nhận hàng" in body
    assert "nhân viên giao hàng" not in body
    assert "Nhận hàng tại Showroom OCOP Hà Nội" in body
    assert "2 Tràng Tiền, Phường Trung tâm, Hà Nội" in body
    assert "Nguyễn Thị Lan · +84912345678" in body
    assert "Trạng thái: <strong>Chưa xuất kho</strong>" in body

    assert send_order_confirmation(str(order.pk)) is True
    email = mail.outbox[-1].body
    assert "Quý khách vui lòng thanh toán tại điểm nhận hàng khi đến nhận hàng." in email
    assert "nhân viên giao hàng" not in email
    assert "Điểm nhận hàng: Showroom OCOP Hà Nội" in email
    assert "2 Tràng Tiền, Phường Trung tâm, Hà Nội" in email


def test_shipped_order_page_and_email_say_pay_the_courier(buyer, shipping_zones):
    response = buyer.post(
        "/thanh-toan/",
        order_form(delivery=f"shipping:{shipping_zones['standard'].pk}"),
        follow=True,
    )

    order = Order.objects.get()
    body = text(response)
    assert "Thanh toán 280.000 ₫ bằng tiền mặt cho nhân viên giao hàng" in body
    assert "điểm nhận hàng" not in body
    assert "Nguyễn Thị Lan · +84912345678" in body
    assert "12 Phan Đình Phùng, Phường Ba Đình, " + HA_NOI.name in body
    assert "Trạng thái: <strong>Chưa xuất kho</strong>" in body
    send_order_confirmation(str(order.pk))
    assert "thanh toán cho nhân viên giao hàng" in mail.outbox[-1].body


def test_vietqr_pick_up_is_not_paid_at_the_point(buyer, showrooms):
    showroom = showrooms["ha_noi"]
    buyer.post(
        "/thanh-toan/",
        order_form(gateway=gateways.VIETQR, delivery=f"pickup:{showroom.pk}"),
    )

    order = Order.objects.get()
    body = text(buyer.get(f"/don-hang/{order.token}/"))
    assert "tại điểm nhận hàng" not in body
    assert "<svg" in body  # the transfer's QR code
    send_order_confirmation(str(order.pk))
    email = mail.outbox[-1].body
    assert "tại điểm nhận hàng khi đến nhận hàng" not in email
    assert "Điểm nhận hàng: Showroom OCOP Hà Nội" in email

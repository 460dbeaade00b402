"""Buying in the web shop with the Django test client: cart in the session, checkout form that
changes nothing on error, COD and VietQR orders with their confirmation pages."""

import re

import pytest
from django.test import Client

from backend.account.addresses import find_province
from backend.checkout.models import Checkout
from backend.order.models import Order
from backend.payment import gateways
from backend.warehouse.models import Reservation, Stock
from storefront.session_cart import SESSION_KEY

pytestmark = pytest.mark.django_db

HA_NOI = find_province("Hà Nội")
BA_DINH = HA_NOI.find_ward("Phường Ba Đình")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def add(client, variant, quantity=2, **extra):
    return client.post(
        "/gio-hang/them/", {"variant": variant.pk, "quantity": quantity, **extra}, follow=True
    )


def order_form(**changes):
    form = {
        "action": "place",
        "email": "khach.le@example.com",
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "province": HA_NOI.code,
        "ward": BA_DINH.code,
        "street": "12 Phan Đình Phùng",
        "gateway": gateways.COD,
        "promo_code": "",
    }
    form.update(changes)
    return form


def cart_checkout(client) -> Checkout:
    return Checkout.objects.get(pk=client.session[SESSION_KEY])


@pytest.fixture
def buyer(client, variant, shipping_zones):
    """A buyer with 2 × nước mắm (125.000 ₫) in the cart."""
    add(client, variant)
    return client


def test_product_page_adds_to_cart_and_header_counts_units(client, variant):
    page = client.get(f"/san-pham/{variant.product.slug}/")
    assert 'action="/gio-hang/them/"' in text(page)
    assert 'class="cart-count">0<' in text(page)

    response = add(client, variant, quantity=2)

    assert response.redirect_chain[-1][0] == "/gio-hang/"
    body = text(response)
    assert "Nước mắm Phú Quốc" in body
    assert "250.000 ₫" in body
    assert 'class="cart-count">2<' in body
    checkout = cart_checkout(client)
    assert [(line.variant, line.quantity) for line in checkout.lines.all()] == [(variant, 2)]
    assert Reservation.objects.filter(checkout_line__checkout=checkout).get().quantity_reserved == 2

    add(client, variant, quantity=1)
    assert checkout.lines.get().quantity == 3


def test_adding_more_than_the_stock_is_refused_in_vietnamese(client, variant):
    response = add(client, variant, quantity=11)

    assert response.redirect_chain[-1][0] == f"/san-pham/{variant.product.slug}/"
    assert "Trong kho chỉ còn 10 sản phẩm" in text(response)
    assert "Nước mắm Phú Quốc" in text(response)
    assert not Checkout.objects.exists()
    assert SESSION_KEY not in client.session


def test_cart_quantity_update_stock_error_and_remove(buyer, variant):
    line = cart_checkout(buyer).lines.get()

    response = buyer.post("/gio-hang/cap-nhat/", {"line": line.pk, "quantity": 3}, follow=True)
    assert "375.000 ₫" in text(response)

    response = buyer.post("/gio-hang/cap-nhat/", {"line": line.pk, "quantity": 12}, follow=True)
    assert "Trong kho chỉ còn 10 sản phẩm" in text(response)
    line.refresh_from_db()
    assert line.quantity == 3

    response = buyer.post(
        "/gio-hang/cap-nhat/", {"line": line.pk, "quantity": 3, "remove": ""}, follow=True
    )
    assert 'class="cart-line"' not in text(response)
    assert not cart_checkout(buyer).lines.exists()


def test_cart_warns_about_lines_the_stock_no_longer_covers(buyer, variant):
    Stock.objects.filter(product_variant=variant).update(quantity=1)

    body = text(buyer.get("/gio-hang/"))

    warning = re.search(r'<p class="stock-warning" role="alert">([^<]*)</p>', body)
    assert warning is not None and "1" in warning.group(1)


def test_cart_page_costs_a_fixed_number_of_queries(
    client, make_product, shipping_zones, django_assert_max_num_queries
):
    for index in range(6):
        product = make_product(f"Sản phẩm {index}", f"san-pham-{index}", prices_vnd=(50_000,))
        add(client, product.variants.get(), quantity=1)
    assert cart_checkout(client).lines.count() == 6

    with django_assert_max_num_queries(10):
        response = client.get("/gio-hang/")
    assert text(response).count('class="cart-line"') == 6


def test_a_cart_belongs_to_its_session_only(buyer, variant):
    line = cart_checkout(buyer).lines.get()
    stranger = Client()

    response = stranger.post("/gio-hang/cap-nhat/", {"line": line.pk, "quantity": 0})

    assert response.status_code == 404
    assert line.__class__.objects.filter(pk=line.pk).exists()
    assert "Nước mắm Phú Quốc" not in text(stranger.get("/gio-hang/"))


def test_posts_need_the_csrf_token(variant):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/gio-hang/them/", {"variant": variant.pk, "quantity": 1})
    assert response.status_code == 403
    assert not Checkout.objects.exists()


def test_checkout_page_lists_provinces_deliveries_and_gateways(buyer):
    body = text(buyer.get("/thanh-toan/"))

    assert body.count("<option value=") >= 35  # the 34 provinces and the empty choice
    assert "Thành phố Hà Nội" in body
    assert "Thanh toán khi nhận hàng (COD)" in body
    assert "Chuyển khoản ngân hàng (VietQR)" in body
    assert "250.000 ₫" in body


def test_choosing_a_province_without_javascript_loads_wards_and_deliveries(buyer):
    response = buyer.post("/thanh-toan/", {**order_form(), "action": "refresh", "ward": ""})

    body = text(response)
    assert response.status_code == 200
    assert "Phường Ba Đình" in body
    assert "Giao hàng tiêu chuẩn" in body and "30.000 ₫" in body
    assert "Giao hàng tiết kiệm miền Nam" not in body
    assert "280.000 ₫" in body  # the cheapest delivery is preselected
    checkout = cart_checkout(buyer)
    assert checkout.shipping_address is None and checkout.email is None


def test_options_endpoint_returns_wards_deliveries_and_totals(buyer):
    response = buyer.get(
        "/thanh-toan/tuy-chon/",
        {"province": HA_NOI.code, "delivery": "", "promo_code": ""},
    )

    payload = response.json()
    assert {"code": BA_DINH.code, "name": "Phường Ba Đình"} in payload["wards"]
    assert "Giao hàng nhanh" in payload["deliveries"]
    assert "280.000 ₫" in payload["summary"]


def test_checkout_errors_rerender_the_form_and_change_nothing(buyer, shipping_zones):
    checkout = cart_checkout(buyer)

    response = buyer.post("/thanh-toan/", order_form(email="not-an-email", ward=""))
    assert response.status_code == 400
    body = text(response)
    assert "Vui lòng nhập địa chỉ email hợp lệ." in body
    assert 'value="12 Phan Đình Phùng"' in body  # what the buyer typed is kept

    response = buyer.post(
        "/thanh-toan/", order_form(delivery=f"shipping:{shipping_zones['south'].pk}")
    )
    assert response.status_code == 400
    assert "Phương thức giao hàng này không áp dụng được." in text(response)

    response = buyer.post("/thanh-toan/", order_form(promo_code="KHONGCO"))
    assert response.status_code == 400

    checkout.refresh_from_db()
    assert checkout.email is None
    assert checkout.shipping_address_id is None
    assert checkout.shipping_method_id is None
    assert checkout.voucher_code is None
    assert not checkout.payment_transactions.exists()
    assert not Order.objects.exists()


def test_placing_a_cash_on_delivery_order_allocates_stock(buyer, variant, shipping_zones):
    token = cart_checkout(buyer).pk

    response = buyer.post(
        "/thanh-toan/",
        order_form(delivery=f"shipping:{shipping_zones['standard'].pk}"),
        follow=True,
    )

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == f"/don-hang/{order.token}/"
    assert order.checkout_token == str(token)
    assert order.total_amount == 280_000
    assert order.payment_gateway == gateways.COD
    assert order.shipping_address.city == "Phường Ba Đình"
    assert order.shipping_address.phone == "+84912345678"
    assert (order.shipping_address.last_name, order.shipping_address.first_name) == (
        "Nguyễn",
        "Thị Lan",
    )
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2
    body = text(response)
    assert f"#{order.number}" in body
    assert "280.000 ₫" in body
    assert not Checkout.objects.filter(pk=token).exists()
    assert SESSION_KEY not in buyer.session
    assert 'class="cart-count">0<' in body


def test_pick_up_at_a_showroom_costs_nothing(buyer, showroom, showroom_stock):
    response = buyer.post("/thanh-toan/", order_form(delivery=f"pickup:{showroom.pk}"))

    order = Order.objects.get()
    assert response.status_code == 302
    assert order.collection_point == showroom
    assert order.total_amount == 250_000
    showroom_stock.refresh_from_db()
    assert showroom_stock.quantity_allocated == 2


def test_vietqr_confirmation_shows_the_qr_and_transfer_details(buyer, shipping_zones):
    response = buyer.post(
        "/thanh-toan/",
        order_form(gateway=gateways.VIETQR, delivery=f"shipping:{shipping_zones['express'].pk}"),
        follow=True,
    )

    order = Order.objects.get()
    assert order.payment_gateway == gateways.VIETQR
    assert order.total_amount == 305_000
    transfer = order.payment_transactions.get().private_metadata["initialize_data"]
    body = text(response)
    assert "<svg" in body
    assert transfer["transferMessage"] in body
    assert transfer["accountNumber"] in body
    assert "305.000 ₫" in body


def test_unknown_order_is_404(client):
    assert client.get("/don-hang/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_promo_code_is_previewed_then_used_by_the_order(buyer, channel_vn, shipping_zones):
    from backend.discount.models import Voucher

    voucher = Voucher.objects.create(code="TET2026", name="Tết", value=20_000, currency="VND")
    voucher.channels.add(channel_vn)

    preview = buyer.post("/thanh-toan/", order_form(action="refresh", promo_code="TET2026"))
    assert "260.000 ₫" in text(preview)  # 250.000 − 20.000 + 30.000
    assert cart_checkout(buyer).voucher_code is None  # a preview saves nothing

    buyer.post(
        "/thanh-toan/",
        order_form(promo_code="TET2026", delivery=f"shipping:{shipping_zones['standard'].pk}"),
    )

    order = Order.objects.get()
    assert (order.voucher_code, order.discount_amount, order.total_amount) == (
        "TET2026",
        20_000,
        260_000,
    )
    voucher.refresh_from_db()
    assert voucher.used == 1

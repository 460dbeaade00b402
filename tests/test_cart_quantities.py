"""Absurd quantities in the shop's cart and the API's lines mutations: a clear refusal (a
Vietnamese message in the shop, Saleor's error code in the API) that changes nothing, never a
server error."""

import pytest
from django.test import override_settings

from backend.checkout.models import Checkout, CheckoutLine
from backend.warehouse.models import Reservation, Stock
from tests.test_checkout_flow import LINES_ADD, LINES_UPDATE, variant_id
from tests.test_storefront_checkout import add, cart_checkout, text

pytestmark = pytest.mark.django_db

HUGE = "100000000000000000000000"  # 10²³


def cart_state():
    return (
        list(CheckoutLine.objects.values_list("variant_id", "quantity")),
        list(Reservation.objects.values_list("quantity_reserved", flat=True)),
        list(Stock.objects.values_list("quantity", "quantity_allocated")),
    )


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (HUGE, "Nước mắm Phú Quốc (Loại 1): Chỉ được mua tối đa 50 sản phẩm"),
        ("2147483648", "Nước mắm Phú Quốc (Loại 1): Chỉ được mua tối đa 50 sản phẩm"),
        ("-3", "Số lượng phải lớn hơn 0."),
        ("ba", "Vui lòng nhập số lượng."),
        ("1e3", "Vui lòng nhập số lượng."),
    ],
)
def test_a_bad_quantity_added_from_the_product_page_is_refused(client, variant, quantity, message):
    response = add(client, variant, quantity=quantity)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/san-pham/{variant.product.slug}/"
    assert message in text(response)
    assert not Checkout.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (HUGE, "Nước mắm Phú Quốc (Loại 1): Chỉ được mua tối đa 50 sản phẩm"),
        ("-1", "Số lượng phải lớn hơn hoặc bằng 0."),
        ("", "Vui lòng nhập số lượng."),
    ],
)
def test_a_bad_quantity_in_the_cart_is_refused_and_changes_nothing(
    client, variant, quantity, message
):
    add(client, variant, quantity=2)
    line = cart_checkout(client).lines.get()
    before = cart_state()

    response = client.post(
        "/gio-hang/cap-nhat/", {"line": line.pk, "quantity": quantity}, follow=True
    )

    assert response.status_code == 200
    assert message in text(response)
    assert cart_state() == before


def test_adding_to_a_line_past_the_limit_is_refused(client, variant):
    Stock.objects.filter(product_variant=variant).update(quantity=2_100_000_000)
    with override_settings(MAX_CHECKOUT_LINE_QUANTITY=0):  # no shop limit: the column's is left
        add(client, variant, quantity=2_000_000_000)
        before = cart_state()
        response = add(client, variant, quantity=2_000_000_000)

    assert before[0] == [(variant.pk, 2_000_000_000)]

    assert response.status_code == 200
    assert "Chỉ được mua tối đa" in text(response)
    assert cart_state() == before


@pytest.mark.parametrize(
    ("mutation", "name"), [(LINES_ADD, "checkoutLinesAdd"), (LINES_UPDATE, "checkoutLinesUpdate")]
)
def test_api_quantity_beyond_any_limit(api_client, checkout, variant, mutation, name):
    from backend.core.ids import global_id

    before = cart_state()
    variables = {"id": global_id("Checkout", checkout.pk)}

    for quantity in (2_147_483_647, 10**9):
        lines = [{"variantId": variant_id(variant), "quantity": quantity}]
        response = api_client.execute(mutation, {**variables, "lines": lines})
        assert "errors" not in response, response
        result = response["data"][name]
        assert [(e["code"], e["variants"]) for e in result["errors"]] == [
            ("QUANTITY_GREATER_THAN_LIMIT", [variant_id(variant)])
        ]
    # Beyond GraphQL's Int the request itself is invalid, as in Saleor: no data, a clear error.
    lines = [{"variantId": variant_id(variant), "quantity": 10**23}]
    response = api_client.execute(mutation, {**variables, "lines": lines})
    assert response.get("data") is None
    assert (
        "Int cannot represent non 32-bit signed integer value" in response["errors"][0]["message"]
    )
    assert cart_state() == before

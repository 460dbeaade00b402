"""Every refusal of the checkout API comes with Saleor's error code, the field and the variants
concerned — and a refused call changes nothing."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from backend.account.models import Address
from backend.checkout.models import Checkout, CheckoutLine
from backend.core.ids import global_id
from backend.order.models import Order
from backend.product.models import ProductChannelListing
from backend.warehouse.models import Reservation, Stock
from tests.fixtures.checkout import VN_ADDRESS_INPUT
from tests.test_checkout_flow import (
    BILLING_ADDRESS,
    COMPLETE,
    DELIVERY,
    EMAIL_UPDATE,
    LINES_ADD,
    LINES_UPDATE,
    SHIPPING_ADDRESS,
    create,
    method_id,
    run,
    variant_id,
)

pytestmark = pytest.mark.django_db


def snapshot(checkout):
    """Everything a failed mutation must leave alone."""
    checkout = Checkout.objects.get(pk=checkout.pk)
    addresses = [
        Address.objects.filter(pk=pk).values().first()
        for pk in (checkout.shipping_address_id, checkout.billing_address_id)
    ]
    return {
        "checkout": Checkout.objects.filter(pk=checkout.pk).values().get(),
        "lines": list(CheckoutLine.objects.filter(checkout=checkout).values("variant", "quantity")),
        "reservations": list(
            Reservation.objects.values("checkout_line", "stock", "quantity_reserved")
        ),
        "addresses": addresses,
        "stock": list(Stock.objects.values("pk", "quantity", "quantity_allocated")),
        "orders": Order.objects.count(),
    }


def codes(payload):
    return [(error["field"], error["code"]) for error in payload["errors"]]


@pytest.fixture
def checkout_id(checkout):
    return global_id("Checkout", checkout.pk)


@pytest.fixture
def tea(make_product):
    return make_product("Chè Shan tuyết", "che-shan-tuyet", prices_vnd=(90_000,)).variants.get()


# --- Lines ------------------------------------------------------------------------------------


def test_insufficient_stock_rolls_back_the_whole_call(
    api_client, checkout, checkout_id, tea, variant
):
    before = snapshot(checkout)

    result = run(
        api_client,
        LINES_ADD,
        {
            "id": checkout_id,
            "lines": [
                {"variantId": variant_id(tea), "quantity": 1},
                {"variantId": variant_id(variant), "quantity": 9},
            ],
        },
        "checkoutLinesAdd",
    )

    assert result["checkout"] is None
    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("INSUFFICIENT_STOCK", [variant_id(variant)])
    ]
    assert "Trong kho chỉ còn 10 sản phẩm" in result["errors"][0]["message"]
    assert snapshot(checkout) == before


def test_quantity_above_the_shop_limit(api_client, checkout, checkout_id, variant):
    before = snapshot(checkout)
    Stock.objects.filter(product_variant=variant).update(quantity=500)
    before["stock"] = list(Stock.objects.values("pk", "quantity", "quantity_allocated"))

    with override_settings(MAX_CHECKOUT_LINE_QUANTITY=50):
        result = run(
            api_client,
            LINES_UPDATE,
            {"id": checkout_id, "lines": [{"variantId": variant_id(variant), "quantity": 51}]},
            "checkoutLinesUpdate",
        )

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("QUANTITY_GREATER_THAN_LIMIT", [variant_id(variant)])
    ]
    assert snapshot(checkout) == before


def test_quantity_limit_per_customer_counts_earlier_orders(
    api_client, variant, shipping_zones, customer_user, customer_token
):
    from tests.test_checkout_flow import _buy

    variant.quantity_limit_per_customer = 3
    variant.save()
    _buy(api_client, variant, shipping_zones, token=customer_token, email=None)  # 2 bought

    result = create(
        api_client, lines=[{"variantId": variant_id(variant), "quantity": 2}], token=customer_token
    )

    assert codes(result) == [("quantity", "QUANTITY_GREATER_THAN_LIMIT")]
    assert not Checkout.objects.exists()
    # A guest is not tied to earlier orders: 2 is within the limit.
    assert (
        create(api_client, lines=[{"variantId": variant_id(variant), "quantity": 2}])["errors"]
        == []
    )


def test_zero_quantity_is_refused(api_client, checkout, checkout_id, variant):
    before = snapshot(checkout)

    result = run(
        api_client,
        LINES_ADD,
        {"id": checkout_id, "lines": [{"variantId": variant_id(variant), "quantity": 0}]},
        "checkoutLinesAdd",
    )

    assert codes(result) == [("quantity", "ZERO_QUANTITY")]
    assert snapshot(checkout) == before


def test_unpublished_product(api_client, make_product):
    hidden = make_product("Mật ong", "mat-ong", published=False).variants.get()

    result = create(api_client, lines=[{"variantId": variant_id(hidden), "quantity": 1}])

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("PRODUCT_NOT_PUBLISHED", [variant_id(hidden)])
    ]
    assert not Checkout.objects.exists()


def test_product_not_yet_available_for_purchase(api_client, checkout, checkout_id, tea):
    ProductChannelListing.objects.filter(product=tea.product).update(
        available_for_purchase_at=timezone.now() + datetime.timedelta(days=3)
    )
    before = snapshot(checkout)

    result = run(
        api_client,
        LINES_ADD,
        {"id": checkout_id, "lines": [{"variantId": variant_id(tea), "quantity": 1}]},
        "checkoutLinesAdd",
    )

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("PRODUCT_UNAVAILABLE_FOR_PURCHASE", [variant_id(tea)])
    ]
    assert snapshot(checkout) == before


def test_variant_not_sold_in_the_channel(api_client, make_product, channel_intl):
    local_only = make_product("Bánh cáy", "banh-cay", prices_vnd=(40_000,)).variants.get()

    result = create(
        api_client, channel="intl", lines=[{"variantId": variant_id(local_only), "quantity": 1}]
    )

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("UNAVAILABLE_VARIANT_IN_CHANNEL", [variant_id(local_only)])
    ]


def test_unknown_variant_and_channel(api_client, variant):
    unknown = global_id("ProductVariant", 999_999)

    assert codes(create(api_client, lines=[{"variantId": unknown, "quantity": 1}])) == [
        ("variantId", "NOT_FOUND")
    ]
    assert codes(create(api_client, channel="khong-co")) == [("channel", "NOT_FOUND")]
    assert codes(create(api_client, lines=[{"variantId": "xyz", "quantity": 1}])) == [
        ("variantId", "INVALID")
    ]
    assert not Checkout.objects.exists()


def test_channel_must_be_named_and_active(api_client, channel_vn, channel_intl):
    assert codes(create(api_client, channel=None)) == [("channel", "MISSING_CHANNEL_SLUG")]
    channel_intl.is_active = False
    channel_intl.save()
    assert codes(create(api_client, channel="intl")) == [("channel", "CHANNEL_INACTIVE")]


def test_unknown_or_malformed_checkout_id(api_client, db):
    unknown = global_id("Checkout", "00000000-0000-0000-0000-000000000000")

    result = run(
        api_client, EMAIL_UPDATE, {"id": unknown, "email": "a@example.com"}, "checkoutEmailUpdate"
    )
    assert codes(result) == [("id", "NOT_FOUND")]
    result = run(
        api_client, EMAIL_UPDATE, {"id": "abc", "email": "a@example.com"}, "checkoutEmailUpdate"
    )
    assert codes(result) == [("id", "INVALID")]
    result = run(api_client, EMAIL_UPDATE, {"email": "a@example.com"}, "checkoutEmailUpdate")
    assert codes(result) == [("id", "REQUIRED")]


def test_unknown_line(api_client, checkout, checkout_id):
    line_id = global_id("CheckoutLine", "00000000-0000-0000-0000-000000000000")

    result = run(
        api_client,
        LINES_UPDATE,
        {"id": checkout_id, "lines": [{"lineId": line_id, "quantity": 1}]},
        "checkoutLinesUpdate",
    )

    assert codes(result) == [("lineId", "NOT_FOUND")]
    assert result["errors"][0]["lines"] == [line_id]
    result = run(
        api_client,
        LINES_UPDATE,
        {"id": checkout_id, "lines": [{"quantity": 1}]},
        "checkoutLinesUpdate",
    )
    assert codes(result) == [("lineId", "REQUIRED")]


# --- Contact and addresses --------------------------------------------------------------------


def test_invalid_email(api_client, checkout, checkout_id):
    before = snapshot(checkout)

    result = run(
        api_client,
        EMAIL_UPDATE,
        {"id": checkout_id, "email": "khong-phai-email"},
        "checkoutEmailUpdate",
    )

    assert codes(result) == [("email", "INVALID")]
    assert snapshot(checkout) == before


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"countryArea": "Tỉnh Không Tồn Tại"}, [("countryArea", "INVALID")]),
        ({"city": "Phường Sài Gòn"}, [("city", "INVALID")]),  # a ward of another province
        ({"streetAddress1": ""}, [("streetAddress1", "REQUIRED")]),
        ({"phone": "12ab"}, [("phone", "INVALID")]),
        ({"city": "Phường 100%"}, [("city", "INVALID")]),
    ],
)
def test_bad_shipping_address_is_refused_and_explained(
    api_client, checkout, checkout_id, changes, expected
):
    before = snapshot(checkout)

    result = run(
        api_client,
        SHIPPING_ADDRESS,
        {"id": checkout_id, "address": {**VN_ADDRESS_INPUT, **changes}},
        "checkoutShippingAddressUpdate",
    )

    assert codes(result) == expected
    assert {error["addressType"] for error in result["errors"]} == {"SHIPPING"}
    assert all(error["message"] for error in result["errors"])
    assert snapshot(checkout) == before


def test_bad_billing_address_names_the_billing_address(api_client, checkout, checkout_id):
    result = run(
        api_client,
        BILLING_ADDRESS,
        {"id": checkout_id, "address": {**VN_ADDRESS_INPUT, "countryArea": "Atlantis"}},
        "checkoutBillingAddressUpdate",
    )

    assert [(e["field"], e["code"], e["addressType"]) for e in result["errors"]] == [
        ("countryArea", "INVALID", "BILLING")
    ]


def test_partial_address_allowed_when_the_storefront_asks(api_client, variant, shipping_zones):
    """Saleor's validationRules: a province alone is enough to estimate shipping."""
    result = create(
        api_client,
        lines=[{"variantId": variant_id(variant), "quantity": 1}],
        shippingAddress={"country": "VN", "countryArea": "Thành phố Hồ Chí Minh"},
        validationRules={"shippingAddress": {"checkRequiredFields": False}},
    )

    assert result["errors"] == []
    names = [method["name"] for method in result["checkout"]["shippingMethods"]]
    assert names[0] == "Giao hàng tiết kiệm miền Nam"


# --- Delivery ---------------------------------------------------------------------------------


def test_shipping_method_for_another_region_is_not_applicable(
    api_client, checkout, checkout_id, shipping_zones
):
    before = snapshot(checkout)

    for method in ("south", "heavy", "international"):
        result = run(
            api_client,
            DELIVERY,
            {"id": checkout_id, "method": method_id(shipping_zones[method])},
            "checkoutDeliveryMethodUpdate",
        )
        assert codes(result) == [("deliveryMethodId", "SHIPPING_METHOD_NOT_APPLICABLE")], method
    assert snapshot(checkout) == before


def test_delivery_method_needs_an_address_and_a_known_id(api_client, variant, shipping_zones):
    created = create(api_client, lines=[{"variantId": variant_id(variant), "quantity": 1}])
    checkout_id = created["checkout"]["id"]

    result = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": method_id(shipping_zones["standard"])},
        "checkoutDeliveryMethodUpdate",
    )
    assert codes(result) == [("deliveryMethodId", "SHIPPING_ADDRESS_NOT_SET")]
    result = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": global_id("ShippingMethod", 999_999)},
        "checkoutDeliveryMethodUpdate",
    )
    assert codes(result) == [("deliveryMethodId", "NOT_FOUND")]
    result = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": global_id("Product", 1)},
        "checkoutDeliveryMethodUpdate",
    )
    assert codes(result) == [("deliveryMethodId", "INVALID")]


def test_showroom_without_the_goods_is_not_applicable(
    api_client, checkout, checkout_id, showroom, showroom_stock
):
    showroom_stock.quantity = 1
    showroom_stock.save()
    before = snapshot(checkout)

    result = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": global_id("Warehouse", showroom.pk)},
        "checkoutDeliveryMethodUpdate",
    )

    assert codes(result) == [("deliveryMethodId", "DELIVERY_METHOD_NOT_APPLICABLE")]
    assert snapshot(checkout) == before


# --- Completion -------------------------------------------------------------------------------


def _complete(api_client, checkout):
    return run(api_client, COMPLETE, {"id": global_id("Checkout", checkout.pk)}, "checkoutComplete")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"email": None}, ("email", "EMAIL_NOT_SET")),
        ({"shipping_address": None}, ("shippingAddress", "SHIPPING_ADDRESS_NOT_SET")),
        ({"shipping_method": None}, ("shippingMethod", "SHIPPING_METHOD_NOT_SET")),
        ({"billing_address": None}, ("billingAddress", "BILLING_ADDRESS_NOT_SET")),
    ],
)
def test_incomplete_checkout_cannot_be_placed(api_client, checkout, change, expected):
    Checkout.objects.filter(pk=checkout.pk).update(**change)
    before = snapshot(checkout)

    result = _complete(api_client, checkout)

    assert result["order"] is None
    assert codes(result) == [expected]
    assert snapshot(checkout) == before


def test_checkout_without_lines_cannot_be_placed(api_client, checkout):
    checkout.lines.all().delete()

    assert codes(_complete(api_client, checkout)) == [("lines", "NO_LINES")]


def test_parcel_grown_past_the_methods_weight_bracket(
    api_client, checkout, checkout_id, variant, shipping_zones
):
    """Standard shipping serves up to 5 kg: a 6 kg parcel shows the problem and cannot be
    placed with it until another method is chosen."""
    variant.weight_grams = 3_000
    variant.save()

    query = (
        "query($id: ID) { checkout(id: $id) { problems { __typename } shippingMethods { name } } }"
    )
    seen = run(api_client, query, {"id": checkout_id}, "checkout")
    assert seen["problems"] == [{"__typename": "CheckoutProblemDeliveryMethodInvalid"}]
    assert [m["name"] for m in seen["shippingMethods"]] == [
        "Giao hàng nhanh",
        "Giao hàng hàng nặng",
    ]
    before = snapshot(checkout)

    result = _complete(api_client, checkout)

    assert codes(result) == [("shippingMethod", "SHIPPING_METHOD_NOT_APPLICABLE")]
    assert snapshot(checkout) == before
    run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": method_id(shipping_zones["heavy"])},
        "checkoutDeliveryMethodUpdate",
    )
    assert _complete(api_client, checkout)["errors"] == []


def test_stock_sold_meanwhile_fails_completion_and_changes_nothing(api_client, checkout, variant):
    Reservation.objects.all().delete()
    Stock.objects.filter(product_variant=variant).update(quantity_allocated=9, quantity=10)
    before = snapshot(checkout)

    result = _complete(api_client, checkout)

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("INSUFFICIENT_STOCK", [variant_id(variant)])
    ]
    assert snapshot(checkout) == before


def test_product_unpublished_after_it_was_added(api_client, checkout, variant):
    ProductChannelListing.objects.filter(product=variant.product).update(is_published=False)
    before = snapshot(checkout)

    result = _complete(api_client, checkout)

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("PRODUCT_NOT_PUBLISHED", [variant_id(variant)])
    ]
    assert snapshot(checkout) == before


PROBLEMS = """query($id: ID) { checkout(id: $id) { problems {
  __typename
  ... on CheckoutLineProblemInsufficientStock { availableQuantity line { quantity } variant { id } }
  ... on CheckoutLineProblemVariantNotAvailable { line { id variant { id } } }
} } }"""


def test_line_short_of_stock_is_a_problem_with_what_is_left(
    api_client, checkout, checkout_id, variant
):
    """Two units on the line, one left: the buyer sees the line and how many remain."""
    Stock.objects.filter(product_variant=variant).update(quantity=1)

    seen = run(api_client, PROBLEMS, {"id": checkout_id}, "checkout")

    assert seen["problems"] == [
        {
            "__typename": "CheckoutLineProblemInsufficientStock",
            "availableQuantity": 1,
            "line": {"quantity": 2},
            "variant": {"id": global_id("ProductVariant", variant.pk)},
        }
    ]


def test_line_of_an_unlisted_product_is_a_problem(api_client, checkout, checkout_id, variant):
    ProductChannelListing.objects.filter(product=variant.product).update(is_published=False)

    seen = run(api_client, PROBLEMS, {"id": checkout_id}, "checkout")

    assert seen["problems"] == [
        {
            "__typename": "CheckoutLineProblemVariantNotAvailable",
            "line": {
                "id": global_id("CheckoutLine", checkout.lines.get().pk),
                "variant": {"id": global_id("ProductVariant", variant.pk)},
            },
        }
    ]


def test_checkout_with_stock_for_its_lines_has_no_problem(api_client, checkout, checkout_id):
    assert run(api_client, PROBLEMS, {"id": checkout_id}, "checkout")["problems"] == []

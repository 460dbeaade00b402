"""The web shop and the checkout API take the same checkout steps (backend.checkout's services):
the same refusals with the same messages, and the same defaults for a new checkout."""

import datetime
import html

import pytest
from django.test import override_settings
from django.utils import timezone

from backend.account.addresses import ADDRESS_FIELDS
from backend.account.models import Address
from backend.checkout.models import Checkout
from backend.core.ids import global_id
from backend.order.models import Order
from backend.product.models import ProductType
from backend.warehouse.models import Reservation, Stock
from storefront.session_cart import SESSION_KEY
from tests.fixtures.checkout import VN_ADDRESS, VN_ADDRESS_INPUT
from tests.test_checkout_flow import (
    DELIVERY,
    LINES_ADD,
    LINES_UPDATE,
    QUERY,
    SHIPPING_ADDRESS,
    create,
    run,
    variant_id,
)
from tests.test_storefront_checkout import add, cart_checkout, order_form, text

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(text(response))


def messages_of(result) -> list[tuple[str, str]]:
    return [(error["code"], error["message"]) for error in result["errors"]]


@pytest.fixture
def plenty(variant):
    """Enough stock that only the quantity limits refuse."""
    Stock.objects.filter(product_variant=variant).update(quantity=500)
    return variant


# --- Quantities -------------------------------------------------------------------------------


@override_settings(MAX_CHECKOUT_LINE_QUANTITY=50)
def test_a_new_line_over_the_limit_is_refused_alike(client, api_client, plenty):
    shop = add(client, plenty, quantity=51)
    api = create(api_client, lines=[{"variantId": variant_id(plenty), "quantity": 51}])

    [(code, message)] = messages_of(api)
    assert code == "QUANTITY_GREATER_THAN_LIMIT"
    assert message in page_text(shop)
    assert not Checkout.objects.exists()


@override_settings(MAX_CHECKOUT_LINE_QUANTITY=50)
def test_adding_to_a_line_past_the_limit_is_refused_alike(client, api_client, plenty):
    add(client, plenty, quantity=30)
    shop = add(client, plenty, quantity=30)
    lines = [{"variantId": variant_id(plenty), "quantity": 30}]
    created = create(api_client, lines=lines)["checkout"]
    api = run(api_client, LINES_ADD, {"id": created["id"], "lines": lines}, "checkoutLinesAdd")

    [(code, message)] = messages_of(api)
    assert code == "QUANTITY_GREATER_THAN_LIMIT"
    assert message in page_text(shop)
    assert sorted(Checkout.objects.values_list("lines__quantity", flat=True)) == [30, 30]


@override_settings(MAX_CHECKOUT_LINE_QUANTITY=50)
def test_setting_a_line_over_the_limit_is_refused_alike(client, api_client, plenty):
    add(client, plenty, quantity=2)
    line = cart_checkout(client).lines.get()
    shop = client.post("/gio-hang/cap-nhat/", {"line": line.pk, "quantity": 51}, follow=True)
    created = create(api_client, lines=[{"variantId": variant_id(plenty), "quantity": 2}])
    api = run(
        api_client,
        LINES_UPDATE,
        {
            "id": created["checkout"]["id"],
            "lines": [{"lineId": created["checkout"]["lines"][0]["id"], "quantity": 51}],
        },
        "checkoutLinesUpdate",
    )

    [(code, message)] = messages_of(api)
    assert code == "QUANTITY_GREATER_THAN_LIMIT"
    assert message in page_text(shop)
    assert list(Checkout.objects.values_list("lines__quantity", flat=True)) == [2, 2]


def test_the_per_customer_limit_counts_the_same_earlier_orders(
    client, api_client, variant, shipping_zones, customer_user, customer_token
):
    from tests.test_checkout_flow import _buy

    variant.quantity_limit_per_customer = 3
    variant.save()
    _buy(api_client, variant, shipping_zones, token=customer_token, email=None)  # 2 bought
    client.force_login(customer_user)

    shop = add(client, variant, quantity=2)
    api = create(
        api_client, lines=[{"variantId": variant_id(variant), "quantity": 2}], token=customer_token
    )

    [(code, message)] = messages_of(api)
    assert code == "QUANTITY_GREATER_THAN_LIMIT"
    assert message in page_text(shop)
    assert not Checkout.objects.exists()


# --- A new checkout ---------------------------------------------------------------------------


def _opened(checkout: Checkout) -> dict:
    """What a new checkout is opened with, rows aside."""

    def address(row):
        return {field: getattr(row, field) for field in ADDRESS_FIELDS} if row else None

    return {
        "channel": checkout.channel.slug,
        "currency": checkout.currency,
        "country": checkout.country,
        "language": checkout.language_code,
        "user": checkout.user_id,
        "email": checkout.email,
        "shipping_address": address(checkout.shipping_address),
        "billing_address": address(checkout.billing_address),
        "save_addresses": (checkout.save_shipping_address, checkout.save_billing_address),
        "delivery": (checkout.shipping_method_id, checkout.collection_point_id),
        "voucher": checkout.voucher_code,
        "lines": list(checkout.lines.values_list("variant_id", "quantity")),
        "holds": list(
            Reservation.objects.filter(checkout_line__checkout=checkout).values_list(
                "stock_id", "quantity_reserved"
            )
        ),
    }


def test_a_guests_cart_opens_like_checkout_create(client, api_client, variant, shipping_zones):
    add(client, variant, quantity=2)
    created = create(api_client, lines=[{"variantId": variant_id(variant), "quantity": 2}])

    shop = _opened(cart_checkout(client))
    api = _opened(Checkout.objects.exclude(pk=cart_checkout(client).pk).get())
    assert shop == api
    assert shop["channel"] == "vn" and shop["country"] == "VN" and shop["language"] == "vi"
    assert shop["email"] is None and shop["shipping_address"] is None
    assert shop["holds"] and created["errors"] == []


def test_a_customers_cart_opens_with_their_email_and_default_addresses(
    client, api_client, variant, shipping_zones, customer_user, customer_token
):
    default = Address.objects.create(**VN_ADDRESS)
    customer_user.addresses.add(default)
    customer_user.default_shipping_address = default
    customer_user.default_billing_address = default
    customer_user.save()
    client.force_login(customer_user)

    add(client, variant, quantity=2)
    create(
        api_client, lines=[{"variantId": variant_id(variant), "quantity": 2}], token=customer_token
    )

    cart = cart_checkout(client)
    shop = _opened(cart)
    assert shop == _opened(Checkout.objects.exclude(pk=cart.pk).get())
    assert shop["user"] == customer_user.pk and shop["email"] == "khach@example.com"
    assert shop["shipping_address"]["street_address_1"] == VN_ADDRESS["street_address_1"]
    # Copies of the address book's row, so the checkout never changes the buyer's book.
    assert default.pk not in (cart.shipping_address_id, cart.billing_address_id)
    # The shop's form starts from them.
    assert 'value="12 Phan Đình Phùng"' in page_text(client.get("/thanh-toan/"))


def test_changing_lines_counts_as_a_change_in_both(client, api_client, variant, shipping_zones):
    add(client, variant, quantity=1)
    created = create(api_client, lines=[{"variantId": variant_id(variant), "quantity": 1}])
    long_ago = timezone.now() - datetime.timedelta(days=29)
    Checkout.objects.update(last_change=long_ago)

    add(client, variant, quantity=1)
    run(
        api_client,
        LINES_ADD,
        {
            "id": created["checkout"]["id"],
            "lines": [{"variantId": variant_id(variant), "quantity": 1}],
        },
        "checkoutLinesAdd",
    )

    assert all(
        changed > long_ago for changed in Checkout.objects.values_list("last_change", flat=True)
    )
    assert list(Checkout.objects.values_list("lines__quantity", flat=True)) == [2, 2]


# --- Delivery ---------------------------------------------------------------------------------


def _api_checkout_to_deliver(api_client, variant):
    return create(
        api_client,
        email="khach.le@example.com",
        lines=[{"variantId": variant_id(variant), "quantity": 2}],
        shippingAddress=VN_ADDRESS_INPUT,
        billingAddress=VN_ADDRESS_INPUT,
    )["checkout"]["id"]


def test_a_pick_up_point_short_of_the_goods_is_refused_alike(
    client, api_client, variant, shipping_zones, showroom, showroom_stock
):
    showroom_stock.quantity = 1  # the cart wants 2
    showroom_stock.save()
    add(client, variant, quantity=2)
    shop = client.post("/thanh-toan/", order_form(delivery=f"pickup:{showroom.pk}"))
    checkout_id = _api_checkout_to_deliver(api_client, variant)
    api = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": global_id("Warehouse", showroom.pk)},
        "checkoutDeliveryMethodUpdate",
    )

    [(code, message)] = messages_of(api)
    assert code == "DELIVERY_METHOD_NOT_APPLICABLE"
    assert shop.status_code == 400
    assert message in page_text(shop)
    assert not Checkout.objects.filter(collection_point__isnull=False).exists()
    assert not Order.objects.exists()


def test_a_pick_up_point_with_the_goods_is_taken_alike(
    client, api_client, variant, shipping_zones, showroom, showroom_stock
):
    add(client, variant, quantity=1)
    checkout_id = _api_checkout_to_deliver(api_client, variant)
    api = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": global_id("Warehouse", showroom.pk)},
        "checkoutDeliveryMethodUpdate",
    )
    client.post("/thanh-toan/", order_form(delivery=f"pickup:{showroom.pk}"))

    assert api["errors"] == []
    assert Checkout.objects.get().collection_point == showroom
    assert Order.objects.get().collection_point == showroom
    # Both hold or took the showroom's own shelves: 2 held for the API's checkout, 1 allocated.
    showroom_stock.refresh_from_db()
    assert showroom_stock.quantity_allocated == 1
    assert list(
        Reservation.objects.filter(stock=showroom_stock).values_list("quantity_reserved", flat=True)
    ) == [2]


@pytest.fixture
def voucher_card(make_product):
    """A product nothing of which is shipped (a gift voucher for a homestay)."""
    product = make_product("Phiếu nghỉ homestay", "phieu-homestay", prices_vnd=(500_000,))
    product.product_type = ProductType.objects.create(
        name="Phiếu", slug="phieu", is_shipping_required=False
    )
    product.save(update_fields=["product_type"])
    return product.variants.get()


def test_nothing_to_ship_takes_no_shipping_address_in_either(
    client, api_client, voucher_card, shipping_zones
):
    created = create(api_client, lines=[{"variantId": variant_id(voucher_card), "quantity": 1}])
    api = run(
        api_client,
        SHIPPING_ADDRESS,
        {"id": created["checkout"]["id"], "address": VN_ADDRESS_INPUT},
        "checkoutShippingAddressUpdate",
    )
    add(client, voucher_card, quantity=1)
    shop = client.post("/thanh-toan/", order_form(delivery=""))

    assert [error["code"] for error in api["errors"]] == ["SHIPPING_NOT_REQUIRED"]
    assert shop.status_code == 302
    order = Order.objects.get()
    assert order.shipping_address is None
    assert order.billing_address.street_address_1 == "12 Phan Đình Phùng"


def test_a_checkout_opens_to_its_holder_while_its_channel_sells_in_both(
    client, api_client, checkout
):
    """The API's id and the shop's session token open a checkout by the same rule
    (backend.checkout.access): while its channel is active."""
    session = client.session
    session[SESSION_KEY] = str(checkout.pk)
    session.save()
    variables = {"id": global_id("Checkout", checkout.pk)}

    assert run(api_client, QUERY, variables, "checkout")["email"] == "khach.le@example.com"
    assert "Nước mắm Phú Quốc" in page_text(client.get("/gio-hang/"))

    checkout.channel.is_active = False
    checkout.channel.save()

    assert api_client.execute(QUERY, variables)["data"]["checkout"] is None
    assert "Nước mắm Phú Quốc" not in page_text(client.get("/gio-hang/"))

"""The buyer's email, addresses and phone on every path to an order: in full for the signed-in
user who placed it, staff with MANAGE_ORDERS and the holder of the order's token (orderByToken,
the checkout that placed it, the shop page and the email link); masked as Saleor masks them for
anyone else who has the order's ID (anonymous, another customer, staff without the permission)."""

import pytest

from backend.core.anonymize import obfuscate_address, obfuscate_email, obfuscate_string
from backend.core.ids import global_id
from backend.order.emails import render_confirmation
from tests.fixtures.accounts import access_token_for
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order, grant

pytestmark = pytest.mark.django_db

DETAILS = """
  userEmail
  shippingAddress { firstName lastName streetAddress1 city countryArea phone }
  billingAddress { firstName lastName streetAddress1 phone }
"""
ORDER_BY_ID = f"query ($id: ID!) {{ order(id: $id) {{ number {DETAILS} }} }}"
ORDER_BY_TOKEN = f"query ($token: UUID!) {{ orderByToken(token: $token) {{ number {DETAILS} }} }}"

FULL = {
    "userEmail": "lan@example.com",
    "shippingAddress": {
        "firstName": "Lan",
        "lastName": "Nguyễn",
        "streetAddress1": "12 Phan Đình Phùng",
        "city": "Phường Ba Đình",
        "countryArea": "Thành phố Hà Nội",
        "phone": "+84912345678",
    },
    "billingAddress": {
        "firstName": "Lan",
        "lastName": "Nguyễn",
        "streetAddress1": "12 Phan Đình Phùng",
        "phone": "+84912345678",
    },
}
MASKED = {
    "userEmail": "l...@example.com",
    "shippingAddress": {
        "firstName": "L..",
        "lastName": "N.....",
        "streetAddress1": "1.................",
        "city": "Phường Ba Đình",
        "countryArea": "Thành phố Hà Nội",
        "phone": "+84.........",
    },
    "billingAddress": {
        "firstName": "L..",
        "lastName": "N.....",
        "streetAddress1": "1.................",
        "phone": "+84.........",
    },
}


@pytest.fixture
def buyer(django_user_model):
    return django_user_model.objects.create_user(email="lan@example.com", password="x-Mat-khau-9")


@pytest.fixture
def other_customer(django_user_model):
    return django_user_model.objects.create_user(email="binh@example.com", password="x-Mat-9-khau")


@pytest.fixture
def order(channel_vn, variant, buyer):
    return create_order(
        channel_vn, [(variant, 1)], user=buyer, email="lan@example.com", address_data=VN_ADDRESS
    )


@pytest.fixture
def guest_order(channel_vn, variant):
    return create_order(
        channel_vn, [(variant, 1)], email="lan@example.com", address_data=VN_ADDRESS
    )


def details(result, field="order"):
    assert "errors" not in result, result
    data = dict(result["data"][field])
    data.pop("number")
    return data


def by_id(api_client, order, user=None):
    token = access_token_for(user) if user else None
    return details(
        api_client.execute(ORDER_BY_ID, {"id": global_id("Order", order.pk)}, token=token)
    )


def test_anonymous_gets_the_details_masked(api_client, order):
    assert by_id(api_client, order) == MASKED


def test_another_customer_gets_the_details_masked(api_client, order, other_customer):
    assert by_id(api_client, order, other_customer) == MASKED


def test_staff_without_manage_orders_gets_them_masked(api_client, order, staff_user):
    assert by_id(api_client, order, staff_user) == MASKED


def test_the_buyer_signed_in_sees_them(api_client, order, buyer):
    assert by_id(api_client, order, buyer) == FULL


def test_an_order_manager_sees_them(api_client, order, staff_user):
    assert by_id(api_client, order, grant(staff_user, "order", "manage_orders")) == FULL


def test_a_guest_order_is_masked_by_id(api_client, guest_order, other_customer):
    assert by_id(api_client, guest_order) == MASKED
    assert by_id(api_client, guest_order, other_customer) == MASKED


def test_the_order_token_shows_them_to_anyone_holding_it(api_client, guest_order, other_customer):
    variables = {"token": str(guest_order.token)}
    assert details(api_client.execute(ORDER_BY_TOKEN, variables), "orderByToken") == FULL
    signed_in = api_client.execute(
        ORDER_BY_TOKEN, variables, token=access_token_for(other_customer)
    )
    assert details(signed_in, "orderByToken") == FULL


def test_the_order_id_is_not_its_token(api_client, guest_order):
    result = api_client.execute(ORDER_BY_TOKEN, {"token": str(guest_order.pk)})
    assert result["data"]["orderByToken"] is None


def test_a_token_opens_only_its_own_order(api_client, guest_order, channel_vn, variant):
    """Asking for another order by ID in the same request as one's own token shows nothing."""
    mine = create_order(channel_vn, [(variant, 1)], email="binh@example.com")
    query = """
    query ($token: UUID!, $id: ID!) {
      mine: orderByToken(token: $token) { userEmail }
      theirs: order(id: $id) { userEmail }
    }"""
    data = api_client.execute(
        query, {"token": str(mine.token), "id": global_id("Order", guest_order.pk)}
    )["data"]
    assert data == {
        "mine": {"userEmail": "binh@example.com"},
        "theirs": {"userEmail": "l...@example.com"},
    }


def test_the_order_page_needs_the_token(client, guest_order):
    page = client.get(f"/don-hang/{guest_order.token}/")
    assert page.status_code == 200
    assert "12 Phan Đình Phùng" in page.content.decode()
    assert client.get(f"/don-hang/{guest_order.pk}/").status_code == 404


def test_the_confirmation_email_links_to_the_order_page(client, guest_order, settings):
    settings.PUBLIC_URL = "https://ocop.example.vn"
    _subject, body = render_confirmation(guest_order)
    link = f"https://ocop.example.vn/don-hang/{guest_order.token}/"
    assert link in body
    page = client.get(link.removeprefix("https://ocop.example.vn"))
    assert page.status_code == 200
    assert f"#{guest_order.number}" in page.content.decode()


def test_masking_keeps_what_the_buyer_recognises():
    assert obfuscate_email("lan.nguyen@example.com") == "l...@example.com"
    assert obfuscate_email("not-an-email") == "n..........."
    assert obfuscate_string("0912345678", phone=True) == "091......."
    assert obfuscate_string("") == ""
    assert obfuscate_address(None) is None

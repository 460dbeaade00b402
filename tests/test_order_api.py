"""Reading orders over GraphQL: `order(id)` for whoever holds the id (guests too, the buyer's
details masked: tests/test_order_privacy.py), `orderByToken`, `me.orders(where:)` for the buyer
and `orders` for order managers."""

import pytest

from backend.core.ids import global_id
from backend.product.models import ProductMedia
from tests.fixtures.accounts import access_token_for
from tests.fixtures.catalog import png_file
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order, grant

ORDER_QUERY = """
query ($id: ID!) {
  order(id: $id) {
    id number status statusDisplay isPaid paymentStatus chargeStatus authorizeStatus
    userEmail created channel { slug }
    shippingAddress { city countryArea }
    lines {
      productName variantName quantity
      unitPrice { gross { amount currency } }
      totalPrice { gross { amount } }
      variant { id name }
    }
    subtotal { gross { amount } }
    shippingPrice { gross { amount } }
    total { gross { amount currency } tax { amount } }
    totalBalance { amount }
    discounts { type amount { amount } }
    deliveryMethod { __typename ... on ShippingMethod { name price { amount } } }
    fulfillments { id }
    paymentGateway source
  }
}
"""


@pytest.fixture
def order(channel_vn, variant, shipping_zones):
    return create_order(
        channel_vn,
        [(variant, 2)],
        address_data=VN_ADDRESS,
        shipping_method=shipping_zones["standard"],
    )


@pytest.fixture
def order_manager(staff_user):
    return grant(staff_user, "order", "manage_orders")


def test_a_guest_reads_the_order_with_its_id(api_client, order, variant):
    data = api_client.execute(ORDER_QUERY, {"id": global_id("Order", order.pk)})["data"]["order"]

    assert data["number"] == str(order.number)
    assert (data["status"], data["statusDisplay"]) == ("UNFULFILLED", "Chưa xuất kho")
    assert (data["isPaid"], data["paymentStatus"], data["chargeStatus"]) == (
        False,
        "NOT_CHARGED",
        "NONE",
    )
    assert data["userEmail"] == "k...@example.com"
    assert data["channel"] == {"slug": "vn"}
    assert data["shippingAddress"] == {"city": "Phường Ba Đình", "countryArea": "Thành phố Hà Nội"}
    assert data["lines"] == [
        {
            "productName": "Nước mắm Phú Quốc",
            "variantName": "Loại 1",
            "quantity": 2,
            "unitPrice": {"gross": {"amount": 125000.0, "currency": "VND"}},
            "totalPrice": {"gross": {"amount": 250000.0}},
            "variant": {"id": global_id("ProductVariant", variant.pk), "name": "Loại 1"},
        }
    ]
    assert data["subtotal"]["gross"]["amount"] == 250000
    assert data["shippingPrice"]["gross"]["amount"] == 30000
    assert data["total"] == {"gross": {"amount": 280000.0, "currency": "VND"}, "tax": {"amount": 0}}
    assert data["totalBalance"]["amount"] == -280000
    assert data["discounts"] == []
    assert data["deliveryMethod"] == {
        "__typename": "ShippingMethod",
        "name": "Giao hàng tiêu chuẩn",
        "price": {"amount": 30000.0},
    }
    assert (data["paymentGateway"], data["source"]) == ("ocop.payments.cod", "STOREFRONT")


def test_pick_up_orders_show_the_showroom(api_client, channel_vn, variant, showroom):
    order = create_order(channel_vn, [(variant, 1)], shipping_price=0, allocate=False)
    order.collection_point = showroom
    order.collection_point_name = showroom.name
    order.save()
    query = """query ($id: ID!) {
      order(id: $id) { deliveryMethod { __typename ... on Warehouse { name } } }
    }"""
    data = api_client.execute(query, {"id": global_id("Order", order.pk)})["data"]
    assert data["order"]["deliveryMethod"] == {"__typename": "Warehouse", "name": showroom.name}


@pytest.mark.parametrize(
    "order_id",
    [
        global_id("Order", "00000000-0000-0000-0000-000000000000"),
        global_id("Order", "12"),
        global_id("Checkout", "00000000-0000-0000-0000-000000000000"),
        "not-an-id",
    ],
)
def test_unknown_order_ids_give_null(api_client, order, order_id):
    result = api_client.execute(ORDER_QUERY, {"id": order_id})
    assert result["data"]["order"] is None


def test_order_by_token(api_client, order):
    query = "query ($token: UUID!) { orderByToken(token: $token) { number } }"
    data = api_client.execute(query, {"token": str(order.token)})["data"]
    assert data["orderByToken"] == {"number": str(order.number)}
    by_id = api_client.execute(query, {"token": str(order.pk)})["data"]
    assert by_id["orderByToken"] is None


def test_events_are_for_order_managers_only(api_client, order, customer_user, order_manager):
    query = "query ($id: ID!) { order(id: $id) { events { type user { email } } } }"
    variables = {"id": global_id("Order", order.pk)}

    denied = api_client.execute(query, variables, token=access_token_for(customer_user))
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert denied["data"]["order"] is None

    allowed = api_client.execute(query, variables, token=access_token_for(order_manager))
    assert allowed["data"]["order"]["events"] == [{"type": "PLACED", "user": None}]


def test_order_user_is_shown_to_its_owner_only(
    api_client, channel_vn, variant, customer_user, django_user_model
):
    order = create_order(channel_vn, [(variant, 1)], user=customer_user, allocate=False)
    query = "query ($id: ID!) { order(id: $id) { number user { email } } }"
    variables = {"id": global_id("Order", order.pk)}

    mine = api_client.execute(query, variables, token=access_token_for(customer_user))
    assert mine["data"]["order"]["user"] == {"email": "khach@example.com"}

    stranger = django_user_model.objects.create_user("la@example.com", "Mat-khau-123!")
    other = api_client.execute(query, variables, token=access_token_for(stranger))
    assert other["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


ME_ORDERS = """
query ($where: CustomerOrderWhereInput, $first: Int, $after: String) {
  me {
    orders(where: $where, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { number status chargeStatus } }
    }
  }
}
"""


@pytest.fixture
def customer_orders(channel_vn, variant, customer_user):
    orders = [
        create_order(channel_vn, [(variant, 1)], user=customer_user, allocate=False)
        for _ in range(3)
    ]
    # Someone else's order never shows up in `me.orders`.
    create_order(channel_vn, [(variant, 1)], email="khac@example.com", allocate=False)
    return orders


def _numbers(result) -> list[str]:
    return [edge["node"]["number"] for edge in result["data"]["me"]["orders"]["edges"]]


def test_me_orders_lists_the_buyers_orders_newest_first(api_client, customer_user, customer_orders):
    token = access_token_for(customer_user)
    first_page = api_client.execute(ME_ORDERS, {"first": 2}, token=token)
    connection = first_page["data"]["me"]["orders"]
    assert connection["totalCount"] == 3
    assert _numbers(first_page) == [str(customer_orders[2].number), str(customer_orders[1].number)]
    assert connection["pageInfo"]["hasNextPage"] is True

    after = connection["pageInfo"]["endCursor"]
    second_page = api_client.execute(ME_ORDERS, {"first": 2, "after": after}, token=token)
    assert _numbers(second_page) == [str(customer_orders[0].number)]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"number": {"eq": "FIRST"}}, [0]),
        ({"number": {"range": {"gte": "SECOND"}}}, [2, 1]),
        ({"status": {"eq": "CANCELED"}}, [1]),
        ({"status": {"oneOf": ["UNFULFILLED"]}}, [2, 0]),
        ({"chargeStatus": {"eq": "FULL"}}, [2]),
        ({"OR": [{"number": {"eq": "FIRST"}}, {"chargeStatus": {"eq": "FULL"}}]}, [2, 0]),
        ({"hasFulfillments": True}, []),
        ({"isClickAndCollect": False}, [2, 1, 0]),
        ({"totalGross": {"amount": {"range": {"gte": 156000}}}}, [2]),
        ({"linesCount": {"eq": 1}}, [2, 1, 0]),
        ({"isGiftCardUsed": True}, []),
    ],
)
def test_me_orders_where(api_client, customer_user, customer_orders, where, expected):
    first, second, third = customer_orders
    second.status = "canceled"
    second.save()
    third.charge_status = "full"
    third.total_amount = 160_000
    third.save()
    numbers = {"FIRST": first.number, "SECOND": second.number}

    def substitute(value):
        if isinstance(value, dict):
            return {key: substitute(item) for key, item in value.items()}
        if isinstance(value, list):
            return [substitute(item) for item in value]
        return numbers.get(value, value)

    result = api_client.execute(
        ME_ORDERS, {"first": 10, "where": substitute(where)}, token=access_token_for(customer_user)
    )
    assert _numbers(result) == [str(customer_orders[i].number) for i in expected]


def test_me_orders_cost_a_fixed_number_of_queries(
    api_client, channel_vn, make_product, customer_user, django_assert_max_num_queries
):
    query = """
    { me { orders(first: 20) { edges { node {
        number total { gross { amount } } shippingAddress { city }
        lines { productName thumbnail(size: 64) { url } variant { name product { name } } }
        fulfillments { lines { quantity orderLine { productName } } }
        deliveryMethod { __typename }
    } } } } }
    """
    token = access_token_for(customer_user)
    for index in range(6):
        variants = [
            make_product(f"Sản phẩm {index}-{n}", f"san-pham-{index}-{n}").variants.get()
            for n in range(2)
        ]
        create_order(
            channel_vn,
            [(v, 1) for v in variants],
            user=customer_user,
            address_data=VN_ADDRESS,
            allocate=False,
        )
    with django_assert_max_num_queries(12):
        result = api_client.execute(query, token=token)
    edges = result["data"]["me"]["orders"]["edges"]
    assert len(edges) == 6
    assert all(len(edge["node"]["lines"]) == 2 for edge in edges)


STAFF_ORDERS = """
query ($search: String, $channel: String, $where: OrderWhereInput) {
  orders(first: 10, search: $search, channel: $channel, where: $where) {
    totalCount edges { node { number userEmail } }
  }
}
"""


def test_orders_list_needs_manage_orders(api_client, customer_user, customer_orders):
    result = api_client.execute(STAFF_ORDERS, token=access_token_for(customer_user))
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert result["data"]["orders"] is None


def test_order_managers_list_and_search_all_orders(api_client, order_manager, customer_orders):
    token = access_token_for(order_manager)
    everything = api_client.execute(STAFF_ORDERS, token=token)["data"]["orders"]
    assert everything["totalCount"] == 4

    by_email = api_client.execute(STAFF_ORDERS, {"search": "khac@"}, token=token)
    assert [e["node"]["userEmail"] for e in by_email["data"]["orders"]["edges"]] == [
        "khac@example.com"
    ]
    number = customer_orders[1].number
    by_number = api_client.execute(STAFF_ORDERS, {"search": f"#{number}"}, token=token)
    assert [e["node"]["number"] for e in by_number["data"]["orders"]["edges"]] == [str(number)]
    by_product = api_client.execute(STAFF_ORDERS, {"search": "nuoc mam"}, token=token)
    assert by_product["data"]["orders"]["totalCount"] == 4
    by_user = api_client.execute(
        STAFF_ORDERS, {"where": {"user": {"eq": "khach@example.com"}}}, token=token
    )
    assert by_user["data"]["orders"]["totalCount"] == 3
    other_channel = api_client.execute(STAFF_ORDERS, {"channel": "intl"}, token=token)
    assert other_channel["data"]["orders"]["totalCount"] == 0


def test_line_thumbnail_is_the_variant_image_else_the_product_image(api_client, order, variant):
    product_image = ProductMedia.objects.create(
        product=variant.product, image=png_file("chai.png"), alt="Chai nước mắm"
    )
    query = """query ($id: ID!) {
      order(id: $id) { lines { thumbnail(size: 64) { url alt } } }
    }"""
    variables = {"id": global_id("Order", order.pk)}

    [line] = api_client.execute(query, variables)["data"]["order"]["lines"]
    assert global_id("ProductMedia", product_image.pk) in line["thumbnail"]["url"]
    assert line["thumbnail"]["alt"] == "Chai nước mắm"

    variant_image = ProductMedia.objects.create(
        product=variant.product, image=png_file("hop.png"), alt="Hộp quà", sort_order=1
    )
    variant_image.variants.add(variant)
    [line] = api_client.execute(query, variables)["data"]["order"]["lines"]
    assert global_id("ProductMedia", variant_image.pk) in line["thumbnail"]["url"]

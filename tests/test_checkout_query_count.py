"""A checkout costs a fixed number of SQL queries whatever its number of lines."""

import pytest

from backend.checkout.models import CheckoutLine
from backend.core.ids import global_id

pytestmark = pytest.mark.django_db

LINES = """
query Checkout($id: ID) {
  checkout(id: $id) {
    id
    lines { id quantity variant { id name product { name } } totalPrice { gross { amount } } }
    totalPrice { gross { amount } }
  }
}
"""
FULL = """
query Checkout($id: ID) {
  checkout(id: $id) {
    id email quantity isShippingRequired
    lines { id quantity variant { id name product { name } } totalPrice { gross { amount } } }
    subtotalPrice { gross { amount } }
    shippingPrice { gross { amount } }
    totalPrice { gross { amount } }
    shippingAddress { city } billingAddress { city }
    shippingMethods { id name price { amount } }
    availableCollectionPoints { id name }
    deliveryMethod { ... on ShippingMethod { id name } }
    availablePaymentGateways { id name }
    chargeStatus authorizeStatus problems { __typename }
  }
}
"""


def _add_lines(checkout, make_product, count):
    for index in range(count):
        product = make_product(f"Đặc sản {index}", f"dac-san-{index}", prices_vnd=(50_000,))
        CheckoutLine.objects.create(checkout=checkout, variant=product.variants.get(), quantity=1)


@pytest.mark.parametrize("query", [LINES, FULL])
def test_checkout_queries_do_not_grow_with_lines(
    api_client, checkout, make_product, django_assert_max_num_queries, query
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    variables = {"id": global_id("Checkout", checkout.pk)}
    with CaptureQueriesContext(connection) as one_line:
        result = api_client.execute(query, variables)
    assert len(result["data"]["checkout"]["lines"]) == 1

    _add_lines(checkout, make_product, 10)
    with django_assert_max_num_queries(len(one_line.captured_queries)):
        result = api_client.execute(query, variables)
    assert len(result["data"]["checkout"]["lines"]) == 11


def test_checkout_lines_query_is_cheap(
    api_client, checkout, make_product, django_assert_max_num_queries
):
    _add_lines(checkout, make_product, 10)

    with django_assert_max_num_queries(8):
        result = api_client.execute(LINES, {"id": global_id("Checkout", checkout.pk)})

    names = [line["variant"]["product"]["name"] for line in result["data"]["checkout"]["lines"]]
    assert names[0] == "Nước mắm Phú Quốc"
    assert len(names) == 11

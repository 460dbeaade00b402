"""Per-process copies of channels, categories and product types' attributes
(backend/core/reference.py): reused across requests, never stale after a change, never holding
rows a transaction rolled back. Committed data, so these tests use real transactions."""

import gc

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from backend.attribute.models import AttributeValue
from backend.channel.models import Channel
from backend.core.reference import TOKEN_KEY
from backend.product.models import Category

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LIST = """
query ($channel: String) {
  products(first: 10, channel: $channel) {
    edges { node {
      slug
      category { slug name }
      assignedAttributes(limit: 5) {
        attribute { slug name }
        ... on AssignedSingleChoiceAttribute { value { slug } }
      }
    } }
  }
}
"""
REFERENCE_TABLES = (
    "channel_channel",
    "product_category",
    "attribute_attributeproduct",
    "attribute_attributevalue",
)


def _list(api_client, channel="vn"):
    with CaptureQueriesContext(connection) as captured:
        result = api_client.execute(LIST, {"channel": channel})
    tables = [
        table
        for table in REFERENCE_TABLES
        for query in captured.captured_queries
        if f'FROM "{table}"' in query["sql"]
    ]
    return result, tables


def _cards(result):
    return {edge["node"]["slug"]: edge["node"] for edge in result["data"]["products"]["edges"]}


def test_second_list_reads_no_reference_table(api_client, catalog):
    first, first_tables = _list(api_client)
    second, second_tables = _list(api_client)

    assert first_tables  # the first request of the process loads them
    assert second_tables == []
    assert second == first
    phu_quoc = _cards(second)["nuoc-mam-phu-quoc"]
    assert phu_quoc["category"] == {"slug": "nuoc-mam", "name": "Nước mắm"}
    assert phu_quoc["assignedAttributes"] == [
        {"attribute": {"slug": "vung-mien", "name": "Vùng miền"}, "value": {"slug": "mien-nam"}}
    ]


def test_a_saved_change_shows_in_the_next_request(api_client, catalog, category_tree):
    _list(api_client)
    fish_sauce = category_tree["fish_sauce"]
    fish_sauce.name = "Nước mắm truyền thống"
    fish_sauce.save()

    result, tables = _list(api_client)

    assert "product_category" in tables
    card = _cards(result)["nuoc-mam-phu-quoc"]
    assert card["category"]["name"] == "Nước mắm truyền thống"


def test_another_process_change_shows_in_the_next_request(api_client, catalog):
    """Another process's save replaces the shared token; this process's copy is then stale."""
    _list(api_client)
    Category.objects.filter(slug="nuoc-mam").update(name="Nước chấm")  # no model signal here
    stale, _ = _list(api_client)
    assert _cards(stale)["nuoc-mam-phu-quoc"]["category"]["name"] == "Nước mắm"

    cache.set(TOKEN_KEY, "written-by-another-process")
    fresh, tables = _list(api_client)

    assert "product_category" in tables
    assert _cards(fresh)["nuoc-mam-phu-quoc"]["category"]["name"] == "Nước chấm"


def test_a_new_channel_is_found_at_once(api_client, catalog):
    missing, _ = _list(api_client, channel="lao")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    Channel.objects.create(name="Lào", slug="lao", currency_code="LAK")
    found, _ = _list(api_client, channel="lao")

    assert "errors" not in found
    assert found["data"]["products"]["edges"] == []


def test_rows_of_a_rolled_back_transaction_are_never_served(api_client, catalog):
    with pytest.raises(RuntimeError), transaction.atomic():
        Channel.objects.create(name="Lào", slug="lao", currency_code="LAK")
        inside, _ = _list(api_client, channel="lao")
        assert "errors" not in inside  # the transaction sees its own channel
        raise RuntimeError("rolled back")

    after, _ = _list(api_client, channel="lao")

    assert after["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_list_leaves_its_loaded_rows_to_reference_counting(api_client, catalog):
    """Rows loaded for a request are freed when it ends, not piled up for the cycle collector
    (whose pauses would land inside later requests)."""
    _list(api_client)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result, _ = _list(api_client)
        gc.collect()
        # type(), not isinstance(): a lazy object in the garbage (the request's CSP nonce) would
        # evaluate itself when asked for its class.
        left = [row for row in gc.garbage if type(row) is AttributeValue]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()

    assert _cards(result)["nuoc-mam-phu-quoc"]["assignedAttributes"]
    assert left == []

"""The marketplace sync in the API: `marketplaceAccounts`, `marketplaceAccount(id)` and
`ProductVariant.marketplaceMappings`, for MANAGE_INTEGRATIONS (every shop) and a producer's
members (their own shops only); figures from the status module; no credentials."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from backend.account.jwt import create_access_token
from backend.account.models import User
from backend.core.ids import global_id
from backend.product.models import ProductVariant
from integrations.marketplaces.models import (
    Marketplace,
    MarketplaceAccount,
    ReconciliationRun,
    SyncStatus,
    VariantMapping,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = """
query ($first: Int, $after: String, $filter: MarketplaceAccountFilterInput) {
  marketplaceAccounts(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id marketplace name enabled safetyBuffer producer { name }
      mappedCount syncedCount waitingCount parkedCount lastPushAt lagSeconds
      lastReconciliation { checked drifted }
      mappings(first: 50) { totalCount edges { node {
        itemId sellerSku pushedQuantity stockStatus priceStatus lastError lagSeconds
        variant { sku }
      } } }
    } }
  }
}"""

ACCOUNT = """
query ($id: ID!, $status: MarketplaceSyncStatusEnum) {
  marketplaceAccount(id: $id) {
    name parkedCount
    mappings(first: 10, status: $status) { edges { node { sellerSku stockStatus lastError } } }
  }
}"""

VARIANT_MAPPINGS = """
query ($id: ID!) {
  productVariant(id: $id, channel: "vn") {
    sku marketplaceMappings { itemId stockStatus pushedQuantity }
  }
}"""


def make_account(cast, channel, name, marketplace=Marketplace.TIKI, **fields):
    return MarketplaceAccount.objects.create(
        producer=cast.producer if cast else None,
        marketplace=marketplace,
        name=name,
        channel=channel,
        app_key="khoa-ung-dung",
        app_secret="bi-mat-rat-rieng",
        access_token="the-truy-cap-rieng",
        **fields,
    )


def map_variant(account, variant, item_id, **fields):
    return VariantMapping.objects.create(
        account=account, variant=variant, item_id=item_id, seller_sku=variant.sku, **fields
    )


@pytest.fixture
def integrations_manager(db):
    user = User.objects.create_user("tich-hop@ocop.example", "mat-khau-dai-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_integrations"))
    return user


@pytest.fixture
def shops(producer_a, producer_b, channel_vn):
    """Producer A's Tiki shop (one SKU synced, one parked), producer B's PostMart shop and the
    office's own Tiki shop."""
    now = timezone.now()
    tiki_a = make_account(producer_a, channel_vn, "Tiki Tân Cương", safety_buffer=2)
    map_variant(
        tiki_a,
        producer_a.variant,
        "1001",
        stock_status=SyncStatus.SYNCED,
        stock_version=3,
        pushed_version=3,
        pushed_quantity=18,
        pushed_at=now - timedelta(minutes=5),
        changed_at=now - timedelta(minutes=5, seconds=4),
    )
    second = ProductVariant.objects.create(product=producer_a.product, sku="tra-2", name="Túi 1 kg")
    map_variant(
        tiki_a,
        second,
        "1002",
        stock_status=SyncStatus.PARKED,
        stock_version=2,
        pushed_version=0,
        changed_at=now - timedelta(hours=1),
        last_error="Tiki: SKU đã bị khóa",
    )
    ReconciliationRun.objects.create(account=tiki_a, checked=2, drifted=1)
    postmart_b = make_account(producer_b, channel_vn, "PostMart Phú Quốc", Marketplace.POSTMART)
    map_variant(postmart_b, producer_b.variant, "2001")
    office = make_account(None, channel_vn, "Tiki OCOP")
    return tiki_a, postmart_b, office


def names(result):
    return [edge["node"]["name"] for edge in result["data"]["marketplaceAccounts"]["edges"]]


def test_an_integrations_manager_sees_every_shop_with_its_status(
    api_client, integrations_manager, shops
):
    api_client.token = create_access_token(integrations_manager)

    result = api_client.execute(ACCOUNTS, {"first": 10})

    assert "errors" not in result, result
    assert names(result) == ["Tiki Tân Cương", "PostMart Phú Quốc", "Tiki OCOP"]
    tiki = result["data"]["marketplaceAccounts"]["edges"][0]["node"]
    assert tiki["marketplace"] == "TIKI" and tiki["safetyBuffer"] == 2
    assert tiki["producer"] == {"name": "HTX tra-tan-cuong"}
    assert (tiki["mappedCount"], tiki["syncedCount"], tiki["waitingCount"]) == (2, 1, 0)
    assert tiki["parkedCount"] == 1
    assert tiki["lastPushAt"] is not None and tiki["lagSeconds"] is None
    assert tiki["lastReconciliation"] == {"checked": 2, "drifted": 1}
    mappings = [edge["node"] for edge in tiki["mappings"]["edges"]]
    assert [(m["sellerSku"], m["stockStatus"], m["pushedQuantity"]) for m in mappings] == [
        ("tra-tan-cuong-1", "SYNCED", 18),
        ("tra-2", "PARKED", None),
    ]
    assert mappings[0]["lagSeconds"] == 4
    assert mappings[1]["lastError"] == "Tiki: SKU đã bị khóa"
    assert mappings[1]["lagSeconds"] >= 3600
    office = result["data"]["marketplaceAccounts"]["edges"][2]["node"]
    assert office["producer"] is None and office["mappedCount"] == 0


def test_filters_by_marketplace_and_producer(api_client, integrations_manager, shops, producer_b):
    api_client.token = create_access_token(integrations_manager)

    tiki = api_client.execute(ACCOUNTS, {"first": 10, "filter": {"marketplace": "TIKI"}})
    of_b = api_client.execute(
        ACCOUNTS,
        {"first": 10, "filter": {"producer": global_id("Producer", producer_b.producer.pk)}},
    )

    assert names(tiki) == ["Tiki Tân Cương", "Tiki OCOP"]
    assert names(of_b) == ["PostMart Phú Quốc"]


def test_a_member_sees_only_their_producers_shops(api_client, producer_a, shops):
    tiki_a, postmart_b, _office = shops
    api_client.token = create_access_token(producer_a.owner)

    listed = api_client.execute(ACCOUNTS, {"first": 10})
    own = api_client.execute(ACCOUNT, {"id": global_id("MarketplaceAccount", tiki_a.pk)})
    other = api_client.execute(ACCOUNT, {"id": global_id("MarketplaceAccount", postmart_b.pk)})

    assert names(listed) == ["Tiki Tân Cương"]
    assert listed["data"]["marketplaceAccounts"]["totalCount"] == 1
    assert own["data"]["marketplaceAccount"]["parkedCount"] == 1
    assert other == {"data": {"marketplaceAccount": None}}


def test_mappings_filter_by_status(api_client, producer_a, shops):
    api_client.token = create_access_token(producer_a.owner)

    result = api_client.execute(
        ACCOUNT, {"id": global_id("MarketplaceAccount", shops[0].pk), "status": "PARKED"}
    )

    edges = result["data"]["marketplaceAccount"]["mappings"]["edges"]
    assert [edge["node"]["sellerSku"] for edge in edges] == ["tra-2"]


def test_variant_mappings_follow_the_same_rule(
    api_client, integrations_manager, producer_a, producer_b, shops
):
    variant_a = global_id("ProductVariant", producer_a.variant.pk)
    variant_b = global_id("ProductVariant", producer_b.variant.pk)

    api_client.token = create_access_token(integrations_manager)
    staff_b = api_client.execute(VARIANT_MAPPINGS, {"id": variant_b})
    api_client.token = create_access_token(producer_a.owner)
    own = api_client.execute(VARIANT_MAPPINGS, {"id": variant_a})
    other = api_client.execute(VARIANT_MAPPINGS, {"id": variant_b})

    assert staff_b["data"]["productVariant"]["marketplaceMappings"] == [
        {"itemId": "2001", "stockStatus": "PENDING", "pushedQuantity": None}
    ]
    assert own["data"]["productVariant"]["marketplaceMappings"] == [
        {"itemId": "1001", "stockStatus": "SYNCED", "pushedQuantity": 18}
    ]
    assert other["data"]["productVariant"]["marketplaceMappings"] == []


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff without permission"])
def test_others_are_refused(api_client, who, customer_token, staff_token, producer_a, shops):
    api_client.token = {"customer": customer_token, "staff without permission": staff_token}.get(
        who
    )

    listed = api_client.execute(ACCOUNTS, {"first": 10})
    one = api_client.execute(ACCOUNT, {"id": global_id("MarketplaceAccount", shops[0].pk)})
    variant = api_client.execute(
        VARIANT_MAPPINGS, {"id": global_id("ProductVariant", producer_a.variant.pk)}
    )

    for result, field in ((listed, "marketplaceAccounts"), (one, "marketplaceAccount")):
        assert result["data"][field] is None, result
        assert result["errors"][0]["extensions"]["code"] == "PermissionDenied"
    assert variant["errors"][0]["extensions"]["code"] == "PermissionDenied"
    assert variant["errors"][0]["path"] == ["productVariant", "marketplaceMappings"]


def test_credentials_are_not_in_the_schema(api_client, integrations_manager, shops):
    from backend.graphql.api import schema

    fields = schema.graphql_schema.get_type("MarketplaceAccount").fields
    assert not {"appSecret", "accessToken", "refreshToken", "appKey", "credentials"} & set(fields)
    api_client.token = create_access_token(integrations_manager)
    text = str(api_client.execute(ACCOUNTS, {"first": 10}))
    assert "bi-mat-rat-rieng" not in text and "the-truy-cap-rieng" not in text


def _shops_with_mappings(count, producer, channel):
    for i in range(count):
        account = make_account(producer, channel, f"Tiki {i}")
        variant = ProductVariant.objects.create(
            product=producer.product, sku=f"sku-{i}", name=f"Hộp {i}"
        )
        map_variant(account, variant, f"item-{i}", pushed_at=timezone.now())
        ReconciliationRun.objects.create(account=account, checked=1, drifted=0)


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_queries_for_1_or_20_shops(
    api_client,
    integrations_manager,
    producer_a,
    channel_vn,
    count,
    django_assert_max_num_queries,
):
    _shops_with_mappings(count, producer_a, channel_vn)
    api_client.token = create_access_token(integrations_manager)

    with django_assert_max_num_queries(10):
        result = api_client.execute(ACCOUNTS, {"first": 50})

    assert len(result["data"]["marketplaceAccounts"]["edges"]) == count
    assert all(
        edge["node"]["mappedCount"] == 1 and edge["node"]["mappings"]["totalCount"] == 1
        for edge in result["data"]["marketplaceAccounts"]["edges"]
    )


@pytest.mark.parametrize("count", [1, 20])
def test_a_members_list_costs_the_same_queries_for_1_or_20_shops(
    api_client, producer_a, channel_vn, count, django_assert_max_num_queries
):
    _shops_with_mappings(count, producer_a, channel_vn)
    api_client.token = create_access_token(producer_a.owner)

    with django_assert_max_num_queries(11):
        result = api_client.execute(ACCOUNTS, {"first": 50})

    assert len(result["data"]["marketplaceAccounts"]["edges"]) == count

"""The livestream API: `liveEvents` / `liveEvent` (drafts for MANAGE_LIVESTREAMS only, bounded
queries whatever the page holds) and the mutations of staff and hosts, where a refused step
answers `errors` and changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.account.models import User
from backend.core.ids import global_id
from backend.livestream import services
from backend.livestream.models import (
    EventOffer,
    EventStatus,
    LiveEvent,
    LivestreamerIdentity,
    Platform,
    ProductSet,
)
from backend.ocop.models import Province
from backend.warehouse.models import Reservation
from tests.fixtures.accounts import access_token_for

pytestmark = pytest.mark.django_db

LIST = """
query ($filter: LiveEventFilterInput, $first: Int = 20) {
  liveEvents(first: $first, filter: $filter) {
    totalCount
    edges { node {
      slug title status platform streamUrl replayUrl isHidden coverUrl
      organiser { name } province { slug }
      products { id sold quota remaining perBuyerLimit
                 livePrice { amount currency } regularPrice { amount currency }
                 variant { sku name } }
      pinnedProducts { pinnedAt product { variant { sku } } }
    } }
  }
}
"""
ONE = """
query ($slug: String!) {
  liveEvent(slug: $slug) {
    slug status streamUrl isHidden
    products { id sold remaining livePrice { amount } regularPrice { amount } variant { sku } }
    pinnedProducts { product { id livePrice { amount } } }
  }
}
"""


@pytest.fixture
def manager(db):
    user = User.objects.create_user("dieu-phoi@example.com", "mat-khau-2026", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="livestream", codename="manage_livestreams")
    )
    return user


@pytest.fixture
def host(db):
    return User.objects.create_user("mc@example.com", "mat-khau-2026")


def make_event(cast, slug, status=EventStatus.SCHEDULED, province="thai-nguyen", **fields):
    start = timezone.now() + timedelta(days=1)
    event = LiveEvent.objects.create(
        title=f"Phiên {slug}",
        slug=slug,
        organiser=cast.producer,
        province=Province.objects.get(slug=province),
        channel=cast.warehouse.channels.get(),
        platform=Platform.YOUTUBE,
        stream_url=f"https://www.youtube.com/watch?v={slug}",
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
        status=status,
        **fields,
    )
    EventOffer.objects.create(
        event=event, variant=cast.variant, live_price=99_000, quota=5, per_buyer_limit=2, sold=1
    )
    return event


def slugs(response):
    return [edge["node"]["slug"] for edge in response["data"]["liveEvents"]["edges"]]


def test_the_public_sees_events_once_scheduled_and_staff_see_drafts(
    api_client, producer_a, manager
):
    make_event(producer_a, "nhap", status=EventStatus.DRAFT)
    make_event(producer_a, "sap-dien-ra")

    assert slugs(api_client.execute(LIST)) == ["sap-dien-ra"]
    assert api_client.execute(ONE, {"slug": "nhap"})["data"]["liveEvent"] is None
    staff = api_client.execute(LIST, token=access_token_for(manager))
    assert sorted(slugs(staff)) == ["nhap", "sap-dien-ra"]


def test_events_filter_by_status_and_province(api_client, producer_a, producer_b):
    make_event(producer_a, "thai-nguyen-live", status=EventStatus.LIVE)
    make_event(producer_b, "an-giang-sap-toi", province="an-giang")
    make_event(producer_b, "an-giang-da-xong", status=EventStatus.ENDED, province="an-giang")

    live = api_client.execute(LIST, {"filter": {"status": ["LIVE"]}})
    assert slugs(live) == ["thai-nguyen-live"]
    upcoming_or_ended = api_client.execute(LIST, {"filter": {"status": ["SCHEDULED", "ENDED"]}})
    assert sorted(slugs(upcoming_or_ended)) == ["an-giang-da-xong", "an-giang-sap-toi"]
    by_slug = api_client.execute(LIST, {"filter": {"province": "an-giang"}})
    assert sorted(slugs(by_slug)) == ["an-giang-da-xong", "an-giang-sap-toi"]
    province_id = global_id("Province", Province.objects.get(slug="thai-nguyen").pk)
    by_id = api_client.execute(LIST, {"filter": {"province": province_id}})
    assert slugs(by_id) == ["thai-nguyen-live"]


def test_an_event_shows_its_products_prices_and_pins(api_client, producer_a):
    event = make_event(producer_a, "dang-live", status=EventStatus.LIVE, started_at=timezone.now())
    services.pin(event, event.offers.get())

    data = api_client.execute(ONE, {"slug": "dang-live"})["data"]["liveEvent"]

    [product] = data["products"]
    assert product["variant"]["sku"] == "tra-tan-cuong-1"
    assert product["livePrice"] == {"amount": 99_000}
    assert product["regularPrice"] == {"amount": 120_000}
    assert (product["sold"], product["remaining"]) == (1, 4)
    assert data["pinnedProducts"] == [
        {"product": {"id": product["id"], "livePrice": product["livePrice"]}}
    ]
    assert data["streamUrl"] == "https://www.youtube.com/watch?v=dang-live"


def test_a_stopped_event_hides_its_stream(api_client, producer_a):
    event = make_event(producer_a, "bi-dung", status=EventStatus.LIVE, started_at=timezone.now())
    services.stop_and_hide(event, "Yêu cầu của cơ quan chức năng")

    data = api_client.execute(ONE, {"slug": "bi-dung"})["data"]["liveEvent"]
    assert data == {**data, "status": "ENDED", "isHidden": True, "streamUrl": None}


def _list_queries(api_client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api_client.execute(LIST, {"first": 20})
    assert "errors" not in response
    return len(queries)


def test_the_list_costs_the_same_queries_for_1_or_10_events(api_client, producer_a):
    event = make_event(producer_a, "su-kien-0", status=EventStatus.LIVE, started_at=timezone.now())
    services.pin(event, event.offers.get())
    one = _list_queries(api_client)
    for index in range(1, 10):
        event = make_event(
            producer_a, f"su-kien-{index}", status=EventStatus.LIVE, started_at=timezone.now()
        )
        services.pin(event, event.offers.get())
    assert _list_queries(api_client) == one
    assert one <= 12


# --- mutations ------------------------------------------------------------------------------
CREATE = """
mutation ($input: LiveEventInput!) {
  liveEventCreate(input: $input) {
    liveEvent { id slug status products { id quota livePrice { amount } } }
    errors { field code message }
  }
}
"""
STEP = """
mutation ($id: ID!) {
  schedule: liveEventSchedule(id: $id) { liveEvent { status } errors { field code message } }
}
"""
START = """
mutation ($id: ID!) {
  liveEventStart(id: $id) { liveEvent { status startedAt } errors { field code message } }
}
"""
END = """
mutation ($id: ID!) {
  liveEventEnd(id: $id) { liveEvent { status pinnedProducts { pinnedAt } } errors { code } }
}
"""
PIN = """
mutation ($id: ID!, $product: ID!) {
  liveEventPin(id: $id, productId: $product) {
    liveEvent { pinnedProducts { product { id } } }
    errors { field code message }
  }
}
"""
PRODUCTS_SET = """
mutation ($id: ID!, $offers: [LiveEventOfferInput!]) {
  liveEventProductsSet(id: $id, offers: $offers) {
    liveEvent { products { quota } }
    errors { field code message }
  }
}
"""


def _input(cast, host, **overrides):
    start = timezone.now() + timedelta(days=2)
    return {
        "title": "Trà Tân Cương lên sóng",
        "slug": "tra-len-song",
        "organiser": global_id("Producer", cast.producer.pk),
        "channel": "vn",
        "hosts": [global_id("User", host.pk)],
        "platform": "YOUTUBE",
        "streamUrl": "https://www.youtube.com/watch?v=tra",
        "scheduledStart": start.isoformat(),
        "scheduledEnd": (start + timedelta(hours=1)).isoformat(),
        "offers": [
            {
                "variant": global_id("ProductVariant", cast.variant.pk),
                "livePrice": 95_000,
                "quota": 8,
                "perBuyerLimit": 2,
            }
        ],
        **overrides,
    }


def test_only_livestream_managers_create_events(api_client, producer_a, host, customer_user):
    for token in (None, access_token_for(customer_user), access_token_for(host)):
        response = api_client.execute(CREATE, {"input": _input(producer_a, host)}, token=token)
        assert response["errors"][0]["extensions"]["code"] == "PermissionDenied"
    assert not LiveEvent.objects.exists()


def test_an_event_from_draft_to_end_with_a_verified_host(api_client, producer_a, manager, host):
    staff = access_token_for(manager)
    created = api_client.execute(CREATE, {"input": _input(producer_a, host)}, token=staff)
    event = created["data"]["liveEventCreate"]["liveEvent"]
    assert created["data"]["liveEventCreate"]["errors"] == []
    assert event["status"] == "DRAFT"
    assert event["products"][0]["livePrice"] == {"amount": 95_000}

    scheduled = api_client.execute(STEP, {"id": event["id"]}, token=staff)["data"]["schedule"]
    assert scheduled == {"liveEvent": {"status": "SCHEDULED"}, "errors": []}
    assert Reservation.objects.get(stock__product_variant=producer_a.variant).quantity_reserved == 8

    host_token = access_token_for(host)
    refused = api_client.execute(START, {"id": event["id"]}, token=host_token)
    assert refused["data"]["liveEventStart"]["errors"][0]["code"] == "HOST_NOT_VERIFIED"
    assert LiveEvent.objects.get().status == EventStatus.SCHEDULED

    LivestreamerIdentity.objects.create(
        user=host, full_name="Nguyễn Thị Mai", id_number="001190000001",
        verified_at=timezone.now(), verified_by=manager,
    )  # fmt: skip
    started = api_client.execute(START, {"id": event["id"]}, token=host_token)
    assert started["data"]["liveEventStart"]["liveEvent"]["status"] == "LIVE"

    product_id = event["products"][0]["id"]
    pinned = api_client.execute(PIN, {"id": event["id"], "product": product_id}, token=host_token)
    assert pinned["data"]["liveEventPin"]["liveEvent"]["pinnedProducts"] == [
        {"product": {"id": product_id}}
    ]

    ended = api_client.execute(END, {"id": event["id"]}, token=host_token)["data"]["liveEventEnd"]
    assert ended == {"liveEvent": {"status": "ENDED", "pinnedProducts": []}, "errors": []}
    assert not Reservation.objects.exists()


def test_someone_elses_event_cannot_be_started_by_a_host(api_client, producer_a, host):
    other = make_event(producer_a, "cua-nguoi-khac")
    response = api_client.execute(
        START, {"id": global_id("LiveEvent", other.pk)}, token=access_token_for(host)
    )
    assert response["errors"][0]["extensions"]["code"] == "PermissionDenied"
    assert LiveEvent.objects.get().status == EventStatus.SCHEDULED


def test_refused_steps_change_nothing(api_client, producer_a, manager, host):
    staff = access_token_for(manager)
    event = make_event(producer_a, "giu-nguyen", status=EventStatus.DRAFT)
    event_id = global_id("LiveEvent", event.pk)

    unknown = [{"variant": global_id("ProductVariant", 999_999), "quota": 1}]
    response = api_client.execute(PRODUCTS_SET, {"id": event_id, "offers": unknown}, token=staff)
    assert response["data"]["liveEventProductsSet"]["errors"][0]["code"] == "NOT_FOUND"

    below_sold = [{"variant": global_id("ProductVariant", producer_a.variant.pk), "quota": 0}]
    response = api_client.execute(PRODUCTS_SET, {"id": event_id, "offers": below_sold}, token=staff)
    assert response["data"]["liveEventProductsSet"]["errors"][0]["code"] == "QUOTA_EXCEEDED"
    assert list(event.offers.values_list("quota", flat=True)) == [5]

    EventOffer.objects.filter(event=event).update(quota=500)
    short = api_client.execute(STEP, {"id": event_id}, token=staff)["data"]["schedule"]
    assert short["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert LiveEvent.objects.get().status == EventStatus.DRAFT
    assert not Reservation.objects.exists()

    taken = api_client.execute(
        CREATE, {"input": _input(producer_a, host, slug="giu-nguyen")}, token=staff
    )
    assert taken["data"]["liveEventCreate"]["errors"][0] == {
        **taken["data"]["liveEventCreate"]["errors"][0],
        "field": "slug",
        "code": "UNIQUE",
    }
    assert LiveEvent.objects.count() == 1


def test_a_product_set_loads_its_variants_with_the_given_live_prices(
    api_client, producer_a, producer_b, manager
):
    event = make_event(producer_a, "bo-san-pham", status=EventStatus.DRAFT)
    product_set = ProductSet.objects.create(name="Đặc sản hai miền")
    product_set.variants.add(producer_a.variant, producer_b.variant)
    query = """
    mutation ($id: ID!, $set: ID, $offers: [LiveEventOfferInput!]) {
      liveEventProductsSet(id: $id, productSet: $set, offers: $offers) {
        liveEvent { products { variant { sku } livePrice { amount } quota sold } }
        errors { code }
      }
    }
    """
    offers = [{"variant": global_id("ProductVariant", producer_b.variant.pk), "livePrice": 89_000}]
    response = api_client.execute(
        query,
        {
            "id": global_id("LiveEvent", event.pk),
            "set": global_id("ProductSet", product_set.pk),
            "offers": offers,
        },
        token=access_token_for(manager),
    )["data"]["liveEventProductsSet"]

    assert response["errors"] == []
    assert response["liveEvent"]["products"] == [
        {"variant": {"sku": "tra-tan-cuong-1"}, "livePrice": None, "quota": None, "sold": 1},
        {"variant": {"sku": "nuoc-mam-phu-quoc-1"}, "livePrice": {"amount": 89_000},
         "quota": None, "sold": 0},
    ]  # fmt: skip


def test_the_office_stops_a_live_event_and_managing_livestreams_is_a_permission(
    api_client, producer_a, manager
):
    event = make_event(producer_a, "dung-lai", status=EventStatus.LIVE, started_at=timezone.now())
    stop = """
    mutation ($id: ID!, $reason: String!) {
      liveEventStop(id: $id, reason: $reason) {
        liveEvent { status isHidden streamUrl } errors { field code }
      }
    }
    """
    variables = {"id": global_id("LiveEvent", event.pk), "reason": "  "}
    blank = api_client.execute(stop, variables, token=access_token_for(manager))
    assert blank["data"]["liveEventStop"]["errors"] == [{"field": "reason", "code": "REQUIRED"}]
    assert LiveEvent.objects.get().status == EventStatus.LIVE

    variables["reason"] = "Vi phạm quy chế livestream"
    stopped = api_client.execute(stop, variables, token=access_token_for(manager))
    assert stopped["data"]["liveEventStop"]["liveEvent"] == {
        "status": "ENDED",
        "isHidden": True,
        "streamUrl": None,
    }
    enum = api_client.execute('{ __type(name: "PermissionEnum") { enumValues { name } } }')
    assert {"name": "MANAGE_LIVESTREAMS"} in enum["data"]["__type"]["enumValues"]

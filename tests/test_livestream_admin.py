"""The office runs livestreams from the admin with MANAGE_LIVESTREAMS: verifies hosts'
identities, schedules and stops events (stopping hides the stream and ends a live event at
once), loads product sets, resolves complaints and reads each event's report and CSV."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from backend.account.models import User
from backend.livestream.models import (
    ActivityKind,
    Complaint,
    EventStatus,
    LivestreamerIdentity,
    ProductSet,
    ViewerActivity,
)
from tests.livestream_office_factory import make_event
from tests.order_factory import grant
from tests.test_admin_console import untranslated

EVENTS = "/admin/livestream/liveevent/"


def staff_client(email, *permissions):
    user = User.objects.create_user(email, "mat-khau-dai-123", is_staff=True)
    for codename in permissions:
        user = grant(user, "livestream", codename)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def office(db):
    return staff_client("livestream@ocop.example", "manage_livestreams")


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser("admin@ocop.example", "Mat-khau-dai-1!")
    )
    return client


@pytest.fixture
def event(channel_vn):
    return make_event(channel_vn)


HOSTS_UNVERIFIED = (
    "Every host's identity must be verified by the office before the event goes live."
)


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def shown(response) -> list[tuple[str, str]]:
    """The messages the admin showed after the action."""
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def act(client, url, action, objects, **data):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects], **data},
        follow=True,
    )


def test_staff_without_the_permission_are_refused(event):
    clerk = staff_client("thu.ky@ocop.example")
    for url in (
        EVENTS,
        f"{EVENTS}{event.pk}/change/",
        f"{EVENTS}{event.pk}/report/",
        f"{EVENTS}{event.pk}/report.csv",
        "/admin/livestream/complaint/",
        "/admin/livestream/livestreameridentity/",
    ):
        assert clerk.get(url).status_code == 403, url


def test_office_verifies_a_host_then_the_event_goes_live(office, event):
    host = User.objects.create_user("host@htx.vn", "mat-khau-dai-123")
    identity = LivestreamerIdentity.objects.create(
        user=host, full_name="Trần Thị Hoa", id_number="036190001234"
    )
    event.hosts.add(host)
    refused = act(office, EVENTS, "go_live", [event])
    assert shown(refused) == [("error", f"{event}: {vi(HOSTS_UNVERIFIED)}")]
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED

    page = act(office, "/admin/livestream/livestreameridentity/", "verify", [identity])
    assert "Đã xác minh 1 danh tính." in page.content.decode()
    identity.refresh_from_db()
    assert identity.verified_at is not None and identity.verified_by == office.user

    page = act(office, EVENTS, "go_live", [event]).content.decode()
    assert "1 phiên đang phát trực tiếp." in page
    event.refresh_from_db()
    assert event.status == EventStatus.LIVE


def test_stop_and_hide_asks_a_reason_then_ends_the_live_event(office, event):
    event.status, event.started_at = EventStatus.LIVE, timezone.now()
    event.save()
    form = act(office, EVENTS, "stop_and_hide", [event]).content.decode()
    assert "Lý do dừng" in form and 'name="apply"' in form
    event.refresh_from_db()
    assert not event.stream_hidden

    page = act(
        office, EVENTS, "stop_and_hide", [event], apply="1", reason="Bán hàng giả mạo OCOP"
    ).content.decode()
    assert "Đã dừng và ẩn 1 phiên." in page
    event.refresh_from_db()
    assert event.stream_hidden and event.status == EventStatus.ENDED
    assert event.stop_reason == "Bán hàng giả mạo OCOP" and event.ended_at is not None


def test_refused_steps_show_the_services_message(office, event):
    response = act(office, EVENTS, "end_events", [event])
    assert shown(response) == [("error", f"{event}: {vi('Only a live event can be ended.')}")]
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED


def test_loading_a_product_set_adds_its_variants_once(office, event, producer_a, producer_b):
    product_set = ProductSet.objects.create(name="Đặc sản Thái Nguyên")
    product_set.variants.add(producer_a.variant, producer_b.variant)
    event.offers.create(variant=producer_a.variant, live_price=99_000)
    page = act(
        office, EVENTS, "load_product_set", [event], apply="1", product_set=product_set.pk
    ).content.decode()
    assert "Đã thêm 1 sản phẩm." in page
    assert sorted(event.offers.values_list("variant_id", "live_price")) == sorted(
        [(producer_a.variant.pk, 99_000), (producer_b.variant.pk, None)]
    )


def test_complaints_unresolved_first_and_resolved_with_a_text(office, event):
    old = Complaint.objects.create(event=event, email="a@example.com", message="Giá sai")
    done = Complaint.objects.create(
        event=event,
        email="b@example.com",
        message="Giao chậm",
        resolved_at=timezone.now(),
        resolution="Đã liên hệ",
    )
    new = Complaint.objects.create(event=event, email="c@example.com", message="Mất hình")
    page = office.get("/admin/livestream/complaint/").content.decode()
    assert page.index("c@example.com") < page.index("a@example.com") < page.index("b@example.com")

    page = act(
        office,
        "/admin/livestream/complaint/",
        "resolve",
        [old, new, done],
        apply="1",
        resolution="Đã hoàn tiền chênh lệch",
    ).content.decode()
    assert "Đã xử lý 2 phản ánh." in page
    old.refresh_from_db()
    done.refresh_from_db()
    assert old.resolution == "Đã hoàn tiền chênh lệch" and old.resolved_by == office.user
    assert done.resolution == "Đã liên hệ"


def test_report_page_and_csv(office, event, django_assert_max_num_queries):
    start = timezone.now() - timedelta(hours=1)
    for visitor in ("a", "b"):
        ViewerActivity.objects.create(
            event=event, visitor=visitor, kind=ActivityKind.VIEW, at=start
        )
    with django_assert_max_num_queries(10):
        page = office.get(f"{EVENTS}{event.pk}/report/").content.decode()
    assert "Báo cáo: Phiên live mật ong Hải Hậu" in page
    assert "Người xem cùng lúc cao nhất</th><td>2</td>" in page
    assert "0 ₫" in page and "Chưa có đơn hàng nào." in page
    response = office.get(f"{EVENTS}{event.pk}/report.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "Người xem (không trùng),2" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        EVENTS,
        f"{EVENTS}add/",
        "/admin/livestream/productset/",
        "/admin/livestream/livestreameridentity/",
        "/admin/livestream/complaint/",
    ],
)
def test_livestream_pages_open_for_the_office(office, event, url):
    assert office.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        EVENTS,
        f"{EVENTS}add/",
        "/admin/livestream/productset/add/",
        "/admin/livestream/livestreameridentity/",
        "/admin/livestream/livestreameridentity/add/",
        "/admin/livestream/complaint/",
    ],
)
def test_livestream_pages_have_no_english_labels(superuser_client, event, url):
    assert untranslated(superuser_client, url) == set()


def test_event_list_has_a_bounded_number_of_queries(
    office, channel_vn, django_assert_max_num_queries
):
    for number in range(5):
        make_event(channel_vn, slug=f"phien-{number}")
    with django_assert_max_num_queries(12):
        page = office.get(EVENTS).content.decode()
    assert page.count('/report/"') == 5  # one report link per event

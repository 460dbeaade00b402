"""The public livestream pages: schedule, rules, the event page before, during and after the
stream (and once the office stopped it), reminders, the calendar file, complaints and the
product page's link to its livestream."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.livestream.models import (
    Complaint,
    EventOffer,
    EventStatus,
    LiveEvent,
    Pin,
    Platform,
    Subscription,
)
from backend.ocop.models import Province
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return Shop()


@pytest.fixture
def sauces(shop):
    return shop.category("Nước mắm", "nuoc-mam")


def make_event(shop, slug, status=EventStatus.SCHEDULED, start=None, province=None, **fields):
    start = start or timezone.now() + timedelta(days=2)
    return LiveEvent.objects.create(
        title=fields.pop("title", f"Phiên live {slug}"),
        slug=slug,
        channel=shop.channel,
        province=province or shop.province,
        platform=fields.pop("platform", Platform.YOUTUBE),
        stream_url=fields.pop("stream_url", "https://www.youtube.com/watch?v=abc123XYZ"),
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=2),
        status=status,
        **fields,
    )


def offer(event, product, live_price=99_000, quota=20, sold=0):
    return EventOffer.objects.create(
        event=event,
        variant=product.variants.first(),
        live_price=live_price,
        quota=quota,
        sold=sold,
    )


def products(shop, sauces, count):
    return [
        shop.product(f"Nước mắm {number}", f"nuoc-mam-{number}", sauces) for number in range(count)
    ]


def text(response):
    return response.content.decode()


def event_url(event):
    return reverse("livestream:event", args=[event.slug])


@pytest.mark.parametrize("count", [1, 6])
def test_before_the_stream_a_countdown_remind_me_calendar_and_products(
    client, shop, sauces, count, django_assert_max_num_queries
):
    event = make_event(shop, "phien-cua-lo")
    for product in products(shop, sauces, count):
        offer(event, product)
    with django_assert_max_num_queries(8):
        page = text(client.get(event_url(event)))
    assert "data-countdown=" in page and "Nhắc tôi" in page
    assert reverse("livestream:calendar", args=[event.slug]) in page
    assert reverse("livestream:qr", args=[event.slug]) in page
    assert page.count('href="/san-pham/nuoc-mam-') == count
    assert "99.000 ₫" in page and "125.000 ₫" in page
    assert "<iframe" not in page  # nothing to watch yet
    assert reverse("livestream:rules") in page


def test_during_the_stream_the_player_and_up_to_three_pins_with_live_price_and_quota(
    client, shop, sauces, django_assert_max_num_queries
):
    event = make_event(
        shop, "dang-live", status=EventStatus.LIVE, started_at=timezone.now() - timedelta(minutes=5)
    )
    offers = [offer(event, product, quota=20, sold=5) for product in products(shop, sauces, 5)]
    for pinned in offers[:2]:
        Pin.objects.create(event=event, offer=pinned, pinned_at=timezone.now())
    with django_assert_max_num_queries(10):
        response = client.get(event_url(event))
    page = text(response)
    assert 'src="https://www.youtube-nocookie.com/embed/abc123XYZ"' in page
    assert "frame-src https://www.youtube-nocookie.com" in response["Content-Security-Policy"]
    assert page.count('class="live-pin"') == 2 + 1  # two pins and the script's template
    assert "Còn 15 suất giá livestream" in page
    assert f'data-live-base="/live/{event.slug}/"' in page
    assert page.count("99.000 ₫") >= 2  # each pin at its live price
    assert "livestream.js" in page


def test_after_the_stream_the_replay_with_product_chapters(client, shop, sauces):
    started = timezone.now() - timedelta(hours=3)
    event = make_event(
        shop,
        "da-xong",
        status=EventStatus.ENDED,
        start=started,
        started_at=started,
        ended_at=started + timedelta(hours=1),
        replay_url="https://www.youtube.com/watch?v=replay987",
    )
    first, second = products(shop, sauces, 2)
    Pin.objects.create(
        event=event,
        offer=offer(event, first),
        pinned_at=started + timedelta(minutes=3, seconds=7),
        unpinned_at=started + timedelta(minutes=10),
    )
    Pin.objects.create(
        event=event, offer=offer(event, second), pinned_at=started + timedelta(minutes=12)
    )
    page = text(client.get(event_url(event)))
    assert "youtube-nocookie.com/embed/replay987" in page
    chapters = page.split('class="live-chapters"')[1].split("</ol>")[0]
    assert chapters.index("03:07") < chapters.index("Nước mắm 0") < chapters.index("12:00")
    assert 'href="/san-pham/nuoc-mam-1/"' in chapters
    assert "Nhắc tôi" not in page


def test_a_stopped_stream_is_not_shown(client, shop, sauces):
    event = make_event(
        shop,
        "bi-dung",
        status=EventStatus.ENDED,
        stream_hidden=True,
        started_at=timezone.now() - timedelta(hours=1),
        ended_at=timezone.now(),
        replay_url="https://www.youtube.com/watch?v=replay987",
    )
    offer(event, products(shop, sauces, 1)[0])
    response = client.get(event_url(event))
    page = text(response)
    assert "<iframe" not in page and "replay987" not in page
    assert "Ban điều phối đã dừng phiên livestream này" in page
    assert "frame-src" not in response["Content-Security-Policy"]
    assert "Báo cáo vi phạm" in page


def test_drafts_are_neither_listed_nor_shown(client, shop):
    draft = make_event(shop, "ban-nhap", status=EventStatus.DRAFT, title="Bản nháp bí mật")
    make_event(shop, "sap-dien-ra", title="Phiên sắp diễn ra")
    page = text(client.get(reverse("livestream:schedule")))
    assert "Phiên sắp diễn ra" in page and "Bản nháp bí mật" not in page
    assert client.get(event_url(draft)).status_code == 404


def test_schedule_lists_live_upcoming_and_past_filtered_by_province(
    client, shop, django_assert_max_num_queries
):
    other, _ = Province.objects.get_or_create(
        slug="tinh-thu-nghiem", defaults={"code": "99", "name": "Tỉnh Thử Nghiệm"}
    )
    now = timezone.now()
    make_event(shop, "dang-phat", status=EventStatus.LIVE, title="Đang phát", started_at=now)
    make_event(shop, "sap-toi", title="Sắp tới")
    make_event(
        shop, "o-tinh-khac", title="Ở tỉnh khác", province=other, start=now + timedelta(days=3)
    )
    for number in range(15):
        make_event(
            shop,
            f"cu-{number}",
            status=EventStatus.ENDED,
            title=f"Phiên cũ {number:02d}",
            start=now - timedelta(days=number + 1),
        )
    make_event(shop, "da-huy", status=EventStatus.CANCELLED, title="Đã hủy")
    with django_assert_max_num_queries(6):
        page = text(client.get(reverse("livestream:schedule")))
    assert page.index("Đang phát") < page.index("Sắp tới") < page.index("Phiên cũ 00")
    assert "Ở tỉnh khác" in page and "Đã hủy" not in page
    assert "Phiên cũ 11" in page and "Phiên cũ 12" not in page  # 12 past events a page
    assert f'href="?tinh={other.slug}"' in page

    filtered = text(client.get(reverse("livestream:schedule"), {"tinh": other.slug}))
    assert "Ở tỉnh khác" in filtered and "Sắp tới" not in filtered

    second = text(client.get(reverse("livestream:schedule"), {"page": 2}))
    assert "Phiên cũ 12" in second and "Sắp tới" not in second


def test_remind_me_subscribes_once_and_the_link_unsubscribes(client, shop):
    event = make_event(shop, "nhac-toi")
    url = reverse("livestream:remind", args=[event.slug])
    first = client.post(url, {"email": "Lan@Example.vn"}, follow=True)
    assert "Chúng tôi sẽ gửi email" in text(first)
    again = client.post(url, {"email": "lan@example.vn"}, follow=True)
    assert "đã đăng ký nhắc" in text(again)
    subscription = Subscription.objects.get()
    assert subscription.email == "lan@example.vn"

    unsubscribe = reverse("livestream:unsubscribe", args=[subscription.token])
    assert client.get(unsubscribe).status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None  # opening the link changes nothing
    assert "sẽ không nhận thêm" in text(client.post(unsubscribe))
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_remind_me_is_prefilled_for_a_signed_in_buyer_and_refuses_a_bad_email(
    client, shop, customer_user
):
    event = make_event(shop, "nhac-toi")
    client.force_login(customer_user)
    assert f'value="{customer_user.email}"' in text(client.get(event_url(event)))
    response = client.post(
        reverse("livestream:remind", args=[event.slug]), {"email": "khong-hop-le"}
    )
    assert response.status_code == 400
    assert "aria-invalid" in text(response)
    assert not Subscription.objects.exists()


def test_calendar_file_is_rfc_5545_in_utc(client, shop):
    start = datetime(2026, 12, 20, 13, 0, tzinfo=UTC)  # 20:00 in Hà Nội
    event = make_event(
        shop,
        "lich",
        start=start,
        title="Nước mắm, mật ong; trà",
        description="Dòng 1\n" + "Nước mắm Cửa Lò ủ chượp " * 8,
    )
    response = client.get(reverse("livestream:calendar", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    lines = body.split("\r\n")
    assert "DTSTART:20261220T130000Z" in lines and "DTEND:20261220T150000Z" in lines
    assert "SUMMARY:Nước mắm\\, mật ong\\; trà" in lines
    assert any(line.startswith("UID:live-event-") for line in lines)
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = body.replace("\r\n ", "")
    assert "DESCRIPTION:Dòng 1\\n" + "Nước mắm Cửa Lò ủ chượp " * 7 in unfolded
    assert "\n" not in body.replace("\r\n", "")


def test_complaint_is_recorded_bad_input_refused_and_a_session_throttled(client, shop):
    event = make_event(shop, "khieu-nai", status=EventStatus.ENDED)
    url = reverse("livestream:complain", args=[event.slug])
    refused = client.post(url, {"email": "khong-hop-le", "message": "ngắn"})
    assert refused.status_code == 400 and not Complaint.objects.exists()

    report = {"email": "mai@example.vn", "message": "Người dẫn nói sai nguồn gốc sản phẩm."}
    thanks = client.post(url, report, follow=True)
    assert "Cảm ơn bạn" in text(thanks)
    complaint = Complaint.objects.get()
    assert complaint.event == event and complaint.email == "mai@example.vn"

    for _attempt in range(3):
        client.post(url, report)
    assert Complaint.objects.count() == 3  # the fourth in ten minutes is refused


def test_product_page_links_its_upcoming_or_live_event(
    client, shop, sauces, django_assert_max_num_queries
):
    product = products(shop, sauces, 1)[0]
    make_event(shop, "nhap", status=EventStatus.DRAFT, title="Bản nháp")
    offer(LiveEvent.objects.get(slug="nhap"), product)
    upcoming = make_event(shop, "sap-live", title="Phiên sắp live")
    offer(upcoming, product)
    url = reverse("storefront:product", args=[product.slug])
    # As tests/test_storefront.py counts a product page (the event lookup is one of them).
    with django_assert_max_num_queries(15):
        page = text(client.get(url))
    assert "Sắp có trong livestream" in page and 'href="/live/sap-live/"' in page
    assert "Bản nháp" not in page

    live = make_event(
        shop,
        "dang-live",
        status=EventStatus.LIVE,
        title="Phiên đang live",
        started_at=timezone.now(),
    )
    offer(live, product)
    page = text(client.get(url))
    assert "Đang livestream" in page and 'href="/live/dang-live/"' in page


def test_rules_page_in_vietnamese_and_english(client, shop):
    page = text(client.get(reverse("livestream:rules")))
    assert "Quy định bán hàng qua livestream" in page and "122/2025/QH15" in page
    client.post(reverse("storefront:set_language"), {"language": "en", "next": "/"})
    english = text(client.get(reverse("livestream:rules")))
    assert "Livestream selling rules" in english and "Verified livestreamers" in english

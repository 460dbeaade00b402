"""A livestream sale in a real browser (Debian chromium through Playwright, on phones): the host
pins a product from the console, a viewer on the event page sees it appear without reloading,
adds it to the cart from the page and buys it at the live price with cash on delivery."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backend.account.addresses import find_province
from backend.account.models import User
from backend.livestream import services
from backend.livestream.models import (
    EventOffer,
    LiveEvent,
    LivestreamerIdentity,
    Platform,
)
from backend.order.models import Order
from tests.fixtures.browser import browser_test_marks, screenshot_path

pytestmark = browser_test_marks
expect = pytest.importorskip("playwright.sync_api").expect

LIVE_PRICE = 99_000  # the variant's regular price is 125.000 ₫


def live_event(channel, variant) -> tuple[LiveEvent, EventOffer]:
    now = timezone.now()
    event = LiveEvent.objects.create(
        title="Phiên live nước mắm Phú Quốc",
        slug="nuoc-mam-phu-quoc-live",
        channel=channel,
        platform=Platform.YOUTUBE,
        stream_url="https://www.youtube.com/watch?v=ocopLive123",
        scheduled_start=now + timedelta(minutes=5),
        scheduled_end=now + timedelta(hours=2),
    )
    host = User.objects.create_user("dan.chuong.trinh@example.com", is_confirmed=True)
    LivestreamerIdentity.objects.create(
        user=host, full_name="Trần Thị Dẫn", id_number="079200001234", verified_at=now
    )
    event.hosts.add(host)
    offer = EventOffer.objects.create(
        event=event, variant=variant, live_price=LIVE_PRICE, quota=5, per_buyer_limit=2
    )
    services.schedule(event)
    return services.go_live(event), offer


def signed_in_page(browser, live_server, user):
    """A phone-sized page whose browser carries `user`'s session."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_a_viewer_sees_a_pin_from_the_console_and_buys_it_at_the_live_price(
    live_server, channel_vn, variant, shipping_zones, browser, tmp_path
):
    event, offer = live_event(channel_vn, variant)
    ha_noi = find_province("Hà Nội")
    ba_dinh = ha_noi.find_ward("Phường Ba Đình")
    viewer = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    viewer.route(  # the video player is the platform's; answered locally here
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )
    viewer.goto(f"{live_server.url}/live/{event.slug}/")
    assert "Chưa có sản phẩm nào" in viewer.locator(".live-pin-list").inner_text()
    viewer.evaluate("window.stillTheSamePage = true")

    host = signed_in_page(browser, live_server, event.hosts.get())
    host.goto(f"{live_server.url}/live/{event.slug}/console/")
    host.locator(f"[data-offer-id='{offer.pk}'] .pin-form button").click()
    host.screenshot(path=str(screenshot_path(tmp_path, "live-console.png")), full_page=True)

    pin = viewer.locator(".live-pin-list .live-pin")
    pin.wait_for(timeout=5000)  # the live feed, not a reload
    assert viewer.evaluate("window.stillTheSamePage") is True
    assert "99.000 ₫" in pin.inner_text() and "125.000 ₫" in pin.inner_text()
    viewer.screenshot(path=str(screenshot_path(tmp_path, "live-viewer-pinned.png")), full_page=True)

    pin.locator("button[type=submit]").click()
    expect(viewer.locator(".cart-count")).to_have_text("1")  # added in place
    assert viewer.evaluate("window.stillTheSamePage") is True

    viewer.goto(f"{live_server.url}/gio-hang/")
    assert viewer.locator(".cart-line-total").inner_text() == "99.000 ₫"
    viewer.locator(".cart-summary a.button").click()
    viewer.wait_for_url("**/thanh-toan/")
    viewer.fill("#email", "nguoi.xem@example.com")
    viewer.fill("#full_name", "Lê Văn Xem")
    viewer.fill("#phone", "0912345678")
    viewer.select_option("#province", ha_noi.code)
    viewer.wait_for_selector(f"#ward option[value='{ba_dinh.code}']", state="attached")
    viewer.select_option("#ward", ba_dinh.code)
    viewer.fill("#street", "12 Phan Đình Phùng")
    viewer.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    viewer.locator("button[name=action][value=place]").click()
    viewer.wait_for_url("**/don-hang/**")
    viewer.screenshot(path=str(screenshot_path(tmp_path, "live-order.png")), full_page=True)

    order = Order.objects.get()
    assert order.live_event == event
    assert [(line.quantity, line.unit_price_amount) for line in order.lines.all()] == [
        (1, LIVE_PRICE)
    ]
    offer.refresh_from_db()
    assert offer.sold == 1

"""The event page in Debian chromium at phone width: the countdown runs, the page keeps to its
content security policy, and the live page shows its player and pins."""

import re
from datetime import timedelta

from django.utils import timezone

from backend.livestream.models import EventStatus, Pin
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.storefront_data import Shop
from tests.test_livestream_pages import make_event, offer

pytestmark = browser_test_marks


def open_page(browser, url):
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    # The embedded player answers locally: the test never reaches YouTube.
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(url)
    return page, violations


def test_countdown_runs_before_the_stream(live_server, browser, tmp_path):
    shop = Shop()
    event = make_event(shop, "sap-dien-ra", start=timezone.now() + timedelta(days=1, hours=3))
    page, violations = open_page(browser, f"{live_server.url}/live/{event.slug}/")
    countdown = page.locator(".live-countdown")
    page.wait_for_function(
        "() => /\\d{2}:\\d{2}:\\d{2}/.test(document.querySelector('.live-countdown').textContent)"
    )
    assert re.fullmatch(r"1 ngày \d{2}:\d{2}:\d{2}", countdown.inner_text().strip())
    assert page.get_by_role("button", name="Nhắc tôi").is_visible()
    page.screenshot(path=str(screenshot_path(tmp_path, "live-before.png")), full_page=True)
    assert violations == []


def test_live_page_shows_the_player_and_pins(live_server, browser, tmp_path):
    shop = Shop()
    category = shop.category("Nước mắm", "nuoc-mam")
    event = make_event(shop, "dang-live", status=EventStatus.LIVE, started_at=timezone.now())
    product = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", category)
    Pin.objects.create(event=event, offer=offer(event, product), pinned_at=timezone.now())
    page, violations = open_page(browser, f"{live_server.url}/live/{event.slug}/")
    assert page.locator(".live-player iframe").is_visible()
    pin = page.locator(".live-pin-list .live-pin")
    assert pin.count() == 1 and "99.000 ₫" in pin.inner_text()
    page.screenshot(path=str(screenshot_path(tmp_path, "live-during.png")), full_page=True)
    assert [text for text in violations if "frame-src" in text] == []


def test_pins_change_without_reloading_when_polling(live_server, browser):
    """When the live feed fails (here: it answers 503), the page polls pins.json every 5 s."""
    shop = Shop()
    event = make_event(shop, "dang-live", status=EventStatus.LIVE, started_at=timezone.now())
    feed_pin = {
        "type": "pins",
        "pins": [
            {
                "offer": 41,
                "variant": "Hũ 500 g",
                "product": "Mật ong bạc hà",
                "product_url": "/san-pham/mat-ong-bac-ha/",
                "image": "",
                "live_price": 180000,
                "regular_price": 220000,
                "remaining": 7,
                "pinned_at": timezone.now().isoformat(),
            }
        ],
    }
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )
    page.route(f"**/live/{event.slug}/events/", lambda route: route.fulfill(status=503))
    page.route(
        f"**/live/{event.slug}/pins.json",
        lambda route: route.fulfill(json={"pins": feed_pin["pins"]}),
    )
    page.goto(f"{live_server.url}/live/{event.slug}/")
    pin = page.locator(".live-pin-list .live-pin")
    pin.wait_for(timeout=8000)
    assert "Mật ong bạc hà" in pin.inner_text()
    assert "180.000 ₫" in pin.inner_text() and "220.000 ₫" in pin.inner_text()
    assert "Còn 7 suất giá livestream" in pin.inner_text()
    assert pin.get_by_role("link", name="Mật ong bạc hà").get_attribute("href") == (
        "/san-pham/mat-ong-bac-ha/"
    )

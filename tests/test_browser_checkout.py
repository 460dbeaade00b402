"""A buyer on a phone buys with cash on delivery in a real browser (Debian chromium through
Playwright): product → cart → checkout form (province, then its wards loaded by the page's
script) → order confirmation in Vietnamese."""

from backend.account.addresses import find_province
from backend.order.models import Order
from backend.warehouse.models import Stock
from tests.fixtures.browser import browser_test_marks, screenshot_path

pytestmark = browser_test_marks


def test_buyer_pays_cash_on_delivery_on_a_phone(
    live_server, variant, shipping_zones, browser, tmp_path
):
    ha_noi = find_province("Hà Nội")
    ba_dinh = ha_noi.find_ward("Phường Ba Đình")
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/san-pham/{variant.product.slug}/")

    page.fill("#quantity", "2")
    page.locator(".add-to-cart button[name=add]").click()
    page.wait_for_url("**/gio-hang/")
    assert page.locator(".cart-count").inner_text() == "2"
    assert page.locator(".cart-line-total").inner_text() == "250.000 ₫"
    page.screenshot(path=str(screenshot_path(tmp_path, "cart-vi.png")), full_page=True)

    page.locator(".cart-summary a.button").click()
    page.wait_for_url("**/thanh-toan/")
    page.fill("#email", "khach.le@example.com")
    page.fill("#full_name", "Nguyễn Thị Lan")
    page.fill("#phone", "0912345678")
    page.select_option("#province", ha_noi.code)
    # The script loads the province's wards and its deliveries without a reload.
    page.wait_for_selector(f"#ward option[value='{ba_dinh.code}']", state="attached")
    page.select_option("#ward", ba_dinh.code)
    page.fill("#street", "12 Phan Đình Phùng")
    assert "Giao hàng tiêu chuẩn" in page.locator("#deliveries").inner_text()
    assert "280.000 ₫" in page.locator("#summary").inner_text()
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.screenshot(path=str(screenshot_path(tmp_path, "checkout-vi.png")), full_page=True)

    page.locator("button[name=action][value=place]").click()
    page.wait_for_url("**/don-hang/**")

    order = Order.objects.get()
    assert page.url.endswith(f"/don-hang/{order.token}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert f"#{order.number}" in page.locator(".order-number").inner_text()
    assert page.locator(".payment-method").inner_text() == "Thanh toán khi nhận hàng (COD)"
    assert "280.000 ₫" in page.locator(".payment-instructions").inner_text()
    assert page.locator(".cart-count").inner_text() == "0"
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2
    page.screenshot(path=str(screenshot_path(tmp_path, "order-vi.png")), full_page=True)


def test_buyer_picks_up_at_the_nearest_showroom_on_a_phone(
    live_server, channel_vn, variant, shipping_zones, browser, tmp_path
):
    """No pick-up point is chosen for the buyer; once Hà Nội is chosen the page's script checks
    the cheapest shipping and lists the Hà Nội showroom first; the buyer picks it and the order
    page says to pay at the point, where it is."""
    from tests.test_checkout_pickup import _showroom

    ninh_binh = _showroom(channel_vn, variant, "Điểm bán OCOP Ninh Bình", "ninh-binh", "1 Lê Lợi")
    ha_noi_point = _showroom(channel_vn, variant, "Showroom OCOP Hà Nội", "ha-noi", "2 Tràng Tiền")
    ha_noi = find_province("Hà Nội")
    ba_dinh = ha_noi.find_ward("Phường Ba Đình")
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/san-pham/{variant.product.slug}/")
    page.locator(".add-to-cart button[name=add]").click()
    page.wait_for_url("**/gio-hang/")
    page.locator(".cart-summary a.button").click()
    page.wait_for_url("**/thanh-toan/")

    assert page.locator("#deliveries input[name=delivery]:checked").count() == 0
    assert (
        "Nhận hàng tại Điểm bán OCOP Ninh Bình (Ninh Bình)"
        in page.locator("#deliveries").inner_text()
    )
    page.fill("#email", "khach.le@example.com")
    page.fill("#full_name", "Nguyễn Thị Lan")
    page.fill("#phone", "0912345678")
    page.select_option("#province", ha_noi.code)
    page.wait_for_selector(f"#ward option[value='{ba_dinh.code}']", state="attached")
    page.wait_for_selector(
        f"#deliveries input[value='shipping:{shipping_zones['standard'].pk}']:checked"
    )
    page.select_option("#ward", ba_dinh.code)
    page.fill("#street", "12 Phan Đình Phùng")
    points = page.locator("#deliveries input[value^='pickup:']")
    assert points.first.get_attribute("value") == f"pickup:{ha_noi_point.pk}"
    assert points.nth(1).get_attribute("value") == f"pickup:{ninh_binh.pk}"
    page.locator(f"#deliveries input[value='pickup:{ha_noi_point.pk}']").check()
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path(tmp_path, "checkout-pickup-vi.png")), full_page=True)

    page.locator("button[name=action][value=place]").click()
    page.wait_for_url("**/don-hang/**")

    order = Order.objects.get()
    assert order.collection_point == ha_noi_point
    assert order.total_amount == 125_000
    payment = page.locator(".payment-instructions").inner_text()
    assert "125.000 ₫ bằng tiền mặt tại điểm nhận hàng" in payment
    assert "nhân viên giao hàng" not in payment
    delivery = page.locator(".order-delivery").inner_text()
    assert "Nhận hàng tại Showroom OCOP Hà Nội" in delivery
    assert "2 Tràng Tiền, Phường Trung tâm, Hà Nội" in delivery
    assert "Trạng thái: Chưa xuất kho" in delivery
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path(tmp_path, "order-pickup-vi.png")), full_page=True)

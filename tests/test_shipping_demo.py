"""The demo delivery set-up: every one of the 34 provinces can be shipped to, priced by its
region and the parcel's weight; free shipping from 500.000 ₫; `populatedb` stays idempotent."""

import pytest

from backend.account.addresses import vietnam_provinces
from backend.account.models import Address
from backend.checkout.fetch import fetch_checkout_info
from backend.checkout.models import Checkout, CheckoutLine
from backend.demo.shipping import REGION_PRICES, ensure_shipping, ensure_vouchers
from backend.ocop.models import Province
from backend.shipping.models import ShippingMethod, ShippingZone
from backend.shipping.services import applicable_shipping_methods

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_shipping(channel_vn, channel_intl, warehouse):
    channels = {"vn": channel_vn, "intl": channel_intl}
    ensure_shipping(channels)
    ensure_vouchers(channels)
    return channels


def _options(checkout, address):
    checkout.shipping_address = address
    return {
        method.name: listing.price_amount
        for method, listing in applicable_shipping_methods(fetch_checkout_info(checkout))
    }


def test_every_province_is_served_at_its_region_price(demo_shipping, channel_vn, variant):
    checkout = Checkout.objects.create(channel=channel_vn, currency="VND")
    CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=1)  # 500 g
    regions = dict(Province.objects.values_list("code", "region"))

    for unit in vietnam_provinces():
        address = Address(
            country="VN", country_area=unit.name, city=unit.wards[0].name, street_address_1="1"
        )
        light, _medium, _heavy, express = REGION_PRICES[regions[unit.code]]
        assert _options(checkout, address) == {
            "Tiêu chuẩn (đến 2 kg)": light,
            "Giao nhanh": express,
        }, unit.name
    assert len(vietnam_provinces()) == 34


def test_heavy_and_large_orders(demo_shipping, channel_vn, variant):
    checkout = Checkout.objects.create(channel=channel_vn, currency="VND")
    CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=8)  # 4 kg, 1.000.000 ₫
    address = Address(country="VN", country_area="Cần Thơ", city="Phường Ninh Kiều")

    options = _options(checkout, address)

    assert options == {
        "Miễn phí vận chuyển (đơn từ 500.000 ₫)": 0,
        "Tiêu chuẩn (2–5 kg)": 35_000,
        "Giao nhanh": 50_000,
    }


def test_demo_shipping_is_idempotent(demo_shipping):
    counts = (ShippingZone.objects.count(), ShippingMethod.objects.count())

    ensure_shipping(demo_shipping)

    assert (ShippingZone.objects.count(), ShippingMethod.objects.count()) == counts
    assert counts == (8, 7 * 5 + 2)

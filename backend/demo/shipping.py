"""Demo delivery: a shipping zone per socio-economic region covering all 34 provinces, priced by
weight bracket (standard, heavy) and order value (express, free over 500.000 ₫), an international
zone for the `intl` channel, and two demo promo codes. Showrooms offering pick-up come with the
catalogue (backend.demo.warehouses). All prices are demo values."""

from backend.discount.models import DiscountValueType, Voucher
from backend.ocop.models import Province, Region
from backend.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingMethodType,
    ShippingZone,
)
from backend.warehouse.models import ClickAndCollectOption, Warehouse

# Standard price up to 2 kg, 2–5 kg, heavy 5–30 kg, express (VND), per region.
REGION_PRICES = {
    Region.RED_RIVER_DELTA: (22_000, 32_000, 75_000, 45_000),
    Region.NORTHERN_MIDLANDS_MOUNTAINS: (30_000, 40_000, 90_000, 60_000),
    Region.NORTH_CENTRAL: (27_000, 37_000, 85_000, 55_000),
    Region.SOUTH_CENTRAL_COAST: (27_000, 37_000, 85_000, 55_000),
    Region.CENTRAL_HIGHLANDS: (30_000, 40_000, 90_000, 60_000),
    Region.SOUTHEAST: (22_000, 32_000, 75_000, 45_000),
    Region.MEKONG_DELTA: (25_000, 35_000, 80_000, 50_000),
}
FREE_SHIPPING_FROM = 500_000
INTERNATIONAL_COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL", "JP", "KR", "SG", "AU", "NZ", "TW"]
# EMS International (US cents): up to 2 kg, 2–10 kg.
INTERNATIONAL_PRICES = (2_500, 6_000)


def _method(
    zone, channel, name, price, *, kind, min_grams=0, max_grams=None, days=(2, 5), **listing
):
    method, _ = ShippingMethod.objects.update_or_create(
        shipping_zone=zone,
        name=name,
        defaults={
            "type": kind,
            "minimum_order_weight_grams": min_grams,
            "maximum_order_weight_grams": max_grams,
            "minimum_delivery_days": days[0],
            "maximum_delivery_days": days[1],
        },
    )
    ShippingMethodChannelListing.objects.update_or_create(
        shipping_method=method,
        channel=channel,
        defaults={"currency": channel.currency_code, "price_amount": price, **listing},
    )
    return method


def _zone(name, countries, channel, warehouses, provinces=()):
    zone, _ = ShippingZone.objects.update_or_create(name=name, defaults={"countries": countries})
    zone.channels.set([channel])
    zone.warehouses.set(warehouses)
    zone.provinces.set(provinces)
    return zone


def ensure_shipping(channels) -> list[ShippingZone]:
    vn, intl = channels["vn"], channels["intl"]
    shipping_warehouses = list(
        Warehouse.objects.filter(channels=vn).exclude(
            click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK
        )
    )
    zones = []
    for region, (light, medium, heavy, express) in REGION_PRICES.items():
        zone = _zone(
            f"Giao hàng {region.label}",
            ["VN"],
            vn,
            shipping_warehouses,
            Province.objects.filter(region=region),
        )
        weight = ShippingMethodType.WEIGHT_BASED
        _method(zone, vn, "Tiêu chuẩn (đến 2 kg)", light, kind=weight, max_grams=2_000)
        _method(
            zone, vn, "Tiêu chuẩn (2–5 kg)", medium, kind=weight, min_grams=2_000, max_grams=5_000
        )
        _method(
            zone,
            vn,
            "Hàng nặng (5–30 kg)",
            heavy,
            kind=weight,
            min_grams=5_000,
            max_grams=30_000,
            days=(3, 7),
        )
        _method(zone, vn, "Giao nhanh", express, kind=ShippingMethodType.PRICE_BASED, days=(1, 2))
        _method(
            zone,
            vn,
            "Miễn phí vận chuyển (đơn từ 500.000 ₫)",
            0,
            kind=ShippingMethodType.PRICE_BASED,
            days=(3, 6),
            minimum_order_price_amount=FREE_SHIPPING_FROM,
        )
        zones.append(zone)
    world = _zone(
        "International",
        INTERNATIONAL_COUNTRIES,
        intl,
        list(Warehouse.objects.filter(channels=intl)),
    )
    light, heavy = INTERNATIONAL_PRICES
    weight = ShippingMethodType.WEIGHT_BASED
    _method(
        world,
        intl,
        "EMS International (up to 2 kg)",
        light,
        kind=weight,
        max_grams=2_000,
        days=(5, 10),
    )
    _method(
        world,
        intl,
        "EMS International (2–10 kg)",
        heavy,
        kind=weight,
        min_grams=2_000,
        max_grams=10_000,
        days=(5, 12),
    )
    zones.append(world)
    return zones


def ensure_vouchers(channels) -> list[Voucher]:
    vouchers = []
    for code, name, kind, value, minimum in (
        ("CHAOBAN", "Chào bạn mới", DiscountValueType.FIXED, 20_000, 0),
        ("OCOP10", "Giảm 10% đơn từ 300.000 ₫", DiscountValueType.PERCENTAGE, 10, 300_000),
    ):
        voucher, _ = Voucher.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "discount_value_type": kind,
                "value": value,
                "currency": "VND",
                "minimum_spent_amount": minimum,
            },
        )
        voucher.channels.set([channels["vn"]])
        vouchers.append(voucher)
    return vouchers

"""Which deliveries a checkout can use: shipping methods for its address, weight and order value,
and the showrooms it can be picked up from.

A zone applies when the address's country is one of its countries and, for a zone limited to
provinces, the address's province (`country_area`, matched with the administrative-unit data) is one
of them. Weight-based methods serve their weight bracket, price-based ones their order-value
bracket (both brackets inclusive, as in Saleor).
"""

from collections import defaultdict

from backend.account.addresses import VN, find_province
from backend.checkout.calculations import (
    checkout_subtotal,
    checkout_weight_grams,
    is_shipping_required,
)
from backend.ocop.provinces import REGION_BY_CODE
from backend.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingMethodType,
    ShippingZone,
)
from backend.warehouse.availability import available_per_warehouse, available_quantities
from backend.warehouse.models import ClickAndCollectOption, Warehouse


def province_code(address) -> str | None:
    """The current province code of a Vietnamese address, None elsewhere or when unknown."""
    if address is None or address.country != VN or not address.country_area:
        return None
    province = find_province(address.country_area)
    return province.code if province else None


def _zone_covers(zone: ShippingZone, country: str, province: str | None, zone_provinces) -> bool:
    if country not in (zone.countries or []):
        return False
    codes = zone_provinces.get(zone.pk)
    if not codes:
        return True
    return province is not None and province in codes


def _within(value: int, minimum, maximum) -> bool:
    return (minimum or 0) <= value and (maximum is None or value <= maximum)


def shipping_methods_for(
    channel_id, country: str, province: str | None, weight: int, subtotal: int
) -> list[tuple[ShippingMethod, ShippingMethodChannelListing]]:
    """(method, channel listing) pairs serving an address in `country` and `province` (a
    current province code, or None) for a parcel of `weight` grams and `subtotal` minor units in
    the channel, cheapest first. Two queries."""
    listings = list(
        ShippingMethodChannelListing.objects.filter(
            channel_id=channel_id,
            shipping_method__shipping_zone__channels=channel_id,
        ).select_related("shipping_method__shipping_zone")
    )
    if not listings:
        return []
    zone_ids = {listing.shipping_method.shipping_zone_id for listing in listings}
    zone_provinces = defaultdict(set)
    for zone_id, code in ShippingZone.provinces.through.objects.filter(
        shippingzone_id__in=zone_ids
    ).values_list("shippingzone_id", "province__code"):
        zone_provinces[zone_id].add(code)
    found = []
    for listing in listings:
        method = listing.shipping_method
        if not _zone_covers(method.shipping_zone, country, province, zone_provinces):
            continue
        if method.type == ShippingMethodType.WEIGHT_BASED:
            fits = _within(
                weight, method.minimum_order_weight_grams, method.maximum_order_weight_grams
            )
        else:
            fits = _within(
                subtotal, listing.minimum_order_price_amount, listing.maximum_order_price_amount
            )
        if fits:
            found.append((method, listing))
    found.sort(key=lambda pair: (pair[1].price_amount, pair[0].pk))
    return found


def applicable_shipping_methods(info) -> list[tuple[ShippingMethod, ShippingMethodChannelListing]]:
    """(method, channel listing) pairs the checkout can ship with, cheapest first. Empty when
    nothing needs shipping or there is no shipping address. Two queries."""
    checkout = info.checkout
    address = checkout.shipping_address
    if address is None or not info.lines or not is_shipping_required(info):
        return []
    return shipping_methods_for(
        checkout.channel_id,
        address.country,
        province_code(address),
        checkout_weight_grams(info),
        checkout_subtotal(info),
    )


def applicable_shipping_listing(info, method_id) -> ShippingMethodChannelListing | None:
    """The method's listing in the checkout's channel if the checkout can ship with it."""
    return next(
        (
            listing
            for method, listing in applicable_shipping_methods(info)
            if method.pk == method_id
        ),
        None,
    )


def shipping_method_is_applicable(info, method_id) -> bool:
    return applicable_shipping_listing(info, method_id) is not None


def _tracked_needs(info) -> dict[int, int]:
    needs = defaultdict(int)
    for line in info.lines:
        if line.variant.track_inventory:
            needs[line.variant.pk] += line.line.quantity
    return needs


def nearest_first(warehouses: list[Warehouse], province: str | None) -> list[Warehouse]:
    """Pick-up points in the buyer's province (a current code) first, then in the province's
    region, then the rest, each group by name."""
    region = REGION_BY_CODE.get(province) if province else None

    def distance(warehouse: Warehouse) -> int:
        code = warehouse.province.code if warehouse.province else None
        if province and code == province:
            return 0
        return 1 if region and REGION_BY_CODE.get(code) == region else 2

    return sorted(warehouses, key=lambda warehouse: (distance(warehouse), warehouse.name))


def collection_points(info) -> list[Warehouse]:
    """Warehouses in the checkout's channel offering pick-up that hold enough stock for every
    line, nearest to the shipping address first: a `LOCAL_STOCK` showroom its own shelves, an
    `ALL_WAREHOUSES` one the channel's stock. Units held by other buyers' live reservations do
    not count."""
    checkout = info.checkout
    if not info.lines or not is_shipping_required(info):
        return []
    warehouses = nearest_first(
        list(
            Warehouse.objects.filter(channels=checkout.channel_id, is_private=False)
            .exclude(click_and_collect_option=ClickAndCollectOption.DISABLED)
            .select_related("province")
            .order_by("name", "pk")
        ),
        province_code(checkout.shipping_address),
    )
    if not warehouses:
        return []
    needs = _tracked_needs(info)
    if not needs:
        return warehouses
    local_ids = [
        w.pk for w in warehouses if w.click_and_collect_option == ClickAndCollectOption.LOCAL_STOCK
    ]
    local_free = available_per_warehouse(list(needs), local_ids, checkout.stock_holder)
    channel_free = None
    result = []
    for warehouse in warehouses:
        if warehouse.click_and_collect_option == ClickAndCollectOption.LOCAL_STOCK:
            free = local_free.get(warehouse.pk, {})
        else:
            if channel_free is None:
                channel_free = available_quantities(
                    list(needs),
                    checkout.channel,
                    collection_point=warehouse,
                    exclude_holder=checkout.stock_holder,
                )
            free = channel_free
        if all(free.get(variant_id, 0) >= quantity for variant_id, quantity in needs.items()):
            result.append(warehouse)
    return result


def collection_point_is_applicable(info, warehouse_id) -> bool:
    return any(warehouse.pk == warehouse_id for warehouse in collection_points(info))

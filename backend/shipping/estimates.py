"""What delivering a product to a province would cost and take, before there is a checkout:
the shipping methods a checkout for one unit of the variant would be offered (the zone and
bracket rules of backend.shipping.services), and the showrooms that hold it for a free pick-up."""

from dataclasses import dataclass

from backend.account.addresses import VN
from backend.shipping.services import nearest_first, shipping_methods_for
from backend.warehouse.availability import available_per_warehouse, available_quantities
from backend.warehouse.models import ClickAndCollectOption, Warehouse


@dataclass(frozen=True)
class DeliveryEstimate:
    """A way to ship to the province: its name, fee (minor units) and days on the way."""

    name: str
    price: int
    currency: str
    minimum_days: int | None
    maximum_days: int | None


def unit_weight_grams(variant) -> int:
    """One unit's weight, as a checkout line weighs it (variant, else product, else type)."""
    product = variant.product
    return variant.weight_grams or product.weight_grams or product.product_type.weight_grams or 0


def delivery_estimates(channel, province_code: str, variant, price: int) -> list:
    """The shipping methods serving `province_code` (a current province) for one unit of
    `variant` at `price`, cheapest first; none when the product needs no shipping. Two
    queries."""
    if not variant.product.product_type.is_shipping_required:
        return []
    methods = shipping_methods_for(channel.pk, VN, province_code, unit_weight_grams(variant), price)
    return [
        DeliveryEstimate(
            name=method.name,
            price=listing.price_amount,
            currency=listing.currency,
            minimum_days=method.minimum_delivery_days,
            maximum_days=method.maximum_delivery_days,
        )
        for method, listing in methods
    ]


def pickup_points(channel, variant, province_code: str | None) -> list[Warehouse]:
    """The channel's showrooms offering pick-up that can hand over one unit of `variant` now,
    those in `province_code` first (then its region, then the rest). At most three queries."""
    showrooms = nearest_first(
        list(
            Warehouse.objects.filter(channels=channel, is_private=False)
            .exclude(click_and_collect_option=ClickAndCollectOption.DISABLED)
            .select_related("province")
            .order_by("name", "pk")
        ),
        province_code,
    )
    if not showrooms or not variant.track_inventory:
        return showrooms
    local_ids = [
        showroom.pk
        for showroom in showrooms
        if showroom.click_and_collect_option == ClickAndCollectOption.LOCAL_STOCK
    ]
    local = available_per_warehouse([variant.pk], local_ids) if local_ids else {}
    shared = None
    holding = []
    for showroom in showrooms:
        if showroom.click_and_collect_option == ClickAndCollectOption.LOCAL_STOCK:
            units = local.get(showroom.pk, {}).get(variant.pk, 0)
        else:
            if shared is None:
                shared = available_quantities([variant.pk], channel, collection_point=showroom)
            units = shared.get(variant.pk, 0)
        if units > 0:
            holding.append(showroom)
    return holding

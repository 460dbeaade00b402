"""Checkout prices in integer minor units. Prices are VAT-inclusive (net = gross), as Vietnamese
retail prices are displayed."""

from dataclasses import dataclass

from backend.checkout.fetch import CheckoutInfo
from backend.discount.models import DiscountValueType, Voucher


def checkout_subtotal(info: CheckoutInfo) -> int:
    return sum(line.total_price for line in info.lines)


def checkout_weight_grams(info: CheckoutInfo) -> int:
    return sum(line.weight_grams for line in info.lines)


def is_shipping_required(info: CheckoutInfo) -> bool:
    return any(line.is_shipping_required for line in info.lines)


def checkout_shipping_price(info: CheckoutInfo) -> int:
    """What the chosen delivery costs: nothing for pick-up at a showroom or when no line ships."""
    if info.checkout.collection_point_id or not is_shipping_required(info):
        return 0
    listing = info.shipping_method_listing
    return listing.price_amount if listing else 0


def voucher_for_checkout(info: CheckoutInfo) -> Voucher | None:
    """The checkout's voucher if it still applies (active, in the channel, not used up)."""
    code = info.checkout.voucher_code
    if not code:
        return None
    voucher = Voucher.objects.running(info.checkout.channel_id).filter(code=code).first()
    if voucher is None or voucher.is_used_up:
        return None
    if checkout_subtotal(info) < voucher.minimum_spent_amount:
        return None
    return voucher


def voucher_discount(voucher: Voucher, subtotal: int) -> int:
    if voucher.discount_value_type == DiscountValueType.PERCENTAGE:
        amount = subtotal * voucher.value // 100
    else:
        amount = voucher.value
    return min(amount, subtotal)


def checkout_discount(info: CheckoutInfo) -> int:
    voucher = voucher_for_checkout(info)
    return voucher_discount(voucher, checkout_subtotal(info)) if voucher else 0


def checkout_total(info: CheckoutInfo) -> int:
    return checkout_prices(info).total


@dataclass(frozen=True)
class CheckoutPrices:
    """A checkout's prices taken at one moment, with the voucher they count on."""

    subtotal: int
    shipping: int
    discount: int
    voucher: Voucher | None

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.shipping


def checkout_prices(info: CheckoutInfo) -> CheckoutPrices:
    """Everything the buyer pays, priced once: completion prices the order with this before it
    counts the voucher's use, since the last allowed use leaves the voucher used up."""
    subtotal = checkout_subtotal(info)
    voucher = voucher_for_checkout(info)
    return CheckoutPrices(
        subtotal=subtotal,
        shipping=checkout_shipping_price(info),
        discount=voucher_discount(voucher, subtotal) if voucher else 0,
        voucher=voucher,
    )

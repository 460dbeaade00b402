"""Everything needed to price and validate a checkout, loaded in a fixed number of queries."""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from backend.checkout.models import Checkout, CheckoutLine
from backend.livestream.services import live_unit_price
from backend.product.models import (
    Product,
    ProductChannelListing,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.shipping.models import ShippingMethodChannelListing


@dataclass
class CheckoutLineInfo:
    line: CheckoutLine
    variant: ProductVariant
    product: Product
    variant_listing: ProductVariantChannelListing | None
    product_listing: ProductChannelListing | None

    @property
    def regular_unit_price(self) -> int:
        """The channel's price: integer minor units; 0 only for a line that validation will
        refuse anyway."""
        if self.variant_listing is None or self.variant_listing.price_amount is None:
            return 0
        return self.variant_listing.price_amount

    @cached_property
    def unit_price(self) -> int:
        """The live price for a line added through a livestream while it sells live, else the
        regular price; read once per line info, so a line's prices agree with each other."""
        offer = self.line.live_offer
        if offer is None or not self.unit_price_is_set:
            return self.regular_unit_price
        return live_unit_price(offer, self.regular_unit_price)

    @property
    def has_live_price(self) -> bool:
        return self.unit_price != self.regular_unit_price

    @property
    def total_price(self) -> int:
        return self.unit_price * self.line.quantity

    @property
    def weight_grams(self) -> int:
        unit = (
            self.variant.weight_grams
            or self.product.weight_grams
            or self.product.product_type.weight_grams
            or 0
        )
        return unit * self.line.quantity

    @property
    def is_shipping_required(self) -> bool:
        return self.product.product_type.is_shipping_required

    @property
    def is_published(self) -> bool:
        listing = self.product_listing
        if listing is None or not listing.is_published:
            return False
        return listing.published_at is None or listing.published_at <= timezone.now()

    @property
    def is_available_for_purchase(self) -> bool:
        listing = self.product_listing
        return (
            listing is not None
            and listing.available_for_purchase_at is not None
            and listing.available_for_purchase_at <= timezone.now()
            and self.unit_price_is_set
        )

    @property
    def unit_price_is_set(self) -> bool:
        return self.variant_listing is not None and self.variant_listing.price_amount is not None


@dataclass
class CheckoutInfo:
    checkout: Checkout
    lines: list[CheckoutLineInfo] = field(default_factory=list)

    @property
    def channel(self):
        return self.checkout.channel

    @property
    def quantity(self) -> int:
        return sum(info.line.quantity for info in self.lines)

    @cached_property
    def shipping_method_listing(self) -> ShippingMethodChannelListing | None:
        """The chosen shipping method's price in the checkout's channel (loaded once)."""
        checkout = self.checkout
        if checkout.shipping_method_id is None:
            return None
        return ShippingMethodChannelListing.objects.filter(
            shipping_method_id=checkout.shipping_method_id, channel_id=checkout.channel_id
        ).first()


def fetch_checkout_lines(checkout: Checkout) -> list[CheckoutLineInfo]:
    """Lines with their variant, product, product type, livestream offer and event, and channel
    listings: three queries."""
    lines = list(
        checkout.lines.select_related(
            "variant__product__product_type", "live_offer__event"
        ).order_by("created_at", "id")
    )
    variant_ids = {line.variant_id for line in lines}
    product_ids = {line.variant.product_id for line in lines}
    variant_listings = {
        listing.variant_id: listing
        for listing in ProductVariantChannelListing.objects.filter(
            variant_id__in=variant_ids, channel_id=checkout.channel_id
        )
    }
    product_listings = {
        listing.product_id: listing
        for listing in ProductChannelListing.objects.filter(
            product_id__in=product_ids, channel_id=checkout.channel_id
        )
    }
    return [
        CheckoutLineInfo(
            line=line,
            variant=line.variant,
            product=line.variant.product,
            variant_listing=variant_listings.get(line.variant_id),
            product_listing=product_listings.get(line.variant.product_id),
        )
        for line in lines
    ]


def fetch_checkout_info(checkout: Checkout) -> CheckoutInfo:
    return CheckoutInfo(checkout=checkout, lines=fetch_checkout_lines(checkout))


def checkout_info(checkout: Checkout) -> CheckoutInfo:
    """The checkout's priced lines, computed once per instance (a caller that changes the lines
    reloads the checkout or calls fetch_checkout_info)."""
    info = getattr(checkout, "_checkout_info", None)
    if info is None:
        info = fetch_checkout_info(checkout)
        checkout._checkout_info = info
    return info

"""Small catalogue builders shared by the storefront tests (Django test client and browser)."""

from django.utils import timezone

from backend.channel.models import Channel
from backend.ocop import services as ocop_services
from backend.ocop.models import (
    IssuerLevel,
    Producer,
    ProducerType,
    ProductGroup,
    Province,
    VerificationStatus,
)
from backend.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.pricing import update_discounted_prices
from backend.warehouse.models import Stock, Warehouse

DESCRIPTION = {
    "time": 1,
    "blocks": [
        {"type": "header", "data": {"text": "Hương vị biển", "level": 2}},
        {"type": "paragraph", "data": {"text": "Ủ chượp <b>12 tháng</b> trong thùng gỗ."}},
        {"type": "list", "data": {"style": "unordered", "items": ["Độ đạm 40°N", "Chai 500 ml"]}},
    ],
    "version": "2.28.0",
}


class Shop:
    """A `vn` channel with one warehouse, a producer in a province and helpers to add products."""

    def __init__(self):
        self.channel = Channel.objects.create(name="Việt Nam", slug="vn", currency_code="VND")
        self.province = Province.objects.order_by("code").first() or Province.objects.create(
            code="40", name="Nghệ An", slug="nghe-an"
        )
        self.producer = Producer.objects.create(
            name="HTX Nước mắm Cửa Lò",
            slug="htx-nuoc-mam-cua-lo",
            legal_type=ProducerType.COOPERATIVE,
            province=self.province,
        )
        self.warehouse = Warehouse.objects.create(
            name="Kho HTX", slug="kho-htx", producer=self.producer, province=self.province
        )
        self.warehouse.channels.add(self.channel)
        self.product_type = ProductType.objects.create(name="Thực phẩm", slug="thuc-pham")

    def category(self, name, slug, parent=None):
        return Category.objects.create(name=name, slug=slug, parent=parent)

    def product(
        self,
        name,
        slug,
        category,
        price=125_000,
        quantity=10,
        published=True,
        visible_in_listings=True,
        description=None,
    ):
        product = Product.objects.create(
            name=name,
            slug=slug,
            category=category,
            producer=self.producer,
            product_type=self.product_type,
            description=description,
        )
        ProductChannelListing.objects.create(
            product=product,
            channel=self.channel,
            is_published=published,
            published_at=timezone.now() if published else None,
            visible_in_listings=visible_in_listings,
            currency="VND",
        )
        self.variant(product, f"{slug}-500ml", "Chai 500 ml", price, quantity)
        return product

    def variant(self, product, sku, name, price, quantity):
        variant = ProductVariant.objects.create(product=product, sku=sku, name=name)
        ProductVariantChannelListing.objects.create(
            variant=variant, channel=self.channel, currency="VND", price_amount=price
        )
        Stock.objects.create(warehouse=self.warehouse, product_variant=variant, quantity=quantity)
        update_discounted_prices([product.pk])
        return variant

    def certify(self, product, stars, valid_from, valid_until=None):
        """A verified certification, as the office would have recorded it."""
        return ocop_services.create_certification(
            product=product,
            producer=self.producer,
            stars=stars,
            product_group=ProductGroup.FOOD,
            decision_number=f"{stars}01/QĐ-UBND",
            decision_date=valid_from,
            issuer_level=IssuerLevel.PROVINCE,
            issuer_name="UBND tỉnh Nghệ An",
            valid_from=valid_from,
            valid_until=valid_until,
            verification_status=VerificationStatus.VERIFIED,
        )

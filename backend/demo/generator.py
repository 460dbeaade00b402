"""A realistic generated catalogue for benchmarks and demos: producers in all 34 provinces,
products in the six OCOP groups with the national star mix (~74 % 3★, 25 % 4★, 1 % 5★), variants,
VND prices (and USD ones for part of the catalogue), stock and shared generated pictures.
Everything is written with bulk_create in batches: a bulk import of new products, so its stock rows
are opening balances, not moves of existing stock, and leave no stock-change records (the stock
service records every change made after)."""

import random
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from unidecode import unidecode

from backend.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
from backend.core.search import normalize_search_text
from backend.demo.catalogue_mix import (
    CERTIFICATION_GROUP,
    COOPERATIVE_TRADES,
    ENTERPRISE_TRADES,
    EXPIRED_SHARE,
    FAMILY_NAMES,
    GIVEN_NAMES,
    GROUP_WEIGHTS,
    INTL_SHARE,
    KINDS,
    MIDDLE_NAMES,
    OUT_OF_STOCK_SHARE,
    PRODUCER_TYPE_WEIGHTS,
    PRODUCT_TYPE,
    SCORE_BANDS,
    SHOWROOM_SHARE,
    SIZES,
    STAR_WEIGHTS,
)
from backend.demo.editorjs import editorjs, plaintext
from backend.demo.images import colour_for, render_product_image, save_image, shape_for
from backend.demo.structure import CATEGORY_TREE, CatalogStructure
from backend.demo.warehouses import DEMO_NOTE, DEMO_NOTE_EN, ensure_showroom, usd_cents
from backend.ocop.models import (
    Certification,
    CertificationStatus,
    IssuerLevel,
    Producer,
    ProducerType,
    Province,
    VerificationStatus,
    default_valid_until,
    new_certification_code,
)
from backend.ocop.provinces import current_wards
from backend.product.catalogue.cache import catalogue_changed
from backend.product.models import (
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.pricing import update_discounted_prices
from backend.warehouse.models import Stock, Warehouse

BATCH_SIZE = 1000
# Planner statistics are renewed each time the catalogue has grown by half: the listing index's
# triggers plan their refresh from them, and plans made for a much smaller catalogue scan whole
# tables per product (generating 50,000 products took 1,000 s; the first 8,000 took 37 s).
ANALYZE_GROWTH = 1.5


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass
class Place:
    province: Province
    ward: str  # full name, "Xã Yên Cường"
    ward_short: str


@dataclass
class Plan:
    """What one generated product will be, drawn before anything is written."""

    index: int
    group: str
    subcategory: str
    kind: tuple
    producer: Producer
    store: Warehouse
    place: Place
    stars: int
    expired: bool
    out_of_stock: bool
    channels: list


def _subcategories() -> list[tuple[str, str]]:
    """(group slug, subcategory slug) for every subcategory that has product kinds."""
    return [(group[0], child[0]) for group, children in CATEGORY_TREE for child in children]


class CatalogGenerator:
    """`group_weights` and `star_weights` default to the national mix; `token` (random by
    default) keeps slugs and SKUs unique across runs and is stored in every product's metadata
    under `generated_catalogue`, so a run's products can be found again."""

    def __init__(
        self,
        structure: CatalogStructure,
        seed: int | None = None,
        stdout=None,
        *,
        token: str | None = None,
        group_weights: dict[str, float] = GROUP_WEIGHTS,
        star_weights: dict[int, float] = STAR_WEIGHTS,
    ):
        self.structure = structure
        self.rng = random.Random(seed)
        self.token = token or secrets.token_hex(3)
        self.now = timezone.now()
        self.stdout = stdout
        self.subcategories = _subcategories()
        # A group's weight is its share of the catalogue, spread over its subcategories.
        per_group = Counter(group for group, _ in self.subcategories)
        self.group_weights = [
            group_weights[group] / per_group[group] for group, _ in self.subcategories
        ]
        self.star_weights = star_weights
        self.images: dict[tuple[str, str], str] = {}

    def log(self, message: str) -> None:
        if self.stdout:
            self.stdout.write(message)

    # --- producers and warehouses -----------------------------------------------------------
    def _producer_name(self, legal_type: str, place: Place) -> str:
        rng = self.rng
        if legal_type == ProducerType.HOUSEHOLD_BUSINESS:
            family, middle = rng.choice(FAMILY_NAMES), rng.choice(MIDDLE_NAMES)
            return f"Hộ kinh doanh {family} {middle} {rng.choice(GIVEN_NAMES)}"
        if legal_type == ProducerType.COOPERATIVE:
            return f"Hợp tác xã {rng.choice(COOPERATIVE_TRADES)} {place.ward_short}"
        if legal_type == ProducerType.COOPERATIVE_GROUP:
            return f"Tổ hợp tác sản xuất {place.ward_short}"
        return f"Công ty TNHH {rng.choice(ENTERPRISE_TRADES)} {place.ward_short}"

    def _producer_story(self, name: str, place: Place) -> str:
        return (
            f"{name} làm sản phẩm OCOP tại {place.ward}, {place.province.name} từ năm "
            f"{self.rng.randint(2005, 2020)}, với nguyên liệu của bà con trong vùng và cách làm "
            "truyền thống của địa phương. Sản phẩm được hội đồng đánh giá OCOP chấm điểm và "
            "công nhận. (Dữ liệu minh họa.)"
        )

    def create_producers(self, per_province: int) -> list[tuple[Producer, Warehouse, Place]]:
        wards = current_wards()
        types, weights = zip(*PRODUCER_TYPE_WEIGHTS.items(), strict=True)
        producers, places = [], []
        for province in Province.objects.order_by("code"):
            for _ in range(per_province):
                ward, ward_short = self.rng.choice(wards[province.code])
                place = Place(province, ward, ward_short)
                legal_type = self.rng.choices(types, weights)[0]
                name = self._producer_name(legal_type, place)
                slug = f"{slugify(unidecode(name))[:200]}-{self.token}{len(producers)}"
                producers.append(
                    Producer(
                        name=name,
                        slug=slug,
                        legal_type=legal_type,
                        province=province,
                        ward=ward,
                        address=f"Thôn {self.rng.randint(1, 12)}, {ward}, {province.name}",
                        phone=f"09{self.rng.randint(10_000_000, 99_999_999)}",
                        story=self._producer_story(name, place),
                        verification_status=VerificationStatus.VERIFIED,
                    )
                )
                places.append(place)
        Producer.objects.bulk_create(producers, batch_size=BATCH_SIZE)
        stores = Warehouse.objects.bulk_create(
            [
                Warehouse(
                    name=f"Kho {p.name}"[:250],
                    slug=f"kho-{p.slug}"[:255],
                    producer=p,
                    province=p.province,
                    street_address=p.address[:256],
                )
                for p in producers
            ],
            batch_size=BATCH_SIZE,
        )
        through = Warehouse.channels.through
        through.objects.bulk_create(
            [
                through(warehouse_id=store.pk, channel_id=channel.pk)
                for store in stores
                for channel in self.structure.channels.values()
            ],
            batch_size=BATCH_SIZE,
        )
        return list(zip(producers, stores, places, strict=True))

    # --- images -----------------------------------------------------------------------------
    def image_for(self, plan: "Plan") -> str:
        """One generated picture per product kind (its name, its packaging's silhouette, its
        subcategory's colour), shared by the products of that kind: made once, kept."""
        kind_vi, packaging = plan.kind[0], plan.kind[4]
        key = (plan.subcategory, kind_vi)
        if key not in self.images:
            name = f"products/catalog/{plan.subcategory}-{slugify(unidecode(kind_vi))}.jpg"
            if not default_storage.exists(name):
                shape = shape_for(packaging, plan.subcategory)
                image = render_product_image(kind_vi, shape, colour_for(plan.subcategory))
                name = save_image(name, image)
            self.images[key] = name
        return self.images[key]

    # --- products ---------------------------------------------------------------------------
    def generate(self, count: int, per_province: int | None = None) -> int:
        """Create `count` products of `per_province` producers in each province (about 30
        products each by default); the first products go round the producers."""
        per_province = per_province or max(2, round(count / 30 / 34))
        with transaction.atomic():
            producers = self.create_producers(per_province)
            showrooms = {
                p.code: ensure_showroom(p, self.structure.channels) for p in Province.objects.all()
            }
        self.log(f"  {len(producers)} producers in 34 provinces")
        existing = analyzed = Product.objects.count()
        created = 0
        while created < count:
            size = min(BATCH_SIZE, count - created)
            with transaction.atomic():
                self._create_batch(created, size, producers, showrooms)
            created += size
            self.log(f"  {created}/{count} products")
            if existing + created >= ANALYZE_GROWTH * max(analyzed, BATCH_SIZE):
                _analyze()
                analyzed = existing + created
        catalogue_changed()  # written in bulk, without the models' signals
        return created

    def _plan(self, index: int, producers) -> "Plan":
        rng = self.rng
        group, subcategory = rng.choices(self.subcategories, self.group_weights)[0]
        # The first products go round the producers, so every province has some.
        producer, store, place = (
            producers[index] if index < len(producers) else rng.choice(producers)
        )
        channels = [self.structure.channels["vn"]]
        if group not in ("sinh-vat-canh", "du-lich") and rng.random() < INTL_SHARE:
            channels.append(self.structure.channels["intl"])
        return Plan(
            index=index,
            group=group,
            subcategory=subcategory,
            kind=rng.choice(KINDS[subcategory]),
            producer=producer,
            store=store,
            place=place,
            stars=rng.choices(list(self.star_weights), list(self.star_weights.values()))[0],
            expired=rng.random() < EXPIRED_SHARE,
            out_of_stock=rng.random() < OUT_OF_STOCK_SHARE,
            channels=channels,
        )

    def _create_batch(self, offset, size, producers, showrooms) -> None:
        plans = [self._plan(index, producers) for index in range(offset, offset + size)]
        products = Product.objects.bulk_create(
            [self._product(plan) for plan in plans], batch_size=BATCH_SIZE
        )
        ProductTranslation.objects.bulk_create(
            [
                self._translation(product, plan)
                for product, plan in zip(products, plans, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        ProductMedia.objects.bulk_create(
            [
                ProductMedia(product=product, image=self.image_for(plan), alt=product.name)
                for product, plan in zip(products, plans, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        AssignedProductAttributeValue.objects.bulk_create(
            [
                assignment
                for product, plan in zip(products, plans, strict=True)
                for assignment in self._attribute_values(product, plan)
            ],
            batch_size=BATCH_SIZE,
        )
        Certification.objects.bulk_create(
            [
                self._certification(product, plan)
                for product, plan in zip(products, plans, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        self._create_variants(products, plans, showrooms)
        ProductChannelListing.objects.bulk_create(
            [
                ProductChannelListing(
                    product=product,
                    channel=channel,
                    currency=channel.currency_code,
                    is_published=True,
                    published_at=self.now,
                    visible_in_listings=True,
                    available_for_purchase_at=self.now,
                )
                for product, plan in zip(products, plans, strict=True)
                for channel in plan.channels
            ],
            batch_size=BATCH_SIZE,
        )
        update_discounted_prices([product.pk for product in products])

    def _attribute_values(self, product, plan):
        values = self.structure.values
        chosen = [
            values[("province", plan.place.province.slug)],
            values[("packaging", plan.kind[4])],
        ]
        if not plan.expired:  # an expired certificate shows no star
            chosen.insert(0, values[("ocop-stars", str(plan.stars))])
        return [
            AssignedProductAttributeValue(product=product, value=value, sort_order=order)
            for order, value in enumerate(chosen)
        ]

    def _certification(self, product, plan):
        """A verified certification matching the plan: 5★ from the ministry, 3–4★ from the
        province; an expired plan's certificate ended before today."""
        today = timezone.localdate()
        if plan.expired:
            decision_date = today - timedelta(days=self.rng.randint(3 * 365 + 30, 6 * 365))
        else:
            decision_date = today - timedelta(days=self.rng.randint(30, 3 * 365 - 30))
        central = plan.stars == 5
        return Certification(
            code=new_certification_code(),
            product=product,
            producer=plan.producer,
            stars=plan.stars,
            score=self.rng.randint(*SCORE_BANDS[plan.stars]),
            product_group=CERTIFICATION_GROUP[plan.group],
            decision_number=f"DEMO-{self.rng.randint(100, 9999)}/QĐ-"
            + ("BNNMT" if central else "UBND"),
            decision_date=decision_date,
            issuer_level=IssuerLevel.CENTRAL if central else IssuerLevel.PROVINCE,
            issuer_name="Bộ Nông nghiệp và Môi trường"
            if central
            else f"UBND {plan.place.province.name}",
            valid_from=decision_date,
            valid_until=default_valid_until(decision_date),
            status=CertificationStatus.EXPIRED if plan.expired else CertificationStatus.VALID,
            verification_status=VerificationStatus.VERIFIED,
            verified_at=self.now,
        )

    def _product(self, plan):
        kind_vi, _kind_en, _price, sizes, _packaging = plan.kind
        name = f"{kind_vi} {plan.place.ward_short}"
        slug = f"{slugify(unidecode(name))}-{self.token}-{plan.index}"
        description = editorjs(
            f"{name} là sản phẩm OCOP {plan.stars} sao của {plan.producer.name}, "
            f"{plan.place.ward}, {plan.place.province.name}.",
            f"Thuộc nhóm {self.structure.categories[plan.group].name.lower()}.",
            DEMO_NOTE,
        )
        text = plaintext(description)
        metadata = {
            "demo_values": DEMO_NOTE,
            "generated_catalogue": self.token,
            "ocop_stars_as_published": str(plan.stars),
        }
        if plan.expired:
            metadata["ocop_certificate_status"] = "expired"
        product_type = PRODUCT_TYPE[(plan.group, SIZES[sizes][0])]
        return Product(
            product_type=self.structure.product_types[product_type],
            name=name,
            slug=slug,
            description=description,
            description_plaintext=text,
            search_document=normalize_search_text(" ".join([name, slug, text])),
            search_name=normalize_search_text(name),
            category=self.structure.categories[plan.subcategory],
            producer=plan.producer,
            seo_title=name[:70],
            metadata=metadata,
            rating=round(self.rng.uniform(3.5, 5.0), 1),
        )

    def _translation(self, product, plan):
        name = f"{plan.kind[1]} from {unidecode(plan.place.ward_short)}"
        return ProductTranslation(
            product=product,
            language_code="en",
            name=name,
            description=editorjs(
                f"{name}: a {plan.stars}-star OCOP product by {unidecode(plan.producer.name)}, "
                f"{unidecode(plan.place.province.name)}.",
                DEMO_NOTE_EN,
            ),
        )

    def _variant_specs(self, kind):
        """[(attribute value slug, grams, VND price)] for 1–3 sizes of the kind."""
        _vi, _en, base_price, sizes, _packaging = kind
        _attribute, options = SIZES[sizes]
        count = self.rng.randint(1, len(options))
        first = options[0][1]
        base = base_price * self.rng.uniform(0.8, 1.3)
        specs = []
        for value_slug, amount in options[:count]:
            price = base * amount / first * (0.92 ** options.index((value_slug, amount)))
            specs.append((value_slug, amount + amount // 10, max(1000, round(price, -3))))
        return specs

    def _create_variants(self, products, plans, showrooms) -> None:
        structure, rng = self.structure, self.rng
        variants, variant_plans = [], []
        for product, plan in zip(products, plans, strict=True):
            kind = plan.kind
            attribute = SIZES[kind[3]][0]
            for order, (value_slug, grams, price) in enumerate(self._variant_specs(kind)):
                value = structure.values[(attribute, value_slug)] if attribute else None
                variants.append(
                    ProductVariant(
                        product=product,
                        sku=f"OCOP-{self.token}-{product.pk}-{order + 1}".upper(),
                        name=value.name if value else "",
                        weight_grams=grams,
                        sort_order=order,
                        is_default=order == 0,
                    )
                )
                variant_plans.append((value, price, plan))
        ProductVariant.objects.bulk_create(variants, batch_size=BATCH_SIZE)
        AssignedVariantAttributeValue.objects.bulk_create(
            [
                AssignedVariantAttributeValue(variant=variant, value=value)
                for variant, (value, _price, _plan) in zip(variants, variant_plans, strict=True)
                if value
            ],
            batch_size=BATCH_SIZE,
        )
        listings, stocks = [], []
        for variant, (_value, price, plan) in zip(variants, variant_plans, strict=True):
            for channel in plan.channels:
                amount = price if channel.currency_code == "VND" else usd_cents(price)
                listings.append(
                    ProductVariantChannelListing(
                        variant=variant,
                        channel=channel,
                        currency=channel.currency_code,
                        price_amount=amount,
                    )
                )
            quantity = 0 if plan.out_of_stock else rng.randint(1, 300)
            stocks.append(Stock(warehouse=plan.store, product_variant=variant, quantity=quantity))
            if not plan.out_of_stock and rng.random() < SHOWROOM_SHARE:
                stocks.append(
                    Stock(
                        warehouse=showrooms[plan.place.province.code],
                        product_variant=variant,
                        quantity=rng.randint(1, 40),
                    )
                )
        ProductVariantChannelListing.objects.bulk_create(listings, batch_size=BATCH_SIZE)
        Stock.objects.bulk_create(stocks, batch_size=BATCH_SIZE)

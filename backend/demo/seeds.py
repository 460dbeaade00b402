"""The real OCOP products and producers named in the project's sources (see
shared/domain/seed-products.md). Names, producers, places and stars are as published; prices,
stock, weights and pictures are demo values and say so."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from backend.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
from backend.demo.editorjs import editorjs, plaintext
from backend.demo.images import colour_for, render_product_image, save_image, shape_for
from backend.demo.warehouses import (
    DEMO_NOTE,
    DEMO_NOTE_EN,
    ensure_producer_store,
    ensure_showroom,
    producer_store_slug,
    showroom_slug,
    usd_cents,
)
from backend.ocop.models import (
    Certification,
    CertificationStatus,
    IssuerLevel,
    Producer,
    ProducerType,
    ProductGroup,
    VerificationStatus,
    default_valid_until,
)
from backend.ocop.provinces import resolve_province
from backend.ocop.services import refresh_star_attributes, today
from backend.product.models import (
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.pricing import update_discounted_prices
from backend.warehouse.models import Warehouse
from backend.warehouse.services import set_stock_quantities


@dataclass
class SeedProducer:
    slug: str
    name: str
    legal_type: str
    place_as_printed: str  # former province (and district, commune) as on the certificate
    address: str
    story: str


@dataclass
class SeedProduct:
    slug: str
    name: str
    name_en: str
    producer: str
    category: str
    product_type: str
    packaging: str
    stars: int
    variants: list  # (sku, variant attribute value slug, weight in grams, price in VND)
    description: list
    description_en: list
    extra_metadata: dict = field(default_factory=dict)


PRODUCERS = [
    SeedProducer(
        "thuy-san-lenger",
        "Công ty TNHH Thủy sản Lenger Việt Nam",
        ProducerType.ENTERPRISE,
        "Nam Định",
        "Tỉnh Nam Định (nay thuộc tỉnh Ninh Bình)",
        "Nhà máy chế biến nghêu được SGS đánh giá hằng năm, đạt chứng nhận FSSC 22000 và Halal.",
    ),
    SeedProducer(
        "toan-xuan",
        "Toản Xuân",
        ProducerType.ENTERPRISE,
        "Nam Định",
        "Tỉnh Nam Định (nay thuộc tỉnh Ninh Bình)",
        "Gạo sạch sản xuất theo quy trình khép kín, được công nhận là sản phẩm thuộc chuỗi "
        "cung ứng thực phẩm an toàn.",
    ),
    SeedProducer(
        "hkd-nguyen-van-dung",
        "Hộ kinh doanh Nguyễn Văn Dũng",
        ProducerType.HOUSEHOLD_BUSINESS,
        "Xã Yên Cường, Huyện Ý Yên, Tỉnh Nam Định",
        "Xã Yên Cường, huyện Ý Yên, tỉnh Nam Định (nay thuộc tỉnh Ninh Bình)",
        "Cơ sở ép dầu lạc, dầu vừng nguyên chất mang thương hiệu An Nhiên.",
    ),
    SeedProducer(
        "hkd-quang-minh",
        "Hộ kinh doanh Quang Minh",
        ProducerType.HOUSEHOLD_BUSINESS,
        "Xã Yên Bằng, Huyện Ý Yên, Tỉnh Nam Định",
        "Xã Yên Bằng, huyện Ý Yên, tỉnh Nam Định (nay thuộc tỉnh Ninh Bình)",
        "Cơ sở sản xuất tương ớt và sa tế.",
    ),
    SeedProducer(
        "htx-ai-nghia",
        # The source names only "a cooperative" of Ái Nghĩa.
        "Hợp tác xã Ái Nghĩa",
        ProducerType.COOPERATIVE,
        "Quảng Nam",
        "Ái Nghĩa, tỉnh Quảng Nam (nay thuộc thành phố Đà Nẵng)",
        "Hợp tác xã sản xuất gạo an toàn tại Ái Nghĩa.",
    ),
]

PRODUCTS = [
    SeedProduct(
        "nghieu-thit-hop-lenger",
        "Nghêu thịt hộp Lenger",
        "Lenger canned clam meat",
        "thuy-san-lenger",
        "thit-hai-san-che-bien",
        "thuc-pham-dong-goi",
        "lon",
        4,
        [("LENGER-NGHEU-200G", "200-g", 260, 55_000), ("LENGER-NGHEU-500G", "500-g", 600, 125_000)],
        [
            "Nghêu thịt đóng hộp của Công ty TNHH Thủy sản Lenger Việt Nam, sản phẩm OCOP 4 sao "
            "của tỉnh Nam Định (nay thuộc tỉnh Ninh Bình), được nêu tên là ứng viên 5 sao.",
            "Nhà máy được SGS đánh giá hằng năm, đạt chứng nhận FSSC 22000 và Halal.",
        ],
        [
            "Canned clam meat by Lenger Seafood Vietnam, a 4-star OCOP product of former Nam Định "
            "province (now Ninh Bình), named as a 5-star candidate.",
            "The factory is audited yearly by SGS and holds FSSC 22000 and Halal certificates.",
        ],
        extra_metadata={"ocop_five_star_candidate": "true"},
    ),
    SeedProduct(
        "gao-sach-toan-xuan",
        "Gạo sạch Toản Xuân",
        "Toản Xuân clean rice",
        "toan-xuan",
        "gao-ngu-coc",
        "thuc-pham-dong-goi",
        "tui",
        4,
        [
            ("TOANXUAN-GAO-2KG", "2-kg", 2_050, 70_000),
            ("TOANXUAN-GAO-5KG", "5-kg", 5_100, 165_000),
            ("TOANXUAN-GAO-10KG", "10-kg", 10_150, 320_000),
        ],
        [
            "Gạo sạch Toản Xuân, sản phẩm OCOP 4 sao của tỉnh Nam Định (nay thuộc tỉnh Ninh Bình), "
            "được nêu tên là ứng viên 5 sao.",
            "Sản xuất theo quy trình khép kín, được công nhận là sản phẩm thuộc chuỗi cung ứng "
            "thực phẩm an toàn.",
        ],
        [
            "Toản Xuân clean rice, a 4-star OCOP product of former Nam Định province (now Ninh "
            "Bình), named as a 5-star candidate.",
            "Grown and milled in a closed loop; recognised as a safe food supply-chain product.",
        ],
        extra_metadata={"ocop_five_star_candidate": "true"},
    ),
    SeedProduct(
        "dau-lac-nguyen-chat-an-nhien",
        "Dầu lạc nguyên chất An Nhiên",
        "An Nhiên pure peanut oil",
        "hkd-nguyen-van-dung",
        "dau-an",
        "thuc-pham-dang-long",
        "chai",
        3,
        [
            ("ANNHIEN-DAULAC-500ML", "500-ml", 550, 90_000),
            ("ANNHIEN-DAULAC-1L", "1-l", 1_050, 170_000),
        ],
        [
            "Dầu lạc ép nguyên chất của hộ kinh doanh Nguyễn Văn Dũng, xã Yên Cường, huyện Ý Yên, "
            "tỉnh Nam Định (nay thuộc tỉnh Ninh Bình).",
            "Sản phẩm OCOP 3 sao, được công nhận lại năm 2023.",
        ],
        [
            "Pure pressed peanut oil from Nguyễn Văn Dũng's household business in Yên Cường, Ý Yên "
            "(former Nam Định province, now Ninh Bình).",
            "A 3-star OCOP product, re-recognised in 2023.",
        ],
    ),
    SeedProduct(
        "dau-vung-nguyen-chat-an-nhien",
        "Dầu vừng nguyên chất An Nhiên",
        "An Nhiên pure sesame oil",
        "hkd-nguyen-van-dung",
        "dau-an",
        "thuc-pham-dang-long",
        "chai",
        3,
        [
            ("ANNHIEN-DAUVUNG-250ML", "250-ml", 300, 75_000),
            ("ANNHIEN-DAUVUNG-500ML", "500-ml", 550, 140_000),
        ],
        [
            "Dầu vừng ép nguyên chất của hộ kinh doanh Nguyễn Văn Dũng, xã Yên Cường, huyện Ý Yên, "
            "tỉnh Nam Định (nay thuộc tỉnh Ninh Bình).",
            "Sản phẩm OCOP 3 sao, được công nhận lại năm 2023.",
        ],
        [
            "Pure pressed sesame oil from Nguyễn Văn Dũng's household business in Yên Cường, Ý Yên "
            "(former Nam Định province, now Ninh Bình).",
            "A 3-star OCOP product, re-recognised in 2023.",
        ],
    ),
    SeedProduct(
        "tuong-ot-quang-minh-sai-gon",
        "Tương ớt Quang Minh Sài Gòn",
        "Quang Minh Sài Gòn chili sauce",
        "hkd-quang-minh",
        "nuoc-mam-gia-vi",
        "thuc-pham-dang-long",
        "chai",
        3,
        [
            ("QUANGMINH-TUONGOT-250ML", "250-ml", 320, 18_000),
            ("QUANGMINH-TUONGOT-500ML", "500-ml", 600, 30_000),
        ],
        [
            "Tương ớt của hộ kinh doanh Quang Minh, xã Yên Bằng, huyện Ý Yên, tỉnh Nam Định "
            "(nay thuộc tỉnh Ninh Bình).",
            "Sản phẩm OCOP 3 sao, được công nhận lại năm 2023.",
        ],
        [
            "Chili sauce from the Quang Minh household business in Yên Bằng, Ý Yên (former Nam "
            "Định province, now Ninh Bình).",
            "A 3-star OCOP product, re-recognised in 2023.",
        ],
    ),
    SeedProduct(
        "sa-te-oihinsu",
        "Sa tế OIHINSU",
        "OIHINSU chili satay",
        "hkd-quang-minh",
        "nuoc-mam-gia-vi",
        "thuc-pham-dong-goi",
        "hu",
        3,
        [
            ("QUANGMINH-SATE-100G", "100-g", 150, 25_000),
            ("QUANGMINH-SATE-200G", "200-g", 270, 45_000),
        ],
        [
            "Sa tế OIHINSU của hộ kinh doanh Quang Minh, xã Yên Bằng, huyện Ý Yên, tỉnh Nam Định "
            "(nay thuộc tỉnh Ninh Bình).",
            "Sản phẩm OCOP 3 sao, được công nhận lại năm 2023.",
        ],
        [
            "OIHINSU chili satay from the Quang Minh household business in Yên Bằng, Ý Yên "
            "(former Nam Định province, now Ninh Bình).",
            "A 3-star OCOP product, re-recognised in 2023.",
        ],
    ),
    SeedProduct(
        "gao-an-toan-ai-nghia",
        "Gạo an toàn Ái Nghĩa",
        "Ái Nghĩa safe rice",
        "htx-ai-nghia",
        "gao-ngu-coc",
        "thuc-pham-dong-goi",
        "bao",
        3,
        [
            ("AINGHIA-GAO-5KG", "5-kg", 5_100, 110_000),
            ("AINGHIA-GAO-10KG", "10-kg", 10_150, 210_000),
        ],
        [
            "Gạo an toàn Ái Nghĩa của hợp tác xã tại Ái Nghĩa, tỉnh Quảng Nam (nay thuộc thành "
            "phố Đà Nẵng).",
            "Được công nhận OCOP 3 sao năm 2019; chứng nhận đã hết hạn (hiệu lực 36 tháng), nên "
            "sản phẩm không mang huy hiệu sao.",
        ],
        [
            "Ái Nghĩa safe rice from a cooperative in Ái Nghĩa, former Quảng Nam province (now Đà "
            "Nẵng).",
            "Rated 3-star OCOP in 2019; the certificate (valid 36 months) has expired, so the "
            "product carries no star badge.",
        ],
        extra_metadata={"ocop_certified_year": "2019", "ocop_certificate_status": "expired"},
    ),
]


@dataclass
class SeedCertificate:
    """The recognition as published (year, issuer, stars); the decision number and exact day
    are demo values, marked DEMO."""

    decision_number: str
    decision_date: date
    issuer_name: str
    issuer_level: str
    criteria_version: str


_NAM_DINH_4_STARS = ("UBND tỉnh Nam Định", IssuerLevel.PROVINCE, "148/QĐ-TTg (2023)")
_Y_YEN_3_STARS = ("UBND huyện Ý Yên", IssuerLevel.DISTRICT, "148/QĐ-TTg (2023)")
CERTIFICATES = {  # product slug -> its certificate
    "nghieu-thit-hop-lenger": ("DEMO-101/QĐ-UBND", date(2024, 6, 14), *_NAM_DINH_4_STARS),
    "gao-sach-toan-xuan": ("DEMO-101/QĐ-UBND", date(2024, 6, 14), *_NAM_DINH_4_STARS),
    "dau-lac-nguyen-chat-an-nhien": ("DEMO-231/QĐ-UBND", date(2023, 12, 20), *_Y_YEN_3_STARS),
    "dau-vung-nguyen-chat-an-nhien": ("DEMO-231/QĐ-UBND", date(2023, 12, 20), *_Y_YEN_3_STARS),
    "tuong-ot-quang-minh-sai-gon": ("DEMO-231/QĐ-UBND", date(2023, 12, 20), *_Y_YEN_3_STARS),
    "sa-te-oihinsu": ("DEMO-231/QĐ-UBND", date(2023, 12, 20), *_Y_YEN_3_STARS),
    # Rated in 2019 under Decision 1048 (the province certified 3★); expired in 2022.
    "gao-an-toan-ai-nghia": (
        "DEMO-019/QĐ-UBND",
        date(2019, 12, 10),
        "UBND tỉnh Quảng Nam",
        IssuerLevel.PROVINCE,
        "1048/QĐ-TTg (2019)",
    ),
}


def _stock_quantity(sku: str, low: int, high: int) -> int:
    return low + int(hashlib.md5(sku.encode()).hexdigest(), 16) % (high - low + 1)


def ensure_producers(channels) -> dict:
    producers = {}
    for seed in PRODUCERS:
        province = resolve_province(seed.place_as_printed)
        producer, _ = Producer.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "name": seed.name,
                "legal_type": seed.legal_type,
                "province": province,
                "address": seed.address,
                "story": seed.story,
                "email": f"{seed.slug}@demo.ocop.vn",
                "verification_status": VerificationStatus.VERIFIED,
            },
        )
        ensure_producer_store(producer, channels)
        ensure_showroom(province, channels)
        producers[seed.slug] = producer
    return producers


def _ensure_product(seed: SeedProduct, producer, structure) -> Product:
    description = editorjs(*seed.description, DEMO_NOTE)
    metadata = {"demo_values": DEMO_NOTE, "ocop_stars_as_published": str(seed.stars)}
    metadata.update(seed.extra_metadata)
    product, _ = Product.objects.update_or_create(
        slug=seed.slug,
        defaults={
            "name": seed.name,
            "product_type": structure.product_types[seed.product_type],
            "category": structure.categories[seed.category],
            "producer": producer,
            "description": description,
            "description_plaintext": plaintext(description),
            "seo_title": seed.name,
            "metadata": metadata,
        },
    )
    ProductTranslation.objects.update_or_create(
        product=product,
        language_code="en",
        defaults={
            "name": seed.name_en,
            "description": editorjs(*seed.description_en, DEMO_NOTE_EN),
        },
    )
    values = [
        structure.values[("province", producer.province.slug)],
        structure.values[("packaging", seed.packaging)],
    ]
    for order, value in enumerate(values, start=1):  # the star (0) follows the certificate
        AssignedProductAttributeValue.objects.update_or_create(
            product=product, value=value, defaults={"sort_order": order}
        )
    if not product.media.exists():
        shape = shape_for(seed.packaging, seed.category)
        image = render_product_image(seed.name, shape, colour_for(seed.category))
        ProductMedia.objects.create(
            product=product, image=save_image(f"products/{seed.slug}.jpg", image), alt=seed.name
        )
    return product


def _ensure_variants(seed: SeedProduct, product, structure, producer) -> None:
    variant_attribute = "volume" if seed.product_type == "thuc-pham-dang-long" else "weight"
    store = Warehouse.objects.get(slug=producer_store_slug(producer))
    showroom = Warehouse.objects.get(slug=showroom_slug(producer.province))
    for order, (sku, value_slug, grams, price) in enumerate(seed.variants):
        value = structure.values[(variant_attribute, value_slug)]
        variant, _ = ProductVariant.objects.update_or_create(
            sku=sku,
            defaults={
                "product": product,
                "name": value.name,
                "weight_grams": grams,
                "sort_order": order,
                "is_default": order == 0,
            },
        )
        AssignedVariantAttributeValue.objects.update_or_create(variant=variant, value=value)
        for channel in structure.channels.values():
            amount = price if channel.currency_code == "VND" else usd_cents(price)
            ProductVariantChannelListing.objects.update_or_create(
                variant=variant,
                channel=channel,
                defaults={"currency": channel.currency_code, "price_amount": amount},
            )
        set_stock_quantities(
            variant,
            [
                (store, _stock_quantity(sku, 50, 300)),
                (showroom, _stock_quantity(sku[::-1], 5, 40)),
            ],
        )


def _ensure_certification(seed: SeedProduct, product) -> Certification:
    certificate = SeedCertificate(*CERTIFICATES[seed.slug])
    valid_until = default_valid_until(certificate.decision_date)
    expired = valid_until < today()
    certification, _ = Certification.objects.update_or_create(
        product=product,
        decision_number=certificate.decision_number,
        defaults={
            "producer": product.producer,
            "stars": seed.stars,
            "criteria_version": certificate.criteria_version,
            "product_group": ProductGroup.FOOD,
            "decision_date": certificate.decision_date,
            "issuer_level": certificate.issuer_level,
            "issuer_name": certificate.issuer_name,
            "valid_from": certificate.decision_date,
            "valid_until": valid_until,
            "status": CertificationStatus.EXPIRED if expired else CertificationStatus.VALID,
            "verification_status": VerificationStatus.VERIFIED,
        },
    )
    return certification


def ensure_seed_catalog(structure) -> list:
    """Create or update the seed producers and products; returns the products."""
    producers = ensure_producers(structure.channels)
    products = []
    for seed in PRODUCTS:
        producer = producers[seed.producer]
        product = _ensure_product(seed, producer, structure)
        _ensure_certification(seed, product)
        _ensure_variants(seed, product, structure, producer)
        for channel in structure.channels.values():
            ProductChannelListing.objects.get_or_create(
                product=product,
                channel=channel,
                defaults={
                    "currency": channel.currency_code,
                    "is_published": True,
                    "published_at": timezone.now(),
                    "available_for_purchase_at": timezone.now(),
                    "visible_in_listings": True,
                },
            )
        products.append(product)
    refresh_star_attributes([p.pk for p in products])
    update_discounted_prices([p.pk for p in products])
    return products

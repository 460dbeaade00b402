"""The catalogue's frame, created idempotently: channels, the six OCOP groups with their
subcategories, attributes and product types. Both demo commands start from it."""

from dataclasses import dataclass

from backend.attribute.models import (
    Attribute,
    AttributeInputType,
    AttributeProduct,
    AttributeTranslation,
    AttributeType,
    AttributeValue,
    AttributeValueTranslation,
    AttributeVariant,
)
from backend.channel.models import Channel
from backend.demo.editorjs import editorjs
from backend.ocop.models import Province
from backend.product.models import Category, CategoryTranslation, ProductType

CHANNELS = [
    # slug, name, currency, country
    ("vn", "Việt Nam", "VND", "VN"),
    ("intl", "International", "USD", "US"),
]

# The six OCOP product groups (Decision 148/QĐ-TTg) and their subcategories:
# slug, Vietnamese name, English name.
CATEGORY_TREE = [
    (
        ("thuc-pham", "Thực phẩm", "Food"),
        [
            ("gao-ngu-coc", "Gạo và ngũ cốc", "Rice and grains"),
            ("nuoc-mam-gia-vi", "Nước mắm và gia vị", "Fish sauce and seasonings"),
            ("dau-an", "Dầu ăn", "Cooking oils"),
            ("che-tra", "Chè và trà", "Tea"),
            ("ca-phe", "Cà phê", "Coffee"),
            ("mat-ong", "Mật ong", "Honey"),
            ("thit-hai-san-che-bien", "Thịt và hải sản chế biến", "Processed meat and seafood"),
            ("banh-keo-dac-san", "Bánh kẹo và đặc sản", "Cakes, sweets and specialities"),
            ("trai-cay-nong-san", "Trái cây và nông sản", "Fruit and farm produce"),
        ],
    ),
    (
        ("do-uong", "Đồ uống", "Drinks"),
        [
            ("ruou", "Rượu", "Rice wine and spirits"),
            ("nuoc-khoang", "Nước khoáng", "Mineral water"),
            ("nuoc-ep-giai-khat", "Nước ép và nước giải khát", "Juices and soft drinks"),
        ],
    ),
    (
        ("duoc-lieu", "Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products"),
        [
            ("thuc-pham-chuc-nang", "Thực phẩm chức năng", "Functional foods"),
            ("my-pham-thao-duoc", "Mỹ phẩm thảo dược", "Herbal cosmetics"),
            ("tinh-dau", "Tinh dầu", "Essential oils"),
            ("duoc-lieu-kho", "Dược liệu khô", "Dried medicinal herbs"),
        ],
    ),
    (
        ("thu-cong-my-nghe", "Thủ công mỹ nghệ", "Handicrafts"),
        [
            ("do-gia-dung", "Đồ gia dụng", "Household crafts"),
            ("do-trang-tri", "Đồ trang trí", "Decorative crafts"),
            ("det-may", "Dệt may", "Textiles and garments"),
        ],
    ),
    (
        ("sinh-vat-canh", "Sinh vật cảnh", "Ornamental plants and animals"),
        [
            ("cay-canh", "Cây cảnh", "Ornamental plants"),
            ("hoa", "Hoa", "Flowers"),
            ("dong-vat-canh", "Động vật cảnh", "Ornamental animals"),
        ],
    ),
    (
        (
            "du-lich",
            "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
            "Community tourism, eco-tourism and tourist sites",
        ),
        [
            ("du-lich-cong-dong", "Du lịch cộng đồng", "Community tourism"),
            ("du-lich-sinh-thai", "Du lịch sinh thái", "Eco-tourism"),
            ("diem-du-lich", "Điểm du lịch", "Tourist sites"),
        ],
    ),
]

STAR_VALUES = [("3", "3 sao", "3 stars"), ("4", "4 sao", "4 stars"), ("5", "5 sao", "5 stars")]
PACKAGING_VALUES = [
    ("tui", "Túi", "Bag"),
    ("hop", "Hộp", "Box"),
    ("chai", "Chai", "Bottle"),
    ("hu", "Hũ", "Jar"),
    ("lon", "Lon", "Can"),
    ("bao", "Bao", "Sack"),
    ("khong-dong-goi", "Không đóng gói", "Unpackaged"),
]
WEIGHT_VALUES = [
    ("100-g", "100 g"),
    ("200-g", "200 g"),
    ("250-g", "250 g"),
    ("500-g", "500 g"),
    ("1-kg", "1 kg"),
    ("2-kg", "2 kg"),
    ("5-kg", "5 kg"),
    ("10-kg", "10 kg"),
]
VOLUME_VALUES = [
    ("100-ml", "100 ml"),
    ("250-ml", "250 ml"),
    ("330-ml", "330 ml"),
    ("500-ml", "500 ml"),
    ("750-ml", "750 ml"),
    ("1-l", "1 lít"),
    ("5-l", "5 lít"),
]

# slug, Vietnamese name, English name, values [(slug, vi, en)], used on variants
ATTRIBUTES = [
    ("ocop-stars", "Hạng sao OCOP", "OCOP stars", STAR_VALUES, False),
    ("province", "Tỉnh, thành phố", "Province", None, False),  # values: the 34 units
    ("packaging", "Quy cách đóng gói", "Packaging", PACKAGING_VALUES, False),
    ("weight", "Khối lượng", "Weight", [(s, n, n) for s, n in WEIGHT_VALUES], True),
    (
        "volume",
        "Dung tích",
        "Volume",
        [(s, n, n.replace("lít", "l")) for s, n in VOLUME_VALUES],
        True,
    ),
]

# slug, name, variant attribute (or None), shipping required
PRODUCT_TYPES = [
    ("thuc-pham-dong-goi", "Thực phẩm đóng gói", "weight", True),
    ("thuc-pham-dang-long", "Thực phẩm dạng lỏng", "volume", True),
    ("do-uong", "Đồ uống", "volume", True),
    ("duoc-lieu", "Dược liệu và sản phẩm từ dược liệu", "weight", True),
    ("thu-cong-my-nghe", "Thủ công mỹ nghệ", None, True),
    ("sinh-vat-canh", "Sinh vật cảnh", None, True),
    ("dich-vu-du-lich", "Dịch vụ du lịch", None, False),
]
PRODUCT_ATTRIBUTES = ["ocop-stars", "province", "packaging"]


@dataclass
class CatalogStructure:
    channels: dict  # slug -> Channel
    categories: dict  # slug -> Category
    product_types: dict  # slug -> ProductType
    values: dict  # (attribute slug, value slug) -> AttributeValue


def ensure_channels() -> dict:
    channels = {}
    for slug, name, currency, country in CHANNELS:
        channels[slug], _ = Channel.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "currency_code": currency, "default_country": country},
        )
    return channels


def ensure_categories() -> dict:
    categories = {}

    def ensure(slug, name, name_en, parent):
        category, _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": parent,
                "description": editorjs(f"Sản phẩm OCOP nhóm {name.lower()}."),
                "seo_title": name[:70],
            },
        )
        CategoryTranslation.objects.update_or_create(
            category=category,
            language_code="en",
            defaults={"name": name_en, "description": editorjs(f"OCOP products: {name_en}.")},
        )
        categories[slug] = category
        return category

    for (slug, name, name_en), children in CATEGORY_TREE:
        group = ensure(slug, name, name_en, None)
        for child_slug, child_name, child_name_en in children:
            ensure(child_slug, child_name, child_name_en, group)
    return categories


def _province_values():
    return [(p.slug, p.name, p.name) for p in Province.objects.order_by("code")]


def ensure_attributes() -> tuple[dict, dict]:
    """Attributes by slug and their values by (attribute slug, value slug)."""
    attributes, values = {}, {}
    for slug, name, name_en, choices, _on_variants in ATTRIBUTES:
        attribute, _ = Attribute.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "type": AttributeType.PRODUCT_TYPE,
                "input_type": AttributeInputType.DROPDOWN,
                "filterable_in_storefront": True,
                "visible_in_storefront": True,
            },
        )
        AttributeTranslation.objects.update_or_create(
            attribute=attribute, language_code="en", defaults={"name": name_en}
        )
        attributes[slug] = attribute
        for order, (value_slug, value_name, value_en) in enumerate(
            choices if choices is not None else _province_values()
        ):
            value, _ = AttributeValue.objects.update_or_create(
                attribute=attribute,
                slug=value_slug,
                defaults={"name": value_name, "value": value_slug, "sort_order": order},
            )
            if value_en != value_name:
                AttributeValueTranslation.objects.update_or_create(
                    attribute_value=value, language_code="en", defaults={"name": value_en}
                )
            values[(slug, value_slug)] = value
    return attributes, values


def ensure_product_types(attributes: dict) -> dict:
    product_types = {}
    for slug, name, variant_attribute, shipping in PRODUCT_TYPES:
        product_type, _ = ProductType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "has_variants": variant_attribute is not None,
                "is_shipping_required": shipping,
            },
        )
        for order, attribute_slug in enumerate(PRODUCT_ATTRIBUTES):
            AttributeProduct.objects.update_or_create(
                attribute=attributes[attribute_slug],
                product_type=product_type,
                defaults={"sort_order": order},
            )
        if variant_attribute:
            AttributeVariant.objects.update_or_create(
                attribute=attributes[variant_attribute],
                product_type=product_type,
                defaults={"variant_selection": True},
            )
        product_types[slug] = product_type
    return product_types


def ensure_structure() -> CatalogStructure:
    """Provinces must be loaded first: the `province` attribute's values are the 34 units."""
    channels = ensure_channels()
    categories = ensure_categories()
    attributes, values = ensure_attributes()
    product_types = ensure_product_types(attributes)
    return CatalogStructure(channels, categories, product_types, values)

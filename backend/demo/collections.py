"""The demo's collections: `featured-products`, which Saleor's storefront shows on its home
page, and two themed ones, each published in every channel with an English translation."""

from django.utils import timezone

from backend.demo.editorjs import editorjs
from backend.product.models import (
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    CollectionTranslation,
    Product,
)

COLLECTIONS = [
    # slug, name, description, English name, English description, product slugs in order
    (
        "featured-products",
        "Sản phẩm nổi bật",
        "Những sản phẩm OCOP được khách hàng yêu thích nhất tháng này.",
        "Featured products",
        "The OCOP products our customers love most this month.",
        [
            "nghieu-thit-hop-lenger",
            "gao-sach-toan-xuan",
            "dau-lac-nguyen-chat-an-nhien",
            "tuong-ot-quang-minh-sai-gon",
            "sa-te-oihinsu",
        ],
    ),
    (
        "gia-vi-bep-viet",
        "Gia vị bếp Việt",
        "Dầu ép thủ công, tương ớt và sa tế từ các cơ sở OCOP cho bữa cơm gia đình.",
        "Vietnamese kitchen essentials",
        "Cold-pressed oils, chilli sauce and sa tế from OCOP producers for the family table.",
        [
            "dau-lac-nguyen-chat-an-nhien",
            "dau-vung-nguyen-chat-an-nhien",
            "tuong-ot-quang-minh-sai-gon",
            "sa-te-oihinsu",
        ],
    ),
    (
        "qua-tet-ocop",
        "Quà Tết OCOP",
        "Gạo ngon, đặc sản biển và dầu ăn tinh khiết: quà biếu Tết từ khắp các vùng miền.",
        "OCOP Tết gifts",
        "Fine rice, seafood specialities and pure cooking oils: Tết gifts from every region.",
        [
            "gao-an-toan-ai-nghia",
            "gao-sach-toan-xuan",
            "nghieu-thit-hop-lenger",
            "dau-vung-nguyen-chat-an-nhien",
        ],
    ),
]


def ensure_collections(channels) -> dict:
    """Create or update the collections (idempotent); returns them by slug."""
    collections = {}
    for slug, name, description, name_en, description_en, product_slugs in COLLECTIONS:
        collection, _ = Collection.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": editorjs(description), "seo_title": name},
        )
        CollectionTranslation.objects.update_or_create(
            collection=collection,
            language_code="en",
            defaults={"name": name_en, "description": editorjs(description_en)},
        )
        for channel in channels.values():
            CollectionChannelListing.objects.get_or_create(
                collection=collection,
                channel=channel,
                defaults={"is_published": True, "published_at": timezone.now()},
            )
        products = Product.objects.in_bulk(product_slugs, field_name="slug")
        for order, product_slug in enumerate(product_slugs):
            CollectionProduct.objects.update_or_create(
                collection=collection,
                product=products[product_slug],
                defaults={"sort_order": order},
            )
        collections[slug] = collection
    return collections

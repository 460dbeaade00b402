"""Catalog business rules: create and change categories, products, variants, channel listings,
stocks and media. The API, the portals and tasks call these; none of them writes the models
directly.

Every function takes already-resolved instances (the caller turns IDs into objects and reports
unknown ones) and raises ValidationError keyed by input field with Saleor's ProductErrorCode
values as codes. Callers run them inside a transaction so a failure changes nothing.

Every change takes the actor's `ProducerScope` (backend.ocop.access): a producer's members
change only their producer's products, stock in their own warehouses and media; anything else
answers NOT_FOUND, as an unknown ID would.
"""

import ipaddress
import socket
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from backend.ocop.access import ProducerScope
from backend.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductMediaType,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.photos import (
    prepare_photo,
    too_large_error,
    validate_photo,
    warm_photo_thumbnails,
)
from backend.product.pricing import update_discounted_prices
from backend.product.validators import (
    clean_price,
    clean_stock_quantity,
    field_error,
)
from backend.warehouse.models import Stock
from backend.warehouse.services import StockBelowAllocated, set_stock_quantities

PRODUCT_FIELDS = (
    "name",
    "slug",
    "description",
    "category",
    "product_type",
    "producer",
    "weight_grams",
    "rating",
    "seo_title",
    "seo_description",
    "external_reference",
)
VARIANT_FIELDS = (
    "sku",
    "name",
    "weight_grams",
    "track_inventory",
    "quantity_limit_per_customer",
    "external_reference",
)


# --- Helpers --------------------------------------------------------------------------------


def unique_slug(model, text: str, exclude_pk=None) -> str:
    """An ASCII slug of `text` ("Mật ong rừng" → "mat-ong-rung"), suffixed -2, -3… if taken."""
    base = slugify(unidecode(text or ""))[:240] or "item"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _check_unique(model, field: str, value, exclude_pk=None, input_field: str | None = None):
    if value in (None, ""):
        return
    if model.objects.filter(**{field: value}).exclude(pk=exclude_pk).exists():
        raise field_error(
            input_field or field,
            _("Giá trị %(value)s đã được dùng.") % {"value": value},
            "unique",
        )


def editorjs_plaintext(description) -> str:
    """The text of an EditorJS document, for search and previews."""
    if not isinstance(description, dict):
        return ""

    texts = []
    for block in description.get("blocks") or []:
        data = block.get("data") or {}
        if isinstance(data.get("text"), str):
            texts.append(strip_tags(data["text"]))
        for item in data.get("items") or []:
            if isinstance(item, str):
                texts.append(strip_tags(item))
    return " ".join(text.strip() for text in texts if text.strip())


def _assign(instance, data: dict, fields) -> None:
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])


# --- Categories -----------------------------------------------------------------------------


def create_category(data: dict, parent: Category | None = None) -> Category:
    if not data.get("name"):
        raise field_error("name", _("Tên danh mục là bắt buộc."), "required")
    slug = data.get("slug")
    if slug:
        _check_unique(Category, "slug", slug)
    else:
        slug = unique_slug(Category, data["name"])
    background_image = data.get("background_image")
    if background_image is not None:
        validate_photo(background_image, field="backgroundImage")
    category = Category(
        name=data["name"],
        slug=slug,
        parent=parent,
        description=data.get("description"),
        seo_title=data.get("seo_title") or "",
        seo_description=data.get("seo_description") or "",
        background_image=background_image,
        background_image_alt=data.get("background_image_alt") or "",
    )
    category.save()
    return category


# --- Products -------------------------------------------------------------------------------


def _clean_product(data: dict, product: Product | None) -> dict:
    exclude_pk = product.pk if product else None
    if "name" in data and not data["name"]:
        raise field_error("name", _("Tên sản phẩm là bắt buộc."), "required")
    if data.get("slug"):
        _check_unique(Product, "slug", data["slug"], exclude_pk)
    elif product is None or "slug" in data:
        name = data.get("name") or (product.name if product else "")
        data["slug"] = unique_slug(Product, name, exclude_pk)
    _check_unique(
        Product,
        "external_reference",
        data.get("external_reference"),
        exclude_pk,
        "externalReference",
    )
    if "description" in data:
        data["description_plaintext"] = editorjs_plaintext(data["description"])
    if product is not None and "category" in data and data["category"] is None:
        if product.channel_listings.filter(is_published=True).exists():
            raise field_error(
                "category",
                _("Sản phẩm đang được đăng bán phải thuộc một danh mục."),
                "product_without_category",
            )
    return data


def _clean_producer(data: dict, scope: ProducerScope, product: Product | None) -> dict:
    """A member's product belongs to their producer; staff may name any producer."""
    if "producer" in data:
        producer = data["producer"]
        if product is None or producer != product.producer:
            scope.require(producer.pk if producer else None, "producer")
    elif product is None and not scope.everything:
        producer_id = scope.default_producer_id()
        if producer_id is None:
            raise field_error("producer", _("Hãy chọn chủ thể sản xuất."), "required")
        data["producer_id"] = producer_id
    return data


def create_product(data: dict, *, scope: ProducerScope) -> Product:
    """`data` holds model field values; `product_type` is required."""
    data = _clean_producer(dict(data), scope, None)
    if data.get("product_type") is None:
        raise field_error("productType", _("Loại sản phẩm là bắt buộc."), "required")
    if not data.get("name"):
        raise field_error("name", _("Tên sản phẩm là bắt buộc."), "required")
    data = _clean_product(dict(data), None)
    product = Product()
    _assign(product, data, PRODUCT_FIELDS + ("description_plaintext", "producer_id"))
    product.save()
    return product


def update_product(product: Product, data: dict, *, scope: ProducerScope) -> Product:
    from backend.webhook.events import product_updated

    scope.require(product.producer_id)
    data = _clean_producer(dict(data), scope, product)
    data = _clean_product(data, product)
    _assign(product, data, PRODUCT_FIELDS + ("description_plaintext",))
    product.save()
    product_updated(product.pk)
    return product


def delete_product(product: Product, *, scope: ProducerScope) -> None:
    """Delete the product with its variants, listings and media; image files go once the
    transaction commits (a rolled-back delete keeps them)."""
    scope.require(product.producer_id)
    files = [media.image for media in product.media.all() if media.image]
    product.delete()
    for image in files:
        transaction.on_commit(lambda image=image: image.storage.delete(image.name))


# --- Variants and stocks --------------------------------------------------------------------


def _clean_variant(data: dict, variant: ProductVariant | None) -> dict:
    exclude_pk = variant.pk if variant else None
    if "sku" in data:
        data["sku"] = (data["sku"] or "").strip() or None
        _check_unique(ProductVariant, "sku", data["sku"], exclude_pk)
    _check_unique(
        ProductVariant,
        "external_reference",
        data.get("external_reference"),
        exclude_pk,
        "externalReference",
    )
    limit = data.get("quantity_limit_per_customer")
    if limit is not None and limit < 1:
        raise field_error(
            "quantityLimitPerCustomer", _("Giới hạn mỗi khách phải lớn hơn 0."), "invalid"
        )
    return data


def create_variant(product: Product, data: dict, stocks=(), *, scope: ProducerScope):
    """`stocks`: (warehouse, quantity) pairs to start with."""
    scope.require(product.producer_id, "product")
    data = _clean_variant(dict(data), None)
    variant = ProductVariant(product=product, sort_order=product.variants.count())
    _assign(variant, data, VARIANT_FIELDS)
    variant.is_default = not product.variants.exists()
    variant.save()
    if stocks:
        update_variant_stocks(variant, stocks, scope=scope)
    return variant


def update_variant(variant: ProductVariant, data: dict, *, scope: ProducerScope):
    scope.require(variant.product.producer_id)
    data = _clean_variant(dict(data), variant)
    _assign(variant, data, VARIANT_FIELDS)
    variant.save()
    return variant


def delete_variant(variant: ProductVariant, *, scope: ProducerScope) -> None:
    """Delete a variant that no open order still needs (order lines keep their copy)."""
    scope.require(variant.product.producer_id)
    if variant.stocks.filter(quantity_allocated__gt=0).exists():
        raise field_error("id", _("Biến thể đang được giữ cho đơn hàng, không thể xoá."), "invalid")
    product = variant.product
    variant.delete()
    if not product.variants.filter(is_default=True).exists():
        first = product.variants.order_by("sort_order", "pk").values("pk")[:1]
        ProductVariant.objects.filter(pk__in=first).update(is_default=True)
    update_discounted_prices([product.pk])


def update_variant_stocks(variant: ProductVariant, stocks, *, scope: ProducerScope) -> list[Stock]:
    """Set absolute quantities per warehouse through the stock service; a quantity below what
    is already allocated to orders is refused (those units are promised). Members set stock
    only in their producer's own warehouses."""
    scope.require(variant.product.producer_id)
    for warehouse, _quantity in stocks:
        scope.require(warehouse.producer_id, "warehouse")
    warehouse_ids = [warehouse.pk for warehouse, _quantity in stocks]
    if len(set(warehouse_ids)) != len(warehouse_ids):
        raise field_error("warehouse", _("Mỗi kho chỉ được nhập một lần."), "duplicated_input_item")
    for _warehouse, quantity in stocks:
        clean_stock_quantity(quantity)
    try:
        return set_stock_quantities(variant, stocks, changed_by=scope.user)
    except StockBelowAllocated as error:
        raise field_error(
            "quantity",
            _("Kho %(warehouse)s đã giữ %(allocated)s sản phẩm cho đơn hàng.")
            % {
                "warehouse": stocks[error.index][0].name,
                "allocated": error.stock.quantity_allocated,
            },
            "invalid",
            index=error.index,
        ) from error


# --- Channel listings -----------------------------------------------------------------------


def update_product_channel_listings(
    product: Product, update_channels, remove_channels, *, scope: ProducerScope
) -> None:
    """`update_channels`: dicts with `channel` and optional is_published, published_at,
    visible_in_listings, is_available_for_purchase, available_for_purchase_at, add_variants,
    remove_variants. `remove_channels`: channels to withdraw the product from. A member
    publishes only once the office has verified their producer."""
    scope.require(product.producer_id)
    channel_ids = [item["channel"].pk for item in update_channels]
    removed_ids = [channel.pk for channel in remove_channels]
    if len(set(channel_ids)) != len(channel_ids) or set(channel_ids) & set(removed_ids):
        raise field_error("input", _("Mỗi kênh bán chỉ được nêu một lần."), "duplicated_input_item")
    for item in update_channels:
        if item.get("is_published") and product.category_id is None:
            raise field_error(
                "isPublished",
                _("Cần chọn danh mục trước khi đăng bán sản phẩm."),
                "product_without_category",
            )
        if item.get("is_published") and not scope.everything:
            require_verified_producer(product)
        for variant in item.get("add_variants", []) + item.get("remove_variants", []):
            if variant.product_id != product.pk:
                raise field_error(
                    "addVariants", _("Biến thể không thuộc sản phẩm này."), "not_products_variant"
                )
    for item in update_channels:
        _upsert_product_listing(product, item)
    if removed_ids:
        ProductVariantChannelListing.objects.filter(
            variant__product=product, channel_id__in=removed_ids
        ).delete()
        ProductChannelListing.objects.filter(product=product, channel_id__in=removed_ids).delete()
    update_discounted_prices([product.pk])


def _upsert_product_listing(product: Product, item: dict) -> None:
    channel = item["channel"]
    listing = ProductChannelListing.objects.filter(product=product, channel=channel).first()
    if listing is None:
        listing = ProductChannelListing(
            product=product, channel=channel, currency=channel.currency_code
        )
    now = timezone.now()
    if "is_published" in item:
        listing.is_published = bool(item["is_published"])
    if item.get("published_at") is not None:
        listing.published_at = item["published_at"]
    elif listing.is_published and listing.published_at is None:
        listing.published_at = now
    if "visible_in_listings" in item:
        listing.visible_in_listings = bool(item["visible_in_listings"])
    if item.get("available_for_purchase_at") is not None:
        listing.available_for_purchase_at = item["available_for_purchase_at"]
    elif (
        item.get("is_available_for_purchase") is True and listing.available_for_purchase_at is None
    ):
        listing.available_for_purchase_at = now
    elif item.get("is_available_for_purchase") is False:
        listing.available_for_purchase_at = None
    listing.save()
    for variant in item.get("add_variants", []):
        ProductVariantChannelListing.objects.get_or_create(
            variant=variant, channel=channel, defaults={"currency": channel.currency_code}
        )
    removed = [variant.pk for variant in item.get("remove_variants", [])]
    if removed:
        ProductVariantChannelListing.objects.filter(
            variant_id__in=removed, channel=channel
        ).delete()


def require_verified_producer(product: Product) -> None:
    """Products go on sale once the office has verified their producer."""
    from backend.ocop.models import VerificationStatus

    producer = product.producer
    if producer is None or producer.verification_status != VerificationStatus.VERIFIED:
        raise field_error(
            "isPublished",
            _("Chủ thể chưa được văn phòng OCOP xác minh nên chưa thể đăng bán."),
            "invalid",
        )


def update_variant_channel_listings(variant: ProductVariant, listings, *, scope: ProducerScope):
    """`listings`: dicts with `channel`, `price` and optional `cost_price`, `prior_price`
    (decimals in the channel currency's major unit)."""
    scope.require(variant.product.producer_id)
    channel_ids = [item["channel"].pk for item in listings]
    if len(set(channel_ids)) != len(channel_ids):
        raise field_error(
            "channelId", _("Mỗi kênh bán chỉ được nêu một lần."), "duplicated_input_item"
        )
    listed = set(
        ProductChannelListing.objects.filter(
            product_id=variant.product_id, channel_id__in=channel_ids
        ).values_list("channel_id", flat=True)
    )
    for item in listings:
        channel = item["channel"]
        if channel.pk not in listed:
            raise field_error(
                "channelId",
                _("Sản phẩm chưa được đưa vào kênh %(channel)s.") % {"channel": channel.name},
                "product_not_assigned_to_channel",
            )
        currency = channel.currency_code
        if item.get("price") is None:
            raise field_error("price", _("Giá bán là bắt buộc."), "required")
        amounts = {
            "price_amount": clean_price(item["price"], currency, "price"),
            "cost_price_amount": clean_price(item.get("cost_price"), currency, "costPrice"),
            "prior_price_amount": clean_price(item.get("prior_price"), currency, "priorPrice"),
        }
        ProductVariantChannelListing.objects.update_or_create(
            variant=variant, channel=channel, defaults={"currency": currency, **amounts}
        )
    update_discounted_prices([variant.product_id])


# --- Media ----------------------------------------------------------------------------------

VIDEO_HOSTS = ("youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "www.vimeo.com")


def create_product_media(
    product: Product,
    image=None,
    media_url: str | None = None,
    alt: str = "",
    *,
    scope: ProducerScope,
):
    """An uploaded image, or a URL: a video page (YouTube, Vimeo) is kept as a link, any other
    URL is downloaded and stored as an image. Images are stored upright, resized and without
    EXIF/GPS (backend.product.photos); their WebP thumbnails are made after the commit."""
    scope.require(product.producer_id, "product")
    if image is None and not media_url:
        raise field_error("input", _("Cần tải ảnh lên hoặc nhập đường dẫn."), "required")
    if image is not None and media_url:
        raise field_error(
            "input",
            _("Chỉ nhập một trong hai: ảnh tải lên hoặc đường dẫn."),
            "duplicated_input_item",
        )
    sort_order = product.media.count()
    if image is None:
        if urlparse(media_url).hostname in VIDEO_HOSTS:
            return ProductMedia.objects.create(
                product=product,
                type=ProductMediaType.VIDEO,
                external_url=media_url,
                alt=alt,
                sort_order=sort_order,
            )
        image = fetch_remote_image(media_url, field="mediaUrl")
    photo = prepare_photo(image, field="mediaUrl" if media_url else "image")
    media = ProductMedia.objects.create(
        product=product, image=photo, alt=alt, type=ProductMediaType.IMAGE, sort_order=sort_order
    )
    warm_photo_thumbnails(media)
    return media


def delete_product_media(media: ProductMedia, *, scope: ProducerScope) -> None:
    """Delete a photo; its file (and thumbnails) go once the transaction commits."""
    scope.require(media.product.producer_id)
    files = [thumbnail.image for thumbnail in media.thumbnails.all()]
    if media.image:
        files.append(media.image)
    media.delete()
    for image in files:
        transaction.on_commit(lambda image=image: image.storage.delete(image.name))


def reorder_product_media(product: Product, media_ids: list, *, scope: ProducerScope) -> None:
    """Put the product's media in the order of `media_ids` (every one of them, once)."""
    scope.require(product.producer_id, "productId")
    current = set(product.media.values_list("pk", flat=True))
    if len(media_ids) != len(set(media_ids)) or set(media_ids) != current:
        raise field_error(
            "mediaIds", _("Danh sách ảnh phải gồm đúng các ảnh của sản phẩm."), "not_products_image"
        )
    order = {pk: index for index, pk in enumerate(media_ids)}
    media = list(product.media.all())
    for item in media:
        item.sort_order = order[item.pk]
    ProductMedia.objects.bulk_update(media, ["sort_order"])


def is_public_host(hostname: str) -> bool:
    """True when every address of `hostname` is public: the server must not be made to fetch
    from its own network."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(hostname, None)}
    except (socket.gaierror, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(a).is_global for a in addresses)


def fetch_remote_image(url: str, field: str) -> ContentFile:
    """Download an image from a public http(s) URL, at most MAX_UPLOAD_IMAGE_BYTES."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise field_error(field, _("Đường dẫn phải bắt đầu bằng http:// hoặc https://."), "invalid")
    if not is_public_host(parsed.hostname):
        raise field_error(field, _("Không thể tải ảnh từ địa chỉ này."), "invalid")
    limit = settings.MAX_UPLOAD_IMAGE_BYTES
    try:
        with requests.get(url, stream=True, timeout=10, allow_redirects=False) as response:
            response.raise_for_status()
            content = b""
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > limit:
                    raise too_large_error(field, len(content))
    except requests.RequestException:
        raise field_error(field, _("Không tải được ảnh từ đường dẫn này."), "invalid") from None
    name = parsed.path.rsplit("/", 1)[-1] or "image"
    return ContentFile(content, name=name)

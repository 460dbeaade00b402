"""Product media and images: original files, thumbnails, background images."""

import graphene

from backend.core.ids import global_id
from backend.graphql.core.enums import (
    MediaChoicesSortField,
    OrderDirection,
    ProductMediaType,
    ThumbnailFormatEnum,
)
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import Image
from backend.product import models
from backend.thumbnail.utils import thumbnail_url


def _thumbnail_format(format) -> str | None:
    value = getattr(format, "value", format)
    return None if value in (None, "ORIGINAL") else str(value).lower()


def first_image_thumbnail(info, media, size=None, format=None) -> Image | None:
    """The thumbnail of the first image among `media` (videos skipped), or None."""
    image = next((m for m in media if m.type == "IMAGE" and m.image), None)
    if image is None:
        return None
    url = thumbnail_url(
        info.context, global_id("ProductMedia", image.pk), size, _thumbnail_format(format)
    )
    return Image(url=url, alt=image.alt)


def file_url(info, field_file) -> str:
    return info.context.build_absolute_uri(field_file.url)


def image_url(info, instance_global_id: str, field_file, size, format) -> str:
    """The original file when no size is asked, otherwise the thumbnail address."""
    if not size and _thumbnail_format(format) is None:
        return file_url(info, field_file)
    return thumbnail_url(info.context, instance_global_id, size, _thumbnail_format(format))


def thumbnail_args():
    return {
        "size": graphene.Int(description="Size of the image, rounded to the nearest we make."),
        "format": graphene.Argument(
            ThumbnailFormatEnum, default_value=ThumbnailFormatEnum.ORIGINAL.value
        ),
    }


class ProductMedia(graphene.ObjectType):
    id = graphene.ID(required=True)
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaType, required=True)
    oembed_data = graphene.JSONString(required=True)
    url = graphene.String(required=True, **thumbnail_args())
    product_id = graphene.ID()

    resolve_id = staticmethod(global_id_resolver("ProductMedia"))

    @staticmethod
    def resolve_type(root, _info):
        return ProductMediaType.get(root.type)

    @staticmethod
    def resolve_oembed_data(_root, _info):
        return {}

    @staticmethod
    def resolve_product_id(root, _info):
        return global_id("Product", root.product_id)

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        if root.type == models.ProductMediaType.VIDEO or not root.image:
            return root.external_url or ""
        return image_url(info, global_id("ProductMedia", root.pk), root.image, size, format)


def media_sorted(media, sort_by):
    if sort_by:
        return sorted(media, key=lambda m: m.pk, reverse=sort_by.get("direction") == "DESC")
    return media


class MediaSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    field = graphene.Field(MediaChoicesSortField, required=True)


def background_image(info, type_name, instance, size, format):
    if not instance.background_image:
        return None
    url = image_url(
        info, global_id(type_name, instance.pk), instance.background_image, size, format
    )
    return Image(url=url, alt=instance.background_image_alt)

"""What the catalog mutations share: Saleor's product error codes and types, the weight scalar,
reading IDs into instances (unknown → NOT_FOUND on the field) and input into model values, and
`ProductMutation`, open to staff with MANAGE_PRODUCTS and to producers' members.

A member looks objects up through their producer scope: another producer's product, variant,
media or warehouse answers NOT_FOUND with the very message an unknown ID gets, and the domain
service checks ownership again before it changes anything."""

from decimal import Decimal, InvalidOperation

import graphene
from django.utils.translation import gettext as _
from graphql.language import ast

from backend.account.permissions import ProductPermissions
from backend.core.ids import pk_from_global_id
from backend.graphql.core.errors import error_type
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.core.permissions import producer_scope, require_permission_or_membership
from backend.graphql.core.uploads import get_uploaded_file
from backend.ocop.access import ProducerScope
from backend.ocop.models import Producer
from backend.product import models
from backend.product.validators import field_error
from backend.warehouse.models import Warehouse

PRODUCT_TYPE = "backend.graphql.product.types.Product"
VARIANT_TYPE = "backend.graphql.product.types.ProductVariant"
CATEGORY_TYPE = "backend.graphql.product.types.Category"
MEDIA_TYPE = "backend.graphql.product.types.ProductMedia"
MANAGE_PRODUCTS = (ProductPermissions.MANAGE_PRODUCTS,)


class ProductErrorCode(graphene.Enum):
    ALREADY_EXISTS = "already_exists"
    ATTRIBUTE_ALREADY_ASSIGNED = "attribute_already_assigned"
    ATTRIBUTE_CANNOT_BE_ASSIGNED = "attribute_cannot_be_assigned"
    ATTRIBUTE_VARIANTS_DISABLED = "attribute_variants_disabled"
    MEDIA_ALREADY_ASSIGNED = "media_already_assigned"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_PRICE = "invalid_price"
    PRODUCT_WITHOUT_CATEGORY = "product_without_category"
    NOT_PRODUCTS_IMAGE = "not_products_image"
    NOT_PRODUCTS_VARIANT = "not_products_variant"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT = "cannot_manage_product_without_variant"
    PRODUCT_NOT_ASSIGNED_TO_CHANNEL = "product_not_assigned_to_channel"
    UNSUPPORTED_MEDIA_PROVIDER = "unsupported_media_provider"
    INVALID_FILE_TYPE = "invalid_file_type"
    UNSUPPORTED_MIME_TYPE = "unsupported_mime_type"
    FILE_SIZE_LIMIT_EXCEEDED = "file_size_limit_exceeded"


_ATTRIBUTE_FIELDS = {
    "attributes": graphene.List(
        graphene.NonNull(graphene.ID), description="List of attributes IDs which causes the error."
    ),
    "values": graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of attribute values IDs which causes the error.",
    ),
}
ProductError = error_type("ProductError", ProductErrorCode, _ATTRIBUTE_FIELDS)
ProductChannelListingError = error_type(
    "ProductChannelListingError",
    ProductErrorCode,
    {**_ATTRIBUTE_FIELDS, "channels": graphene.List(graphene.NonNull(graphene.ID))},
)
BulkStockError = error_type(
    "BulkStockError", ProductErrorCode, {**_ATTRIBUTE_FIELDS, "index": graphene.Int()}
)


class WeightScalar(graphene.Scalar):
    """A weight in kilograms (Saleor's default unit), stored in whole grams."""

    @staticmethod
    def serialize(value):
        return float(value)

    @staticmethod
    def parse_value(value):
        try:
            grams = Decimal(str(value)) * 1000
        except (InvalidOperation, ValueError):
            return graphene.types.scalars.Undefined
        if grams < 0 or grams != grams.to_integral_value():
            return graphene.types.scalars.Undefined
        return int(grams)

    @staticmethod
    def parse_literal(node, _variables=None):
        if isinstance(node, ast.FloatValueNode | ast.IntValueNode | ast.StringValueNode):
            return WeightScalar.parse_value(node.value)
        return graphene.types.scalars.Undefined


def get_node(queryset, type_name: str, value, field: str):
    """The instance `value` (a global ID of `type_name`) names, or a field error."""
    pk = pk_from_global_id(value, type_name)
    if pk is None:
        raise field_error(field, _("Không đọc được ID: %(id)s.") % {"id": value}, "graphql_error")
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise field_error(
            field, _("Không tìm thấy đối tượng: %(id)s.") % {"id": value}, "not_found"
        )
    return instance


def get_nodes(queryset, type_name: str, values, field: str) -> list:
    return [get_node(queryset, type_name, value, field) for value in values or []]


def get_optional_node(queryset, type_name: str, value, field: str):
    """Like `get_node`, but an empty value clears the relation (None)."""
    return get_node(queryset, type_name, value, field) if value else None


def get_uploaded_image(info, value, field: str):
    """The uploaded file a multipart request sent for `value`; missing → REQUIRED on `field`."""
    image = get_uploaded_file(info, value)
    if image is None:
        raise field_error(field, _("Không nhận được tệp ảnh."), "required")
    return image


def get_by_one_of(queryset, type_name: str, **lookups):
    """Saleor's `id` / `sku` / `externalReference` look-up: exactly one must be given."""
    given = {key: value for key, value in lookups.items() if value}
    if len(given) != 1:
        raise field_error(
            "id",
            _("Cần nhập đúng một trong các tham số: %(names)s.") % {"names": ", ".join(lookups)},
            "graphql_error",
        )
    ((key, value),) = given.items()
    if key == "id":
        return get_node(queryset, type_name, value, "id")
    model_field = {"sku": "sku", "external_reference": "external_reference"}[key]
    instance = queryset.filter(**{model_field: value}).first()
    if instance is None:
        raise field_error(key, _("Không tìm thấy đối tượng: %(id)s.") % {"id": value}, "not_found")
    return instance


def clean_seo(data: dict, seo) -> dict:
    if seo is not None:
        if seo.get("title") is not None:
            data["seo_title"] = seo["title"]
        if seo.get("description") is not None:
            data["seo_description"] = seo["description"]
    return data


def given_fields(input, fields) -> dict:
    """The subset of `fields` the client sent, with their values."""
    return {field: input[field] for field in fields if field in input}


def _clean_weight(data: dict, input) -> dict:
    if "weight" in input:
        data["weight_grams"] = input["weight"]
    return data


def clean_product_input(input, scope: ProducerScope) -> dict:
    """GraphQL ProductInput → model field values for the service; `producer` is looked up among
    the producers `scope` covers."""
    data = given_fields(input, ("name", "slug", "description", "rating", "external_reference"))
    _clean_weight(data, input)
    if "category" in input:
        data["category"] = get_optional_node(
            models.Category.objects, "Category", input["category"], "category"
        )
    if "producer" in input:
        data["producer"] = get_optional_node(
            scope.filter(Producer.objects.all(), "pk"), "Producer", input["producer"], "producer"
        )
    if "product_type" in input:
        data["product_type"] = get_node(
            models.ProductType.objects, "ProductType", input["product_type"], "productType"
        )
    return clean_seo(data, input.get("seo"))


def clean_variant_input(input) -> dict:
    data = given_fields(
        input,
        ("sku", "name", "track_inventory", "quantity_limit_per_customer", "external_reference"),
    )
    return _clean_weight(data, input)


def clean_stocks(stocks, warehouses) -> list:
    """(warehouse, quantity) pairs; each warehouse is looked up in `warehouses`."""
    return [
        (
            get_node(warehouses, "Warehouse", stock["warehouse"], "warehouse"),
            stock["quantity"],
        )
        for stock in stocks or []
    ]


def deleted_copy(instance, pk):
    """Deleting clears the primary key; the payload still answers with the deleted ID."""
    instance.pk = instance.id = pk
    return instance


class ProductMutation(BaseMutation):
    """A catalog mutation: staff with MANAGE_PRODUCTS act on every producer's catalogue, a
    producer's active members on their own producers' (`members_allowed`); anyone else gets
    PermissionDenied. Answers ProductError unless it names another error type."""

    members_allowed = True

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("permissions", MANAGE_PRODUCTS)
        options.setdefault("error_type_class", ProductError)
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def check_permissions(cls, info, **data):
        if cls.members_allowed:
            require_permission_or_membership(info, ProductPermissions.MANAGE_PRODUCTS)
        else:
            super().check_permissions(info, **data)

    @staticmethod
    def scope(info) -> ProducerScope:
        """The producers the requester may change the catalogue of."""
        return producer_scope(info, ProductPermissions.MANAGE_PRODUCTS)

    @classmethod
    def scoped_products(cls, info):
        """Products the requester may name (others answer NOT_FOUND, as unknown IDs do)."""
        return cls.scope(info).filter(models.Product.objects.all())

    @classmethod
    def scoped_variants(cls, info):
        return cls.scope(info).filter(models.ProductVariant.objects.all(), "product__producer_id")

    @classmethod
    def scoped_media(cls, info):
        return cls.scope(info).filter(models.ProductMedia.objects.all(), "product__producer_id")

    @classmethod
    def scoped_warehouses(cls, info):
        return cls.scope(info).filter(Warehouse.objects.all())

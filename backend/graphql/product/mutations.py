"""Staff catalog mutations with Saleor 3's names, arguments and payloads. Each needs
MANAGE_PRODUCTS, turns IDs into instances (unknown → NOT_FOUND on the field) and calls
backend.product.services, which holds the rules."""

from decimal import Decimal, InvalidOperation

import graphene
from django.utils.translation import gettext as _
from graphql.language import ast

from backend.account.permissions import ProductPermissions
from backend.channel.models import Channel
from backend.graphql.core.errors import error_type
from backend.graphql.core.ids import pk_from_global_id
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.core.scalars import PositiveDecimal
from backend.graphql.core.uploads import Upload, get_uploaded_file
from backend.ocop.models import Producer
from backend.product import models, services
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


# --- Inputs ---------------------------------------------------------------------------------


class SeoInput(graphene.InputObjectType):
    title = graphene.String(description="SEO title.")
    description = graphene.String(description="SEO description.")


class ProductInput(graphene.InputObjectType):
    category = graphene.ID(description="ID of the product's category.")
    description = graphene.JSONString(description="Product description (EditorJS JSON).")
    name = graphene.String(description="Product name.")
    slug = graphene.String(description="Product slug.")
    seo = graphene.Field(SeoInput, description="Search engine optimization fields.")
    weight = WeightScalar(description="Weight of the product.")
    rating = graphene.Float(description="Defines the product rating value.")
    external_reference = graphene.String(description="External ID of this product.")
    producer = graphene.ID(description="ID of the OCOP producer making the product.")


class ProductCreateInput(ProductInput):
    product_type = graphene.ID(required=True, description="ID of the type that product belongs to.")


class StockInput(graphene.InputObjectType):
    warehouse = graphene.ID(required=True, description="Warehouse in which stock is located.")
    quantity = graphene.Int(required=True, description="Quantity of items available for sell.")


class ProductVariantInput(graphene.InputObjectType):
    sku = graphene.String(description="Stock keeping unit.")
    name = graphene.String(description="Variant name.")
    track_inventory = graphene.Boolean(
        description="Determines if the inventory of this variant should be tracked."
    )
    weight = WeightScalar(description="Weight of the Product Variant.")
    quantity_limit_per_customer = graphene.Int(description="Maximum quantity a customer may buy.")
    external_reference = graphene.String(description="External ID of this product variant.")


class ProductVariantCreateInput(ProductVariantInput):
    product = graphene.ID(required=True, description="Product ID of which type is the variant.")
    stocks = graphene.List(
        graphene.NonNull(StockInput), description="Stocks of a product available for sale."
    )


class ProductChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True, description="ID of a channel.")
    is_published = graphene.Boolean(description="Determines if object is visible to customers.")
    published_at = graphene.DateTime(description="Publication date time.")
    visible_in_listings = graphene.Boolean(
        description="Determines if product is visible in product listings."
    )
    is_available_for_purchase = graphene.Boolean(
        description="Determines if product should be available for purchase."
    )
    available_for_purchase_at = graphene.DateTime(
        description="A start date time from which a product will be available for purchase."
    )
    add_variants = graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of variants to which the channel should be assigned.",
    )
    remove_variants = graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of variants from which the channel should be unassigned.",
    )


class ProductChannelListingUpdateInput(graphene.InputObjectType):
    update_channels = graphene.List(
        graphene.NonNull(ProductChannelListingAddInput),
        description="List of channels to which the product should be assigned or updated.",
    )
    remove_channels = graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of channels from which the product should be unassigned.",
    )


class ProductVariantChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True, description="ID of a channel.")
    price = PositiveDecimal(
        required=True, description="Price of the particular variant in channel."
    )
    cost_price = PositiveDecimal(description="Cost price of the variant in channel.")
    prior_price = PositiveDecimal(description="The value of the previous price before discount.")


class ProductMediaCreateInput(graphene.InputObjectType):
    alt = graphene.String(description="Alt text for a product media.")
    image = Upload(description="Represents an image file in a multipart request.")
    product = graphene.ID(required=True, description="ID of an product.")
    media_url = graphene.String(description="Represents an URL to an external media.")


class CategoryInput(graphene.InputObjectType):
    description = graphene.JSONString(description="Category description (EditorJS JSON).")
    name = graphene.String(description="Category name.")
    slug = graphene.String(description="Category slug.")
    seo = graphene.Field(SeoInput, description="Search engine optimization fields.")
    background_image = Upload(description="Background image file.")
    background_image_alt = graphene.String(description="Alt text for a category media.")


# --- Resolving IDs --------------------------------------------------------------------------


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


def _given_fields(input, fields) -> dict:
    """The subset of `fields` the client sent, with their values."""
    return {field: input[field] for field in fields if field in input}


def _clean_weight(data: dict, input) -> dict:
    if "weight" in input:
        data["weight_grams"] = input["weight"]
    return data


def clean_product_input(input) -> dict:
    """GraphQL ProductInput → model field values for the service."""
    data = _given_fields(input, ("name", "slug", "description", "rating", "external_reference"))
    _clean_weight(data, input)
    if "category" in input:
        data["category"] = get_optional_node(
            models.Category.objects, "Category", input["category"], "category"
        )
    if "producer" in input:
        data["producer"] = get_optional_node(
            Producer.objects, "Producer", input["producer"], "producer"
        )
    if "product_type" in input:
        data["product_type"] = get_node(
            models.ProductType.objects, "ProductType", input["product_type"], "productType"
        )
    return clean_seo(data, input.get("seo"))


def clean_variant_input(input) -> dict:
    data = _given_fields(
        input,
        ("sku", "name", "track_inventory", "quantity_limit_per_customer", "external_reference"),
    )
    return _clean_weight(data, input)


def clean_stocks(stocks) -> list:
    return [
        (
            get_node(Warehouse.objects, "Warehouse", stock["warehouse"], "warehouse"),
            stock["quantity"],
        )
        for stock in stocks or []
    ]


def _deleted_copy(instance, pk):
    """Deleting clears the primary key; the payload still answers with the deleted ID."""
    instance.pk = instance.id = pk
    return instance


# --- Mutations ------------------------------------------------------------------------------


class ProductMutation(BaseMutation):
    """A staff catalog mutation: needs MANAGE_PRODUCTS, answers ProductError unless it names
    another error type."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("permissions", MANAGE_PRODUCTS)
        options.setdefault("error_type_class", ProductError)
        super().__init_subclass_with_meta__(**options)


class CategoryCreate(ProductMutation):
    category = graphene.Field(CATEGORY_TYPE)

    class Arguments:
        input = CategoryInput(required=True, description="Fields required to create a category.")
        parent = graphene.ID(
            description="ID of the parent category. If empty, category will be top level category."
        )

    class Meta:
        description = "Creates a new category."

    @classmethod
    def perform_mutation(cls, _root, info, input, parent=None):
        parent_category = get_optional_node(models.Category.objects, "Category", parent, "parent")
        data = _given_fields(input, ("name", "slug", "description", "background_image_alt"))
        if input.get("background_image"):
            data["background_image"] = get_uploaded_image(
                info, input["background_image"], "backgroundImage"
            )
        clean_seo(data, input.get("seo"))
        return cls(category=services.create_category(data, parent_category), errors=[])


class ProductCreate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        input = ProductCreateInput(
            required=True, description="Fields required to create a product."
        )

    class Meta:
        description = "Creates a new product."

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        product = services.create_product(clean_product_input(input))
        return cls(product=product, errors=[])


class ProductUpdate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product to update.")
        external_reference = graphene.String(description="External ID of a product to update.")
        input = ProductInput(required=True, description="Fields required to update a product.")

    class Meta:
        description = "Updates an existing product."

    @classmethod
    def perform_mutation(cls, _root, _info, input, id=None, external_reference=None):
        product = get_by_one_of(
            models.Product.objects, "Product", id=id, external_reference=external_reference
        )
        product = services.update_product(product, clean_product_input(input))
        return cls(product=product, errors=[])


class ProductDelete(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product to delete.")
        external_reference = graphene.String(description="External ID of a product to delete.")

    class Meta:
        description = "Deletes a product."

    @classmethod
    def perform_mutation(cls, _root, _info, id=None, external_reference=None):
        product = get_by_one_of(
            models.Product.objects, "Product", id=id, external_reference=external_reference
        )
        pk = product.pk
        services.delete_product(product)
        return cls(product=_deleted_copy(product, pk), errors=[])


class ProductVariantCreate(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        input = ProductVariantCreateInput(
            required=True, description="Fields required to create a product variant."
        )

    class Meta:
        description = "Creates a new variant for a product."

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        product = get_node(models.Product.objects, "Product", input["product"], "product")
        stocks = clean_stocks(input.get("stocks"))
        variant = services.create_variant(product, clean_variant_input(input), stocks)
        return cls(product_variant=variant, errors=[])


class ProductVariantUpdate(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product variant to update.")
        sku = graphene.String(description="SKU of a product variant to update.")
        external_reference = graphene.String(
            description="External ID of a product variant to update."
        )
        input = ProductVariantInput(
            required=True, description="Fields required to update a product variant."
        )

    class Meta:
        description = "Updates an existing variant for product."

    @classmethod
    def perform_mutation(cls, _root, _info, input, id=None, sku=None, external_reference=None):
        variant = get_by_one_of(
            models.ProductVariant.objects,
            "ProductVariant",
            id=id,
            sku=sku,
            external_reference=external_reference,
        )
        variant = services.update_variant(variant, clean_variant_input(input))
        return cls(product_variant=variant, errors=[])


class ProductChannelListingUpdate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to update.")
        input = ProductChannelListingUpdateInput(
            required=True,
            description="Fields required to create or update product channel listings.",
        )

    class Meta:
        description = "Manage product's availability in channels."
        error_type_class = ProductChannelListingError

    @classmethod
    def perform_mutation(cls, _root, _info, id, input):
        product = get_node(models.Product.objects, "Product", id, "id")
        variants = models.ProductVariant.objects.all()
        update_channels = []
        for item in input.get("update_channels") or []:
            cleaned = _given_fields(
                item,
                (
                    "is_published",
                    "published_at",
                    "visible_in_listings",
                    "is_available_for_purchase",
                    "available_for_purchase_at",
                ),
            )
            cleaned["channel"] = get_node(
                Channel.objects, "Channel", item["channel_id"], "channelId"
            )
            cleaned["add_variants"] = get_nodes(
                variants, "ProductVariant", item.get("add_variants"), "addVariants"
            )
            cleaned["remove_variants"] = get_nodes(
                variants, "ProductVariant", item.get("remove_variants"), "removeVariants"
            )
            update_channels.append(cleaned)
        remove_channels = get_nodes(
            Channel.objects, "Channel", input.get("remove_channels"), "removeChannels"
        )
        services.update_product_channel_listings(product, update_channels, remove_channels)
        return cls(product=product, errors=[])


class ProductVariantChannelListingUpdate(ProductMutation):
    variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product variant to update.")
        sku = graphene.String(description="SKU of a product variant to update.")
        input = graphene.List(
            graphene.NonNull(ProductVariantChannelListingAddInput),
            required=True,
            description="Fields required to create or update product variant channel listings.",
        )

    class Meta:
        description = "Manage product variant prices in channels."
        error_type_class = ProductChannelListingError

    @classmethod
    def perform_mutation(cls, _root, _info, input, id=None, sku=None):
        variant = get_by_one_of(models.ProductVariant.objects, "ProductVariant", id=id, sku=sku)
        listings = [
            {
                "channel": get_node(Channel.objects, "Channel", item["channel_id"], "channelId"),
                "price": item.get("price"),
                "cost_price": item.get("cost_price"),
                "prior_price": item.get("prior_price"),
            }
            for item in input
        ]
        services.update_variant_channel_listings(variant, listings)
        return cls(variant=variant, errors=[])


class ProductVariantStocksUpdate(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        variant_id = graphene.ID(
            description="ID of a product variant for which stocks will be updated."
        )
        sku = graphene.String(
            description="SKU of product variant for which stocks will be updated."
        )
        stocks = graphene.List(
            graphene.NonNull(StockInput),
            required=True,
            description="Input list of stocks to create or update.",
        )

    class Meta:
        description = "Update stocks for product variant."
        error_type_class = BulkStockError

    @classmethod
    def perform_mutation(cls, _root, info, stocks, variant_id=None, sku=None):
        variant = get_by_one_of(
            models.ProductVariant.objects, "ProductVariant", id=variant_id, sku=sku
        )
        services.update_variant_stocks(variant, clean_stocks(stocks), changed_by=info.context.user)
        return cls(product_variant=variant, errors=[])


class ProductMediaCreate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)
    media = graphene.Field(MEDIA_TYPE)

    class Arguments:
        input = ProductMediaCreateInput(
            required=True, description="Fields required to create a product media."
        )

    class Meta:
        description = (
            "Create a media object (image or video URL) associated with product. For image, this "
            "mutation must be sent as a `multipart` request."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = get_node(models.Product.objects, "Product", input["product"], "product")
        image = get_uploaded_image(info, input["image"], "image") if input.get("image") else None
        media = services.create_product_media(
            product, image=image, media_url=input.get("media_url"), alt=input.get("alt") or ""
        )
        return cls(product=product, media=media, errors=[])


class ProductMutations(graphene.ObjectType):
    category_create = CategoryCreate.Field()
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_delete = ProductDelete.Field()
    product_variant_create = ProductVariantCreate.Field()
    product_variant_update = ProductVariantUpdate.Field()
    product_channel_listing_update = ProductChannelListingUpdate.Field()
    product_variant_channel_listing_update = ProductVariantChannelListingUpdate.Field()
    product_variant_stocks_update = ProductVariantStocksUpdate.Field()
    product_media_create = ProductMediaCreate.Field()

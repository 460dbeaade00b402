"""The catalog: categories, product types, products, variants, media, collections and their
per-channel listings (Saleor 3 shape). Prices are integers in the channel currency's minor unit."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import (
    ModelWithExternalReference,
    ModelWithMetadata,
    PublishableModel,
    SeoModel,
    SortableModel,
    TranslationModel,
)
from backend.core.search import normalize_search_text
from backend.product.managers import ProductManager
from backend.product.vocabulary import add_words


class Category(ModelWithMetadata, SeoModel):
    """A node of the category tree; the six OCOP product groups are the roots."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField(_("description"), blank=True, null=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
    )
    level = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    background_image = models.ImageField(
        _("background image"), upload_to="category-backgrounds", blank=True, null=True
    )
    background_image_alt = models.CharField(_("background image text"), max_length=128, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["level", "name", "pk"]
        permissions = (("manage_products", _("Manage products.")),)

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.level = self.parent.level + 1 if self.parent_id else 0
        super().save(*args, **kwargs)


class CategoryTranslation(TranslationModel, SeoModel):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="translations", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=250, blank=True, null=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True, null=True, allow_unicode=True)
    description = models.JSONField(_("description"), blank=True, null=True)

    class Meta:
        verbose_name = _("category translation")
        verbose_name_plural = _("category translations")
        unique_together = (("language_code", "category"),)


class ProductTypeKind(models.TextChoices):
    NORMAL = "normal", _("A standard product type.")
    GIFT_CARD = "gift_card", _("A gift card product type.")


class ProductType(ModelWithMetadata):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=ProductTypeKind.choices, default="normal"
    )
    has_variants = models.BooleanField(_("has variants"), default=True)
    is_shipping_required = models.BooleanField(_("needs shipping"), default=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)

    class Meta:
        verbose_name = _("product type")
        verbose_name_plural = _("product types")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class Product(SeoModel, ModelWithMetadata, ModelWithExternalReference):
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("product type"),
        related_name="products",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField(_("description"), blank=True, null=True)
    description_plaintext = models.TextField(_("description as plain text"), blank=True, default="")
    search_document = models.TextField(_("search text"), blank=True, default="", editable=False)
    # The name alone, normalised like search_document: name matches rank above description ones.
    search_name = models.CharField(
        _("search name"), max_length=250, blank=True, default="", editable=False
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        related_name="products",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    producer = models.ForeignKey(
        "ocop.Producer",
        verbose_name=_("producer"),
        related_name="products",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), blank=True, null=True)
    rating = models.FloatField(_("rating"), null=True, blank=True)
    # Set when a member asks to publish before the office has verified the producer: the
    # product goes on sale when the producer is verified (backend.product.publication).
    submitted_at = models.DateTimeField(_("submitted for publication at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = ProductManager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["slug"]
        indexes = [models.Index(fields=["name", "id"]), models.Index(fields=["created_at", "id"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_document = normalize_search_text(
            " ".join([self.name, self.slug, self.description_plaintext or ""])
        )
        self.search_name = normalize_search_text(self.name)
        super().save(*args, **kwargs)
        add_words(self.search_document)  # searches correct typos towards the new words at once


class ProductTranslation(TranslationModel, SeoModel):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="translations", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=250, blank=True, null=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True, null=True, allow_unicode=True)
    description = models.JSONField(_("description"), blank=True, null=True)

    class Meta:
        verbose_name = _("product translation")
        verbose_name_plural = _("product translations")
        unique_together = (("language_code", "product"),)


class ProductVariant(SortableModel, ModelWithMetadata, ModelWithExternalReference):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="variants", on_delete=models.CASCADE
    )
    sku = models.CharField(_("SKU"), max_length=255, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True, default="")
    weight_grams = models.PositiveIntegerField(_("weight (g)"), blank=True, null=True)
    track_inventory = models.BooleanField(_("track inventory"), default=True)
    quantity_limit_per_customer = models.PositiveIntegerField(
        _("limit per customer"), blank=True, null=True
    )
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("product variant")
        verbose_name_plural = _("product variants")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name or self.sku or f"ID:{self.pk}"


class ProductVariantTranslation(TranslationModel):
    product_variant = models.ForeignKey(
        ProductVariant,
        verbose_name=_("product variant"),
        related_name="translations",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("variant translation")
        verbose_name_plural = _("variant translations")
        unique_together = (("language_code", "product_variant"),)


class ProductMediaType(models.TextChoices):
    IMAGE = "IMAGE", _("An uploaded image or an URL to an image")
    VIDEO = "VIDEO", _("A URL to an external video")


class ProductMedia(SortableModel):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="media", on_delete=models.CASCADE
    )
    image = models.ImageField(_("image"), upload_to="products", blank=True, null=True)
    alt = models.CharField(_("alternative text"), max_length=250, blank=True, default="")
    type = models.CharField(
        _("type"), max_length=32, choices=ProductMediaType.choices, default=ProductMediaType.IMAGE
    )
    external_url = models.CharField(_("external URL"), max_length=1024, blank=True, null=True)
    variants = models.ManyToManyField(
        ProductVariant, verbose_name=_("variants"), related_name="media", blank=True
    )

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["sort_order", "pk"]


class ProductChannelListing(PublishableModel):
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="channel_listings",
        on_delete=models.CASCADE,
    )
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        related_name="product_listings",
        on_delete=models.CASCADE,
    )
    visible_in_listings = models.BooleanField(_("visible in listings"), default=True)
    available_for_purchase_at = models.DateTimeField(_("on sale from"), blank=True, null=True)
    # Cheapest variant price in this channel, kept current by the pricing service: lets
    # listings sort and filter by price without a join.
    discounted_price_amount = models.BigIntegerField(
        _("discounted price"), blank=True, null=True, db_index=True
    )
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("product listing")
        verbose_name_plural = _("product listings")
        unique_together = (("product", "channel"),)
        ordering = ["pk"]


# The listing index's columns that buyers' filters read (backend/product/catalogue/filters.py).
LISTING_FILTER_COLUMNS = [
    "published_at",
    "category",
    "product_type",
    "province",
    "producer_type",
    "badge_stars",
    "badge_until",
    "price",
    "in_stock",
    "attribute_values",
]


class ProductListingIndex(models.Model):
    """One narrow row per product a buyer can find in a channel's lists (published, shown in
    listings, priced), holding what lists, search and facets filter, sort and count on.

    Derived data: on PostgreSQL, triggers on the tables it is built from keep it current in the
    same transaction (migrations 0003-0004, backend/product/listing_index.py). Other databases
    leave it empty and the API queries the catalogue tables directly.
    """

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), blank=True, null=True)
    slug = models.CharField(_("slug"), max_length=255)
    name = models.CharField(_("name"), max_length=250)
    created_at = models.DateTimeField(_("created at"))
    search_name = models.CharField(_("search name"), max_length=250)
    search_document = models.TextField(_("search text"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("product type"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    producer = models.ForeignKey(
        "ocop.Producer",
        verbose_name=_("producer"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    province = models.ForeignKey(
        "ocop.Province",
        verbose_name=_("province or city"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    producer_type = models.CharField(_("producer type"), max_length=20, null=True)
    # Cheapest and dearest variant price in the channel (minor units).
    price = models.BigIntegerField(_("price"))
    max_price = models.BigIntegerField(_("highest price"), null=True)
    # The OCOP badge as of the last refresh; shown while `badge_until` has not passed.
    badge_stars = models.PositiveSmallIntegerField(_("badge stars"), null=True)
    badge_until = models.DateField(_("badge valid until"), null=True)
    # Some variant has stock beyond its allocations in a warehouse of the channel.
    in_stock = models.BooleanField(_("in stock"), default=False)
    # Attribute values of the product and of its variants.
    attribute_values = ArrayField(models.BigIntegerField(), default=list)

    class Meta:
        verbose_name = _("listing index entry")
        verbose_name_plural = _("listing index")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "channel"], name="product_listing_index_unique"
            )
        ]
        indexes = [
            *(
                models.Index(fields=[*key, "product"], name=f"listing_index_{name}")
                for name, key in (
                    ("name", ["channel", "name", "slug"]),
                    ("price", ["channel", "price", "slug"]),
                    ("created", ["channel", "created_at"]),
                    ("province", ["channel", "province"]),
                    ("producer", ["channel", "producer"]),
                    ("badge", ["channel", "badge_stars"]),
                )
            ),
            # The default order, in a channel and in a category, carrying every filtered column:
            # a filtered list's page and its count ("1000+") are read from the index alone,
            # instead of visiting thousands of table rows or intersecting large bitmaps.
            models.Index(
                fields=["channel", "slug", "product"],
                include=LISTING_FILTER_COLUMNS,
                name="listing_index_slug",
            ),
            models.Index(
                fields=["channel", "category", "slug", "product"],
                include=[column for column in LISTING_FILTER_COLUMNS if column != "category"],
                name="listing_index_category",
            ),
            # Search's top tier: names starting with the query, found by prefix and ranked by
            # their length from the index alone (backend/product/search.py, leading_matches).
            models.Index(
                fields=["channel", "search_name"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["published_at", "slug", "product", "id", "price", "max_price"],
                name="listing_index_name_prefix",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} @ {self.channel_id}"


class ProductVariantChannelListing(models.Model):
    variant = models.ForeignKey(
        ProductVariant,
        verbose_name=_("variant"),
        related_name="channel_listings",
        on_delete=models.CASCADE,
    )
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        related_name="variant_listings",
        on_delete=models.CASCADE,
    )
    currency = models.CharField(_("currency"), max_length=3)
    price_amount = models.BigIntegerField(_("price"), blank=True, null=True)
    cost_price_amount = models.BigIntegerField(_("cost price"), blank=True, null=True)
    prior_price_amount = models.BigIntegerField(_("previous price"), blank=True, null=True)

    class Meta:
        verbose_name = _("variant price")
        verbose_name_plural = _("variant prices")
        unique_together = (("variant", "channel"),)
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0), name="variant_price_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.variant_id} @ {self.channel_id}: {self.price_amount} {self.currency}"


class Collection(SeoModel, ModelWithMetadata):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField(_("description"), blank=True, null=True)
    background_image = models.ImageField(
        _("background image"), upload_to="collection-backgrounds", blank=True, null=True
    )
    background_image_alt = models.CharField(_("background image text"), max_length=128, blank=True)
    products = models.ManyToManyField(
        Product,
        verbose_name=_("products"),
        blank=True,
        related_name="collections",
        through="CollectionProduct",
    )

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class CollectionProduct(SortableModel):
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        related_name="collectionproduct",
        on_delete=models.CASCADE,
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        related_name="collectionproduct",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("collection product")
        verbose_name_plural = _("collection products")
        unique_together = (("collection", "product"),)
        ordering = ["sort_order", "pk"]


class CollectionChannelListing(PublishableModel):
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        related_name="channel_listings",
        on_delete=models.CASCADE,
    )
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        related_name="collection_listings",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("collection listing")
        verbose_name_plural = _("collection listings")
        unique_together = (("collection", "channel"),)
        ordering = ["pk"]


class CollectionTranslation(TranslationModel, SeoModel):
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        related_name="translations",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=250, blank=True, null=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True, null=True, allow_unicode=True)
    description = models.JSONField(_("description"), blank=True, null=True)

    class Meta:
        verbose_name = _("collection translation")
        verbose_name_plural = _("collection translations")
        unique_together = (("language_code", "collection"),)

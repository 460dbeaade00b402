"""What a producer's form needs beyond the catalogue services: a description typed as plain
text, the product type's attributes, and prices per channel for a variant.

Like backend.product.services, every change takes the actor's `ProducerScope` and raises
ValidationError keyed by input field; callers run them inside a transaction.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from backend.attribute.models import (
    AssignedProductAttributeValue,
    Attribute,
    AttributeInputType,
    AttributeValue,
)
from backend.ocop.access import ProducerScope
from backend.product.models import Category, Product, ProductChannelListing, ProductVariant
from backend.product.services import (
    update_product_channel_listings,
    update_variant_channel_listings,
)
from backend.product.validators import field_error

# Attributes the platform keeps itself: the star badge follows the certificate, the province
# the producer's.
SYSTEM_ATTRIBUTES = ("ocop-stars", "province")
PROVINCE_ATTRIBUTE = "province"
CHOICE_INPUTS = (AttributeInputType.DROPDOWN, AttributeInputType.SWATCH)
TEXT_INPUTS = (AttributeInputType.PLAIN_TEXT, AttributeInputType.RICH_TEXT)
EDITABLE_INPUTS = (*CHOICE_INPUTS, AttributeInputType.MULTISELECT, *TEXT_INPUTS,
                   AttributeInputType.NUMERIC)  # fmt: skip


# --- Description ----------------------------------------------------------------------------


def description_from_text(text: str) -> dict | None:
    """Plain text → an EditorJS document with one paragraph per non-empty line."""
    lines = [line.strip() for line in (text or "").splitlines()]
    blocks = [{"type": "paragraph", "data": {"text": line}} for line in lines if line]
    return {"blocks": blocks} if blocks else None


def description_text(description) -> str:
    """An EditorJS document back as lines of plain text, for the form."""
    if not isinstance(description, dict):
        return ""
    lines = []
    for block in description.get("blocks") or []:
        data = block.get("data") or {}
        if isinstance(data.get("text"), str):
            lines.append(data["text"])
        lines.extend(item for item in data.get("items") or [] if isinstance(item, str))
    return "\n".join(lines)


# --- Categories -----------------------------------------------------------------------------


def category_choices() -> list[tuple[int, str, int]]:
    """(id, name, depth) of every category, each group followed by its children; one query."""
    categories = list(Category.objects.order_by("name", "pk").values("pk", "name", "parent_id"))
    children = {}
    for category in categories:
        children.setdefault(category["parent_id"], []).append(category)
    ordered = []

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            ordered.append((category["pk"], category["name"], depth))
            walk(category["pk"], depth + 1)

    walk(None, 0)
    return ordered


# --- Attributes -----------------------------------------------------------------------------


@dataclass
class AttributeInput:
    """One attribute of a product type as a form shows it."""

    attribute: Attribute
    values: list = field(default_factory=list)  # choices for dropdowns
    current: list = field(default_factory=list)  # the product's assigned values

    @property
    def is_choice(self) -> bool:
        return self.attribute.input_type in CHOICE_INPUTS

    @property
    def is_multiple(self) -> bool:
        return self.attribute.input_type == AttributeInputType.MULTISELECT

    @property
    def initial(self):
        if self.is_multiple:
            return [value.pk for value in self.current]
        if self.is_choice:
            return self.current[0].pk if self.current else None
        if not self.current:
            return ""
        value = self.current[0]
        return value.plain_text or value.name


def attribute_inputs(product_type, product: Product | None = None) -> list[AttributeInput]:
    """The attributes a member fills in for products of `product_type` (not the ones the
    platform keeps), with their choices and `product`'s values; three queries."""
    if product_type is None:
        return []
    attributes = list(
        Attribute.objects.filter(attributeproduct__product_type=product_type)
        .exclude(slug__in=SYSTEM_ATTRIBUTES)
        .filter(input_type__in=EDITABLE_INPUTS)
        .order_by("attributeproduct__sort_order", "pk")
    )
    inputs = {attribute.pk: AttributeInput(attribute) for attribute in attributes}
    choice_ids = [a.pk for a in attributes if a.input_type not in (*TEXT_INPUTS, "numeric")]
    for value in AttributeValue.objects.filter(attribute_id__in=choice_ids).order_by(
        "sort_order", "pk"
    ):
        inputs[value.attribute_id].values.append(value)
    if product is not None and product.pk and inputs:
        assigned = AssignedProductAttributeValue.objects.filter(
            product=product, value__attribute_id__in=list(inputs)
        ).select_related("value")
        for assignment in assigned.order_by("sort_order", "pk"):
            inputs[assignment.value.attribute_id].current.append(assignment.value)
    return list(inputs.values())


def assign_product_attributes(product: Product, values: dict, *, scope: ProducerScope) -> None:
    """Set the product's attribute values from a form: `values` maps attribute id to a value
    id (dropdown), a list of value ids (multi-select) or text (plain text, numeric); empty
    clears it. Values of attributes its product type no longer has are removed, and the
    province follows the producer."""
    scope.require(product.producer_id)
    inputs = {item.attribute.pk: item for item in attribute_inputs(product.product_type, product)}
    wanted = []  # AttributeValue instances, in the form's order
    for attribute_id, item in inputs.items():
        raw = values.get(attribute_id)
        wanted.extend(_values_for(product, item, raw))
    # Replaced: the values of the attributes the form shows, and of attributes the product
    # type no longer has; kept: the platform's own and those the form does not show.
    type_attributes = product.product_type.attributeproduct.values("attribute_id")
    stale = (
        AssignedProductAttributeValue.objects.filter(product=product)
        .exclude(value__attribute__slug__in=SYSTEM_ATTRIBUTES)
        .exclude(value__in=wanted)
    )
    stale.filter(value__attribute_id__in=list(inputs)).delete()
    stale.exclude(value__attribute_id__in=type_attributes).delete()
    for order, value in enumerate(wanted, start=1):
        AssignedProductAttributeValue.objects.update_or_create(
            product=product, value=value, defaults={"sort_order": order}
        )
    _assign_province(product)


def _values_for(product: Product, item: AttributeInput, raw) -> list:
    attribute = item.attribute
    known = {value.pk: value for value in item.values}
    if item.is_multiple or item.is_choice:
        ids = raw if isinstance(raw, list | tuple) else [raw]
        chosen = []
        for value_id in ids:
            if value_id in (None, ""):
                continue
            try:
                chosen.append(known[int(value_id)])
            except (KeyError, TypeError, ValueError):
                raise field_error(
                    f"attribute-{attribute.pk}", _("Giá trị không hợp lệ."), "invalid"
                ) from None
        if not chosen and attribute.value_required:
            raise field_error(f"attribute-{attribute.pk}", _("Thông tin bắt buộc."), "required")
        return chosen
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        if attribute.value_required:
            raise field_error(f"attribute-{attribute.pk}", _("Thông tin bắt buộc."), "required")
        return []
    if attribute.input_type == AttributeInputType.NUMERIC:
        try:
            float(text.replace(",", "."))
        except ValueError:
            raise field_error(
                f"attribute-{attribute.pk}", _("Hãy nhập một con số."), "invalid"
            ) from None
        text = text.replace(",", ".")
    slug = f"{product.pk}_{attribute.pk}"
    defaults = {"name": text[:250], "plain_text": text}
    if attribute.input_type == AttributeInputType.RICH_TEXT:
        defaults["rich_text"] = description_from_text(text)
    value, _created = AttributeValue.objects.update_or_create(
        attribute=attribute, slug=slug, defaults=defaults
    )
    return [value]


def _assign_province(product: Product) -> None:
    """The `province` attribute (where the product type has one) is the producer's province."""
    producer = product.producer
    if producer is None or producer.province_id is None:
        return
    if not product.product_type.attributeproduct.filter(
        attribute__slug=PROVINCE_ATTRIBUTE
    ).exists():
        return
    value = AttributeValue.objects.filter(
        attribute__slug=PROVINCE_ATTRIBUTE, slug=producer.province.slug
    ).first()
    if value is None:
        return
    AssignedProductAttributeValue.objects.filter(
        product=product, value__attribute__slug=PROVINCE_ATTRIBUTE
    ).exclude(value=value).delete()
    AssignedProductAttributeValue.objects.get_or_create(
        product=product, value=value, defaults={"sort_order": 0}
    )


# --- Prices ---------------------------------------------------------------------------------


def set_variant_prices(variant: ProductVariant, prices, *, scope: ProducerScope) -> None:
    """`prices`: (channel, amount or None) pairs in the channel currency's major unit. A price
    in a channel the product is not in yet adds the product there, unpublished; None takes
    the variant out of that channel."""
    product = variant.product
    scope.require(product.producer_id)
    listed = set(
        ProductChannelListing.objects.filter(product=product).values_list("channel_id", flat=True)
    )
    priced = [(channel, amount) for channel, amount in prices if amount is not None]
    unpriced = [channel for channel, amount in prices if amount is None]
    missing = [channel for channel, _amount in priced if channel.pk not in listed]
    if missing:
        update_product_channel_listings(
            product,
            [{"channel": channel, "is_published": False} for channel in missing],
            [],
            scope=scope,
        )
    if unpriced:
        update_product_channel_listings(
            product,
            [
                {"channel": channel, "remove_variants": [variant]}
                for channel in unpriced
                if channel.pk in listed
            ],
            [],
            scope=scope,
        )
    if priced:
        update_variant_channel_listings(
            variant,
            [{"channel": channel, "price": amount} for channel, amount in priced],
            scope=scope,
        )

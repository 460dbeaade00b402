"""Forms of the portal's product pages. They only check the shape of the input; the rules
(unique SKU, prices in the channel's currency, stock not below what orders hold, photo
checks) are the catalogue services', whose errors `add_service_errors` puts next to the
fields they concern."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backend.core.money import currency_exponent, from_minor_units
from backend.product.editing import attribute_inputs, category_choices, description_text
from backend.product.models import Category, ProductType

ACCEPTED_PHOTOS = "image/jpeg,image/png,image/webp"


def add_service_errors(form, error: ValidationError, field_map: dict) -> None:
    """Put a service's ValidationError on the form: each input field it names on the form
    field `field_map` maps it to, anything else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name if name in form.fields else None)
        for item in errors:
            form.add_error(target, item.messages)


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=250)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One paragraph per line."),
    )
    product_type = forms.ModelChoiceField(
        label=_("Product type"),
        queryset=ProductType.objects.order_by("name", "pk"),
        empty_label=None,
    )
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)
    weight_grams = forms.IntegerField(
        label=_("Weight (g)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, product=None, **kwargs):
        self.product = product
        if product is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": product.name,
                "description": description_text(product.description),
                "product_type": product.product_type_id,
                "category": product.category_id,
                "weight_grams": product.weight_grams,
            }
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("— choose a category —"))] + [
            (pk, "\u00a0\u00a0" * depth + ("— " if depth else "") + name)
            for pk, name, depth in category_choices()
        ]
        product_type = product.product_type if product is not None else None
        if product_type is None:
            types = list(self.fields["product_type"].queryset)
            product_type = types[0] if len(types) == 1 else None
        self.attribute_inputs = attribute_inputs(product_type, product)
        for item in self.attribute_inputs:
            self.fields[f"attribute-{item.attribute.pk}"] = _attribute_field(item)

    def clean_category(self):
        category_id = self.cleaned_data.get("category")
        if category_id in (None, ""):
            return None
        return Category.objects.filter(pk=category_id).first()

    def attribute_fields(self):
        return [self[f"attribute-{item.attribute.pk}"] for item in self.attribute_inputs]

    def attribute_values(self) -> dict:
        return {
            item.attribute.pk: self.cleaned_data.get(f"attribute-{item.attribute.pk}")
            for item in self.attribute_inputs
        }


def _attribute_field(item) -> forms.Field:
    attribute = item.attribute
    label = attribute.name + (f" ({attribute.unit})" if attribute.unit else "")
    options = {"label": label, "required": False, "initial": item.initial}
    choices = [(value.pk, value.name) for value in item.values]
    if item.is_multiple:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **options
        )
    if item.is_choice:
        return forms.ChoiceField(choices=[("", "—")] + choices, **options)
    if attribute.input_type == "rich-text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **options)
    return forms.CharField(max_length=250, **options)


class VariantForm(forms.Form):
    name = forms.CharField(
        label=_("Variant name"),
        max_length=255,
        help_text=_("For example: Box of 500 g."),
    )
    sku = forms.CharField(label=_("SKU (your item code)"), max_length=255, required=False)
    weight_grams = forms.IntegerField(
        label=_("Weight (g)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, channels=(), variant=None, **kwargs):
        self.channels = list(channels)
        kwargs.setdefault("auto_id", "id_variant_%s")  # it shares a page with ProductForm
        if variant is not None and "initial" not in kwargs:
            prices = {
                listing.channel_id: listing.price_amount
                for listing in variant.channel_listings.all()
            }
            kwargs["initial"] = {
                "name": variant.name,
                "sku": variant.sku,
                "weight_grams": variant.weight_grams,
            }
            for channel in self.channels:
                minor = prices.get(channel.pk)
                if minor is not None:
                    kwargs["initial"][f"price-{channel.slug}"] = from_minor_units(
                        minor, channel.currency_code
                    )
        super().__init__(*args, **kwargs)
        for channel in self.channels:
            places = currency_exponent(channel.currency_code)
            self.fields[f"price-{channel.slug}"] = forms.DecimalField(
                label=_("Price in %(channel)s (%(currency)s)")
                % {"channel": channel.name, "currency": channel.currency_code},
                min_value=0,
                decimal_places=places,
                required=False,
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "numeric" if places == 0 else "decimal",
                        "step": "1" if places == 0 else "0.01",
                    }
                ),
            )

    def price_fields(self):
        return [self[f"price-{channel.slug}"] for channel in self.channels]

    def variant_data(self) -> dict:
        return {
            "name": self.cleaned_data["name"].strip(),
            "sku": self.cleaned_data["sku"],
            "weight_grams": self.cleaned_data["weight_grams"],
        }

    def prices(self) -> list:
        return [
            (channel, self.cleaned_data.get(f"price-{channel.slug}")) for channel in self.channels
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """One or more files; their checks (type, size, pixels) are the photo service's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ACCEPTED_PHOTOS, "capture": "environment"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotoField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class PhotoUploadForm(forms.Form):
    images = PhotoField(label=_("Photos"))
    alt = forms.CharField(label=_("Short description of the photo"), max_length=250, required=False)


class StockForm(forms.Form):
    """A quantity per (variant, warehouse) cell of `rows` (backend.product.overview)."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            for cell in row.cells:
                name = self.field_name(row.variant, cell.warehouse)
                self.fields[name] = forms.IntegerField(
                    label=f"{row.variant.name or row.variant.sku} — {cell.warehouse.name}",
                    min_value=0,
                    required=False,
                    initial=cell.quantity if cell.exists else None,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
                cell.bound = self[name]

    @staticmethod
    def field_name(variant, warehouse) -> str:
        return f"q-{variant.pk}-{warehouse.pk}"

    def changes(self) -> list:
        """[(variant, [(warehouse, quantity)])] of the cells whose quantity changed."""
        result = []
        for row in self.rows:
            stocks = []
            for cell in row.cells:
                quantity = self.cleaned_data.get(self.field_name(row.variant, cell.warehouse))
                if quantity is None:
                    continue
                if not cell.exists or quantity != cell.quantity:
                    stocks.append((cell.warehouse, quantity))
            if stocks:
                result.append((row.variant, stocks))
        return result

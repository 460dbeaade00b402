"""Product lists of the shop (a category, a search, every product): the catalogue query
(backend/product/catalogue/) asked with the filters and order of the page's address, so a
filtered, sorted list is a plain link that works without JavaScript and can be shared.

Address parameters: `sort`, `stars` (badge of at least 3, 4 or 5 stars), `province` (a slug; a
former province means the unit it joined), `group` (a category's slug), `min_price` and
`max_price` (đồng), `in_stock` and `page`. A value the shop cannot read is ignored.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from backend.core.filters import Match
from backend.core.money import format_money
from backend.ocop.provinces import current_province_code, current_units, legacy_units
from backend.product.catalogue.facets import CatalogueFacets
from backend.product.catalogue.filters import ProductFilter
from backend.product.catalogue.query import CatalogueQuery
from backend.product.catalogue.sorting import ProductSort, SortField
from storefront.catalog import CARD_RELATED, card_prefetch, category_names

PRODUCTS_PER_PAGE = 24

# Address value: (label, the catalogue's order, most first).
SORTS = {
    "relevance": (_("Relevance"), SortField.RANK, True),
    "name": (_("Name A–Z"), SortField.NAME, False),
    "newest": (_("Newest"), SortField.CREATED_AT, True),
    "price-asc": (_("Price: low to high"), SortField.PRICE, False),
    "price-desc": (_("Price: high to low"), SortField.PRICE, True),
    "stars": (_("Most OCOP stars"), SortField.STARS, True),
}
STAR_CHOICES = [(3, _("3★ and up")), (4, _("4★ and up")), (5, _("5★"))]


class ListingFilters(forms.Form):
    """The filters and order in a list's address."""

    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])
    stars = forms.TypedChoiceField(
        required=False, choices=STAR_CHOICES, coerce=int, empty_value=None
    )
    province = forms.SlugField(required=False)
    group = forms.SlugField(required=False)
    min_price = forms.IntegerField(required=False, min_value=0)
    max_price = forms.IntegerField(required=False, min_value=0)
    in_stock = forms.BooleanField(required=False)

    star_choices = STAR_CHOICES

    def __init__(self, data, *, searching: bool):
        super().__init__(data)
        self.searching = searching
        self.is_valid()  # a field that does not read is left out of cleaned_data

    def value(self, name):
        return self.cleaned_data.get(name) or None

    @property
    def sort_key(self) -> str:
        key = self.value("sort")
        if key is None or (key == "relevance" and not self.searching):
            return "relevance" if self.searching else "name"
        return key

    def sorts(self) -> list[tuple[str, str]]:
        """(address value, label) of the orders this list offers."""
        return [
            (key, label)
            for key, (label, _field, _descending) in SORTS.items()
            if key != "relevance" or self.searching
        ]

    def product_sort(self) -> ProductSort:
        _name, field, descending = SORTS[self.sort_key]
        return ProductSort(field, descending=descending)

    def product_filter(self, category_ids: dict[str, int]) -> ProductFilter:
        """The catalogue's filter; `category_ids` maps the groups on offer to their ids (a
        group that is not on offer has no product in the list)."""
        province, group = self.value("province"), self.value("group")
        low, high = self.value("min_price"), self.value("max_price")
        categories = None
        if group is not None:
            categories = (category_ids[group],) if group in category_ids else ()
        return ProductFilter(
            min_ocop_stars=self.value("stars"),
            provinces=None if province is None else (province,),
            categories=categories,
            minimal_price=None if low is None and high is None else Match(gte=low, lte=high),
            in_stock=True if self.value("in_stock") else None,
        )

    def clean_province(self) -> str | None:
        """A slug that names no province (current or former) is ignored."""
        province = self.cleaned_data["province"]
        return province if province and current_province_code(province) else None

    def chosen(self, request, provinces, groups) -> list[tuple[str, str]]:
        """(label, address without it) of each filter in use, to show and take off."""
        labels = {
            "stars": dict(STAR_CHOICES).get(self.value("stars")),
            "province": _label(provinces, self.value("province"), _province_names()),
            "group": _label(groups, self.value("group")),
            "in_stock": _("In stock") if self.value("in_stock") else None,
        }
        low, high = self.value("min_price"), self.value("max_price")
        if low is not None or high is not None:
            labels["min_price max_price"] = _price_label(low, high)
        chosen = []
        for params, label in labels.items():
            if label:
                query = request.GET.copy()
                for param in (*params.split(), "page"):
                    query.pop(param, None)
                chosen.append((label, f"?{query.urlencode()}"))
        return chosen


def _without_filters(request) -> str:
    """The list's address with its search and order only."""
    kept = request.GET.copy()
    for param in list(kept):
        if param not in ("q", "sort"):
            del kept[param]
    return f"?{kept.urlencode()}"


def _label(options, value, names=None) -> str | None:
    """The label of the option `value` (from `names`, or the value itself, when the list
    offers no such option)."""
    if value is None:
        return None
    fallback = (names or {}).get(value, value)
    return next((option.label for option in options if option.value == value), fallback)


def _province_names() -> dict[str, str]:
    return {unit.slug: unit.name for unit in (*current_units(), *legacy_units())}


def _price_label(low: int | None, high: int | None) -> str:
    if high is None:
        return _("From %(low)s") % {"low": format_money(low, "VND")}
    if low is None:
        return _("Up to %(high)s") % {"high": format_money(high, "VND")}
    return f"{format_money(low, 'VND')} – {format_money(high, 'VND')}"


@dataclass(frozen=True)
class Option:
    """A value a filter offers, and how many products of the list have it."""

    value: str
    label: str
    count: int


class _Positions:
    """A catalogue query's products by position, as `Paginator` reads a list."""

    def __init__(self, query: CatalogueQuery):
        self.query = query

    def count(self) -> int:
        return self.query.count()[0]

    def __getitem__(self, window: slice):
        return self.query.page(
            window.start, window.stop, related=CARD_RELATED, prefetch=card_prefetch()
        )


def product_listing(request, channel, *, within: ProductFilter | None = None, search=None):
    """The context of a product list: `within` its scope (a category's products), `search` the
    words searched. The provinces and groups on offer are those of the whole scope, with their
    number of products, so choosing one never hides the others."""
    filters = ListingFilters(request.GET, searching=bool(search))
    facets = CatalogueFacets(CatalogueQuery(channel, within=within, search=search))
    provinces = [Option(f.slug, f.name, f.count) for f in facets.provinces()]
    categories = facets.categories()
    names = category_names({facet.id: facet.name for facet in categories})
    groups = [Option(f.slug, names[f.id], f.count) for f in categories]
    query = CatalogueQuery(
        channel,
        filters.product_filter({f.slug: f.id for f in categories}),
        filters.product_sort(),
        search,
        within=within,
    )
    page = Paginator(_Positions(query), PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "filters": filters,
        "provinces": provinces,
        "groups": groups,
        "chosen": filters.chosen(request, provinces, groups),
        "clear_url": _without_filters(request),
        "page": page,
        "count_exact": query.count()[1],
        "searched": query.search_text,
    }

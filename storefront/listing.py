"""Product lists of the shop (a category, a search, every product): the catalogue query
(backend/product/catalogue/) asked with the filters and order of the page's address, so a
filtered, sorted list is a plain link that works without JavaScript and can be shared.

Address parameters: `sort`, `stars` (badge of at least 3, 4 or 5 stars), `province` (a slug; a
former province means the unit it joined), `group` (a category's slug), `producer_type` (a
producer's legal type), `min_price` and `max_price` (đồng), `in_stock` and `page`. A value the
shop cannot read is ignored.

Every option of a filter is a link to the same list with that option chosen (or, when it is
chosen, taken off), the other parameters kept and the page dropped, with its number of
products: the products matching every other filter in use (the side-panel convention of Tiki
and Shopee; see backend/product/catalogue/facets.py).
"""

from dataclasses import dataclass, replace

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from backend.core.filters import Match
from backend.core.money import format_money
from backend.ocop.models import ProducerType
from backend.ocop.provinces import current_province_code, current_units, legacy_units
from backend.product.catalogue.facets import CatalogueFacets
from backend.product.catalogue.filters import ProductFilter
from backend.product.catalogue.query import CatalogueQuery
from backend.product.catalogue.sorting import ProductSort, SortField
from backend.product.reference import category_tree
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
    producer_type = forms.ChoiceField(required=False, choices=ProducerType.choices)
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

    def product_filter(self) -> ProductFilter:
        """The catalogue's filter (a group that does not exist has no product)."""
        province, group = self.value("province"), self.value("group")
        low, high = self.value("min_price"), self.value("max_price")
        kind = self.value("producer_type")
        groups = None
        if group is not None:  # the group's products and those of its subgroups
            groups = tuple(pk for pk, each in category_tree().by_id.items() if each.slug == group)
        return ProductFilter(
            min_ocop_stars=self.value("stars"),
            provinces=None if province is None else (province,),
            category_trees=groups,
            producer_types=None if kind is None else (kind,),
            minimal_price=None if low is None and high is None else Match(gte=low, lte=high),
            in_stock=True if self.value("in_stock") else None,
        )

    def clean_province(self) -> str | None:
        """A slug that names no province (current or former) is ignored."""
        province = self.cleaned_data["province"]
        return province if province and current_province_code(province) else None

    def chosen(self, request, provinces, groups) -> list[tuple[str, str]]:
        """(label, address without it) of each filter in use, to show and take off."""
        kind = self.value("producer_type")
        labels = {
            "stars": dict(STAR_CHOICES).get(self.value("stars")),
            "province": _label(provinces, self.value("province"), _province_names()),
            "group": _label(groups, self.value("group")),
            "producer_type": ProducerType(kind).label if kind else None,
            "in_stock": _("In stock") if self.value("in_stock") else None,
        }
        low, high = self.value("min_price"), self.value("max_price")
        if low is not None or high is not None:
            labels["min_price max_price"] = _price_label(low, high)
        return [
            (label, _address(request, **dict.fromkeys(params.split())))
            for params, label in labels.items()
            if label
        ]


def _address(request, **changes) -> str:
    """The list's address with `changes` (a value of None takes the parameter off) and no
    page."""
    query = request.GET.copy()
    for param, value in {**changes, "page": None}.items():
        query.pop(param, None)
        if value is not None:
            query[param] = value
    return f"?{query.urlencode()}"


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
    """A value a filter offers, how many products it would list, and the link that chooses
    it (or takes it off when it is `chosen`)."""

    value: str
    label: str
    count: int
    url: str = ""
    chosen: bool = False


def _options(request, param: str, chosen, found: list[tuple[str, str, int]]) -> list[Option]:
    """The options of the filter `param` from (value, label, count); a chosen value that no
    product has is offered all the same, so it can be taken off."""
    if chosen is not None and all(value != str(chosen) for value, _label, _count in found):
        found = [*found, (str(chosen), None, 0)]
    options = []
    for value, label, count in found:
        is_chosen = value == str(chosen)
        url = _address(request, **{param: None if is_chosen else value})
        options.append(Option(value, label, count, url, is_chosen))
    return options


def _star_counts(stars: list[tuple[int, int]]) -> dict[int, int]:
    """{n: products with a badge of at least n stars} from the count of each badge."""
    return {n: sum(count for badge, count in stars if badge >= n) for n, _label in STAR_CHOICES}


def _facets(request, filters: ListingFilters, facets: CatalogueFacets) -> dict:
    """Every filter's options, as links with their counts."""
    value = filters.value
    categories = facets.categories()
    names = category_names({facet.id: facet.name for facet in categories})
    province = value("province")
    if province is not None:  # a former province is offered as the unit it joined
        code = current_province_code(province)
        province = next((unit.slug for unit in current_units() if unit.code == code), province)
    provinces = _options(
        request,
        "province",
        province,
        [(f.slug, f.name, f.count) for f in facets.provinces()],
    )
    for index, option in enumerate(provinces):
        if option.label is None:
            provinces[index] = replace(option, label=_province_names().get(option.value))
    groups = _options(
        request, "group", value("group"), [(f.slug, names[f.id], f.count) for f in categories]
    )
    groups = [option for option in groups if option.label is not None]
    counts = _star_counts(facets.stars())
    stars = _options(
        request,
        "stars",
        value("stars"),
        [(str(n), label, counts[n]) for n, label in STAR_CHOICES],
    )
    kinds = _options(
        request,
        "producer_type",
        value("producer_type"),
        [(kind, ProducerType(kind).label, count) for kind, count in facets.producer_types()],
    )
    in_stock = _options(
        request, "in_stock", "1" if value("in_stock") else None, [("1", _("In stock only"), 0)]
    )
    in_stock[0] = replace(in_stock[0], count=facets.in_stock())
    return {
        "provinces": provinces,
        "groups": groups,
        "star_options": stars,
        "producer_types": kinds,
        "in_stock_option": in_stock[0],
    }


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
    """The context of a product list: `within` its scope (a category's, a province's
    products), `search` the words searched. Each filter offers the options the scope has,
    counted within the other filters in use (one query on the listing index)."""
    filters = ListingFilters(request.GET, searching=bool(search))
    spec = filters.product_filter()
    # Counted in the catalogue's own order, which the listing index always answers.
    counted = CatalogueQuery(channel, spec, search=search, within=within)
    facets = _facets(request, filters, CatalogueFacets(counted, each_without_own=True))
    query = CatalogueQuery(channel, spec, filters.product_sort(), search, within=within)
    page = Paginator(_Positions(query), PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "filters": filters,
        **facets,
        "chosen": filters.chosen(request, facets["provinces"], facets["groups"]),
        "clear_url": _without_filters(request),
        "page": page,
        "count_exact": query.count()[1],
        "searched": query.search_text,
    }

"""The catalogue query: the products a buyer or a staff member lists in a channel, narrowed by a
`ProductFilter`, searched, sorted and counted. The API's product lists, the facet counts and
the shop's pages all ask it.

Buyers' lists are read from the listing index (backend/product/listing_index.py) where there is
one (PostgreSQL), for every order it has a column for; staff (who also see unlisted products),
the other orders and other databases read the catalogue tables. Both give the same products in
the same order, with the same sort key values.
"""

from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db.models import Case, F, OuterRef, Prefetch, QuerySet, Subquery, When
from django.utils.translation import get_language

from backend.account.permissions import ProductPermissions, has_one_of_permissions
from backend.ocop.models import Certification
from backend.ocop.services import today
from backend.product.catalogue.cache import cached
from backend.product.catalogue.filters import ProductFilter, filter_listing_index, filter_products
from backend.product.catalogue.sorting import (
    INDEX_ORDERS,
    ProductSort,
    SortedRows,
    SortField,
    sort_listing_index,
    sort_products,
)
from backend.product.listing_index import badge_shown_q, listed_in, listing_index_enabled
from backend.product.models import Product, ProductChannelListing
from backend.product.search import SearchText, leading_matches, matching, search_text_for

# Buyers' counts stop here: counting every match of a broad filter or a short search word
# costs a pass over thousands of rows, and a shop shows "1,000+" anyway.
PRODUCT_LIST_COUNT_LIMIT = 1000


class CatalogueError(ValueError):
    """A list the catalogue cannot give as asked (the message says why, in English)."""


class CatalogueQuery:
    """The products `user` may list in `channel` (None: staff, or members of `producer_ids`,
    looking across channels) that
    meet `within` (the scope: a category's, a province's products) and `spec`, match `search`,
    in the order `sort` gives (by default: relevance when searching, else by slug)."""

    def __init__(
        self,
        channel,
        spec: ProductFilter | None = None,
        sort: ProductSort | None = None,
        search: str | None = None,
        *,
        user=None,
        within: ProductFilter | None = None,
        producer_ids=frozenset(),
    ):
        if sort is None:
            sort = ProductSort(SortField.RANK, descending=True) if search else ProductSort()
        if sort.field == SortField.RANK and not search:
            raise CatalogueError("Sorting by RANK is available only when using a search filter.")
        if sort.field == SortField.COLLECTION and sort.collection_id is None:
            raise CatalogueError("Sorting by COLLECTION is available only in a collection.")
        self.channel = channel
        self.spec = spec or ProductFilter()
        self.within = within or ProductFilter()
        self.sort = sort
        self.search = search
        self.user = user
        self.staff = has_one_of_permissions(user, [ProductPermissions.MANAGE_PRODUCTS])
        # A producer's members also list their own producers' hidden products.
        self.producer_ids = frozenset() if self.staff else frozenset(producer_ids)
        self.day = today()  # badges are shown as of this day

    @cached_property
    def uses_index(self) -> bool:
        """Buyers' lists in a channel, in an order the listing index has."""
        return (
            self.channel is not None
            and not self.staff
            and not self.producer_ids
            and listing_index_enabled()
            and self.sort.field in INDEX_ORDERS
        )

    @property
    def shared(self) -> bool:
        """Everyone asking this list sees the same (buyers' lists in a channel): its answers
        may be cached (backend/product/catalogue/cache.py)."""
        return self.channel is not None and not self.staff and not self.producer_ids

    def answer(self, question: tuple, compute):
        """`compute()`'s answer to `question` about this list, cached when the list is shared."""
        if not self.shared:
            return compute()
        parts = (self.channel.pk, self.within, self.spec, self.sort, self.search, self.day)
        return cached((*parts, *question), compute)

    @property
    def count_limit(self) -> int | None:
        """Where counts stop (the listing index's lists only)."""
        return PRODUCT_LIST_COUNT_LIMIT if self.uses_index else None

    def _visible(self):
        """Every product the requester may list in the channel, as index rows or products."""
        if self.uses_index:
            return listed_in(self.channel)
        if self.staff:
            return Product.objects.visible_to_user(self.user, self.channel)
        listed = (
            Product.objects.none()
            if self.channel is None
            else Product.objects.visible_in_listings(self.channel)
        )
        if self.producer_ids:
            return listed | Product.objects.of_producers(self.producer_ids, self.channel)
        return listed

    @cached_property
    def filtered(self) -> QuerySet:
        """The visible rows meeting the scope and the filter (the search not applied yet)."""
        narrow = filter_listing_index if self.uses_index else filter_products
        rows = narrow(self._visible(), self.within, self.channel, self.day)
        return narrow(rows, self.spec, self.channel, self.day)

    @cached_property
    def search_text(self) -> SearchText | None:
        """The search as read: the province it names, its spelling correction when nothing
        matches it as typed, whether it was capped (see backend.product.search)."""
        if not self.search:
            return None
        return self.answer(("search",), lambda: search_text_for(self.filtered, self.search))

    @cached_property
    def matches(self) -> QuerySet:
        """Every matching row, unordered: what a count counts."""
        return matching(self.filtered, self.search_text)

    @property
    def ranks_every_match(self) -> bool:
        """Ranking reads every match on the listing index, so counting them costs nothing more
        in the same pass."""
        return self.uses_index and self.sort.field == SortField.RANK

    def sorted(self) -> SortedRows:
        if self.uses_index:
            return sort_listing_index(self.matches, self.sort, self.search_text, self.day)
        return sort_products(self.matches, self.sort, self.channel, self.search_text, self.day)

    @property
    def _may_lead(self) -> bool:
        """A search ranked best first on the listing index, which its top tier can answer."""
        ranked_best_first = self.sort.field == SortField.RANK and self.sort.descending
        return self.uses_index and ranked_best_first and not self.spec.search

    def leading_tier(self) -> QuerySet | None:
        """The top tier of a broad search ranked best first — the rows whose name starts with
        the query, found and ranked from an index — when it alone holds more matches than a
        list counts; None otherwise. Ranking every match of a short, common word reads
        thousands of rows, and pages within this tier are the same without that."""
        if not self._may_lead:
            return None
        leading = leading_matches(self.filtered, self.search_text)
        if leading is None:
            return None
        if leading[: PRODUCT_LIST_COUNT_LIMIT + 1].count() <= PRODUCT_LIST_COUNT_LIMIT:
            return None
        return leading

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return self.answer(("count",), self._count)

    def _count(self) -> tuple[int, bool]:
        if self.count_limit is None:
            return self.matches.count(), True
        found = self.matches[: self.count_limit + 1].count()
        return min(found, self.count_limit), found <= self.count_limit

    def count(self) -> tuple[int, bool]:
        """(how many rows match, whether that is exact): stops at `count_limit`."""
        return self._counted

    @cached_property
    def _positioned(self) -> SortedRows:
        """The rows `page` reads. A list is only paged up to its count limit, which a broad
        search's top tier covers when it holds more rows."""
        if self._may_lead and not self.count()[1]:
            leading = self.leading_tier()
            if leading is not None:
                return SortedRows(leading, ["search_rank", "slug"], True, "product_id")
        return self.sorted()

    def page(self, start: int, stop: int, *, related=(), prefetch=()) -> list[Product]:
        """The products at positions [start, stop) of the list (ties by name), in one query
        (and one per `prefetch`), each with `price_from` (its cheapest variant's price in the
        channel's `currency`) and `badge_stars` (the star badge it shows, or None). `related`
        and `prefetch` are relations of the product to read along (`select_related` paths and
        `Prefetch` objects)."""
        reads = (tuple(related), tuple(_prefetch_key(lookup) for lookup in prefetch))
        return self.answer(
            ("page", start, stop, reads, get_language()),
            lambda: self._page(start, stop, related, prefetch),
        )

    def _page(self, start: int, stop: int, related, prefetch) -> list[Product]:
        ordered = self._positioned
        direction = "-" if ordered.descending else ""
        # Ties read by name, as a buyer reads a list (keyset pages need one direction instead).
        keys = [direction + key for key in ordered.keys if key != "slug"]
        rows = ordered.rows.order_by(*keys, "name", ordered.key)
        if self.uses_index:
            rows = rows.select_related("product", *(f"product__{path}" for path in related))
            rows = rows.prefetch_related(*(_under("product", lookup) for lookup in prefetch))
            rows = rows.annotate(
                page_price=F("price"),
                page_stars=Case(When(badge_shown_q(self.day), then=F("badge_stars"))),
            )
        else:
            cheapest = ProductChannelListing.objects.filter(
                product_id=OuterRef("pk"), channel=self.channel
            ).values("discounted_price_amount")[:1]
            rows = rows.select_related(*related).prefetch_related(*prefetch)
            rows = rows.annotate(
                page_price=Subquery(cheapest),
                page_stars=Certification.objects.badge_stars(self.day),
            )
        products = []
        for row in rows[start:stop]:
            product = row.product if self.uses_index else row
            product.price_from, product.badge_stars = row.page_price, row.page_stars
            product.currency = self.channel.currency_code if self.channel else None
            products.append(product)
        return products

    def products_of(self, rows, products: QuerySet) -> list:
        """The products `rows` (of `sorted()` or `leading_tier()`) stand for, in their order,
        read from `products` in one query; None for a product gone since."""
        key = "product_id" if self.uses_index else "pk"
        ids = [getattr(row, key) for row in rows]
        found = products.in_bulk(ids)
        return [found.get(pk) for pk in ids]


def _prefetch_key(lookup: Prefetch | str) -> tuple:
    """What a prefetch reads, as part of a cache key."""
    if isinstance(lookup, str) or lookup.queryset is None:
        return (str(lookup),)
    try:
        sql = str(lookup.queryset.query)
    except EmptyResultSet:  # `.none()`
        sql = ""
    return (lookup.prefetch_through, lookup.to_attr, sql)


def _under(relation: str, lookup: Prefetch) -> Prefetch:
    """`lookup` (a Prefetch from a product) from rows pointing at the product by `relation`."""
    return Prefetch(
        f"{relation}__{lookup.prefetch_through}", queryset=lookup.queryset, to_attr=lookup.to_attr
    )

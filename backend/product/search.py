"""Accent-insensitive Vietnamese product search, ranked by relevance.

The query and the `search_name` / `search_document` columns (of products, and of the listing
index rows buyers' lists read) all go through `normalize_search_text` ("Nước mắm" → "nuoc mam",
đ → d), so matching is plain substring work on lower-case ASCII: a product matches when its
document holds every word. On PostgreSQL pg_trgm GIN indexes serve these `LIKE '%word%'`
matches; on SQLite the same words are matched with LIKE. A query with a word no product holds
and no match is answered as its spelling correction ("nuoc mma" → "nuoc mam", see spelling.py),
unless the word is a Vietnamese syllable ("nuoc", "mat"): then nothing matches. A province the
query names, current or former ("Quảng Nam", "Tỉnh Nam Định"), narrows to that unit's products
(backend/ocop/provinces.py) and is not searched as words. Only the first MAX_SEARCH_WORDS words
are searched; a query with text but no word (emoji) matches nothing.

The rank is a tier (exact phrase over loose words, name over description) and, within a tier,
an integer score: for name matches, how much of the name the query covers, so "Nước mắm" comes
before "Nước mắm Cát Hải loại đặc biệt". Both are cheap to compute for every match.
"""

from functools import reduce

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Length

from backend.core.search import normalize_search_text
from backend.ocop.models import Province
from backend.ocop.provinces import province_named_in
from backend.product.spelling import search_vocabulary

# Rank = tier * TIER_WEIGHT + a score below TIER_WEIGHT that only orders within the tier.
TIER_WEIGHT = 1000
# The top tier: names that start with the whole query.
LEADING_TIER = 5


def _all_words_q(field: str, words: list[str]) -> Q:
    return reduce(lambda q, word: q & Q(**{f"{field}__contains": word}), words, Q())


def _word_starts_q(field: str, words: list[str]) -> Q:
    """Every word begins a word of `field` ("gao" matches "gao nep", not "ngao")."""
    return reduce(
        lambda q, word: (
            q & (Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"}))
        ),
        words,
        Q(),
    )


def _coverage(text: str):
    """How much of the name `text` covers, scaled to 0..TIER_WEIGHT - 1."""
    return Value(len(text) * (TIER_WEIGHT - 1)) / Greatest(Length("search_name"), Value(len(text)))


def _rank(text: str, words: list[str]):
    """Exact phrase over loose words, and the name over the description; name matches scored
    by coverage."""
    coverage = _coverage(text)
    return Case(
        When(search_name__startswith=text, then=Value(LEADING_TIER * TIER_WEIGHT) + coverage),
        When(search_name__contains=text, then=Value(4 * TIER_WEIGHT) + coverage),
        When(_word_starts_q("search_name", words), then=Value(3 * TIER_WEIGHT) + coverage),
        When(search_document__contains=text, then=Value(2 * TIER_WEIGHT)),
        default=Value(TIER_WEIGHT),  # every word somewhere in the document
        output_field=IntegerField(),
    )


# A query is searched on its first MAX_SEARCH_WORDS words and MAX_QUERY_LENGTH characters (the
# shop says so): each word is one more condition, and thousands overflow the database's limits.
MAX_SEARCH_WORDS = 12
MAX_QUERY_LENGTH = 300


class SearchText(str):
    """What a search looks for, as `search_text_for` reads a query. The string is the words to
    find: normalised, capped, maybe corrected, without the province the query named. Also:
    `typed`, those words as typed; `province`, the Province named (its products only) or None;
    `unsearchable`, the query had text but no word (emoji, marks), so nothing matches; `capped`,
    part of the query was left out. True whenever it narrows a list, even without words."""

    def __new__(cls, words="", *, typed=None, province=None, unsearchable=False, capped=False):
        text = super().__new__(cls, words)
        text.typed = words if typed is None else typed
        text.province = province
        text.unsearchable = unsearchable
        text.capped = capped
        return text

    def __bool__(self):
        return len(self) > 0 or self.province is not None or self.unsearchable

    @property
    def corrected(self) -> bool:
        return str(self) != self.typed


def query_words(query: str | None) -> tuple[list[str], bool]:
    """The normalised words of `query` that are searched, and whether some were left out."""
    query = query or ""
    words = normalize_search_text(query[:MAX_QUERY_LENGTH]).split()
    capped = len(query) > MAX_QUERY_LENGTH or len(words) > MAX_SEARCH_WORDS
    return words[:MAX_SEARCH_WORDS], capped


def search_text_for(queryset: QuerySet, query: str | None) -> SearchText:
    """What a search of `queryset` for `query` looks for: the province the query names, and
    the rest of its words or, when a word is neither in a product's document nor a Vietnamese
    syllable and no row of `queryset` matches as typed, their spelling correction. Only a
    query with such a word or a province costs a query here."""
    if isinstance(query, SearchText):
        return query
    words, capped = query_words(query)
    if not words:
        return SearchText(unsearchable=bool((query or "").strip()), capped=capped)
    province = None
    named = province_named_in(words)
    if named is not None:
        code, start, end = named
        province = Province.objects.filter(code=code).first()
        if province is not None:
            words = words[:start] + words[end:]
    typed = SearchText(" ".join(words), province=province, capped=capped)
    corrected = search_vocabulary().correct(typed) if typed else None
    if corrected is None or matching(queryset, typed).exists():
        return typed
    return SearchText(corrected, typed=str(typed), province=province, capped=capped)


def _matches_q(model, text: str) -> Q:
    if getattr(text, "unsearchable", False):
        return Q(pk__in=[])
    return _all_words_q("search_document", text.split()) & _province_q(model, text)


def _province_q(model, text: str) -> Q:
    province = getattr(text, "province", None)
    if province is None:
        return Q()
    # Products belong to a province through their producer; listing index rows hold it.
    field = "producer__province" if model._meta.model_name == "product" else "province"
    return Q(**{field: province})


def search_match_q(query: str | None) -> Q:
    """Products matching the words of `query` as typed or as their spelling correction. For a
    one-off lookup; lists go through `narrow_to_search`."""
    words, _capped = query_words(query)
    text = " ".join(words)
    if not text:
        return Q()
    corrected = search_vocabulary().correct(text)
    as_corrected = _all_words_q("search_document", corrected.split()) if corrected else None
    return _all_words_q("search_document", words) | (as_corrected or Q(pk__in=[]))


def narrow_to_search(queryset: QuerySet, query: str | None) -> QuerySet:
    """`queryset` narrowed to the matches of `query` (see `search_text_for`)."""
    return matching(queryset, search_text_for(queryset, query))


def matching(queryset: QuerySet, text: str | None) -> QuerySet:
    """`queryset` narrowed to the rows `text` (as `search_text_for` gave it) matches: in its
    province, holding every word (no further correction)."""
    return queryset.filter(_matches_q(queryset.model, text)) if text else queryset


def search_products(queryset: QuerySet, query: str | None) -> QuerySet:
    """`queryset` (products or listing index rows) narrowed to the matches of `query`,
    annotated with an integer `search_rank` (higher is better, never NULL, so it can be a
    keyset pagination key)."""
    return ranked_matches(queryset, search_text_for(queryset, query))


def ranked_matches(queryset: QuerySet, text: str) -> QuerySet:
    """`search_products` for the text `search_text_for` gave."""
    return rank_search_matches(matching(queryset, text), text)


def rank_search_matches(queryset: QuerySet, text: str | None) -> QuerySet:
    """`queryset`, already narrowed to the matches of the normalised `text` (as
    `search_text_for` gives it), annotated with `search_rank`."""
    text = normalize_search_text(text or "")
    if not text:
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    return queryset.annotate(search_rank=_rank(text, text.split()))


def leading_matches(queryset: QuerySet, query: str | None):
    """The rows of `queryset` whose name starts with the whole of `query` (the top tier, which
    outranks every other match), annotated with the `search_rank` `search_products` gives them;
    None for an empty query.

    Every word of such a name is in the search document, so these rows match without reading
    it: on PostgreSQL an index on the name (listing_index_name_prefix) finds and ranks them
    from the index alone, where ranking all matches reads every matching row."""
    text = normalize_search_text(query or "")
    if not text:
        return None
    leading = queryset.filter(_province_q(queryset.model, query), search_name__startswith=text)
    return leading.annotate(search_rank=Value(LEADING_TIER * TIER_WEIGHT) + _coverage(text))

"""Accent-insensitive Vietnamese product search, ranked by relevance.

The query and the `search_name` / `search_document` columns (of products, and of the listing
index rows buyers' lists read) all go through `normalize_search_text` ("Nước mắm" → "nuoc mam",
đ → d), so matching is plain substring work on lower-case ASCII: a product matches when its
document holds every word. On PostgreSQL pg_trgm GIN indexes serve these `LIKE '%word%'`
matches; on SQLite the same words are matched with LIKE. A query with a word no product holds
and no match is answered as its spelling correction ("nuoc mma" → "nuoc mam", see spelling.py).

The rank is a tier (exact phrase over loose words, name over description) and, within a tier,
an integer score: for name matches, how much of the name the query covers, so "Nước mắm" comes
before "Nước mắm Cát Hải loại đặc biệt". Both are cheap to compute for every match.
"""

from functools import reduce

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Length

from backend.core.search import normalize_search_text
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


def search_text_for(queryset: QuerySet, query: str | None) -> str:
    """What a search of `queryset` for `query` looks for: the normalised query or, when a word
    of it is in no product's document and no row of `queryset` matches it as typed, its
    spelling correction. Only a query with such a word costs a query here."""
    text = normalize_search_text(query or "")
    corrected = search_vocabulary().correct(text) if text else None
    if corrected is None or queryset.filter(_matches_q(text)).exists():
        return text
    return corrected


def _matches_q(text: str) -> Q:
    return _all_words_q("search_document", text.split())


def search_match_q(query: str | None) -> Q:
    """Products matching `query` as typed or as its spelling correction. For a one-off lookup;
    lists go through `narrow_to_search`."""
    text = normalize_search_text(query or "")
    if not text:
        return Q()
    corrected = search_vocabulary().correct(text)
    return _matches_q(text) | (_matches_q(corrected) if corrected else Q(pk__in=[]))


def narrow_to_search(queryset: QuerySet, query: str | None) -> QuerySet:
    """`queryset` narrowed to the matches of `query` (see `search_text_for`)."""
    return matching(queryset, search_text_for(queryset, query))


def matching(queryset: QuerySet, text: str | None) -> QuerySet:
    """`queryset` narrowed to the rows holding every word of `text`, as `search_text_for`
    gave it (no further correction, nor its query)."""
    return queryset.filter(_matches_q(text)) if text else queryset


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
    return queryset.filter(search_name__startswith=text).annotate(
        search_rank=Value(LEADING_TIER * TIER_WEIGHT) + _coverage(text)
    )

"""Accent-insensitive Vietnamese product search, ranked by relevance.

The query and the `search_name` / `search_document` columns (of products, and of the listing
index rows buyers' lists read) all go through `normalize_search_text` ("Nước mắm" → "nuoc mam",
đ → d), so matching is plain substring work on lower-case ASCII. On PostgreSQL pg_trgm GIN
indexes serve the `LIKE '%word%'` matches and, when no product holds every word, trigram word
similarity finds names with a typo ("nuoc mma"); on SQLite the same words are matched with LIKE.

The rank is a tier (exact phrase over loose words, name over description) and, within a tier,
an integer score: for name matches, how much of the name the query covers, so "Nước mắm" comes
before "Nước mắm Cát Hải loại đặc biệt"; for typo matches, their word similarity. Both are cheap
to compute for every match: trigram similarity, the costly one, is only computed for the few
rows that match no other way.
"""

from functools import reduce

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Greatest, Length

from backend.core.search import normalize_search_text

# Rank = tier * TIER_WEIGHT + a score below TIER_WEIGHT that only orders within the tier.
TIER_WEIGHT = 1000
# The top tier: names that start with the whole query.
LEADING_TIER = 5
# Shorter queries share too few trigrams for typo matching to mean anything.
TYPO_MIN_LENGTH = 4


def uses_trigrams(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


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


def _rank(text: str, words: list[str], trigram: bool):
    """Exact phrase over loose words, and the name over the description; name matches scored
    by coverage, typo matches (PostgreSQL) by similarity."""
    coverage = _coverage(text)
    if trigram:
        similarity = TrigramWordSimilarity(Value(text), "search_name") * Value(TIER_WEIGHT - 1)
        typo = Cast(similarity, IntegerField())
    else:
        typo = Value(0)
    return Case(
        When(search_name__startswith=text, then=Value(LEADING_TIER * TIER_WEIGHT) + coverage),
        When(search_name__contains=text, then=Value(4 * TIER_WEIGHT) + coverage),
        When(_word_starts_q("search_name", words), then=Value(3 * TIER_WEIGHT) + coverage),
        When(search_document__contains=text, then=Value(2 * TIER_WEIGHT)),
        When(_all_words_q("search_document", words), then=Value(TIER_WEIGHT)),
        default=typo,
        output_field=IntegerField(),
    )


def search_match_q(query: str | None, *, trigram: bool | None = None) -> Q:
    """Products matching `query`: every word in the search document, or (PostgreSQL) the whole
    query close enough to words of the name to be a typo. For a one-off lookup; lists go
    through `narrow_to_search`."""
    text = normalize_search_text(query or "")
    if not text:
        return Q()
    match = _all_words_q("search_document", text.split())
    if (uses_trigrams() if trigram is None else trigram) and len(text) >= TYPO_MIN_LENGTH:
        match |= _typo_q(text)
    return match


def _typo_q(text: str) -> Q:
    return Q(TrigramWordSimilar(F("search_name"), Value(text)))


# How `narrow_to_search` treats typos: as a fallback when nothing matches exactly, not at all
# (for a caller that looks for typos itself when it finds nothing), or only (for that caller,
# once it has found nothing).
TYPOS_AS_FALLBACK, NO_TYPOS, TYPOS_ONLY = "fallback", "none", "only"


def narrow_to_search(
    queryset: QuerySet,
    query: str | None,
    *,
    trigram: bool | None = None,
    typos: str = TYPOS_AS_FALLBACK,
):
    """`queryset` narrowed to the matches of `query`: the rows holding every word or, only
    when none does, (PostgreSQL) the names close enough to the query to be a typo of it.

    Typo matches would rank below every exact one anyway, and looking for them costs a trigram
    similarity for each of the thousands of names sharing a trigram with a short query, so they
    are a fallback: "nuoc mma" still finds "Nước mắm"."""
    text = normalize_search_text(query or "")
    if not text:
        return queryset
    exact = queryset.filter(_all_words_q("search_document", text.split()))
    if typos == NO_TYPOS or not may_have_typos(text, queryset.db if trigram is None else trigram):
        return exact
    if typos == TYPOS_AS_FALLBACK and exact.exists():
        return exact
    return queryset.filter(_typo_q(text))


def may_have_typos(query: str | None, trigram: bool | str = "default") -> bool:
    """Whether typo matching applies to `query` (`trigram`: a flag, or a database alias)."""
    if isinstance(trigram, str):
        trigram = uses_trigrams(trigram)
    return trigram and len(normalize_search_text(query or "")) >= TYPO_MIN_LENGTH


def search_products(queryset: QuerySet, query: str | None, *, trigram: bool | None = None):
    """`queryset` (products or listing index rows) narrowed to the matches of `query`,
    annotated with an integer `search_rank` (higher is better, never NULL, so it can be a
    keyset pagination key)."""
    return rank_search_matches(
        narrow_to_search(queryset, query, trigram=trigram), query, trigram=trigram
    )


def rank_search_matches(queryset: QuerySet, query: str | None, *, trigram: bool | None = None):
    """`queryset`, already narrowed to the matches of `query`, annotated with `search_rank`."""
    text = normalize_search_text(query or "")
    if not text:
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    if trigram is None:
        trigram = uses_trigrams(queryset.db)
    return queryset.annotate(search_rank=_rank(text, text.split(), trigram))


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

"""Accent-insensitive Vietnamese product search, ranked by relevance.

The query and the products' `search_name` / `search_document` columns all go through
`normalize_search_text` ("Nước mắm" → "nuoc mam", đ → d), so matching is plain substring work
on lower-case ASCII. On PostgreSQL pg_trgm GIN indexes serve the `LIKE '%word%'` matches and
trigram word similarity also finds names with a typo ("nuoc mma"); on SQLite the same words
are matched with LIKE and ranked by tier only.
"""

from functools import reduce

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from backend.core.search import normalize_search_text

# Rank = tier * TIER_WEIGHT + name similarity in thousandths: similarity only orders within a tier.
TIER_WEIGHT = 1000
# Shorter queries share too few trigrams for typo matching to mean anything.
TYPO_MIN_LENGTH = 4


def uses_trigrams(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def _all_words_q(field: str, words: list[str]) -> Q:
    return reduce(lambda q, word: q & Q(**{f"{field}__contains": word}), words, Q())


def _word_starts_q(field: str, words: list[str]) -> Q:
    """Every word begins a word of `field` ("gao" matches "gao nep", not "ngao")."""
    return reduce(
        lambda q, word: q
        & (Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})),
        words,
        Q(),
    )


def _tier(text: str, words: list[str]):
    """Exact phrase over loose words, and the name over the description."""
    return Case(
        When(search_name__startswith=text, then=Value(5)),
        When(search_name__contains=text, then=Value(4)),
        When(_word_starts_q("search_name", words), then=Value(3)),
        When(search_document__contains=text, then=Value(2)),
        When(_all_words_q("search_document", words), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def search_match_q(query: str | None, *, trigram: bool | None = None) -> Q:
    """Products matching `query`: every word in the search document, or (PostgreSQL) the whole
    query close enough to words of the name to be a typo."""
    text = normalize_search_text(query or "")
    if not text:
        return Q()
    match = _all_words_q("search_document", text.split())
    if (uses_trigrams() if trigram is None else trigram) and len(text) >= TYPO_MIN_LENGTH:
        match |= Q(TrigramWordSimilar(F("search_name"), Value(text)))
    return match


def search_products(queryset: QuerySet, query: str | None, *, trigram: bool | None = None):
    """`queryset` narrowed to products matching `query`, annotated with an integer
    `search_rank` (higher is better, never NULL, so it can be a keyset pagination key)."""
    text = normalize_search_text(query or "")
    if not text:
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    if trigram is None:
        trigram = uses_trigrams(queryset.db)
    rank = _tier(text, text.split()) * Value(TIER_WEIGHT)
    if trigram:
        similarity = TrigramWordSimilarity(Value(text), "search_name") * Value(TIER_WEIGHT - 1)
        rank = rank + Cast(similarity, IntegerField())
    return queryset.filter(search_match_q(text, trigram=trigram)).annotate(search_rank=rank)

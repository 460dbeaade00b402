"""Spelling correction for product searches: "nuoc mma" is answered as "nuoc mam".

The vocabulary (vocabulary.py) is every word of the products' search documents (normalised, see
backend/core/search.py) with the number of products holding it. A query word that is part of no
vocabulary word cannot match anything; unless it is a Vietnamese syllable (a real word the
catalogue lacks, so nothing matches), it is replaced by the closest vocabulary word: fewest
edits (a swap of two neighbouring letters counts as one), then a word with the same letters
("mam" for "mma"), then the word more products hold. Working on a few thousand words in memory,
this costs well under a millisecond, where matching the query's trigrams against every product
name cost a scan of the whole catalogue, and it works on SQLite too.

One shared copy lives in the cache, rebuilt from the catalogue here by `refresh_search_vocabulary`
(a Celery beat task) and when it is missing; a saved product adds the words it brings at once.
Each process keeps a copy of it for `LOCAL_MAX_AGE` seconds. A stale vocabulary costs little: a
search is only corrected when nothing matches it as typed (`search_text_for` in search.py).
"""

from collections import Counter

from backend.product.models import Product
from backend.product.vocabulary import (
    Vocabulary,
    cached_vocabulary,
    document_words,
    forget_local_copy,
    keep_local_copy,
    share,
)


def build_vocabulary() -> dict[str, int]:
    counts = Counter()
    documents = Product.objects.values_list("search_document", flat=True)
    for document in documents.iterator(chunk_size=2000):
        counts.update(document_words(document))
    return dict(counts)


def refresh_search_vocabulary() -> int:
    """Rebuild the shared vocabulary from the catalogue; returns its size."""
    counts = build_vocabulary()
    share(counts)
    forget_local_copy()
    return len(counts)


def search_vocabulary() -> Vocabulary:
    """This process's copy, else the shared one, else one built from the catalogue now."""
    vocabulary = cached_vocabulary()
    if vocabulary is None:
        counts = build_vocabulary()
        share(counts)
        vocabulary = keep_local_copy(counts)
    return vocabulary

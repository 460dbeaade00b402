"""The search vocabulary that product searches are spell-corrected with (see spelling.py): every
word of the products' search documents (normalised, see backend/core/search.py) with the number of
products holding it, and how a misspelt word finds its closest word.

One shared copy lives in the cache; each process keeps a copy of it for `LOCAL_MAX_AGE` seconds.
A saved product adds the words it brings at once (`add_words`, called by `Product.save`), so this
module reads no model: spelling.py builds the vocabulary from the catalogue.
"""

import re
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from rapidfuzz import process
from rapidfuzz.distance import OSA

from backend.core.search import is_vietnamese_syllable, normalize_search_text

VOCABULARY_KEY = "product-search-vocabulary"
LOCAL_MAX_AGE = 60
# Words shorter than this are too ambiguous to correct, or to be a correction.
MIN_WORD_LENGTH = 3
# Edits allowed: one for words up to this length, two for longer ones.
ONE_EDIT_UP_TO = 5

# Words with at least one letter ("mam", "st25"); numbers are never corrected, nor corrections.
_WORD = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")


def document_words(document: str) -> set[str]:
    """The vocabulary words of a normalised search document."""
    return set(_WORD.findall(document))


@dataclass
class Vocabulary:
    counts: dict[str, int]  # word -> how many products hold it
    _text: str = field(init=False, repr=False)
    _by_length: dict[int, list[str]] = field(init=False, repr=False)

    def __post_init__(self):
        # One string of all words: "is this query word part of some word" is a substring test.
        self._text = " " + " ".join(self.counts) + " "
        self._by_length = {}  # the words corrections may be, by length
        for word in self.counts:
            if word.isalpha():
                self._by_length.setdefault(len(word), []).append(word)

    def knows(self, word: str) -> bool:
        """Whether `word` is part of some vocabulary word (search matches inside words)."""
        return word in self._text

    def closest(self, word: str) -> str | None:
        """The vocabulary word `word` is most likely a misspelling of, or None."""
        if len(word) < MIN_WORD_LENGTH:
            return None
        edits = 1 if len(word) <= ONE_EDIT_UP_TO else 2
        letters = sorted(word)
        candidates = []
        for length in range(max(len(word) - edits, MIN_WORD_LENGTH), len(word) + edits + 1):
            for candidate, distance, _index in process.extract(
                word,
                self._by_length.get(length, ()),
                scorer=OSA.distance,
                score_cutoff=edits,
                limit=None,
            ):
                same_letters = sorted(candidate) == letters
                candidates.append((distance, not same_letters, -self.counts[candidate], candidate))
        return min(candidates)[-1] if candidates else None

    def correct(self, query: str | None) -> str | None:
        """`query` normalised with each word no vocabulary word holds replaced by its closest
        word; None when no word needs replacing or one has no close word. A Vietnamese syllable
        is a word as typed ("nuoc", "mat"), never a typo of a catalogue word ("duoc", "dat")."""
        words = normalize_search_text(query or "").split()
        corrected, changed = [], False
        for word in words:
            if self.knows(word) or not word.isalpha() or is_vietnamese_syllable(word):
                corrected.append(word)
                continue
            closest = self.closest(word)
            if closest is None:
                return None
            corrected.append(closest)
            changed = True
        return " ".join(corrected) if changed else None


# This process's copy: (read at, Vocabulary).
_copy = None


def cached_vocabulary() -> Vocabulary | None:
    """This process's copy while fresh, else the shared one (kept as this process's copy);
    None when the cache has none."""
    copy = _copy
    if copy is not None and time.monotonic() - copy[0] < LOCAL_MAX_AGE:
        return copy[1]
    counts = cache.get(VOCABULARY_KEY)
    if counts is None:
        return None
    return keep_local_copy(counts)


def share(counts: dict[str, int]) -> None:
    """Make `counts` the shared vocabulary."""
    cache.set(VOCABULARY_KEY, counts, None)


def keep_local_copy(counts: dict[str, int]) -> Vocabulary:
    """Make `counts` this process's copy."""
    global _copy
    _copy = (time.monotonic(), Vocabulary(counts))
    return _copy[1]


def add_words(document: str) -> None:
    """Add the words of a saved product's search document that the vocabulary lacks. Two
    processes adding words at the same instant may lose one's words until the next rebuild."""
    vocabulary = cached_vocabulary()
    words = document_words(document)
    # Without a vocabulary, the next search builds one from the catalogue, this product included.
    if vocabulary is None or words <= vocabulary.counts.keys():
        return
    counts = cache.get(VOCABULARY_KEY)  # newer than this process's copy
    if counts is not None:
        cache.set(VOCABULARY_KEY, counts | dict.fromkeys(words - counts.keys(), 1), None)
    forget_local_copy()


def forget_local_copy() -> None:
    """Drop this process's copy: the next use reads the shared one."""
    global _copy
    _copy = None

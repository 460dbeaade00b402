"""Accent-insensitive text for Vietnamese search: "Nước mắm" and "nuoc mam" normalise alike."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize_search_text(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse whitespace."""
    return _SPACES.sub(" ", unidecode(text or "").lower()).strip()

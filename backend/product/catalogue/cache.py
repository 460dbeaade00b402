"""The catalogue's read cache: what buyers' lists show — facet counts, counts, the products of a
page — kept in the shared cache, so a list many visitors open is worked out once, not per
request.

The one rule: every entry is stored under `catalogue_version()`, and `catalogue_changed()`
moves the version on once the transaction that changed the catalogue commits. It is called
for every write to what a list shows — products, their channel listings, variants and prices,
media, translations, categories, attribute values, producers, certifications (model signals,
connected in ProductConfig.ready) and stock (the stock service's `stock_changes_recorded`).
Writes that bypass model signals (bulk imports, queryset updates) call it themselves; and no
entry lives longer than the CATALOGUE_CACHE_SECONDS setting (0: no cache), which bounds what
the calendar changes without a write (a publication time or a certificate's last day passing).

Staff and producers' own lists (which show hidden products) are never cached.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

_VERSION_KEY = "catalogue:version"


def catalogue_version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        # A fresh cache starts a version no earlier entry can have had.
        version = time.time_ns()
        cache.add(_VERSION_KEY, version, timeout=None)
        version = cache.get(_VERSION_KEY, version)
    return version


def with_catalogue_version(key: str) -> tuple[int, object]:
    """(`catalogue_version()`, what the cache holds at `key` or None) in one cache round trip,
    for entries that record the version they were made at instead of being keyed by it."""
    found = cache.get_many([_VERSION_KEY, key])
    version = found.get(_VERSION_KEY)
    return (catalogue_version() if version is None else version), found.get(key)


def _move_version_on() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet: the next read starts one
        pass


def catalogue_changed(*args, **kwargs) -> None:
    """What buyers' lists show has changed: once the current transaction commits (at once
    outside one), cached answers are no longer read. Usable as a signal receiver."""
    transaction.on_commit(_move_version_on)


def cached(parts: tuple, compute):
    """`compute()`'s answer for `parts` (a tuple whose repr names the question) at the current
    catalogue version, computed only when the cache does not hold it."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    key = f"catalogue:{catalogue_version()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found

"""Per-process copies of the small catalogue tables every page reads.

A product list reads its channel, its products' categories and their product types' attributes:
a few hundred rows that change a few times a day, read by every request. `ReferenceData` keeps
one copy of such a table per process instead of a query (and the ORM's work around it) per
request.

Freshness: a token in the shared cache (Redis in production) names the current version of these
tables. Saving or deleting a row of a watched model replaces it at once, and again when the
transaction commits (a process that reloaded in between, still seeing the old rows, reloads once
more); migrations and `flush` replace it too. A process reads the token once per request, and on
every use outside requests. Copies are kept only from reads outside transactions, since rows read
inside one may be rolled back; there a request reads the tables once for itself. Writes that
bypass model signals (`QuerySet.update`, `bulk_create`, raw SQL) show within `MAX_AGE` seconds.
"""

import threading
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

TOKEN_KEY = "reference-data-token"
MAX_AGE = 300

# The token as read for the running request, and copies made for it inside transactions.
_request = threading.local()


def _reset_request(**_kwargs) -> None:
    _request.token = None
    _request.copies = {}


def _start_request(**kwargs) -> None:
    _reset_request()
    _request.active = True


def _finish_request(**kwargs) -> None:
    _reset_request()
    _request.active = False


request_started.connect(_start_request, dispatch_uid="reference-data-request-started")
request_finished.connect(_finish_request, dispatch_uid="reference-data-request-finished")


def current_token() -> str:
    token = getattr(_request, "token", None)
    if token is None:
        token = cache.get(TOKEN_KEY)
        if token is None:  # first use, or the cache lost it
            cache.add(TOKEN_KEY, uuid.uuid4().hex, None)
            token = cache.get(TOKEN_KEY)
        if getattr(_request, "active", False):
            _request.token = token
    return token


def replace_token() -> None:
    """Every process's copies are stale from now on (this request's included)."""
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)
    _reset_request()


def _on_write(**_kwargs) -> None:
    replace_token()
    if connection.in_atomic_block:
        transaction.on_commit(replace_token)


# Migrations (and `flush`, which ends with the same signal) change tables without model signals.
post_migrate.connect(_on_write, dispatch_uid="reference-data-migrated", weak=False)


class ReferenceData:
    """`load()`'s result, loaded once per process and reloaded when a row of `models` changes.
    The objects it holds are shared: read them, never change them."""

    def __init__(self, load: Callable, *models):
        self._load = load
        self._copy = None  # (token, loaded at, data)
        for model in models:
            uid = f"reference-data-{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save", weak=False)
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_write,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}-{field.name}",
                    weak=False,
                )

    def get(self):
        token = current_token()
        copy = self._copy
        if copy is not None and copy[0] == token and time.monotonic() - copy[1] < MAX_AGE:
            return copy[2]
        if not connection.in_atomic_block:
            data = self._load()
            self._copy = (token, time.monotonic(), data)
            return data
        copies = getattr(_request, "copies", None) if getattr(_request, "active", False) else None
        if copies is None:  # inside a transaction, outside requests: read every time
            return self._load()
        if self not in copies:
            copies[self] = self._load()
        return copies[self]

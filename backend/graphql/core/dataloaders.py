"""Request-scoped batch loaders on top of graphql-sync-dataloaders.

A loader instance lives for one request (cached on the context), so each distinct key is fetched
once per request and all keys asked for at one level of the query are fetched in one SQL query.
`then()` chains a loader result into another loader without losing batching.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import F
from graphql_sync_dataloaders import SyncDataLoader, SyncFuture


class DataLoader(SyncDataLoader):
    context_key: str | None = None

    def __new__(cls, context, *args):
        key = cls.context_key or f"{cls.__module__}.{cls.__qualname__}"
        if args:
            key = f"{key}:{args}"
        loaders = context.__dict__.setdefault("dataloaders", {})
        if key not in loaders:
            loader = super().__new__(cls)
            loader._init(context, *args)
            loaders[key] = loader
        return loaders[key]

    def __init__(self, context, *args):
        """Initialisation happens once per request in `_init`."""

    def _init(self, context, *args):
        super().__init__(self._batch)
        self.context = context

    def _batch(self, keys):
        return self.batch_load(list(keys))

    def load(self, key):
        future = super().load(key)
        if future.deferred_callback is not None and not future.done():
            # Loads made while earlier batches resolve (chained loaders) must be dispatched too.
            deferred = getattr(self.context, "graphql_deferred_callbacks", None)
            if deferred is not None:
                deferred.append(future.deferred_callback)
        return future

    def load_many(self, keys: Iterable) -> SyncFuture:
        return gather([self.load(key) for key in keys])

    def prime(self, key, value) -> None:
        """Give `key` a value already fetched some other way (no query for it later)."""
        if key not in self._cache:
            future = SyncFuture()
            future.set_result(value)
            self._cache[key] = future

    def batch_load(self, keys: list) -> list:
        """One value (or Exception) per key, in the keys' order; every subclass defines it."""
        raise NotImplementedError


def release_request_state(context) -> None:
    """Empty the request's loaders once its operation has run.

    Loaders sit in reference cycles (with their request, with their own futures), and whatever
    a cycle holds is only freed by the cycle collector: rows loaded by one request would pile
    up and be freed in one long pause inside some later request. Emptied here, they are freed
    at once."""
    for loader in context.__dict__.pop("dataloaders", {}).values():
        loader._cache, loader._queue, loader.context = {}, [], None
    context.__dict__.pop("graphql_deferred_callbacks", None)


def then(value, fn: Callable):
    """Apply `fn` to a value or to a SyncFuture's result; `fn` may itself return a future."""
    if not isinstance(value, SyncFuture):
        return fn(value)
    if value.done():
        return fn(value.result())
    result = SyncFuture()

    def _resolve():
        if value.exception() is not None:
            result.set_exception(value.exception())
            return
        try:
            outcome = fn(value.result())
        except Exception as error:  # propagated to the field as a GraphQL error
            result.set_exception(error)
            return
        _settle(result, outcome)

    value.add_done_callback(_resolve)
    return result


def _settle(target: SyncFuture, outcome):
    if isinstance(outcome, SyncFuture):
        if outcome.done():
            if outcome.exception() is not None:
                target.set_exception(outcome.exception())
            else:
                target.set_result(outcome.result())
        else:
            outcome.add_done_callback(lambda: _settle(target, outcome))
    else:
        target.set_result(outcome)


def gather(futures: list) -> SyncFuture:
    """A future of the list of results of `futures` (values that are not futures pass through)."""
    result = SyncFuture()
    pending = [f for f in futures if isinstance(f, SyncFuture) and not f.done()]
    remaining = {"count": len(pending)}

    def _collect():
        values = []
        for f in futures:
            if isinstance(f, SyncFuture):
                if f.exception() is not None:
                    result.set_exception(f.exception())
                    return
                values.append(f.result())
            else:
                values.append(f)
        result.set_result(values)

    if not pending:
        _collect()
        return result

    def _one_done():
        remaining["count"] -= 1
        if remaining["count"] == 0 and not result.done():
            _collect()

    for f in pending:
        f.add_done_callback(_one_done)
    return result


def group_by(rows: Iterable, key: Callable) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


class ByIdLoader(DataLoader):
    """Instances of `model` by primary key (None for an unknown key)."""

    model = None

    def batch_load(self, keys):
        objects = self.model.objects.in_bulk(keys)
        return [objects.get(key) for key in keys]


class InMemoryLoader(DataLoader):
    """A loader over a mapping already in memory (a process's reference copy): every load
    resolves at once, with no batch to wait for."""

    missing = None

    def mapping(self) -> dict:
        """The keys' values; every subclass defines it."""
        raise NotImplementedError

    def load(self, key):
        if key not in self._cache:
            self.prime(key, self.mapping().get(key, self.missing))
        return super().load(key)


class ByPairLoader(DataLoader):
    """One `model` row (or None) per (object id, second value) key, matching the row's
    `<object_field>_id` and `pair_field`."""

    model = None
    object_field = ""
    pair_field = ""

    def batch_load(self, keys):
        object_id_field = f"{self.object_field}_id"
        rows = self.model.objects.filter(
            **{
                f"{object_id_field}__in": {object_id for object_id, _ in keys},
                f"{self.pair_field}__in": {value for _, value in keys},
            }
        )
        by_key = {
            (getattr(row, object_id_field), getattr(row, self.pair_field)): row for row in rows
        }
        return [by_key.get(key) for key in keys]


class TranslationLoader(ByPairLoader):
    """Translations keyed by (object id, stored language code)."""

    pair_field = "language_code"


class RelatedByOwnerLoader(DataLoader):
    """For each owner id, the `related` object of every `model` row whose `<owner_field>_id` is
    that id, in the rows' order. The related objects are read through the link rows in one
    query, one instance each (the link rows themselves are never built)."""

    model = None
    owner_field = ""
    related = ""

    def batch_load(self, keys):
        link = self.model._meta.get_field(self.related)
        through = link.related_query_name()
        owner = f"{through}__{self.owner_field}_id"
        ordering = [
            f"-{through}__{field[1:]}" if field.startswith("-") else f"{through}__{field}"
            for field in self.model._meta.ordering
        ]
        objects = (
            link.related_model.objects.filter(**{f"{owner}__in": keys})
            .annotate(loaded_for=F(owner))
            .order_by(*ordering)
        )
        grouped = group_by(objects, lambda related: related.loaded_for)
        return [grouped.get(key, []) for key in keys]

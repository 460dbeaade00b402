"""The value condition domain filters are written with: equal to one of some values, or within
inclusive bounds. The ways in (the API's `eq` / `oneOf` / `range` inputs, the shop's price
fields) turn their own shapes into it."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Match:
    """Equal to one of `one_of` when it is given (an empty tuple matches nothing); otherwise
    at least `gte` and at most `lte`, each bound optional."""

    one_of: tuple | None = None
    gte: Any = None
    lte: Any = None

    def q(self, field: str) -> Q:
        if self.one_of is not None:
            return Q(**{f"{field}__in": list(self.one_of)})
        q = Q()
        if self.gte is not None:
            q &= Q(**{f"{field}__gte": self.gte})
        if self.lte is not None:
            q &= Q(**{f"{field}__lte": self.lte})
        return q

    def converted(self, exact: Callable, lower: Callable, upper: Callable) -> "Match":
        """The same condition on converted values: `exact` for the listed values, `lower` and
        `upper` for the bounds (rounding each bound so that it stays inclusive)."""
        if self.one_of is not None:
            return Match(one_of=tuple(exact(value) for value in self.one_of))
        return replace(
            self,
            gte=None if self.gte is None else lower(self.gte),
            lte=None if self.lte is None else upper(self.lte),
        )

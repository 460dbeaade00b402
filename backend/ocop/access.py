"""Who may act for which producer: the one ownership rule the portal, the API and the admin share.

Staff with the Saleor permission for a kind of data (MANAGE_PRODUCTS for the catalogue and stock,
MANAGE_ORDERS for orders) act for every producer. A producer's members act for their own
producers only: the domain services take a `ProducerScope` and refuse anything outside it with
the same NOT_FOUND answer an unknown ID gets, so another producer's data is not even confirmed
to exist.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from backend.account.permissions import BasePermissionEnum, has_one_of_permissions
from backend.ocop.models import Producer, ProducerMembership, ProducerRole


@dataclass(frozen=True)
class ProducerScope:
    """The producers `user` may act for with one kind of right."""

    user: object
    everything: bool
    producer_ids: frozenset[int]

    @classmethod
    def of(cls, user, permission: BasePermissionEnum | None = None) -> "ProducerScope":
        """`user`'s scope: every producer with `permission`, else the producers they belong to."""
        if permission is not None and has_one_of_permissions(user, [permission]):
            return cls(user=user, everything=True, producer_ids=frozenset())
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user=user, everything=False, producer_ids=frozenset())
        ids = ProducerMembership.objects.filter(user=user).values_list("producer_id", flat=True)
        return cls(user=user, everything=False, producer_ids=frozenset(ids))

    @classmethod
    def system(cls) -> "ProducerScope":
        """The platform itself (demo data, tasks, management commands)."""
        return cls(user=None, everything=True, producer_ids=frozenset())

    @property
    def can_act(self) -> bool:
        """True when the scope covers at least one producer."""
        return self.everything or bool(self.producer_ids)

    def covers(self, producer_id: int | None) -> bool:
        return self.everything or producer_id in self.producer_ids

    def producers(self) -> models.QuerySet:
        return self.filter(Producer.objects.all(), "pk")

    def filter(self, queryset: models.QuerySet, producer_path: str = "producer_id"):
        """`queryset` narrowed to rows whose `producer_path` is in the scope."""
        if self.everything:
            return queryset
        return queryset.filter(**{f"{producer_path}__in": sorted(self.producer_ids)})

    def require(self, producer_id: int | None, field: str = "id") -> None:
        """Raise NOT_FOUND on `field` unless the scope covers `producer_id`."""
        if not self.covers(producer_id):
            raise not_found(field)

    def default_producer_id(self) -> int | None:
        """The producer a new record belongs to when the actor belongs to exactly one."""
        if not self.everything and len(self.producer_ids) == 1:
            return next(iter(self.producer_ids))
        return None


def not_found(field: str = "id") -> ValidationError:
    return ValidationError(
        {field: ValidationError(_("Không tìm thấy đối tượng."), code="not_found")}
    )


def role_of(user, producer_id: int) -> str | None:
    """`user`'s role at the producer (owner or staff), None for non-members."""
    if user is None or not user.is_authenticated:
        return None
    return (
        ProducerMembership.objects.filter(user=user, producer_id=producer_id)
        .values_list("role", flat=True)
        .first()
    )


def is_owner(user, producer_id: int) -> bool:
    return role_of(user, producer_id) == ProducerRole.OWNER

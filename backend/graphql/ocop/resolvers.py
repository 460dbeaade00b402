"""Who sees which producers: the office (and catalog managers) sees every producer, buyers only
the verified ones."""

from backend.account.permissions import (
    OcopPermissions,
    ProductPermissions,
    has_one_of_permissions,
)
from backend.ocop.models import Producer, VerificationStatus


def can_see_all_producers(info) -> bool:
    """Staff see producers whatever their verification; buyers only verified ones."""
    return has_one_of_permissions(
        info.context.user,
        [ProductPermissions.MANAGE_PRODUCTS, OcopPermissions.VERIFY_CERTIFICATIONS],
    )


def visible_producer(info, producer):
    if producer is None:
        return None
    if producer.verification_status == VerificationStatus.VERIFIED or can_see_all_producers(info):
        return producer
    return None


def visible_producers(info):
    producers = Producer.objects.all()
    if can_see_all_producers(info):
        return producers
    return producers.filter(verification_status=VerificationStatus.VERIFIED)

"""OCOP conditions on products (province, producer, star badge) shared by the `filter` and
`where` inputs of the catalogue, and the producers' own filter.

A star condition only counts the badge a buyer sees: a certification valid today, verified and
not revoked or expired. Stars are the best such certification's (the badge)."""

import graphene
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import In

from backend.ocop.models import Certification, CertificationStatus, VerificationStatus
from backend.ocop.provinces import current_province_code
from backend.ocop.services import today


def valid_certifications(day=None, product_ref="pk"):
    """Certifications of the outer product that show a badge on `day` (today by default)."""
    day = day or today()
    return Certification.objects.filter(
        product_id=OuterRef(product_ref),
        status=CertificationStatus.VALID,
        verification_status=VerificationStatus.VERIFIED,
        valid_from__lte=day,
        valid_until__gte=day,
    )


def badge_stars(day=None, product_ref="pk") -> Subquery:
    """The outer product's badge stars (NULL without a badge)."""
    best = valid_certifications(day, product_ref).order_by("-stars").values("stars")[:1]
    return Subquery(best)


def current_province_codes(names) -> list[str]:
    """Current codes for slugs or names, former provinces resolving to the unit they joined."""
    return sorted({code for code in map(current_province_code, names) if code})


def _pks(values, type_name: str, field: str) -> list[int]:
    from backend.graphql.product.filters import pks

    return pks(values, type_name, field)


def ocop_product_q(values) -> Q:
    """The OCOP fields of `ProductFilterInput` / `ProductWhereInput`."""
    q = Q()
    if values.get("provinces") is not None:
        q &= Q(producer__province__code__in=current_province_codes(values["provinces"]))
    if values.get("producers") is not None:
        q &= Q(producer_id__in=_pks(values["producers"], "Producer", "producers"))
    if values.get("producer_types") is not None:
        q &= Q(producer__legal_type__in=values["producer_types"])
    if values.get("ocop_certified") is not None:
        certified = Q(Exists(valid_certifications()))
        q &= certified if values["ocop_certified"] else ~certified
    if values.get("ocop_stars") is not None:
        q &= Q(In(badge_stars(), list(values["ocop_stars"])))
    if values.get("min_ocop_stars") is not None:
        q &= Q(Exists(valid_certifications().filter(stars__gte=values["min_ocop_stars"])))
    return q


OCOP_FILTER_FIELDS = (
    "provinces",
    "producers",
    "producer_types",
    "ocop_certified",
    "ocop_stars",
    "min_ocop_stars",
)


def ocop_listing_index_q(values) -> Q:
    """`ocop_product_q` on `ProductListingIndex` rows (their producer, province and badge)."""
    from backend.product.listing_index import badge_shown_q

    q = Q()
    if values.get("provinces") is not None:
        q &= Q(province__code__in=current_province_codes(values["provinces"]))
    if values.get("producers") is not None:
        q &= Q(producer_id__in=_pks(values["producers"], "Producer", "producers"))
    if values.get("producer_types") is not None:
        q &= Q(producer_type__in=values["producer_types"])
    if values.get("ocop_certified") is not None:
        q &= badge_shown_q(today()) if values["ocop_certified"] else ~badge_shown_q(today())
    if values.get("ocop_stars") is not None:
        q &= badge_shown_q(today()) & Q(badge_stars__in=list(values["ocop_stars"]))
    if values.get("min_ocop_stars") is not None:
        q &= badge_shown_q(today()) & Q(badge_stars__gte=values["min_ocop_stars"])
    return q


class OcopProductFilterFields:
    """Optional input fields the product filters gain (a non-breaking addition)."""

    provinces = graphene.List(
        graphene.NonNull(graphene.String),
        description="Province slugs or names; a former province means the unit it joined.",
    )
    producers = graphene.List(graphene.NonNull(graphene.ID))
    producer_types = graphene.List(
        graphene.NonNull(graphene.String),
        description="cooperative, enterprise, household, cooperative-group.",
    )
    ocop_certified = graphene.Boolean(description="Products with a valid OCOP badge.")
    ocop_stars = graphene.List(
        graphene.NonNull(graphene.Int), description="Products whose valid badge has these stars."
    )
    min_ocop_stars = graphene.Int(description="Products with a valid badge of at least this.")


class ProducerFilterInput(graphene.InputObjectType):
    province = graphene.String(description="Slug or name; a former province means its new unit.")
    legal_type = graphene.String()
    search = graphene.String()


def producer_filter_q(producer_filter) -> Q:
    if not producer_filter:
        return Q()
    q = Q()
    if producer_filter.get("province"):
        q &= Q(province__code__in=current_province_codes([producer_filter["province"]]))
    if producer_filter.get("legal_type"):
        q &= Q(legal_type=producer_filter["legal_type"])
    if producer_filter.get("search"):
        q &= Q(name__icontains=producer_filter["search"])
    return q

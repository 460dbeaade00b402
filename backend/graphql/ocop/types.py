"""OCOP types: provinces (the 34 current units, and the former ones they absorbed), producers
and the certification behind a product's star badge."""

import graphene

from backend.core.ids import global_id
from backend.graphql.core.connection import CountableConnection, connection_args
from backend.graphql.core.dataloaders import then
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import Money
from backend.graphql.ocop import dataloaders as loaders
from backend.graphql.product.resolvers import resolve_products
from backend.graphql.product.types.common import product_list_args
from backend.graphql.product.types.products import ProductCountableConnection
from backend.ocop.models import LegacyProvince, VerificationStatus
from backend.product.catalogue.filters import ProductFilter


def _products(info, within: ProductFilter, channel=None, **args):
    """A page of the products `within` the province or producer, as `products` answers it."""
    return resolve_products(info, ProductCountableConnection, channel, within=within, **args)


class Province(graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String(required=True, description="Code under Decision 19/2025/QĐ-TTg.")
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    region = graphene.String(description="Socio-economic region (slug).")
    is_legacy = graphene.Boolean(
        required=True, description="A province as it existed before 1 July 2025."
    )
    current = graphene.Field(
        lambda: Province, required=True, description="The unit this province is part of now."
    )
    legacy_names = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Former provinces merged into this unit in 2025.",
    )
    products = graphene.Field(
        ProductCountableConnection,
        **connection_args(
            **product_list_args(channel=graphene.String(description="Slug of a channel."))
        ),
    )

    class Meta:
        description = "A provincial unit of Vietnam (34 since 1 July 2025)."

    @staticmethod
    def resolve_id(root, _info):
        if isinstance(root, LegacyProvince):
            return global_id("LegacyProvince", root.pk)
        return global_id("Province", root.pk)

    @staticmethod
    def resolve_region(root, _info):
        return getattr(root, "region", None) or None

    @staticmethod
    def resolve_is_legacy(root, _info):
        return isinstance(root, LegacyProvince)

    @staticmethod
    def resolve_current(root, info):
        if isinstance(root, LegacyProvince):
            return loaders.ProvinceByIdLoader(info.context).load(root.current_id)
        return root

    @staticmethod
    def resolve_legacy_names(root, info):
        if isinstance(root, LegacyProvince):
            return []
        return then(
            loaders.LegacyProvincesByProvinceIdLoader(info.context).load(root.pk),
            lambda units: [unit.name for unit in units],
        )

    @staticmethod
    def resolve_products(root, info, **args):
        province_id = root.current_id if isinstance(root, LegacyProvince) else root.pk
        return _products(info, ProductFilter(province_ids=(province_id,)), **args)


class Producer(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    legal_type = graphene.String(
        required=True, description="cooperative, enterprise, household or cooperative-group."
    )
    legal_type_display = graphene.String(required=True)
    province = graphene.Field(Province, required=True)
    address = graphene.String(required=True)
    story = graphene.String(required=True)
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    verified = graphene.Boolean(required=True)
    products = graphene.Field(
        ProductCountableConnection,
        **connection_args(
            **product_list_args(channel=graphene.String(description="Slug of a channel."))
        ),
    )

    class Meta:
        description = "An OCOP producer (chủ thể OCOP): cooperative, enterprise or household."

    resolve_id = staticmethod(global_id_resolver("Producer"))

    @staticmethod
    def resolve_legal_type_display(root, _info):
        return str(root.get_legal_type_display())

    @staticmethod
    def resolve_province(root, info):
        return loaders.ProvinceByIdLoader(info.context).load(root.province_id)

    @staticmethod
    def resolve_verified(root, _info):
        return root.verification_status == VerificationStatus.VERIFIED

    @staticmethod
    def resolve_products(root, info, **args):
        return _products(info, ProductFilter(producers=(root.pk,)), **args)


class OcopIssuer(graphene.ObjectType):
    level = graphene.String(required=True, description="province, district or central.")
    name = graphene.String(required=True, description="The issuing body as printed.")


class OcopCertification(graphene.ObjectType):
    stars = graphene.Int(required=True)
    score = graphene.Int()
    criteria_version = graphene.String(required=True)
    product_group = graphene.String(required=True)
    valid_from = graphene.Date(required=True)
    valid_until = graphene.Date(required=True)
    decision_number = graphene.String(required=True)
    decision_date = graphene.Date(required=True)
    issuer = graphene.Field(OcopIssuer, required=True)
    certificate_number = graphene.String()
    verified = graphene.Boolean(required=True)
    verify_url = graphene.String(
        required=True, description="Public page confirming the certificate (the QR target)."
    )

    class Meta:
        description = "An OCOP star certification (a signed recognition decision)."

    @staticmethod
    def resolve_issuer(root, _info):
        return OcopIssuer(level=root.issuer_level, name=root.issuer_name)

    @staticmethod
    def resolve_certificate_number(root, _info):
        return root.certificate_number or None

    @staticmethod
    def resolve_verified(root, _info):
        return root.verification_status == VerificationStatus.VERIFIED

    @staticmethod
    def resolve_verify_url(root, _info):
        from backend.ocop.views import verify_page_url

        return verify_page_url(root)


class ProducerCountableConnection(CountableConnection):
    class Meta:
        node = Producer
        strict_types = True


# --- facets -----------------------------------------------------------------------------------


class ProvinceFacet(graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    count = graphene.Int(required=True)


class StarsFacet(graphene.ObjectType):
    stars = graphene.Int(required=True)
    count = graphene.Int(required=True)


class CategoryFacet(graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    count = graphene.Int(required=True)


class ProducerTypeFacet(graphene.ObjectType):
    type = graphene.String(required=True)
    count = graphene.Int(required=True)


class PriceRangeFacet(graphene.ObjectType):
    min = graphene.Field(Money)
    max = graphene.Field(Money)

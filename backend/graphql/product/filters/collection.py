"""`collections(filter: …, where: …)`."""

import graphene
from django.db.models import Exists, OuterRef, Q

from backend.graphql.attribute.filters import MetadataFilter
from backend.graphql.product.filters.shared import metadata_where_q, named_filter_q
from backend.product.models import CollectionChannelListing


class CollectionPublished(graphene.Enum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class CollectionFilterInput(graphene.InputObjectType):
    published = graphene.Field(CollectionPublished)
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    channel = graphene.String(deprecation_reason="Use root-level channel argument instead.")


class CollectionWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    AND = graphene.List(graphene.NonNull(lambda: CollectionWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: CollectionWhereInput))


def collection_where_q(where) -> Q:
    return metadata_where_q(where, "Collection", collection_where_q)


def collection_filter_q(collection_filter, channel) -> Q:
    if not collection_filter:
        return Q()
    q = named_filter_q(collection_filter, "Collection")
    published = collection_filter.get("published")
    if published is not None:
        listings = CollectionChannelListing.objects.filter(
            collection_id=OuterRef("pk"), is_published=True
        )
        if channel is not None:
            listings = listings.filter(channel=channel)
        is_published = Q(Exists(listings))
        value = getattr(published, "value", published)
        q &= is_published if value == CollectionPublished.PUBLISHED.value else ~is_published
    return q

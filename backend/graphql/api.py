"""The GraphQL schema: one Query and one Mutation composed from each domain's API."""

import graphene

from backend.graphql.account.schema import AccountMutations, AccountQueries
from backend.graphql.attribute.types import ASSIGNED_ATTRIBUTE_TYPES
from backend.graphql.channel.schema import ChannelQueries
from backend.graphql.checkout.schema import CheckoutMutations, CheckoutQueries
from backend.graphql.core.deprecation import declare_input_deprecation_in_descriptions
from backend.graphql.livestream.mutations import LivestreamMutations
from backend.graphql.livestream.schema import LivestreamQueries
from backend.graphql.marketplace.schema import MarketplaceQueries
from backend.graphql.menu.schema import MenuQueries
from backend.graphql.meta.mutations import MetaMutations
from backend.graphql.ocop.schema import OcopQueries
from backend.graphql.order.schema import OrderMutations, OrderQueries
from backend.graphql.page.schema import PageQueries
from backend.graphql.payment.schema import PaymentMutations, PaymentQueries
from backend.graphql.product.schema import ProductMutations, ProductQueries
from backend.graphql.shop.schema import ShopQueries
from backend.graphql.warehouse.schema import WarehouseQueries


class Query(
    ProductQueries,
    PageQueries,
    MenuQueries,
    ChannelQueries,
    ShopQueries,
    AccountQueries,
    OcopQueries,
    CheckoutQueries,
    OrderQueries,
    PaymentQueries,
    WarehouseQueries,
    MarketplaceQueries,
    LivestreamQueries,
):
    pass


class Mutation(
    AccountMutations,
    ProductMutations,
    CheckoutMutations,
    OrderMutations,
    PaymentMutations,
    MetaMutations,
    LivestreamMutations,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation, types=ASSIGNED_ATTRIBUTE_TYPES)
declare_input_deprecation_in_descriptions(schema.graphql_schema)

import graphene

from backend.graphql.shop.types import Shop


class ShopQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, required=True, description="Return information about the shop.")

    @staticmethod
    def resolve_shop(_root, _info):
        return Shop()

import graphene


class ShopQueries(graphene.ObjectType):
    pass

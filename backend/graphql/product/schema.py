import graphene


class ProductQueries(graphene.ObjectType):
    pass


class ProductMutations(graphene.ObjectType):
    pass

import graphene


class PageQueries(graphene.ObjectType):
    pass

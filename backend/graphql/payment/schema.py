import graphene


class PaymentQueries(graphene.ObjectType):
    pass


class PaymentMutations(graphene.ObjectType):
    pass

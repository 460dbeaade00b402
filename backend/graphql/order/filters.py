"""`where` filters of order lists: CustomerOrderWhereInput (`me.orders`) and OrderWhereInput
(staff `orders`), with Saleor's names. Each input becomes one Q on the orders table."""

import graphene
from django.db.models import Count, Exists, OuterRef, Q

from backend.channel.models import Channel
from backend.core.ids import pk_from_global_id, uuid_from_global_id
from backend.core.money import MoneyPrecisionError, to_minor_units
from backend.graphql.attribute.filters import (
    DateTimeRangeInput,
    DecimalFilterInput,
    GlobalIDFilterInput,
    IntRangeInput,
    MetadataFilterInput,
    StringFilterInput,
    metadata_filter_input_q,
    range_q,
    string_filter_q,
)
from backend.graphql.core.enums import (
    CountryCode,
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderStatus,
)
from backend.graphql.core.errors import SaleorGraphQLError
from backend.order.models import Fulfillment, OrderLine


class IntFilterInput(graphene.InputObjectType):
    eq = graphene.Int()
    one_of = graphene.List(graphene.NonNull(graphene.Int))
    range = graphene.Field(IntRangeInput)


class UUIDFilterInput(graphene.InputObjectType):
    eq = graphene.UUID()
    one_of = graphene.List(graphene.NonNull(graphene.UUID))


class InvoiceFilterInput(graphene.InputObjectType):
    created_at = graphene.Field(DateTimeRangeInput)


class PriceFilterInput(graphene.InputObjectType):
    currency = graphene.String()
    amount = graphene.Field(DecimalFilterInput, required=True)


class CountryCodeEnumFilterInput(graphene.InputObjectType):
    eq = graphene.Field(CountryCode)
    one_of = graphene.List(graphene.NonNull(CountryCode))
    not_one_of = graphene.List(graphene.NonNull(CountryCode))


class AddressFilterInput(graphene.InputObjectType):
    phone_number = graphene.Field(StringFilterInput)
    country = graphene.Field(CountryCodeEnumFilterInput)


class OrderAuthorizeStatusEnumFilterInput(graphene.InputObjectType):
    eq = graphene.Field(OrderAuthorizeStatusEnum)
    one_of = graphene.List(graphene.NonNull(OrderAuthorizeStatusEnum))


class OrderChargeStatusEnumFilterInput(graphene.InputObjectType):
    eq = graphene.Field(OrderChargeStatusEnum)
    one_of = graphene.List(graphene.NonNull(OrderChargeStatusEnum))


class OrderStatusEnumFilterInput(graphene.InputObjectType):
    eq = graphene.Field(OrderStatus)
    one_of = graphene.List(graphene.NonNull(OrderStatus))


def _where_fields(self_type: str) -> dict:
    return {
        "metadata": graphene.Field(MetadataFilterInput),
        "ids": graphene.List(graphene.NonNull(graphene.ID)),
        "number": graphene.Field(IntFilterInput),
        "channel_id": graphene.Field(GlobalIDFilterInput),
        "created_at": graphene.Field(DateTimeRangeInput),
        "updated_at": graphene.Field(DateTimeRangeInput),
        "user_email": graphene.Field(StringFilterInput),
        "authorize_status": graphene.Field(OrderAuthorizeStatusEnumFilterInput),
        "charge_status": graphene.Field(OrderChargeStatusEnumFilterInput),
        "status": graphene.Field(OrderStatusEnumFilterInput),
        "checkout_token": graphene.Field(UUIDFilterInput),
        "checkout_id": graphene.Field(GlobalIDFilterInput),
        "is_click_and_collect": graphene.Boolean(),
        "is_gift_card_used": graphene.Boolean(),
        "is_gift_card_bought": graphene.Boolean(),
        "voucher_code": graphene.Field(StringFilterInput),
        "has_invoices": graphene.Boolean(),
        "invoices": graphene.List(graphene.NonNull(InvoiceFilterInput)),
        "has_fulfillments": graphene.Boolean(),
        "lines_count": graphene.Field(IntFilterInput),
        "total_gross": graphene.Field(PriceFilterInput),
        "total_net": graphene.Field(PriceFilterInput),
        "product_type_id": graphene.Field(GlobalIDFilterInput),
        "billing_address": graphene.Field(AddressFilterInput),
        "shipping_address": graphene.Field(AddressFilterInput),
        "AND": graphene.List(graphene.NonNull(self_type)),
        "OR": graphene.List(graphene.NonNull(self_type)),
    }


CustomerOrderWhereInput = type(
    "CustomerOrderWhereInput",
    (graphene.InputObjectType,),
    _where_fields("backend.graphql.order.filters.CustomerOrderWhereInput"),
)
OrderWhereInput = type(
    "OrderWhereInput",
    (graphene.InputObjectType,),
    {
        **_where_fields("backend.graphql.order.filters.OrderWhereInput"),
        "user": graphene.Field(StringFilterInput, description="Email of the customer."),
    },
)


def _enum_values(value) -> list[str]:
    return [str(getattr(item, "value", item)) for item in value]


def _enum_q(field: str, value, to_model=str.lower) -> Q:
    if not value:
        return Q()
    if value.get("eq") is not None:
        return Q(**{field: to_model(_enum_values([value["eq"]])[0])})
    if value.get("one_of") is not None:
        return Q(**{f"{field}__in": [to_model(v) for v in _enum_values(value["one_of"])]})
    return Q()


def _status_to_model(name: str) -> str:
    # PARTIALLY_FULFILLED -> "partially fulfilled" (OrderStatus values use spaces)
    return name.lower().replace("_", " ")


def int_filter_q(field: str, value) -> Q:
    if not value:
        return Q()
    q = Q()
    if value.get("eq") is not None:
        q &= Q(**{field: value["eq"]})
    if value.get("one_of") is not None:
        q &= Q(**{f"{field}__in": value["one_of"]})
    return q & range_q(field, value.get("range"))


def _global_ids(value, type_name: str, convert) -> list | None:
    if not value:
        return None
    raw = [value["eq"]] if value.get("eq") is not None else value.get("one_of")
    if raw is None:
        return None
    converted = [convert(item, type_name) for item in raw]
    if any(item is None for item in converted):
        raise SaleorGraphQLError(f"Invalid {type_name} ID.")
    return converted


def _price_q(value) -> Q:
    """Amounts are compared in each currency's minor units."""
    if not value:
        return Q()
    amount = value["amount"]
    currencies = (
        [value["currency"]]
        if value.get("currency")
        else sorted(set(Channel.objects.values_list("currency_code", flat=True)))
    )
    any_currency = Q(pk__in=[])
    for currency in currencies:

        def minor(decimal_value, currency=currency):
            try:
                return to_minor_units(decimal_value, currency)
            except MoneyPrecisionError as error:
                raise SaleorGraphQLError(str(error)) from error

        q = Q(currency=currency)
        if amount.get("eq") is not None:
            q &= Q(total_amount=minor(amount["eq"]))
        if amount.get("one_of") is not None:
            q &= Q(total_amount__in=[minor(v) for v in amount["one_of"]])
        bounds = amount.get("range") or {}
        if bounds.get("gte") is not None:
            q &= Q(total_amount__gte=minor(bounds["gte"]))
        if bounds.get("lte") is not None:
            q &= Q(total_amount__lte=minor(bounds["lte"]))
        any_currency |= q
    return any_currency


def _address_q(prefix: str, value) -> Q:
    if not value:
        return Q()
    q = string_filter_q(f"{prefix}__phone", value.get("phone_number"))
    country = value.get("country") or {}
    if country.get("eq") is not None:
        q &= Q(**{f"{prefix}__country": _enum_values([country["eq"]])[0]})
    if country.get("one_of") is not None:
        q &= Q(**{f"{prefix}__country__in": _enum_values(country["one_of"])})
    if country.get("not_one_of") is not None:
        q &= ~Q(**{f"{prefix}__country__in": _enum_values(country["not_one_of"])})
    return q


def _never_when(flag) -> Q:
    """Filters on things the shop does not have (gift cards, invoices): asking for orders
    with them finds none, asking for orders without them finds all."""
    if flag is None:
        return Q()
    return Q(pk__in=[]) if flag else Q()


def order_where_q(where) -> Q:
    if not where:
        return Q()
    q = metadata_filter_input_q(where.get("metadata"))
    if where.get("ids") is not None:
        ids = [uuid_from_global_id(value, "Order") for value in where["ids"]]
        if any(pk is None for pk in ids):
            raise SaleorGraphQLError("Invalid Order ID.")
        q &= Q(pk__in=ids)
    q &= int_filter_q("number", where.get("number"))
    channel_ids = _global_ids(where.get("channel_id"), "Channel", pk_from_global_id)
    if channel_ids is not None:
        q &= Q(channel_id__in=channel_ids)
    q &= range_q("created_at", where.get("created_at"))
    q &= range_q("updated_at", where.get("updated_at"))
    q &= string_filter_q("user_email", where.get("user_email"))
    q &= string_filter_q("user__email", where.get("user"))
    q &= _enum_q("authorize_status", where.get("authorize_status"))
    q &= _enum_q("charge_status", where.get("charge_status"))
    q &= _enum_q("status", where.get("status"), _status_to_model)
    tokens = where.get("checkout_token")
    if tokens:
        values = [tokens["eq"]] if tokens.get("eq") is not None else tokens.get("one_of") or []
        q &= Q(checkout_token__in=[str(value) for value in values])
    checkout_ids = _global_ids(where.get("checkout_id"), "Checkout", uuid_from_global_id)
    if checkout_ids is not None:
        q &= Q(checkout_token__in=[str(value) for value in checkout_ids])
    if where.get("is_click_and_collect") is not None:
        pickup = ~Q(collection_point_name="")
        q &= pickup if where["is_click_and_collect"] else ~pickup
    q &= _never_when(where.get("is_gift_card_used"))
    q &= _never_when(where.get("is_gift_card_bought"))
    q &= _never_when(where.get("has_invoices"))
    if where.get("invoices"):
        q &= Q(pk__in=[])
    q &= string_filter_q("voucher_code", where.get("voucher_code"))
    if where.get("has_fulfillments") is not None:
        has = Exists(Fulfillment.objects.filter(order_id=OuterRef("pk")))
        q &= Q(has) if where["has_fulfillments"] else ~Q(has)
    if where.get("lines_count"):
        counted = (
            OrderLine.objects.values("order_id")
            .annotate(count=Count("pk"))
            .filter(int_filter_q("count", where["lines_count"]))
            .values("order_id")
        )
        q &= Q(pk__in=counted)
    q &= _price_q(where.get("total_gross"))
    q &= _price_q(where.get("total_net"))
    product_type_ids = _global_ids(where.get("product_type_id"), "ProductType", pk_from_global_id)
    if product_type_ids is not None:
        q &= Q(
            Exists(
                OrderLine.objects.filter(
                    order_id=OuterRef("pk"),
                    variant__product__product_type_id__in=product_type_ids,
                )
            )
        )
    q &= _address_q("billing_address", where.get("billing_address"))
    q &= _address_q("shipping_address", where.get("shipping_address"))
    for nested in where.get("AND") or []:
        q &= order_where_q(nested)
    if where.get("OR"):
        any_of = Q(pk__in=[])
        for nested in where["OR"]:
            any_of |= order_where_q(nested)
        q &= any_of
    return q

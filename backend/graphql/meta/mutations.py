"""Saleor's metadata mutations over every object with metadata: updateMetadata, deleteMetadata
and their private twins.

Who may write: anyone holding a guest checkout's id (its owner for a customer's checkout), a
signed-in user on their own account and addresses, staff with the permission that manages the
object otherwise. Private metadata is for staff only.
"""

from dataclasses import dataclass

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from backend.account.permissions import (
    AccountPermissions,
    MenuPermissions,
    PagePermissions,
    ProductPermissions,
    has_one_of_permissions,
)
from backend.checkout.access import can_access_checkout
from backend.checkout.permissions import CheckoutPermissions
from backend.discount.permissions import DiscountPermissions
from backend.graphql.account.types import MetadataInput
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.enums import MetadataErrorCode
from backend.graphql.core.errors import PermissionDenied, error_type
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.core.types import ObjectWithMetadata
from backend.order.permissions import OrderPermissions

MetadataError = error_type("MetadataError", MetadataErrorCode)


def _own_user(user, instance) -> bool:
    return user.is_authenticated and user.pk == instance.pk


def _own_address(user, instance) -> bool:
    return user.is_authenticated and user.addresses.filter(pk=instance.pk).exists()


@dataclass(frozen=True)
class Target:
    model: str  # "app_label.Model"
    permissions: tuple
    uuid_pk: bool = False
    public_access: object = None  # callable(user, instance) -> bool for non-staff writers
    channel_context: bool = False  # catalog types resolve inside a ChannelContext


TARGETS = {
    "Checkout": Target(
        "checkout.Checkout",
        (CheckoutPermissions.MANAGE_CHECKOUTS,),
        uuid_pk=True,
        public_access=can_access_checkout,
    ),
    "Order": Target("order.Order", (OrderPermissions.MANAGE_ORDERS,), uuid_pk=True),
    "User": Target("account.User", (AccountPermissions.MANAGE_USERS,), public_access=_own_user),
    "Address": Target(
        "account.Address", (AccountPermissions.MANAGE_USERS,), public_access=_own_address
    ),
    "Product": Target(
        "product.Product", (ProductPermissions.MANAGE_PRODUCTS,), channel_context=True
    ),
    "ProductVariant": Target(
        "product.ProductVariant", (ProductPermissions.MANAGE_PRODUCTS,), channel_context=True
    ),
    "ProductType": Target("product.ProductType", (ProductPermissions.MANAGE_PRODUCTS,)),
    "Category": Target("product.Category", (ProductPermissions.MANAGE_PRODUCTS,)),
    "Collection": Target(
        "product.Collection", (ProductPermissions.MANAGE_PRODUCTS,), channel_context=True
    ),
    "Warehouse": Target("warehouse.Warehouse", (ProductPermissions.MANAGE_PRODUCTS,)),
    "Voucher": Target("discount.Voucher", (DiscountPermissions.MANAGE_DISCOUNTS,)),
    "Page": Target("page.Page", (PagePermissions.MANAGE_PAGES,)),
    "Menu": Target("menu.Menu", (MenuPermissions.MANAGE_MENUS,)),
}


def _not_found(id):
    return ValidationError(
        {
            "id": ValidationError(
                _("Couldn't resolve to a node: %(id)s") % {"id": id}, code="not_found"
            )
        }
    )


def _resolve(id):
    """(type name, target, instance) for a global id; NOT_FOUND / INVALID errors otherwise."""
    import uuid

    from django.apps import apps

    try:
        type_name, pk = from_global_id(id)
    except Exception as error:  # noqa: BLE001 - any undecodable id is just invalid
        raise ValidationError(
            {"id": ValidationError(_("Invalid ID: %(id)s") % {"id": id}, code="invalid")}
        ) from error
    target = TARGETS.get(type_name)
    if target is None:
        raise ValidationError(
            {
                "id": ValidationError(
                    _("Metadata of %(type)s objects cannot be changed here.")
                    % {"type": type_name or id},
                    code="invalid",
                )
            }
        )
    try:
        pk = uuid.UUID(pk) if target.uuid_pk else int(pk)
    except ValueError as error:
        raise _not_found(id) from error
    instance = apps.get_model(target.model).objects.filter(pk=pk).first()
    if instance is None:
        raise _not_found(id)
    return type_name, target, instance


def _check_access(info, target: Target, instance, private: bool) -> None:
    user = info.context.user
    if has_one_of_permissions(user, target.permissions):
        return
    if not private and target.public_access and target.public_access(user, instance):
        return
    raise PermissionDenied(permissions=list(target.permissions))


def _as_item(type_name: str, target: Target, instance):
    """The instance shaped as its GraphQL type resolves it, tagged with that type's name so the
    ObjectWithMetadata interface resolves to it."""
    item = instance
    if target.channel_context:
        item = ChannelContext(instance, None)
    setattr(item, f"_{type(item).__name__}__typename", type_name)
    return item


class BaseMetadataMutation(BaseMutation):
    item = graphene.Field(ObjectWithMetadata)

    class Meta:
        abstract = True

    private = False

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("error_type_class", MetadataError)
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def perform_mutation(cls, _root, info, id, **data):
        type_name, target, instance = _resolve(id)
        _check_access(info, target, instance, cls.private)
        field = "private_metadata" if cls.private else "metadata"
        stored = dict(getattr(instance, field) or {})
        cls.change(stored, **data)
        setattr(instance, field, stored)
        instance.save(update_fields=[field])
        return cls(item=_as_item(type_name, target, instance), errors=[])

    @classmethod
    def change(cls, stored: dict, **data):
        """Apply the mutation's arguments to the metadata dict; every subclass defines it."""
        raise NotImplementedError


def _clean_items(items) -> dict:
    values = {}
    for item in items:
        key = item["key"].strip()
        if not key:
            raise ValidationError(
                {"input": ValidationError(_("Metadata key cannot be empty."), code="required")}
            )
        values[key] = item["value"]
    return values


class UpdateMetadata(BaseMetadataMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID or token of an object to update.")
        input = graphene.List(graphene.NonNull(MetadataInput), required=True)

    class Meta:
        description = "Updates metadata of an object."

    @classmethod
    def change(cls, stored, input):
        stored.update(_clean_items(input))


class DeleteMetadata(BaseMetadataMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID or token of an object to update.")
        keys = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        description = "Delete metadata of an object."

    @classmethod
    def change(cls, stored, keys):
        for key in keys:
            stored.pop(key, None)


class UpdatePrivateMetadata(UpdateMetadata):
    private = True

    class Meta:
        description = "Updates private metadata of an object (staff)."


class DeletePrivateMetadata(DeleteMetadata):
    private = True

    class Meta:
        description = "Delete private metadata of an object (staff)."


class MetaMutations(graphene.ObjectType):
    update_metadata = UpdateMetadata.Field()
    delete_metadata = DeleteMetadata.Field()
    update_private_metadata = UpdatePrivateMetadata.Field()
    delete_private_metadata = DeletePrivateMetadata.Field()

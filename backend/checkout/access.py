"""Who may use a checkout, see its customer, and attach or detach that customer.

As in Saleor, a checkout's id is its secret: whoever holds it (a guest, the shop's session, or a
storefront's server calling without the buyer's token) uses the checkout while its channel is
active; staff with MANAGE_CHECKOUTS use any. The shop and the API both ask here (mirrors
backend.order.access)."""

from backend.account.permissions import has_one_of_permissions
from backend.checkout.models import Checkout
from backend.checkout.permissions import CheckoutPermissions


def can_manage_checkouts(user) -> bool:
    return has_one_of_permissions(user, [CheckoutPermissions.MANAGE_CHECKOUTS])


def can_access_checkout(user, checkout: Checkout) -> bool:
    return checkout.channel.is_active or can_manage_checkouts(user)


def is_checkout_owner(user, checkout: Checkout) -> bool:
    return bool(checkout.user_id and user and user.is_authenticated and user.pk == checkout.user_id)


def can_see_checkout_customer(user, checkout: Checkout) -> bool:
    """The customer a checkout belongs to is shown to that customer and to staff managing
    checkouts, not to everyone holding the id."""
    return is_checkout_owner(user, checkout) or (
        user is not None and user.is_authenticated and can_manage_checkouts(user)
    )


def can_attach_customer(checkout: Checkout, customer) -> bool:
    """A checkout is attached to a customer while it has none or already is theirs: another
    customer's checkout is never taken over."""
    return checkout.user_id in (None, customer.pk)


def can_detach_customer(user, checkout: Checkout) -> bool:
    """Only its owner gives a checkout up, as in Saleor."""
    return is_checkout_owner(user, checkout)

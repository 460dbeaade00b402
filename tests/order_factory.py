"""Orders made directly with the models (as complete_checkout would), for order and webhook
tests that do not need to go through a checkout."""

from django.contrib.auth.models import Permission

from backend.account.models import Address, User
from backend.order.models import Order, OrderEvent, OrderEvents, OrderLine
from backend.order.utils import next_order_number
from backend.product.models import ProductVariantChannelListing
from backend.warehouse.services import allocate_stocks


def create_order(
    channel,
    lines,
    *,
    user=None,
    email="khach.le@example.com",
    address_data=None,
    shipping_method=None,
    shipping_price=30_000,
    gateway="ocop.payments.cod",
    allocate=True,
    language_code="vi",
) -> Order:
    """An unfulfilled order in `channel` for `lines` = [(variant, quantity), ...] at the
    variants' channel prices, with stock allocated like checkoutComplete does."""
    currency = channel.currency_code
    prices = dict(
        ProductVariantChannelListing.objects.filter(
            channel=channel, variant__in=[variant for variant, _ in lines]
        ).values_list("variant_id", "price_amount")
    )
    subtotal = sum(prices[variant.pk] * quantity for variant, quantity in lines)
    address = Address.objects.create(**address_data) if address_data else None
    order = Order.objects.create(
        number=next_order_number(),
        user=user,
        user_email=email,
        language_code=language_code,
        channel=channel,
        currency=currency,
        shipping_address=address,
        billing_address=address,
        shipping_method=shipping_method,
        shipping_method_name=shipping_method.name if shipping_method else "",
        shipping_price_amount=shipping_price,
        subtotal_amount=subtotal,
        undiscounted_total_amount=subtotal + shipping_price,
        total_amount=subtotal + shipping_price,
        payment_gateway=gateway,
    )
    order_lines = [
        OrderLine.objects.create(
            order=order,
            variant=variant,
            product_name=variant.product.name,
            variant_name=variant.name,
            product_sku=variant.sku,
            quantity=quantity,
            currency=currency,
            undiscounted_unit_price_amount=prices[variant.pk],
            unit_price_amount=prices[variant.pk],
            total_price_amount=prices[variant.pk] * quantity,
        )
        for variant, quantity in lines
    ]
    OrderEvent.objects.create(order=order, type=OrderEvents.PLACED, user=user)
    if allocate:
        allocate_stocks(order_lines, channel)
    return order


def grant(user: User, app_label: str, codename: str) -> User:
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return User.objects.get(pk=user.pk)

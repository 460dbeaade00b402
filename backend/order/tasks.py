from celery import shared_task
from django.core.mail import send_mail

from backend.order.emails import render_confirmation, render_shipping_notice
from backend.order.models import Fulfillment, Order, OrderEvent, OrderEvents


@shared_task
def send_order_confirmation(order_id: str) -> bool:
    """Email the buyer that the order was placed; False when there is no address to write to."""
    order = (
        Order.objects.select_related("shipping_address", "channel", "user")
        .filter(pk=order_id)
        .first()
    )
    if order is None or not order.user_email:
        return False
    subject, body = render_confirmation(order)
    send_mail(subject, body, None, [order.user_email])
    OrderEvent.objects.create(
        order=order,
        type=OrderEvents.EMAIL_SENT,
        parameters={"email": order.user_email, "email_type": "order_confirmation"},
    )
    return True


@shared_task
def send_shipping_notice(fulfillment_id: int) -> bool:
    """Email the buyer that items left with a carrier, with its tracking code."""
    fulfillment = (
        Fulfillment.objects.select_related("order__shipping_address")
        .filter(pk=fulfillment_id)
        .first()
    )
    if fulfillment is None or not fulfillment.order.user_email:
        return False
    order = fulfillment.order
    subject, body = render_shipping_notice(fulfillment)
    send_mail(subject, body, None, [order.user_email])
    OrderEvent.objects.create(
        order=order,
        type=OrderEvents.EMAIL_SENT,
        parameters={"email": order.user_email, "email_type": "order_shipped"},
    )
    return True

from celery import shared_task
from django.core.mail import send_mail

from backend.order.emails import render_confirmation
from backend.order.models import Order, OrderEvent, OrderEvents


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

"""The order confirmation email, in the buyer's language (Vietnamese unless they chose English).

Text goes through gettext with English msgids (translated to Vietnamese in locale/vi); amounts
are formatted for the language from integer minor units (`125.000 ₫` in Vietnamese).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from backend.core.money import format_money
from backend.order.handover import order_handover
from backend.order.models import Fulfillment, Order
from backend.payment.gateways import gateway_name

MONEY_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def email_language(order: Order) -> str:
    code = (order.language_code or "").lower().replace("_", "-").split("-")[0]
    available = {language for language, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def full_name(address, language: str) -> str:
    """Vietnamese names read family name first (Nguyễn Lan)."""
    if address is None:
        return ""
    parts = [address.first_name, address.last_name]
    if language == "vi":
        parts.reverse()
    return " ".join(part for part in parts if part)


def confirmation_context(order: Order, language: str) -> dict:
    locale = MONEY_LOCALES.get(language, "vi_VN")

    def money(minor: int) -> str:
        return format_money(minor, order.currency, locale)

    address = order.shipping_address
    return {
        "order": order,
        "number": order.number,
        "customer_name": full_name(address, language),
        "lines": [
            {
                "name": f"{line.product_name} ({line.variant_name})"
                if line.variant_name and line.variant_name != line.product_name
                else line.product_name,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price_amount),
                "total": money(line.total_price_amount),
            }
            for line in order.lines.all()
        ],
        "subtotal": money(order.subtotal_amount),
        "shipping": money(order.shipping_price_amount),
        "discount": money(order.discount_amount) if order.discount_amount else "",
        "total": money(order.total_amount),
        "payment_method": gateway_name(order.payment_gateway),
        "is_paid": order.is_paid,
        "handover": order_handover(order),
        "shipping_address": address,
        "order_url": order_url(order),
    }


def order_url(order: Order) -> str:
    """The shop's page of `order`; it carries the order's token, the buyer's key to it."""
    return settings.PUBLIC_URL.rstrip("/") + reverse("storefront:order", args=[order.token])


def render_confirmation(order: Order) -> tuple[str, str]:
    """(subject, body) of the confirmation email for `order`."""
    language = email_language(order)
    with translation.override(language):
        context = confirmation_context(order, language)
        subject = render_to_string("order/emails/confirmation_subject.txt", context).strip()
        body = render_to_string("order/emails/confirmation.txt", context)
    return subject, body


def line_name(line) -> str:
    if line.variant_name and line.variant_name != line.product_name:
        return f"{line.product_name} ({line.variant_name})"
    return line.product_name


def render_shipping_notice(fulfillment: Fulfillment) -> tuple[str, str]:
    """(subject, body) of the email telling the buyer that `fulfillment` left with a carrier,
    with the carrier's name and the tracking code."""
    order = fulfillment.order
    language = email_language(order)
    with translation.override(language):
        context = {
            "order": order,
            "number": order.number,
            "customer_name": full_name(order.shipping_address, language),
            "lines": [
                {"name": line_name(item.order_line), "quantity": item.quantity}
                for item in fulfillment.lines.select_related("order_line")
            ],
            "carrier": fulfillment.get_carrier_display() if fulfillment.carrier else "",
            "tracking_number": fulfillment.tracking_number,
            "order_url": order_url(order),
        }
        subject = render_to_string("order/emails/shipped_subject.txt", context).strip()
        body = render_to_string("order/emails/shipped.txt", context)
    return subject, body

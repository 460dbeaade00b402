"""An order's history told in sentences for staff ("Đã thanh toán 125.000 ₫") instead of the
raw event parameters, in the active language."""

from django.utils.translation import gettext as _

from backend.core.money import format_money
from backend.order.models import OrderEvent, OrderEvents
from backend.payment.gateways import gateway_name


def describe_event(event: OrderEvent) -> str:
    params = event.parameters or {}
    describe = _DESCRIPTIONS.get(event.type)
    if describe is None:
        return str(event.get_type_display())
    return describe(params, event.order.currency)


def _money(params, currency) -> str:
    return format_money(int(params.get("amount") or 0), params.get("currency") or currency)


def _placed(params, _currency):
    if params.get("gateway"):
        return _("Order placed, to be paid by %(method)s") % {
            "method": gateway_name(params["gateway"])
        }
    return _("Order placed")


def _captured(params, currency):
    return _("Paid %(amount)s") % {"amount": _money(params, currency)}


def _marked_as_paid(params, currency):
    text = _("Marked as paid by staff: %(amount)s") % {"amount": _money(params, currency)}
    if params.get("transaction_reference"):
        text += " " + _("(reference %(reference)s)") % {
            "reference": params["transaction_reference"]
        }
    return text


def _fulfilled(params, _currency):
    return _("Shipped %(quantity)s items (fulfillment %(fulfillment)s)") % {
        "quantity": params.get("quantity", 0),
        "fulfillment": params.get("composed_id", ""),
    }


def _email_sent(params, _currency):
    if params.get("email_type") == "order_shipped":
        return _("Shipping email sent to %(email)s") % {"email": params.get("email", "")}
    return _("Confirmation email sent to %(email)s") % {"email": params.get("email", "")}


def _packed(params, _currency):
    return _("Packed %(quantity)s items") % {"quantity": params.get("quantity", 0)}


def _note_added(params, _currency):
    return _("Note added: %(message)s") % {"message": params.get("message", "")}


_DESCRIPTIONS = {
    OrderEvents.PLACED: _placed,
    OrderEvents.CONFIRMED: lambda _params, _currency: _("Order confirmed"),
    OrderEvents.PAYMENT_CAPTURED: _captured,
    OrderEvents.MARKED_AS_PAID: _marked_as_paid,
    OrderEvents.PACKED: _packed,
    OrderEvents.FULFILLMENT_FULFILLED_ITEMS: _fulfilled,
    OrderEvents.CANCELED: lambda _params, _currency: _("Order canceled"),
    OrderEvents.EMAIL_SENT: _email_sent,
    OrderEvents.NOTE_ADDED: _note_added,
}

"""Stock holds that survive the payment (Saleor's open issue #15246: a buyer who has paid must
not meet INSUFFICIENT_STOCK when the checkout becomes an order).

When a payment starts for a checkout (transactionInitialize, the shop's checkout — both through
`services.start_transaction`), its lines are held again — holds that lapsed come back if the goods
are still there, and a payment for goods that are gone is refused with INSUFFICIENT_STOCK before
the provider is asked — until the gateway's PAYMENT_MINUTES plus PAYMENT_HOLD_GRACE_MINUTES have
passed. What happens when the stock is gone anyway is `backend.payment.returns`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from backend.checkout.validation import insufficient_stock_error, with_params
from backend.warehouse.services import InsufficientStock, reserve_stocks


def hold_minutes(gateway_id: str) -> int:
    """How long a payment with `gateway_id` keeps the buyer's holds (0: the normal hold)."""
    minutes = settings.PAYMENT_MINUTES.get(gateway_id, 0)
    return minutes + settings.PAYMENT_HOLD_GRACE_MINUTES if minutes else 0


def hold_stock_for_payment(checkout, gateway_id: str) -> None:
    """Hold the checkout's lines again and keep the holds while the payment runs. Goods that are
    gone raise INSUFFICIENT_STOCK (per variant), holding nothing new. A gateway without a
    payment lifetime (cash on delivery) keeps the normal hold."""
    lines = list(checkout.lines.select_related("variant", "live_offer__event"))
    minutes = hold_minutes(gateway_id)
    until = timezone.now() + timedelta(minutes=minutes) if minutes else None
    try:
        reserve_stocks(
            lines, checkout.channel, collection_point=checkout.collection_point, until=until
        )
    except InsufficientStock as error:
        raise _per_variant_error(
            error,
            gettext_lazy(
                "Only %(available)d left in stock; change the quantity in your cart before paying."
            ),
        ) from error


def _per_variant_error(error: InsufficientStock, message) -> ValidationError:
    """INSUFFICIENT_STOCK errors on `lines` naming each variant, with `message` % available."""
    standard = insufficient_stock_error(error, field="lines").error_dict["lines"]
    return ValidationError(
        {
            "lines": [
                with_params(message % {"available": max(item.available, 0)}, e.code, e.params)
                for item, e in zip(error.items, standard, strict=True)
            ]
        }
    )

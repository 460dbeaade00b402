"""Cash on delivery: nothing is charged online. The transaction records a pending charge for the
order total; staff mark the order as paid when the carrier remits the cash."""

from django.utils.translation import gettext_lazy as _

from backend.payment.gateways.base import GatewayResult, PaymentGateway
from backend.payment.models import TransactionEventType


class CashOnDeliveryGateway(PaymentGateway):
    id = "ocop.payments.cod"
    name = _("Cash on delivery")
    currencies = ("VND",)
    paid_later = True

    def initialize_gateway(self, *, channel, amount, data):
        return None

    def initialize_transaction(self, transaction, *, action, amount, data, customer_ip):
        return GatewayResult(
            event_type=TransactionEventType.CHARGE_REQUEST,
            amount=amount,
            message=str(_("Pay in cash on delivery.")),
        )

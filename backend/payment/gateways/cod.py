"""Cash on delivery: nothing is charged online. The transaction records a pending charge for the
order total; staff mark the order as paid when the carrier remits the cash.

For a Saleor storefront's payment component (gateway id `ocop.payments.cod`, channel `vn`):
`paymentGatewayInitialize` gives `data: null`; `transactionInitialize(id: <checkout>,
paymentGateway: {id: "ocop.payments.cod"})` takes no `data` and returns `data: null` with a
CHARGE_REQUEST event (chargePendingAmount = the total, chargedAmount 0). Call `checkoutComplete`
right after: the order is placed unpaid (chargeStatus NONE) and becomes paid (ORDER_PAID) when
staff run `orderMarkAsPaid` on delivery. A checkout with no transaction at all in the `vn`
channel is completed as cash on delivery too.
"""

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

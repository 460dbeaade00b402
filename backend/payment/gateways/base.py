"""The one interface every payment provider implements.

A gateway turns `transactionInitialize` into a first TransactionEvent (and data for the client,
e.g. a QR payload, a redirect URL or a Stripe client secret), answers `transactionProcess`, and
lists its public configuration for `availablePaymentGateways`. Callbacks from the provider (IPN,
bank-transfer webhook, Stripe webhook) are views in `backend.payment.views` that verify the
signature and the amount, then record events through `backend.payment.services`.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from backend.payment.models import TransactionEventType, TransactionItem


class GatewayError(Exception):
    """The provider refused or could not be reached; nothing was recorded (the mutation fails)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class GatewayResult:
    """What a gateway reports back: the event to record and data for the client."""

    event_type: str
    amount: int
    psp_reference: str = ""
    message: str = ""
    data: dict | None = None
    external_url: str = ""
    raw: dict = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)


class PaymentGateway:
    id: str = ""
    name: str = ""
    currencies: tuple[str, ...] = ()
    # The order may be placed before the money arrives (cash on delivery, bank transfer).
    paid_later: bool = False

    def is_configured(self) -> bool:
        return True

    def config(self) -> list[tuple[str, str | None]]:
        """Public settings for the storefront (GatewayConfigLine field/value pairs)."""
        return []

    def initialize_gateway(self, *, channel, amount: int, data: dict | None) -> dict | None:
        """Data for `paymentGatewayInitialize` (before any transaction exists)."""
        return {name: value for name, value in self.config()} or None

    def initialize_transaction(
        self,
        transaction: TransactionItem,
        *,
        action: str,
        amount: int,
        data: dict | None,
        customer_ip: str | None,
    ) -> GatewayResult:
        """Start the payment with the provider; every gateway defines it."""
        raise NotImplementedError

    def process_transaction(
        self, transaction: TransactionItem, *, data: dict | None, customer_ip: str | None
    ) -> GatewayResult | None:
        """Ask the provider for news on a transaction; None when only a callback can tell."""
        return None

    def refund_transaction(self, transaction: TransactionItem, *, amount: int) -> GatewayResult:
        """Give `amount` of the charged money back through the provider (a REFUND_SUCCESS
        result); raises GatewayError when it refuses or cannot."""
        raise GatewayError(str(_("This payment method cannot refund automatically.")))

    def cancel_transaction(self, transaction: TransactionItem, *, amount: int) -> GatewayResult:
        """Release an authorization (void) through the provider (a CANCEL_SUCCESS result);
        raises GatewayError when it refuses or cannot."""
        raise GatewayError(str(_("This payment method cannot release an authorization.")))


CHARGE_REQUEST = TransactionEventType.CHARGE_REQUEST

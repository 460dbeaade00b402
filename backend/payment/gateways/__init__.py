"""Payment gateways by id, and which ones a channel offers (settings.PAYMENT_GATEWAYS_BY_CHANNEL;
VNPay and Stripe only once their keys are set)."""

from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from backend.payment.gateways.base import GatewayError, GatewayResult, PaymentGateway

COD = "ocop.payments.cod"
VIETQR = "ocop.payments.vietqr"
VNPAY = "ocop.payments.vnpay"
# Saleor's Stripe app id: Saleor's own storefront renders its Stripe component only for this id.
# Transactions made before under "ocop.payments.stripe" were renamed (payment migration 0002).
STRIPE = "saleor.app.payment.stripe"
# Payments recorded by staff without a provider (orderMarkAsPaid on an order with none).
MANUAL = "ocop.payments.manual"


@cache
def _registry() -> dict[str, PaymentGateway]:
    from backend.payment.gateways.cod import CashOnDeliveryGateway
    from backend.payment.gateways.stripe_card import StripeGateway
    from backend.payment.gateways.vietqr import VietQRGateway
    from backend.payment.gateways.vnpay import VNPayGateway

    gateways = (CashOnDeliveryGateway(), VietQRGateway(), VNPayGateway(), StripeGateway())
    return {gateway.id: gateway for gateway in gateways}


def get_gateway(gateway_id: str) -> PaymentGateway | None:
    return _registry().get(gateway_id)


def gateway_name(gateway_id: str) -> str:
    """The payment method's human name ("Thanh toán khi nhận hàng (COD)"), for people."""
    if gateway_id == MANUAL:
        return _("Manual payment")
    gateway = get_gateway(gateway_id)
    return str(gateway.name) if gateway else gateway_id


def list_payment_gateways(channel) -> list[PaymentGateway]:
    """Gateways a buyer can use in `channel`, in the configured order (the first is the default)."""
    gateways = []
    for gateway_id in settings.PAYMENT_GATEWAYS_BY_CHANNEL.get(channel.slug, ()):
        gateway = get_gateway(gateway_id)
        if (
            gateway is not None
            and gateway.is_configured()
            and channel.currency_code in gateway.currencies
        ):
            gateways.append(gateway)
    return gateways


def get_channel_gateway(channel, gateway_id: str) -> PaymentGateway | None:
    return next((g for g in list_payment_gateways(channel) if g.id == gateway_id), None)


__all__ = [
    "COD",
    "MANUAL",
    "STRIPE",
    "VIETQR",
    "VNPAY",
    "GatewayError",
    "GatewayResult",
    "PaymentGateway",
    "get_channel_gateway",
    "gateway_name",
    "get_gateway",
    "list_payment_gateways",
]

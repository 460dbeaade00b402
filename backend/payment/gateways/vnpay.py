"""VNPay payment gateway (API 2.1.0): a signed redirect to VNPay's payment page, a return URL for
the buyer's browser and an IPN (server-to-server call) that is the only proof of payment.

Signatures are HMAC-SHA512 with the merchant's hash secret over the `vnp_*` parameters sorted by
name, URL-encoded (`quote_plus`) and joined with `&`. `vnp_Amount` is the amount in VND × 100.
"""

import hashlib
import hmac
from datetime import timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.payment.gateways.base import GatewayResult, PaymentGateway
from backend.payment.models import TransactionEventType

VN_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
PAYMENT_MINUTES = 15
# VNPay's documented IPN answers.
IPN_SUCCESS = {"RspCode": "00", "Message": "Confirm Success"}
IPN_ORDER_NOT_FOUND = {"RspCode": "01", "Message": "Order not found"}
IPN_ALREADY_CONFIRMED = {"RspCode": "02", "Message": "Order already confirmed"}
IPN_INVALID_AMOUNT = {"RspCode": "04", "Message": "invalid amount"}
IPN_INVALID_SIGNATURE = {"RspCode": "97", "Message": "Invalid Checksum"}
IPN_UNKNOWN_ERROR = {"RspCode": "99", "Message": "Unknow error"}


def hash_data(params: dict) -> str:
    return "&".join(
        f"{key}={quote_plus(str(params[key]))}"
        for key in sorted(params)
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType")
    )


def sign(params: dict, secret: str) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode("utf-8"), hashlib.sha512).hexdigest()


def verify(params: dict, secret: str) -> bool:
    received = str(params.get("vnp_SecureHash", ""))
    return bool(secret and received) and hmac.compare_digest(
        received.lower().encode(), sign(params, secret).encode()
    )


def vnpay_time(moment) -> str:
    return moment.astimezone(VN_TIME).strftime("%Y%m%d%H%M%S")


def payment_url(params: dict, secret: str, base_url: str) -> str:
    return f"{base_url}?{hash_data(params)}&vnp_SecureHash={sign(params, secret)}"


def txn_ref(transaction) -> str:
    return transaction.pk.hex


def result_from_params(params: dict):
    """(succeeded, event type) for the `vnp_ResponseCode`/`vnp_TransactionStatus` VNPay sent."""
    succeeded = params.get("vnp_ResponseCode") == "00" and params.get(
        "vnp_TransactionStatus", "00"
    ) in ("00", "")
    return succeeded, (
        TransactionEventType.CHARGE_SUCCESS if succeeded else TransactionEventType.CHARGE_FAILURE
    )


class VNPayGateway(PaymentGateway):
    id = "ocop.payments.vnpay"
    name = _("VNPay (ATM card, QR, e-wallet)")
    currencies = ("VND",)

    def is_configured(self) -> bool:
        return bool(settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET)

    def initialize_gateway(self, *, channel, amount, data):
        return None

    def initialize_transaction(self, transaction, *, action, amount, data, customer_ip):
        now = timezone.now()
        params = {
            "vnp_Version": "2.1.0",
            "vnp_Command": "pay",
            "vnp_TmnCode": settings.VNPAY_TMN_CODE,
            "vnp_Amount": amount * 100,
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": txn_ref(transaction),
            "vnp_OrderInfo": f"Thanh toan don hang {txn_ref(transaction)[:10].upper()}",
            "vnp_OrderType": "other",
            "vnp_Locale": "en" if (data or {}).get("locale") == "en" else "vn",
            "vnp_ReturnUrl": settings.PUBLIC_URL.rstrip("/") + reverse("payment-vnpay-return"),
            "vnp_IpAddr": customer_ip or "127.0.0.1",
            "vnp_CreateDate": vnpay_time(now),
            "vnp_ExpireDate": vnpay_time(now + timedelta(minutes=PAYMENT_MINUTES)),
        }
        url = payment_url(params, settings.VNPAY_HASH_SECRET, settings.VNPAY_PAYMENT_URL)
        return GatewayResult(
            event_type=TransactionEventType.CHARGE_ACTION_REQUIRED,
            amount=amount,
            psp_reference=params["vnp_TxnRef"],
            message=str(_("Redirect the buyer to VNPay.")),
            external_url=url,
            data={"paymentUrl": url},
        )

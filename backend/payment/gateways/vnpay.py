"""VNPay payment gateway (API 2.1.0): a signed redirect to VNPay's payment page, a return URL for
the buyer's browser and an IPN (server-to-server call) that is the only proof of payment; refunds
through VNPay's merchant API.

Signatures are HMAC-SHA512 with the merchant's hash secret over the `vnp_*` parameters sorted by
name, URL-encoded (`quote_plus`) and joined with `&`. `vnp_Amount` is the amount in VND × 100.
The merchant API (`POST` JSON to VNPAY_API_URL, `vnp_Command=refund`) signs the request's and the
answer's fields in a fixed order joined with `|` instead (REFUND_HASH_FIELDS, ANSWER_HASH_FIELDS).
"""

import hashlib
import hmac
import json
import socket
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.payment.gateways.base import GatewayError, GatewayResult, PaymentGateway
from backend.payment.models import TransactionEventType

VN_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
GATEWAY_ID = "ocop.payments.vnpay"
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


# The merchant API's signed fields, in the order they are hashed.
REFUND_HASH_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
ANSWER_HASH_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
)
# vnp_TransactionType of a refund request.
FULL_REFUND, PARTIAL_REFUND = "02", "03"
API_TIMEOUT_SECONDS = 15


def api_sign(body: dict, fields, secret: str) -> str:
    """The merchant API's checksum: HMAC-SHA512 over `fields` of `body` joined with `|`."""
    data = "|".join(str(body.get(name, "")) for name in fields)
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def minutes_to_pay() -> int:
    return settings.PAYMENT_MINUTES[GATEWAY_ID]


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


def _server_ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def _post_to_api(body: dict) -> dict:
    request = urllib.request.Request(
        settings.VNPAY_API_URL,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=API_TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read())
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise GatewayError(str(_("VNPay could not be reached; try again."))) from error
    if not isinstance(answer, dict):
        raise GatewayError(str(_("VNPay gave an answer that could not be read.")))
    return answer


class VNPayGateway(PaymentGateway):
    id = GATEWAY_ID
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
            "vnp_ExpireDate": vnpay_time(now + timedelta(minutes=minutes_to_pay())),
        }
        url = payment_url(params, settings.VNPAY_HASH_SECRET, settings.VNPAY_PAYMENT_URL)
        return GatewayResult(
            event_type=TransactionEventType.CHARGE_ACTION_REQUIRED,
            amount=amount,
            psp_reference=params["vnp_TxnRef"],
            message=str(_("Redirect the buyer to VNPay.")),
            external_url=url,
            data={"paymentUrl": url},
            # A refund names the payment by these.
            raw={key: params[key] for key in ("vnp_CreateDate", "vnp_ExpireDate")},
        )

    def refund_transaction(self, transaction, *, amount):
        """VNPay's refund API (`vnp_Command=refund`), for a payment its IPN confirmed."""
        paid = transaction.events.filter(type=TransactionEventType.CHARGE_SUCCESS).first()
        if paid is None:
            raise GatewayError(str(_("VNPay has confirmed no payment to refund.")))
        started = (
            transaction.events.filter(type=TransactionEventType.CHARGE_ACTION_REQUIRED)
            .order_by("created_at", "pk")
            .first()
        )
        paid_on = (started.raw if started else {}).get("vnp_CreateDate") or vnpay_time(
            transaction.created_at
        )
        body = {
            "vnp_RequestId": uuid.uuid4().hex,
            "vnp_Version": "2.1.0",
            "vnp_Command": "refund",
            "vnp_TmnCode": settings.VNPAY_TMN_CODE,
            "vnp_TransactionType": FULL_REFUND if amount == paid.amount else PARTIAL_REFUND,
            "vnp_TxnRef": txn_ref(transaction),
            "vnp_Amount": amount * 100,
            "vnp_TransactionNo": str(paid.raw.get("vnp_TransactionNo") or "0"),
            "vnp_TransactionDate": paid_on,
            "vnp_CreateBy": "ocop-market",
            "vnp_CreateDate": vnpay_time(timezone.now()),
            "vnp_IpAddr": _server_ip(),
            "vnp_OrderInfo": f"Hoan tien giao dich {txn_ref(transaction)[:10].upper()}",
        }
        body["vnp_SecureHash"] = api_sign(body, REFUND_HASH_FIELDS, settings.VNPAY_HASH_SECRET)
        answer = _post_to_api(body)
        code = str(answer.get("vnp_ResponseCode", ""))
        if code != "00":
            raise GatewayError(
                str(_("VNPay refused the refund (code %(code)s: %(message)s)."))
                % {"code": code or "?", "message": answer.get("vnp_Message", "")}
            )
        signature = str(answer.get("vnp_SecureHash", "")).lower()
        expected = api_sign(answer, ANSWER_HASH_FIELDS, settings.VNPAY_HASH_SECRET)
        if not hmac.compare_digest(signature.encode(), expected.encode()) or (
            str(answer.get("vnp_TxnRef")) != body["vnp_TxnRef"]
            or str(answer.get("vnp_Amount")) != str(body["vnp_Amount"])
        ):
            raise GatewayError(str(_("VNPay's answer to the refund could not be verified.")))
        return GatewayResult(
            event_type=TransactionEventType.REFUND_SUCCESS,
            amount=amount,
            psp_reference=f"refund:{answer.get('vnp_ResponseId') or body['vnp_RequestId']}",
            message=str(_("Refunded through VNPay.")),
            raw={"request": body["vnp_RequestId"], "answer": answer},
        )

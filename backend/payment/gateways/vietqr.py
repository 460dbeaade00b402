"""VietQR bank transfer (NAPAS 247): an EMVCo merchant-presented QR payload with the bank BIN,
account number, amount and a payment code in the transfer message, ending with a CRC16-CCITT.

The payment is confirmed by the signed webhook of a bank-statement reconciliation service
(payOS-style: HMAC-SHA256 over the sorted `data` fields) or by staff (orderMarkAsPaid).

For a Saleor storefront's payment component (gateway id `ocop.payments.vietqr`, channel `vn`):
`paymentGatewayInitialize` data is `{"bankBin", "accountNumber", "accountName"}`;
`transactionInitialize(id: <checkout>, paymentGateway: {id: "ocop.payments.vietqr"})` takes no
`data` and returns a CHARGE_REQUEST event and `data: {"payload": <EMVCo string to render as a QR>,
"qrSvg": <the same QR as inline SVG>, "bankBin", "accountNumber", "accountName", "amount" (VND),
"currency": "VND", "transferMessage": <"OCOP" and ten hex digits: the code the buyer's transfer
must carry>}`.
Show the QR and the details, then call `checkoutComplete`: the order is placed unpaid and becomes
paid when the bank webhook (POST /payment/vietqr/webhook/, `{"data": {"amount", "reference",
"description" containing the code, "currency"}, "signature"}`) reports the exact amount (or when
staff mark it paid). If the checkout total changes after the QR was made, start again
(checkoutComplete answers CHECKOUT_NOT_FULLY_PAID).
"""

import hashlib
import hmac
import json
import re

import segno
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backend.payment.gateways.base import GatewayResult, PaymentGateway
from backend.payment.models import TransactionEventType

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
# The code buyers' banks carry in the transfer message; bank apps may drop spaces or change case.
CODE_PATTERN = re.compile(r"OCOP[0-9A-F]{10}", re.IGNORECASE)


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo QR specifies."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def emvco_payload(*, bank_bin: str, account: str, amount: int | None, message: str) -> str:
    merchant = tlv("00", NAPAS_GUID) + tlv("01", tlv("00", bank_bin) + tlv("01", account))
    merchant += tlv("02", SERVICE_TO_ACCOUNT)
    body = tlv("00", "01") + tlv("01", "12" if amount else "11") + tlv("38", merchant)
    body += tlv("53", CURRENCY_VND)
    if amount:
        body += tlv("54", str(amount))
    body += tlv("58", "VN") + tlv("62", tlv("08", message))
    body += "6304"
    return body + f"{crc16_ccitt(body.encode('utf-8')):04X}"


def payment_code(transaction) -> str:
    return f"OCOP{transaction.pk.hex[:10].upper()}"


def find_payment_code(text: str) -> str | None:
    match = CODE_PATTERN.search(text or "")
    return match.group(0).upper() if match else None


def webhook_signature(data: dict, secret: str) -> str:
    """payOS-style signature: HMAC-SHA256 over `key=value` pairs of `data` sorted by key."""

    def as_text(value):
        if value is None:
            return ""
        if isinstance(value, dict | list):
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return str(value)

    message = "&".join(f"{key}={as_text(data[key])}" for key in sorted(data))
    return hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha256).hexdigest()


class VietQRGateway(PaymentGateway):
    id = "ocop.payments.vietqr"
    name = _("Bank transfer (VietQR)")
    currencies = ("VND",)
    paid_later = True

    def is_configured(self) -> bool:
        return bool(settings.VIETQR_BANK_BIN and settings.VIETQR_ACCOUNT_NUMBER)

    def config(self):
        return [
            ("bankBin", settings.VIETQR_BANK_BIN),
            ("accountNumber", settings.VIETQR_ACCOUNT_NUMBER),
            ("accountName", settings.VIETQR_ACCOUNT_NAME),
        ]

    def initialize_transaction(self, transaction, *, action, amount, data, customer_ip):
        code = payment_code(transaction)
        payload = emvco_payload(
            bank_bin=settings.VIETQR_BANK_BIN,
            account=settings.VIETQR_ACCOUNT_NUMBER,
            amount=amount,
            message=code,
        )
        qr = segno.make(payload, error="m")
        return GatewayResult(
            event_type=TransactionEventType.CHARGE_REQUEST,
            amount=amount,
            psp_reference=code,
            message=str(_("Waiting for the bank transfer.")),
            data={
                "payload": payload,
                "qrSvg": qr.svg_inline(scale=4),
                "bankBin": settings.VIETQR_BANK_BIN,
                "accountNumber": settings.VIETQR_ACCOUNT_NUMBER,
                "accountName": settings.VIETQR_ACCOUNT_NAME,
                "amount": amount,
                "currency": "VND",
                "transferMessage": code,
            },
        )

"""A local VNPay payment page (API 2.1.0), following VNPay's published merchant contract:

- `GET /paymentv2/vpcpay.html?vnp_...&vnp_SecureHash=...`: the merchant's signed redirect. The
  signature is HMAC-SHA512 with the merchant's hash secret over the `vnp_*` parameters sorted by
  name, URL-encoded and joined with `&`. A bad signature, an unknown merchant or malformed data
  sends the buyer to VNPay's error page (`/paymentv2/Payment/Error.html?code=70` "Sai chữ ký",
  `code=02` invalid merchant, `code=03` malformed data); a valid one shows the payment form.
- `POST /paymentv2/Transaction/pay.html` (session, outcome): the buyer pays (or cancels, or has
  insufficient funds). VNPay then calls the merchant's IPN URL (configured in the merchant
  portal) with the signed result and redirects the buyer to `vnp_ReturnUrl` with the same
  parameters. `vnp_ResponseCode` 00 = success, 24 = cancelled by the buyer, 51 = insufficient
  funds; `vnp_TransactionStatus` 00 = success, 02 = failed.
- `POST /merchant_webapi/api/transaction` (JSON, `vnp_Command=refund`): the merchant API's refund
  of a paid transaction, `vnp_TransactionType` 02 (full) or 03 (partial). The request's checksum
  is HMAC-SHA512 over its fields in VNPay's fixed order joined with `|` (REFUND_FIELDS); the JSON
  answer is signed the same way over ANSWER_FIELDS. `vnp_ResponseCode`: 00 accepted, 02 unknown
  merchant, 03 malformed data (or more than is left to refund), 91 transaction not found,
  94 already refunded / duplicate request, 95 transaction not successful at VNPay, 97 bad
  checksum.
"""

import hashlib
import hmac
import json
import secrets
import threading
import urllib.request
from datetime import datetime
from html import escape
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit
from zoneinfo import ZoneInfo

from tests.payment_servers import LocalServer

PAY_PATH = "/paymentv2/vpcpay.html"
SUBMIT_PATH = "/paymentv2/Transaction/pay.html"
ERROR_PATH = "/paymentv2/Payment/Error.html"
ERROR_MESSAGES = {
    "02": "Merchant không hợp lệ (kiểm tra lại vnp_TmnCode)",
    "03": "Dữ liệu gửi sang không đúng định dạng",
    "70": "Sai chữ ký",
}
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_OrderType",
    "vnp_Locale",
    "vnp_ReturnUrl",
    "vnp_IpAddr",
    "vnp_CreateDate",
)
OUTCOMES = {"success": ("00", "00"), "cancel": ("24", "02"), "insufficient": ("51", "02")}
API_PATH = "/merchant_webapi/api/transaction"
REFUND_FIELDS = (
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
ANSWER_FIELDS = (
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
API_MESSAGES = {
    "00": "Yeu cau thanh cong",
    "02": "Ma dinh danh ket noi khong hop le",
    "03": "Du lieu gui sang khong dung dinh dang",
    "91": "Khong tim thay giao dich yeu cau hoan tra",
    "94": "Giao dich da duoc gui yeu cau hoan tien truoc do",
    "95": "Giao dich nay khong thanh cong ben VNPAY",
    "97": "Checksum khong hop le",
}


def vnpay_hash(params: dict, secret: str) -> str:
    data = "&".join(
        f"{key}={quote_plus(str(params[key]))}"
        for key in sorted(params)
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def signed(params: dict, secret: str) -> dict:
    return {**params, "vnp_SecureHash": vnpay_hash(params, secret)}


def pipe_hash(body: dict, fields, secret: str) -> str:
    data = "|".join(str(body.get(name, "")) for name in fields)
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


class VNPayServer(LocalServer):
    def __init__(self, *, tmn_code="OCOPTEST", hash_secret="VNPAYSECRETOCOP", ipn_url=None):
        super().__init__()
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.ipn_url = ipn_url
        self.sessions: dict[str, dict] = {}
        # (vnp_TxnRef, IPN response JSON) for every IPN call made.
        self.ipn_calls: list[tuple[str, dict]] = []
        self.results: dict[str, dict] = {}
        # (request body, vnp_ResponseCode answered) for every merchant API call.
        self.api_calls: list[tuple[dict, str]] = []
        self.refunded: dict[str, int] = {}
        self._request_ids: set[str] = set()
        self._lock = threading.Lock()

    @property
    def payment_url(self) -> str:
        return self.url + PAY_PATH

    def call_ipn(self, params: dict) -> dict:
        url = f"{self.ipn_url}?{urlencode(params)}"
        with urllib.request.urlopen(url, timeout=10) as response:
            answer = json.loads(response.read())
        self.ipn_calls.append((params["vnp_TxnRef"], answer))
        return answer

    def result_params(self, request: dict, outcome: str) -> dict:
        response_code, status = OUTCOMES[outcome]
        now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y%m%d%H%M%S")
        return signed(
            {
                "vnp_Amount": request["vnp_Amount"],
                "vnp_BankCode": "NCB",
                "vnp_BankTranNo": f"VNP{secrets.randbelow(10**8):08d}",
                "vnp_CardType": "ATM",
                "vnp_OrderInfo": request["vnp_OrderInfo"],
                "vnp_PayDate": now,
                "vnp_ResponseCode": response_code,
                "vnp_TmnCode": request["vnp_TmnCode"],
                "vnp_TransactionNo": f"{secrets.randbelow(10**8):08d}",
                "vnp_TransactionStatus": status,
                "vnp_TxnRef": request["vnp_TxnRef"],
            },
            self.hash_secret,
        )

    def check_request(self, params: dict) -> str | None:
        """The error page code for a bad payment request, or None."""
        if any(not params.get(name) for name in REQUIRED) or not params.get("vnp_SecureHash"):
            return "03"
        if params["vnp_TmnCode"] != self.tmn_code:
            return "02"
        if not hmac.compare_digest(
            params["vnp_SecureHash"].lower(), vnpay_hash(params, self.hash_secret)
        ):
            return "70"
        if (
            not params["vnp_Amount"].isdigit()
            or int(params["vnp_Amount"]) % 100
            or params["vnp_CurrCode"] != "VND"
        ):
            return "03"
        return None

    def refund(self, body: dict) -> dict:
        """The merchant API's answer to a refund request (recorded in `api_calls`)."""
        code = self._refund_code(body)
        paid = self.results.get(str(body.get("vnp_TxnRef")), {})
        if code == "00":
            self.refunded[body["vnp_TxnRef"]] = self.refunded.get(body["vnp_TxnRef"], 0) + int(
                body["vnp_Amount"]
            )
        answer = {
            "vnp_ResponseId": secrets.token_hex(16),
            "vnp_Command": "refund",
            "vnp_ResponseCode": code,
            "vnp_Message": API_MESSAGES[code],
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": str(body.get("vnp_TxnRef", "")),
            "vnp_Amount": str(body.get("vnp_Amount", "")),
            "vnp_BankCode": paid.get("vnp_BankCode", ""),
            "vnp_PayDate": paid.get("vnp_PayDate", ""),
            "vnp_TransactionNo": paid.get("vnp_TransactionNo", ""),
            "vnp_TransactionType": str(body.get("vnp_TransactionType", "")),
            # 05: VNPay is processing the refund.
            "vnp_TransactionStatus": "05" if code == "00" else "",
            "vnp_OrderInfo": str(body.get("vnp_OrderInfo", "")),
        }
        answer["vnp_SecureHash"] = pipe_hash(answer, ANSWER_FIELDS, self.hash_secret)
        with self._lock:
            self.api_calls.append((body, code))
        return answer

    def _refund_code(self, body: dict) -> str:
        if any(not str(body.get(name, "")) for name in (*REFUND_FIELDS, "vnp_SecureHash")):
            return "03"
        if body["vnp_Command"] != "refund" or body["vnp_Version"] != "2.1.0":
            return "03"
        if body["vnp_TmnCode"] != self.tmn_code:
            return "02"
        expected = pipe_hash(body, REFUND_FIELDS, self.hash_secret)
        if not hmac.compare_digest(str(body["vnp_SecureHash"]).lower(), expected):
            return "97"
        with self._lock:
            if body["vnp_RequestId"] in self._request_ids:
                return "94"
            self._request_ids.add(body["vnp_RequestId"])
        paid = self.results.get(body["vnp_TxnRef"])
        if paid is None:
            return "91"
        if paid["vnp_ResponseCode"] != "00":
            return "95"
        amount = str(body["vnp_Amount"])
        left = int(paid["vnp_Amount"]) - self.refunded.get(body["vnp_TxnRef"], 0)
        if not left:
            return "94"
        kind = body["vnp_TransactionType"]
        if not amount.isdigit() or int(amount) > left or kind not in ("02", "03"):
            return "03"
        if (kind == "02") != (int(amount) == int(paid["vnp_Amount"])):
            return "03"
        return "00"

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _html(self, status, body):
                data = f"<!doctype html><html><body>{body}</body></html>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                parts = urlsplit(self.path)
                params = dict(parse_qsl(parts.query, keep_blank_values=True))
                if parts.path == ERROR_PATH:
                    code = params.get("code", "99")
                    message = ERROR_MESSAGES.get(code, "Lỗi không xác định")
                    return self._html(200, f"<h1>Lỗi {escape(code)}</h1><p>{escape(message)}</p>")
                if parts.path != PAY_PATH:
                    return self._html(404, "Not found")
                error = server.check_request(params)
                if error:
                    return self._redirect(f"{ERROR_PATH}?code={error}")
                session = secrets.token_hex(8)
                with server._lock:
                    server.sessions[session] = params
                amount = int(params["vnp_Amount"]) // 100
                return self._html(
                    200,
                    f'<form method="post" action="{SUBMIT_PATH}">'
                    f'<input type="hidden" name="session" value="{session}">'
                    f"<p>{escape(params['vnp_OrderInfo'])}: {amount:,} VND</p>"
                    '<button name="outcome" value="success">Thanh toán</button>'
                    '<button name="outcome" value="cancel">Hủy</button></form>',
                )

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if parts.path == API_PATH:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = None
                    if not isinstance(body, dict):
                        return self._json(400, {"vnp_ResponseCode": "03"})
                    return self._json(200, server.refund(body))
                form = dict(parse_qsl(raw))
                with server._lock:
                    request = server.sessions.pop(form.get("session", ""), None)
                if parts.path != SUBMIT_PATH or request is None:
                    return self._redirect(f"{ERROR_PATH}?code=03")
                result = server.result_params(request, form.get("outcome", "success"))
                server.results[request["vnp_TxnRef"]] = result
                if server.ipn_url:
                    server.call_ipn(result)
                return self._redirect(f"{request['vnp_ReturnUrl']}?{urlencode(result)}")

        return Handler

"""A local HTTP endpoint standing in for a Saleor app: it checks each delivery's
`Saleor-Signature` (hex HMAC-SHA256 of the raw body with the shared secret), records what it got,
and can be told to answer 500 to the next N deliveries to exercise retries, or to hang on the
next N (never answering, as a receiver stuck while its sender's worker dies)."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ReceivedDelivery:
    path: str
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def payload(self) -> dict:
        return json.loads(self.body)

    @property
    def event(self) -> str:
        return self.headers.get("Saleor-Event", "")


@dataclass
class WebhookReceiver:
    secret: str
    fail_next: int = 0
    hang_next: int = 0
    received: list = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/webhooks/"

    @property
    def accepted(self) -> list[ReceivedDelivery]:
        return [delivery for delivery in self.received if delivery.signature_valid]

    def start(self) -> "WebhookReceiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                expected = hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(expected, self.headers.get("Saleor-Signature", ""))
                with receiver.lock:
                    receiver.attempts += 1
                    hanging = receiver.hang_next > 0
                    if hanging:
                        receiver.hang_next -= 1
                if hanging:
                    receiver.released.wait()
                    return
                with receiver.lock:
                    failing = receiver.fail_next > 0
                    if failing:
                        receiver.fail_next -= 1
                    else:
                        receiver.received.append(
                            ReceivedDelivery(self.path, dict(self.headers), body, valid)
                        )
                if failing:
                    self._answer(500, b"temporarily unavailable")
                elif not valid:
                    self._answer(401, b"invalid signature")
                else:
                    self._answer(200, b'{"ok": true}')

            def _answer(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def wait_for(condition, seconds: float = 60) -> bool:
    """Poll `condition` until it holds (True) or `seconds` pass (False): for work a separate
    worker process does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False

"""Local HTTP servers speaking the published contracts of Stripe's PaymentIntents API and VNPay's
payment page, run in a thread on 127.0.0.1 with a free port. Our code talks to them over real
HTTP; they call our callbacks (Stripe webhooks, VNPay IPN) over real HTTP too."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """Base: `start()` binds `port` (0: a free one) and serves in a daemon thread; `url` is the
    base URL."""

    port = 0

    def __init__(self):
        self.httpd = None
        self.thread = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        """The request handler speaking the provider's API; every server defines it."""
        raise NotImplementedError

    def start(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

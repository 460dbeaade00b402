"""The shop's pages on the production server, beside the smallest Django view as the ceiling.

Run: `python bench/storefront.py` (DATABASE_URL defaults to .../ocop_bench_storefront: created,
migrated and filled with 10,000 products by `generate_catalog` when short, then ANALYZEd;
REDIS_URL defaults to Redis db 13, the cache production uses). The server is gunicorn as
docker-compose's web service runs it (`--workers 3 --threads 4`; WEB_CONCURRENCY and WEB_THREADS
change it), DEBUG off, plain HTTP as behind a TLS proxy. Its URLs are the project's plus
`/__ceiling__/`, a view returning two bytes (bench/storefront_ceiling_settings.py; production
never loads it): every request still goes through every middleware, so the ceiling is what the
server answers per second when a page costs nothing else.

For each page, CLIENTS keep-alive clients request it (rotating over a few addresses of the kind:
provinces, products, searches) for SECONDS after a warm-up; the table gives requests per second,
p50/p95 latency, the ceiling's requests per second measured just before it (the machine is
shared: a neighbour's load weighs on both alike), the share of that ceiling (target ≥ 50 %), and
the SQL queries of one request once warm (counted in this process, with the same settings and
cache; anonymous visitors' pages then come from the page cache).
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_storefront")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront_ceiling_settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))

from catalog_api import (  # noqa: E402  (DATABASE_URL must be set first)
    ensure_database,
    host_speed_line,
    host_speed_ms,
    percentile,
    prepare_catalog,
)

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
WARM_UP_SECONDS = 3
TARGET_SHARE = 0.5
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
THREADS = os.environ.get("WEB_THREADS", "4")
PROVINCES = ["ninh-binh", "ha-noi", "lam-dong", "an-giang", "dak-lak"]
SEARCHES = ["mat ong", "gao", "tra", "nuoc mam", "ruou nep"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "backend.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        WORKERS,
        "--threads",
        THREADS,
        "--chdir",
        str(ROOT),
        "--pythonpath",
        f"{ROOT},{BENCH}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(
                http.client.HTTPConnection("127.0.0.1", port, timeout=10), "/__ceiling__/"
            )
            if status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    connection.request("GET", path, headers={"Accept-Language": "vi"})
    response = connection.getresponse()
    return response.status, len(response.read())


def load(port: int, paths: list[str], seconds: float) -> tuple[list[float], int]:
    """CLIENTS threads, each on its own keep-alive connection, request `paths` in turn for
    `seconds`; returns the latencies (ms) and the number of answers that were not 200."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, index = [], 0, offset
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            status, _size = fetch(connection, paths[index % len(paths)])
            mine.append((time.perf_counter() - started) * 1000)
            failed += status != 200
            index += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def sql_queries(path: str) -> tuple[int, int]:
    """(HTTP status, SQL queries) of one request to `path`, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status = Client().get(path, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="vi").status_code
    return status, len(captured.captured_queries)


def pages() -> list[tuple[str, list[str]]]:
    from urllib.parse import urlencode

    from backend.product.models import Product

    products = list(
        Product.objects.filter(channel_listings__channel__slug="vn", variants__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("slug", flat=True)[:50:5]
    )
    return [
        ("ceiling (minimal view)", ["/__ceiling__/"]),
        ("home", ["/"]),
        ("province", [f"/tinh-thanh/{slug}/" for slug in PROVINCES]),
        (
            "filtered listing",
            [f"/san-pham/?stars=4&province={slug}&sort=price-asc" for slug in PROVINCES],
        ),
        ("search", [f"/tim-kiem/?{urlencode({'q': q})}" for q in SEARCHES]),
        ("product", [f"/san-pham/{slug}/" for slug in products]),
    ]


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    from backend.product.models import Product

    assert not settings.DEBUG, "the bench measures the production settings (DEBUG off)"
    prepare_catalog()
    port = free_port()
    server = start_server(port)
    failures = 0
    try:
        print(
            f"\nShop pages on {Product.objects.count()} products: gunicorn {WORKERS} workers × "
            f"{THREADS} threads, {CLIENTS} keep-alive clients, {SECONDS:.0f} s per page after "
            f"{WARM_UP_SECONDS} s of warm-up; cache {settings.CACHES['default']['BACKEND']}\n"
        )
        header = (
            f"{'page':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ceiling req/s':>14} "
            f"{'of ceiling':>11} {'≥ 50 %':>7} {'SQL':>5}"
        )
        print(header)
        print("-" * len(header))
        host_speed = host_speed_ms()
        (_label, ceiling_paths), *shop_pages = pages()
        for label, paths in shop_pages:
            status, _queries = sql_queries(paths[0])
            if status != 200:
                failures += 1
                print(f"{label:<24} FAILED: HTTP {status} for {paths[0]}")
                continue
            load(port, paths, WARM_UP_SECONDS)
            # The ceiling is measured right beside each page, so a load spike on this shared
            # machine weighs on both alike.
            ceiling_latencies, ceiling_errors = load(port, ceiling_paths, SECONDS)
            latencies, errors = load(port, paths, SECONDS)
            _status, queries = sql_queries(paths[0])  # as the warm server answers it
            rate, ceiling = len(latencies) / SECONDS, len(ceiling_latencies) / SECONDS
            share = rate / ceiling
            failures += bool(errors or ceiling_errors)
            print(
                f"{label:<24} {rate:>8.0f} {percentile(latencies, 0.5):>8.1f} "
                f"{percentile(latencies, 0.95):>8.1f} {ceiling:>14.0f} {share:>10.0%} "
                f"{'yes' if share >= TARGET_SHARE else 'NO':>7} {queries:>5}"
                + (f"  ({errors} answers not 200)" if errors else "")
            )
        print(host_speed_line(host_speed))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

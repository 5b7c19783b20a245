"""The REST API through the HTTP stack (bench/seed.py's complaints; 1,000,000 by default,
BENCH_API_COMPLAINTS for a smaller set): a page of 25 of the largest agency's queue and one
complaint (its case read model), as its verifier with an API token, beside a bare DRF view on
the same stack (bench/api_urls.py: token authentication, throttles, renderer, nothing else).

Latency: one gunicorn sync worker, sequential requests, medians and p95 in milliseconds of the
whole request. Queries: counted in-process (Django test client) for the same two requests.
Throughput: two gunicorn workers, 8 client threads for THROUGHPUT_SECONDS each, requests per
second of the list and of the bare view.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python -m bench.bench_api            # seeds once if needed, never drops
    make bench ONLY=api                                # through bench/run.py
"""

from __future__ import annotations

import http.client
import os
import statistics
import threading
import time

from bench.servers import free_port, gunicorn_start

WARMUP = 5
REQUESTS = 40
CLIENTS = 8
THROUGHPUT_SECONDS = 10.0


def _get(port: int, path: str, token: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def _latency(port: int, path: str, token: str) -> list[float]:
    times = []
    for i in range(WARMUP + REQUESTS):
        started = time.perf_counter()
        status, body = _get(port, path, token)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status} {body[:200]!r}")
        if i >= WARMUP:
            times.append(elapsed)
    return sorted(times)


def _throughput(port: int, path: str, token: str) -> float:
    done = [0] * CLIENTS
    failures: list[str] = []
    stop = time.monotonic() + THROUGHPUT_SECONDS

    def client(n: int) -> None:
        while time.monotonic() < stop:
            status, body = _get(port, path, token)
            if status != 200:
                failures.append(f"{status} {body[:100]!r}")
                return
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"{path}: {failures[0]}")
    return sum(done) / (time.monotonic() - started)


def _queries(path: str, token: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(path)  # the token's last use is written at most once a minute
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.content[:200]
    return len(ctx.captured_queries)


def run(ctx) -> list[tuple[str, float, str]]:
    from accounts.models import User
    from accounts.tokens import api_token_create
    from bench.seed import ensure_bench_data, vacuum_analyze

    n = int(os.environ.get("BENCH_API_COMPLAINTS", "1000000"))
    ids = ensure_bench_data(n_complaints=n)
    vacuum_analyze()
    _token, token = api_token_create(
        user=User.objects.get(email=ids["verifier_email"]), name="bench", days=1
    )
    paths = {
        "api_list_25": "/api/v1/complaints/?page_size=25",
        "api_complaint": f"/api/v1/complaints/{ids['tracking_number']}/",
        "api_bare_drf": "/bench/bare/",
    }
    results: list[tuple[str, float, str]] = [("api_scale_complaints", n, "complaints")]
    for name in ("api_list_25", "api_complaint"):
        results.append((f"{name}_queries", _queries(paths[name], token), "queries"))
    port = free_port()
    server = gunicorn_start(port, workers=1, settings="bench.api_settings")
    try:
        for name, path in paths.items():
            times = _latency(port, path, token)
            results.append((f"{name}_median", round(statistics.median(times), 1), "ms"))
            results.append((f"{name}_p95", round(times[int(len(times) * 0.95) - 1], 1), "ms"))
    finally:
        server.terminate()
        server.wait(timeout=10)
    port = free_port()
    server = gunicorn_start(port, workers=2, settings="bench.api_settings")
    try:
        for name in ("api_list_25", "api_bare_drf"):
            rps = _throughput(port, paths[name], token)
            results.append((f"{name}_8_clients_2_workers", round(rps, 1), "req/s"))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    for metric, value, unit in run(None):
        print(f"BENCH {metric} {value} {unit}")

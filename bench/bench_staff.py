"""Staff workspace through the HTTP stack with 1,000,000 complaints (bench/seed.py).

A real server process (gunicorn, one sync worker, config.settings.bench) answers N requests per
page over one keep-alive-less http.client connection each, signed in as the largest agency's
verifier (a session row written directly, as the sign-in view would). Figures are medians
(and p95) in milliseconds of the whole request: middleware, session, scope, queries, template.

Pages: the first queue page (open complaints, most urgent first); a filtered page (kind +
deadline state); a full-text search ("kosmetik bekasi": a topic and a place, prefix-matched
through the GIN index); a case page with 20 timeline events; and, for the record, a broad
one-word search ("kosmetik", 1 complaint in 12 of the synthetic set) and the role home page.

The database is vacuumed and analyzed first (bench.seed.vacuum_analyze): autovacuum's steady
state, not the dead index entries another benchmark's rolled-back writes left behind (those
made the planner misjudge the deadline filter and nearly doubled the filtered page).

Throughput (issue 19: the queue and the case page each at least 4 % of a bare Django view
measured in the same run): two gunicorn workers, 8 client threads for THROUGHPUT_SECONDS per
page, requests per second of the first queue page, the case page, a trivial view on the full
middleware stack (bench/staff_settings.py) and the same view on a bare Django without
middleware (bench/bare_settings.py); each page's share of the bare view in per cent.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_staff \\
        .venv/bin/python -m bench.bench_staff          # seeds once if needed, never drops
    make bench ONLY=staff                              # through bench/run.py
"""

from __future__ import annotations

import http.client
import os
import statistics
import threading
import time

from bench.servers import free_port, gunicorn_start

WARMUP = 5
REQUESTS = 30
CLIENTS = 8
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_STAFF_THROUGHPUT_SECONDS", "10"))


def _session_for(email: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _measure(port: int, path: str, cookie: str) -> list[float]:
    times = []
    for i in range(WARMUP + REQUESTS):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
        if i >= WARMUP:
            times.append(elapsed)
    return times


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def _throughput(port: int, path: str, cookie: str) -> float:
    """Requests per second of CLIENTS threads asking for `path` for THROUGHPUT_SECONDS."""
    for _ in range(WARMUP):
        _get(port, path, cookie)
    done = [0] * CLIENTS
    failures: list[str] = []
    stop = time.monotonic() + THROUGHPUT_SECONDS

    def client(n: int) -> None:
        while time.monotonic() < stop:
            status, body = _get(port, path, cookie)
            if status != 200:
                failures.append(f"{path}: HTTP {status} {body[:100]!r}")
                return
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(failures[0])
    return sum(done) / (time.monotonic() - started)


def throughput_ratios(ids: dict, cookie: str) -> list[tuple[str, float, str]]:
    """The queue and the case page beside a trivial view, with and without middleware."""
    pages = {
        "staff_queue_first_page": "/staf/laporan/",
        "staff_case_20_events": f"/staf/laporan/{ids['complaint_id']}/",
        "staff_trivial_view_full_stack": "/bench/trivial/",
    }
    rates: dict[str, float] = {}
    port = free_port()
    server = gunicorn_start(port, workers=2, settings="bench.staff_settings")
    try:
        for name, path in pages.items():
            rates[name] = _throughput(port, path, cookie)
    finally:
        server.terminate()
        server.wait(timeout=10)
    port = free_port()
    server = gunicorn_start(port, workers=2, settings="bench.bare_settings")
    try:
        rates["staff_bare_django_view"] = _throughput(port, "/bench/trivial/", cookie)
    finally:
        server.terminate()
        server.wait(timeout=10)
    bare = rates["staff_bare_django_view"]
    results = [(f"{name}_8_clients_2_workers", round(r, 1), "req/s") for name, r in rates.items()]
    for name in pages:
        results.append((f"{name}_share_of_bare_view", round(100 * rates[name] / bare, 2), "%"))
    return results


def run(ctx) -> list[tuple[str, float, str]]:
    from bench.seed import ensure_bench_data, vacuum_analyze

    ids = ensure_bench_data()
    vacuum_analyze()
    cookie = _session_for(ids["verifier_email"])
    pages = {
        "staff_queue_first_page": "/staf/laporan/",
        "staff_queue_filtered": "/staf/laporan/?kind=complaint&clock=overdue",
        "staff_queue_search": "/staf/laporan/?q=kosmetik+bekasi",
        "staff_case_20_events": f"/staf/laporan/{ids['complaint_id']}/",
        # A one-word topic: in this synthetic set it matches 1 complaint in 12 (83,000 rows).
        "staff_queue_search_broad": "/staf/laporan/?q=kosmetik",
        # Closed complaints (no deadline): newest first, 66,000 in the agency's scope.
        "staff_queue_closed": "/staf/laporan/?status=closed",
        # The role home: seven capped counts over the agency's scope.
        "staff_home": "/staf/",
    }
    port = free_port()
    server = gunicorn_start(port, workers=1, settings="bench.staff_settings")
    results: list[tuple[str, float, str]] = []
    try:
        for name, path in pages.items():
            times = sorted(_measure(port, path, cookie))
            results.append((f"{name}_median", round(statistics.median(times), 1), "ms"))
            results.append((f"{name}_p95", round(times[int(len(times) * 0.95) - 1], 1), "ms"))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results + throughput_ratios(ids, cookie)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    for metric, value, unit in run(None):
        print(f"BENCH {metric} {value} {unit}")

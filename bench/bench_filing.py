"""Filing a complaint through the service layer (`complaint_submit`), complaints per second.

Each filing is what the web form does after validation: one transaction that picks the SLA
policy, computes the verification deadline on the agency's working calendar, saves the
complaint with a fresh tracking number, appends the SUBMITTED event and writes the receipt
into the notification outbox. The broker publish that follows the commit is replaced by a
no-op: it is the broker's latency, not ours, and a bench run must not leave hundreds of
delivery tasks in a shared Redis.

Figures: sequential filings per second on one connection, and the p95 latency of one filing.

Then the whole citizen flow through the HTTP stack (bench/seed.py's complaints: 1,000,000 by
default, BENCH_FILING_COMPLAINTS for a smaller set), the way a browser without JavaScript
drives it: the home page, every question page (GET, then POST and its redirect), the agency
search, the similar-reports step when it applies, the check page and the receipt, as a new
visitor each time (own session and CSRF cookie). Server (bench/filing_settings.py: the bench
settings with the per-client rate limits raised, since every citizen comes from 127.0.0.1):

- `filing_flow_server_ms_per_complaint`: one citizen at a time against one gunicorn worker,
  the sum of the flow's request times (loopback, so server time plus a fraction of a ms each);
- `filing_flow_complaints_per_second`: 8 concurrent citizens against 2 gunicorn workers for
  FLOW_SECONDS, complete flows (receipt shown) per second.

Goal (issue 19): at most 150 ms of server time per complaint, at least 20 complaints/s.
The receipts' notifications go to the bench broker (BENCH_CELERY_BROKER_URL), which is purged
afterwards.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import sys
import threading
import time
from html import unescape
from unittest import mock
from urllib.parse import urlencode, urlsplit

from bench.servers import free_port, gunicorn_start, gunicorn_stop

WARMUP = 20
FILINGS = 400
FLOW_WARMUP = 3
FLOWS = 20
CITIZENS = 8
FLOW_SECONDS = 30.0


def _setup():
    from complaints.models import Agency, Category, SlaPolicy

    agency, _ = Agency.objects.get_or_create(
        slug="bench-filing",
        defaults={
            "name": "Instansi Bench Filing",
            "short_name": "IBF",
            "time_zone": "Asia/Makassar",
        },
    )
    unit_created = not agency.children.exists()
    if unit_created:
        Agency.objects.create(
            name="Unit Bench Filing", slug="bench-filing-unit", parent=agency, kind="unit"
        )
    category, _ = Category.objects.get_or_create(
        agency=agency, slug="obat", defaults={"name": "Obat", "default_tier": "standard"}
    )
    if not SlaPolicy.objects.filter(agency__isnull=True, category__isnull=True).exists():
        SlaPolicy.objects.create(name="Kebijakan nasional")
    return agency, category


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_FORM = re.compile(r'<form id="page-form"(.*?)</form>', re.S)
_FIRST_FORM = re.compile(r'<main.*?<form method="post"(.*?)</form>', re.S)


class Citizen:
    """One browser without JavaScript: its own cookies, following each form's redirect."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.requests = 0
        self.seconds = 0.0
        self.steps: dict[str, float] = {}

    def send(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        elapsed = time.perf_counter() - started
        self.seconds += elapsed
        step = f"{method} {urlsplit(path).path}"
        self.steps[step] = self.steps.get(step, 0.0) + elapsed
        self.requests += 1
        conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        location = response.getheader("Location") or ""
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {text[:300]!r}")
        return response.status, urlsplit(location).path if location else "", text

    def get(self, path: str) -> str:
        status, location, text = self.send("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status} to {location}")
        return text

    def post(self, path: str, page: str, answers: dict[str, str]) -> str:
        """Send the page's form (its hidden fields and these answers); the next page's path."""
        form = _FORM.search(page) or _FIRST_FORM.search(page)
        if form is None:
            raise RuntimeError(f"{path}: no page form")
        data = {name: unescape(value) for name, value in _HIDDEN.findall(form.group(1))}
        status, location, text = self.send("POST", path, urlencode({**data, **answers}))
        if status != 302:
            errors = re.findall(r'class="error-message"[^>]*>(.*?)</', text, re.S)
            raise RuntimeError(f"POST {path}: HTTP {status} {errors[:3]}")
        return location


def _flow(citizen: Citizen, *, agency_query: str, n: int) -> None:
    """File one complaint from the home page to the receipt."""
    citizen.get("/")
    _status, path, _ = citizen.send("GET", "/lapor/")
    answers_by_step = {
        "/lapor/jenis/": {"kind": "complaint"},
        "/lapor/cerita/": {
            "title": f"Kosmetik tanpa izin edar dijual di pasar Bekasi ({n})",
            "body": "Saya menemukan kosmetik tanpa nomor izin edar dijual di pasar. Penjual "
            "tidak bisa menunjukkan asal barang dan kemasan tidak mencantumkan tanggal.",
            "website": "",
        },
        "/lapor/waktu-tempat/": {"location": "Pasar Baru, Bekasi"},
        "/lapor/laporan-serupa/": {"action": "new"},
        "/lapor/lampiran/": {"action": "continue"},
        "/lapor/kerahasiaan/": {},
        "/lapor/kontak/": {
            "name": "Budi Santoso",
            "email": f"pelapor{n}@contoh.id",
            "phone": "081234567890",
        },
        "/lapor/periksa/": {"consent": "on", "website": ""},
    }
    for _step in range(20):
        if path == "/lapor/terkirim/":
            citizen.get(path)
            return
        if path == "/lapor/instansi/":
            page = citizen.get(f"{path}?{urlencode({'q': agency_query})}")
            agency = re.search(r'name="agency" value="(\d+)"', page)
            if agency is None:
                raise RuntimeError(f"agency search {agency_query!r} found nothing")
            path = citizen.post(
                f"{path}?{urlencode({'q': agency_query})}", page, {"agency": agency.group(1)}
            )
            continue
        page = citizen.get(path)
        if path == "/lapor/kategori/":
            answers = {"category": re.search(r'name="category" value="([^"]+)"', page).group(1)}
        else:
            answers = answers_by_step[path]
        path = citizen.post(path, page, answers)
    raise RuntimeError(f"the flow did not reach the receipt (stopped at {path})")


def _flow_sequential(port: int, agency_query: str) -> tuple[list[float], int]:
    per_flow, requests = [], 0
    steps: dict[str, list[float]] = {}
    for i in range(FLOW_WARMUP + FLOWS):
        citizen = Citizen(port)
        _flow(citizen, agency_query=agency_query, n=i)
        if i >= FLOW_WARMUP:
            per_flow.append(citizen.seconds * 1000)
            requests = citizen.requests
            for step, seconds in citizen.steps.items():
                steps.setdefault(step, []).append(seconds * 1000)
    # Where the time goes (stdout only): the median of each request of the flow.
    for step, times in sorted(steps.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"  {statistics.median(times):7.1f} ms  {step}", flush=True)
    return sorted(per_flow), requests


def _flow_concurrent(port: int, agency_query: str) -> tuple[float, float]:
    done = [0] * CITIZENS
    flow_ms: list[float] = []
    failures: list[str] = []
    stop = time.monotonic() + FLOW_SECONDS

    def citizen_loop(k: int) -> None:
        while time.monotonic() < stop:
            citizen = Citizen(port)
            try:
                _flow(citizen, agency_query=agency_query, n=10_000 * (k + 1) + done[k])
            except Exception as exc:
                failures.append(str(exc))
                return
            done[k] += 1
            flow_ms.append(citizen.seconds * 1000)

    threads = [threading.Thread(target=citizen_loop, args=(k,)) for k in range(CITIZENS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(failures[0])
    return sum(done) / (time.monotonic() - started), statistics.median(flow_ms)


def _purge_broker() -> None:
    from config.celery import app

    app.control.purge()


def run_flow() -> list[tuple[str, float, str]]:
    from bench.seed import ensure_bench_data, vacuum_analyze
    from complaints.models import Agency

    n = int(os.environ.get("BENCH_FILING_COMPLAINTS", "1000000"))
    ids = ensure_bench_data(n_complaints=n)
    vacuum_analyze()
    agency = Agency.objects.get(pk=ids["agency_id"])
    # Words of the agency's name in another order, as a citizen types them.
    agency_query = " ".join(reversed(agency.name.split()[-2:]))
    results: list[tuple[str, float, str]] = [("filing_flow_scale_complaints", n, "complaints")]
    try:
        port = free_port()
        server = gunicorn_start(port, workers=1, settings="bench.filing_settings")
        try:
            per_flow, requests = _flow_sequential(port, agency_query)
        finally:
            gunicorn_stop(server)
        results += [
            ("filing_flow_requests_per_complaint", requests, "requests"),
            ("filing_flow_server_ms_per_complaint", round(statistics.median(per_flow), 1), "ms"),
            (
                "filing_flow_server_ms_per_complaint_p95",
                round(per_flow[int(len(per_flow) * 0.95) - 1], 1),
                "ms",
            ),
        ]
        port = free_port()
        server = gunicorn_start(port, workers=2, settings="bench.filing_settings")
        try:
            rate, median_ms = _flow_concurrent(port, agency_query)
        finally:
            gunicorn_stop(server)
        results += [
            (
                "filing_flow_complaints_per_second_8_citizens_2_workers",
                round(rate, 2),
                "complaints/s",
            ),
            ("filing_flow_8_citizens_median_flow", round(median_ms, 1), "ms"),
        ]
    finally:
        _purge_broker()
    return results


def run(ctx) -> list[tuple[str, float, str]]:
    from complaints.models import Complaint, Kind
    from complaints.services import complaint_submit

    agency, category = _setup()

    def file_one(i: int) -> None:
        complaint_submit(
            actor=None,
            kind=Kind.COMPLAINT,
            title=f"Obat tanpa izin edar dijual daring ({i})",
            body="Saya menemukan obat tanpa nomor izin edar dijual di lokapasar. "
            "Penjual mengaku produk impor dan tidak mencantumkan tanggal kedaluwarsa.",
            agency=agency,
            category=category,
            location_text="Makassar",
            reporter_name="Budi Santoso",
            reporter_email=f"pelapor{i}@contoh.id",
            reporter_phone="081234567890",
        )

    before = Complaint.objects.count()
    with mock.patch("complaints.outbox.dispatch.enqueue"):
        for i in range(WARMUP):
            file_one(i)
        latencies = []
        started = time.perf_counter()
        for i in range(FILINGS):
            t0 = time.perf_counter()
            file_one(WARMUP + i)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    filed = Complaint.objects.count() - before
    if filed != WARMUP + FILINGS:
        raise RuntimeError(f"expected {WARMUP + FILINGS} complaints, found {filed}")
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return [
        ("filing_complaints_per_second", FILINGS / elapsed, "complaints/s"),
        ("filing_p95_latency", p95 * 1000, "ms"),
        *run_flow(),
    ]


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    for metric, value, unit in run_flow() if "--flow" in sys.argv else run(None):
        print(f"BENCH {metric} {value} {unit}")

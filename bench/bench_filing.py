"""Filing a complaint through the service layer (`complaint_submit`), complaints per second.

Each filing is what the web form does after validation: one transaction that picks the SLA
policy, computes the verification deadline on the agency's working calendar, saves the
complaint with a fresh tracking number, appends the SUBMITTED event and writes the receipt
into the notification outbox. The broker publish that follows the commit is replaced by a
no-op: it is the broker's latency, not ours, and a bench run must not leave hundreds of
delivery tasks in a shared Redis.

Figures: sequential filings per second on one connection, and the p95 latency of one filing.
"""

from __future__ import annotations

import statistics
import time
from unittest import mock

WARMUP = 20
FILINGS = 400


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
    ]

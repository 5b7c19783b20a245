"""Reporting over the bench data set (bench/seed.py: 1,000,000 complaints, 100 agencies):
`reporting_rebuild` (every fact from the events, one statement), the staff dashboard of the
national admin over a whole year, the public statistics page, the focal scorecard (which reads
the facts), and the open-data export of the anonymised records streamed end to end (rows/s and
the process's peak RSS).

Budgets (issue 16): every dashboard under 150 ms median for a national coordinator over a year;
the public statistics page under 50 ms; an export of 1,000,000 rows at constant memory;
`reporting_rebuild` reported in seconds.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python -m bench.bench_reporting      # uses the seeded data, never drops it
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time

WARMUP = 2
REQUESTS = 15


def _timed(client, url: str, n: int = REQUESTS) -> list[float]:
    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return samples


def run(ctx) -> list[tuple[str, float, str]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.seed import ensure_bench_data
    from reporting.facts import facts_rebuild
    from reporting.models import ComplaintFact

    # BENCH_COMPLAINTS seeds a smaller data set when a million is too slow for the machine
    # (the figures then say which scale they are for).
    n_complaints = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
    ids = ensure_bench_data(n_complaints=n_complaints)
    results: list[tuple[str, float, str]] = [("reporting_scale_complaints", n_complaints, "rows")]

    if os.environ.get("BENCH_REPORTING_REBUILD") or not ComplaintFact.objects.exists():
        started = time.perf_counter()
        n = facts_rebuild()
        results.append(("reporting_rebuild", time.perf_counter() - started, "s"))
        results.append(("reporting_rebuild_rows", n, "rows"))
    # autovacuum's steady state, whatever ran before (a rebuild, the beat's refreshes)
    with connection.cursor() as cur:
        for table in (
            "reporting_complaintfact",
            "reporting_dailyrollup",
            "reporting_monthlyfigure",
            "reporting_agencymonthlyfigure",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    # The focal scorecard's "overdue now" column reads the board snapshot that beat refreshes
    # every minute (focal_points.board_refresh); measured as it runs, with that snapshot.
    from focal_points.services import board_snapshot_refresh

    board_snapshot_refresh()

    admin = User.objects.get(email=ids["admin_email"])
    coordinator = User.objects.get(email=ids["coordinator_email"])
    pages = [
        ("reporting_dashboard_admin_year", admin, "/laporan-statistik/?period=this_year"),
        ("reporting_dashboard_admin_12m", admin, "/laporan-statistik/?period=12m"),
        (
            "reporting_dashboard_admin_agency_year",
            admin,
            f"/laporan-statistik/?period=this_year&agency={ids['agency_id']}",
        ),
        ("reporting_public_statistics_year", None, "/statistik/?period=this_year"),
        ("reporting_focal_scorecard_year", coordinator, "/focal/kinerja/?period=this_year"),
    ]
    for name, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        cache.clear()
        samples = _timed(client, url)
        results.append((f"{name}_median", statistics.median(samples), "ms"))

    # The anonymised records, streamed through the whole stack.
    client = Client()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get("/statistik/data/unduh/laporan.csv")
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results.append(("reporting_open_records_rows", rows, "rows"))
    results.append(("reporting_open_records_rows_per_s", rows / elapsed, "rows/s"))
    results.append(("reporting_open_records_peak_rss", after / 1024, "MB"))
    results.append(("reporting_open_records_rss_growth", (after - before) / 1024, "MB"))
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aduan_bench")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    for metric, value, unit in run(None):
        print(
            f"BENCH {metric} {value:.1f} {unit}"
            if unit != "rows"
            else f"BENCH {metric} {value} rows"
        )
    sys.exit(0)

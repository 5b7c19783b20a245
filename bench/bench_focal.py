"""The focal board and the scorecard of a coordinating focal point over 1,000,000 complaints
and 100 agencies, measured through the whole HTTP stack (Django's test Client: URL routing,
every middleware, session auth, the view, template rendering).

Budget (issue 6): each page answers in under 150 ms median.

The scorecard reads reporting's facts and monthly figures (built here by `reporting_rebuild`
when the database has none, reporting how long that took); the board and the scorecard's
"overdue now" read the board snapshot written every minute by `focal_points.board_refresh`,
whose refresh is timed once.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python -m bench.bench_focal        # uses the seeded data, never drops it
"""

from __future__ import annotations

import os
import statistics
import sys
import time

WARMUP = 3
REQUESTS = 25


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


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def run(ctx) -> list[tuple[str, float, str]]:
    from django.test import Client

    from accounts.models import User
    from bench.seed import ensure_bench_data
    from focal_points.services import board_snapshot_refresh
    from reporting.facts import facts_rebuild
    from reporting.models import ComplaintFact

    ids = ensure_bench_data()
    results: list[tuple[str, float, str]] = []

    if not ComplaintFact.objects.exists():
        started = time.perf_counter()
        n = facts_rebuild()
        results.append(("focal_reporting_rebuild", time.perf_counter() - started, "s"))
        results.append(("focal_reporting_rebuild_rows", n, "rows"))
    # What the every-minute task costs, and what the pages read.
    started = time.perf_counter()
    board_snapshot_refresh()
    results.append(("focal_board_refresh", time.perf_counter() - started, "s"))

    coordinator = User.objects.get(email=ids["coordinator_email"])
    focal = User.objects.get(email=ids["focal_point_email"])
    pages = [
        ("focal_board_coordinator", coordinator, "/focal/"),
        ("focal_scorecard_coordinator", coordinator, "/focal/kinerja/"),
        ("focal_scorecard_coordinator_year", coordinator, "/focal/kinerja/?period=this_year"),
        ("focal_board_overdue_coordinator", coordinator, "/focal/?clock=overdue"),
        ("focal_board_agency_focal", focal, "/focal/"),
        ("focal_scorecard_agency_focal", focal, "/focal/kinerja/"),
    ]
    for name, user, url in pages:
        client = Client()
        client.force_login(user)
        samples = _timed(client, url)
        results.append((f"{name}_median", statistics.median(samples), "ms"))
        results.append((f"{name}_p95", _p95(samples), "ms"))
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

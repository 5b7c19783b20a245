"""GET /health/: database, broker and the last successful sweep, as JSON; 200 or 503.

Read-only and unauthenticated (no personal data), so load balancers and uptime checks can call
it. It fails (503) when the database or the broker cannot be reached, or when the SLA sweep has
not succeeded recently: deadlines are not being enforced, which is an outage for this service.
`?scope=web` leaves the sweep out (the web container's own health check).

A calendar missing the cuti bersama of the current year (or, from October, the next) is a
warning, not a failure: deadlines are still enforced, only counted on too few days off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from complaints.jobs.plan import SLA_SWEEP
from complaints.models import SweepRun
from complaints.policy import years_without_cuti_bersama_now

# Three missed 5-minute ticks.
SWEEP_MAX_AGE = dt.timedelta(seconds=getattr(settings, "ADUAN_HEALTH_SWEEP_MAX_AGE", 900))


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_broker() -> dict[str, Any]:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            if hasattr(conn.default_channel, "client"):
                conn.default_channel.client.ping()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_sweep(*, now: dt.datetime, database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"ok": False, "last_success_at": None}
    run = SweepRun.objects.filter(name=SLA_SWEEP).first()
    last = run.last_success_at if run else None
    age = (now - last).total_seconds() if last else None
    return {
        "ok": last is not None and now - last <= SWEEP_MAX_AGE,
        "last_success_at": last.isoformat() if last else None,
        "age_seconds": round(age) if age is not None else None,
    }


def check_calendar(*, database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"ok": True, "warning": None}
    missing = years_without_cuti_bersama_now()
    warning = (
        "no cuti bersama for " + ", ".join(str(y) for y in missing) + ": add the SKB's dates"
        if missing
        else None
    )
    return {"ok": True, "warning": warning, "years_missing": missing}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    database = check_database()
    checks = {"database": database, "broker": check_broker()}
    # `?scope=web` is the container's own liveness: a web process is healthy while it reaches
    # the database and the broker, even before beat's first sweep has run.
    if request.GET.get("scope") != "web":
        checks["sla_sweep"] = check_sweep(now=now, database_ok=database["ok"])
        checks["calendar"] = check_calendar(database_ok=database["ok"])
    ok = all(check["ok"] for check in checks.values())
    warnings = [c["warning"] for c in checks.values() if c.get("warning")]
    body = {"status": "ok" if ok else "fail", "time": now.isoformat(), "checks": checks}
    if warnings:
        body["warnings"] = warnings
    return JsonResponse(body, status=200 if ok else 503)

"""Thin Celery interfaces of reporting."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.facts_refresh", acks_late=True, soft_time_limit=600, time_limit=660)
def facts_refresh_task() -> int:
    """The facts of the complaints with new events and of the running clocks due for a
    re-check (beat, after the clock sweep)."""
    from reporting.facts import facts_refresh_due

    return facts_refresh_due()


@shared_task(
    name="reporting.export_build",
    acks_late=True,
    soft_time_limit=3600,
    time_limit=3660,
    ignore_result=True,
)
def export_build_task(job_id: int) -> None:
    """Build one staff export (reporting.exports)."""
    from reporting.exports import export_job_build

    export_job_build(job_id=job_id)


@shared_task(
    name="reporting.monthly_reports",
    acks_late=True,
    soft_time_limit=3600,
    time_limit=3660,
    ignore_result=True,
)
def monthly_reports_task() -> int:
    """The monthly reports, on the first working day of the month (beat runs it daily)."""
    from reporting.monthly import monthly_reports_due

    return monthly_reports_due()

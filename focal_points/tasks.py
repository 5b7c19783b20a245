"""Celery tasks for focal-point oversight: interfaces only (ids in, one service call). The
beat schedule lives in config/settings/base.py (CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(name="focal_points.corrective_action_sweep", ignore_result=True)
def corrective_action_sweep_task() -> dict[str, int]:
    """Reminders before the due date and overdue escalation of corrective actions."""
    from focal_points.services.corrective_actions import corrective_action_sweep

    return corrective_action_sweep()


# Named before the daily digest moved here from complaints: task names never change.
@shared_task(
    bind=True,
    name="complaints.focal_digest",
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=60,
    soft_time_limit=540,
    time_limit=600,
)
def daily_digest_task(self) -> None:
    """The daily overdue summary for every focal point (once per day, working days only)."""
    from focal_points.services.digests import daily_digest_send

    daily_digest_send()


@shared_task(name="focal_points.weekly_digest", ignore_result=True)
def weekly_digest_task() -> int:
    """Fan out one digest task per focal point."""
    from focal_points.services.digests import focal_digest_recipients

    user_ids = focal_digest_recipients()
    for user_id in user_ids:
        # Expires within the day: a digest delivered a week late is noise, and the next run
        # covers the next week anyway.
        focal_digest_send_task.apply_async(args=[user_id], expires=6 * 3600)
    return len(user_ids)


@shared_task(name="focal_points.digest_send", ignore_result=True)
def focal_digest_send_task(user_id: int) -> bool:
    from focal_points.services.digests import focal_digest_send

    return focal_digest_send(user_id=user_id)


@shared_task(name="focal_points.board_refresh", ignore_result=True)
def board_refresh_task() -> int:
    """Recount the board snapshot (open complaints by agency, unit and clock state)."""
    from focal_points.services.rollups import board_snapshot_refresh

    return board_snapshot_refresh()

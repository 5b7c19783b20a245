"""The outbox sweep: hand over every message that a lost task left behind."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from complaints.jobs import portable as p
from complaints.jobs.plan import (
    OUTBOX_BATCH_SIZE,
    OUTBOX_MAX_ATTEMPTS,
    OUTBOX_MIN_AGE,
    OUTBOX_SWEEP,
    sweep_mark,
)
from complaints.models import (
    Notification,
)
from complaints.outbox import dispatch
from complaints.outbox.delivery import OUTBOX_LEASE
from complaints.outbox.dispatch import TASK_NOTIFICATION_DELIVER


def outbox_sweep(
    *,
    now: dt.datetime | None = None,
    min_age: dt.timedelta = OUTBOX_MIN_AGE,
    lease: dt.timedelta = OUTBOX_LEASE,
    batch_size: int = OUTBOX_BATCH_SIZE,
) -> list[int]:
    """Queue the outbox rows a lost message left behind: pending rows older than `min_age`
    that nobody queued (or whose lease expired), deferred rows whose time has come, and rows
    stuck in SENDING past their lease (the worker died). Leases them, then queues them after
    commit. Returns the ids; a full batch means the caller should run again."""
    if connection.vendor != "postgresql":  # SQLite (make run): jobs.portable
        return p.outbox_sweep(now=now, min_age=min_age, lease=lease, batch_size=batch_size)
    now = now or timezone.now()
    sweep_mark(name=OUTBOX_SWEEP, started_at=now)
    with transaction.atomic():
        expired = now - lease
        Notification.objects.filter(
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
            attempts__gte=OUTBOX_MAX_ATTEMPTS,
        ).update(state=Notification.State.FAILED, last_error="too many attempts")
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE complaints_notification n
                SET state = 'pending', leased_at = %(now)s
                WHERE n.id IN (
                    SELECT id FROM complaints_notification
                    WHERE (
                        state = 'pending'
                        AND (not_before IS NULL OR not_before <= %(now)s)
                        AND (
                            (leased_at IS NULL AND created_at <= %(fresh_before)s)
                            OR (leased_at IS NULL AND not_before IS NOT NULL)
                            OR leased_at <= %(expired)s
                        )
                    ) OR (state = 'sending' AND leased_at <= %(expired)s)
                    ORDER BY COALESCE(not_before, created_at), id
                    LIMIT %(limit)s
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING n.id
                """,
                {
                    "now": now,
                    "fresh_before": now - min_age,
                    "expired": expired,
                    "limit": batch_size,
                },
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        if ids:
            transaction.on_commit(lambda: dispatch.enqueue_each(TASK_NOTIFICATION_DELIVER, ids))
    sweep_mark(name=OUTBOX_SWEEP, success_at=now)
    return ids

"""The focal-point digest."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from complaints.clock import WorkingCalendar
from complaints.jobs.plan import DIGEST_ITEMS, DIGEST_SWEEP, sweep_mark
from complaints.models import (
    Complaint,
    Membership,
    Role,
)
from complaints.outbox.queue import notification_queue
from complaints.policy import ESCALATED_CLOCKS, ESCALATED_STATUSES


def focal_digest_send(*, now: dt.datetime | None = None) -> list[int]:
    """One message per focal point (agency and coordinating) listing what is overdue in their
    scope, at most once per day (the cause key is the date). Skipped on non-working days.
    Returns the ids of the messages written. One query per focal point, never per
    complaint."""

    now = now or timezone.now()
    calendar = WorkingCalendar.for_agency(None)
    if not calendar.is_working_day(calendar.local_date(now)):
        return []
    sweep_mark(name=DIGEST_SWEEP, started_at=now)
    scopes: dict[int, list[str]] = {}
    users: dict[int, User] = {}
    memberships = (
        Membership.objects.filter(
            role__in=[Role.FOCAL_POINT, Role.COORDINATOR], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "agency")
        .order_by("user_id", "agency__path")
    )
    for m in memberships:
        users[m.user_id] = m.user
        scopes.setdefault(m.user_id, []).append(m.agency.path)
    day = calendar.local_date(now)
    written: list[int] = []
    for user_id, paths in scopes.items():
        in_scope = Q()
        for path in paths:
            in_scope |= Q(scope_path__startswith=path)
        overdue = Complaint.objects.filter(
            in_scope,
            status__in=ESCALATED_STATUSES,
            current_clock__in=ESCALATED_CLOCKS,
            current_due_at__lt=now,
        )
        rows = list(
            overdue.select_related("agency", "unit").order_by("current_due_at", "pk")[
                : DIGEST_ITEMS + 1
            ]
        )
        if not rows:
            continue
        total = overdue.count() if len(rows) > DIGEST_ITEMS else len(rows)
        notification = notification_queue(
            kind="digest",
            cause_key=f"digest:{day.isoformat()}",
            recipient=users[user_id].email,
            recipient_user=users[user_id],
            context={"items": rows[:DIGEST_ITEMS], "total": total, "day": day},
        )
        if notification is not None:
            written.append(notification.pk)
    sweep_mark(name=DIGEST_SWEEP, success_at=now)
    return written

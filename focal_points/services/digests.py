"""The focal points' digests: the daily summary of what is overdue in their scope, and the
weekly one with their scorecard and oldest overdue complaints."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from complaints.access import memberships_prime
from complaints.clock import WorkingCalendar
from complaints.jobs.plan import sweep_mark
from complaints.models import Membership
from complaints.outbox.queue import notification_queue
from complaints.policy import ESCALATED_CLOCKS, ESCALATED_STATUSES
from complaints.selectors.scope import complaint_list_for_actor
from focal_points.services.core import FOCAL_ROLES
from focal_points.vocabulary import OversightMessage


def focal_digest_recipients() -> list[int]:
    """Every active user holding a focal-point or coordinator membership."""
    return list(
        User.objects.filter(is_active=True, memberships__role__in=list(FOCAL_ROLES))
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def focal_digest_send(*, user_id: int, now: dt.datetime | None = None) -> bool:
    """Queue this week's digest for one focal point: the scorecard of their agencies over the
    last 7 days and the ten oldest overdue complaints. Idempotent per ISO week (the outbox is
    unique per recipient and cause)."""
    from focal_points.scorecards import Period, scorecard
    from focal_points.selectors import board_overdue_oldest, focal_scope_for

    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    scope = focal_scope_for(actor=user)
    if scope.is_empty:
        return False
    local_today = timezone.localdate(now)
    period = Period.resolve("this_month", today=local_today)
    card = scorecard(scope=scope, period=period, now=now)
    overdue = board_overdue_oldest(scope=scope, now=now, limit=10)
    year, week, _weekday = local_today.isocalendar()
    return bool(
        notification_queue(
            kind="focal_digest",
            cause_key=f"focal_digest:{user.pk}:{year}-W{week:02d}",
            recipient=user.email,
            recipient_user=user,
            context={
                "user": user,
                "card": card,
                "overdue": overdue,
                "period": period,
                "week_start": local_today - dt.timedelta(days=7),
                "week_end": local_today - dt.timedelta(days=1),
            },
        )
    )


DIGEST_SWEEP = "digest"  # its SweepRun
DIGEST_ITEMS = 10


def daily_digest_send(*, now: dt.datetime | None = None) -> list[int]:
    """One message per focal point (agency and coordinating) listing what is overdue in the
    agencies they oversee, at most once per day (the cause key is the date). Skipped on
    non-working days. Returns the ids of the messages written. The complaints are read as
    each focal point (the scope selector, identities masked as on their pages), with every
    focal point's memberships loaded in one query: one query per focal point, never per
    complaint."""
    now = now or timezone.now()
    calendar = WorkingCalendar.for_agency(None)
    if not calendar.is_working_day(calendar.local_date(now)):
        return []
    sweep_mark(name=DIGEST_SWEEP, started_at=now)
    focal = Membership.objects.filter(role__in=list(FOCAL_ROLES), user__is_active=True).exclude(
        user__email=""
    )
    memberships = (
        Membership.objects.filter(user_id__in=focal.values("user_id"))
        .select_related("user", "agency")
        .order_by("user_id", "agency__path")
    )
    users: dict[int, User] = {}
    held: dict[int, list[Membership]] = {}
    for m in memberships:
        users.setdefault(m.user_id, m.user)
        held.setdefault(m.user_id, []).append(m)
    day = calendar.local_date(now)
    written: list[int] = []
    for user_id, user in users.items():
        memberships_prime(user, held[user_id])
        overseen = Q(pk__in=[])
        for m in held[user_id]:
            if m.role in FOCAL_ROLES:
                overseen |= Q(scope_path__startswith=m.agency.path)
        overdue = complaint_list_for_actor(actor=user, include_history=False).filter(
            overseen,
            status__in=ESCALATED_STATUSES,
            current_clock__in=ESCALATED_CLOCKS,
            current_due_at__lt=now,
        )
        rows = list(overdue.order_by("current_due_at", "pk")[: DIGEST_ITEMS + 1])
        if not rows:
            continue
        total = overdue.count() if len(rows) > DIGEST_ITEMS else len(rows)
        notification = notification_queue(
            kind=OversightMessage.DIGEST,
            cause_key=f"digest:{day.isoformat()}",
            recipient=user.email,
            recipient_user=user,
            context={"items": rows[:DIGEST_ITEMS], "total": total, "day": day},
        )
        if notification is not None:
            written.append(notification.pk)
    sweep_mark(name=DIGEST_SWEEP, success_at=now)
    return written

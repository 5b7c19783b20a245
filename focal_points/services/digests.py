"""The weekly digest: each focal point's scorecard and oldest overdue complaints."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from complaints.outbox.queue import notification_queue
from focal_points.services.core import FOCAL_ROLES


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

"""Follow-ups: reminders, automatic close and archive, rating requests."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from complaints.access import users_with_role_over
from complaints.jobs import portable as p
from complaints.jobs.plan import (
    FOLLOWUP_BATCH_SIZE,
    FOLLOWUP_SWEEP,
    OUTBOX_MIN_AGE,
    followups_due,
    sweep_mark,
)
from complaints.models import (
    ComplaintEvent,
    EventType,
    FollowUp,
    Response,
    Role,
    Status,
)
from complaints.outbox import dispatch
from complaints.outbox.dispatch import TASK_FOLLOWUP_SEND
from complaints.outbox.links import tracking_link
from complaints.outbox.queue import notification_queue
from complaints.services.core import lock_complaint
from complaints.services.followups import complaint_archive_silent, complaint_close


def followups_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Write the FollowUp rows due now (unique per complaint, kind and day, so a rerun adds
    nothing) and hand new and stale pending ones to `followup_send_task` after commit.
    Returns the ids handed over."""
    if connection.vendor != "postgresql":  # SQLite (make run): jobs.portable
        return p.followups_sweep(now=now)
    now = now or timezone.now()
    sweep_mark(name=FOLLOWUP_SWEEP, started_at=now)
    due = followups_due(now=now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO complaints_followup (complaint_id, kind, due_on, state, created_at)
                SELECT complaint_id, kind, due_on, 'pending', %(now)s
                FROM unnest(%(ids)s::bigint[], %(kinds)s::text[], %(days)s::date[])
                    AS d(complaint_id, kind, due_on)
                ORDER BY due_on, complaint_id
                ON CONFLICT ON CONSTRAINT followup_unique_kind_due DO NOTHING
                RETURNING id
                """,
                {
                    "now": now,
                    "ids": [d.complaint_id for d in due],
                    "kinds": [str(d.kind) for d in due],
                    "days": [d.due_on for d in due],
                },
            )
            new_ids = [row[0] for row in cursor.fetchall()]
        # And pending ones whose message a lost task left behind.
        stale = (
            FollowUp.objects.filter(
                state=FollowUp.State.PENDING, created_at__lte=now - OUTBOX_MIN_AGE
            )
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)[:FOLLOWUP_BATCH_SIZE]
        )
        ids = sorted(new_ids + list(stale))
        if ids:
            transaction.on_commit(lambda: dispatch.enqueue_each(TASK_FOLLOWUP_SEND, ids))
    sweep_mark(name=FOLLOWUP_SWEEP, success_at=now)
    return ids


def followup_send(*, followup_id: int, now: dt.datetime | None = None) -> FollowUp | None:
    """Carry out one follow-up. The PENDING -> SENDING update is the guard: a redelivered or
    duplicated task finds nothing to claim and returns None. The reminder message, the
    automatic close or archive and the SENT mark commit together."""

    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUp.objects.filter(pk=followup_id, state=FollowUp.State.PENDING).update(
            state=FollowUp.State.SENDING
        )
        if not claimed:
            return None
        followup = FollowUp.objects.get(pk=followup_id)
        complaint = lock_complaint(followup.complaint_id)
        kind = followup.kind
        done = True
        if kind == FollowUp.Kind.INFO_ARCHIVE:
            done = complaint_archive_silent(complaint_id=complaint.pk, now=now) is not None
        elif kind == FollowUp.Kind.AUTO_CLOSE:
            done = complaint_close(complaint_id=complaint.pk, reason="auto", now=now) is not None
        else:
            applicable = {
                FollowUp.Kind.INFO_REMINDER: complaint.status == Status.NEEDS_INFO,
                FollowUp.Kind.CLOSE_REMINDER: complaint.status == Status.AWAITING_REPORTER,
                FollowUp.Kind.RATING_REQUEST: complaint.status == Status.CLOSED
                and complaint.rating is None,
                FollowUp.Kind.DRAFT_REMINDER: complaint.can_respond()
                and complaint.responses.filter(state=Response.State.DRAFT).exists(),
            }[FollowUp.Kind(kind)]
            done = applicable
            if applicable:
                cause = f"followup:{followup.pk}"
                if kind == FollowUp.Kind.DRAFT_REMINDER:
                    recipients = users_with_role_over(
                        node=complaint.unit or complaint.agency, roles=[Role.APPROVER]
                    )
                    for user in recipients:
                        if user.email and user.is_active:
                            notification_queue(
                                kind=kind,
                                cause_key=cause,
                                recipient=user.email,
                                recipient_user=user,
                                complaint=complaint,
                            )
                else:
                    email = complaint.reporter_email or (
                        complaint.reporter.email if complaint.reporter_id else ""
                    )
                    notification_queue(
                        kind=kind,
                        cause_key=cause,
                        recipient=email,
                        recipient_user=complaint.reporter,
                        complaint=complaint,
                        language=complaint.language,
                        context={"link": tracking_link(complaint)},
                    )
                ComplaintEvent.objects.create(
                    complaint=complaint,
                    type=EventType.REMINDER_SENT,
                    actor_label="system",
                    from_status=complaint.status,
                    to_status=complaint.status,
                    is_public=False,
                    data={"kind": kind, "followup": followup.pk},
                    created_at=now,
                )
        followup.state = FollowUp.State.SENT if done else FollowUp.State.CANCELLED
        followup.done_at = now
        followup.save(update_fields=["state", "done_at"])
    return followup


def followup_fail(*, followup_id: int) -> int:
    """Final failure of a follow-up task: FAILED, so operators see it (jobs_status)."""
    return FollowUp.objects.filter(
        pk=followup_id, state__in=[FollowUp.State.PENDING, FollowUp.State.SENDING]
    ).update(state=FollowUp.State.FAILED, done_at=timezone.now())

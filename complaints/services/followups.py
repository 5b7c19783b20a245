"""What the follow-up jobs do to a complaint: close after the reporter's silence, archive
when the requested information never came."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from complaints import actions
from complaints.models import (
    Complaint,
    EventType,
    Status,
)
from complaints.services.core import (
    ARCHIVE_REASON_INFO_NOT_SUPPLIED,
    breaches_at_end,
    complaint_save,
    event_append,
    lock_complaint,
    notify_followers,
    notify_reporter,
    set_current_clock,
)


def complaint_close(
    *,
    complaint_id: int,
    actor: User | None = None,
    reason: str = "auto",
    now: dt.datetime | None = None,
) -> Complaint | None:
    """Close an answered complaint whose reporter stayed silent. Idempotent: returns None when
    the complaint is no longer waiting for its reporter (already closed or reopened)."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        if c.status != Status.AWAITING_REPORTER:
            return None
        if actor is not None:
            actions.require_action(actor, c, actions.CLOSE)
        from_status = c.status
        missed = breaches_at_end(c, now)
        c.status = Status.CLOSED
        c.closed_at = now
        c.resolved_at = c.resolved_at or now
        fields = {"status", "closed_at", "resolved_at"} | set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.CLOSED,
            actor=actor,
            from_status=from_status,
            data={"reason": reason, **({"breaches": missed} if missed else {})},
            actor_label=None if actor else "system",
            now=now,
        )
        notify_reporter(c, "closed", event)
        notify_followers(c, "follow_closed", event)
    return c


def complaint_archive_silent(
    *, complaint_id: int, now: dt.datetime | None = None
) -> Complaint | None:
    """Archive a complaint whose reporter did not supply the requested information in time.
    Idempotent: None when it is no longer waiting for information."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        if c.status != Status.NEEDS_INFO:
            return None
        missed = breaches_at_end(c, now)
        c.status = Status.ARCHIVED
        # The English source, translated when shown (citizen pages, email): the reporter and
        # the staff may read different languages.
        c.archive_reason = ARCHIVE_REASON_INFO_NOT_SUPPLIED
        c.archived_at = now
        fields = {"status", "archive_reason", "archived_at"} | set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.ARCHIVED,
            actor=None,
            from_status=Status.NEEDS_INFO,
            actor_label="system",
            body=c.archive_reason,
            data={"breaches": missed} if missed else {},
            now=now,
        )
        notify_reporter(c, "archived", event, reason=c.archive_reason)
    return c

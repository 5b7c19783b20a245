"""The reporter's side: supply information, accept, object, rate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import (
    ApplicationError,
    NotFound,
    TransitionNotAllowed,
)
from complaints.access import (
    ACCESS_CODE_LENGTH,
    access_code_hash,
    random_code,
    users_with_role_over,
)
from complaints.models import (
    Clock,
    Complaint,
    Escalation,
    EscalationReason,
    EventType,
    Role,
    Status,
)
from complaints.policy import calendar_for, sla_policy_for
from complaints.services.core import (
    attachments_store,
    capped_at_ceiling,
    check_transition,
    complaint_save,
    event_append,
    lock_complaint,
    notify_followers,
    notify_users,
    refuse_in_status,
    set_current_clock,
)
from complaints.services.escalation import complaint_escalate


def complaint_supply_info(
    *,
    complaint_id: int,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The reporter supplies what was asked (authorised by the caller with the access code or
    the reporter's account): the verification clock resumes with the days it had left."""
    now = now or timezone.now()
    attachments = list(attachments)
    if not body.strip() and not attachments:
        raise ApplicationError(_("Write the information that was asked for or upload a file"))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        check_transition(c, Status.SUBMITTED, c.status == Status.NEEDS_INFO)
        cal = calendar_for(c)
        remaining = c.verify_remaining_days or 0
        c.verify_due_at = (
            cal.add_working_days(now, remaining)
            if remaining >= 0
            # held after its breach: as late again as it was when it paused
            else cal.end_of_working_days_before(now, -remaining)
        )
        c.verify_remaining_days = None
        c.reporter_info_due_at = None
        c.status = Status.SUBMITTED
        fields = {"status", "verify_due_at", "verify_remaining_days", "reporter_info_due_at"}
        fields |= set(set_current_clock(c))
        # The steps the verification clock reached before the pause stay reached (the sweep
        # climbs on from them and the board keeps showing the breach).
        reached = Escalation.objects.filter(
            complaint=c, clock=Clock.VERIFY, cycle=c.clock_cycle
        ).aggregate(level=Max("level"))["level"]
        if reached and reached > c.escalation_level:
            c.escalation_level = reached
            fields.add("escalation_level")
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.INFO_SUPPLIED,
            actor=actor,
            from_status=Status.NEEDS_INFO,
            actor_label="reporter",
            body=body.strip(),
            now=now,
        )
        attachments_store(c, attachments, actor=actor, event=event)
        verifiers = users_with_role_over(node=c.agency, roles=[Role.VERIFIER])
        notify_users(verifiers, c, "staff_info_supplied", f"info_supplied:{event.pk}", link=None)
    return c


def complaint_supply_data(
    *,
    complaint_id: int,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The reporter sends the data asked for during follow-up (authorised by the caller like
    complaint_supply_info). No clock moves: none paused for the request."""
    now = now or timezone.now()
    attachments = list(attachments)
    if not body.strip() and not attachments:
        raise ApplicationError(_("Write the information that was asked for or upload a file"))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        if not c.data_request_open:
            refuse_in_status(c)
        c.data_requested_at = None
        complaint_save(c, {"data_requested_at"})
        event = event_append(
            c,
            EventType.DATA_SUPPLIED,
            actor=actor,
            from_status=c.status,
            actor_label="reporter",
            body=body.strip(),
            now=now,
        )
        attachments_store(c, attachments, actor=actor, event=event)
        handlers = (
            [c.assignee]
            if c.assignee_id
            else users_with_role_over(node=c.unit or c.agency, roles=[Role.OFFICER])
        )
        notify_users(handlers, c, "staff_data_supplied", f"data_supplied:{event.pk}", link=None)
    return c


def complaint_reporter_accept(
    *, complaint_id: int, actor: User | None = None, now: dt.datetime | None = None
) -> Complaint:
    """The reporter accepts the answer (authorised by the caller): closed."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        check_transition(c, Status.CLOSED, c.can_reporter_reply())
        from_status = c.status
        c.status = Status.CLOSED
        c.closed_at = now
        c.resolved_at = c.resolved_at or now
        c.reporter_reply_due_at = None
        fields = {"status", "closed_at", "resolved_at", "reporter_reply_due_at"}
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.ACCEPTED,
            actor=actor,
            from_status=from_status,
            actor_label="reporter",
            now=now,
        )
        notify_followers(c, "follow_closed", event)
    return c


def complaint_reporter_object(
    *, complaint_id: int, reason: str, actor: User | None = None, now: dt.datetime | None = None
) -> Complaint:
    """The reporter objects: reopened with a new response clock; a second objection also
    escalates to the agency's focal point."""
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Say why the answer does not settle your complaint."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        check_transition(c, Status.IN_PROGRESS, c.can_reporter_reply())
        policy = sla_policy_for(agency=c.agency, category=c.category)
        cal = calendar_for(c)
        from_status = c.status
        c.status = Status.IN_PROGRESS
        c.reopen_count += 1
        c.clock_cycle += 1
        c.reporter_reply_due_at = None
        # Not resolved after all: the resolution clock runs again from where it was.
        c.resolved_at = None
        c.response_due_at = capped_at_ceiling(
            cal.add_working_days(now, policy.first_response_days), c.hard_ceiling_at
        )
        fields = {
            "status",
            "reopen_count",
            "clock_cycle",
            "reporter_reply_due_at",
            "response_due_at",
            "resolved_at",
        }
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.OBJECTED,
            actor=actor,
            from_status=from_status,
            actor_label="reporter",
            body=reason.strip(),
            data={"reopen_count": c.reopen_count},
            now=now,
        )
        staff = users_with_role_over(node=c.unit or c.agency, roles=[Role.OFFICER, Role.APPROVER])
        if c.assignee:
            staff = [c.assignee]
        notify_users(staff, c, "staff_objected", f"objected:{event.pk}", reason=reason.strip())
        if c.reopen_count >= 2:
            complaint_escalate(
                complaint_id=c.pk,
                clock=Clock.RESOLUTION,
                cycle=c.reopen_count,
                level=3,
                name=EscalationReason.SECOND_OBJECTION,
                due_at=now,
                actor=None,
                now=now,
            )
    return c


def complaint_rate(
    *,
    complaint_id: int,
    rating: int,
    comment: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    if rating not in (1, 2, 3, 4, 5):
        raise ApplicationError(_("Choose a rating from 1 to 5."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        if c.status != Status.CLOSED:
            raise TransitionNotAllowed(_("A complaint can be rated once it is closed."))
        if c.rating is not None:
            raise ApplicationError(_("This complaint has already been rated."))
        c.rating = rating
        c.rating_comment = comment.strip()
        c.rated_at = now
        complaint_save(c, {"rating", "rating_comment", "rated_at"})
        event_append(
            c,
            EventType.RATED,
            actor=actor,
            from_status=c.status,
            actor_label="reporter",
            data={"rating": rating},
            body=c.rating_comment,
            now=now,
        )
    return c


def complaint_access_code_renew(*, complaint_id: int, actor: User | None) -> str:
    """Give the report a new access code and return it (shown once, like the receipt). The
    old code, every signed link made with it and every browser let in by either stop working:
    they carry the old tracking stamp (complaints.access.tracking_stamp). The version is not
    bumped: nothing staff see changes, so no open case page goes stale."""
    code = random_code(ACCESS_CODE_LENGTH)
    changed = Complaint.objects.filter(pk=complaint_id).update(
        access_code_hash=access_code_hash(code), updated_at=timezone.now()
    )
    if not changed:
        raise NotFound(_("Complaint not found."))
    return code

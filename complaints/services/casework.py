"""Casework: take, assign, note, draft, approve, return, publish, mark resolved; saved views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import (
    ApplicationError,
    NotFound,
    StaleState,
)
from complaints import actions
from complaints.access import actor_roles_for, users_with_role_over
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    EventType,
    Response,
    Role,
    SavedFilter,
    Status,
)
from complaints.policy import calendar_for, sla_policy_for
from complaints.services.core import (
    attachments_store,
    check_transition,
    check_version,
    complaint_save,
    event_append,
    last_change,
    lock_complaint,
    notify_followers,
    notify_reporter,
    notify_users,
    refuse_in_status,
    set_current_clock,
)


def complaint_take(
    *,
    complaint_id: int,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.TAKE)
        check_version(c, expected_version)
        check_transition(c, Status.IN_PROGRESS, c.can_take())
        if c.status == Status.IN_PROGRESS and c.assignee_id == actor.pk:
            raise ApplicationError(_("You are already handling this complaint."))
        from_status = c.status
        previous = c.assignee_id
        c.assignee = actor
        c.status = Status.IN_PROGRESS
        fields = {"assignee", "status"} | set(set_current_clock(c))
        complaint_save(c, fields)
        event_append(
            c,
            EventType.TAKEN,
            actor=actor,
            from_status=from_status,
            data={"previous_assignee": previous},
            now=now,
        )
    return c


def complaint_assign(
    *,
    complaint_id: int,
    actor: User,
    assignee: User | None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Give the complaint to an officer of its unit, or clear the assignee (None)."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.ASSIGN)
        check_version(c, expected_version)
        if c.status not in (Status.ASSIGNED, Status.IN_PROGRESS, Status.VERIFIED):
            check_transition(c, Status.ASSIGNED, False)
        if assignee is not None and Role.OFFICER not in actor_roles_for(
            actor=assignee, scope_path=c.scope_path
        ):
            raise ApplicationError(_("The chosen officer does not work on this complaint's unit."))
        if assignee is not None and assignee.pk == c.assignee_id:
            raise ApplicationError(_("The complaint is already assigned to that officer."))
        previous = c.assignee_id
        c.assignee = assignee
        complaint_save(c, {"assignee"})
        event_append(
            c,
            EventType.ASSIGNED,
            actor=actor,
            from_status=c.status,
            data={
                "assignee": assignee.pk if assignee else None,
                "assignee_name": assignee.get_full_name() if assignee else "",
                "previous_assignee": previous,
            },
            now=now,
        )
        if assignee is not None:
            notify_users([assignee], c, "staff_assigned", f"assigned:{c.pk}:{c.version}")
        # The officer who had it must know it was taken away (not when they let go themselves).
        if previous is not None and previous != getattr(actor, "pk", None):
            earlier = User.objects.filter(pk=previous, is_active=True).first()
            if earlier is not None:
                notify_users([earlier], c, "staff_unassigned", f"unassigned:{c.pk}:{c.version}")
    return c


def complaint_note(
    *, complaint_id: int, actor: User, body: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """An internal note: never shown to the reporter or the public; does not stop a clock."""
    if not body.strip():
        raise ApplicationError(_("Write the note."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.NOTE)
        return event_append(
            c,
            EventType.NOTE,
            actor=actor,
            from_status=c.status,
            body=body.strip(),
            is_public=False,
            now=now,
        )


def complaint_request_data(
    *,
    complaint_id: int,
    actor: User | None,
    message: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Ask the reporter for data during follow-up (a batch number, a photo for a field check)
    without answering. It is not the first response and starts no reporter clock: the response
    and resolution clocks keep running, nothing pauses, and silence archives nothing (DESIGN
    §4 pauses a clock only in needs_info, before verification)."""
    now = now or timezone.now()
    if not message.strip():
        raise ApplicationError(_("Write what data the reporter should send."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.REQUEST_DATA)
        check_version(c, expected_version)
        if not actions.legal(actions.REQUEST_DATA, c, actor=actor, draft=None):
            refuse_in_status(c)
        c.data_requested_at = now
        complaint_save(c, {"data_requested_at"})
        event = event_append(
            c,
            EventType.DATA_REQUESTED,
            actor=actor,
            from_status=c.status,
            body=message.strip(),
            data={"clocks": "running"},
            now=now,
        )
        notify_reporter(c, "data_requested", event, message=message.strip())
    return c


def response_draft(
    *,
    complaint_id: int,
    actor: User,
    body: str,
    response_id: int | None = None,
    expected_response_version: int | None = None,
    attachments: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Response:
    """Write or revise the complaint's one pending answer. Revising an approved draft sends it
    back for approval; writing a new draft while another is pending is a stale write (the
    complaint row lock serialises two writers, so the check below cannot race)."""
    if not body.strip():
        raise ApplicationError(_("Write the answer."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.DRAFT)
        if not c.can_respond():
            check_transition(c, Status.AWAITING_REPORTER, False)
        was_approved = False
        if response_id is None:
            pending = (
                Response.objects.filter(complaint=c, state__in=RESPONSE_PENDING_STATES)
                .order_by("-created_at", "-id")
                .first()
            )
            if pending is not None:
                raise stale_response(c, pending)
        if response_id is not None:
            try:
                response = Response.objects.select_for_update().get(pk=response_id, complaint=c)
            except Response.DoesNotExist as exc:
                raise NotFound(_("Draft not found.")) from exc
            check_response_version(c, response, expected_response_version)
            if response.state not in RESPONSE_PENDING_STATES:
                raise ApplicationError(_("Only a draft or a returned draft can be changed."))
            was_approved = response.state == Response.State.APPROVED
            response.body = body.strip()
            response.state = Response.State.DRAFT
            response.approved_by = None
            response.approved_at = None
            response.save(
                update_fields=["body", "state", "approved_by", "approved_at", "updated_at"]
            )
        else:
            response = Response.objects.create(complaint=c, author=actor, body=body.strip())
        attachments_store(c, attachments, actor=actor, response=response)
        event_append(
            c,
            EventType.DRAFT_SAVED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={"response": response.pk, "was_approved": True}
            if was_approved
            else {"response": response.pk},
            now=now,
        )
        if c.agency and c.agency.responses_need_approval:
            approvers = users_with_role_over(node=c.unit or c.agency, roles=[Role.APPROVER])
            notify_users(approvers, c, "staff_draft_waiting", f"draft:{response.pk}:{c.version}")
    return response


def lock_response(response_id: int) -> tuple[Response, Complaint]:
    try:
        complaint_id = Response.objects.values_list("complaint_id", flat=True).get(pk=response_id)
    except Response.DoesNotExist as exc:
        raise NotFound(_("Draft not found.")) from exc
    c = lock_complaint(complaint_id)
    response = Response.objects.select_for_update().get(pk=response_id)
    return response, c


# A complaint has at most one of these at a time (response_draft enforces it).
RESPONSE_PENDING_STATES = (
    Response.State.DRAFT,
    Response.State.APPROVED,
    Response.State.RETURNED,
)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def response_version(response: Response) -> int:
    """The version of a draft answer for stale-write checks: its last save in microseconds.
    A draft edit leaves the complaint's version alone, so approve and publish forms carry
    this too; every write to a Response saves `updated_at`."""
    return (response.updated_at - _EPOCH) // dt.timedelta(microseconds=1)


def check_response_version(c: Complaint, response: Response, expected: int | None) -> None:
    if expected is not None and response_version(response) != expected:
        raise stale_response(c, response)


def stale_response(c: Complaint, response: Response) -> StaleState:
    changed = last_change(
        c,
        [
            EventType.DRAFT_SAVED,
            EventType.DRAFT_APPROVED,
            EventType.DRAFT_RETURNED,
            EventType.RESPONSE_PUBLISHED,
        ],
    )
    return StaleState(
        _(
            "The draft answer was changed by %(who)s while you were looking at it (%(what)s). "
            "It is now: %(state)s. Check the draft and try again."
        )
        % {**changed, "state": response.get_state_display()},
        extra={"response": response.pk, "response_version": response_version(response)},
    )


def response_approve(
    *,
    response_id: int,
    actor: User,
    expected_response_version: int | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Approve a draft exactly as the approver saw it (`expected_response_version`)."""
    now = now or timezone.now()
    with transaction.atomic():
        response, c = lock_response(response_id)
        actions.require_action(actor, c, actions.APPROVE)
        check_response_version(c, response, expected_response_version)
        if response.state != Response.State.DRAFT:
            raise ApplicationError(_("Only a draft waiting for approval can be approved."))
        response.state = Response.State.APPROVED
        response.approved_by = actor
        response.approved_at = now
        response.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
        event_append(
            c,
            EventType.DRAFT_APPROVED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={"response": response.pk},
            now=now,
        )
    return response


def response_approve_publish(
    *,
    response_id: int,
    actor: User,
    expected_version: int | None = None,
    expected_response_version: int | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """The approver's one step: approve the draft exactly as seen and publish it, in one
    transaction (both events, or neither). Agencies whose policy keeps the steps apart still
    have approve and publish on their own."""
    with transaction.atomic():
        _response, c = lock_response(response_id)
        actions.require_action(actor, c, actions.APPROVE_PUBLISH)
        check_version(c, expected_version)
        response_approve(
            response_id=response_id,
            actor=actor,
            expected_response_version=expected_response_version,
            now=now,
        )
        return response_publish(response_id=response_id, actor=actor, now=now)


def response_return(
    *, response_id: int, actor: User, reason: str, now: dt.datetime | None = None
) -> Response:
    if not reason.strip():
        raise ApplicationError(_("Say why the draft is returned."))
    with transaction.atomic():
        response, c = lock_response(response_id)
        actions.require_action(actor, c, actions.RETURN)
        if response.state not in (Response.State.DRAFT, Response.State.APPROVED):
            raise ApplicationError(_("Only a draft can be returned."))
        response.state = Response.State.RETURNED
        response.return_reason = reason.strip()
        response.save(update_fields=["state", "return_reason", "updated_at"])
        event_append(
            c,
            EventType.DRAFT_RETURNED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            body=reason.strip(),
            data={"response": response.pk},
            now=now,
        )
        if response.author:
            notify_users(
                [response.author],
                c,
                "staff_draft_returned",
                f"returned:{response.pk}:{c.version}",
                reason=reason.strip(),
            )
    return response


def response_publish(
    *,
    response_id: int,
    actor: User | None,
    expected_version: int | None = None,
    expected_response_version: int | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Publish an answer to the reporter: stops the response clock and starts the reporter's
    10 working days to accept or object. Where the agency requires approval, only an approved
    draft can be published; `expected_response_version` is the draft's text the actor saw."""
    now = now or timezone.now()
    with transaction.atomic():
        response, c = lock_response(response_id)
        needs_approval = bool(c.agency and c.agency.responses_need_approval)
        actions.require_action(actor, c, actions.PUBLISH)
        check_version(c, expected_version)
        check_response_version(c, response, expected_response_version)
        check_transition(c, Status.AWAITING_REPORTER, c.can_respond())
        if needs_approval and response.state != Response.State.APPROVED:
            raise ApplicationError(_("This agency requires the answer to be approved first."))
        if response.state not in (Response.State.DRAFT, Response.State.APPROVED):
            raise ApplicationError(_("This answer cannot be published."))
        policy = sla_policy_for(agency=c.agency, category=c.category)
        cal = calendar_for(c)
        from_status = c.status
        response.state = Response.State.PUBLISHED
        response.published_at = now
        response.published_by = actor
        response.save(update_fields=["state", "published_at", "published_by", "updated_at"])
        c.status = Status.AWAITING_REPORTER
        if c.first_response_at is None:
            c.first_response_at = now
        c.reporter_reply_due_at = cal.add_working_days(now, policy.reporter_reply_days)
        # The answer ends any wait for data asked during follow-up.
        c.data_requested_at = None
        fields = {"status", "first_response_at", "reporter_reply_due_at", "data_requested_at"}
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        Attachment.objects.filter(response=response).update(is_public=True)
        event = event_append(
            c,
            EventType.RESPONSE_PUBLISHED,
            actor=actor,
            from_status=from_status,
            body=response.body,
            actor_label=c.agency.name if c.agency else "",
            data={"response": response.pk},
            now=now,
        )
        Attachment.objects.filter(response=response).update(event=event)
        notify_reporter(c, "response_published", event, response=response)
        notify_followers(c, "follow_answered", event)
    return response


def complaint_mark_resolved(
    *, complaint_id: int, actor: User, now: dt.datetime | None = None
) -> Complaint:
    """Record that the matter itself is resolved: the resolution clock stops (the sweep no
    longer escalates it; an objection from the reporter makes it run again). The complaint
    still closes only when the reporter accepts or stays silent."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.RESOLVE)
        if c.status not in (Status.IN_PROGRESS, Status.AWAITING_REPORTER) or c.resolved_at:
            check_transition(c, Status.CLOSED, False)
        if c.first_response_at is None:
            raise ApplicationError(_("Publish an answer before marking the complaint resolved."))
        c.resolved_at = now
        complaint_save(c, {"resolved_at"})
        event_append(
            c, EventType.RESOLVED, actor=actor, from_status=c.status, is_public=False, now=now
        )
    return c


class SavedFilterNameTaken(ApplicationError):
    """The actor already has a view of that name: saving never replaces one silently."""

    code = "saved_filter_name_taken"


def saved_filter_save(*, actor: User, name: str, query: str) -> SavedFilter:
    """Save a new named view of the queue; the view is its query string. A name the actor
    already uses (in any letter case, which would read as the same view in the list) is
    refused: to replace a view, delete it first."""
    name = name.strip()[:100]
    if not name:
        raise ApplicationError(_("Enter a name for this view."))
    query = query.lstrip("?")[:1000]
    taken = _("You already have a view with this name. Enter a different name")
    if SavedFilter.objects.filter(user=actor, name__iexact=name).exists():
        raise SavedFilterNameTaken(taken)
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(user=actor, name=name, query=query)
    except IntegrityError as exc:  # a concurrent save of the same name (unique constraint)
        raise SavedFilterNameTaken(taken) from exc


def saved_filter_delete(*, actor: User, saved_filter_id: int) -> None:
    deleted, _rows = SavedFilter.objects.filter(user=actor, pk=saved_filter_id).delete()
    if not deleted:
        raise NotFound(_("Saved view not found."))

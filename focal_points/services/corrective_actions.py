"""Corrective actions: issued by a focal point to an agency (on a complaint or on the agency
itself), answered with progress and evidence, reminded before and escalated after the due
date, and closed by their issuer."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed, NotFound, StaleState
from complaints.access import (
    STAFF_ROLES,
    actor_is_national_admin,
    actor_roles_for,
    users_with_role_over,
)
from complaints.clock import WorkingCalendar
from complaints.models import Agency, Role
from complaints.selectors.scope import complaint_get_for_actor
from complaints.services.core import event_append
from focal_points.models import (
    CorrectiveAction,
    CorrectiveActionEvent,
    CorrectiveActionEvidence,
    CorrectiveActionUpdate,
)
from focal_points.services.core import notify, require_focal
from focal_points.vocabulary import OversightEvent

# Roles of the agency that answers a corrective action with progress.
AGENCY_ROLES = STAFF_ROLES
CORRECTIVE_ACTION_DEFAULT_DAYS = 60
CORRECTIVE_ACTION_REMINDER_DAYS = 5
# Overdue ladder: at the due date the agency's focal points, this many working days later the
# coordinating focal points.
CORRECTIVE_ACTION_COORDINATOR_AFTER_DAYS = 5


def _agency_focal_points(agency: Agency) -> list[User]:
    return users_with_role_over(node=agency, roles=[Role.FOCAL_POINT])


def _corrective_action_audience(agency: Agency) -> list[User]:
    """Who hears that a corrective action was issued to, or closed for, an agency: its focal
    points and the verifiers and approvers who report the progress. Memberships on the agency
    itself (not on one of its units): those are the roles that can open the corrective action
    (selectors.corrective_action_visibility_q)."""
    return users_with_role_over(node=agency, roles=[Role.FOCAL_POINT, Role.VERIFIER, Role.APPROVER])


def _agency_coordinators(agency: Agency) -> list[User]:
    return users_with_role_over(node=agency, roles=[Role.COORDINATOR])


def _calendar(agency: Agency | None) -> WorkingCalendar:
    return WorkingCalendar.for_agency(agency)


def _ca_event(
    action: CorrectiveAction,
    type: str,
    *,
    actor: User | None,
    from_state: str = "",
    body: str = "",
    data: dict | None = None,
    now: dt.datetime,
) -> CorrectiveActionEvent:
    event = CorrectiveActionEvent.objects.create(
        action=action,
        type=type,
        actor=actor,
        from_state=from_state,
        to_state=action.state,
        body=body,
        data=data or {},
        created_at=now,
    )
    if action.complaint_id:
        # Complaint-linked changes also appear on the complaint's (internal) timeline. The
        # complaint comes with the action (_lock_action selects it, issue created it with it):
        # no query of its own. Its status is not touched, hence the blank from/to.
        event_append(
            action.complaint,
            OversightEvent.CORRECTIVE_ACTION,
            actor=actor,
            actor_label=actor.get_full_name() if actor else "system",
            from_status="",
            to_status="",
            is_public=False,
            body=body,
            data={"corrective_action": action.pk, "change": type, "state": action.state},
            now=now,
        )
    return event


def corrective_action_issue(
    *,
    actor: User,
    title: str,
    required_change: str,
    agency: Agency | None = None,
    complaint_id: int | None = None,
    due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """Issue a corrective action on a complaint (its agency is the addressee) or on an agency.
    The due date defaults to 60 working days on the agency's calendar."""
    now = now or timezone.now()
    title, required_change = title.strip(), required_change.strip()
    if not title:
        raise ApplicationError(_("Enter a short title for the corrective action."))
    if not required_change:
        raise ApplicationError(_("Describe what must change."))
    complaint = None
    if complaint_id is not None:
        complaint = complaint_get_for_actor(complaint_id=complaint_id, actor=actor)
        if complaint.agency is None:
            raise ApplicationError(_("This complaint has no agency yet."))
        agency = complaint.agency
        require_focal(actor, complaint.scope_path)
    if agency is None:
        raise ApplicationError(_("Choose the agency."))
    root = agency if agency.parent_id is None else agency.root
    if complaint is None:
        require_focal(actor, agency.path)
    due_at = due_at or _calendar(root).add_working_days(now, CORRECTIVE_ACTION_DEFAULT_DAYS)
    if due_at <= now:
        raise ApplicationError(_("The due date must be in the future."))
    with transaction.atomic():
        action = CorrectiveAction.objects.create(
            issuer=actor,
            agency=root,
            complaint=complaint,
            title=title[:200],
            required_change=required_change,
            due_at=due_at,
        )
        _ca_event(
            action,
            CorrectiveActionEvent.Type.ISSUED,
            actor=actor,
            body=required_change,
            data={"due_at": due_at.isoformat()},
            now=now,
        )
        notify(
            _corrective_action_audience(root),
            "corrective_action_issued",
            f"ca_issued:{action.pk}",
            skip=actor,
            action=action,
        )
    return action


def _lock_action(action_id: int) -> CorrectiveAction:
    try:
        return (
            CorrectiveAction.objects.select_for_update(of=("self",))
            .select_related("agency", "issuer", "complaint")
            .get(pk=action_id)
        )
    except (CorrectiveAction.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Corrective action not found.")) from exc


def _check_version(action: CorrectiveAction, expected_version: int | None) -> None:
    if expected_version is not None and action.version != expected_version:
        raise StaleState(
            _(
                "This corrective action was changed by someone else while you were looking "
                "at it. It is now: %(state)s. Check it and try again."
            )
            % {"state": action.get_state_display()},
            extra={"state": action.state, "version": action.version},
        )


def corrective_action_report_progress(
    *,
    actor: User,
    action_id: int,
    body: str,
    evidence: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> CorrectiveActionUpdate:
    """The agency reports what it has done, with evidence files (checked by content)."""
    from complaints.uploads import sanitize_upload

    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise ApplicationError(_("Describe the progress made."))
    files = list(evidence)
    cleaned = [sanitize_upload(f) for f in files]
    with transaction.atomic():
        action = _lock_action(action_id)
        if not actor_is_national_admin(actor):
            held = actor_roles_for(actor=actor, scope_path=action.agency.path)
            if not held:
                raise NotFound(_("Corrective action not found."))
            if not held & AGENCY_ROLES:
                raise NotAllowed(_("Only the agency's own staff report progress."))
        if not action.is_open:
            raise ApplicationError(_("This corrective action is closed."))
        from_state = action.state
        if action.state == CorrectiveAction.State.OPEN:
            action.state = CorrectiveAction.State.IN_PROGRESS
        action.version += 1
        action.save(update_fields=["state", "version", "updated_at"])
        update = CorrectiveActionUpdate.objects.create(
            action=action, author=actor, body=body, created_at=now
        )
        for clean in cleaned:
            item = CorrectiveActionEvidence(
                update=update,
                original_name=clean.original_name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
            )
            # The stored name never reuses the uploaded one.
            item.file.save(f"{secrets.token_hex(16)}{clean.extension}", clean.content, save=False)
            item.save()
        _ca_event(
            action,
            CorrectiveActionEvent.Type.PROGRESS,
            actor=actor,
            from_state=from_state,
            body=body,
            data={"update": update.pk, "evidence": len(cleaned)},
            now=now,
        )
        notify(
            [action.issuer],
            "corrective_action_progress",
            f"ca_progress:{update.pk}",
            skip=actor,
            action=action,
            body=body,
        )
    return update


def corrective_action_close(
    *,
    actor: User,
    action_id: int,
    accepted: bool,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """Close a corrective action as accepted (the change was made) or rejected (it was not,
    or the evidence does not show it). Only its issuer may close it, always with a reason."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reason for closing."))
    with transaction.atomic():
        action = _lock_action(action_id)
        if action.issuer_id != actor.pk:
            raise NotAllowed(_("Only the focal point who issued it can close it."))
        _check_version(action, expected_version)
        if not action.is_open:
            raise ApplicationError(_("This corrective action is already closed."))
        from_state = action.state
        action.state = (
            CorrectiveAction.State.CLOSED_ACCEPTED
            if accepted
            else CorrectiveAction.State.CLOSED_REJECTED
        )
        action.close_reason = reason
        action.closed_at = now
        action.closed_by = actor
        action.version += 1
        action.save(
            update_fields=[
                "state",
                "close_reason",
                "closed_at",
                "closed_by",
                "version",
                "updated_at",
            ]
        )
        _ca_event(
            action,
            action.state,
            actor=actor,
            from_state=from_state,
            body=reason,
            now=now,
        )
        notify(
            [*_corrective_action_audience(action.agency), action.issuer],
            "corrective_action_closed",
            f"ca_closed:{action.pk}",
            skip=actor,
            action=action,
            reason=reason,
        )
    return action


def corrective_action_remind(*, action_id: int, now: dt.datetime | None = None) -> bool:
    """Remind the agency's focal points that a corrective action falls due soon. Idempotent:
    the guarded update succeeds once per action."""
    now = now or timezone.now()
    with transaction.atomic():
        action = _lock_action(action_id)
        threshold = _calendar(action.agency).add_working_days(now, CORRECTIVE_ACTION_REMINDER_DAYS)
        claimed = CorrectiveAction.objects.filter(
            pk=action.pk,
            state__in=[CorrectiveAction.State.OPEN, CorrectiveAction.State.IN_PROGRESS],
            reminder_sent_at__isnull=True,
            due_at__gt=now,
            due_at__lte=threshold,
        ).update(reminder_sent_at=now)
        if not claimed:
            return False
        _ca_event(
            action,
            CorrectiveActionEvent.Type.REMINDER,
            actor=None,
            from_state=action.state,
            data={"due_at": action.due_at.isoformat()},
            now=now,
        )
        notify(
            _agency_focal_points(action.agency),
            "corrective_action_reminder",
            f"ca_reminder:{action.pk}",
            action=action,
        )
    return True


def corrective_action_escalate(*, action_id: int, now: dt.datetime | None = None) -> int:
    """Step an overdue corrective action up its ladder: at the due date it turns overdue and
    the agency's own focal points are told (level 1); 5 working days later the coordinating
    focal points over the agency are told (level 2). Returns the number of steps taken, 0 when
    there was nothing to do (so a sweep that runs twice escalates once)."""
    now = now or timezone.now()
    steps = 0
    with transaction.atomic():
        action = _lock_action(action_id)
        if not action.is_open or action.due_at >= now:
            return 0
        cal = _calendar(action.agency)
        target = 1
        if action.due_at <= cal.ladder_threshold(now, CORRECTIVE_ACTION_COORDINATOR_AFTER_DAYS):
            target = 2
        while action.escalation_level < target:
            from_state = action.state
            action.escalation_level += 1
            action.state = CorrectiveAction.State.OVERDUE
            action.save(update_fields=["state", "escalation_level", "updated_at"])
            level = action.escalation_level
            if level == 1:
                event_type = CorrectiveActionEvent.Type.OVERDUE
                recipients = _agency_focal_points(action.agency)
            else:
                event_type = CorrectiveActionEvent.Type.ESCALATED
                recipients = _agency_coordinators(action.agency)
            _ca_event(
                action,
                event_type,
                actor=None,
                from_state=from_state,
                data={"level": level},
                now=now,
            )
            notify(
                recipients,
                "corrective_action_overdue",
                f"ca_overdue:{action.pk}:{level}",
                action=action,
                level=level,
            )
            steps += 1
    return steps


def corrective_action_sweep(
    *, now: dt.datetime | None = None, batch_size: int = 500
) -> dict[str, int]:
    """Send due reminders and escalate overdue corrective actions, in bounded batches. The
    per-action services are idempotent, so overlapping runs are harmless. Corrective actions
    are few (hundreds, not millions), so one task handles a batch inline instead of fanning
    out one task per action."""
    now = now or timezone.now()
    national = WorkingCalendar.for_agency(None)
    # A day of slack over the national calendar: the per-action service decides exactly.
    reminder_cutoff = national.add_working_days(now, CORRECTIVE_ACTION_REMINDER_DAYS + 1)
    coordinator_cutoff = national.ladder_threshold(
        now, max(CORRECTIVE_ACTION_COORDINATOR_AFTER_DAYS - 1, 1)
    )
    remind_ids = list(
        CorrectiveAction.objects.filter(
            state__in=[CorrectiveAction.State.OPEN, CorrectiveAction.State.IN_PROGRESS],
            reminder_sent_at__isnull=True,
            due_at__gt=now,
            due_at__lte=reminder_cutoff,
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    escalate_ids = list(
        CorrectiveAction.objects.filter(state__in=CorrectiveAction.OPEN_STATES)
        .filter(
            Q(escalation_level=0, due_at__lt=now)
            | Q(escalation_level=1, due_at__lte=coordinator_cutoff)
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    reminded = sum(corrective_action_remind(action_id=pk, now=now) for pk in remind_ids)
    escalated = sum(corrective_action_escalate(action_id=pk, now=now) for pk in escalate_ids)
    return {"reminded": reminded, "escalated": escalated}

"""Writes for focal-point oversight: designations and coordination groups, nudges, corrective
actions (issue, progress, reminders, overdue escalation, close), the weekly digest and the
scorecard facts rollup."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Count, DateField, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed, NotFound, StaleState
from complaints.access import actor_is_national_admin, actor_roles_for, users_with_role_over
from complaints.clock import WorkingCalendar, national_holidays
from complaints.models import (
    OPEN_STATUSES,
    Agency,
    CalendarDay,
    Complaint,
    ComplaintEvent,
    EventType,
    Membership,
    Role,
    SweepRun,
)
from complaints.outbox.queue import notification_queue
from complaints.policy import sla_policy_for
from complaints.selectors.scope import complaint_get_for_actor
from focal_points.models import (
    CoordinationGroup,
    CorrectiveAction,
    CorrectiveActionEvent,
    CorrectiveActionEvidence,
    CorrectiveActionUpdate,
    FocalPoint,
    Nudge,
    ScorecardFact,
    ScorecardHistogram,
    ScorecardMonth,
)
from focal_points.selectors import rollup_uses_postgres_sql

GROUP_SOURCE = "group:{}"
FOCAL_ROLES = frozenset({Role.FOCAL_POINT, Role.COORDINATOR})
# Roles of the agency that answers a corrective action with progress.
AGENCY_ROLES = frozenset({Role.FOCAL_POINT, Role.VERIFIER, Role.APPROVER, Role.OFFICER})
CORRECTIVE_ACTION_DEFAULT_DAYS = 60
CORRECTIVE_ACTION_REMINDER_DAYS = 5
# Overdue ladder: at the due date the agency's focal points, this many working days later the
# coordinating focal points.
CORRECTIVE_ACTION_COORDINATOR_AFTER_DAYS = 5
NUDGE_BATCH_MAX = 100
SCORECARD_REFRESH_SWEEP = "focal_points.scorecard_refresh"

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Designations and coordination groups


@transaction.atomic
def focal_point_designate(
    *, user: User, agency: Agency, position: str = "", phone: str = "", email: str = ""
) -> FocalPoint:
    focal_point, _created = FocalPoint.objects.update_or_create(
        user=user,
        agency=agency,
        defaults={"position": position, "phone": phone, "email": email, "is_active": True},
    )
    Membership.objects.get_or_create(user=user, agency=agency, role=Role.FOCAL_POINT)
    return focal_point


@transaction.atomic
def focal_point_revoke(*, focal_point: FocalPoint) -> None:
    focal_point.is_active = False
    focal_point.save(update_fields=["is_active", "updated_at"])
    Membership.objects.filter(
        user=focal_point.user, agency=focal_point.agency, role=Role.FOCAL_POINT
    ).delete()


@transaction.atomic
def coordination_group_sync(*, group: CoordinationGroup) -> None:
    """Make the coordinator memberships match the group's agencies and coordinators."""
    source = GROUP_SOURCE.format(group.pk)
    wanted = {
        (user_id, agency_id)
        for user_id in group.coordinators.values_list("pk", flat=True)
        for agency_id in group.agencies.values_list("pk", flat=True)
    }
    existing = set(Membership.objects.filter(source=source).values_list("user_id", "agency_id"))
    for user_id, agency_id in existing - wanted:
        Membership.objects.filter(
            source=source, user_id=user_id, agency_id=agency_id, role=Role.COORDINATOR
        ).delete()
    Membership.objects.bulk_create(
        [
            Membership(user_id=u, agency_id=a, role=Role.COORDINATOR, source=source)
            for u, a in wanted - existing
        ],
        ignore_conflicts=True,
    )


def directory_entry_can_edit(*, actor: User, agency: Agency) -> bool:
    """The national admin edits every entry; an agency's own focal point edits its agency's."""
    if actor_is_national_admin(actor):
        return True
    return Role.FOCAL_POINT in actor_roles_for(actor=actor, scope_path=agency.path)


@transaction.atomic
def directory_entry_update(
    *, actor: User, focal_point_id: int, position: str, phone: str, email: str, is_active: bool
) -> FocalPoint:
    """Change the contact details of a directory entry. Deactivating an entry also removes
    the focal-point membership (the person no longer oversees the agency)."""
    try:
        entry = (
            FocalPoint.objects.select_for_update().select_related("agency").get(pk=focal_point_id)
        )
    except FocalPoint.DoesNotExist as exc:
        raise NotFound(_("Directory entry not found.")) from exc
    if not directory_entry_can_edit(actor=actor, agency=entry.agency):
        raise NotFound(_("Directory entry not found."))
    entry.position = position.strip()
    entry.phone = phone.strip()
    entry.email = email.strip().lower()
    fields = ["position", "phone", "email", "updated_at"]
    if entry.is_active and not is_active:
        if entry.user_id == actor.pk and not actor_is_national_admin(actor):
            raise ApplicationError(_("You cannot remove your own designation."))
        focal_point_revoke(focal_point=entry)
    elif not entry.is_active and is_active:
        Membership.objects.get_or_create(
            user_id=entry.user_id, agency=entry.agency, role=Role.FOCAL_POINT
        )
        entry.is_active = True
        fields.append("is_active")
    entry.save(update_fields=fields)
    return entry


# Roles that make someone staff of an agency (the derived coordinator memberships do not).
DESIGNATABLE_ROLES = frozenset({Role.VERIFIER, Role.OFFICER, Role.APPROVER, Role.FOCAL_POINT})


def directory_entry_add(
    *,
    actor: User,
    agency: Agency,
    email: str,
    position: str = "",
    phone: str = "",
    contact_email: str = "",
) -> FocalPoint:
    """Designate an existing, active member of the agency's staff (a role on the agency or one
    of its units) as its focal point. Accounts are never created here: a focal point could
    otherwise mint accounts with agency-wide access; the national admin keeps the Django
    admin for that."""
    if not directory_entry_can_edit(actor=actor, agency=agency):
        raise NotAllowed(_("You can only maintain the directory of your own agency."))
    email = email.strip().lower()
    if not email:
        raise ValidationError(
            {"user_email": _("Enter the sign-in email of the focal point")}, code="required"
        )
    with transaction.atomic():
        user = (
            User.objects.filter(
                email__iexact=email,
                is_active=True,
                memberships__agency__path__startswith=agency.path,
                memberships__role__in=list(DESIGNATABLE_ROLES),
            )
            .distinct()
            .first()
        )
        if user is None:
            # One message for unknown, inactive and out-of-agency addresses: no enumeration.
            raise ValidationError(
                {
                    "user_email": _(
                        "Enter the email of an officer already registered at this agency"
                    )
                },
                code="not_agency_staff",
            )
        entry = focal_point_designate(
            user=user,
            agency=agency,
            position=position.strip(),
            phone=phone.strip(),
            email=contact_email.strip().lower(),
        )
        logger.info(
            "focal point designated: user=%s agency=%s by actor=%s entry=%s",
            user.pk,
            agency.pk,
            actor.pk,
            entry.pk,
        )
    return entry


# ---------------------------------------------------------------------------------------------
# Helpers


def _focal_roles_over(actor: User | None, scope_path: str) -> set[str]:
    return actor_roles_for(actor=actor, scope_path=scope_path) & FOCAL_ROLES


def _require_focal(actor: User, scope_path: str) -> None:
    """National admins and focal points (agency or coordinating) over the node may act;
    anything outside the actor's scope is reported as not found."""
    if actor_is_national_admin(actor):
        return
    held = actor_roles_for(actor=actor, scope_path=scope_path)
    if not held:
        raise NotFound(_("Not found."))
    if not held & FOCAL_ROLES:
        raise NotAllowed(_("Only focal points can do this."))


def _notify(
    users: Iterable[User], kind: str, cause: str, *, skip: User | None = None, **context
) -> int:
    """Queue one message per active user with an email; `skip` is the actor, who is never
    told about their own change."""
    sent = 0
    seen: set[int] = {skip.pk} if skip is not None else set()
    for user in users:
        if user.pk in seen or not user.email or not user.is_active:
            continue
        seen.add(user.pk)
        if notification_queue(
            kind=kind,
            cause_key=cause,
            recipient=user.email,
            recipient_user=user,
            complaint=context.get("complaint"),
            context=context,
        ):
            sent += 1
    return sent


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


# ---------------------------------------------------------------------------------------------
# Nudges


def nudge_send(
    *,
    actor: User,
    complaint_ids: Iterable[int],
    message: str,
    now: dt.datetime | None = None,
) -> list[Nudge]:
    """A recorded reminder to the units handling one or more open complaints: a `Nudge` row
    and an internal "nudged" timeline event per complaint, and an email to the unit's officers
    (the assignee when there is one). All or nothing: one complaint out of scope or closed
    refuses the whole batch."""
    now = now or timezone.now()
    ids = sorted({int(pk) for pk in complaint_ids})
    if not ids:
        raise ApplicationError(_("Choose at least one complaint."))
    if len(ids) > NUDGE_BATCH_MAX:
        raise ApplicationError(
            _("Nudge at most %(n)s complaints at a time.") % {"n": NUDGE_BATCH_MAX}
        )
    message = message.strip()
    if not message:
        raise ApplicationError(_("Write the message for the unit."))
    batch = uuid.uuid4()
    with transaction.atomic():
        # One statement locks every row, in pk order (no deadlock with other batch writers).
        complaints = list(
            Complaint.objects.select_for_update(of=("self",))
            .select_related("agency", "unit", "assignee")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        if len(complaints) != len(ids):
            raise NotFound(_("Complaint not found."))
        for c in complaints:
            _require_focal(actor, c.scope_path)
            if c.status not in OPEN_STATUSES or c.agency_id is None:
                raise ApplicationError(
                    _("Complaint %(number)s is no longer open.")
                    % {"number": c.display_tracking_number}
                )
        nudges = Nudge.objects.bulk_create(
            [
                Nudge(
                    batch=batch,
                    complaint=c,
                    agency_id=c.agency_id,
                    unit_id=c.unit_id,
                    actor=actor,
                    message=message,
                    created_at=now,
                )
                for c in complaints
            ]
        )
        ComplaintEvent.objects.bulk_create(
            [
                ComplaintEvent(
                    complaint=c,
                    type=EventType.NUDGED,
                    actor=actor,
                    actor_label=actor.get_full_name(),
                    from_status=c.status,
                    to_status=c.status,
                    is_public=False,
                    body=message,
                    data={"nudge": n.pk, "batch": str(batch)},
                    created_at=now,
                )
                for c, n in zip(complaints, nudges, strict=True)
            ]
        )
        for c, n in zip(complaints, nudges, strict=True):
            if c.assignee_id:
                recipients = [c.assignee]
            elif c.unit_id:
                recipients = users_with_role_over(node=c.unit, roles=[Role.OFFICER])
            else:
                recipients = users_with_role_over(node=c.agency, roles=[Role.VERIFIER])
            _notify(
                recipients,
                "nudge",
                f"nudge:{n.pk}",
                complaint=c,
                message=message,
                sender=actor.get_full_name(),
            )
    return nudges


# ---------------------------------------------------------------------------------------------
# Corrective actions


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
        # Complaint-linked changes also appear on the complaint's (internal) timeline.
        ComplaintEvent.objects.create(
            complaint_id=action.complaint_id,
            type=EventType.CORRECTIVE_ACTION,
            actor=actor,
            actor_label=actor.get_full_name() if actor else "system",
            from_status="",
            to_status="",
            is_public=False,
            body=body,
            data={"corrective_action": action.pk, "change": type, "state": action.state},
            created_at=now,
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
        _require_focal(actor, complaint.scope_path)
    if agency is None:
        raise ApplicationError(_("Choose the agency."))
    root = agency if agency.parent_id is None else agency.root
    if complaint is None:
        _require_focal(actor, agency.path)
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
        _notify(
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
            .select_related("agency", "issuer")
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
        _notify(
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
        _notify(
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
        _notify(
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
            _notify(
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


# ---------------------------------------------------------------------------------------------
# Weekly digest


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


# ---------------------------------------------------------------------------------------------
# Scorecard facts (rollup)


def non_working_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    """National holidays (the `holidays` package) and national CalendarDay rows (cuti bersama,
    decreed days) between the two dates; weekends are handled in SQL."""
    return scorecard_calendar(start, end)[0]


def scorecard_calendar(
    start: dt.date, end: dt.date
) -> tuple[list[dt.date], dict[str, list[dt.date]]]:
    """The non-working days between the two dates, in one query: (national days, local days
    by calendar key). National days are the `holidays` package's and the CalendarDay rows
    without an agency. A local CalendarDay applies to its agency and every unit below it, so a
    complaint's local days are those of every agency whose path prefixes its `scope_path`; the
    key is the path of the deepest such agency, and its list already holds the days of the
    agencies above it (as `WorkingCalendar.for_agency`). Weekends are left to the caller."""
    national: set[dt.date] = set()
    for year in range(start.year, end.year + 1):
        national |= {d for d in national_holidays(year) if start <= d <= end}
    own: dict[str, set[dt.date]] = {}
    for day, path in CalendarDay.objects.filter(date__range=(start, end)).values_list(
        "date", "agency__path"
    ):
        if path is None:
            national.add(day)
        else:
            own.setdefault(path, set()).add(day)
    local: dict[str, list[dt.date]] = {}
    for path in own:
        days: set[dt.date] = set()
        for other, other_days in own.items():
            if path.startswith(other):
                days |= other_days
        local[path] = sorted(days - national)
    return sorted(national), local


def scorecard_calendar_key(scope_path: str, keys: Iterable[str]) -> str:
    """The calendar key of a complaint: the longest key prefixing its scope path ("" for the
    national calendar)."""
    best = ""
    for key in keys:
        if len(key) > len(best) and scope_path.startswith(key):
            best = key
    return best


# Working days in (a, b] = cum(b) - cum(a), where cum(d) counts the working days up to d: a
# cumulative calendar built once per statement, joined by date, one per calendar key (the
# national calendar "" and one per agency path with local non-working days, see
# `scorecard_calendar`). The dates are local to the agency's time zone, as the deadline
# arithmetic of complaints.clock is. The verification clock pauses while the complaint waits
# for the reporter (needs_info, DESIGN §4): the working days from each "held for info" event
# to the next "info supplied" event (or to the verification, when none came), within the
# filing-to-verification span, are subtracted from the days to verify.
SCORECARD_REFRESH_SQL = """
WITH loc AS (
    SELECT DISTINCT l.k, l.d FROM unnest(%(lkey)s::text[], %(lday)s::date[]) AS l(k, d)
),
keys AS (
    SELECT '' AS k UNION SELECT k FROM loc
),
cal AS (
    SELECT keys.k, g::date AS d,
           SUM(CASE WHEN EXTRACT(ISODOW FROM g) < 6 AND NOT (g::date = ANY(%(off)s::date[]))
                         AND loc.d IS NULL
                    THEN 1 ELSE 0 END) OVER (PARTITION BY keys.k ORDER BY g) AS cum
    FROM keys
    CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS g
    LEFT JOIN loc ON loc.k = keys.k AND loc.d = g::date
),
src AS (
    SELECT c.id, c.agency_id, c.unit_id, c.tier, c.reopen_count, c.rating,
           a.time_zone AS tz,
           COALESCE((SELECT keys.k FROM keys
                     WHERE keys.k <> '' AND left(c.scope_path, length(keys.k)) = keys.k
                     ORDER BY length(keys.k) DESC LIMIT 1), '') AS k,
           (c.submitted_at AT TIME ZONE a.time_zone)::date AS s_d,
           (c.verified_at AT TIME ZONE a.time_zone)::date AS v_d,
           (c.first_response_at AT TIME ZONE a.time_zone)::date AS r_d,
           (COALESCE(c.resolved_at, c.closed_at) AT TIME ZONE a.time_zone)::date AS res_d,
           (c.closed_at AT TIME ZONE a.time_zone)::date AS c_d
    FROM complaints_complaint c
    JOIN complaints_agency a ON a.id = c.agency_id
    WHERE c.submitted_at IS NOT NULL AND c.updated_at >= %(since)s
),
ev AS (
    SELECT e.complaint_id, e.type, src.k, src.s_d, src.v_d,
           (e.created_at AT TIME ZONE src.tz)::date AS d,
           LEAD(e.type) OVER w AS next_type,
           ((LEAD(e.created_at) OVER w) AT TIME ZONE src.tz)::date AS next_d
    FROM complaints_complaintevent e
    JOIN src ON src.id = e.complaint_id
    WHERE e.type IN (%(held)s, %(supplied)s) AND src.v_d IS NOT NULL
    WINDOW w AS (PARTITION BY e.complaint_id ORDER BY e.created_at, e.id)
),
pause AS (
    SELECT ev.complaint_id, SUM(GREATEST(pe.cum - ph.cum, 0)) AS days
    FROM ev
    JOIN cal ph ON ph.k = ev.k AND ph.d = GREATEST(ev.d, ev.s_d)
    JOIN cal pe ON pe.k = ev.k
        AND pe.d = LEAST(CASE WHEN ev.next_type = %(supplied)s THEN ev.next_d END, ev.v_d)
    WHERE ev.type = %(held)s
    GROUP BY ev.complaint_id
)
INSERT INTO focal_points_scorecardfact (
    complaint_id, agency_id, unit_id, submitted_on, tier, verify_days, response_days,
    resolution_days, close_days, reopened, rating, refreshed_at
)
SELECT src.id, src.agency_id, src.unit_id, src.s_d, src.tier,
       {verify}, {response}, {resolution}, {close},
       src.reopen_count > 0, src.rating, %(now)s
FROM src
JOIN cal cs ON cs.k = src.k AND cs.d = src.s_d
LEFT JOIN cal cv ON cv.k = src.k AND cv.d = src.v_d
LEFT JOIN cal cr ON cr.k = src.k AND cr.d = src.r_d
LEFT JOIN cal cres ON cres.k = src.k AND cres.d = src.res_d
LEFT JOIN cal cc ON cc.k = src.k AND cc.d = src.c_d
LEFT JOIN pause ON pause.complaint_id = src.id
ON CONFLICT (complaint_id) DO UPDATE SET
    agency_id = EXCLUDED.agency_id, unit_id = EXCLUDED.unit_id,
    submitted_on = EXCLUDED.submitted_on, tier = EXCLUDED.tier,
    verify_days = EXCLUDED.verify_days, response_days = EXCLUDED.response_days,
    resolution_days = EXCLUDED.resolution_days, close_days = EXCLUDED.close_days,
    reopened = EXCLUDED.reopened, rating = EXCLUDED.rating,
    refreshed_at = EXCLUDED.refreshed_at
"""


def _wd(end: str, start: str, minus: str = "") -> str:
    # NULL when either date is missing (GREATEST would turn NULL into 0).
    a, b = f"{end}.cum", f"{start}.cum"
    span = f"GREATEST({a} - {b} - {minus}, 0)" if minus else f"{a} - {b}"
    return f"(CASE WHEN {a} >= {b} THEN {span} WHEN {a} < {b} THEN 0 END)"


SCORECARD_REFRESH_SQL = SCORECARD_REFRESH_SQL.format(
    verify=_wd("cv", "cs", minus="COALESCE(pause.days, 0)"),
    response=_wd("cr", "cv"),
    resolution=_wd("cres", "cv"),
    close=_wd("cc", "cs"),
)


def scorecard_facts_refresh(*, now: dt.datetime | None = None, full: bool = False) -> int:
    """Recompute the scorecard facts of every complaint changed since the last run (all of
    them when `full` or on the first run) in one SQL statement. Safe to run concurrently with
    itself (the upsert is idempotent) and with writers (a complaint changed during the run is
    picked up by the next one, which starts from this run's start minus a margin)."""
    now = now or timezone.now()
    run, _created = SweepRun.objects.get_or_create(name=SCORECARD_REFRESH_SWEEP)
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    since = epoch
    if not full and run.last_success_at and run.last_started_at:
        # The margin covers transactions that were open when the previous run started.
        since = run.last_started_at - dt.timedelta(minutes=10)
    SweepRun.objects.filter(pk=run.pk).update(last_started_at=now)
    postgres = rollup_uses_postgres_sql()
    if postgres:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT MIN(submitted_at) FROM complaints_complaint "
                "WHERE submitted_at IS NOT NULL AND updated_at >= %s",
                [since],
            )
            (first,) = cur.fetchone()
    else:
        # The ORM converts the value (SQLite returns text for MIN of a datetime column).
        first = Complaint.objects.filter(
            submitted_at__isnull=False, updated_at__gte=since
        ).aggregate(first=Min("submitted_at"))["first"]
    if first is None:
        SweepRun.objects.filter(pk=run.pk).update(last_success_at=timezone.now(), last_error="")
        return 0
    # Local dates may be a day after the UTC date (WIT is UTC+9); pad both ends.
    start = first.date() - dt.timedelta(days=2)
    end = max(now.date(), timezone.localdate(now)) + dt.timedelta(days=2)
    if not postgres:
        count, months = _scorecard_facts_upsert_portable(start=start, end=end, since=since, now=now)
        scorecard_rollup_refresh(months=months)
        SweepRun.objects.filter(pk=run.pk).update(last_success_at=timezone.now(), last_error="")
        return count
    off, local = scorecard_calendar(start, end)
    pairs = [(key, day) for key, days in local.items() for day in days]
    with connection.cursor() as cur:
        cur.execute(
            SCORECARD_REFRESH_SQL,
            {
                "off": off,
                "lkey": [key for key, _day in pairs],
                "lday": [day for _key, day in pairs],
                "held": EventType.HELD_FOR_INFO.value,
                "supplied": EventType.INFO_SUPPLIED.value,
                "start": start,
                "end": end,
                "since": since,
                "now": now,
            },
        )
        count = cur.rowcount
        cur.execute(
            "SELECT DISTINCT date_trunc('month', submitted_on)::date "
            "FROM focal_points_scorecardfact WHERE refreshed_at = %s",
            [now],
        )
        months = sorted(row[0] for row in cur.fetchall())
    scorecard_rollup_refresh(months=months)
    SweepRun.objects.filter(pk=run.pk).update(last_success_at=timezone.now(), last_error="")
    return count


SCORECARD_MONTH_SQL = """
INSERT INTO focal_points_scorecardmonth (
    agency_id, unit_id, month, received, verified, verified_within, responded,
    responded_within, resolved, resolved_within, reopened, rating_count, rating_sum
)
SELECT agency_id, unit_id, date_trunc('month', submitted_on)::date,
       COUNT(*), COUNT(verify_days), COUNT(*) FILTER (WHERE verify_days <= %(verify)s),
       COUNT(response_days), COUNT(*) FILTER (WHERE response_days <= %(response)s),
       COUNT(resolution_days),
       COUNT(*) FILTER (WHERE resolution_days <= CASE tier
           WHEN 'information' THEN %(tier_information)s
           WHEN 'field' THEN %(tier_field)s
           ELSE %(tier_standard)s END),
       COUNT(*) FILTER (WHERE reopened AND response_days IS NOT NULL),
       COUNT(rating), COALESCE(SUM(rating), 0)
FROM focal_points_scorecardfact
WHERE submitted_on >= %(first)s AND submitted_on < %(last)s
  AND date_trunc('month', submitted_on)::date = ANY(%(months)s::date[])
GROUP BY 1, 2, 3
"""

SCORECARD_HISTOGRAM_SQL = """
INSERT INTO focal_points_scorecardhistogram (agency_id, unit_id, month, metric, days, n)
SELECT agency_id, unit_id, date_trunc('month', submitted_on)::date, m.metric, m.days, COUNT(*)
FROM focal_points_scorecardfact f
CROSS JOIN LATERAL (VALUES (1, f.verify_days), (2, f.response_days), (3, f.close_days))
    AS m(metric, days)
WHERE m.days IS NOT NULL AND submitted_on >= %(first)s AND submitted_on < %(last)s
  AND date_trunc('month', submitted_on)::date = ANY(%(months)s::date[])
GROUP BY 1, 2, 3, 4, 5
"""


FACT_UPDATE_FIELDS = (
    "agency",
    "unit",
    "submitted_on",
    "tier",
    "verify_days",
    "response_days",
    "resolution_days",
    "close_days",
    "reopened",
    "rating",
    "refreshed_at",
)
FACT_BATCH_SIZE = 500


def _scorecard_facts_upsert_portable(
    *, start: dt.date, end: dt.date, since: dt.datetime, now: dt.datetime
) -> tuple[int, list[dt.date]]:
    """SCORECARD_REFRESH_SQL for databases other than PostgreSQL (the embedded SQLite of
    `make run`): the same cumulative working-day calendar, built in Python, applied to the
    complaints changed since `since`, upserted in batches. Returns (facts written, months of
    filing touched). Meant for demo-sized data; PostgreSQL takes the one-statement path."""
    off, local = scorecard_calendar(start, end)
    national = set(off)
    cums: dict[str, dict[dt.date, int]] = {}
    for key, local_days in [("", []), *local.items()]:
        skip = national | set(local_days)
        cum: dict[dt.date, int] = {}
        running = 0
        day = start
        while day <= end:
            if day.isoweekday() < 6 and day not in skip:
                running += 1
            cum[day] = running
            day += dt.timedelta(days=1)
        cums[key] = cum
    local_keys = list(local)

    def working_days(
        cum: dict[dt.date, int], later: dt.date | None, earlier: dt.date | None
    ) -> int | None:
        # As the SQL: NULL when either date is missing or outside the calendar, 0 when the
        # later date comes first.
        a = cum.get(later) if later is not None else None
        b = cum.get(earlier) if earlier is not None else None
        if a is None or b is None:
            return None
        return max(a - b, 0)

    zones: dict[str, ZoneInfo] = {}

    def local(moment: dt.datetime | None, tz_name: str) -> dt.date | None:
        if moment is None:
            return None
        if tz_name not in zones:
            zones[tz_name] = ZoneInfo(tz_name)
        return moment.astimezone(zones[tz_name]).date()

    changed = Complaint.objects.filter(
        submitted_at__isnull=False, updated_at__gte=since, agency__isnull=False
    )
    # The "held for info" / "info supplied" events of those complaints, in one query.
    waits: dict[int, list[tuple[str, dt.datetime]]] = {}
    for complaint_id, type_, created_at in (
        ComplaintEvent.objects.filter(
            complaint__in=changed.values("pk"),
            type__in=[EventType.HELD_FOR_INFO, EventType.INFO_SUPPLIED],
        )
        .order_by("complaint_id", "created_at", "pk")
        .values_list("complaint_id", "type", "created_at")
    ):
        waits.setdefault(complaint_id, []).append((type_, created_at))

    def paused(
        cum: dict[dt.date, int],
        events: list[tuple[str, dt.datetime]],
        s_d: dt.date,
        v_d: dt.date,
        tz_name: str,
    ) -> int:
        # As the SQL: each hold runs to the next event when that is "info supplied", else to
        # the verification; clipped to the filing-to-verification span.
        days = 0
        for index, (type_, created_at) in enumerate(events):
            if type_ != EventType.HELD_FOR_INFO:
                continue
            follower = events[index + 1] if index + 1 < len(events) else None
            end_d = v_d
            if follower is not None and follower[0] == EventType.INFO_SUPPLIED:
                end_d = min(local(follower[1], tz_name), v_d)
            held = working_days(cum, end_d, max(local(created_at, tz_name), s_d))
            days += held or 0
        return days

    rows = changed.order_by("pk").values_list(
        "pk",
        "agency_id",
        "unit_id",
        "tier",
        "reopen_count",
        "rating",
        "submitted_at",
        "verified_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "agency__time_zone",
        "scope_path",
    )
    count = 0
    months: set[dt.date] = set()
    batch: list[ScorecardFact] = []

    def flush() -> None:
        ScorecardFact.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["complaint"],
            update_fields=list(FACT_UPDATE_FIELDS),
        )
        batch.clear()

    with transaction.atomic():
        for (
            pk,
            agency_id,
            unit_id,
            tier,
            reopen_count,
            rating,
            submitted_at,
            verified_at,
            first_response_at,
            resolved_at,
            closed_at,
            tz_name,
            scope_path,
        ) in rows.iterator(chunk_size=2000):
            cum = cums[scorecard_calendar_key(scope_path, local_keys)]
            s_d = local(submitted_at, tz_name)
            if s_d not in cum:
                continue
            v_d = local(verified_at, tz_name)
            r_d = local(first_response_at, tz_name)
            res_d = local(resolved_at or closed_at, tz_name)
            c_d = local(closed_at, tz_name)
            verify_days = working_days(cum, v_d, s_d)
            if verify_days and v_d is not None and pk in waits:
                verify_days = max(verify_days - paused(cum, waits[pk], s_d, v_d, tz_name), 0)
            batch.append(
                ScorecardFact(
                    complaint_id=pk,
                    agency_id=agency_id,
                    unit_id=unit_id,
                    submitted_on=s_d,
                    tier=tier,
                    verify_days=verify_days,
                    response_days=working_days(cum, r_d, v_d),
                    resolution_days=working_days(cum, res_d, v_d),
                    close_days=working_days(cum, c_d, s_d),
                    reopened=(reopen_count or 0) > 0,
                    rating=rating,
                    refreshed_at=now,
                )
            )
            months.add(s_d.replace(day=1))
            count += 1
            if len(batch) >= FACT_BATCH_SIZE:
                flush()
        if batch:
            flush()
    return count, sorted(months)


def _scorecard_rollup_portable(*, months: list[dt.date], params: dict) -> None:
    """SCORECARD_MONTH_SQL and SCORECARD_HISTOGRAM_SQL through the ORM (conditional counts,
    TruncMonth), for databases other than PostgreSQL. Runs inside the caller's transaction."""
    ScorecardMonth.objects.filter(month__in=months).delete()
    ScorecardHistogram.objects.filter(month__in=months).delete()
    facts = (
        ScorecardFact.objects.filter(
            submitted_on__gte=params["first"], submitted_on__lt=params["last"]
        )
        .annotate(month_of=TruncMonth("submitted_on", output_field=DateField()))
        .filter(month_of__in=months)
        .order_by()
    )
    within_tier = (
        Q(tier="information", resolution_days__lte=params["tier_information"])
        | Q(tier="field", resolution_days__lte=params["tier_field"])
        | (~Q(tier__in=["information", "field"]) & Q(resolution_days__lte=params["tier_standard"]))
    )
    counters = facts.values("agency_id", "unit_id", "month_of").annotate(
        c_received=Count("pk"),
        c_verified=Count("verify_days"),
        c_verified_within=Count("pk", filter=Q(verify_days__lte=params["verify"])),
        c_responded=Count("response_days"),
        c_responded_within=Count("pk", filter=Q(response_days__lte=params["response"])),
        c_resolved=Count("resolution_days"),
        c_resolved_within=Count("pk", filter=within_tier),
        c_reopened=Count("pk", filter=Q(reopened=True, response_days__isnull=False)),
        c_rating_count=Count("rating"),
        c_rating_sum=Coalesce(Sum("rating"), 0),
    )
    ScorecardMonth.objects.bulk_create(
        [
            ScorecardMonth(
                agency_id=item["agency_id"],
                unit_id=item["unit_id"],
                month=item["month_of"],
                received=item["c_received"],
                verified=item["c_verified"],
                verified_within=item["c_verified_within"],
                responded=item["c_responded"],
                responded_within=item["c_responded_within"],
                resolved=item["c_resolved"],
                resolved_within=item["c_resolved_within"],
                reopened=item["c_reopened"],
                rating_count=item["c_rating_count"],
                rating_sum=item["c_rating_sum"],
            )
            for item in counters
        ],
        batch_size=FACT_BATCH_SIZE,
    )
    histogram: list[ScorecardHistogram] = []
    for metric, column in (
        (ScorecardHistogram.Metric.VERIFY, "verify_days"),
        (ScorecardHistogram.Metric.RESPONSE, "response_days"),
        (ScorecardHistogram.Metric.CLOSE, "close_days"),
    ):
        counts = (
            facts.filter(**{f"{column}__isnull": False})
            .values("agency_id", "unit_id", "month_of", column)
            .annotate(c_n=Count("pk"))
        )
        histogram += [
            ScorecardHistogram(
                agency_id=item["agency_id"],
                unit_id=item["unit_id"],
                month=item["month_of"],
                metric=metric,
                days=item[column],
                n=item["c_n"],
            )
            for item in counts
        ]
    ScorecardHistogram.objects.bulk_create(histogram, batch_size=FACT_BATCH_SIZE)


def scorecard_rollup_refresh(*, months: list[dt.date]) -> None:
    """Rebuild the monthly counters and working-day histograms of the given months (first days)
    from the facts, in one transaction so readers never see a half-built month."""
    if not months:
        return

    policy = sla_policy_for(agency=None)
    last = months[-1]
    params = {
        "months": months,
        "first": months[0],
        "last": (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1),
        "verify": policy.verify_days,
        "response": policy.first_response_days,
        "tier_information": policy.tier_information_days,
        "tier_standard": policy.tier_standard_days,
        "tier_field": policy.tier_field_days,
    }
    if not rollup_uses_postgres_sql():
        with transaction.atomic():
            _scorecard_rollup_portable(months=months, params=params)
        return
    with transaction.atomic(), connection.cursor() as cur:
        for table in ("focal_points_scorecardmonth", "focal_points_scorecardhistogram"):
            cur.execute(f"DELETE FROM {table} WHERE month = ANY(%s::date[])", [months])  # noqa: S608
        cur.execute(SCORECARD_MONTH_SQL, params)
        cur.execute(SCORECARD_HISTOGRAM_SQL, params)


BOARD_REFRESH_SWEEP = "focal_points.board_refresh"


def board_snapshot_refresh(*, now: dt.datetime | None = None) -> int:
    """Recount the open complaints of every agency and unit by clock state (one GROUP BY in
    the database) and replace the board snapshot with it, atomically."""
    from focal_points.models import BoardSnapshot
    from focal_points.selectors import board_state_counts

    now = now or timezone.now()
    counts = board_state_counts(
        Complaint.objects.filter(agency__isnull=False), ("agency_id", "unit_id"), now=now
    )
    with transaction.atomic():
        BoardSnapshot.objects.all().delete()
        BoardSnapshot.objects.bulk_create(
            [
                BoardSnapshot(
                    agency_id=item["agency_id"],
                    unit_id=item["unit_id"],
                    on_track=item["on_track"],
                    due_soon=item["due_soon"],
                    overdue=item["overdue"],
                    escalated=item["escalated"],
                    past_due=item["past_due"],
                    computed_at=now,
                )
                for item in counts
            ]
        )
        SweepRun.objects.update_or_create(
            name=BOARD_REFRESH_SWEEP,
            defaults={"last_started_at": now, "last_success_at": now, "last_error": ""},
        )
    return len(counts)

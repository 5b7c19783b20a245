"""Triage: verify, hold for information, classify, set privacy, archive, route, forward, merge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import (
    ApplicationError,
    NotAllowed,
)
from complaints import actions
from complaints.access import (
    actor_is_national_admin,
    actor_roles_for,
    require_role,
    users_with_role_over,
)
from complaints.clock import WorkingCalendar
from complaints.models import (
    Agency,
    Category,
    Complaint,
    ComplaintAgencyHistory,
    EventType,
    Kind,
    ResolutionTier,
    Role,
    Status,
)
from complaints.policy import calendar_for, sla_policy_for
from complaints.services.core import (
    SYSTEM_ARCHIVE_REASONS,
    breaches_at_end,
    capped_at_ceiling,
    check_transition,
    check_version,
    complaint_save,
    deadlines_into_calendar,
    event_append,
    lock_complaint,
    notify_reporter,
    notify_users,
    scope_path_of,
    set_current_clock,
)


def complaint_verify(
    *,
    complaint_id: int,
    actor: User | None,
    expected_version: int | None = None,
    title: str | None = None,
    kind: str | None = None,
    category: Category | None = None,
    tier: str | None = None,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.VERIFY)
        check_version(c, expected_version)
        check_transition(c, Status.VERIFIED, c.can_verify())
        if c.agency_id is None:
            raise ApplicationError(
                _("Choose the agency responsible before verifying (forward the complaint).")
            )
        from_status = c.status
        fields = {"status", "verified_at", "verify_due_at"}
        corrections: dict[str, Any] = {}
        if title is not None and title.strip() and title.strip() != c.title:
            corrections["title"] = [c.title, title.strip()]
            c.title = title.strip()
            fields.add("title")
        if kind is not None and kind != c.kind:
            if kind not in Kind.values:
                raise ApplicationError(_("Choose the kind of report."))
            corrections["kind"] = [c.kind, kind]
            c.kind = kind
            fields.add("kind")
        if category is not None and category.pk != c.category_id:
            if category.agency_id != c.agency_id:
                raise ApplicationError(_("The category does not belong to the agency."))
            corrections["category"] = [c.category_id, category.pk]
            c.category = category
            fields.add("category")
        if tier is not None and tier != c.tier:
            if tier not in ResolutionTier.values:
                raise ApplicationError(_("Choose a resolution tier."))
            corrections["tier"] = [c.tier, tier]
            c.tier = tier
            fields.add("tier")
        privacy = _apply_privacy(c, actor, is_anonymous, is_confidential)
        fields |= set(privacy)
        policy = sla_policy_for(agency=c.agency, category=c.category)
        cal = calendar_for(c)
        c.status = Status.VERIFIED
        c.verified_at = now
        c.verify_due_at = c.verify_due_at  # kept: compliance is measured against it
        if c.hard_ceiling_at is None:
            # The end of the local day, like every other deadline (not the hour of verifying).
            last_day = cal.local_date(now) + dt.timedelta(days=policy.hard_ceiling_calendar_days)
            c.hard_ceiling_at = cal.end_of_day(last_day)
        c.response_due_at = capped_at_ceiling(
            cal.add_working_days(now, policy.first_response_days), c.hard_ceiling_at
        )
        c.resolution_due_at = capped_at_ceiling(
            cal.add_working_days(now, policy.tier_days(c.tier)), c.hard_ceiling_at
        )
        fields |= {"hard_ceiling_at", "response_due_at", "resolution_due_at"}
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.VERIFIED,
            actor=actor,
            from_status=from_status,
            data={"corrections": corrections, "privacy": privacy},
            now=now,
        )
        if privacy:
            event_append(
                c,
                EventType.PRIVACY_CHANGED,
                actor=actor,
                from_status=c.status,
                data={"changes": privacy},
                now=now,
            )
        notify_reporter(c, "verified", event)
    return c


def _apply_privacy(
    c: Complaint, actor: User | None, is_anonymous: bool | None, is_confidential: bool | None
) -> dict[str, list[bool]]:
    """Staff may turn anonim/rahasia on; turning either off needs the national admin."""
    changes: dict[str, list[bool]] = {}
    for field, value in (("is_anonymous", is_anonymous), ("is_confidential", is_confidential)):
        if value is None or value == getattr(c, field):
            continue
        if not value and actor is not None and not actor_is_national_admin(actor):
            raise NotAllowed(
                _("Only the national admin can turn off anonymity or confidentiality.")
            )
        changes[field] = [getattr(c, field), value]
        setattr(c, field, value)
    return changes


def complaint_set_privacy(
    *,
    complaint_id: int,
    actor: User | None,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    reporter: bool = False,
) -> Complaint:
    """Change the privacy flags. `reporter=True` is the reporter acting on their own complaint
    (authorised by the caller with the access code): they may turn either flag on or off."""
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        if not reporter:
            actions.require_action(actor, c, actions.PRIVACY)
            changes = _apply_privacy(c, actor, is_anonymous, is_confidential)
        else:
            changes = {}
            for field, value in (
                ("is_anonymous", is_anonymous),
                ("is_confidential", is_confidential),
            ):
                if value is not None and value != getattr(c, field):
                    changes[field] = [getattr(c, field), value]
                    setattr(c, field, value)
        if not changes:
            return c
        complaint_save(c, changes.keys())
        event_append(
            c,
            EventType.PRIVACY_CHANGED,
            actor=actor,
            from_status=c.status,
            actor_label="reporter" if reporter else None,
            data={"changes": changes},
        )
    return c


def complaint_set_category(
    *,
    complaint_id: int,
    actor: User | None,
    category: Category,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Classify an open complaint after verification (a forward clears the category, and the
    receiving agency sets its own). The SLA policy may depend on the category, but deadlines
    already running are NOT recomputed: they were promised under the policy in force when
    their clock started, and the next clock that starts uses the new category's policy."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.CATEGORY)
        check_version(c, expected_version)
        if not c.is_open:
            check_transition(c, c.status, False)
        if c.agency_id is None or category.agency_id != c.agency_id:
            raise ApplicationError(_("The category does not belong to the agency."))
        if category.pk == c.category_id:
            raise ApplicationError(_("The complaint already has this category."))
        previous = c.category
        c.category = category
        complaint_save(c, {"category"})
        event_append(
            c,
            EventType.RECLASSIFIED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={
                "field": "category",
                "from": previous.pk if previous else None,
                "from_name": previous.name if previous else "",
                "to": category.pk,
                "to_name": category.name,
                "deadlines_recomputed": False,
            },
            now=now,
        )
    return c


def complaint_hold_for_info(
    *,
    complaint_id: int,
    actor: User | None,
    message: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Ask the reporter for missing information: the verification clock pauses."""
    now = now or timezone.now()
    if not message.strip():
        raise ApplicationError(_("Write what information the reporter must supply."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.HOLD)
        check_version(c, expected_version)
        check_transition(c, Status.NEEDS_INFO, c.can_hold_for_info())
        cal = calendar_for(c)
        policy = sla_policy_for(agency=c.agency, category=c.category)
        from_status = c.status
        # The clock pauses with what it had left, or, once breached, with how late it already
        # is (negative): a breach stays a breach when it resumes.
        c.verify_remaining_days = (
            None
            if c.verify_due_at is None
            else cal.working_days_left(now, c.verify_due_at)
            if c.verify_due_at < now
            else cal.working_days_between(now, c.verify_due_at)
        )
        c.verify_due_at = None
        c.reporter_info_due_at = cal.add_working_days(now, policy.reporter_info_days)
        c.status = Status.NEEDS_INFO
        fields = {"status", "verify_remaining_days", "verify_due_at", "reporter_info_due_at"}
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.HELD_FOR_INFO,
            actor=actor,
            from_status=from_status,
            body=message.strip(),
            now=now,
        )
        notify_reporter(c, "info_requested", event, message=message.strip())
    return c


def complaint_archive(
    *,
    complaint_id: int,
    actor: User | None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Archive (spam, unclear, not a public-service matter, or another reason). After
    verification the reason must explain the case to the reporter, beyond a listed reason."""
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Give the reason for archiving."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.ARCHIVE)
        check_version(c, expected_version)
        check_transition(c, Status.ARCHIVED)
        if c.verified_at is not None and reason.strip() in SYSTEM_ARCHIVE_REASONS:
            # Accepted as a complaint, then not processed: the reporter is owed an explanation
            # of their own case, not only a listed reason.
            raise ApplicationError(
                _("After verification, explain to the reporter why the complaint is archived.")
            )
        from_status = c.status
        missed = breaches_at_end(c, now)
        c.status = Status.ARCHIVED
        c.archive_reason = reason.strip()[:255]
        c.archived_at = now
        fields = {"status", "archive_reason", "archived_at"} | set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.ARCHIVED,
            actor=actor,
            from_status=from_status,
            body=c.archive_reason,
            data={"breaches": missed} if missed else {},
            now=now,
        )
        notify_reporter(c, "archived", event, reason=c.archive_reason)
    return c


def complaint_route(
    *,
    complaint_id: int,
    actor: User | None,
    unit: Agency,
    assignee: User | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Disposisi: send the complaint to a unit of its agency (optionally to one officer)."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.ROUTE)
        check_version(c, expected_version)
        check_transition(c, Status.ASSIGNED, c.can_route())
        if c.agency is None or not unit.is_within(c.agency):
            raise ApplicationError(_("Choose a unit of the agency that handles the complaint."))
        if assignee is not None and Role.OFFICER not in actor_roles_for(
            actor=assignee, scope_path=unit.path
        ):
            raise ApplicationError(_("The chosen officer does not work in that unit."))
        from_status = c.status
        previous = c.assignee
        before = calendar_for(c)
        c.unit = unit
        c.scope_path = unit.path
        c.assignee = assignee
        c.status = Status.ASSIGNED
        fields = {"unit", "scope_path", "assignee", "status"}
        fields |= deadlines_into_calendar(c, before, calendar_for(c))
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.ROUTED,
            actor=actor,
            from_status=from_status,
            data={
                "unit": unit.pk,
                "unit_name": unit.name,
                "assignee": assignee.pk if assignee else None,
            },
            now=now,
        )
        recipients = (
            [assignee] if assignee else users_with_role_over(node=unit, roles=[Role.OFFICER])
        )
        notify_users(recipients, c, "staff_routed", f"routed:{event.pk}")
        # A re-route takes the complaint away from the officer who had it: they must know.
        if previous is not None and previous.pk not in {u.pk for u in recipients}:
            notify_users([previous], c, "staff_unassigned", f"unassigned:{event.pk}")
    return c


def complaint_return_to_agency(
    *,
    complaint_id: int,
    actor: User | None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Bukan wewenang at unit level: the unit hands a misrouted disposition back to its
    agency's verifiers with a reason. One event; the clocks keep running (the deadlines move
    back to the agency's calendar, the same working day, as routing moved them)."""
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Say why the complaint is not for this unit."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.RETURN_TO_AGENCY)
        check_version(c, expected_version)
        check_transition(
            c, Status.VERIFIED, actions.legal(actions.RETURN_TO_AGENCY, c, actor=actor, draft=None)
        )
        from_status = c.status
        unit = c.unit
        before = calendar_for(c)
        c.unit = None
        c.assignee = None
        c.scope_path = scope_path_of(c)
        c.status = Status.VERIFIED
        fields = {"unit", "assignee", "scope_path", "status"}
        fields |= deadlines_into_calendar(c, before, calendar_for(c))
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.ROUTE_RETURNED,
            actor=actor,
            from_status=from_status,
            body=reason.strip(),
            data={"unit": unit.pk, "unit_name": unit.name},
            now=now,
        )
        verifiers = users_with_role_over(node=c.agency, roles=[Role.VERIFIER])
        notify_users(
            verifiers,
            c,
            "staff_route_returned",
            f"route_returned:{event.pk}",
            unit_name=unit.name,
            reason=reason.strip(),
        )
    return c


def complaint_forward(
    *,
    complaint_id: int,
    actor: User | None,
    agency: Agency | None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Pelimpahan / bukan wewenang: hand the complaint to another agency, or (`agency=None`)
    to the national triage desk when the agency does not know who owns it. The sending agency
    keeps read access to its part of the history; the receiver gets a new clock (verification
    if it was never verified, else response); the hard ceiling never resets."""
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Give the reason for forwarding."))
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.FORWARD)
        check_version(c, expected_version)
        if not c.can_forward():
            check_transition(c, Status.VERIFIED, False)
        if agency is not None and agency.parent_id is not None:
            raise ApplicationError(_("Forward to an agency, not to a unit (route to units)."))
        if c.agency_id == (agency.pk if agency is not None else None):
            raise ApplicationError(_("The complaint is already at this agency."))
        from_status = c.status
        previous = c.agency
        if previous is not None:
            ComplaintAgencyHistory.objects.get_or_create(
                complaint=c,
                agency=previous,
                defaults={"agency_path": previous.path, "forwarded_at": now},
            )
        c.agency = agency
        c.unit = None
        c.assignee = None
        c.scope_path = agency.path if agency is not None else ""
        c.category = None
        cal = WorkingCalendar.for_agency(agency)
        policy = sla_policy_for(agency=agency)
        fields = {"agency", "unit", "assignee", "scope_path", "category", "status", "clock_cycle"}
        # The receiving agency asks for what it needs itself.
        c.data_requested_at = None
        fields.add("data_requested_at")
        c.clock_cycle += 1
        if from_status == Status.SUBMITTED:
            c.status = Status.SUBMITTED
            c.verify_due_at = cal.add_working_days(now, policy.verify_days)
            fields.add("verify_due_at")
        else:
            c.status = Status.VERIFIED
            c.response_due_at = capped_at_ceiling(
                cal.add_working_days(now, policy.first_response_days), c.hard_ceiling_at
            )
            fields.add("response_due_at")
        fields |= set(set_current_clock(c))
        # A new clock at a new agency starts at the bottom of the ladder.
        c.escalation_level = 0
        fields.add("escalation_level")
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.FORWARDED,
            actor=actor,
            from_status=from_status,
            body=reason.strip(),
            data={
                "from_agency": previous.pk if previous else None,
                "from_agency_name": previous.name if previous else "",
                "to_agency": agency.pk if agency is not None else None,
                "to_agency_name": agency.name if agency is not None else "",
            },
            now=now,
        )
        verifiers = users_with_role_over(node=agency, roles=[Role.VERIFIER])
        notify_users(verifiers, c, "staff_forwarded", f"forwarded:{event.pk}")
        notify_reporter(
            c, "forwarded", event, agency_name=event.forwarded_to_name, reason=reason.strip()
        )
    return c


def complaint_merge(
    *,
    complaint_id: int,
    into_id: int,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Archive a duplicate, pointing to the complaint that carries on. With
    `expected_version`, refused (StaleState) when the duplicate changed since it was read."""
    now = now or timezone.now()
    if complaint_id == into_id:
        raise ApplicationError(_("A complaint cannot be merged into itself."))
    with transaction.atomic():
        # Lock both rows in pk order, so two merges of the same pair cannot deadlock.
        first, second = sorted([complaint_id, into_id])
        a, b = lock_complaint(first), lock_complaint(second)
        c, target = (a, b) if a.pk == complaint_id else (b, a)
        actions.require_action(actor, c, actions.MERGE)
        require_role(actor, target, actions.MERGE_TARGET_ROLES)
        check_version(c, expected_version)
        check_transition(c, Status.ARCHIVED)
        if not target.is_open:
            raise ApplicationError(_("Merge into a complaint that is still open."))
        from_status = c.status
        c.status = Status.ARCHIVED
        c.archive_reason = _("Duplicate of %(number)s") % {"number": target.display_tracking_number}
        c.archived_at = now
        c.merged_into = target
        fields = {"status", "archive_reason", "archived_at", "merged_into"}
        fields |= set(set_current_clock(c))
        complaint_save(c, fields)
        event = event_append(
            c,
            EventType.MERGED,
            actor=actor,
            from_status=from_status,
            data={"into": target.pk, "into_number": target.tracking_number},
            now=now,
        )
        event_append(
            target,
            EventType.NOTE,
            actor=actor,
            from_status=target.status,
            is_public=False,
            body=_("Duplicate merged: %(number)s") % {"number": c.display_tracking_number},
            data={"merged": c.pk},
            now=now,
        )
        notify_reporter(c, "merged", event, target=target)
    return c

"""Escalation: one ladder step written once, its recipients, its acknowledgement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import (
    ApplicationError,
    NotAllowed,
    NotFound,
)
from complaints import actions
from complaints.access import (
    escalation_addressed_to,
    users_with_role_over,
)
from complaints.models import (
    ESCALATION_LEVEL_FIELDS,
    Complaint,
    Escalation,
    EventType,
    Notification,
    Role,
)
from complaints.outbox.delivery import Moot, Subject, register_resolver
from complaints.outbox.queue import notification_queue
from complaints.policy import (
    TRACK_OF_CLOCK,
    calendar_for,
    escalation_step_roles,
    ladder_step,
    sla_policy_for,
    step_threshold,
)
from complaints.services.core import event_append, lock_complaint


def complaint_escalate(
    *,
    complaint_id: int,
    clock: str,
    cycle: int,
    level: int,
    due_at: dt.datetime,
    name: str = "",
    actor: User | None = None,
    deliver_after: dt.datetime | None = None,
    notify: Iterable[str] | None = None,
    now: dt.datetime | None = None,
) -> Escalation | None:
    """Record one ladder step and notify the roles it names (`notify`; by default those of the
    step with this level in the complaint's policy ladder; `notify=()` writes the step alone
    and leaves the messages to escalation_notify). Returns None when that step already exists
    (a sweep or task that runs twice escalates once) or the complaint has moved on to another
    clock or cycle. A step reached outside the agency's working hours is delivered at the
    start of the next working day. The bulk path of complaints.sweeps writes the same rows
    set-based."""
    now = now or timezone.now()
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        level_field = ESCALATION_LEVEL_FIELDS.get(clock)
        if level_field is None:
            return None
        # The verify and response clocks take turns in current_clock; the resolution clock and
        # the hard ceiling run beside them and never restart.
        shared = level_field == "escalation_level"
        if shared and (c.current_clock != clock or c.clock_cycle != cycle):
            return None
        if deliver_after is None:
            cal = calendar_for(c)
            deliver_after = None if cal.is_working_hours(now) else cal.next_working_start(now)
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    complaint=c,
                    clock=clock,
                    cycle=cycle,
                    level=level,
                    name=name,
                    due_at=due_at,
                    created_at=now,
                    deliver_after=deliver_after,
                )
        except IntegrityError:
            return None
        # Every step raises its clock's level, also one outside the sweep's own cycles (a
        # second objection: resolution clock, cycle = reopen count), so the complaint shows
        # as escalated (is_escalated) and the sweep, which climbs only above the level
        # reached, never sends that clock's steps up to this one again.
        if level > getattr(c, level_field):
            setattr(c, level_field, level)
            c.save(update_fields=[level_field])
        event_append(
            c,
            EventType.ESCALATED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={
                "clock": clock,
                "cycle": cycle,
                "level": level,
                "name": name,
                "escalation": escalation.pk,
            },
            now=now,
        )
        if notify is None:
            notify = escalation_step_roles(complaint=c, level=level)
        escalation_notify(complaint=c, escalation=escalation, roles=notify)
    return escalation


def escalation_recipients(*, complaint: Complaint, roles: Iterable[str]) -> list[User]:
    """Who a step naming `roles` goes to, by email: the officer step to the assignee, or to the
    unit's officers when nobody took it, or to the agency's verifiers before the complaint was
    routed; every other role to its holders over the complaint's unit or agency (national
    admins for complaints in triage). Active accounts with an email address only."""
    c = complaint
    roles = set(roles)
    recipients: dict[int, User] = {}
    if Role.OFFICER in roles and c.assignee_id:
        recipients[c.assignee_id] = c.assignee
        roles.discard(Role.OFFICER)
    elif Role.OFFICER in roles and not c.unit_id:
        roles.discard(Role.OFFICER)
        roles.add(Role.VERIFIER)
    if roles:
        for user in users_with_role_over(node=c.unit or c.agency, roles=roles):
            recipients.setdefault(user.pk, user)
    return sorted(
        (u for u in recipients.values() if u.email and u.is_active), key=lambda u: u.email
    )


def escalation_notify(
    *,
    complaint: Complaint,
    escalation: Escalation,
    roles: Iterable[str],
) -> int:
    """One message per recipient of the step (escalation_recipients). Returns the messages
    written."""
    written = 0
    for user in escalation_recipients(complaint=complaint, roles=roles):
        message = notification_queue(
            kind="escalation",
            cause_key=f"escalation:{escalation.pk}",
            recipient=user.email,
            recipient_user=user,
            complaint=complaint,
            context={"escalation": escalation},
            not_before=escalation.deliver_after,
            # Delivery marks the escalation notified (as the sweep's set-based rows do).
            payload={"escalation": escalation.pk},
        )
        written += message is not None
    return written


def escalation_acknowledge(*, escalation_id: int, actor: User) -> Escalation:
    with transaction.atomic():
        try:
            complaint_id = Escalation.objects.values_list("complaint_id", flat=True).get(
                pk=escalation_id
            )
        except Escalation.DoesNotExist as exc:
            raise NotFound(_("Escalation not found.")) from exc
        c = lock_complaint(complaint_id)
        actions.require_action(actor, c, actions.ACKNOWLEDGE)
        escalation = Escalation.objects.select_for_update().get(pk=escalation_id)
        # Only the people the ladder step is addressed to acknowledge it (national admins:
        # the focal-point steps), so one focal point cannot clear another's list.
        addressed = escalation_step_roles(complaint=c, level=escalation.level)
        if not escalation_addressed_to(complaint=c, roles=addressed, actor=actor):
            raise NotAllowed(_("This escalation is addressed to someone else."))
        if escalation.acknowledged_at is not None:
            raise ApplicationError(_("This escalation was already acknowledged."))
        escalation.acknowledged_at = timezone.now()
        escalation.acknowledged_by = actor
        escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
        event_append(
            c,
            EventType.ESCALATION_ACKNOWLEDGED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={"escalation": escalation.pk, "level": escalation.level},
        )
    return escalation


def complaint_escalate_step(
    *,
    complaint_id: int,
    clock: str,
    cycle: int,
    level: int,
    now: dt.datetime | None = None,
) -> Escalation | None:
    """The per-complaint path: escalate one ladder step if it is due at `now` (the same rule
    as the set-based sweep). None when it is not due or already recorded."""

    now = now or timezone.now()
    c = Complaint.objects.select_related("agency", "unit", "category").filter(pk=complaint_id)
    c = c.first()
    track = TRACK_OF_CLOCK.get(clock)
    if c is None or track is None or not track.runs_for(c):
        return None
    if track.clock:
        cycle = 0  # the resolution clock and the ceiling never restart
    due_at = getattr(c, track.due)
    if due_at is None or (not track.clock and (c.current_clock, c.clock_cycle) != (clock, cycle)):
        return None
    ladder = sla_policy_for(agency=c.agency, category=c.category).escalation_ladder
    step = ladder_step(ladder, level)
    if step is None:
        return None
    if due_at > step_threshold(calendar_for(c), now, step):
        return None
    return complaint_escalate(
        complaint_id=c.pk,
        clock=clock,
        cycle=cycle,
        level=level,
        due_at=due_at,
        name=str(step.get("name", ""))[:32],
        notify=step.get("notify", []),
        now=now,
    )


def escalation_mark_notified(*, escalation_ids: Iterable[int], now: dt.datetime) -> None:
    Escalation.objects.filter(pk__in=list(escalation_ids), notified_at__isnull=True).update(
        notified_at=now
    )


# ---------------------------------------------------------------------------------------------
# Escalation messages, resolved at delivery (outbox.delivery's registry)

# A digest lists this many complaints; the rest are counted, and one link leads to them all.
DIGEST_LISTED = 20
ACKNOWLEDGED_BEFORE_DELIVERY = "acknowledged or settled before delivery"


def escalation_ids(notification: Notification) -> list[int]:
    """The escalations an outbox row is about: one (its own message) or several (a sweep's
    digest to one recipient)."""
    payload = notification.payload or {}
    if payload.get("escalations"):
        return [int(pk) for pk in payload["escalations"]]
    return [int(payload["escalation"])] if payload.get("escalation") else []


def escalations_open(ids: list[int]) -> list[Escalation]:
    """The escalations of `ids` that still ask for action, lowest id first: nobody
    acknowledged them and their clock still runs (a warning that verification is due is
    moot once the complaint is verified; nothing is due on a closed complaint)."""
    return list(
        Escalation.objects.live()
        .filter(pk__in=ids, acknowledged_at__isnull=True)
        .select_related("complaint__agency", "complaint__unit")
        .order_by("pk")
    )


def escalation_message_subject(notification: Notification) -> Subject | None:
    """What an escalation message is about at delivery: the escalations still open. Held
    until the next working day and acknowledged meanwhile, or its clock stopped (every
    escalation of a digest): nothing is left to act on, and the message is moot."""
    ids = escalation_ids(notification)
    if not ids:
        return None
    escalations = escalations_open(ids)
    if not escalations:
        raise Moot(ACKNOWLEDGED_BEFORE_DELIVERY)
    context: dict[str, Any] = {}
    template = None
    if len(escalations) == 1:
        context["escalation"] = escalations[0]
        context["complaint"] = escalations[0].complaint
    else:
        # By complaint, in the order of their first escalation: one complaint can be named
        # on two clocks (its current step and its hard ceiling).
        by_complaint: dict[int, list[Escalation]] = {}
        for escalation in escalations:
            by_complaint.setdefault(escalation.complaint_id, []).append(escalation)
        items = [{"complaint": g[0].complaint, "escalations": g} for g in by_complaint.values()]
        context["digest"] = items[:DIGEST_LISTED]
        context["complaint_count"] = len(items)
        context["unlisted_count"] = max(0, len(items) - DIGEST_LISTED)
        template = "escalation_digest"
    open_ids = [e.pk for e in escalations]
    return Subject(
        context=context,
        template=template,
        after_sent=lambda: escalation_mark_notified(escalation_ids=open_ids, now=timezone.now()),
        consumed=("escalation", "escalations"),
    )


register_resolver(escalation_message_subject)

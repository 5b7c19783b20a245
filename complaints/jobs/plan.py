"""What the sweeps share: their names and batch sizes, the plan of policies and calendars one
sweep reads once, the digest grouping of escalation messages, and the hand-over to tasks."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import Q

from accounts.models import User
from complaints.clock import WorkingCalendar
from complaints.models import (
    Agency,
    Complaint,
    FollowUp,
    Membership,
    Response,
    SlaPolicy,
    Status,
    SweepRun,
)
from complaints.outbox import dispatch
from complaints.outbox.dispatch import TASK_OUTBOX_SWEEP
from complaints.policy import TRACKS, PolicySet, Track, step_threshold

logger = logging.getLogger(__name__)


SLA_SWEEP = "sla"
FOLLOWUP_SWEEP = "followups"
OUTBOX_SWEEP = "outbox"
SLA_BATCH_SIZE = 5000
FOLLOWUP_BATCH_SIZE = 1000
OUTBOX_BATCH_SIZE = 500

# A pending row written by a service is queued on commit; the sweep steps in only once that
# message had time to arrive, so that it does not race every fresh row.
OUTBOX_MIN_AGE = dt.timedelta(minutes=2)

OUTBOX_MAX_ATTEMPTS = 8
RATING_REQUEST_WINDOW = dt.timedelta(days=30)

NATIONAL = 0  # key of the national calendar and of triage complaints (no agency)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the keyset's start: before every deadline


def sweep_mark(*, name: str, started_at: dt.datetime | None = None, success_at=None) -> None:
    """Record a sweep start or success in one upsert (the health view reads it)."""
    values: dict[str, Any] = {"name": name}
    update_fields = []
    if started_at is not None:
        values["last_started_at"] = started_at
        update_fields.append("last_started_at")
    if success_at is not None:
        values["last_success_at"] = success_at
        values["last_error"] = ""
        update_fields += ["last_success_at", "last_error"]
    SweepRun.objects.bulk_create(
        [SweepRun(**values)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=update_fields,
    )


def sweep_fail(*, name: str, error: str) -> None:
    SweepRun.objects.bulk_create(
        [SweepRun(name=name, last_error=error[:2000])],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["last_error"],
    )


def plan_node(path: str, time_zone: str) -> SimpleNamespace:
    return SimpleNamespace(path=path, time_zone=time_zone)


@dataclass(frozen=True)
class LadderStep:
    level: int
    name: str
    threshold: dt.datetime
    deliver_after: dt.datetime | None
    notify: tuple[str, ...]


@dataclass
class SweepPlan:
    """Everything a sweep needs to know per agency node, computed with a fixed number of
    queries so that the cost of a sweep does not grow with the complaints it examines.

    Calendars are keyed by (time zone, local non-working days); policies by pk (0: the built-in
    default). Maps are handed to SQL as arrays.
    """

    now: dt.datetime
    calendars: dict[int, WorkingCalendar] = field(default_factory=dict)
    node_calendar: dict[int, int] = field(default_factory=dict)
    node_path: dict[int, str] = field(default_factory=dict)
    agency_policy: dict[int, int] = field(default_factory=dict)
    category_policy: dict[int, int] = field(default_factory=dict)
    policies: dict[int, SlaPolicy] = field(default_factory=dict)
    default_policy: int = 0

    @classmethod
    def build(cls, *, now: dt.datetime) -> SweepPlan:
        plan = cls(now=now)
        cal_keys: dict[tuple[str, frozenset[dt.date]], int] = {}

        def cal_key(calendar: WorkingCalendar) -> int:
            key = (str(calendar.tz), calendar.extra_days)
            if key not in cal_keys:
                cal_keys[key] = len(cal_keys) + 1
                plan.calendars[cal_keys[key]] = calendar
            return cal_keys[key]

        national = WorkingCalendar.for_agency(None)
        plan.calendars[NATIONAL] = national
        cal_keys[(str(national.tz), national.extra_days)] = NATIONAL

        policies = PolicySet.of(SlaPolicy.objects.filter(is_active=True))
        for p in policies.all:
            plan.policies[p.pk or 0] = p  # 0: the unsaved default when none is configured
        plan.default_policy = policies.default.pk or 0
        plan.category_policy = {c: p.pk for c, p in policies.by_category.items()}

        for pk, path, tz in Agency.objects.values_list("pk", "path", "time_zone"):
            plan.node_path[pk] = path
            plan.node_calendar[pk] = cal_key(WorkingCalendar.for_agency(plan_node(path, tz)))
            # The policy of the agency's complaints without a category policy (PolicySet).
            resolved = policies.resolve(agency_path=path, category_id=None)
            if resolved is not policies.default:
                plan.agency_policy[pk] = resolved.pk
        return plan

    def policy_key(self, agency_id: int | None, category_id: int | None) -> int:
        """The key of the policy of a complaint (PolicySet's rule, resolved per agency)."""
        return self.category_policy.get(category_id or -1) or self.agency_policy.get(
            agency_id or -1, self.default_policy
        )

    def policy(self, agency_id: int | None, category_id: int | None) -> SlaPolicy:
        return self.policies[self.policy_key(agency_id, category_id)]

    def calendar(self, node_id: int | None) -> WorkingCalendar:
        return self.calendars[self.node_calendar.get(node_id or -1, NATIONAL)]

    def ladder(self, policy_key: int) -> list[dict[str, Any]]:
        steps = self.policies[policy_key].escalation_ladder or []
        return sorted(steps, key=lambda s: int(s["level"]))

    def used_policies(self) -> set[int]:
        used = {self.default_policy, *self.agency_policy.values(), *self.category_policy.values()}
        return {p for p in used if p in self.policies}

    def ladder_steps(self) -> dict[tuple[int, int], list[LadderStep]]:
        """Every ladder step per (calendar, policy), levels ascending, with the instant a
        deadline must have reached for it (policy.step_threshold), computed once per sweep:
        both sweep paths escalate against this one table."""
        now = self.now
        steps: dict[tuple[int, int], list[LadderStep]] = {}
        thresholds: dict[tuple[int, int], dt.datetime] = {}
        for cal_key, calendar in self.calendars.items():
            # Escalations reached outside working hours are delivered at the next working start.
            deliver_after = (
                None if calendar.is_working_hours(now) else calendar.next_working_start(now)
            )
            for pol_key in self.used_policies():
                for step in self.ladder(pol_key):
                    offset = int(step.get("offset_days", 0))
                    if (cal_key, offset) not in thresholds:
                        thresholds[(cal_key, offset)] = step_threshold(calendar, now, step)
                    steps.setdefault((cal_key, pol_key), []).append(
                        LadderStep(
                            level=int(step["level"]),
                            name=str(step.get("name", ""))[:32],
                            threshold=thresholds[(cal_key, offset)],
                            deliver_after=deliver_after,
                            notify=tuple(step.get("notify", [])),
                        )
                    )
        return steps

    def recipients(self, roles: Iterable[str]) -> list[tuple[int, str, int, str]]:
        """(node id, role, user id, email) for every agency node and every user holding the
        role on the node or an ancestor; node 0 (triage) goes to the national admins."""
        roles = set(roles)
        if not roles:
            return []
        by_agency: dict[int, list[tuple[str, int, str]]] = {}
        memberships = (
            Membership.objects.filter(role__in=roles, user__is_active=True)
            .exclude(user__email="")
            .values_list("agency_id", "role", "user_id", "user__email")
        )
        for agency_id, role, user_id, email in memberships:
            by_agency.setdefault(agency_id, []).append((role, user_id, email))
        rows = []
        for node_id, path in self.node_path.items():
            for ancestor in (int(a) for a in path.split("/") if a):
                for role, user_id, email in by_agency.get(ancestor, ()):
                    rows.append((node_id, role, user_id, email))
        admins = User.objects.filter(is_national_admin=True, is_active=True).exclude(email="")
        for user_id, email in admins.values_list("pk", "email"):
            rows.extend((NATIONAL, role, user_id, email) for role in roles)
        return rows


@dataclass
class SlaSweepResult:
    examined: int = 0
    escalations: int = 0
    events: int = 0
    notifications: int = 0
    batches: int = 0
    more: bool = False
    queries: int = 0


@dataclass(frozen=True)
class EscalationDigest:
    """The escalations of a sweep batch that name one recipient (with one delivery time),
    lowest id first: a new outbox row, or an addition to the sweep's pending one."""

    email: str
    user_id: int | None
    not_before: dt.datetime | None
    escalation_ids: tuple[int, ...]
    complaint_ids: frozenset[int]

    @property
    def complaint_id(self) -> int | None:
        """The complaint when the digest is about one; a digest of several belongs to none."""
        return next(iter(self.complaint_ids)) if len(self.complaint_ids) == 1 else None

    @property
    def cause_key(self) -> str:
        return f"escalation:{self.escalation_ids[0]}"

    @property
    def payload(self) -> dict[str, Any]:
        if len(self.escalation_ids) == 1:
            return {"escalation": self.escalation_ids[0]}
        return {"escalations": list(self.escalation_ids)}


def escalation_digests(
    messages: Iterable[tuple[int, int, int | None, str, dt.datetime | None]],
) -> list[EscalationDigest]:
    """Group (escalation id, complaint id, user id, email, not before) messages into one
    digest per recipient and delivery time, in the order of their lowest escalation."""
    groups: dict[tuple[str, dt.datetime | None], list[tuple[int, int, int | None]]] = {}
    for escalation_id, complaint_id, user_id, email, not_before in messages:
        groups.setdefault((email, not_before), []).append((escalation_id, complaint_id, user_id))
    digests = [
        EscalationDigest(
            email=email,
            user_id=rows[0][2],
            not_before=not_before,
            escalation_ids=tuple(sorted(r[0] for r in rows)),
            complaint_ids=frozenset(r[1] for r in rows),
        )
        for (email, not_before), rows in groups.items()
    ]
    return sorted(digests, key=lambda d: d.escalation_ids[0])


def drive_tracks(
    result: SlaSweepResult,
    *,
    batch_size: int,
    max_batches: int | None,
    on_batch: Callable[[int], None] | None,
    run: Callable[[Track, tuple[dt.datetime, int]], list[tuple]],
) -> None:
    """Walk every track in keyset batches of (deadline, id): `run(track, after)` handles one
    batch in its own transaction and returns its candidates, (id, deadline, ...) rows in
    deadline order. Sets `result.more` when `max_batches` stops it early."""
    for track in TRACKS:
        after = (EPOCH, 0)
        while True:
            if max_batches is not None and result.batches >= max_batches:
                result.more = True
                return
            candidates = run(track, after)
            result.batches += 1
            result.examined += len(candidates)
            if on_batch is not None:
                on_batch(len(candidates))
            if len(candidates) < batch_size:
                break
            after = (candidates[-1][1], candidates[-1][0])


def outbox_kick() -> None:
    """Ask for an outbox pass over fresh rows now (the beat's own pass picks them up anyway)."""
    dispatch.enqueue(TASK_OUTBOX_SWEEP, kwargs={"fresh": True})


@dataclass
class DueFollowUp:
    complaint_id: int
    kind: str
    due_on: dt.date


def working_days_back(calendar: WorkingCalendar, day: dt.date, days: int) -> dt.date:
    for _ in range(max(days, 0)):
        day = calendar.previous_working_day(day)
    return day


def followups_due(*, now: dt.datetime, plan: SweepPlan | None = None) -> list[DueFollowUp]:
    """Every follow-up due at `now` (reminders, archive, auto-close, rating, draft
    reminders), from a fixed number of queries over bounded candidate sets."""
    plan = plan or SweepPlan.build(now=now)
    due: list[DueFollowUp] = []
    # The widest reminder window over every calendar and policy bounds the candidate scan.
    gaps = [
        max(p.reporter_info_days - p.reporter_info_reminder_days, 0)
        + max(p.auto_close_reminder_days, 0)
        for p in plan.policies.values()
    ]
    horizon = max(
        cal.add_working_days(now, max(gaps, default=0)) for cal in plan.calendars.values()
    )
    fields = ("pk", "agency_id", "unit_id", "category_id", "reporter_info_due_at")

    waiting = (
        Complaint.objects.filter(status=Status.NEEDS_INFO, reporter_info_due_at__lte=horizon)
        .order_by("reporter_info_due_at", "pk")
        .values_list(*fields)
    )
    for pk, agency_id, unit_id, category_id, deadline in waiting.iterator(chunk_size=2000):
        cal = plan.calendar(unit_id or agency_id)
        policy = plan.policy(agency_id, category_id)
        day = cal.local_date(deadline)
        if deadline <= now:
            due.append(DueFollowUp(pk, FollowUp.Kind.INFO_ARCHIVE, day))
            continue
        gap = policy.reporter_info_days - policy.reporter_info_reminder_days
        remind_on = working_days_back(cal, day, gap)
        if now >= cal.start_of_day(remind_on):
            due.append(DueFollowUp(pk, FollowUp.Kind.INFO_REMINDER, remind_on))

    answered = (
        Complaint.objects.filter(
            status=Status.AWAITING_REPORTER, reporter_reply_due_at__lte=horizon
        )
        .order_by("reporter_reply_due_at", "pk")
        .values_list("pk", "agency_id", "unit_id", "category_id", "reporter_reply_due_at")
    )
    for pk, agency_id, unit_id, category_id, deadline in answered.iterator(chunk_size=2000):
        cal = plan.calendar(unit_id or agency_id)
        policy = plan.policy(agency_id, category_id)
        day = cal.local_date(deadline)
        if deadline <= now:
            due.append(DueFollowUp(pk, FollowUp.Kind.AUTO_CLOSE, day))
            continue
        remind_on = working_days_back(cal, day, policy.auto_close_reminder_days)
        if now >= cal.start_of_day(remind_on):
            due.append(DueFollowUp(pk, FollowUp.Kind.CLOSE_REMINDER, remind_on))

    closed = (
        Complaint.objects.filter(
            status=Status.CLOSED,
            rating__isnull=True,
            closed_at__gte=now - RATING_REQUEST_WINDOW,
        )
        .filter(~Q(reporter_email="") | Q(reporter__isnull=False))
        .order_by("closed_at", "pk")
        .values_list("pk", "agency_id", "unit_id", "closed_at")
    )
    for pk, agency_id, unit_id, closed_at in closed.iterator(chunk_size=2000):
        cal = plan.calendar(unit_id or agency_id)
        ask_on = cal.next_working_day(cal.local_date(closed_at))
        if now >= cal.start_of_day(ask_on):
            due.append(DueFollowUp(pk, FollowUp.Kind.RATING_REQUEST, ask_on))

    drafts = (
        Response.objects.filter(
            state=Response.State.DRAFT,
            updated_at__lt=now,
            complaint__status__in=[Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS],
            complaint__agency__responses_need_approval=True,
        )
        .order_by("complaint_id")
        .values_list("complaint_id", "complaint__agency_id", "complaint__unit_id", "updated_at")
    )
    seen: set[int] = set()
    for pk, agency_id, unit_id, updated_at in drafts.iterator(chunk_size=2000):
        cal = plan.calendar(unit_id or agency_id)
        # Approvers are reminded once per working day, in working hours, once a draft has
        # waited a whole working day.
        if pk in seen or not cal.is_working_hours(now):
            continue
        if cal.working_days_between(updated_at, now) >= 1:
            seen.add(pk)
            due.append(DueFollowUp(pk, FollowUp.Kind.DRAFT_REMINDER, cal.local_date(now)))
    return due

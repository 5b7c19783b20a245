"""The clocks' rules: which SLA policy and calendar govern a complaint, the tracks the sweeps
escalate, and the one on-track / due-soon / overdue rule every page and job reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.clock import WorkingCalendar, package_has_cuti_bersama
from complaints.models import (
    OPEN_STATUSES,
    Agency,
    CalendarDay,
    Category,
    Clock,
    Complaint,
    SlaPolicy,
    Status,
)


@dataclass
class PolicySet:
    """Active SLA policies and the one precedence rule: the category's policy, then the
    nearest agency up the tree, then the national default (an unsaved default policy when none
    is configured). The per-complaint lookup, the sweeps' plan and the focal board's ladder
    filter all resolve through it."""

    default: SlaPolicy
    by_category: dict[int, SlaPolicy] = field(default_factory=dict)
    by_agency: dict[int, SlaPolicy] = field(default_factory=dict)

    @classmethod
    def of(cls, policies: Iterable[SlaPolicy]) -> PolicySet:
        found = cls(default=SlaPolicy(name="default"))
        configured_default = None
        for policy in policies:
            if policy.category_id:
                found.by_category[policy.category_id] = policy
            elif policy.agency_id:
                found.by_agency[policy.agency_id] = policy
            else:
                configured_default = policy
        found.default = configured_default or found.default
        return found

    @classmethod
    def load(cls) -> PolicySet:
        """Every active policy (one query), with the agencies of agency policies."""
        return cls.of(SlaPolicy.objects.filter(is_active=True).select_related("agency"))

    def resolve(self, *, agency_path: str, category_id: int | None) -> SlaPolicy:
        if category_id is not None and category_id in self.by_category:
            return self.by_category[category_id]
        for ancestor in reversed([int(a) for a in agency_path.split("/") if a]):
            if ancestor in self.by_agency:
                return self.by_agency[ancestor]
        return self.default

    @property
    def all(self) -> list[SlaPolicy]:
        return [self.default, *self.by_category.values(), *self.by_agency.values()]


def sla_policy_for(*, agency: Agency | None, category: Category | None = None) -> SlaPolicy:
    """The policy that governs a complaint of `agency` and `category` (PolicySet's rule),
    reading only the candidate policies."""
    q = Q(agency__isnull=True, category__isnull=True)
    path = agency.path if agency is not None else ""
    if agency is not None:
        q |= Q(agency_id__in=[int(p) for p in path.split("/") if p], category__isnull=True)
    if category is not None:
        q |= Q(category=category)
    candidates = PolicySet.of(SlaPolicy.objects.filter(q, is_active=True))
    return candidates.resolve(agency_path=path, category_id=category.pk if category else None)


def ladder_step(ladder: Iterable[dict[str, Any]] | None, level: int) -> dict[str, Any] | None:
    """The step of an escalation ladder (SlaPolicy.escalation_ladder) with this level."""
    return next((s for s in ladder or [] if int(s.get("level", 0)) == level), None)


def step_threshold(cal: WorkingCalendar, now: dt.datetime, step: dict[str, Any]) -> dt.datetime:
    """A deadline `due_at` has reached the ladder step at `now` exactly when
    `due_at <= step_threshold(...)`: offset_days working days from its breach (DESIGN §4)."""
    return cal.ladder_threshold(now, int(step.get("offset_days", 0)))


def escalation_ladder_roles(*, complaint: Complaint) -> dict[int, set[str]]:
    """The roles each step of the complaint's escalation ladder is addressed to, by level
    (one policy lookup for all the steps of a page)."""
    ladder = sla_policy_for(agency=complaint.agency, category=complaint.category).escalation_ladder
    return {int(s.get("level", 0)): set(s.get("notify") or []) for s in ladder or []}


def escalation_step_roles(*, complaint: Complaint, level: int) -> set[str]:
    """The roles a step of the complaint's escalation ladder is addressed to ("notify")."""
    return escalation_ladder_roles(complaint=complaint).get(level, set())


# From this month on, next year's cuti bersama should be known (the SKB is usually signed in
# September or October).
NEXT_YEAR_FROM_MONTH = 10


def calendar_years_to_check(today: dt.date) -> list[int]:
    return [today.year, today.year + 1] if today.month >= NEXT_YEAR_FROM_MONTH else [today.year]


def years_without_cuti_bersama(today: dt.date, *, recorded: Iterable[int] = ()) -> list[int]:
    """The years whose deadlines would be counted without cuti bersama: neither the
    `holidays` package nor a national CalendarDay row (`recorded`: the years that have one)
    holds any. The current year always; the next one from October."""
    recorded = set(recorded)
    return [
        year
        for year in calendar_years_to_check(today)
        if not package_has_cuti_bersama(year) and year not in recorded
    ]


def years_without_cuti_bersama_now(today: dt.date | None = None) -> list[int]:
    """years_without_cuti_bersama with the years the CalendarDay register covers (one query)."""
    today = today or timezone.localdate()
    years = calendar_years_to_check(today)
    recorded = CalendarDay.objects.filter(
        kind=CalendarDay.Kind.CUTI_BERSAMA, agency__isnull=True, date__year__in=years
    ).values_list("date__year", flat=True)
    return years_without_cuti_bersama(today, recorded=recorded)


def clock_zone(complaint: Complaint | None) -> str:
    """The time zone a complaint's deadlines fall in and are shown in, on every page and in
    every mail: the unit's that owns it (routing moves running deadlines into that zone), else
    the agency's, WIB in national triage."""
    node = (complaint.unit or complaint.agency) if complaint is not None else None
    return node.time_zone if node is not None else "Asia/Jakarta"


def calendar_for(complaint: Complaint) -> WorkingCalendar:
    return WorkingCalendar.for_agency(complaint.unit or complaint.agency)


# Working days left at which a running deadline is "due soon": the policy's own number (the
# ladder's warning step, DESIGN §4). Lists and boards span agencies, so they read the
# national default; it is the same number the warning step of the default ladder uses.
DUE_SOON_DAYS = SlaPolicy._meta.get_field("due_soon_days").default


# Statuses whose clock runs against the agency (the reporter's clocks are not staff work).
STAFF_CLOCK_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)
# Statuses whose running clock is the reporter's.
REPORTER_CLOCK_STATUSES = (Status.NEEDS_INFO, Status.AWAITING_REPORTER)


class ClockState:
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ESCALATED = "escalated"
    # Not a staff state: the reporter's clock runs, or none does.
    REPORTER = "reporter"
    NONE = "none"


STAFF_CLOCK_STATES = (
    ClockState.ON_TRACK,
    ClockState.DUE_SOON,
    ClockState.OVERDUE,
    ClockState.ESCALATED,
)


def due_soon_threshold(now: dt.datetime, cal: WorkingCalendar | None = None) -> dt.datetime:
    """The instant up to which a deadline counts as due soon: the end of the DUE_SOON_DAYS-th
    working day after `now` (the national calendar unless one is given)."""
    cal = cal or WorkingCalendar.for_agency(None)
    return cal.ladder_threshold(now, -DUE_SOON_DAYS)


def clock_state(
    complaint: Complaint,
    now: dt.datetime,
    cal: WorkingCalendar,
    *,
    soon: dt.datetime | None = None,
) -> str:
    """The one on-track / due-soon / overdue / escalated rule for one complaint: the queue's
    tag, the case page, the focal board and its labels all read it. `soon` is the due-soon
    threshold when the caller compares many rows against one (the board); by default it is
    taken on the complaint's own calendar."""
    due = complaint.current_due_at
    if not complaint.is_open or (due is None and complaint.status not in STAFF_CLOCK_STATUSES):
        return ClockState.NONE
    if complaint.status not in STAFF_CLOCK_STATUSES:
        return ClockState.REPORTER
    if complaint.reached_escalated_level:
        return ClockState.ESCALATED
    if due is None:
        return ClockState.ON_TRACK
    if due < now:
        return ClockState.OVERDUE
    if due <= (soon if soon is not None else due_soon_threshold(now, cal)):
        return ClockState.DUE_SOON
    return ClockState.ON_TRACK


def clock_state_parts(now: dt.datetime, soon: dt.datetime) -> dict[str, Q]:
    """`clock_state` as indexed conditions on current_due_at / is_escalated, for complaints
    whose status is one of STAFF_CLOCK_STATUSES (the caller restricts the status)."""
    escalated = Q(is_escalated=True)
    return {
        ClockState.ESCALATED: escalated,
        ClockState.OVERDUE: ~escalated & Q(current_due_at__lt=now),
        ClockState.DUE_SOON: ~escalated & Q(current_due_at__gte=now, current_due_at__lte=soon),
        ClockState.ON_TRACK: ~escalated & Q(current_due_at__gt=soon),
    }


@dataclass(frozen=True)
class Deadline:
    state: str
    css: str
    text: str
    due_at: dt.datetime | None
    days: int | None


def working_days_text(days: int) -> str:
    return ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}


def deadline_for(
    complaint: Complaint, now: dt.datetime, calendars: dict[int | None, WorkingCalendar]
) -> Deadline:
    """The label of the current step's deadline: always text, never colour alone."""
    due = complaint.current_due_at
    if not complaint.is_open or due is None:
        return Deadline(ClockState.NONE, "tag--grey", _("No deadline running"), None, None)
    node = complaint.unit or complaint.agency
    key = node.pk if node else None
    cal = calendars.get(key)
    if cal is None:
        cal = calendars[key] = WorkingCalendar.for_agency(node)
    days = cal.working_days_left(now, due)
    state = clock_state(complaint, now, cal)
    if state == ClockState.REPORTER:
        if days < 0:
            text = _("Waiting for the reporter · ended")
        else:
            text = _("Waiting for the reporter · %(days)s left") % {"days": working_days_text(days)}
        return Deadline(state, "tag--grey", text, due, days)
    if state == ClockState.ESCALATED:
        return Deadline(state, "tag--purple", _("Escalated to the focal point"), due, days)
    if state == ClockState.OVERDUE:
        text = _("Overdue by %(days)s") % {"days": working_days_text(-days)}
        return Deadline(state, "tag--red", text, due, days)
    if state == ClockState.DUE_SOON:
        text = (
            _("Due soon · today")
            if days == 0
            else _("Due soon · %(days)s left") % {"days": working_days_text(days)}
        )
        return Deadline(state, "tag--amber", text, due, days)
    text = _("On track · %(days)s left") % {"days": working_days_text(days)}
    return Deadline(state, "tag--grey", text, due, days)


def clock_state_q(
    states: Iterable[str], now: dt.datetime, cal: WorkingCalendar, *, with_status: bool = True
) -> Q:
    """The clock states as filters (the staff queue). `with_status=False` when the caller
    already restricts the status to STAFF_CLOCK_STATUSES (a second `status IN` makes
    PostgreSQL underestimate the rows and pick a worse plan)."""
    parts = clock_state_parts(now, due_soon_threshold(now, cal))
    staff = Q(status__in=STAFF_CLOCK_STATUSES) if with_status else Q()
    q = Q(pk__in=[])
    for state in states:
        q |= parts[state]
    return staff & q


# The reporter's own clocks (reporter_info, reporter_reply) are enforced by follow-ups
# (reminder, archive, auto-close), not by escalating to staff.
ESCALATED_CLOCKS = (Clock.VERIFY, Clock.RESPONSE)


ESCALATED_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)


@dataclass(frozen=True)
class Track:
    """One deadline the SLA sweep escalates, each up its own ladder (DESIGN §4):

    - `current`: the clock governing the step (verification, then first response), in
      current_clock/current_due_at; it restarts on forward and reopen (clock_cycle);
    - `resolution`: from verification until the complaint is solved, escalated while the
      agency holds the case (not while an answer waits for the reporter, whose own clock
      auto-closes it) and until staff mark the matter resolved (an objection clears that and
      the clock runs again);
    - `ceiling`: the 60-calendar-day hard ceiling, escalated in every open status.

    The resolution clock and the ceiling never restart: their escalations have cycle 0. A
    second objection escalates the resolution clock straight to the focal point's step
    (services.complaint_reporter_object: cycle = reopen count) and raises its level like any
    step, so the sweep climbs on from there (to the coordinator's step) and never sends the
    steps below again. Every name here is a constant of this module, never user input."""

    key: str
    due: str  # the complaint column holding the deadline
    level: str  # the complaint column holding the ladder level reached
    statuses: tuple[str, ...]
    clock: str = ""  # a fixed clock; "" for the complaint's current clock
    stops_when_resolved: bool = False  # the resolution clock: marked resolved, it stops

    @property
    def clock_sql(self) -> str:
        return f"'{self.clock}'" if self.clock else "c.current_clock"

    @property
    def cycle_sql(self) -> str:
        return "0" if self.clock else "c.clock_cycle"

    @property
    def running_sql(self) -> str:
        return "AND c.resolved_at IS NULL" if self.stops_when_resolved else ""

    @property
    def clock_filter_sql(self) -> str:
        return f"{'' if self.clock else 'AND c.current_clock IN %(clocks)s'} {self.running_sql}"

    @property
    def running_q(self) -> Q:
        """The track's clock runs (the ORM paths' form of clock_filter_sql's last part)."""
        return Q(resolved_at__isnull=True) if self.stops_when_resolved else Q()

    def runs_for(self, complaint: Complaint) -> bool:
        return complaint.status in self.statuses and not (
            self.stops_when_resolved and complaint.resolved_at
        )


TRACKS = (
    Track(
        "current",
        "current_due_at",
        "escalation_level",
        tuple(s.value for s in ESCALATED_STATUSES),
    ),
    Track(
        "resolution",
        "resolution_due_at",
        "resolution_escalation_level",
        (Status.VERIFIED.value, Status.ASSIGNED.value, Status.IN_PROGRESS.value),
        Clock.RESOLUTION.value,
        stops_when_resolved=True,
    ),
    Track(
        "ceiling",
        "hard_ceiling_at",
        "ceiling_escalation_level",
        tuple(s.value for s in OPEN_STATUSES),
        Clock.HARD_CEILING.value,
    ),
)


TRACK_OF_CLOCK = {t.clock: t for t in TRACKS if t.clock} | dict.fromkeys(
    ESCALATED_CLOCKS, TRACKS[0]
)

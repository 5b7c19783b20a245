"""Beat sweeps: SLA escalation, follow-ups, the notification outbox and the focal-point digest.

Every sweep is idempotent: it selects what is due *now* in the database (so a sweep after an
outage catches up on everything it missed) and writes through guarded statements (unique
constraints with ON CONFLICT DO NOTHING, PENDING -> SENDING updates), so a sweep that runs twice,
overlaps another one or is killed half-way never duplicates an escalation, event or message.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from complaints.clock import WorkingCalendar
from complaints.models import (
    OPEN_STATUSES,
    Agency,
    Clock,
    Complaint,
    ComplaintEvent,
    Escalation,
    EventType,
    FollowUp,
    Membership,
    Notification,
    Response,
    Role,
    SlaPolicy,
    Status,
    SweepRun,
)

logger = logging.getLogger(__name__)

SLA_SWEEP = "sla"
FOLLOWUP_SWEEP = "followups"
OUTBOX_SWEEP = "outbox"
DIGEST_SWEEP = "digest"

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
      auto-closes it);
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

    @property
    def clock_sql(self) -> str:
        return f"'{self.clock}'" if self.clock else "c.current_clock"

    @property
    def cycle_sql(self) -> str:
        return "0" if self.clock else "c.clock_cycle"

    @property
    def clock_filter_sql(self) -> str:
        return "" if self.clock else "AND c.current_clock IN %(clocks)s"


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

SLA_BATCH_SIZE = 5000
FOLLOWUP_BATCH_SIZE = 1000
OUTBOX_BATCH_SIZE = 500
# A pending row written by a service is queued on commit; the sweep steps in only once that
# message had time to arrive, so that it does not race every fresh row.
OUTBOX_MIN_AGE = dt.timedelta(minutes=2)
# Longer than the delivery task's hard time limit plus its longest retry countdown, so a
# live worker never has its row taken away.
OUTBOX_LEASE = dt.timedelta(minutes=15)
OUTBOX_MAX_ATTEMPTS = 8
RATING_REQUEST_WINDOW = dt.timedelta(days=30)
DIGEST_ITEMS = 10
NATIONAL = 0  # key of the national calendar and of triage complaints (no agency)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the keyset's start: before every deadline


# ---------------------------------------------------------------------------------------------
# Sweep bookkeeping


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


# ---------------------------------------------------------------------------------------------
# The plan: policies, calendars and recipients, resolved once per sweep


def _node(path: str, time_zone: str) -> SimpleNamespace:
    return SimpleNamespace(path=path, time_zone=time_zone)


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

        policies = list(SlaPolicy.objects.filter(is_active=True))
        by_agency = {p.agency_id: p.pk for p in policies if p.agency_id and not p.category_id}
        for p in policies:
            plan.policies[p.pk] = p
            if p.category_id:
                plan.category_policy[p.category_id] = p.pk
            elif not p.agency_id:
                plan.default_policy = p.pk
        if not plan.default_policy:
            plan.policies[0] = SlaPolicy(name="default")

        for pk, path, tz in Agency.objects.values_list("pk", "path", "time_zone"):
            plan.node_path[pk] = path
            plan.node_calendar[pk] = cal_key(WorkingCalendar.for_agency(_node(path, tz)))
            # The nearest ancestor (or self) with its own policy, as sla_policy_for does.
            for ancestor in reversed([int(a) for a in path.split("/") if a]):
                if ancestor in by_agency:
                    plan.agency_policy[pk] = by_agency[ancestor]
                    break
        return plan

    def policy(self, agency_id: int | None, category_id: int | None) -> SlaPolicy:
        key = self.category_policy.get(category_id or -1) or self.agency_policy.get(
            agency_id or -1, self.default_policy
        )
        return self.policies[key]

    def calendar(self, node_id: int | None) -> WorkingCalendar:
        return self.calendars[self.node_calendar.get(node_id or -1, NATIONAL)]

    def ladder(self, policy_key: int) -> list[dict[str, Any]]:
        steps = self.policies[policy_key].escalation_ladder or []
        return sorted(steps, key=lambda s: int(s["level"]))

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


# ---------------------------------------------------------------------------------------------
# SLA escalation


@dataclass
class SlaSweepResult:
    examined: int = 0
    escalations: int = 0
    events: int = 0
    notifications: int = 0
    batches: int = 0
    more: bool = False
    queries: int = 0


_SLA_INPUTS = """
steps AS (
    SELECT * FROM unnest(
        %(s_cal)s::int[], %(s_pol)s::int[], %(s_level)s::int[], %(s_name)s::text[],
        %(s_threshold)s::timestamptz[], %(s_deliver)s::timestamptz[]
    ) AS t(cal_key, pol_key, level, name, threshold, deliver_after)
)"""


# The due complaints of one track, with their calendar and policy resolved through the plan's
# maps.
def _due_select_sql(n: int, track: Track) -> str:
    return f"""
    SELECT {n} AS track, c.id, {track.clock_sql} AS clock, c.{track.due} AS due_at,
           c.{track.level} AS escalation_level,
           COALESCE(nc.cal_key, 0) AS cal_key,
           COALESCE(cp.pol_key, ap.pol_key, %(default_pol)s) AS pol_key
    FROM complaints_complaint c
    LEFT JOIN unnest(%(n_node)s::bigint[], %(n_cal)s::int[]) AS nc(node_id, cal_key)
        ON nc.node_id = COALESCE(c.unit_id, c.agency_id)
    LEFT JOIN unnest(%(a_agency)s::bigint[], %(a_pol)s::int[]) AS ap(agency_id, pol_key)
        ON ap.agency_id = c.agency_id
    LEFT JOIN unnest(%(c_category)s::bigint[], %(c_pol)s::int[]) AS cp(category_id, pol_key)
        ON cp.category_id = c.category_id
    WHERE c.status IN %(statuses_{track.key})s
      {track.clock_filter_sql}
      AND c.{track.due} <= %(max_threshold)s
      AND c.{track.level} < %(max_level)s
      AND EXISTS (
          SELECT 1 FROM steps t
          WHERE t.cal_key = COALESCE(nc.cal_key, 0)
            AND t.pol_key = COALESCE(cp.pol_key, ap.pol_key, %(default_pol)s)
            AND t.level > c.{track.level}
            AND c.{track.due} <= t.threshold
      )"""  # noqa: S608 - identifiers come from TRACKS; values are bound


_SLA_PAIRS = """
pairs AS (
    SELECT b.*, t.level
    FROM batch b
    JOIN steps t
      ON t.cal_key = b.cal_key AND t.pol_key = b.pol_key
     AND t.level > b.escalation_level AND b.due_at <= t.threshold
)"""

# The bare selection of the due (complaint, level) pairs of every track, without locks or
# writes: what a sweep cannot be faster than, and the benchmark's yardstick. In the order the
# sweep writes them: track by track, oldest deadline first, levels ascending.
SLA_DUE_CTES = (
    "WITH"
    + _SLA_INPUTS
    + ",\nbatch AS ("
    + "\n    UNION ALL".join(_due_select_sql(n, t) for n, t in enumerate(TRACKS))
    + "\n),"
    + _SLA_PAIRS
)
SLA_DUE_SQL = (
    SLA_DUE_CTES + "\nSELECT id, clock, level FROM pairs ORDER BY track, due_at, id, level"
)


# One batch is a handful of statements whose row sources are constant arrays (PostgreSQL
# estimates unnest() of a constant array exactly, so every join is planned for its real
# size), in one transaction:
# 1. the next window of candidates of one track in deadline order (a streaming index scan;
#    the keyset moves past the window even when nothing in it is due; calendars and policies
#    are looked up in Python, so nothing breaks the index order);
WINDOW_SQL_TAG = "/* sla_sweep window */"


def _window_sql(track: Track) -> str:
    return f"""{WINDOW_SQL_TAG}
SELECT c.id, c.{track.due}, c.status, {track.clock_sql}, {track.cycle_sql}, c.{track.level},
       c.agency_id, c.unit_id, c.category_id, c.assignee_id
FROM complaints_complaint c
WHERE c.status IN %(statuses_{track.key})s
  {track.clock_filter_sql}
  AND c.{track.due} <= %(max_threshold)s
  AND c.{track.level} < %(max_level)s
  AND c.{track.due} <= (
      -- the latest threshold of any step above the level reached (any calendar, any
      -- policy): a per-row lookup in a constant array, which keeps the index order and
      -- skips complaints already escalated as far as they can be today
      SELECT max(t.threshold)
      FROM unnest(%(s_level)s::int[], %(s_threshold)s::timestamptz[]) AS t(level, threshold)
      WHERE t.level > c.{track.level}
  )
  AND (c.{track.due}, c.id) > (%(after_due)s, %(after_id)s)
ORDER BY c.{track.due}, c.id
LIMIT %(limit)s
"""  # noqa: S608 - identifiers come from TRACKS; values are bound


_SLA_ASSIGNEES_SQL = """
SELECT id, email FROM accounts_user WHERE id = ANY(%(ids)s::bigint[]) AND is_active
"""


# 2. raise the track's level to the highest step reached, guarded: only where the complaint is
#    still in a status of the track, on the same deadline (and, for the current clock, the
#    same clock and cycle) below that level. The update is the lock (a user's transition
#    running now is waited for, then re-checked) and the guard (an overlapping or repeated
#    sweep updates nothing and so writes nothing below);
def _level_sql(track: Track) -> str:
    same_clock = "" if track.clock else "AND c.current_clock = u.clock AND c.clock_cycle = u.cycle"
    return f"""
UPDATE complaints_complaint c SET {track.level} = u.level
FROM unnest(%(u_complaint)s::bigint[], %(u_level)s::int[], %(u_clock)s::text[],
            %(u_cycle)s::int[], %(u_due)s::timestamptz[])
    AS u(id, level, clock, cycle, due_at)
WHERE c.id = u.id
  AND c.{track.level} < u.level
  AND c.status IN %(statuses_{track.key})s
  {same_clock}
  AND c.{track.due} = u.due_at
RETURNING c.id
"""  # noqa: S608 - identifiers come from TRACKS; values are bound


# 3. the escalation rows of the complaints updated, oldest deadline first and levels ascending
#    (the unique step makes a concurrent or repeated sweep write nothing twice; only rows
#    really inserted come back);
_SLA_ESCALATIONS_SQL = """
INSERT INTO complaints_escalation
    (complaint_id, clock, cycle, level, name, due_at, created_at, deliver_after)
SELECT complaint_id, clock, cycle, level, name, due_at, %(now)s, deliver_after
FROM unnest(%(e_complaint)s::bigint[], %(e_clock)s::text[], %(e_cycle)s::int[],
            %(e_level)s::int[], %(e_name)s::text[], %(e_due)s::timestamptz[],
            %(e_deliver)s::timestamptz[])
    WITH ORDINALITY AS e(complaint_id, clock, cycle, level, name, due_at, deliver_after, n)
ORDER BY n
ON CONFLICT ON CONSTRAINT escalation_unique_step DO NOTHING
RETURNING id, complaint_id, level
"""
# 4. one timeline event per escalation written;
_SLA_EVENTS_SQL = """
INSERT INTO complaints_complaintevent
    (complaint_id, type, actor_id, actor_label, from_status, to_status, is_public, body, data,
     created_at)
SELECT complaint_id, %(event_type)s, NULL, 'system', status, status, false, '', data, %(now)s
FROM unnest(%(v_complaint)s::bigint[], %(v_status)s::text[], %(v_data)s::jsonb[])
    WITH ORDINALITY AS v(complaint_id, status, data, n)
ORDER BY n
"""
# 5. one outbox row per recipient and delivery time for the whole sweep, rendered at delivery:
#    a digest of the escalations that name them (a person named by several steps of one
#    complaint reached at once hears about the highest). A batch adds its escalations to the
#    sweep's digest still waiting in the outbox (the same sweep moment, recipient and delivery
#    time; found through the partial index of pending rows) and writes a new one for everyone
#    else: a row already claimed for delivery is no longer pending and is left alone;
_SLA_DIGEST_APPEND_SQL = """
UPDATE complaints_notification n
SET payload = jsonb_build_object(
        'escalations',
        CASE WHEN n.payload ? 'escalations' THEN n.payload -> 'escalations'
             ELSE jsonb_build_array(n.payload -> 'escalation') END || m.ids
    ),
    complaint_id = CASE WHEN n.complaint_id = m.complaint_id THEN n.complaint_id END
FROM unnest(%(a_email)s::text[], %(a_not_before)s::timestamptz[], %(a_complaint)s::bigint[],
            %(a_ids)s::jsonb[]) AS m(email, not_before, complaint_id, ids)
WHERE n.state IN ('pending', 'sending') AND n.created_at = %(now)s
  AND n.state = 'pending' AND n.kind = 'escalation' AND n.body = ''
  AND n.recipient = m.email AND n.not_before IS NOT DISTINCT FROM m.not_before
RETURNING n.recipient, n.not_before
"""
# 6. A digest of one escalation is the single-complaint message; its cause is the lowest
#    escalation it lists, which no other digest to that recipient can list.
_SLA_MESSAGES_SQL = """
INSERT INTO complaints_notification
    (complaint_id, channel, recipient, recipient_user_id, kind, cause_key, language, subject,
     body, payload, state, attempts, last_error, not_before, created_at)
SELECT complaint_id, 'email', email, user_id, 'escalation', 'escalation:' || escalation_id,
       %(language)s, '', '', payload, 'pending', 0, '', not_before, %(now)s
FROM unnest(%(m_complaint)s::bigint[], %(m_escalation)s::bigint[], %(m_user)s::bigint[],
            %(m_email)s::text[], %(m_not_before)s::timestamptz[], %(m_payload)s::jsonb[])
    WITH ORDINALITY AS m(complaint_id, escalation_id, user_id, email, not_before, payload, n)
ORDER BY n
ON CONFLICT ON CONSTRAINT notification_once_per_cause DO NOTHING
"""


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


def escalation_ids(notification: Notification) -> list[int]:
    """The escalations an outbox row is about: one (its own message) or several (a sweep's
    digest to one recipient)."""
    payload = notification.payload or {}
    if payload.get("escalations"):
        return [int(pk) for pk in payload["escalations"]]
    return [int(payload["escalation"])] if payload.get("escalation") else []


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


def sla_sweep_params(plan: SweepPlan) -> dict[str, Any]:
    """The SQL parameters of one sweep: thresholds per (calendar, policy, level) computed once."""
    now = plan.now
    used_policies = {plan.default_policy, *plan.agency_policy.values()}
    used_policies |= set(plan.category_policy.values())
    used_policies = {p for p in used_policies if p in plan.policies}
    steps: list[tuple[int, int, int, str, dt.datetime, dt.datetime | None]] = []
    roles: list[tuple[int, int, str]] = []
    thresholds: dict[tuple[int, int], dt.datetime] = {}
    for cal_key, calendar in plan.calendars.items():
        # Escalations reached outside working hours are delivered at the next working start.
        deliver_after = None if calendar.is_working_hours(now) else calendar.next_working_start(now)
        for pol_key in used_policies:
            for step in plan.ladder(pol_key):
                offset = int(step.get("offset_days", 0))
                if (cal_key, offset) not in thresholds:
                    thresholds[(cal_key, offset)] = calendar.ladder_threshold(now, offset)
                steps.append(
                    (
                        cal_key,
                        pol_key,
                        int(step["level"]),
                        str(step.get("name", ""))[:32],
                        thresholds[(cal_key, offset)],
                        deliver_after,
                    )
                )
    for pol_key in used_policies:
        for step in plan.ladder(pol_key):
            roles.extend((pol_key, int(step["level"]), role) for role in step.get("notify", []))
    named = {role for _p, _l, role in roles} - {""}
    if Role.OFFICER in named:
        # Before routing there is no unit: the officer step goes to the agency's verifiers.
        named.add(Role.VERIFIER)
    recipients = plan.recipients(named)
    return {
        "now": now,
        "event_type": EventType.ESCALATED.value,
        "language": settings.LANGUAGE_CODE,
        **{f"statuses_{t.key}": t.statuses for t in TRACKS},
        "clocks": tuple(c.value for c in ESCALATED_CLOCKS),
        "default_pol": plan.default_policy,
        "max_threshold": max((s[4] for s in steps), default=now - dt.timedelta(days=36500)),
        "max_level": max((s[2] for s in steps), default=0),
        "s_cal": [s[0] for s in steps],
        "s_pol": [s[1] for s in steps],
        "s_level": [s[2] for s in steps],
        "s_name": [s[3] for s in steps],
        "s_threshold": [s[4] for s in steps],
        "s_deliver": [s[5] for s in steps],
        "r_pol": [r[0] for r in roles],
        "r_level": [r[1] for r in roles],
        "r_role": [r[2] for r in roles],
        "p_node": [r[0] for r in recipients],
        "p_role": [r[1] for r in recipients],
        "p_user": [r[2] for r in recipients],
        "p_email": [r[3] for r in recipients],
        "n_node": list(plan.node_calendar),
        "n_cal": list(plan.node_calendar.values()),
        "a_agency": list(plan.agency_policy),
        "a_pol": list(plan.agency_policy.values()),
        "c_category": list(plan.category_policy),
        "c_pol": list(plan.category_policy.values()),
        "after_due": EPOCH,
        "after_id": 0,
    }


@dataclass
class _Step:
    level: int
    name: str
    threshold: dt.datetime
    deliver_after: dt.datetime | None
    roles: tuple[str, ...]


@dataclass
class _SlaContext:
    plan: SweepPlan
    params: dict[str, Any]
    steps: dict[tuple[int, int], list[_Step]]
    recipients: dict[tuple[int, str], list[tuple[int, str]]]


def _sla_context(plan: SweepPlan) -> _SlaContext:
    params = sla_sweep_params(plan)
    steps: dict[tuple[int, int], list[_Step]] = {}
    roles: dict[tuple[int, int], tuple[str, ...]] = {}
    for pol, level, role in zip(params["r_pol"], params["r_level"], params["r_role"], strict=True):
        roles[(pol, level)] = (*roles.get((pol, level), ()), role)
    for cal, pol, level, name, threshold, deliver in zip(
        params["s_cal"],
        params["s_pol"],
        params["s_level"],
        params["s_name"],
        params["s_threshold"],
        params["s_deliver"],
        strict=True,
    ):
        steps.setdefault((cal, pol), []).append(
            _Step(level, name, threshold, deliver, roles.get((pol, level), ()))
        )
    recipients: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for node, role, user, email in zip(
        params["p_node"], params["p_role"], params["p_user"], params["p_email"], strict=True
    ):
        recipients.setdefault((node, role), []).append((user, email))
    return _SlaContext(plan=plan, params=params, steps=steps, recipients=recipients)


def _step_recipients(
    ctx: _SlaContext, role: str, node: int, unit_id, assignee_id, emails: dict[int, str]
) -> list[tuple[int, str]]:
    if role == Role.OFFICER:
        if assignee_id:
            email = emails.get(assignee_id)
            return [(assignee_id, email)] if email else []
        if not unit_id:
            # Before routing there is no unit: the officer step goes to the verifiers.
            role = Role.VERIFIER
    return ctx.recipients.get((node, role), [])


def _sla_batch(
    ctx: _SlaContext, track: Track, cursor, window: list[tuple], result: SlaSweepResult
) -> None:
    params, plan = ctx.params, ctx.plan
    pairs: list[tuple] = []
    info: dict[int, tuple] = {}
    for pk, due, status, clock, cycle, level, agency_id, unit_id, category_id, assignee in window:
        node = unit_id or agency_id or NATIONAL
        cal = plan.node_calendar.get(node, NATIONAL)
        pol = plan.category_policy.get(category_id or -1) or plan.agency_policy.get(
            agency_id or -1, plan.default_policy
        )
        for step in ctx.steps.get((cal, pol), ()):
            if step.level > level and due <= step.threshold:
                pairs.append((pk, clock, cycle, step, due))
                info[pk] = (status, node, unit_id, assignee)
    if not pairs:
        return
    top: dict[int, tuple] = {}
    for pk, clock, cycle, step, due in pairs:
        if pk not in top or step.level > top[pk][0]:
            top[pk] = (step.level, clock, cycle, due)
    # In pk order: neighbouring rows share heap and index pages.
    top = dict(sorted(top.items()))
    key = f"statuses_{track.key}"
    cursor.execute(
        _level_sql(track),
        {
            key: params[key],
            "u_complaint": list(top),
            "u_level": [t[0] for t in top.values()],
            "u_clock": [t[1] for t in top.values()],
            "u_cycle": [t[2] for t in top.values()],
            "u_due": [t[3] for t in top.values()],
        },
    )
    raised = {row[0] for row in cursor.fetchall()}
    pairs = [p for p in pairs if p[0] in raised]
    if not pairs:
        return
    by_key = {(p[0], p[3].level): p for p in pairs}
    cursor.execute(
        _SLA_ESCALATIONS_SQL,
        {
            "now": params["now"],
            "e_complaint": [p[0] for p in pairs],
            "e_clock": [p[1] for p in pairs],
            "e_cycle": [p[2] for p in pairs],
            "e_level": [p[3].level for p in pairs],
            "e_name": [p[3].name for p in pairs],
            "e_due": [p[4] for p in pairs],
            "e_deliver": [p[3].deliver_after for p in pairs],
        },
    )
    written = sorted(cursor.fetchall())
    if not written:
        return
    assignee_ids = sorted({info[pk][3] for _e, pk, _l in written if info[pk][3]})
    emails: dict[int, str] = {}
    if assignee_ids:
        cursor.execute(_SLA_ASSIGNEES_SQL, {"ids": assignee_ids})
        emails = dict(cursor.fetchall())
    events_data, messages = [], []
    notified: set[tuple[int, str]] = set()
    # Highest level first, so a person named by several steps is told about the highest.
    for escalation_id, pk, level in sorted(written, key=lambda w: (w[1], -w[2])):
        _pk, clock, cycle, step, _due = by_key[(pk, level)]
        status, node, unit_id, assignee = info[pk]
        events_data.append(
            (
                escalation_id,
                pk,
                status,
                json.dumps(
                    {
                        "clock": clock,
                        "cycle": cycle,
                        "level": level,
                        "name": step.name,
                        "escalation": escalation_id,
                    }
                ),
            )
        )
        for role in step.roles:
            for user_id, email in _step_recipients(ctx, role, node, unit_id, assignee, emails):
                if (pk, email) not in notified:
                    notified.add((pk, email))
                    messages.append((escalation_id, pk, user_id, email, step.deliver_after))
    events_data.sort()
    digests = escalation_digests(messages)
    cursor.execute(
        _SLA_EVENTS_SQL,
        {
            "now": params["now"],
            "event_type": params["event_type"],
            "v_complaint": [e[1] for e in events_data],
            "v_status": [e[2] for e in events_data],
            "v_data": [e[3] for e in events_data],
        },
    )
    result.events += cursor.rowcount
    cursor.execute(
        _SLA_DIGEST_APPEND_SQL,
        {
            "now": params["now"],
            "a_email": [d.email for d in digests],
            "a_not_before": [d.not_before for d in digests],
            "a_complaint": [d.complaint_id for d in digests],
            "a_ids": [json.dumps(d.escalation_ids) for d in digests],
        },
    )
    appended = set(cursor.fetchall())
    digests = [d for d in digests if (d.email, d.not_before) not in appended]
    cursor.execute(
        _SLA_MESSAGES_SQL,
        {
            "now": params["now"],
            "language": params["language"],
            "m_complaint": [d.complaint_id for d in digests],
            "m_escalation": [d.escalation_ids[0] for d in digests],
            "m_user": [d.user_id for d in digests],
            "m_email": [d.email for d in digests],
            "m_not_before": [d.not_before for d in digests],
            "m_payload": [json.dumps(d.payload) for d in digests],
        },
    )
    result.notifications += cursor.rowcount
    result.escalations += len(written)


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


def sla_sweep(
    *,
    now: dt.datetime | None = None,
    batch_size: int = SLA_BATCH_SIZE,
    max_batches: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> SlaSweepResult:
    """Escalate every open complaint whose clock reached a ladder step: the current clock,
    the resolution clock and the hard ceiling (TRACKS), one track after the other.

    Set-based, in batches of `batch_size` complaints taken in deadline order (keyset), each in
    its own transaction with a fixed number of statements whatever the batch holds: raise
    the track's level with a guarded UPDATE (the lock and the idempotency guard), write the
    escalation rows (ON CONFLICT DO NOTHING on the unique step), append one timeline event per
    escalation written, and add the escalations to each recipient's one outbox row of the
    sweep (a digest of the escalations that name them, rendered at delivery). Levels are
    written in ascending order, oldest deadline first, so a sweep after an outage catches up in
    order. `more` is set when `max_batches` stopped it early; the caller re-enqueues.
    """
    if connection.vendor != "postgresql":  # SQLite (make run): complaints.sweeps_portable
        from complaints import sweeps_portable as p

        return p.sla_sweep(
            now=now, batch_size=batch_size, max_batches=max_batches, on_batch=on_batch
        )
    now = now or timezone.now()
    result = SlaSweepResult()
    sweep_mark(name=SLA_SWEEP, started_at=now)
    ctx = _sla_context(SweepPlan.build(now=now))
    sqls = {track.key: _window_sql(track) for track in TRACKS}

    def run_batch(track: Track, after: tuple[dt.datetime, int]) -> list[tuple]:
        window = {**ctx.params, "limit": batch_size, "after_due": after[0], "after_id": after[1]}
        with transaction.atomic(), connection.cursor() as cursor:
            # The window is a prefix of an index in deadline order; PostgreSQL cannot
            # estimate the per-row threshold lookup and would otherwise read every due row
            # of the catch-up and sort them, once per batch.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(sqls[track.key], window)
            candidates = cursor.fetchall()
            cursor.execute("SET LOCAL enable_sort = on")
            _sla_batch(ctx, track, cursor, candidates, result)
        return candidates

    drive_tracks(
        result, batch_size=batch_size, max_batches=max_batches, on_batch=on_batch, run=run_batch
    )
    if result.notifications:
        # Fresh rows are queued by one outbox pass after the last commit, not one by one.
        transaction.on_commit(_outbox_kick)
    if not result.more:
        sweep_mark(name=SLA_SWEEP, success_at=now)
    return result


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
    from complaints.services import calendar_for, complaint_escalate, sla_policy_for

    now = now or timezone.now()
    c = Complaint.objects.select_related("agency", "unit", "category").filter(pk=complaint_id)
    c = c.first()
    track = TRACK_OF_CLOCK.get(clock)
    if c is None or track is None or c.status not in track.statuses:
        return None
    if track.clock:
        cycle = 0  # the resolution clock and the ceiling never restart
    due_at = getattr(c, track.due)
    if due_at is None or (not track.clock and (c.current_clock, c.clock_cycle) != (clock, cycle)):
        return None
    ladder = sla_policy_for(agency=c.agency, category=c.category).escalation_ladder or []
    step = next((s for s in ladder if int(s["level"]) == level), None)
    if step is None:
        return None
    if due_at > calendar_for(c).ladder_threshold(now, int(step.get("offset_days", 0))):
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


def sla_due_pairs(*, now: dt.datetime | None = None) -> list[tuple[int, str, int]]:
    """The (complaint id, clock, level) steps a sweep at `now` would escalate, in the order it
    writes them; read-only."""
    if connection.vendor != "postgresql":  # SQLite (make run): complaints.sweeps_portable
        from complaints import sweeps_portable as p

        return p.sla_due_pairs(now=now)
    plan = SweepPlan.build(now=now or timezone.now())
    params = sla_sweep_params(plan)
    with connection.cursor() as cursor:
        cursor.execute(SLA_DUE_SQL, params)
        return list(cursor.fetchall())


def _outbox_kick() -> None:
    from complaints.tasks import outbox_sweep_task

    try:
        outbox_sweep_task.apply_async(kwargs={"fresh": True}, retry=False)
    except Exception:  # the beat's own outbox pass picks the rows up
        logger.warning("Broker unavailable; escalation messages left for the outbox sweep")


# ---------------------------------------------------------------------------------------------
# Follow-ups


@dataclass
class _Due:
    complaint_id: int
    kind: str
    due_on: dt.date


def _back(calendar: WorkingCalendar, day: dt.date, days: int) -> dt.date:
    for _ in range(max(days, 0)):
        day = calendar.previous_working_day(day)
    return day


def followups_due(*, now: dt.datetime, plan: SweepPlan | None = None) -> list[_Due]:
    """Every follow-up due at `now` (reminders, archive, auto-close, rating, draft
    reminders), from a fixed number of queries over bounded candidate sets."""
    plan = plan or SweepPlan.build(now=now)
    due: list[_Due] = []
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
            due.append(_Due(pk, FollowUp.Kind.INFO_ARCHIVE, day))
            continue
        gap = policy.reporter_info_days - policy.reporter_info_reminder_days
        remind_on = _back(cal, day, gap)
        if now >= cal.start_of_day(remind_on):
            due.append(_Due(pk, FollowUp.Kind.INFO_REMINDER, remind_on))

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
            due.append(_Due(pk, FollowUp.Kind.AUTO_CLOSE, day))
            continue
        remind_on = _back(cal, day, policy.auto_close_reminder_days)
        if now >= cal.start_of_day(remind_on):
            due.append(_Due(pk, FollowUp.Kind.CLOSE_REMINDER, remind_on))

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
            due.append(_Due(pk, FollowUp.Kind.RATING_REQUEST, ask_on))

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
            due.append(_Due(pk, FollowUp.Kind.DRAFT_REMINDER, cal.local_date(now)))
    return due


def followups_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Write the FollowUp rows due now (unique per complaint, kind and day, so a rerun adds
    nothing) and hand new and stale pending ones to `followup_send_task` after commit.
    Returns the ids handed over."""
    if connection.vendor != "postgresql":  # SQLite (make run): complaints.sweeps_portable
        from complaints import sweeps_portable as p

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
            transaction.on_commit(lambda: _dispatch("followup_send_task", ids))
    sweep_mark(name=FOLLOWUP_SWEEP, success_at=now)
    return ids


def _dispatch(task_name: str, ids: list[int]) -> None:
    from complaints import tasks

    task = getattr(tasks, task_name)
    for pk in ids:
        try:
            task.apply_async(args=[pk], retry=False)
        except Exception:  # rows stay pending; the next sweep hands them over again
            logger.warning(
                "Broker unavailable; %s left %s rows for the next sweep", task_name, len(ids)
            )
            return


def followup_send(*, followup_id: int, now: dt.datetime | None = None) -> FollowUp | None:
    """Carry out one follow-up. The PENDING -> SENDING update is the guard: a redelivered or
    duplicated task finds nothing to claim and returns None. The reminder message, the
    automatic close or archive and the SENT mark commit together."""
    from complaints import services
    from complaints.notifications import notification_queue, tracking_link

    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUp.objects.filter(pk=followup_id, state=FollowUp.State.PENDING).update(
            state=FollowUp.State.SENDING
        )
        if not claimed:
            return None
        followup = FollowUp.objects.get(pk=followup_id)
        complaint = services._lock(followup.complaint_id)
        kind = followup.kind
        done = True
        if kind == FollowUp.Kind.INFO_ARCHIVE:
            done = services.complaint_archive_silent(complaint_id=complaint.pk, now=now) is not None
        elif kind == FollowUp.Kind.AUTO_CLOSE:
            done = (
                services.complaint_close(complaint_id=complaint.pk, reason="auto", now=now)
                is not None
            )
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
                    recipients = services.users_with_role_over(
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


# ---------------------------------------------------------------------------------------------
# Outbox


def outbox_sweep(
    *,
    now: dt.datetime | None = None,
    min_age: dt.timedelta = OUTBOX_MIN_AGE,
    lease: dt.timedelta = OUTBOX_LEASE,
    batch_size: int = OUTBOX_BATCH_SIZE,
) -> list[int]:
    """Queue the outbox rows a lost message left behind: pending rows older than `min_age`
    that nobody queued (or whose lease expired), deferred rows whose time has come, and rows
    stuck in SENDING past their lease (the worker died). Leases them, then queues them after
    commit. Returns the ids; a full batch means the caller should run again."""
    if connection.vendor != "postgresql":  # SQLite (make run): complaints.sweeps_portable
        from complaints import sweeps_portable as p

        return p.outbox_sweep(now=now, min_age=min_age, lease=lease, batch_size=batch_size)
    now = now or timezone.now()
    sweep_mark(name=OUTBOX_SWEEP, started_at=now)
    with transaction.atomic():
        expired = now - lease
        Notification.objects.filter(
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
            attempts__gte=OUTBOX_MAX_ATTEMPTS,
        ).update(state=Notification.State.FAILED, last_error="too many attempts")
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE complaints_notification n
                SET state = 'pending', leased_at = %(now)s
                WHERE n.id IN (
                    SELECT id FROM complaints_notification
                    WHERE (
                        state = 'pending'
                        AND (not_before IS NULL OR not_before <= %(now)s)
                        AND (
                            (leased_at IS NULL AND created_at <= %(fresh_before)s)
                            OR (leased_at IS NULL AND not_before IS NOT NULL)
                            OR leased_at <= %(expired)s
                        )
                    ) OR (state = 'sending' AND leased_at <= %(expired)s)
                    ORDER BY COALESCE(not_before, created_at), id
                    LIMIT %(limit)s
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING n.id
                """,
                {
                    "now": now,
                    "fresh_before": now - min_age,
                    "expired": expired,
                    "limit": batch_size,
                },
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        if ids:
            transaction.on_commit(lambda: _dispatch("notification_deliver_task", ids))
    sweep_mark(name=OUTBOX_SWEEP, success_at=now)
    return ids


# ---------------------------------------------------------------------------------------------
# Daily digest


def focal_digest_send(*, now: dt.datetime | None = None) -> list[int]:
    """One message per focal point (agency and coordinating) listing what is overdue in their
    scope, at most once per day (the cause key is the date). Skipped on non-working days.
    Returns the ids of the messages written. One query per focal point, never per
    complaint."""
    from complaints.notifications import notification_queue

    now = now or timezone.now()
    calendar = WorkingCalendar.for_agency(None)
    if not calendar.is_working_day(calendar.local_date(now)):
        return []
    sweep_mark(name=DIGEST_SWEEP, started_at=now)
    scopes: dict[int, list[str]] = {}
    users: dict[int, User] = {}
    memberships = (
        Membership.objects.filter(
            role__in=[Role.FOCAL_POINT, Role.COORDINATOR], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "agency")
        .order_by("user_id", "agency__path")
    )
    for m in memberships:
        users[m.user_id] = m.user
        scopes.setdefault(m.user_id, []).append(m.agency.path)
    day = calendar.local_date(now)
    written: list[int] = []
    for user_id, paths in scopes.items():
        in_scope = Q()
        for path in paths:
            in_scope |= Q(scope_path__startswith=path)
        overdue = Complaint.objects.filter(
            in_scope,
            status__in=ESCALATED_STATUSES,
            current_clock__in=ESCALATED_CLOCKS,
            current_due_at__lt=now,
        )
        rows = list(
            overdue.select_related("agency", "unit").order_by("current_due_at", "pk")[
                : DIGEST_ITEMS + 1
            ]
        )
        if not rows:
            continue
        total = overdue.count() if len(rows) > DIGEST_ITEMS else len(rows)
        notification = notification_queue(
            kind="digest",
            cause_key=f"digest:{day.isoformat()}",
            recipient=users[user_id].email,
            recipient_user=users[user_id],
            context={"items": rows[:DIGEST_ITEMS], "total": total, "day": day},
        )
        if notification is not None:
            written.append(notification.pk)
    sweep_mark(name=DIGEST_SWEEP, success_at=now)
    return written


def escalation_mark_notified(*, escalation_ids: Iterable[int], now: dt.datetime) -> None:
    Escalation.objects.filter(pk__in=list(escalation_ids), notified_at__isnull=True).update(
        notified_at=now
    )

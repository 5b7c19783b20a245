"""The SLA sweep on PostgreSQL: set-based SQL that escalates every due step of every clock."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from complaints.jobs import portable as p
from complaints.jobs.plan import (
    EPOCH,
    NATIONAL,
    SLA_BATCH_SIZE,
    SLA_SWEEP,
    LadderStep,
    SlaSweepResult,
    SweepPlan,
    drive_tracks,
    escalation_digests,
    outbox_kick,
    sweep_mark,
)
from complaints.models import (
    EventType,
    Role,
)
from complaints.policy import ESCALATED_CLOCKS, TRACKS, Track

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
  {track.running_sql}
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


def sla_sweep_params(plan: SweepPlan) -> dict[str, Any]:
    """The SQL parameters of one sweep: thresholds per (calendar, policy, level) computed once."""
    now = plan.now
    used_policies = plan.used_policies()
    steps = [
        (cal_key, pol_key, s.level, s.name, s.threshold, s.deliver_after)
        for (cal_key, pol_key), ladder in plan.ladder_steps().items()
        for s in ladder
    ]
    roles: list[tuple[int, int, str]] = []
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
class _SlaContext:
    plan: SweepPlan
    params: dict[str, Any]
    steps: dict[tuple[int, int], list[LadderStep]]
    recipients: dict[tuple[int, str], list[tuple[int, str]]]


def _sla_context(plan: SweepPlan) -> _SlaContext:
    params = sla_sweep_params(plan)
    steps = plan.ladder_steps()
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
        pol = plan.policy_key(agency_id, category_id)
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
        for role in step.notify:
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
    if connection.vendor != "postgresql":  # SQLite (make run): jobs.portable
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
        transaction.on_commit(outbox_kick)
    if not result.more:
        sweep_mark(name=SLA_SWEEP, success_at=now)
    return result


def sla_due_pairs(*, now: dt.datetime | None = None) -> list[tuple[int, str, int]]:
    """The (complaint id, clock, level) steps a sweep at `now` would escalate, in the order it
    writes them; read-only."""
    if connection.vendor != "postgresql":  # SQLite (make run): jobs.portable
        return p.sla_due_pairs(now=now)
    plan = SweepPlan.build(now=now or timezone.now())
    params = sla_sweep_params(plan)
    with connection.cursor() as cursor:
        cursor.execute(SLA_DUE_SQL, params)
        return list(cursor.fetchall())

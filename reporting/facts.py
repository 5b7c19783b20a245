"""Writes the facts: ComplaintFact from the complaints' events in one set-based statement (the
same statement for one complaint, for the queue the event trigger fills, for the clocks the
beat re-checks and for the full rebuild), and DailyRollup from the facts.

Every definition is in docs/metrics.md. In short, per stint (the span one agency held the
complaint): the agency's working days on each clock are the working days of the segments of
the status timeline in an agency status (submitted, verified, assigned, in progress) between
the clock's start and its stop; waiting for the reporter (needs info, awaiting the reporter)
does not count. A clock is late when those days exceed the policy's days, or equal them on a
non-working day with the agency at work: the deadline falls at the end of the N-th working day
after the start day (complaints.clock), so the test is the live deadline's `due < moment`
(complaints.policy.clock_state) in whole working days. The statement is written once and
spelled for PostgreSQL and for SQLite 3.40+ (the embedded default), through `Dialect`.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from complaints.clock import CalendarRows
from complaints.models import Agency, CalendarDay, SweepRun
from complaints.policy import REPORTER_CLOCK_STATUSES, STAFF_CLOCK_STATUSES, PolicySet

FACTS_REFRESH_SWEEP = "reporting.facts_refresh"
QUEUE_BATCH = 5000


def _sql_list(values) -> str:
    # The clock statuses are our own constants: written into the statement as literals.
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


STAFF = _sql_list(str(s) for s in STAFF_CLOCK_STATUSES)
REPORTER = _sql_list(str(s) for s in REPORTER_CLOCK_STATUSES)


class Dialect(ABC):
    """The few spellings that differ between PostgreSQL and SQLite (arrays, time zones, date
    arithmetic, NULL-ignoring GREATEST/LEAST). The rules are written once, in the statement
    and the pieces below, in terms of these."""

    vendor = ""
    now = "%(now)s"

    @abstractmethod
    def in_ids(self, column: str, name: str = "ids") -> str: ...

    @abstractmethod
    def greatest(self, a: str, b: str) -> str: ...

    @abstractmethod
    def least(self, a: str, b: str) -> str: ...

    def least_of(self, *values: str) -> str:
        result = values[0]
        for value in values[1:]:
            result = self.least(result, value)
        return result

    @abstractmethod
    def zone(self, column: str) -> str:
        """The row's time zone as `local_date` and `midnight` take it."""
        ...

    @abstractmethod
    def local_date(self, moment: str, zone: str) -> str: ...

    @abstractmethod
    def add_days(self, day: str, days: str) -> str: ...

    @abstractmethod
    def day_diff(self, a: str, b: str) -> str: ...

    @abstractmethod
    def midnight(self, day: str, zone: str) -> str:
        """The instant a local day starts."""
        ...

    calendar = ""
    policies = ""
    truncate = ""

    def params(self, params: dict) -> dict:
        return params


class Postgres(Dialect):
    vendor = "postgresql"
    now = "%(now)s::timestamptz"
    truncate = "TRUNCATE {}"
    calendar = """loc AS (
    SELECT DISTINCT l.k, l.d FROM unnest(%(lkey)s::text[], %(lday)s::date[]) AS l(k, d)
),
keys AS (SELECT '' AS k UNION SELECT k FROM loc),
cal AS (
    SELECT keys.k, g::date AS d,
           (EXTRACT(ISODOW FROM g) < 6 AND NOT (g::date = ANY(%(off)s::date[]))
                AND loc.d IS NULL) AS working,
           SUM(CASE WHEN EXTRACT(ISODOW FROM g) < 6 AND NOT (g::date = ANY(%(off)s::date[]))
                         AND loc.d IS NULL THEN 1 ELSE 0 END)
               OVER (PARTITION BY keys.k ORDER BY g) AS cum
    FROM keys
    CROSS JOIN generate_series(
        (SELECT MIN(submitted_at)::date - 2 FROM tgt), %(end)s::date, interval '1 day') AS g
    LEFT JOIN loc ON loc.k = keys.k AND loc.d = g::date
),"""
    policies = """pol AS (
    SELECT * FROM unnest(%(p_agency)s::bigint[], %(p_verify)s::int[], %(p_response)s::int[],
                         %(p_info)s::int[], %(p_standard)s::int[], %(p_field)s::int[],
                         %(p_ceiling)s::int[])
        AS p(agency_id, verify, response, info, standard, field, ceiling)
),
catpol AS (
    SELECT * FROM unnest(%(c_category)s::bigint[], %(c_verify)s::int[], %(c_response)s::int[],
                         %(c_info)s::int[], %(c_standard)s::int[], %(c_field)s::int[],
                         %(c_ceiling)s::int[])
        AS p(category_id, verify, response, info, standard, field, ceiling)
),"""

    def in_ids(self, column: str, name: str = "ids") -> str:
        return f"{column} = ANY(%({name})s)"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})"

    def zone(self, column: str) -> str:
        return f"COALESCE({column}, 'Asia/Jakarta')"

    def local_date(self, moment: str, zone: str) -> str:
        return f"({moment} AT TIME ZONE {zone})::date"

    def add_days(self, day: str, days: str) -> str:
        return f"({day} + ({days}))"

    def day_diff(self, a: str, b: str) -> str:
        return f"({a} - {b})"

    def midnight(self, day: str, zone: str) -> str:
        return f"({day})::timestamp AT TIME ZONE {zone}"


class Sqlite(Dialect):
    """SQLite 3.40 (the embedded default): arrays as JSON parameters (json_each), each time
    zone as its UTC offset in minutes (Indonesia's zones keep one offset all year), dates as
    ISO text."""

    vendor = "sqlite"
    truncate = "DELETE FROM {}"
    calendar = """loc AS (
    SELECT DISTINCT json_extract(l.value, '$[0]') AS k, json_extract(l.value, '$[1]') AS d
    FROM json_each(%(loc)s) AS l
),
keys AS (SELECT '' AS k UNION SELECT k FROM loc),
span(g) AS (
    SELECT date(MIN(submitted_at), '-2 days') FROM tgt
    UNION ALL SELECT date(g, '+1 day') FROM span WHERE g < %(end)s
),
off AS (SELECT value AS d FROM json_each(%(off)s)),
cal0 AS (
    SELECT keys.k, span.g AS d,
           CASE WHEN strftime('%%w', span.g) NOT IN ('0', '6')
                     AND span.g NOT IN (SELECT d FROM off) AND loc.d IS NULL
                THEN 1 ELSE 0 END AS working
    FROM keys CROSS JOIN span
    LEFT JOIN loc ON loc.k = keys.k AND loc.d = span.g
),
cal AS MATERIALIZED (
    SELECT k, d, working, SUM(working) OVER (PARTITION BY k ORDER BY d) AS cum FROM cal0
),"""
    policies = """pol AS (
    SELECT json_extract(p.value, '$[0]') AS agency_id, json_extract(p.value, '$[1]') AS verify,
           json_extract(p.value, '$[2]') AS response, json_extract(p.value, '$[3]') AS info,
           json_extract(p.value, '$[4]') AS standard, json_extract(p.value, '$[5]') AS field,
           json_extract(p.value, '$[6]') AS ceiling
    FROM json_each(%(pol)s) AS p
),
catpol AS (
    SELECT json_extract(p.value, '$[0]') AS category_id, json_extract(p.value, '$[1]') AS verify,
           json_extract(p.value, '$[2]') AS response, json_extract(p.value, '$[3]') AS info,
           json_extract(p.value, '$[4]') AS standard, json_extract(p.value, '$[5]') AS field,
           json_extract(p.value, '$[6]') AS ceiling
    FROM json_each(%(catpol)s) AS p
),"""

    def in_ids(self, column: str, name: str = "ids") -> str:
        return f"{column} IN (SELECT value FROM json_each(%({name})s))"  # noqa: S608 - pieces are our own constants; values are bound

    # PostgreSQL's GREATEST and LEAST ignore NULLs; SQLite's max and min do not.
    def greatest(self, a: str, b: str) -> str:
        return f"max(COALESCE({a}, {b}), COALESCE({b}, {a}))"

    def least(self, a: str, b: str) -> str:
        return f"min(COALESCE({a}, {b}), COALESCE({b}, {a}))"

    def zone(self, column: str) -> str:
        return (
            "COALESCE((SELECT json_extract(z.value, '$[1]') FROM json_each(%(zones)s) AS z "  # noqa: S608
            f"WHERE json_extract(z.value, '$[0]') = COALESCE({column}, 'Asia/Jakarta')), 420)"
        )

    def local_date(self, moment: str, zone: str) -> str:
        return f"date({moment}, printf('%%+d minutes', {zone}))"

    def add_days(self, day: str, days: str) -> str:
        return f"date({day}, printf('%%+d days', {days}))"

    def day_diff(self, a: str, b: str) -> str:
        return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"

    def midnight(self, day: str, zone: str) -> str:
        return f"datetime({day}, printf('%%+d minutes', -({zone})))"

    def params(self, params: dict) -> dict:
        """The PostgreSQL parameters as SQLite takes them: arrays as JSON, dates and moments
        as the text Django stores."""
        adapt = connection.ops.adapt_datetimefield_value
        out = {
            "every": params["every"],
            "ids": json.dumps(params["ids"]),
            "now": adapt(params["now"]),
            "end": params["end"].isoformat(),
            "off": json.dumps([day.isoformat() for day in params["off"]]),
            "loc": json.dumps(
                [
                    [k, day.isoformat()]
                    for k, day in zip(params["lkey"], params["lday"], strict=True)
                ]
            ),
            "pol": json.dumps(
                [
                    list(row)
                    for row in zip(
                        *(params[f"p_{n}"] for n in ("agency", *POLICY_FIELDS)), strict=True
                    )
                ]
            ),
            "catpol": json.dumps(
                [
                    list(row)
                    for row in zip(
                        *(params[f"c_{n}"] for n in ("category", *POLICY_FIELDS)), strict=True
                    )
                ]
            ),
            "zones": json.dumps(zone_offsets(params["now"])),
        }
        return out


def zone_offsets(now: dt.datetime) -> list[list]:
    """Each agency time zone's UTC offset in minutes at `now` (SQLite has no zone data)."""
    names = set(Agency.objects.values_list("time_zone", flat=True).distinct()) | {"Asia/Jakarta"}
    rows = []
    for name in sorted(n for n in names if n):
        offset = now.astimezone(ZoneInfo(name)).utcoffset() or dt.timedelta()
        rows.append([name, int(offset.total_seconds() // 60)])
    return rows


def dialect() -> Dialect:
    return Sqlite() if connection.vendor == "sqlite" else Postgres()


# Working days in (a, b] are cum(b) - cum(a); cum(min(x, y)) = min(cum x, cum y) because cum
# never decreases, so a segment [s, e] clipped to a clock's window [a, b] contributes
# GREATEST(0, LEAST(cum e, cum b) - GREATEST(cum s, cum a)) working days.
def facts_sql(d: Dialect) -> str:
    p = _pieces(d)
    return f"""
WITH tgt AS (
    SELECT c.id, c.agency_id, c.unit_id, c.scope_path, c.category_id, c.kind, c.channel,
           c.region, c.tier, c.status, c.is_confidential, c.rating, c.submitted_at,
           cat.agency_id AS category_agency_id
    FROM complaints_complaint c
    LEFT JOIN complaints_category cat ON cat.id = c.category_id
    WHERE c.submitted_at IS NOT NULL AND (%(every)s OR {d.in_ids("c.id")})
),
{d.calendar}
{d.policies}
ev AS (
    SELECT e.complaint_id AS cid, e.type, e.created_at AS at, e.from_status, e.to_status,
           e.data,
           ROW_NUMBER() OVER (PARTITION BY e.complaint_id ORDER BY e.created_at, e.id) AS seq
    FROM complaints_complaintevent e
    WHERE e.complaint_id IN (SELECT id FROM tgt)
),
fw AS (
    SELECT cid, seq, at, from_status,
           CAST(NULLIF(data->>'from_agency', '') AS BIGINT) AS from_agency,
           CAST(NULLIF(data->>'to_agency', '') AS BIGINT) AS to_agency,
           ROW_NUMBER() OVER (PARTITION BY cid ORDER BY seq) AS n
    FROM ev WHERE type = 'forwarded'
),
stint0 AS (
    SELECT t.id AS cid, CAST(0 AS BIGINT) AS n, CAST(0 AS BIGINT) AS s_seq, t.submitted_at AS s_at,
           CASE WHEN f1.cid IS NULL THEN t.agency_id ELSE f1.from_agency END AS agency_id
    FROM tgt t LEFT JOIN fw f1 ON f1.cid = t.id AND f1.n = 1
    UNION ALL
    SELECT cid, n, seq, at, to_agency FROM fw
),
mk AS (
    SELECT t.id AS cid,
           MIN(ev.seq) FILTER (WHERE ev.type = 'verified') AS v_seq,
           MIN(ev.seq) FILTER (WHERE ev.to_status IN ('closed', 'archived')) AS t_seq,
           MIN(ev.seq) FILTER (WHERE ev.to_status = 'closed') AS c_seq
    FROM tgt t LEFT JOIN ev ON ev.cid = t.id
    GROUP BY t.id
),
st AS (
    SELECT s.cid, s.n, s.s_seq, s.s_at, s.agency_id,
           LEAD(s.s_seq) OVER w AS e_seq, LEAD(s.s_at) OVER w AS e_at
    FROM stint0 s WINDOW w AS (PARTITION BY s.cid ORDER BY s.n)
),
sn AS (
    SELECT st.*, (st.e_seq IS NULL) AS is_current, t.status, t.tier, t.rating,
           t.submitted_at, t.kind, t.channel, t.region, t.is_confidential, t.category_id,
           mk.v_seq, mk.t_seq, mk.c_seq,
           CASE WHEN st.e_seq IS NULL THEN t.unit_id END AS unit_id,
           CASE WHEN st.e_seq IS NULL THEN t.scope_path ELSE COALESCE(ag.path, '') END
               AS scope_path,
           CASE WHEN t.category_agency_id = st.agency_id THEN t.category_id END AS pol_category,
           {d.zone("node.time_zone")} AS tz,
           COALESCE(node.path, '') AS node_path
    FROM st
    JOIN tgt t ON t.id = st.cid
    JOIN mk ON mk.cid = st.cid
    LEFT JOIN complaints_agency ag ON ag.id = st.agency_id
    LEFT JOIN complaints_agency node ON node.id = CASE
        WHEN st.e_seq IS NULL THEN COALESCE(t.unit_id, t.agency_id) ELSE st.agency_id END
),
sk AS (
    SELECT sn.*,
           COALESCE((SELECT keys.k FROM keys
                     WHERE keys.k <> '' AND substr(sn.node_path, 1, length(keys.k)) = keys.k
                     ORDER BY length(keys.k) DESC LIMIT 1), '') AS k,
           -- Seq at which the response and resolution clocks start in this stint: the
           -- verification, or the stint's start when it was verified before.
           CASE WHEN sn.v_seq IS NOT NULL AND sn.v_seq < COALESCE(sn.e_seq, 9e18)
                THEN {d.greatest("sn.v_seq", "sn.s_seq")} END AS r_seq,
           (sn.v_seq IS NULL OR sn.v_seq > sn.s_seq) AS verify_applies,
           CASE WHEN sn.t_seq >= sn.s_seq AND sn.t_seq < COALESCE(sn.e_seq, 9e18)
                THEN sn.t_seq END AS term_seq
    FROM sn
),
evs AS (
    SELECT ev.*, sk.n, sk.k, sk.tz, sk.r_seq
    FROM ev JOIN sk ON sk.cid = ev.cid AND ev.seq >= sk.s_seq
        AND ev.seq < COALESCE(sk.e_seq, 9e18)
),
agg AS (
    SELECT cid, n,
           MIN(seq) FILTER (WHERE type IN ('verified', 'archived', 'merged')) AS vstop_seq,
           MIN(seq) FILTER (WHERE type = 'response_published' AND seq > r_seq) AS rstop_seq,
           MIN(seq) FILTER (WHERE to_status = 'closed' AND seq > r_seq) AS cstop_seq,
           COUNT(*) FILTER (WHERE type = 'objected') AS reopens
    FROM evs GROUP BY cid, n
),
-- Each clock's end: its stop, else the forward that ended the stint, else the archive or
-- close, else now (still running).
ends AS (
    SELECT sk.*, COALESCE(agg.reopens, 0) AS reopens,
           COALESCE(agg.vstop_seq, sk.e_seq, sk.term_seq) AS v_end_seq,
           {p["v_how"]} AS v_how,
           COALESCE(agg.rstop_seq, sk.e_seq, sk.term_seq) AS r_end_seq,
           {p["r_how"]} AS r_how,
           COALESCE(agg.cstop_seq, sk.e_seq, sk.term_seq) AS c_end_seq,
           {p["c_how"]} AS c_how,
           COALESCE(sk.e_seq, sk.term_seq) AS stint_end_seq
    FROM sk LEFT JOIN agg ON agg.cid = sk.cid AND agg.n = sk.n
),
-- The moments a row needs, each with its local date's cumulative working-day count on the
-- row's calendar, and the status the complaint left at that moment.
momc AS (
    SELECT e.cid, e.n, ev.seq, ev.at, ev.from_status, cal.cum, cal.working,
           {d.local_date("ev.at", "e.tz")} AS d
    FROM ends e
    JOIN ev ON ev.cid = e.cid AND ev.seq IN (
        e.r_seq, e.v_end_seq, e.r_end_seq, e.c_end_seq, e.e_seq, e.term_seq, e.v_seq,
        e.t_seq, e.c_seq)
    JOIN cal ON cal.k = e.k AND cal.d = {d.local_date("ev.at", "e.tz")}
),
cl AS (
    SELECT e.*,
           cs.cum AS c_s, sub.cum AS c_sub, cnow.cum AS c_now, cnow.working AS now_working,
           cnow.d AS now_d, mr.cum AS c_r,
           COALESCE(mv.cum, cnow.cum) AS c_ve, COALESCE(mv.working, cnow.working) AS ve_working,
           CASE WHEN e.v_how = 'now' THEN e.status ELSE mv.from_status END AS ve_status,
           COALESCE(mre.cum, cnow.cum) AS c_re,
           COALESCE(mre.working, cnow.working) AS re_working,
           CASE WHEN e.r_how = 'now' THEN e.status ELSE mre.from_status END AS re_status,
           COALESCE(mce.cum, cnow.cum) AS c_ce,
           COALESCE(mce.working, cnow.working) AS ce_working,
           CASE WHEN e.c_how = 'now' THEN e.status ELSE mce.from_status END AS ce_status,
           mf.cum AS c_e, mst.cum AS c_stint_end, mst.at AS stint_end_at,
           mvd.d AS v_d, COALESCE(mt.d, cnow.d) AS t_d, mc.cum AS c_closed,
           COALESCE(cp.verify, ap.verify, dp.verify) AS n_verify,
           COALESCE(cp.response, ap.response, dp.response) AS n_response,
           CASE e.tier WHEN 'information' THEN COALESCE(cp.info, ap.info, dp.info)
                       WHEN 'field' THEN COALESCE(cp.field, ap.field, dp.field)
                       ELSE COALESCE(cp.standard, ap.standard, dp.standard) END AS n_resolution,
           COALESCE(cp.ceiling, ap.ceiling, dp.ceiling) AS n_ceiling
    FROM ends e
    JOIN cal cs ON cs.k = e.k AND cs.d = {d.local_date("e.s_at", "e.tz")}
    JOIN cal sub ON sub.k = e.k AND sub.d = {d.local_date("e.submitted_at", "e.tz")}
    JOIN cal cnow ON cnow.k = e.k AND cnow.d = {d.local_date(d.now, "e.tz")}
    LEFT JOIN momc mr ON mr.cid = e.cid AND mr.n = e.n AND mr.seq = e.r_seq
    LEFT JOIN momc mv ON mv.cid = e.cid AND mv.n = e.n AND mv.seq = e.v_end_seq
    LEFT JOIN momc mre ON mre.cid = e.cid AND mre.n = e.n AND mre.seq = e.r_end_seq
    LEFT JOIN momc mce ON mce.cid = e.cid AND mce.n = e.n AND mce.seq = e.c_end_seq
    LEFT JOIN momc mf ON mf.cid = e.cid AND mf.n = e.n AND mf.seq = e.e_seq
    LEFT JOIN momc mst ON mst.cid = e.cid AND mst.n = e.n AND mst.seq = e.stint_end_seq
    LEFT JOIN momc mvd ON mvd.cid = e.cid AND mvd.n = e.n AND mvd.seq = e.v_seq
    LEFT JOIN momc mt ON mt.cid = e.cid AND mt.n = e.n AND mt.seq = e.t_seq
    LEFT JOIN momc mc ON mc.cid = e.cid AND mc.n = e.n AND mc.seq = e.c_seq
    LEFT JOIN catpol cp ON cp.category_id = e.pol_category
    LEFT JOIN pol ap ON ap.agency_id = e.agency_id
    JOIN pol dp ON dp.agency_id = 0
),
-- The status timeline of each stint: from each event to the next (the stint's last segment
-- runs to the forward that ended it, else to now), in the event's to-status.
seg AS (
    SELECT evs.cid, evs.n, evs.to_status AS status, sc.cum AS c_from,
           LEAD(sc.cum) OVER (PARTITION BY evs.cid, evs.n ORDER BY evs.seq) AS c_next
    FROM evs JOIN cal sc ON sc.k = evs.k AND sc.d = {d.local_date("evs.at", "evs.tz")}
    WHERE evs.to_status <> ''
),
days AS (
    SELECT seg.cid, seg.n,
        {p["v_days"]} AS v_net, {p["r_days"]} AS r_net, {p["c_days"]} AS c_net,
        {p["agency_days"]} AS agency_net, {p["reporter_days"]} AS reporter_net
    FROM seg JOIN cl ON cl.cid = seg.cid AND cl.n = seg.n
    GROUP BY seg.cid, seg.n
),
o AS (
    SELECT cl.*, CAST(COALESCE(days.v_net, 0) AS INTEGER) AS v_net,
           CAST(COALESCE(days.r_net, 0) AS INTEGER) AS r_net,
           CAST(COALESCE(days.c_net, 0) AS INTEGER) AS c_net,
           CAST(days.agency_net AS INTEGER) AS agency_net,
           CAST(days.reporter_net AS INTEGER) AS reporter_net,
           {d.day_diff("cl.t_d", "cl.v_d")} AS ceiling_net
    FROM cl LEFT JOIN days ON days.cid = cl.cid AND days.n = cl.n
),
st2 AS (
    SELECT o.*,
           {p["v_state"]} AS v_state, {p["r_state"]} AS r_state, {p["c_state"]} AS c_state,
           CASE WHEN NOT o.is_current OR o.v_seq IS NULL THEN ''
                WHEN o.ceiling_net > o.n_ceiling THEN
                    CASE WHEN o.t_seq IS NULL THEN 'late' ELSE 'missed' END
                WHEN o.t_seq IS NULL THEN 'running'
                WHEN o.c_seq = o.t_seq THEN 'met' ELSE 'ended' END AS ceil_state
    FROM o
)
INSERT INTO reporting_complaintfact (
    complaint_id, stint, is_current, agency_id, unit_id, scope_path, category_id, kind,
    channel, region, tier, status, is_confidential, submitted_at, submitted_on, held_from,
    held_until, verify_days, verify_state, verify_allowed, response_days, response_state,
    response_allowed, resolution_days, resolution_state, resolution_allowed, ceiling_days,
    ceiling_state, close_days, agency_days, reporter_days, reopens, rating, recheck_at,
    refreshed_at
)
SELECT s.cid, s.n, s.is_current, s.agency_id, s.unit_id, s.scope_path, s.category_id,
       s.kind, s.channel, s.region, s.tier, s.status, s.is_confidential, s.submitted_at,
       {d.local_date("s.submitted_at", "s.tz")}, s.s_at, s.stint_end_at,
       CASE WHEN s.v_state IN ('met', 'missed') THEN s.v_net END, s.v_state,
       CASE WHEN s.verify_applies THEN s.n_verify END,
       CASE WHEN s.r_state IN ('met', 'missed') THEN s.r_net END, s.r_state,
       CASE WHEN s.r_seq IS NOT NULL THEN s.n_response END,
       CASE WHEN s.c_state IN ('met', 'missed') THEN s.c_net END, s.c_state,
       CASE WHEN s.r_seq IS NOT NULL THEN s.n_resolution END,
       CASE WHEN s.ceil_state IN ('met', 'missed', 'ended') THEN s.ceiling_net END,
       s.ceil_state,
       CASE WHEN s.is_current AND s.c_seq IS NOT NULL THEN s.c_closed - s.c_sub END,
       CASE WHEN s.stint_end_seq IS NOT NULL THEN COALESCE(s.agency_net, 0) END,
       CASE WHEN s.stint_end_seq IS NOT NULL THEN COALESCE(s.reporter_net, 0) END,
       s.reopens, CASE WHEN s.is_current THEN s.rating END,
       {d.least_of(p["v_recheck"], p["r_recheck"], p["c_recheck"], p["ceil_recheck"])},
       {d.now}
FROM st2 s
WHERE TRUE
ON CONFLICT (complaint_id, stint) DO UPDATE SET
    is_current = EXCLUDED.is_current, agency_id = EXCLUDED.agency_id,
    unit_id = EXCLUDED.unit_id, scope_path = EXCLUDED.scope_path,
    category_id = EXCLUDED.category_id, kind = EXCLUDED.kind, channel = EXCLUDED.channel,
    region = EXCLUDED.region, tier = EXCLUDED.tier, status = EXCLUDED.status,
    is_confidential = EXCLUDED.is_confidential, submitted_at = EXCLUDED.submitted_at,
    submitted_on = EXCLUDED.submitted_on, held_from = EXCLUDED.held_from,
    held_until = EXCLUDED.held_until, verify_days = EXCLUDED.verify_days,
    verify_state = EXCLUDED.verify_state, verify_allowed = EXCLUDED.verify_allowed,
    response_days = EXCLUDED.response_days, response_state = EXCLUDED.response_state,
    response_allowed = EXCLUDED.response_allowed,
    resolution_days = EXCLUDED.resolution_days,
    resolution_state = EXCLUDED.resolution_state,
    resolution_allowed = EXCLUDED.resolution_allowed, ceiling_days = EXCLUDED.ceiling_days,
    ceiling_state = EXCLUDED.ceiling_state, close_days = EXCLUDED.close_days,
    agency_days = EXCLUDED.agency_days, reporter_days = EXCLUDED.reporter_days,
    reopens = EXCLUDED.reopens, rating = EXCLUDED.rating, recheck_at = EXCLUDED.recheck_at,
    refreshed_at = EXCLUDED.refreshed_at
RETURNING complaint_id, stint, submitted_on
"""  # noqa: S608 - pieces are our own constants; values are bound


def _how(stop: str) -> str:
    return (
        f"CASE WHEN agg.{stop} IS NOT NULL THEN 'stop' WHEN sk.e_seq IS NOT NULL THEN 'forward' "
        "WHEN sk.term_seq IS NOT NULL THEN 'end' ELSE 'now' END"
    )


def _clipped(d: Dialect, start: str, end: str, statuses: str) -> str:
    # The working days of the segments in `statuses` within [start, end] (cumulative counts).
    upper = d.least("COALESCE(seg.c_next, cl.c_e, cl.c_now)", end)
    lower = d.greatest("seg.c_from", start)
    return f"SUM({d.greatest('0', f'{upper} - {lower}')}) FILTER (WHERE seg.status IN {statuses})"


def _state(applies: str, net: str, allowed: str, how: str, working: str, status: str) -> str:
    # Late: more agency working days than allowed, or exactly as many on a day off that
    # follows the deadline's day while the agency holds the complaint (the deadline is the end
    # of the N-th working day: the live rule `due < moment`).
    late = f"({net} > {allowed} OR ({net} = {allowed} AND NOT {working} AND {status} IN {STAFF}))"
    return (
        f"CASE WHEN NOT ({applies}) THEN '' "
        f"WHEN {late} THEN CASE WHEN {how} = 'now' THEN 'late' ELSE 'missed' END "
        f"WHEN {how} = 'stop' THEN 'met' WHEN {how} = 'now' THEN 'running' ELSE 'ended' END"
    )


def _recheck(d: Dialect, state: str, net: str, allowed: str, status: str) -> str:
    # The earliest moment a running clock can turn late without an event: its agency days
    # grow by at most one a day, so not before the start of day (now + allowed - net + 1).
    day = d.add_days("s.now_d", f"({allowed} - {net}) + 1")
    return (
        f"CASE WHEN {state} = 'running' AND {status} IN {STAFF} THEN {d.midnight(day, 's.tz')} END"
    )


def _pieces(d: Dialect) -> dict[str, str]:
    return {
        "v_how": _how("vstop_seq"),
        "r_how": _how("rstop_seq"),
        "c_how": _how("cstop_seq"),
        "v_days": _clipped(d, "cl.c_s", "cl.c_ve", STAFF),
        "r_days": _clipped(d, "cl.c_r", "cl.c_re", STAFF),
        "c_days": _clipped(d, "cl.c_r", "cl.c_ce", STAFF),
        "agency_days": _clipped(d, "cl.c_s", "cl.c_stint_end", STAFF),
        "reporter_days": _clipped(d, "cl.c_s", "cl.c_stint_end", REPORTER),
        "v_state": _state(
            "o.verify_applies", "o.v_net", "o.n_verify", "o.v_how", "o.ve_working", "o.ve_status"
        ),
        "r_state": _state(
            "o.r_seq IS NOT NULL",
            "o.r_net",
            "o.n_response",
            "o.r_how",
            "o.re_working",
            "o.re_status",
        ),
        "c_state": _state(
            "o.r_seq IS NOT NULL",
            "o.c_net",
            "o.n_resolution",
            "o.c_how",
            "o.ce_working",
            "o.ce_status",
        ),
        "v_recheck": _recheck(d, "s.v_state", "s.v_net", "s.n_verify", "s.ve_status"),
        "r_recheck": _recheck(d, "s.r_state", "s.r_net", "s.n_response", "s.re_status"),
        "c_recheck": _recheck(d, "s.c_state", "s.c_net", "s.n_resolution", "s.ce_status"),
        "ceil_recheck": (
            "CASE WHEN s.ceil_state = 'running' THEN "
            f"{d.midnight(d.add_days('s.v_d', 's.n_ceiling + 1'), 's.tz')} END"
        ),
    }


FACTS_SQL = {
    vendor: facts_sql(cls()) for vendor, cls in (("postgresql", Postgres), ("sqlite", Sqlite))
}


# The calendar the statement counts on: every year from the first one a complaint can be
# filed in (the `holidays` package's days are cached per year).
CALENDAR_FIRST_DAY = dt.date(2010, 1, 1)


def calendar_params(end: dt.date) -> dict:
    """The non-working days for the statement: national (package holidays and cuti bersama,
    national CalendarDay rows, less the days declared working) and local by agency path, a
    path's list holding the days of the agencies above it (as WorkingCalendar.for_agency).
    One query."""
    rows = CalendarRows.of(
        CalendarDay.objects.filter(date__range=(CALENDAR_FIRST_DAY, end)).values_list(
            "date", "kind", "agency__path"
        )
    )
    national = rows.national_days_off(CALENDAR_FIRST_DAY, end)
    pairs: list[tuple[str, dt.date]] = []
    for path in rows.local:
        days: set[dt.date] = set()
        for other, other_days in rows.local.items():
            if path.startswith(other):
                days |= other_days
        pairs += [(path, day) for day in sorted(days - national)]
    return {
        "off": sorted(national),
        "lkey": [key for key, _day in pairs],
        "lday": [day for _key, day in pairs],
    }


POLICY_FIELDS = ("verify", "response", "info", "standard", "field", "ceiling")


def _policy_days(policy) -> tuple[int, ...]:
    return (
        policy.verify_days,
        policy.first_response_days,
        policy.tier_information_days,
        policy.tier_standard_days,
        policy.tier_field_days,
        policy.hard_ceiling_calendar_days,
    )


def policy_params() -> dict:
    """Each agency's SLA policy (complaints.policy.PolicySet's precedence: category, nearest
    agency up the tree, national default) as arrays: key 0 is the national default (national
    triage), the category policies apply to a stint at the category's own agency. Two
    queries, whatever the number of complaints."""
    policies = PolicySet.load()
    rows: list[tuple[int, tuple[int, ...]]] = [(0, _policy_days(policies.default))]
    for agency_id, path in Agency.objects.values_list("pk", "path"):
        rows.append((agency_id, _policy_days(policies.resolve(agency_path=path, category_id=None))))
    params: dict = {"p_agency": [key for key, _days in rows]}
    for index, name in enumerate(POLICY_FIELDS):
        params[f"p_{name}"] = [days[index] for _key, days in rows]
    categories = [(pk, _policy_days(p)) for pk, p in policies.by_category.items()]
    params["c_category"] = [key for key, _days in categories]
    for index, name in enumerate(POLICY_FIELDS):
        params[f"c_{name}"] = [days[index] for _key, days in categories]
    return params


def uses_sql() -> bool:
    """Whether this database computes the facts: PostgreSQL, and SQLite 3.40+ (the embedded
    default of `make run`), with the same statement in their two spellings."""
    return connection.vendor in FACTS_SQL


def _dates(rows) -> set[dt.date]:
    # SQLite returns dates as ISO text.
    return {d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in rows}


def facts_refresh(
    *, complaint_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> set[dt.date]:
    """Recompute the facts of these complaints (every complaint when None) from their events,
    in one statement, and the daily rollups of the days they count in. Returns those days.
    Idempotent; safe beside itself (the upsert)."""
    if not uses_sql():
        return set()
    d = dialect()
    now = now or timezone.now()
    ids = None if complaint_ids is None else sorted(set(complaint_ids))
    if ids == []:
        return set()
    params = d.params(
        {
            **calendar_params(timezone.localdate(now) + dt.timedelta(days=3)),
            **policy_params(),
            "every": ids is None,
            "ids": ids or [],
            "now": now,
            "end": timezone.localdate(now) + dt.timedelta(days=3),
        }
    )
    with transaction.atomic(), connection.cursor() as cur:
        if ids is not None:
            delete = f"DELETE FROM reporting_complaintfact WHERE {d.in_ids('complaint_id')}"  # noqa: S608
            cur.execute(delete + " RETURNING submitted_on", {"ids": params["ids"]})
            days = _dates(row[0] for row in cur.fetchall())
        else:
            cur.execute(d.truncate.format("reporting_complaintfact"))
            days = set()
        cur.execute(FACTS_SQL[d.vendor], params)
        # Read to the end: SQLite finishes an INSERT ... RETURNING only then.
        written = cur.fetchall()
        if ids is not None:
            days |= _dates(row[2] for row in written)
            rollup_refresh(days=days)
        else:
            rollup_refresh(days=None)
    return days


ROLLUP_SQL = """
INSERT INTO reporting_dailyrollup (
    day, agency_id, unit_id, scope_path, category_id, kind, channel, is_confidential,
    received, closed, archived, open, verify_met, verify_missed, verify_late, response_met,
    response_missed, response_late, resolution_met, resolution_missed, resolution_late,
    ceiling_met, ceiling_missed, ceiling_late, reopened, rating_count, rating_sum
)
SELECT submitted_on, agency_id, unit_id, scope_path, category_id, kind, channel,
       is_confidential,
       COUNT(*) FILTER (WHERE is_current),
       COUNT(*) FILTER (WHERE is_current AND status = 'closed'),
       COUNT(*) FILTER (WHERE is_current AND status = 'archived'),
       COUNT(*) FILTER (WHERE is_current AND status NOT IN ('closed', 'archived')),
       {clock_counts},
       COUNT(*) FILTER (WHERE reopens > 0),
       COUNT(rating), COALESCE(SUM(rating), 0)
FROM reporting_complaintfact
WHERE %(every)s OR {days}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""
ROLLUP_CLOCK_COUNTS = ", ".join(
    f"COUNT(*) FILTER (WHERE {clock}_state = '{state}')"
    for clock in ("verify", "response", "resolution", "ceiling")
    for state in ("met", "missed", "late")
)


def rollup_refresh(*, days: Iterable[dt.date] | None) -> None:
    """Rebuild the daily rollups of these filing days (all of them when None) from the
    facts: one DELETE and one INSERT ... GROUP BY."""
    if not uses_sql():
        return
    d = dialect()
    days = None if days is None else sorted(set(days))
    if days == []:
        return
    if d.vendor == "sqlite":
        day_list = json.dumps([day.isoformat() for day in days or []])
    else:
        day_list = days or []
    with transaction.atomic(), connection.cursor() as cur:
        if days is None:
            cur.execute(d.truncate.format("reporting_dailyrollup"))
        else:
            cur.execute(
                "DELETE FROM reporting_dailyrollup WHERE " + d.in_ids("day", "days"),  # noqa: S608 - pieces are our own constants; values are bound
                {"days": day_list},
            )
        sql = ROLLUP_SQL.format(
            clock_counts=ROLLUP_CLOCK_COUNTS, days=d.in_ids("submitted_on", "days")
        )
        cur.execute(sql, {"every": days is None, "days": day_list})
    figures_refresh(days=days)


# The filing month, and the month (WIB) a current stint ended in (closed or archived).
MONTH = {
    "postgresql": "date_trunc('month', {})::date",
    "sqlite": "strftime('%%Y-%%m-01', {})",
}
END_MONTH_TEXT = {
    "postgresql": "to_char({} AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-01')",
    "sqlite": "strftime('%%Y-%%m-01', {}, '+420 minutes')",
}
FIGURE_DIMENSIONS = ("status", "kind", "agency_id", "unit_id", "category_id", "channel", "region")
FIGURE_CLOCKS = ("verify", "response", "resolution", "ceiling")
FIGURE_DURATIONS = ("verify_days", "response_days", "resolution_days", "close_days")


def _figures(vendor: str) -> list[tuple[str, str, str]]:
    """(figure, value, which rows) of reporting.MonthlyFigure: the same rows and columns the
    dashboards count on the facts (reporting.dashboards)."""
    rows = [("received", "NULL", "is_current")]
    rows += [(name, name, "is_current") for name in FIGURE_DIMENSIONS]
    rows += [
        (
            f"{clock}_state",
            f"{clock}_state",
            f"{clock}_state IN ('met', 'missed', 'late', 'running')",
        )
        for clock in FIGURE_CLOCKS
    ]
    rows += [
        ("reopened", "NULL", "reopens > 0"),
        ("responded", "NULL", "response_state IN ('met', 'missed', 'late')"),
        ("rating", "rating", "is_current AND rating IS NOT NULL"),
    ]
    rows += [(name, name, f"{name} IS NOT NULL") for name in FIGURE_DURATIONS]
    rows.append(
        (
            "ended",
            END_MONTH_TEXT[vendor].format("held_until"),
            "is_current AND held_until IS NOT NULL",
        )
    )
    return rows


def _figures_sql(vendor: str, *, by_agency: bool = False) -> str:
    month = MONTH[vendor].format("submitted_on")
    agency = "agency_id, " if by_agency else ""
    table = "reporting_agencymonthlyfigure" if by_agency else "reporting_monthlyfigure"
    branches = " UNION ALL ".join(
        f"SELECT {month} AS m, {agency}is_confidential, '{figure}' AS figure, "  # noqa: S608
        f"COALESCE(CAST({value} AS TEXT), '') AS value FROM reporting_complaintfact "
        f"WHERE ({rows}) AND (%(every)s OR submitted_on BETWEEN %(first)s AND %(last)s)"
        for figure, value, rows in _figures(vendor)
    )
    return (
        f"INSERT INTO {table} (month, {agency}is_confidential, figure, value, n) "  # noqa: S608
        f"SELECT m, {agency}is_confidential, figure, value, COUNT(*) FROM ({branches}) x "
        f"GROUP BY m, {agency}is_confidential, figure, value"
    )


FIGURES_SQL = {vendor: _figures_sql(vendor) for vendor in ("postgresql", "sqlite")}
AGENCY_FIGURES_SQL = {
    vendor: _figures_sql(vendor, by_agency=True) for vendor in ("postgresql", "sqlite")
}


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def figures_refresh(*, days: Iterable[dt.date] | None) -> None:
    """Rebuild the national monthly figures, and the same per agency, of the months from the
    first to the last of these filing days (every month when None) from the facts: a DELETE
    and an INSERT each, in one transaction."""
    _figures_write(days=days, tables=("reporting_monthlyfigure", "reporting_agencymonthlyfigure"))


def national_figures_refresh(*, days: Iterable[dt.date] | None) -> None:
    """The national monthly figures alone (migration 0005 builds them, before the agencies'
    table exists)."""
    _figures_write(days=days, tables=("reporting_monthlyfigure",))


def agency_figures_refresh(*, days: Iterable[dt.date] | None) -> None:
    """The agencies' monthly figures alone (migration 0006 builds them from the facts)."""
    _figures_write(days=days, tables=("reporting_agencymonthlyfigure",))


def _figures_write(*, days: Iterable[dt.date] | None, tables: tuple[str, ...]) -> None:
    if not uses_sql():
        return
    d = dialect()
    days = None if days is None else sorted(set(days))
    if days == []:
        return
    first = days[0].replace(day=1) if days else dt.date.min
    last = _month_end(days[-1]) if days else dt.date.max
    params = {"every": days is None, "first": first, "last": last}
    if d.vendor == "sqlite":
        params |= {"first": first.isoformat(), "last": last.isoformat()}
    sql = {
        "reporting_monthlyfigure": FIGURES_SQL,
        "reporting_agencymonthlyfigure": AGENCY_FIGURES_SQL,
    }
    with transaction.atomic(), connection.cursor() as cur:
        for table in tables:
            if days is None:
                cur.execute(d.truncate.format(table))
            else:
                cur.execute(
                    f"DELETE FROM {table} WHERE month BETWEEN %(first)s AND %(last)s",  # noqa: S608 - our own table names; values are bound
                    params,
                )
            cur.execute(sql[table][d.vendor], params)


QUEUE_TAKE_SQL = {
    # Two runs never wait on each other.
    "postgresql": (
        "DELETE FROM reporting_factqueue WHERE complaint_id IN ("
        "SELECT complaint_id FROM reporting_factqueue ORDER BY complaint_id "
        "LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING complaint_id"
    ),
    # SQLite has one writer at a time.
    "sqlite": (
        "DELETE FROM reporting_factqueue WHERE complaint_id IN ("
        "SELECT complaint_id FROM reporting_factqueue ORDER BY complaint_id "
        "LIMIT %s) RETURNING complaint_id"
    ),
}


def facts_refresh_due(*, now: dt.datetime | None = None, batch: int = QUEUE_BATCH) -> int:
    """The beat's pass, after the clock sweep: the complaints the event trigger queued, and
    those with a running clock that may have turned late since their facts were computed
    (a complaint crossing its deadline while open becomes a miss without an event). Takes
    the queue in batches (SKIP LOCKED on PostgreSQL). Returns how many complaints it
    refreshed."""
    if not uses_sql():
        return 0
    now = now or timezone.now()
    run, _created = SweepRun.objects.get_or_create(name=FACTS_REFRESH_SWEEP)
    SweepRun.objects.filter(pk=run.pk).update(last_started_at=now)
    done = 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(QUEUE_TAKE_SQL[connection.vendor], [batch])
            ids = [row[0] for row in cur.fetchall()]
            facts_refresh(complaint_ids=ids, now=now)
        done += len(ids)
        if len(ids) < batch:
            break
    while True:
        # A refreshed row's recheck_at lies after `now`, so each pass takes new rows.
        with connection.cursor() as cur:
            cur.execute(
                "SELECT DISTINCT complaint_id FROM reporting_complaintfact "
                "WHERE recheck_at <= %s ORDER BY complaint_id LIMIT %s",
                [connection.ops.adapt_datetimefield_value(now), batch],
            )
            ids = [row[0] for row in cur.fetchall()]
        facts_refresh(complaint_ids=ids, now=now)
        done += len(ids)
        if len(ids) < batch:
            break
    SweepRun.objects.filter(pk=run.pk).update(last_success_at=timezone.now(), last_error="")
    return done


REBUILT_TABLES = (
    "reporting_complaintfact",
    "reporting_dailyrollup",
    "reporting_monthlyfigure",
    "reporting_agencymonthlyfigure",
)


def facts_rebuild(*, now: dt.datetime | None = None) -> int:
    """Every fact and rollup again from the events (manage.py reporting_rebuild): the
    queue is emptied first, in the same transaction, since everything is recomputed; the
    rebuilt tables are analyzed afterwards."""
    if not uses_sql():
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM reporting_factqueue")
        facts_refresh(now=now)
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM reporting_complaintfact")
            (count,) = cur.fetchone()
    # Every row was rewritten: fresh planner statistics now, not when autovacuum gets to it.
    with connection.cursor() as cur:
        for table in REBUILT_TABLES:  # one per statement: SQLite takes no list
            cur.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return count

"""The scorecard rollup and the board snapshot: the facts of each complaint in working days
(one SQL statement, PostgreSQL only), the monthly counters and histograms built from them,
and the board's open-complaint counts.

The scorecard itself reads reporting's facts, on PostgreSQL and on the embedded SQLite alike
(focal_points.scorecards). The rollup is built on PostgreSQL only: elsewhere its beat task
has nothing to do."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from complaints.clock import CalendarRows
from complaints.models import CalendarDay, Complaint, EventType, SweepRun
from complaints.policy import sla_policy_for
from focal_points.selectors import rollup_uses_postgres_sql

SCORECARD_REFRESH_SWEEP = "focal_points.scorecard_refresh"


def non_working_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    """National holidays (the `holidays` package) and national CalendarDay rows (cuti bersama,
    decreed days) between the two dates; weekends are handled in SQL."""
    return scorecard_calendar(start, end)[0]


def scorecard_calendar(
    start: dt.date, end: dt.date
) -> tuple[list[dt.date], dict[str, list[dt.date]]]:
    """The non-working days between the two dates, in one query: (national days, local days
    by calendar key). National days are the `holidays` package's and the CalendarDay days off
    without an agency, less the days declared working (complaints.clock.CalendarRows). A
    local CalendarDay applies to its agency and every unit below it, so a complaint's local
    days are those of every agency whose path prefixes its `scope_path`; the key is the path
    of the deepest such agency, and its list already holds the days of the agencies above it
    (as `WorkingCalendar.for_agency`). Weekends are left to the caller."""
    rows = CalendarRows.of(
        CalendarDay.objects.filter(date__range=(start, end)).values_list(
            "date", "kind", "agency__path"
        )
    )
    national = rows.national_days_off(start, end)
    own = rows.local
    local: dict[str, list[dt.date]] = {}
    for path in own:
        days = set()
        for other, other_days in own.items():
            if path.startswith(other):
                days |= other_days
        local[path] = sorted(days - national)
    return sorted(national), local


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
    picked up by the next one, which starts from this run's start minus a margin). On other
    databases than PostgreSQL there is no rollup (the scorecard reads reporting's facts, which
    reporting's own beat task keeps): the run is recorded and writes nothing."""
    now = now or timezone.now()
    run, _created = SweepRun.objects.get_or_create(name=SCORECARD_REFRESH_SWEEP)
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    since = epoch
    if not full and run.last_success_at and run.last_started_at:
        # The margin covers transactions that were open when the previous run started.
        since = run.last_started_at - dt.timedelta(minutes=10)
    SweepRun.objects.filter(pk=run.pk).update(last_started_at=now)
    if not rollup_uses_postgres_sql():
        SweepRun.objects.filter(pk=run.pk).update(last_success_at=timezone.now(), last_error="")
        return 0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT MIN(submitted_at) FROM complaints_complaint "
            "WHERE submitted_at IS NOT NULL AND updated_at >= %s",
            [since],
        )
        (first,) = cur.fetchone()
    if first is None:
        SweepRun.objects.filter(pk=run.pk).update(last_success_at=timezone.now(), last_error="")
        return 0
    # Local dates may be a day after the UTC date (WIT is UTC+9); pad both ends.
    start = first.date() - dt.timedelta(days=2)
    end = max(now.date(), timezone.localdate(now)) + dt.timedelta(days=2)
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

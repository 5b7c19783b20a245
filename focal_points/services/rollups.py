"""The scorecard rollup and the board snapshot: the facts of each complaint in working days
(one SQL statement on PostgreSQL, a portable path for the embedded SQLite), the monthly
counters and histograms built from them, and the board's open-complaint counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, DateField, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from complaints.clock import CalendarRows
from complaints.models import CalendarDay, Complaint, ComplaintEvent, EventType, SweepRun
from complaints.policy import sla_policy_for
from focal_points.models import ScorecardFact, ScorecardHistogram, ScorecardMonth
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

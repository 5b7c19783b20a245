"""Reads of the facts and rollups (aggregates in the database; read-only)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.db.models import Sum

from reporting.dashboards import percentile
from reporting.models import DailyRollup

PUBLIC_TOTALS_CACHE_KEY = "reporting:public_totals"
PUBLIC_TOTALS_CACHE_SECONDS = 60


def on_time_percent(met: int, missed: int, late: int) -> int | None:
    """The share of a clock met (docs/metrics.md "Within the deadline"): open complaints
    already past it count as misses now, so a backlog of overdue complaints lowers it."""
    counted = met + missed + late
    return round(100 * met / counted) if counted else None


def public_totals() -> dict[str, int | None]:
    """The home page's figures, from the daily rollups of complaints the public may know of
    (never rahasia): complaints filed, closed, and the share answered within the agency's own
    first-response deadline. One aggregate query, cached a minute (the most visited page;
    the facts move with the beat anyway)."""
    cached = cache.get(PUBLIC_TOTALS_CACHE_KEY)
    if cached is not None:
        return cached
    row = DailyRollup.objects.filter(is_confidential=False).aggregate(
        filed=Sum("received"),
        completed=Sum("closed"),
        met=Sum("response_met"),
        missed=Sum("response_missed"),
        late=Sum("response_late"),
    )
    totals = {
        "filed": row["filed"] or 0,
        "completed": row["completed"] or 0,
        "on_time_percent": on_time_percent(row["met"] or 0, row["missed"] or 0, row["late"] or 0),
    }
    cache.set(PUBLIC_TOTALS_CACHE_KEY, totals, PUBLIC_TOTALS_CACHE_SECONDS)
    return totals


# The clock counters of the scorecard, per agency (or unit) and in total: a clock counts when
# it was met, missed, or is running already late (a miss now); "within" is the met ones.
AGENCY_COUNTERS_SQL = """
SELECT {key} AS key, GROUPING({key}) AS is_total,
       SUM(received) AS received,
       SUM(verify_met + verify_missed + verify_late) AS verified,
       SUM(verify_met) AS verified_within,
       SUM(response_met + response_missed + response_late) AS responded,
       SUM(response_met) AS responded_within,
       SUM(resolution_met + resolution_missed + resolution_late) AS resolved,
       SUM(resolution_met) AS resolved_within,
       SUM(reopened) AS reopened, SUM(rating_count) AS rating_count,
       SUM(rating_sum) AS rating_sum
FROM reporting_dailyrollup
WHERE agency_id = ANY(%(ids)s) AND day BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS (({key}), ())
"""

# Medians and p90s of the agency working days of the clocks that ended (met or missed), and of
# the working days to close, per agency (or unit) and in total.
AGENCY_PERCENTILES_SQL = """
SELECT {key} AS key, GROUPING({key}) AS is_total,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY verify_days) AS verify_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY verify_days) AS verify_p90,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_days) AS response_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY response_days) AS response_p90,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY close_days) AS close_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY close_days) AS close_p90
FROM reporting_complaintfact
WHERE agency_id = ANY(%(ids)s) AND submitted_on BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS (({key}), ())
"""

AGENCY_FIGURE_KEYS = ("agency_id", "unit_id")

# The same per agency from the agencies' monthly figures (whole months of filing): the
# counters' outcomes and the durations' distributions, totalled and read off in Python.
AGENCY_MONTHLY_SQL = """
SELECT agency_id, figure, value, SUM(n)
FROM reporting_agencymonthlyfigure
WHERE agency_id = ANY(%(ids)s) AND month BETWEEN %(start)s AND %(end)s
  AND figure IN ('received', 'verify_state', 'response_state', 'resolution_state', 'reopened',
                 'rating', 'verify_days', 'response_days', 'close_days')
GROUP BY agency_id, figure, value
"""
COUNTED_STATES = ("met", "missed", "late")
CLOCK_COUNTERS = {
    "verify_state": ("verified", "verified_within"),
    "response_state": ("responded", "responded_within"),
    "resolution_state": ("resolved", "resolved_within"),
}
PERCENTILE_FIGURES = ("verify_days", "response_days", "close_days")


def _month_last_day(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _agency_figures_monthly(
    *, ids: list[int], start: dt.date, end: dt.date
) -> tuple[list[dict], list[dict]]:
    """agency_figures by agency over whole months, from reporting.AgencyMonthlyFigure (the
    same counts as the daily rollups and the facts, summed by month). One query."""
    with connection.cursor() as cur:
        cur.execute(AGENCY_MONTHLY_SQL, {"ids": ids, "start": start, "end": end})
        rows = cur.fetchall()
    names = ("received", *(n for pair in CLOCK_COUNTERS.values() for n in pair))
    blank = dict.fromkeys((*names, "reopened", "rating_count", "rating_sum"), 0)
    counters: dict[int | None, dict] = {}
    histograms: dict[int | None, dict[str, dict[int, int]]] = {}
    for agency_id, figure, value, n in rows:
        for key in (agency_id, None):  # the agency's row and the total (None)
            counter = counters.setdefault(key, dict(blank))
            if figure in ("received", "reopened"):
                counter[figure] += n
            elif figure in CLOCK_COUNTERS and value in COUNTED_STATES:
                counted, within = CLOCK_COUNTERS[figure]
                counter[counted] += n
                if value == "met":
                    counter[within] += n
            elif figure == "rating":
                counter["rating_count"] += n
                counter["rating_sum"] += int(value) * n
            elif figure in PERCENTILE_FIGURES:
                histogram = histograms.setdefault(key, {}).setdefault(figure, {})
                histogram[int(value)] = histogram.get(int(value), 0) + n
    records = [
        {"key": key, "is_total": key is None, **counter} for key, counter in counters.items()
    ]
    if None not in counters:
        records.append({"key": None, "is_total": True, **blank})
    percentiles = []
    for key in counters:
        record = {"key": key, "is_total": key is None}
        for figure in PERCENTILE_FIGURES:
            histogram = histograms.get(key, {}).get(figure, {})
            name = figure.removesuffix("_days")
            record[f"{name}_median"] = percentile(histogram, 0.5)
            record[f"{name}_p90"] = percentile(histogram, 0.9)
        percentiles.append(record)
    return records, percentiles


def agency_figures(
    *, ids: list[int], start: dt.date, end: dt.date, key: str = "agency_id"
) -> tuple[list[dict], list[dict]]:
    """The scorecard's figures of the agencies `ids` for complaints filed from `start` to
    `end` (inclusive), grouped by `key` (agency_id, or unit_id within one agency) with a total
    row (`is_total`): the clock counters from the daily rollups and the medians and p90s from
    the facts. Two queries; by agency over whole months, one (from the agencies' monthly
    figures)."""
    if key not in AGENCY_FIGURE_KEYS:
        raise ValueError(key)
    if key == "agency_id" and start.day == 1 and end == _month_last_day(end):
        return _agency_figures_monthly(ids=ids, start=start, end=end)
    return _agency_figures_daily(ids=ids, start=start, end=end, key=key)


def _agency_figures_daily(
    *, ids: list[int], start: dt.date, end: dt.date, key: str
) -> tuple[list[dict], list[dict]]:
    """agency_figures from the daily rollups and the facts: any days, by agency or unit."""
    params = {"ids": ids, "start": start, "end": end}
    with connection.cursor() as cur:
        cur.execute(AGENCY_COUNTERS_SQL.format(key=key), params)
        columns = [c[0] for c in cur.description]
        counters = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
        cur.execute(AGENCY_PERCENTILES_SQL.format(key=key), params)
        columns = [c[0] for c in cur.description]
        percentiles = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    return counters, percentiles

"""Reads of the facts and rollups (aggregates in the database; read-only)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.cache import cache
from django.db import connection
from django.db.models import Sum

from reporting.dashboards import percentile
from reporting.facts import dialect
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
AGENCY_COUNTER_COLUMNS = """
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
WHERE {ids} AND day BETWEEN %(start)s AND %(end)s"""
AGENCY_COUNTERS_SQL = {
    "postgresql": (
        "SELECT {key} AS key, GROUPING({key}) AS is_total,"
        + AGENCY_COUNTER_COLUMNS
        + "\nGROUP BY GROUPING SETS (({key}), ())"
    ),
    # SQLite has no GROUPING SETS: the rows by key, then the total (as the dashboards' volume).
    "sqlite": (
        "SELECT {key} AS key, 0 AS is_total,"
        + AGENCY_COUNTER_COLUMNS
        + "\nGROUP BY {key}\nUNION ALL\nSELECT NULL, 1,"
        + AGENCY_COUNTER_COLUMNS
    ),
}

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
WHERE {ids} AND submitted_on BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS (({key}), ())
"""

# SQLite has no percentile_cont: the same durations as (key, figure, days, count), one row per
# distinct number of days, read off with reporting.dashboards.percentile (exact, as there).
AGENCY_HISTOGRAM_SQL = """
SELECT {key}, '{name}', {name}, COUNT(*) FROM reporting_complaintfact
WHERE {name} IS NOT NULL AND {ids} AND submitted_on BETWEEN %(start)s AND %(end)s
GROUP BY {key}, {name}
"""

AGENCY_FIGURE_KEYS = ("agency_id", "unit_id")

# The same per agency from the agencies' monthly figures (whole months of filing): the
# counters' outcomes and the durations' distributions, totalled and read off in Python.
AGENCY_MONTHLY_SQL = """
SELECT agency_id, figure, value, SUM(n)
FROM reporting_agencymonthlyfigure
WHERE {ids} AND month BETWEEN %(start)s AND %(end)s
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


def _params(*, ids: list[int], start: dt.date, end: dt.date) -> tuple[dict, dict[str, str]]:
    """The parameters as this database takes them (SQLite: the ids as a JSON list, the dates
    as ISO text) and the statements' `{ids}` condition on agency_id."""
    d = dialect()
    params = {"ids": ids, "start": start, "end": end}
    if d.vendor == "sqlite":
        params = {"ids": json.dumps(ids), "start": start.isoformat(), "end": end.isoformat()}
    return params, {"ids": d.in_ids("agency_id")}


def _month_last_day(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _agency_figures_monthly(
    *, ids: list[int], start: dt.date, end: dt.date
) -> tuple[list[dict], list[dict]]:
    """agency_figures by agency over whole months, from reporting.AgencyMonthlyFigure (the
    same counts as the daily rollups and the facts, summed by month). One query."""
    params, pieces = _params(ids=ids, start=start, end=end)
    with connection.cursor() as cur:
        cur.execute(AGENCY_MONTHLY_SQL.format(**pieces), params)
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
    figures). The same on SQLite, where the ids go as JSON (json_each), the total row comes
    from a second SELECT in place of GROUPING SETS and the medians and p90s are read off each
    duration's distribution (reporting.dashboards.percentile, exact as percentile_cont)."""
    if key not in AGENCY_FIGURE_KEYS:
        raise ValueError(key)
    if key == "agency_id" and start.day == 1 and end == _month_last_day(end):
        return _agency_figures_monthly(ids=ids, start=start, end=end)
    return _agency_figures_daily(ids=ids, start=start, end=end, key=key)


def _agency_figures_daily(
    *, ids: list[int], start: dt.date, end: dt.date, key: str
) -> tuple[list[dict], list[dict]]:
    """agency_figures from the daily rollups and the facts: any days, by agency or unit."""
    params, pieces = _params(ids=ids, start=start, end=end)
    vendor = connection.vendor
    with connection.cursor() as cur:
        cur.execute(AGENCY_COUNTERS_SQL[vendor].format(key=key, **pieces), params)
        columns = [c[0] for c in cur.description]
        counters = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
        if vendor == "postgresql":
            cur.execute(AGENCY_PERCENTILES_SQL.format(key=key, **pieces), params)
            columns = [c[0] for c in cur.description]
            percentiles = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
        else:
            cur.execute(
                " UNION ALL ".join(
                    AGENCY_HISTOGRAM_SQL.format(key=key, name=name, **pieces)
                    for name in PERCENTILE_FIGURES
                ),
                params,
            )
            percentiles = _percentiles(cur.fetchall())
    return counters, percentiles


def _percentiles(rows: list[tuple]) -> list[dict]:
    """AGENCY_PERCENTILES_SQL's records from AGENCY_HISTOGRAM_SQL's rows: a record per key
    with a duration, and the total (every key's counts together)."""
    histograms: dict[tuple[int | None, bool], dict[str, dict[int, int]]] = {(None, True): {}}
    for item_key, figure, days, n in rows:
        for group in ((item_key, False), (None, True)):
            histogram = histograms.setdefault(group, {}).setdefault(figure, {})
            histogram[days] = histogram.get(days, 0) + n
    records = []
    for (item_key, is_total), by_figure in histograms.items():
        record: dict = {"key": item_key, "is_total": is_total}
        for figure in PERCENTILE_FIGURES:
            name = figure.removesuffix("_days")
            histogram = by_figure.get(figure, {})
            record[f"{name}_median"] = percentile(histogram, 0.5)
            record[f"{name}_p90"] = percentile(histogram, 0.9)
        records.append(record)
    return records

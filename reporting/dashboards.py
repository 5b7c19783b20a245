"""The dashboards' figures (staff and focal points within their scope, the public over
published complaints): a fixed handful of aggregate queries over ComplaintFact, whatever the
number of complaints. Definitions: docs/metrics.md."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

from complaints.models import Agency, Category, Channel, Kind, Status
from reporting.facts import MONTH, dialect

# Public figures: a count under this is not shown, under every filter (it could point at a
# person in a small unit or category).
SUPPRESS_BELOW = 5

CLOCKS = ("verify", "response", "resolution", "ceiling")
CLOCK_LABELS = {
    "verify": _("Verification"),
    "response": _("First response"),
    "resolution": _("Resolution"),
    "ceiling": _("60-day ceiling"),
}
VOLUME_DIMENSIONS = (
    "status",
    "kind",
    "agency_id",
    "unit_id",
    "category_id",
    "channel",
    "region",
    "month",
)


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date  # inclusive
    agency_id: int | None = None
    unit_id: int | None = None
    category_id: int | None = None
    # None: every complaint (national admin); else the agency paths whose complaints count.
    scope_paths: tuple[str, ...] | None = None
    public: bool = False

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The period of the same length just before."""
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return end - length, end


@dataclass
class Row:
    label: str
    value: int | None  # None: suppressed
    key: str = ""


@dataclass
class ClockRow:
    clock: str
    label: str
    met: int | None
    missed: int | None
    late: int | None
    running: int | None
    percent: Decimal | None


@dataclass
class Dashboard:
    filters: Filters
    volume: dict[str, list[Row]] = field(default_factory=dict)
    clocks: list[ClockRow] = field(default_factory=list)
    durations: list[dict] = field(default_factory=list)
    backlog: list[Row] = field(default_factory=list)
    top_categories: list[dict] = field(default_factory=list)
    received: int | None = 0
    reopen_percent: Decimal | None = None
    rating_mean: Decimal | None = None
    rating_count: int | None = 0


def _where(filters: Filters, *, period: bool = True, alias: str = "f") -> tuple[str, dict]:
    parts = ["TRUE"]
    params: dict = {}
    if period:
        parts.append(f"{alias}.submitted_on BETWEEN %(start)s AND %(end)s")
        params |= {"start": filters.start, "end": filters.end}
    if filters.public:
        parts.append(f"NOT {alias}.is_confidential")
    if filters.scope_paths is not None:
        likes = [
            f"{alias}.scope_path LIKE %(scope{i})s ESCAPE '\\'"
            for i in range(len(filters.scope_paths))
        ]
        parts.append("(" + (" OR ".join(likes) or "FALSE") + ")")
        for i, path in enumerate(filters.scope_paths):
            params[f"scope{i}"] = path.replace("%", "").replace("_", r"\_") + "%"
    for name in ("agency_id", "unit_id", "category_id"):
        value = getattr(filters, name)
        if value is not None:
            parts.append(f"{alias}.{name} = %({name})s")
            params[name] = value
    return " AND ".join(parts), params


def _suppress(value: int | None, filters: Filters) -> int | None:
    if value is None:
        return None
    return None if filters.public and value < SUPPRESS_BELOW else int(value)


def _percent(part: int | None, whole: int | None) -> Decimal | None:
    if not whole or part is None:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


# The month a stint ended in, on the national calendar's zone (WIB).
END_MONTH = {
    "postgresql": "date_trunc('month', ({} AT TIME ZONE 'Asia/Jakarta')::date)::date",
    "sqlite": "strftime('%%Y-%%m-01', {}, '+420 minutes')",
}

VOLUME_SQL = """
SELECT status, kind, agency_id, unit_id, category_id, channel, region, {month} AS month,
       GROUPING(status, kind, agency_id, unit_id, category_id, channel, region, {month}) AS g,
       COUNT(*) AS n
FROM reporting_complaintfact f
WHERE f.is_current AND {where}
GROUP BY GROUPING SETS ((status), (kind), (agency_id), (unit_id), (category_id), (channel),
                        (region), ({month}), ())
"""


def _volume_sql(vendor: str, where: str) -> str:
    """Counts of current rows by each dimension and in total, with GROUPING()'s bit mask (a
    set bit: the dimension is not grouped); SQLite has no GROUPING SETS: one GROUP BY each."""
    month = MONTH[vendor].format("submitted_on")
    if vendor == "postgresql":
        return VOLUME_SQL.format(month=month, where=where)
    width = len(VOLUME_DIMENSIONS)
    columns = [*VOLUME_DIMENSIONS[:-1], month]
    parts = []
    for index in (*range(width), None):
        values = ", ".join(c if i == index else "NULL" for i, c in enumerate(columns))
        mask = ((1 << width) - 1) & ~(0 if index is None else 1 << (width - 1 - index))
        group = "" if index is None else f" GROUP BY {columns[index]}"
        parts.append(
            f"SELECT {values}, {mask}, COUNT(*) FROM reporting_complaintfact f "  # noqa: S608
            f"WHERE f.is_current AND {where}{group}"
        )
    return " UNION ALL ".join(parts)


CLOCKS_SQL = """
SELECT {counts},
       COUNT(*) FILTER (WHERE reopens > 0) AS reopened,
       COUNT(*) FILTER (WHERE response_state IN ('met', 'missed', 'late')) AS responded,
       SUM(rating) FILTER (WHERE is_current) AS rating_sum,
       COUNT(rating) FILTER (WHERE is_current) AS rating_count
FROM reporting_complaintfact f
WHERE {where}
"""

# The distribution of each duration (value, count): medians and p90s are read off it exactly
# (`percentile`), on any database, from one row per distinct number of days.
HISTOGRAM_SQL = """
SELECT '{name}', {name}, COUNT(*) FROM reporting_complaintfact f
WHERE {name} IS NOT NULL AND {where} GROUP BY {name}
"""

# Open at the end of month g = filed by then - closed or archived by then (a complaint ends
# after it was filed): the net change by month in one scan; the running sum over the months.
BACKLOG_SQL = """
SELECT m, SUM(d) FROM (
    SELECT {month} AS m, 1 AS d
    FROM reporting_complaintfact f WHERE f.is_current AND {where}
    UNION ALL
    SELECT {end_month}, -1
    FROM reporting_complaintfact f
    WHERE f.is_current AND f.held_until IS NOT NULL AND {where}
) moves
GROUP BY m ORDER BY m
"""


def percentile(histogram: dict[int, int], q: float) -> float | None:
    """percentile_cont(q) of the values a {value: count} histogram describes: the value at
    position q * (n - 1) of the sorted values, interpolated between its two neighbours."""
    n = sum(histogram.values())
    if not n:
        return None
    position = q * (n - 1)
    low = int(position)
    high = min(low + 1, n - 1)
    at: dict[int, int] = {}
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        for index in (low, high):
            if index not in at and seen > index:
                at[index] = value
        if high in at:
            break
    return at[low] + (at[high] - at[low]) * (position - low)


def _month(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    while first <= last:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


TOP_CATEGORIES_SQL = """
SELECT category_id,
       COUNT(*) FILTER (WHERE submitted_on BETWEEN %(start)s AND %(end)s) AS now,
       COUNT(*) FILTER (WHERE submitted_on BETWEEN %(pstart)s AND %(pend)s) AS before
FROM reporting_complaintfact f
WHERE f.is_current AND f.category_id IS NOT NULL
  AND f.submitted_on BETWEEN %(pstart)s AND %(end)s AND {where}
GROUP BY category_id ORDER BY now DESC, category_id LIMIT 10
"""

# The same from the monthly figures for the whole months of both periods and from the facts
# for the days around them (a period rarely starts and ends on a month's edges): a few days'
# facts instead of two periods' worth.
TOP_CATEGORIES_FIGURES_SQL = """
SELECT category_id, SUM(now) AS now, SUM(before) AS before FROM (
    SELECT CAST(value AS INTEGER) AS category_id,
           CASE WHEN month BETWEEN %(mstart)s AND %(mend)s THEN n ELSE 0 END AS now,
           CASE WHEN month BETWEEN %(mpstart)s AND %(mpend)s THEN n ELSE 0 END AS before
    FROM {table}
    WHERE figure = 'category_id' AND value <> '' AND {agency}
      AND (NOT %(public)s OR NOT is_confidential)
      AND (month BETWEEN %(mstart)s AND %(mend)s OR month BETWEEN %(mpstart)s AND %(mpend)s)
    UNION ALL
    SELECT category_id,
           CASE WHEN submitted_on BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END,
           CASE WHEN submitted_on BETWEEN %(pstart)s AND %(pend)s THEN 1 ELSE 0 END
    FROM reporting_complaintfact f
    WHERE f.is_current AND f.category_id IS NOT NULL AND ({edges}) AND {where}
) x
GROUP BY category_id {order}
"""
TOP_CATEGORIES = 10


def _top_categories(
    filters: Filters, cur, *, covered: bool = False, now: dict | None = None
) -> list[tuple]:
    """The ten categories with the most complaints in the period, and their counts in the
    period before: (category id, now, before). `covered`: the monthly figures cover the
    period (`_figures_cover`), and `now` holds their counts by category for it (the board's
    volume), so only the period before is counted. One query."""
    where_all, params_all = _where(filters, period=False)
    pstart, pend = filters.previous
    params = {
        **params_all,
        "start": filters.start,
        "end": filters.end,
        "pstart": pstart,
        "pend": pend,
    }
    if not _figures_scope(filters):
        cur.execute(TOP_CATEGORIES_SQL.format(where=where_all), params)
        return cur.fetchall()
    table, agency, table_params = _figures_table(filters)
    edges = []
    # Nothing was filed after the end within its month: that month counts whole.
    end = _month_last_day(filters.end) if covered else filters.end
    periods = [("m", (filters.start, end)), ("mp", (pstart, pend))]
    if covered and now is not None:
        # An empty range: the period's counts are known.
        periods[0] = ("m", (dt.date.max, dt.date.min))
    for key, (first, last) in periods:
        months, days = _split_months(first, last)
        # An empty range (first after last) where the period holds no whole month.
        months = months or (dt.date.max, dt.date.min)
        params |= {f"{key}start": months[0], f"{key}end": months[1]}
        for index, (day_first, day_last) in enumerate(days):
            params |= {f"{key}e{index}a": day_first, f"{key}e{index}b": day_last}
            edges.append(f"f.submitted_on BETWEEN %({key}e{index}a)s AND %({key}e{index}b)s")
    known = covered and now is not None
    cur.execute(
        TOP_CATEGORIES_FIGURES_SQL.format(
            table=table,
            agency=agency,
            edges=" OR ".join(edges) or "FALSE",
            where=where_all,
            order="" if known else f"ORDER BY now DESC, category_id LIMIT {TOP_CATEGORIES}",
        ),
        {**params, **table_params, "public": filters.public},
    )
    if not known:
        return cur.fetchall()
    before = {category_id: n for category_id, _now, n in cur.fetchall()}
    counts = {c: n for c, n in now.items() if c is not None}
    rows = [(c, counts.get(c, 0), before.get(c, 0)) for c in counts.keys() | before.keys()]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return rows[:TOP_CATEGORIES]


DURATION_FIELDS = (
    ("verify_days", _("Working days to verify")),
    ("response_days", _("Working days to first response")),
    ("resolution_days", _("Agency working days to resolve")),
    ("close_days", _("Working days from filing to closing")),
)


def _figures_scope(filters: Filters) -> bool:
    """Whether the monthly figures hold this board's rows: the whole country or one agency
    (the national figures, or the agency's), no unit, category or scope."""
    return filters.scope_paths is None and filters.unit_id is None and filters.category_id is None


def _figures_cover(filters: Filters, cur) -> bool:
    """Whether the monthly figures give exactly this board (`_figures_scope`: the national
    ones, or one agency's), whole months of filing (a period ends on a month's last day, or
    no complaint was filed after its end within that month). At most one query."""
    if not _figures_scope(filters):
        return False
    if filters.start.day != 1:
        return False
    month_end = _month_last_day(filters.end)
    if filters.end == month_end:
        return True
    cur.execute(
        "SELECT 1 FROM reporting_complaintfact WHERE submitted_on > %s AND submitted_on <= %s "
        "LIMIT 1",
        [filters.end, month_end],
    )
    return cur.fetchone() is None


def _month_last_day(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _split_months(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list]:
    """The whole months within [start, end] as (first month, last month), None when there is
    none; and the days before and after them, as (first, last) day ranges."""
    if start > end:
        return None, []
    first = start if start.day == 1 else _month_last_day(start) + dt.timedelta(days=1)
    last_end = end if end == _month_last_day(end) else end.replace(day=1) - dt.timedelta(days=1)
    if first > last_end:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    if last_end < end:
        edges.append((last_end + dt.timedelta(days=1), end))
    return (first, last_end.replace(day=1)), edges


def _read_facts(filters: Filters, vendor: str, cur) -> tuple:
    """The board's counts from the facts: (received, volume, clock counts, histograms, backlog
    moves by month). Four queries."""
    where, params = _where(filters)
    cur.execute(_volume_sql(vendor, where), params)
    received = 0
    volume: dict[str, list[tuple]] = {d: [] for d in VOLUME_DIMENSIONS}
    for *values, g, n in cur.fetchall():
        if g == (1 << len(VOLUME_DIMENSIONS)) - 1:
            received = n
            continue
        for index, dimension in enumerate(VOLUME_DIMENSIONS):
            if not g & (1 << (len(VOLUME_DIMENSIONS) - 1 - index)):
                value = values[index]
                volume[dimension].append((_month(value) if dimension == "month" else value, n))
    counts = ", ".join(
        f"COUNT(*) FILTER (WHERE {c}_state = '{s}') AS {c}_{s}"
        for c in CLOCKS
        for s in ("met", "missed", "late", "running")
    )
    cur.execute(CLOCKS_SQL.format(counts=counts, where=where), params)
    columns = [c[0] for c in cur.description]
    clock_row = dict(zip(columns, cur.fetchone(), strict=True))
    cur.execute(
        " UNION ALL ".join(
            HISTOGRAM_SQL.format(name=name, where=where) for name, _label in DURATION_FIELDS
        ),
        params,
    )
    histograms: dict[str, dict[int, int]] = {name: {} for name, _label in DURATION_FIELDS}
    for name, value, n in cur.fetchall():
        histograms[name][value] = n
    where_all, params_all = _where(filters, period=False)
    cur.execute(
        BACKLOG_SQL.format(
            where=where_all,
            month=MONTH[vendor].format("f.submitted_on"),
            end_month=END_MONTH[vendor].format("f.held_until"),
        ),
        params_all,
    )
    moves = {_month(m): n for m, n in cur.fetchall()}
    return received, volume, clock_row, histograms, moves


ID_DIMENSIONS = ("agency_id", "unit_id", "category_id")


FIGURES_SQL = """
SELECT CASE WHEN figure IN ('received', 'ended') THEN month END AS m, figure, value, SUM(n)
FROM {table}
WHERE (month BETWEEN %(start)s AND %(end)s OR figure IN ('received', 'ended'))
  AND (NOT %(public)s OR NOT is_confidential) AND {agency}
GROUP BY 1, 2, 3
"""


def _figures_table(filters: Filters) -> tuple[str, str, dict]:
    """The monthly figures of the board (`_figures_scope`): the national table, or the
    agencies' one with the condition on the agency; (table, condition, parameters)."""
    if filters.agency_id is None:
        return "reporting_monthlyfigure", "TRUE", {}
    return "reporting_agencymonthlyfigure", "agency_id = %(agency)s", {"agency": filters.agency_id}


def _read_figures(filters: Filters) -> tuple:
    """The same counts as `_read_facts`, from the monthly figures (national, or the
    agency's). One query."""
    table, agency, params = _figures_table(filters)
    # The backlog's counts by month over every month; the others summed over the period.
    with connection.cursor() as cur:
        cur.execute(
            FIGURES_SQL.format(table=table, agency=agency),
            {"start": filters.start, "end": filters.end, "public": filters.public, **params},
        )
        rows = cur.fetchall()
    start, end = filters.start, filters.end
    received = 0
    volume: dict[str, dict] = {d: {} for d in VOLUME_DIMENSIONS}
    clock_row: dict = {"rating_sum": 0, "rating_count": 0}
    histograms: dict[str, dict[int, int]] = {name: {} for name, _label in DURATION_FIELDS}
    moves: dict[dt.date, int] = {}
    for month, figure, value, n in rows:
        month = _month(month)
        if figure == "received":
            moves[month] = moves.get(month, 0) + n
        elif figure == "ended":
            ended = dt.date.fromisoformat(value)
            moves[ended] = moves.get(ended, 0) - n
        if month is not None and not start <= month <= end:
            continue
        if figure == "received":
            received += n
            volume["month"][month] = volume["month"].get(month, 0) + n
        elif figure in VOLUME_DIMENSIONS:
            key = (int(value) if value else None) if figure in ID_DIMENSIONS else value
            volume[figure][key] = volume[figure].get(key, 0) + n
        elif figure in histograms:
            histograms[figure][int(value)] = histograms[figure].get(int(value), 0) + n
        elif figure.endswith("_state"):
            key = f"{figure.removesuffix('_state')}_{value}"
            clock_row[key] = clock_row.get(key, 0) + n
        elif figure == "rating":
            clock_row["rating_sum"] += int(value) * n
            clock_row["rating_count"] += n
        elif figure in ("reopened", "responded"):
            clock_row[figure] = clock_row.get(figure, 0) + n
    for clock in CLOCKS:
        for state in ("met", "missed", "late", "running"):
            clock_row.setdefault(f"{clock}_{state}", 0)
    clock_row.setdefault("reopened", 0)
    clock_row.setdefault("responded", 0)
    volume_rows = {d: list(values.items()) for d, values in volume.items()}
    return received, volume_rows, clock_row, histograms, moves


def dashboard(filters: Filters) -> Dashboard:
    """Every figure of a dashboard, the same on PostgreSQL and SQLite. The counts come from
    the monthly figures (national, or one agency's) when they cover the board exactly
    (`_figures_cover`: at most one query, then one), else from the facts (volume, clocks with
    reopen and satisfaction, the durations' distributions, backlog by month: four); then the
    top categories against the period before, the agencies' and the categories' names. At
    most seven queries, whatever the number of complaints."""
    board = Dashboard(filters=filters)
    vendor = dialect().vendor
    labels_wanted: dict[str, set] = {"agency": set(), "category": set()}
    with connection.cursor() as cur:
        covered = _figures_cover(filters, cur)
        if covered:
            received, volume, clock_row, histograms, moves = _read_figures(filters)
        else:
            received, volume, clock_row, histograms, moves = _read_facts(filters, vendor, cur)
        board.received = _suppress(received, filters)
        top = _top_categories(
            filters, cur, covered=covered, now=dict(volume["category_id"]) if covered else None
        )
    backlog = []
    open_now = 0
    months = _months(filters.start.replace(day=1), filters.end.replace(day=1))
    ordered = sorted(moves.items())
    for month in months:
        while ordered and ordered[0][0] <= month:
            open_now += ordered.pop(0)[1]
        backlog.append((month, open_now))
    for dimension in ("agency_id", "unit_id"):
        labels_wanted["agency"] |= {v for v, _n in volume[dimension] if v is not None}
    labels_wanted["category"] |= {v for v, _n in volume["category_id"] if v is not None}
    labels_wanted["category"] |= {c for c, _a, _b in top}
    agencies, categories = _names(labels_wanted["agency"], labels_wanted["category"])
    names = {
        "status": dict(Status.choices),
        "kind": dict(Kind.choices),
        "channel": dict(Channel.choices),
        "agency_id": agencies,
        "unit_id": agencies,
        "category_id": categories,
        "region": {},
    }
    none_labels = {
        "agency_id": _("National triage"),
        "unit_id": _("Not yet routed to a unit"),
        "category_id": _("No category"),
        "region": _("No region"),
    }
    for dimension, items in volume.items():
        rows = []
        for value, n in items:
            if dimension == "month":
                label = value.strftime("%Y-%m") if value else ""
            elif value is None or value == "":
                label = str(none_labels.get(dimension, "-"))
            else:
                label = str(names[dimension].get(value, value))
            rows.append(Row(label=label, value=_suppress(n, filters), key=str(value or "")))
        if dimension == "month":
            rows.sort(key=lambda r: r.key)
        else:
            rows.sort(key=lambda r: (-(r.value or 0), r.label, r.key))
        board.volume[dimension] = rows
    for clock in CLOCKS:
        met, missed, late, running = (
            _suppress(clock_row[f"{clock}_{s}"], filters)
            for s in ("met", "missed", "late", "running")
        )
        counted = (
            clock_row[f"{clock}_met"] + clock_row[f"{clock}_missed"] + clock_row[f"{clock}_late"]
        )
        percent = _percent(clock_row[f"{clock}_met"], _suppress(counted, filters))
        board.clocks.append(
            ClockRow(clock, str(CLOCK_LABELS[clock]), met, missed, late, running, percent)
        )
    for name, label in DURATION_FIELDS:
        n = _suppress(sum(histograms[name].values()), filters)
        board.durations.append(
            {
                "label": str(label),
                "n": n,
                "median": _decimal(percentile(histograms[name], 0.5)) if n else None,
                "p90": _decimal(percentile(histograms[name], 0.9)) if n else None,
            }
        )
    board.reopen_percent = _percent(
        clock_row["reopened"], _suppress(clock_row["responded"], filters)
    )
    board.rating_count = _suppress(clock_row["rating_count"], filters)
    board.rating_mean = (
        _decimal(Decimal(clock_row["rating_sum"]) / clock_row["rating_count"])
        if board.rating_count
        else None
    )
    board.backlog = [
        Row(label=month.strftime("%Y-%m"), value=_suppress(n, filters), key=str(month))
        for month, n in backlog
    ]
    board.top_categories = [
        {
            "label": categories.get(category_id, str(category_id)),
            "now": _suppress(now, filters),
            "before": _suppress(before, filters),
        }
        for category_id, now, before in top
    ]
    return board


def _names(agency_ids: set, category_ids: set) -> tuple[dict, dict]:
    """The names of these agencies (and units) and categories: one query, none when there is
    nothing to name. Array parameters: a country's thousands of ids as one value each."""
    if not agency_ids and not category_ids:
        return {}, {}
    d = dialect()
    agency_param, category_param = sorted(agency_ids), sorted(category_ids)
    if d.vendor == "sqlite":
        agency_param, category_param = json.dumps(agency_param), json.dumps(category_param)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT 'agency', id, name FROM {Agency._meta.db_table} "  # noqa: S608 - our own constants; values are bound
            f"WHERE {d.in_ids('id', 'agencies')} UNION ALL "
            f"SELECT 'category', id, name FROM {Category._meta.db_table} "
            f"WHERE {d.in_ids('id', 'categories')}",
            {"agencies": agency_param, "categories": category_param},
        )
        rows = cur.fetchall()
    names: dict[str, dict] = {"agency": {}, "category": {}}
    for table, pk, name in rows:
        names[table][pk] = name
    return names["agency"], names["category"]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))

"""How the dashboards' figures are laid out: the tables (what the pages show, the charts draw
and the downloads hold) and the bars of the server-drawn SVG charts. Shared by the pages, the
downloads and the monthly report's PDF."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.dashboards import Dashboard

# The charts' geometry (viewBox 400 wide, light enough to read on a 360 px phone): labels on
# the left, bars from x=150 up to CHART_BAR_WIDTH long, the value after the bar.
CHART_BAR_WIDTH = 200
CHART_LABEL_CHARS = 22


def short_label(label: str) -> str:
    return label if len(label) <= CHART_LABEL_CHARS else label[: CHART_LABEL_CHARS - 1] + "…"


def dashboard_tables(board: Dashboard) -> dict[str, tuple[str, list[str], list[list]]]:
    """Every table of a dashboard as (title, header, rows): what the page shows, the charts
    draw and the downloads hold."""
    volume_titles = {
        "status": _("Complaints by status"),
        "kind": _("Complaints by kind"),
        "agency_id": _("Complaints by agency"),
        "unit_id": _("Complaints by unit"),
        "category_id": _("Complaints by category"),
        "channel": _("Complaints by channel"),
        "region": _("Complaints by region"),
        "month": _("Complaints by month of filing"),
    }
    tables: dict[str, tuple[str, list[str], list[list]]] = {}
    for dimension, title in volume_titles.items():
        tables[dimension] = (
            title,
            [_("Group"), _("Number of complaints")],
            [[row.label, row.value] for row in board.volume.get(dimension, [])],
        )
    tables["clocks"] = (
        _("Deadlines met per clock"),
        [
            _("Clock"),
            _("Met"),
            _("Missed"),
            _("Open, already late"),
            _("Open, on time"),
            _("Within the deadline (%)"),
        ],
        [[c.label, c.met, c.missed, c.late, c.running, c.percent] for c in board.clocks],
    )
    tables["durations"] = (
        _("Working days taken"),
        [_("Measure"), _("Complaints"), _("Median"), _("p90")],
        [[d["label"], d["n"], d["median"], d["p90"]] for d in board.durations],
    )
    tables["backlog"] = (
        _("Open complaints at the end of each month"),
        [_("Month"), _("Open complaints")],
        [[row.label, row.value] for row in board.backlog],
    )
    tables["top_categories"] = (
        _("Top categories: this period against the period before"),
        [_("Category"), _("This period"), _("Period before")],
        [[t["label"], t["now"], t["before"]] for t in board.top_categories],
    )
    return tables


def shown(value, public: bool = True) -> str:
    """A cell as shown and downloaded: on public pages a missing count was suppressed and
    reads "<5"; on staff pages it is empty (nothing to measure)."""
    if value is None:
        return "<5" if public else ""
    return str(value)


def _measured(value) -> bool:
    """A number a bar can be drawn for (counts are ints, percentages come as Decimal); None is
    a suppressed or empty cell."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def chart_bars(rows: Iterable[list], *, value_index: int = 1, public: bool) -> list[dict]:
    """Bars for the server-drawn SVG chart: the largest value is the full width."""
    rows = list(rows)
    values = [float(r[value_index]) for r in rows if _measured(r[value_index])]
    top = max(values, default=0) or 1
    bars = []
    for index, row in enumerate(rows[:15]):
        value = row[value_index]
        width = round(CHART_BAR_WIDTH * float(value) / top) if _measured(value) else 0
        bars.append(
            {
                "label": short_label(str(row[0])),
                "value": shown(value, public),
                "width": width,
                "y": index * 28,
                "rect_y": index * 28 + 4,
                "text_y": index * 28 + 17,
                "value_x": width + 156,
            }
        )
    return bars


# Tables of the pages show their largest rows (the volume tables are sorted by count): a
# whole country has thousands of units and categories, and a page of thousands of rows is
# slow to send and to read. The downloads (and the monthly report) hold every row.
PAGE_TABLE_ROWS = 25
# Tables in the order of time (months), never cut.
CHRONOLOGICAL = ("month", "backlog")


def dashboard_sections(tables: dict, *, public: bool, max_rows: int | None = None) -> list[dict]:
    """Each table with its chart's bars (the durations table has no chart); with `max_rows`,
    a table sorted by size shows its first rows only (`rows_total` says how many it has)."""
    sections = []
    for key, (title, header, rows) in tables.items():
        chart_index = 5 if key == "clocks" else 1
        cut = max_rows is not None and key not in CHRONOLOGICAL and len(rows) > max_rows
        page_rows = [
            [shown(cell, public) if i else cell for i, cell in enumerate(r)]
            for r in (rows[:max_rows] if cut else rows)
        ]
        sections.append(
            {
                "key": key,
                "title": title,
                "header": header,
                "rows": page_rows,
                # (row header, cells): the table's rows as the page writes them
                "labelled_rows": [(r[0], r[1:]) for r in page_rows],
                "rows_total": len(rows),
                "cut": cut,
                "bars": (
                    chart_bars(rows, value_index=chart_index, public=public)
                    if key != "durations"
                    else []
                ),
                "height": 28 * min(len(rows), 15) + 4,
            }
        )
    return sections

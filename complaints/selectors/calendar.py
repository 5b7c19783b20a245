"""The national calendar of a year as the admin reads it: every day, working or not and why
(the `holidays` package's holidays and cuti bersama, the CalendarDay overrides), and the local
days of the agencies."""

from __future__ import annotations

import calendar as calendar_lib
import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.clock import package_days
from complaints.models import CalendarDay

WEEKEND = "weekend"
HOLIDAY = "holiday"
CUTI_BERSAMA = "cuti_bersama"
WORKING_OVERRIDE = "working_override"
WORKING = "working"


@dataclass(frozen=True)
class CalendarEntry:
    date: dt.date
    state: str  # one of the constants above
    name: str  # what the day is ("" for an ordinary working day or weekend)
    source: str  # "package", "register" or ""

    @property
    def is_working(self) -> bool:
        return self.state in (WORKING, WORKING_OVERRIDE)

    @property
    def label(self) -> str:
        return state_label(self.state)


@dataclass(frozen=True)
class Month:
    name: str
    weeks: list[list[CalendarEntry | None]]  # Monday first; None outside the month


@dataclass(frozen=True)
class CalendarYear:
    year: int
    months: list[Month]
    days_off: list[CalendarEntry]  # every national non-working weekday and override, in order
    local_days: list[CalendarDay]
    cuti_bersama_count: int


def calendar_year(year: int) -> CalendarYear:
    """One query for the year's CalendarDay rows; the package's days come from memory."""
    package = package_days(year)
    rows = list(
        CalendarDay.objects.filter(date__year=year).select_related("agency").order_by("date")
    )
    national = {r.date: r for r in rows if r.agency_id is None}
    entries: dict[dt.date, CalendarEntry] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        entries[day] = _entry(day, package.get(day), national.get(day))
        day += dt.timedelta(days=1)
    months = []
    for month in range(1, 13):
        weeks = [
            [entries[d] if d.month == month else None for d in week]
            for week in calendar_lib.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append(Month(name=date_format(dt.date(year, month, 1), "F"), weeks=weeks))
    days_off = [e for e in entries.values() if e.state not in (WORKING, WEEKEND) or e.source]
    return CalendarYear(
        year=year,
        months=months,
        days_off=days_off,
        local_days=[r for r in rows if r.agency_id is not None],
        cuti_bersama_count=sum(1 for e in entries.values() if e.state == CUTI_BERSAMA),
    )


def _entry(day: dt.date, package: tuple[str, str] | None, row: CalendarDay | None) -> CalendarEntry:
    if row is not None and row.kind == CalendarDay.Kind.WORKING_DAY:
        return CalendarEntry(day, WORKING_OVERRIDE, row.name, "register")
    if row is not None:
        state = CUTI_BERSAMA if row.kind == CalendarDay.Kind.CUTI_BERSAMA else HOLIDAY
        return CalendarEntry(day, state, row.name, "register")
    if package is not None:
        category, name = package
        return CalendarEntry(
            day, CUTI_BERSAMA if category == "government" else HOLIDAY, name, "package"
        )
    if day.weekday() >= 5:
        return CalendarEntry(day, WEEKEND, "", "")
    return CalendarEntry(day, WORKING, "", "")


STATE_LABELS = {
    WEEKEND: gettext_noop("Weekend"),
    HOLIDAY: gettext_noop("National holiday"),
    CUTI_BERSAMA: gettext_noop("Cuti bersama"),
    WORKING_OVERRIDE: gettext_noop("Working day (moved)"),
    WORKING: gettext_noop("Working day"),
}


def state_label(state: str) -> str:
    return _(STATE_LABELS[state])

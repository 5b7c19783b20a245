"""Working-day (hari kerja) arithmetic.

A working day is Monday-Friday in the agency's time zone, minus national holidays and cuti
bersama (the `holidays` package, country ID: its `public` category holds the holidays, its
`government` category the cuti bersama of the SKB 3 Menteri), with `CalendarDay` rows as
overrides both ways: a national day off the package lacks (a new SKB, an isbat that moved a
holiday), a package date declared a working day (`working_day`), and local days per agency.
A deadline of N working days falls at the end of the N-th working day after the day the clock
starts (the starting day itself does not count, as in SP4N-LAPOR!).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib

# Office hours used to hold escalations raised at night until the next working morning.
WORKDAY_START = dt.time(8, 0)
WORKDAY_END = dt.time(16, 0)
END_OF_DAY = dt.time(23, 59, 59)

_CACHE_SECONDS = 300
_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, object]] = {}


def clear_calendar_cache() -> None:
    with _cache_lock:
        _cache.clear()


# The package's categories for Indonesia: national holidays, and the cuti bersama decreed by
# the SKB 3 Menteri (and its amendments).
HOLIDAY_CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def package_days(year: int) -> dict[dt.date, tuple[str, str]]:
    """{date: (category, name)} of the `holidays` package for a year: national holidays
    ("public") and cuti bersama ("government")."""
    days: dict[dt.date, tuple[str, str]] = {}
    for category in HOLIDAY_CATEGORIES:
        found = holidays_lib.country_holidays("ID", years=year, categories=(category,))
        for day, name in found.items():
            days.setdefault(day, (category, name))
    return days


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[dt.date]:
    """The package's non-working days of a year: national holidays and cuti bersama (before
    the CalendarDay overrides)."""
    return frozenset(package_days(year))


def package_has_cuti_bersama(year: int) -> bool:
    return any(category == "government" for category, _name in package_days(year).values())


@dataclass(frozen=True)
class CalendarRows:
    """The CalendarDay overrides: national days off, national working days (package dates
    declared working), and local days off by agency (keyed by id or by path)."""

    national: frozenset[dt.date]
    working: frozenset[dt.date]
    local: dict[Any, frozenset[dt.date]]

    @classmethod
    def of(cls, rows: Iterable[tuple[dt.date, str, Any]]) -> CalendarRows:
        """From (date, kind, agency key or None) rows of CalendarDay."""
        national: set[dt.date] = set()
        working: set[dt.date] = set()
        local: dict[Any, set[dt.date]] = {}
        for date, kind, agency in rows:
            if kind == WORKING_DAY:
                working.add(date)
            elif agency is None:
                national.add(date)
            else:
                local.setdefault(agency, set()).add(date)
        return cls(
            national=frozenset(national),
            working=frozenset(working),
            local={k: frozenset(v) for k, v in local.items()},
        )

    def national_days_off(self, start: dt.date, end: dt.date) -> set[dt.date]:
        """The national non-working days between two dates, weekends aside: the package's
        days and the national days off, less the days declared working."""
        days: set[dt.date] = set()
        for year in range(start.year, end.year + 1):
            days |= {d for d in national_holidays(year) if start <= d <= end}
        days |= {d for d in self.national if start <= d <= end}
        return days - self.working


# CalendarDay.Kind.WORKING_DAY (the clock sits below the models that name it).
WORKING_DAY = "working_day"


def calendar_rows() -> CalendarRows:
    """The CalendarDay rows, cached briefly (every deadline computation reads them)."""
    with _cache_lock:
        hit = _cache.get("rows")
        if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
            return hit[1]  # type: ignore[return-value]
    from complaints.models import CalendarDay

    value = CalendarRows.of(CalendarDay.objects.values_list("date", "kind", "agency_id"))
    with _cache_lock:
        _cache["rows"] = (time.monotonic(), value)
    return value


@dataclass(frozen=True)
class WorkingCalendar:
    tz: ZoneInfo
    extra_days: frozenset[dt.date]
    # Package dates declared working days (national CalendarDay overrides).
    working_days: frozenset[dt.date] = frozenset()
    # Counts already made (working_days_between): a queue page asks for fifty deadlines, most
    # of them on a few dates.
    _counts: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def for_agency(cls, agency=None) -> WorkingCalendar:
        """The calendar of an agency: its time zone, national days and the local days of the
        agency and of its ancestors. `None` is the national calendar in WIB."""
        rows = calendar_rows()
        days = set(rows.national)
        tz_name = "Asia/Jakarta"
        if agency is not None:
            tz_name = agency.time_zone
            for part in agency.path.split("/"):
                if part and int(part) in rows.local:
                    days |= rows.local[int(part)]
        return cls(tz=ZoneInfo(tz_name), extra_days=frozenset(days), working_days=rows.working)

    @classmethod
    def for_time_zone(cls, tz_name: str) -> WorkingCalendar:
        rows = calendar_rows()
        return cls(tz=ZoneInfo(tz_name), extra_days=rows.national, working_days=rows.working)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        if day in self.extra_days:
            return False
        if day in self.working_days:
            return True
        return day not in national_holidays(day.year)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def end_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=self.tz)

    def start_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, WORKDAY_START, tzinfo=self.tz)

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        day -= dt.timedelta(days=1)
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """End of the `days`-th working day after the local date of `start`.

        With days=0 it is the end of the start day if that is a working day, else the end of
        the next working day.
        """
        day = self.local_date(start)
        if days <= 0:
            if not self.is_working_day(day):
                day = self.next_working_day(day)
            return self.end_of_day(day)
        for _ in range(days):
            day = self.next_working_day(day)
        return self.end_of_day(day)

    def same_working_day(self, due: dt.datetime, other: WorkingCalendar) -> dt.datetime:
        """A deadline `due` of calendar `other` moved into this one: the end of the same local
        date here (a unit in WIT answering a WIB deadline of 30 November has until the end of
        30 November in WIT), or of the next working day if that date is not one here."""
        day = other.local_date(due)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return self.end_of_day(day)

    def ladder_threshold(self, now: dt.datetime, offset_days: int) -> dt.datetime:
        """The instant X such that a deadline `due_at` has reached a ladder step of
        `offset_days` working days relative to its breach exactly when `due_at <= X`.

        offset < 0: a warning, at most |offset| working days left; offset 0: breached;
        offset > 0: breached at least that many whole working days ago.
        """
        if offset_days < 0:
            return self.add_working_days(now, -offset_days)
        if offset_days == 0:
            return now
        day = self.local_date(now)
        # P_1 is the last working day that has fully passed; P_k the k-th counting back.
        day = self.previous_working_day(day)
        for _ in range(offset_days - 1):
            day = self.previous_working_day(day)
        return self.end_of_day(day - dt.timedelta(days=1))

    def end_of_working_days_before(self, now: dt.datetime, days: int) -> dt.datetime:
        """The end of the `days`-th working day before the local date of `now`: a deadline
        that is that many working days past (working_days_left gives -days)."""
        day = self.local_date(now)
        for _ in range(days):
            day = self.previous_working_day(day)
        return self.end_of_day(day)

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working days in (local date of start, local date of end]; 0 when end <= start."""
        a, b = self.local_date(start), self.local_date(end)
        if b <= a:
            return 0
        count = self._counts.get((a, b))
        if count is not None:
            return count
        count = 0
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        if len(self._counts) >= 4096:
            self._counts.clear()
        self._counts[(a, b)] = count
        return count

    def working_days_left(self, now: dt.datetime, deadline: dt.datetime) -> int:
        """Signed whole working days from now to the deadline: 0 on the day it falls due,
        negative once it has passed ("Lewat 2 hari kerja")."""
        if deadline >= now:
            return self.working_days_between(now, deadline)
        return -max(1, self.working_days_between(deadline, now))

    def is_working_hours(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(self.tz)
        return self.is_working_day(local.date()) and WORKDAY_START <= local.time() < WORKDAY_END

    def next_working_start(self, moment: dt.datetime) -> dt.datetime:
        """`moment` if within working hours, else the start of the next working day."""
        if self.is_working_hours(moment):
            return moment
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.is_working_day(day) and local.time() < WORKDAY_START:
            return self.start_of_day(day)
        return self.start_of_day(self.next_working_day(day))

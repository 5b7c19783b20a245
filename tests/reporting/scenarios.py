"""Hand-computed fact fixtures built through the services, the same on any database: the
SQLite and PostgreSQL facts are compared on them (test_sqlite.py).

November 2026: Monday 2 is a working day, weekends 7-8, 14-15, 21-22, Wednesday 11 a national
holiday, and Tuesday 10 a local day off of the agency "S7" and its unit. Facts computed on
Friday 20 November, 10:00 WIB.
"""

from __future__ import annotations

import datetime as dt

from complaints.clock import clear_calendar_cache
from complaints.models import Agency, CalendarDay, Complaint, SlaPolicy, TimeZone
from reporting.facts import facts_rebuild
from reporting.models import ComplaintFact, DailyRollup
from tests import factories as f
from tests.reporting.helpers import WIT, Actor, at

NOW = at(20)
FACT_FIELDS = (
    "stint",
    "is_current",
    "status",
    "is_confidential",
    "verify_days",
    "verify_state",
    "verify_allowed",
    "response_days",
    "response_state",
    "response_allowed",
    "resolution_days",
    "resolution_state",
    "resolution_allowed",
    "ceiling_days",
    "ceiling_state",
    "close_days",
    "agency_days",
    "reporter_days",
    "reopens",
    "rating",
)

# Hand-computed: (scenario, stint) -> {field: value} (see each scenario's comments).
EXPECTED = {
    ("S1", 0): {
        "verify_days": 3,
        "verify_state": "met",
        "response_days": 6,
        "response_state": "missed",
        "resolution_days": 7,
        "resolution_state": "met",
        "agency_days": 10,
        "reporter_days": 2,
        "close_days": 12,
        "ceiling_days": 14,
        "ceiling_state": "met",
        "reopens": 1,
        "rating": 4,
    },
    ("S2", 0): {"response_state": "ended", "response_allowed": 8, "agency_days": 7},
    ("S2", 1): {"response_state": "met", "response_days": 1, "response_allowed": 5},
    ("S3", 0): {"response_state": "missed", "response_days": 4},
    ("S4", 0): {"verify_state": "met", "verify_days": 2},
    ("S5", 0): {"response_state": "missed", "response_days": 9, "resolution_state": "ended"},
    ("S6", 0): {"response_state": "late", "response_days": None},
    # Verified Mon 2, answered Thu 12 under a 6-day policy: Tue 10 off locally and Wed 11
    # nationally make Thu 12 the 6th working day (met; without the local day, 7 and missed).
    ("S7", 0): {"response_state": "met", "response_days": 6, "response_allowed": 6},
    ("S8", 0): {"response_state": "running", "verify_state": "met"},
    ("S9", 0): {"verify_state": "met", "verify_days": 1, "response_state": "met", "rating": 5},
}


def build() -> None:
    """Every scenario, through the services (the events are what the facts read)."""
    CalendarDay.objects.create(
        date=dt.date(2026, 11, 11), kind=CalendarDay.Kind.NATIONAL_HOLIDAY, name="Libur uji"
    )
    actor = Actor()

    # S1: WIT agency; late first answer, objection, answer, accept, rating.
    agency = f.AgencyFactory(name="S1", time_zone=TimeZone.WIT, responses_need_approval=False)
    c = actor.file(agency, at(2, tz=WIT), title="S1")
    actor.verify(c, at(5, tz=WIT))
    actor.answer(c, at(16, 0, 30, tz=WIT))
    actor.object(c, at(17, tz=WIT))
    actor.answer(c, at(18, tz=WIT))
    actor.accept(c, at(19, tz=WIT))
    actor.rate(c, 4, at(19, 11, tz=WIT))

    # S2: A (own policy 8 days) forwards after 7 working days; B answers the next day.
    a = f.AgencyFactory(name="S2a", responses_need_approval=False)
    b = f.AgencyFactory(name="S2b", responses_need_approval=False)
    SlaPolicy.objects.create(name="S2a", agency=a, first_response_days=8)
    c = actor.file(a, at(2, 9), title="S2")
    actor.verify(c, at(2, 10))
    actor.forward(c, b, at(12))
    actor.answer(c, at(13))

    # S3: a 4-day policy answered on Saturday 7: 4 working days, after the deadline.
    agency = f.AgencyFactory(name="S3", responses_need_approval=False)
    SlaPolicy.objects.create(name="S3", agency=agency, first_response_days=4)
    c = actor.file(agency, at(2, 9), title="S3")
    actor.verify(c, at(2, 10))
    actor.answer(c, at(7, 9))

    # S4: waiting for the reporter pauses verification (1 + 1 agency working days).
    agency = f.AgencyFactory(name="S4", responses_need_approval=False)
    c = actor.file(agency, at(2, 9), title="S4")
    actor.hold(c, at(3))
    actor.supply(c, at(9))
    actor.verify(c, at(10))

    # S5: archived after the breach: the miss stays (9 working days).
    agency = f.AgencyFactory(name="S5", responses_need_approval=False)
    c = actor.file(agency, at(2, 9), title="S5")
    actor.verify(c, at(2, 10))
    actor.archive(c, at(16))

    # S6: open, never answered, past its deadline: late now.
    agency = f.AgencyFactory(name="S6", responses_need_approval=False)
    c = actor.file(agency, at(2, 9), title="S6")
    actor.verify(c, at(2, 10))

    # S7: a local day off (Tue 10) of the agency, a 6-day policy, answered on Thu 12.
    agency = f.AgencyFactory(name="S7", responses_need_approval=False)
    SlaPolicy.objects.create(name="S7", agency=agency, first_response_days=6)
    CalendarDay.objects.create(
        date=dt.date(2026, 11, 10), kind=CalendarDay.Kind.LOCAL, name="Libur daerah", agency=agency
    )
    c = actor.file(agency, at(2, 9), title="S7")
    actor.verify(c, at(2, 10))
    actor.answer(c, at(12))

    # S8: verified Wed 18, still within its time; filed rahasia.
    agency = f.AgencyFactory(name="S8", responses_need_approval=False)
    c = actor.file(agency, at(17), title="S8", is_confidential=True)
    actor.verify(c, at(18))

    # S9: filed in October, closed and rated in November (the backlog across months).
    agency = f.AgencyFactory(name="S9", responses_need_approval=False)
    c = actor.file(agency, at(5, 9, month=10), title="S9")
    actor.verify(c, at(6, month=10))
    actor.answer(c, at(8, month=10))
    actor.accept(c, at(3, 9))
    actor.rate(c, 5, at(3, 10))
    clear_calendar_cache()


def snapshot() -> dict:
    """The facts (by scenario and stint) and the rollups (by day and agency), with every
    database id replaced by a name: comparable across databases."""
    facts_rebuild(now=NOW)
    titles = dict(Complaint.objects.values_list("pk", "title"))
    names = dict(Agency.objects.values_list("pk", "name"))
    facts = {}
    for row in ComplaintFact.objects.values():
        key = f"{titles[row['complaint_id']]}/{row['stint']}"
        facts[key] = {name: row[name] for name in FACT_FIELDS}
        facts[key]["agency"] = names.get(row["agency_id"])
        facts[key]["submitted_on"] = row["submitted_on"].isoformat()
        for moment in ("held_from", "held_until", "recheck_at"):
            facts[key][moment] = row[moment].isoformat() if row[moment] else None
    rollups = {}
    for row in DailyRollup.objects.values():
        key = f"{row['day'].isoformat()} {names.get(row['agency_id'])} {row['is_confidential']}"
        rollups[key] = {
            name: value
            for name, value in row.items()
            if name not in {"id", "day", "agency_id", "unit_id", "category_id", "scope_path"}
        }
    return {"facts": facts, "rollups": rollups, "figures_equal": figures_equal_facts()}


# Whole-month periods (the national monthly figures' grain), with and without rahasia.
PERIODS = (
    (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
    (dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
)


# Periods starting or ending inside a month: the top categories read those days from the facts.
TOP_PERIODS = (
    (dt.date(2026, 10, 20), dt.date(2026, 11, 18)),
    (dt.date(2026, 11, 1), dt.date(2026, 11, 20)),
    (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    (dt.date(2026, 11, 1), dt.date(2026, 11, 25)),
    (dt.date(2026, 10, 1), dt.date(2026, 11, 16)),
)


def _normal(read: tuple) -> tuple:
    received, volume, clock_row, histograms, moves = read
    volume = {d: sorted(rows, key=repr) for d, rows in volume.items()}
    clocks = {k: int(v or 0) for k, v in clock_row.items()}
    return received, volume, clocks, histograms, moves


def figures_equal_facts() -> list[str]:
    """The periods where the monthly figures (national, and each agency's) and the facts
    disagree, on the counts and on the top categories (none, when right)."""
    from django.db import connection

    from reporting.dashboards import (
        TOP_CATEGORIES_SQL,
        Filters,
        _figures_cover,
        _read_facts,
        _read_figures,
        _top_categories,
        _where,
    )
    from reporting.facts import dialect

    agencies = sorted(set(ComplaintFact.objects.values_list("agency_id", flat=True)) - {None})
    wrong = []
    for start, end in (*PERIODS, *TOP_PERIODS):
        for public in (False, True):
            for agency_id in (None, *agencies):
                filters = Filters(start=start, end=end, public=public, agency_id=agency_id)
                where = f"{start}..{end} public={public} agency={agency_id}"
                with connection.cursor() as cur:
                    from_facts = _normal(_read_facts(filters, dialect().vendor, cur))
                    where_all, params = _where(filters, period=False)
                    pstart, pend = filters.previous
                    cur.execute(
                        TOP_CATEGORIES_SQL.format(where=where_all),
                        {**params, "start": start, "end": end, "pstart": pstart, "pend": pend},
                    )
                    top_facts = [tuple(row) for row in cur.fetchall()]
                    covered = _figures_cover(filters, cur)
                    # as the dashboards read them: the period's counts from the figures' volume
                    # when they cover it
                    now = dict(_read_figures(filters)[1]["category_id"]) if covered else None
                    top_figures = [
                        [tuple(row) for row in _top_categories(filters, cur, covered=covered)],
                        [tuple(r) for r in _top_categories(filters, cur, covered=covered, now=now)],
                    ]
                for top in top_figures:
                    if top_facts != top:
                        wrong.append(f"{where} top: {top_facts} != {top}")
                if (start, end) in TOP_PERIODS:
                    continue
                from_figures = _normal(_read_figures(filters))
                if from_facts != from_figures:
                    wrong.append(f"{where}: {from_facts} != {from_figures}")
                elif not from_facts[0] and agency_id is None:
                    wrong.append(f"{start}..{end}: nothing counted")
    return wrong

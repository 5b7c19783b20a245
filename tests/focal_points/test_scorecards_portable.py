"""The scorecard on the embedded default (SQLite, as `make run` uses it) equals the scorecard
on PostgreSQL: both read reporting's facts (reporting.selectors.agency_figures in its two
spellings), here on the same data: the hand-computed scenarios of reporting
(tests/reporting/scenarios.py) plus complaints routed to two units, by agency over whole
months (the agencies' monthly figures) and by unit (the daily rollups and the facts). The
SQLite side runs in a subprocess on a fresh file (tests/sqlite_harness.py)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from complaints.clock import clear_calendar_cache
from complaints.models import Agency
from complaints.services.triage import complaint_route
from focal_points.scorecards import SORT_KEYS, Period, scorecard
from focal_points.selectors import focal_scope_for
from reporting.facts import facts_rebuild, uses_sql
from tests import factories as f
from tests.reporting import scenarios
from tests.reporting.helpers import Actor, at
from tests.sqlite_harness import run_on_sqlite

pytestmark = pytest.mark.django_db

ROW_FIELDS = (
    *SORT_KEYS,
    "verified",
    "verified_within",
    "responded",
    "responded_within",
    "resolved",
    "resolved_within",
    "reopened",
    "rating_count",
    "bands",
)
# Whole months (by agency: the agencies' monthly figures) in October and November 2026.
PERIODS = (
    ("2026-10-01", "2026-10-31"),
    ("2026-11-01", "2026-11-30"),
    ("2026-10-01", "2026-11-30"),
    ("2026-01-01", "2026-12-31"),
)
UNIT_AGENCY = "S7"


def build() -> None:
    """reporting's scenarios, and four complaints of S7 routed to its two units (one
    answered in time, one late, one still open past its deadline, one in the other unit)."""
    scenarios.build()
    actor = Actor()
    agency = Agency.objects.get(name=UNIT_AGENCY)
    units = [f.UnitFactory(parent=agency, name=name) for name in ("S7 Satu", "S7 Dua")]
    for title, unit, filed, answered in (
        ("U1", units[0], 3, 9),
        ("U2", units[0], 3, 17),
        ("U3", units[0], 4, None),
        ("U4", units[1], 5, 6),
    ):
        c = actor.file(agency, at(filed, 9), title=title)
        actor.verify(c, at(filed, 10))
        complaint_route(complaint_id=c.pk, actor=actor.user, unit=unit, now=at(filed, 11))
        if answered is not None:
            actor.answer(c, at(answered, 10))
    clear_calendar_cache()


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def cards() -> list[list[dict]]:
    """The national admin's scorecards (every agency, and S7 by unit) for each period, rows
    named rather than numbered: comparable across databases."""
    facts_rebuild(now=scenarios.NOW)
    admin = User.objects.filter(is_national_admin=True).order_by("pk").first()
    scope = focal_scope_for(actor=admin)
    unit_agency = Agency.objects.get(name=UNIT_AGENCY).pk
    result = []
    for start, end in PERIODS:
        period = Period(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
        for agency_id in (None, unit_agency):
            card = scorecard(
                scope=scope, period=period, agency_id=agency_id, now=scenarios.NOW, sort="name"
            )
            result.append(
                [
                    {
                        "name": row.name,
                        "is_total": row.is_total,
                        **{name: _plain(getattr(row, name)) for name in ROW_FIELDS},
                    }
                    for row in [*card.rows, card.total]
                ]
            )
    # As JSON, as the SQLite side returns it.
    return json.loads(json.dumps(result))


def query_counts() -> list[int]:
    """The queries of one scorecard by agency over whole months and of one by unit."""
    admin = User.objects.filter(is_national_admin=True).order_by("pk").first()
    scope = focal_scope_for(actor=admin)
    period = Period(start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 30))
    counts = []
    for agency_id in (None, Agency.objects.get(name=UNIT_AGENCY).pk):
        with CaptureQueriesContext(connection) as queries:
            scorecard(scope=scope, period=period, agency_id=agency_id, now=scenarios.NOW)
        counts.append(len(queries))
    return counts


SCORECARDS_ON_SQLITE = r"""
import json

import django
django.setup()
from django.core.management import call_command
from django.db import connection

call_command("migrate", "--noinput", verbosity=0)
from reporting.facts import uses_sql
from tests.focal_points.test_scorecards_portable import build, cards, query_counts

build()
result = {
    "vendor": connection.vendor,
    "facts": uses_sql(),
    "cards": cards(),
    "queries": query_counts(),
}
print("RESULT:" + json.dumps(result))
"""


def test_the_scorecard_on_sqlite_equals_the_scorecard_on_postgresql(tmp_path):
    # given the same complaints on PostgreSQL (this suite's database) and on a fresh SQLite
    build()
    on_postgres = cards()
    postgres_queries = query_counts()
    clear_calendar_cache()
    on_sqlite = run_on_sqlite(SCORECARDS_ON_SQLITE, tmp_path)
    # then both read reporting's facts ...
    assert uses_sql() is True
    assert on_sqlite["vendor"] == "sqlite"
    assert on_sqlite["facts"] is True
    # ... and every row of every scorecard is the same, field by field
    assert len(on_sqlite["cards"]) == len(on_postgres) == 2 * len(PERIODS)
    for card_sqlite, card_postgres in zip(on_sqlite["cards"], on_postgres, strict=True):
        assert card_sqlite == card_postgres
    # ... with as many queries (by agency: the monthly figures, one; by unit: the counters and
    # the distributions, two)
    assert on_sqlite["queries"] == postgres_queries
    assert postgres_queries[1] == postgres_queries[0] + 2  # + the units, + the durations


def test_the_compared_scorecards_hold_the_hand_computed_figures():
    # given the scenarios and the routed complaints on PostgreSQL
    build()
    november_by_agency, november_by_unit = cards()[2:4]
    by_name = {(row["name"], row["is_total"]): row for row in november_by_agency}
    # then S1's row holds its hand-computed figures (tests/reporting/scenarios.py): verified
    # in 3 working days (met), answered in 6 (missed), closed in 12, rated 4
    s1 = by_name[("S1", False)]
    assert (s1["received"], s1["verified"], s1["verified_within"]) == (1, 1, 1)
    assert (s1["responded"], s1["responded_within"]) == (1, 0)
    assert (s1["verify_median"], s1["response_median"], s1["close_median"]) == (
        "3.0",
        "6.0",
        "12.0",
    )
    assert s1["mean_rating"] == "4.0"
    # and the totals and the units are not empty: medians, p90s, several rows
    total = by_name[("", True)]
    assert total["received"] == 12  # S9 was filed in October
    assert total["verify_p90"] is not None
    units = {row["name"]: row for row in november_by_unit if not row["is_total"]}
    assert units["S7 Satu"]["received"] == 3
    assert units["S7 Dua"]["received"] == 1
    assert units["S7 Satu"]["response_median"] is not None
    assert units[""]["received"] == 1  # S7's own scenario, never routed

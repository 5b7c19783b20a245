"""reporting.dashboards: the top categories read from the monthly figures (the whole months of
both periods) and from the facts (the days around them) equal the count over the facts
alone, for the whole country and for one agency, staff and public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from reporting.dashboards import (
    TOP_CATEGORIES_SQL,
    Filters,
    _figures_cover,
    _read_figures,
    _top_categories,
    _where,
)
from reporting.facts import facts_refresh_due
from tests import factories as f
from tests.reporting.helpers import at

pytestmark = pytest.mark.django_db

# Filing days (month, day) by category: each category leads in some period and not in others.
FILINGS = {
    "A": [(9, 14), (10, 2), (11, 20), (11, 20), (11, 20), (11, 23)],
    "B": [(9, 29), (10, 14), (10, 15), (11, 3), (11, 4)],
    "C": [(9, 1), (9, 30), (10, 30), (10, 31), (11, 10)],
}
PERIODS = (
    # ends inside November, before filings of that month: the facts count its days
    (dt.date(2026, 10, 1), dt.date(2026, 11, 16)),
    # starts inside a month
    (dt.date(2026, 10, 15), dt.date(2026, 11, 30)),
    # nothing filed after its end within November: the figures cover it whole
    (dt.date(2026, 11, 1), dt.date(2026, 11, 25)),
    (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
)


def _from_facts(filters: Filters, cur) -> list[tuple]:
    where, params = _where(filters, period=False)
    pstart, pend = filters.previous
    cur.execute(
        TOP_CATEGORIES_SQL.format(where=where),
        {**params, "start": filters.start, "end": filters.end, "pstart": pstart, "pend": pend},
    )
    return [tuple(row) for row in cur.fetchall()]


def test_top_categories_from_the_figures_equal_the_facts():
    # given complaints of three categories at two agencies from September to November
    agencies = [f.AgencyFactory(), f.AgencyFactory()]
    for index, agency in enumerate(agencies):
        for name, days in FILINGS.items():
            category = f.CategoryFactory(agency=agency, name=f"{name}{index}")
            for month, day in days[index:]:
                f.complaint(agency, now=at(day, month=month), category=category)
    f.complaint(agencies[0], now=at(5, month=11), is_confidential=True)
    facts_refresh_due()
    checked = 0
    for start, end in PERIODS:
        for agency_id in (None, agencies[0].pk):
            for public in (False, True):
                filters = Filters(start=start, end=end, agency_id=agency_id, public=public)
                with connection.cursor() as cur:
                    # when the top categories are read as the dashboards read them
                    covered = _figures_cover(filters, cur)
                    now = dict(_read_figures(filters)[1]["category_id"]) if covered else None
                    expected = _from_facts(filters, cur)
                    # then they equal the count over the facts alone
                    assert [tuple(r) for r in _top_categories(filters, cur)] == expected
                    got = _top_categories(filters, cur, covered=covered, now=now)
                    assert [tuple(r) for r in got] == expected, (start, end, agency_id)
                checked += bool(expected)
    assert checked == len(PERIODS) * 4

"""reporting.selectors.agency_figures: by agency over whole months it reads the agencies'
monthly figures, and gives exactly what the daily rollups and the facts give; a query count
at 1 and N agencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.models import Agency
from reporting.facts import facts_refresh_due
from reporting.selectors import _agency_figures_daily, agency_figures
from tests import factories as f
from tests.reporting import scenarios

pytestmark = pytest.mark.django_db

WHOLE_MONTHS = (
    (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
)


def _by_row(records: list[dict], *, percentiles: bool = False) -> dict:
    """{(key, is_total): values}, as the scorecard reads them (None and 0 alike for counts;
    percentiles to one decimal)."""
    rows = {}
    for record in records:
        values = {}
        for name, value in record.items():
            if name in ("key", "is_total"):
                continue
            if percentiles:
                values[name] = (
                    None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))
                )
            else:
                values[name] = int(value or 0)
        rows[(record["key"], bool(record["is_total"]))] = values
    return rows


def test_agency_figures_from_the_monthly_figures_equal_the_rollups_and_facts():
    # given the hand-computed scenarios (several agencies, forwards, rahasia, ratings)
    scenarios.build()
    scenarios.snapshot()
    ids = list(Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    for start, end in WHOLE_MONTHS:
        # when the scorecard's figures are read for whole months
        counters, percentiles = agency_figures(ids=ids, start=start, end=end)
        daily_counters, daily_percentiles = _agency_figures_daily(
            ids=ids, start=start, end=end, key="agency_id"
        )
        # then they equal the daily rollups' counters and the facts' percentiles
        assert _by_row(counters) == _by_row(daily_counters), (start, end)
        assert _by_row(percentiles, percentiles=True) == _by_row(
            daily_percentiles, percentiles=True
        ), (start, end)
    year = _by_row(agency_figures(ids=ids, start=WHOLE_MONTHS[2][0], end=WHOLE_MONTHS[2][1])[0])
    assert year[(None, True)]["received"] > 0


@pytest.mark.parametrize("n", [1, 6])
def test_agency_figures_query_count(django_assert_num_queries, n):
    agencies = [f.AgencyFactory() for _ in range(n)]
    for agency in agencies:
        f.complaint(agency)
    facts_refresh_due()
    ids = [a.pk for a in agencies]
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    # by agency over whole months: the agencies' monthly figures, one GROUP BY
    with django_assert_num_queries(1):
        counters, _percentiles = agency_figures(
            ids=ids, start=first, end=dt.date(today.year, 12, 31)
        )
    assert {r["key"]: r["received"] for r in counters if not r["is_total"]} == dict.fromkeys(ids, 1)
    # any other days, or by unit: the daily rollups' counters and the facts' percentiles
    with django_assert_num_queries(2):
        agency_figures(ids=ids, start=first, end=today.replace(day=1))
    with django_assert_num_queries(2):
        agency_figures(ids=ids, start=first, end=dt.date(today.year, 12, 31), key="unit_id")

"""Medians and p90s read off a histogram of working days equal PostgreSQL's
percentile_cont over the values themselves (the dashboards read histograms on every
database)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db import connection

from reporting.dashboards import percentile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", range(40))
def test_percentile_from_histogram_equals_percentile_cont(seed):
    rng = random.Random(seed)
    values = [rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 40]) for _ in range(rng.randint(1, 60))]
    histogram = dict(Counter(values))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY v) FROM unnest(%s::int[]) AS v",
            [values],
        )
        median, p90 = cur.fetchone()
    assert percentile(histogram, 0.5) == pytest.approx(median)
    assert percentile(histogram, 0.9) == pytest.approx(p90)


def test_percentile_of_nothing_is_none():
    assert percentile({}, 0.5) is None
    assert percentile({4: 1}, 0.9) == 4

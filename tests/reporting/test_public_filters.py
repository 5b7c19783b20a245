"""The public statistics page and its downloads under every filter it accepts (period, agency,
unit, category, and each combination, valid or not): no count under 5 is shown, and no figure
derived from fewer than 5 complaints (a percentage, a median or p90, a mean)."""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from django.urls import reverse

from complaints import services
from reporting import dashboards
from reporting.dashboards import SUPPRESS_BELOW, dashboard
from reporting.facts import facts_refresh_due
from reporting.models import ComplaintFact
from reporting.presentation import dashboard_tables
from tests import factories as f
from tests.reporting.helpers import Actor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

# The tables' columns that hold counts of complaints (the others: labels, percentages, days).
COUNT_COLUMNS = {
    "clocks": (1, 2, 3, 4),
    "durations": (1,),
    "top_categories": (1, 2),
}


@pytest.fixture
def world(db):
    """Agency A: unit U1 with six answered complaints in category C1 (three accepted and
    rated), unit U2 with three answered ones in C2, two unrouted in C1, and two rahasia in
    C2; agency B: three complaints. Every group is near the threshold, on one side or the
    other."""
    actor = Actor()
    a = f.AgencyFactory(name="Badan Obat", responses_need_approval=False)
    b = f.AgencyFactory(name="Dinas Kecil", responses_need_approval=False)
    u1, u2 = f.UnitFactory(parent=a, name="U1"), f.UnitFactory(parent=a, name="U2")
    c1, c2 = f.CategoryFactory(agency=a, name="C1"), f.CategoryFactory(agency=a, name="C2")
    for unit, category, count, rated in ((u1, c1, 6, 3), (u2, c2, 3, 0)):
        for index in range(count):
            c = f.complaint(a)
            actor.verify(c, None, category=category)
            services.complaint_route(complaint_id=c.pk, actor=actor.user, unit=unit)
            actor.answer(c, None)
            if index < rated:
                actor.accept(c, None)
                actor.rate(c, 4, None)
    for _ in range(2):
        actor.verify(f.complaint(a), None, category=c1)
        actor.verify(f.complaint(a, is_confidential=True), None, category=c2)
    for _ in range(3):
        f.complaint(b)
    facts_refresh_due()
    return {"a": a, "b": b, "u1": u1, "u2": u2, "c1": c1, "c2": c2}


FILTERS = list(
    itertools.product(
        ["this_month", "12m"], [None, "a", "b"], [None, "u1", "u2"], [None, "c1", "c2"]
    )
)


def _raw_board(filters, monkeypatch):
    """The same public board with nothing suppressed: what each shown figure is made of."""
    with monkeypatch.context() as m:
        m.setattr(dashboards, "SUPPRESS_BELOW", 0)
        return dashboard(filters)


def _responded(filters) -> int:
    facts = ComplaintFact.objects.filter(
        submitted_on__range=(filters.start, filters.end),
        is_confidential=False,
        response_state__in=("met", "missed", "late"),
    )
    for name in ("agency_id", "unit_id", "category_id"):
        if getattr(filters, name) is not None:
            facts = facts.filter(**{name: getattr(filters, name)})
    return facts.count()


def _assert_count(value, where: str) -> None:
    if isinstance(value, str):
        value = int(value) if value.isdigit() else None
    assert value is None or value >= SUPPRESS_BELOW, where


@pytest.mark.parametrize(("period", "agency", "unit", "category"), FILTERS)
def test_public_page_and_downloads_show_nothing_under_five(
    client, world, monkeypatch, period, agency, unit, category
):
    # given the public page under one combination of its filters
    query = {"period": period}
    for name, key in (("agency", agency), ("unit", unit), ("category", category)):
        if key:
            query[name] = world[key].pk
    response = client.get(reverse("statistics:public_statistics"), query)
    assert response.status_code == 200
    board = response.context["board"]
    raw = _raw_board(board.filters, monkeypatch)
    tables = dashboard_tables(board)
    # then every count it holds is suppressed under 5 ...
    assert board.received is None or board.received >= SUPPRESS_BELOW
    for key, (_title, _header, rows) in tables.items():
        for row in rows:
            for index in COUNT_COLUMNS.get(key, (1,)):
                _assert_count(row[index], f"{key}: {row}")
    # ... a percentage, median, p90 or mean is shown only over at least 5 complaints ...
    for shown, counted in zip(board.clocks, raw.clocks, strict=True):
        if shown.percent is not None:
            assert counted.met + counted.missed + counted.late >= SUPPRESS_BELOW, shown
    for shown, counted in zip(board.durations, raw.durations, strict=True):
        if shown["median"] is not None or shown["p90"] is not None:
            assert counted["n"] >= SUPPRESS_BELOW, shown
    if board.reopen_percent is not None:
        assert _responded(board.filters) >= SUPPRESS_BELOW
    if board.rating_mean is not None:
        assert raw.rating_count >= SUPPRESS_BELOW
    # ... and the page's tables and charts and every table's download say the same
    html = response.content.decode()
    for cell in re.findall(r'<td class="numeric">([^<]*)</td>', html):
        _assert_count(cell, f"page cell {cell}")
    for key in tables:
        download = client.get(
            reverse("statistics:public_statistics"), {**query, "table": key, "format": "csv"}
        )
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        for row in rows[1:]:
            for index in COUNT_COLUMNS.get(key, (1,)):
                _assert_count(row[index], f"{key} download: {row}")


def test_the_world_reaches_the_figures_it_is_built_for(client, world, monkeypatch):
    # given the public page of unit U1 (six public complaints, three ratings)
    query = {"agency": world["a"].pk, "unit": world["u1"].pk}
    board = client.get(reverse("statistics:public_statistics"), query).context["board"]
    # then the checks above meet shown percentages and counts, and suppressed means
    assert board.received == 6
    assert board.reopen_percent is not None
    assert any(c.percent is not None for c in board.clocks)
    assert board.rating_mean is None
    assert _raw_board(board.filters, monkeypatch).rating_count == 3
    # and unit U2's three answers give no percentage at all
    query["unit"] = world["u2"].pk
    board = client.get(reverse("statistics:public_statistics"), query).context["board"]
    assert board.received is None
    assert board.reopen_percent is None
    assert all(c.percent is None for c in board.clocks)

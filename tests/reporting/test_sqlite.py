"""The facts on the embedded default (SQLite) equal the PostgreSQL facts: the same statement
in its two spellings (reporting.facts.Dialect), on the same hand-computed fixtures
(tests/reporting/scenarios.py); and `make run`'s steps give the home page, /statistik/ and
the staff dashboard real numbers there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from complaints.clock import clear_calendar_cache
from complaints.models import Agency, Complaint
from reporting.dashboards import Filters, _figures_cover
from reporting.facts import facts_refresh
from tests.reporting import scenarios
from tests.sqlite_harness import run_on_sqlite

pytestmark = pytest.mark.django_db

SCENARIOS_ON_SQLITE = r"""
import json

import django
django.setup()
from django.core.management import call_command

call_command("migrate", "--noinput", verbosity=0)
from tests.reporting import scenarios

scenarios.build()
print("RESULT:" + json.dumps(scenarios.snapshot()))
"""


def _check_expected(snapshot: dict) -> None:
    for (title, stint), expected in scenarios.EXPECTED.items():
        fact = snapshot["facts"][f"{title}/{stint}"]
        assert {name: fact[name] for name in expected} == expected, (title, stint)


def test_sqlite_facts_equal_postgresql_facts_on_hand_computed_fixtures(tmp_path):
    # given the same scenarios on PostgreSQL (this suite's database) and on a fresh SQLite file
    scenarios.build()
    on_postgres = scenarios.snapshot()
    clear_calendar_cache()
    on_sqlite = run_on_sqlite(SCENARIOS_ON_SQLITE, tmp_path)
    # then both hold the hand-computed figures ...
    _check_expected(on_postgres)
    _check_expected(on_sqlite)
    # ... and every fact and rollup is the same, field by field
    assert on_sqlite["facts"].keys() == on_postgres["facts"].keys()
    for key, fact in on_postgres["facts"].items():
        assert on_sqlite["facts"][key] == fact, key
    assert on_sqlite["rollups"] == on_postgres["rollups"]
    assert on_postgres["figures_equal"] == on_sqlite["figures_equal"] == []
    assert len(on_postgres["facts"]) == 10  # nine complaints, one forwarded


MAKE_RUN_ON_SQLITE = r"""
import json
import re

import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

from accounts.models import User
from reporting.models import ComplaintFact

setup_test_environment()  # responses keep their template context

# The steps of `make run` before it serves.
call_command("migrate", "--noinput", verbosity=0)
call_command("seed_demo", "--complaints", "60", verbosity=0)
call_command("sla_sweep", verbosity=0)
call_command("focal_refresh", verbosity=0)
call_command("reporting_rebuild", verbosity=0)

result = {"facts": ComplaintFact.objects.count()}
# The beat's pass keeps them current there too: a new complaint's event queues it.
from reporting.facts import facts_refresh_due
from tests.factories import complaint

filed = complaint(None)
result["refreshed"] = facts_refresh_due()
result["new_fact"] = ComplaintFact.objects.filter(complaint_id=filed.pk, is_current=True).count()
anonymous = Client(raise_request_exception=False)
home = anonymous.get("/", HTTP_HOST="127.0.0.1")
html = home.content.decode()
totals = html[html.index('class="totals"'):html.index("</dl>", html.index('class="totals"'))]
result["home"] = [home.status_code, re.findall(r"<dd[^>]*>([^<]*)</dd>", totals)]
public = anonymous.get(reverse("statistics:public_statistics"), HTTP_HOST="127.0.0.1")
result["public"] = [public.status_code, public.context["board"].received]
staff = Client(raise_request_exception=False)
staff.force_login(User.objects.get(email="verifikator.bpom@aduan.example"))
board = staff.get(reverse("reporting:dashboard"), HTTP_HOST="127.0.0.1")
result["staff"] = [
    board.status_code,
    board.context["board"].received,
    [(c.clock, c.met, c.missed, c.late) for c in board.context["board"].clocks],
    [d["median"] is not None for d in board.context["board"].durations],
]
bpom = User.objects.get(email="verifikator.bpom@aduan.example").memberships.first().agency
this_month = reverse("reporting:monthly_report") + f"?agency={bpom.pk}&month=" + (
    board.context["board"].filters.end.strftime("%Y-%m"))
result["monthly"] = staff.get(this_month, HTTP_HOST="127.0.0.1").status_code
result["open_data"] = [
    anonymous.get(
        reverse("statistics:open_data_download", args=[dataset, fmt]), HTTP_HOST="127.0.0.1"
    ).status_code
    for dataset in ("agregat", "laporan")
    for fmt in ("csv", "json")
]
focal = Client(raise_request_exception=False)
focal.force_login(User.objects.get(email="focal.bpom@aduan.example"))
result["scorecard"] = focal.get(reverse("focal:scorecard"), HTTP_HOST="127.0.0.1").status_code
print("RESULT:" + json.dumps(result, default=str))
"""


def test_make_run_steps_give_real_numbers_on_sqlite(tmp_path):
    # given the embedded default after `make run`'s steps (seed, sweeps, reporting_rebuild)
    result = run_on_sqlite(MAKE_RUN_ON_SQLITE, tmp_path)
    # then the facts exist, and the home page, /statistik/ and the staff dashboard show them
    assert result["facts"] >= 60
    assert result["refreshed"] == 1
    assert result["new_fact"] == 1
    status, (filed, closed, on_time) = result["home"]
    assert status == 200
    assert int(filed.replace(".", "")) > 0
    assert int(closed.replace(".", "")) > 0
    assert on_time.endswith("%")
    assert result["public"][0] == 200
    assert result["public"][1] > 0
    status, received, clocks, medians = result["staff"]
    assert status == 200
    assert received > 0
    assert sum(met + missed + late for _clock, met, missed, late in clocks) > 0
    assert any(medians)
    assert result["scorecard"] == 200
    assert result["monthly"] == 200
    assert result["open_data"] == [200, 200, 200, 200]


def test_monthly_figures_equal_the_facts_and_cover_only_whole_months():
    # given the hand-computed scenarios (October and November 2026, one rahasia)
    scenarios.build()
    snapshot = scenarios.snapshot()
    # then the monthly figures (national and each agency's) give the dashboards' counts
    # exactly
    assert snapshot["figures_equal"] == []
    # and they are read only where they cover the board exactly
    with connection.cursor() as cur:
        assert _figures_cover(Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)), cur)
        assert _figures_cover(Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 25)), cur)
        # complaints were filed on the 17th: a period ending on the 16th is not whole
        assert not _figures_cover(
            Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 16)), cur
        )
        agency = Agency.objects.get(name="S1")
        # one agency: its own monthly figures; one of its units: the facts
        assert _figures_cover(
            Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), agency_id=agency.pk),
            cur,
        )
        assert not _figures_cover(
            Filters(
                start=dt.date(2026, 11, 1),
                end=dt.date(2026, 11, 30),
                agency_id=agency.pk,
                unit_id=agency.pk,
            ),
            cur,
        )
        assert not _figures_cover(
            Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), scope_paths=("",)),
            cur,
        )
    # and a refresh of one complaint keeps them equal (the months of its filing day)
    s6 = Complaint.objects.get(title="S6")
    facts_refresh(complaint_ids=[s6.pk], now=scenarios.at(27))
    assert scenarios.figures_equal_facts() == []

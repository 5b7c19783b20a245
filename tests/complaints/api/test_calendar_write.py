"""The national admin records the days of an SKB over the API; nobody else may."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.clock import clear_calendar_cache
from complaints.models import CalendarDay
from tests.complaints.api.helpers import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

URL = "/api/v1/calendar/days/"
SKB = {
    "kind": "cuti_bersama",
    "days": [
        {"date": "2027-03-09", "name": "Cuti bersama Nyepi"},
        {"date": "2027-03-11", "name": "Cuti bersama Idulfitri"},
    ],
}


def test_the_national_admin_imports_an_skb_and_the_year_shows_it(world):
    client = token_client(world.admin)
    r = client.post(URL, SKB, format="json")
    assert r.status_code == 201, r.content
    assert r.json() == {"added": 2, "already_recorded": 0}
    again = client.post(URL, SKB, format="json")
    assert again.json() == {"added": 0, "already_recorded": 2}
    clear_calendar_cache()
    days = {d["date"]: d for d in client.get("/api/v1/calendar/2027/").json()}
    assert days["2027-03-09"]["state"] == "cuti_bersama"
    assert CalendarDay.objects.filter(date=dt.date(2027, 3, 11), agency=None).count() == 1


def test_an_officer_may_not_write_the_calendar(world):
    r = token_client(world.verifier).post(URL, SKB, format="json")
    # the API's answer to any role that may not act (as for complaint actions)
    assert r.status_code == 403
    assert r.json()["code"] == "not_allowed"
    assert r["Content-Type"].startswith("application/problem+json")
    assert not CalendarDay.objects.exists()


def test_a_day_recorded_the_other_way_is_refused_and_nothing_written(world):
    client = token_client(world.admin)
    client.post(URL, SKB, format="json")
    r = client.post(
        URL,
        {"kind": "working_day", "days": [{"date": "2027-03-09"}, {"date": "2027-03-12"}]},
        format="json",
    )
    assert r.status_code in (400, 422)
    assert "2027-03-09" in r.json()["detail"]
    assert not CalendarDay.objects.filter(kind="working_day").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "local", "days": [{"date": "2027-01-02"}]},
        {"kind": "cuti_bersama", "days": []},
        {"kind": "cuti_bersama", "days": [{"date": "2027-13-40"}]},
        {"kind": "cuti_bersama"},
    ],
)
def test_bad_lists_are_problems(world, body):
    r = token_client(world.admin).post(URL, body, format="json")
    assert r.status_code == 400
    assert r["Content-Type"].startswith("application/problem+json")

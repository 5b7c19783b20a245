"""The home page's totals come from the facts through reporting's template tag: rahasia
complaints left out, and "answered on time" measured against the first deadline, with open
complaints already past it counted as late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Role
from reporting.facts import facts_refresh_due
from tests import factories as f
from tests.reporting.helpers import Actor, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _totals(html: str) -> list[str]:
    start = html.index('id="totals-heading"')
    block = html[start : html.index("</dl>", start)]
    return [part.split("</dd>")[0].split(">")[-1] for part in block.split("<dd")[1:]]


def test_home_totals_through_the_services(client):
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    verifier = f.staff(agency, Role.VERIFIER)
    officer = f.staff(unit, Role.OFFICER)
    approver = f.staff(agency, Role.APPROVER)
    f.complaint(agency)
    c = f.complaint(agency)
    services.complaint_verify(complaint_id=c.pk, actor=verifier)
    services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit)
    services.complaint_take(complaint_id=c.pk, actor=officer)
    r = services.response_draft(complaint_id=c.pk, actor=officer, body="Jawaban")
    services.response_approve(response_id=r.pk, actor=approver)
    services.response_publish(response_id=r.pk, actor=approver)
    services.complaint_reporter_accept(complaint_id=c.pk)
    facts_refresh_due()

    html = client.get("/").content.decode()

    assert _totals(html) == ["2", "1", "100%"]
    assert "Laporan rahasia tidak dihitung" in html


def test_home_totals_leave_rahasia_complaints_out(client):
    agency = f.AgencyFactory()
    f.complaint(agency)
    f.complaint(agency, is_confidential=True)
    facts_refresh_due()

    assert _totals(client.get("/").content.decode())[0] == "1"


def test_a_late_first_answer_is_not_made_on_time_by_an_objection(client):
    # given a first answer on the 6th working day, objected to and answered again in time
    actor = Actor()
    agency = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(agency, at(2, 9))
    actor.verify(c, at(2, 10))
    actor.answer(c, at(10))
    actor.object(c, at(11))
    actor.answer(c, at(12))
    c.refresh_from_db()
    # the old figure compared the first answer with the deadline the objection reset
    assert c.first_response_at <= c.response_due_at
    # and an open complaint already past its first deadline
    late = actor.file(agency, at(2, 9))
    actor.verify(late, at(2, 10))
    facts_refresh_due(now=at(13))

    html = client.get("/").content.decode()

    assert _totals(html) == ["2", "0", "0%"]


def test_no_answer_yet(client):
    f.complaint(f.AgencyFactory())
    facts_refresh_due(now=timezone.now() + dt.timedelta(minutes=1))
    assert _totals(client.get("/").content.decode())[2] == "Belum ada jawaban"

"""The monthly agency report: the page, the PDF (WeasyPrint), stored once by the beat task on
the first working day of the month, the overdue list; scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints.models import Role
from reporting.facts import facts_refresh_due
from reporting.models import MonthlyReport
from reporting.monthly import is_first_working_day_of_month, monthly_reports_due
from reporting.tasks import monthly_reports_task
from tests import factories as f
from tests.reporting.helpers import Actor, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = Actor()
    a = f.AgencyFactory(name="Badan Obat", responses_need_approval=False)
    late = actor.file(a, at(2, 9), title="Obat palsu di pasar")
    actor.verify(late, at(2, 10))
    answered = actor.file(a, at(3, 9), title="Sudah dijawab")
    actor.verify(answered, at(3, 10))
    actor.answer(answered, at(4))
    facts_refresh_due(now=at(20))
    return {
        "a": a,
        "verifier": f.staff(a, Role.VERIFIER),
        "other": f.staff(f.AgencyFactory(), Role.VERIFIER),
    }


def test_page_lists_the_complaints_open_past_a_deadline(client, world):
    client.force_login(world["verifier"])
    html = client.get(
        reverse("reporting:monthly_report"), {"agency": world["a"].pk, "month": "2026-11"}
    ).content.decode()
    assert "Laporan bulanan Badan Obat, November 2026" in html
    assert "Obat palsu di pasar" in html  # unanswered, past its first-response deadline
    assert "Sudah dijawab" not in html
    assert "<svg" in html


def test_pdf_is_stored_once_and_only_for_the_scope(client, world):
    client.force_login(world["verifier"])
    url = reverse("reporting:monthly_report")
    query = {"agency": world["a"].pk, "month": "2026-11", "format": "pdf"}
    first = client.get(url, query)
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert client.get(url, query).content == first.content
    assert MonthlyReport.objects.count() == 1
    client.force_login(world["other"])
    assert client.get(url, query).status_code == 404


def test_beat_writes_the_reports_on_the_first_working_day_only(world):
    # 1 December 2026 is a Tuesday: the first working day; 2 December is not the first
    assert is_first_working_day_of_month(dt.date(2026, 12, 1))
    assert not is_first_working_day_of_month(dt.date(2026, 12, 2))
    # 1 November 2026 is a Sunday: Monday 2 November is the first working day
    assert is_first_working_day_of_month(dt.date(2026, 11, 2))
    assert monthly_reports_due(today=dt.date(2026, 12, 2)) == 0
    # both agencies of the world (the other one's report has no complaint)
    assert monthly_reports_due(today=dt.date(2026, 12, 1)) == 2
    assert monthly_reports_due(today=dt.date(2026, 12, 1)) == 0
    report = MonthlyReport.objects.get(agency=world["a"])
    assert report.month == dt.date(2026, 11, 1)
    with report.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


def test_task_name():
    assert monthly_reports_task.name == "reporting.monthly_reports"

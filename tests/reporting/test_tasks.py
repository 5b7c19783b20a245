"""The reporting task: its stable name, and the facts it keeps, twice idempotent; the rebuild
command; query counts of the facts' writes at 1 and N complaints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from config.celery import app
from reporting.facts import facts_refresh
from reporting.models import ComplaintFact, DailyRollup, FactQueue
from reporting.tasks import facts_refresh_task
from tests import factories as f
from tests.reporting.helpers import Actor, at

pytestmark = pytest.mark.django_db


def test_task_persistent_name():
    assert facts_refresh_task.name == "reporting.facts_refresh"
    assert "reporting.facts_refresh" in app.tasks


def test_task_twice_writes_the_same_facts():
    c = f.complaint(f.AgencyFactory())
    assert FactQueue.objects.filter(complaint_id=c.pk).exists()
    assert facts_refresh_task.apply().get() == 1
    first = list(ComplaintFact.objects.values("complaint_id", "stint", "verify_state"))
    assert facts_refresh_task.apply().get() == 0
    assert list(ComplaintFact.objects.values("complaint_id", "stint", "verify_state")) == first
    assert first == [{"complaint_id": c.pk, "stint": 0, "verify_state": "running"}]
    assert DailyRollup.objects.get().received == 1


def test_rebuild_command(capsys):
    f.complaint(f.AgencyFactory())
    f.complaint(f.AgencyFactory())
    call_command("reporting_rebuild")
    assert "2 facts rebuilt" in capsys.readouterr().out
    assert not FactQueue.objects.exists()
    assert sum(DailyRollup.objects.values_list("received", flat=True)) == 2


@pytest.mark.parametrize("n", [1, 12])
def test_facts_refresh_query_count(django_assert_num_queries, n):
    actor = Actor()
    agency = f.AgencyFactory(responses_need_approval=False)
    ids = []
    for i in range(n):
        c = actor.file(agency, at(2, 9) + dt.timedelta(hours=i))
        actor.verify(c, at(3))
        ids.append(c.pk)
    # the calendar rows, the active policies, the agencies; the savepoint, the stale facts'
    # delete and the one INSERT ... SELECT; the rollups' savepoint, delete and insert, and
    # the monthly figures' savepoint, the national ones' delete and insert and the agencies'
    # delete and insert, and the three releases: the same whatever the number of complaints
    with django_assert_num_queries(17):
        facts_refresh(complaint_ids=ids, now=at(4))
    assert ComplaintFact.objects.count() == n

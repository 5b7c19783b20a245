"""Escalations addressed to verifiers, approvers and officers are acknowledged on the case
page, by whom each step is addressed to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.exceptions import NotAllowed
from complaints import services
from complaints.models import Complaint, Escalation, EventType
from tests.complaints.staff_world import client_for, routed_complaint, verified_complaint

pytestmark = pytest.mark.django_db


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def ack_url(c: Complaint, e: Escalation) -> str:
    return reverse("staff:escalation_ack", args=[c.pk, e.pk])


def _step(
    c: Complaint, level: int, *, cycle: int | None = None, clock: str = "response"
) -> Escalation:
    now = timezone.now()
    return Escalation.objects.create(
        complaint=c,
        clock=clock,
        cycle=c.clock_cycle if cycle is None else cycle,
        level=level,
        due_at=now - dt.timedelta(hours=1),
        created_at=now,
    )


def test_verifier_acknowledges_the_breach_step_from_the_case_page(world):
    # given a routed complaint with a warning (officer), breach (verifier, approver) and a
    # focal-point step
    c = routed_complaint(world)
    steps = {level: _step(c, level) for level in (1, 2, 3)}
    client = client_for(world.verifier)
    html = client.get(case_url(c)).content.decode()
    # then the verifier sees only the step addressed to verifiers
    assert "data-escalations" in html
    assert ack_url(c, steps[2]) in html
    assert ack_url(c, steps[1]) not in html
    assert ack_url(c, steps[3]) not in html
    assert "Konfirmasi eskalasi" in html
    # when they acknowledge it
    r = client.post(ack_url(c, steps[2]))
    assert r.status_code == 302
    page = client.get(case_url(c)).content.decode()
    assert "Berhasil: eskalasi diterima." in page
    assert ack_url(c, steps[2]) not in page
    steps[2].refresh_from_db()
    assert steps[2].acknowledged_by == world.verifier
    assert c.events.filter(type=EventType.ESCALATION_ACKNOWLEDGED, actor=world.verifier).exists()
    # a second acknowledgement (a stale page, e.g. the approver's) says who did it
    r = client_for(world.approver).post(ack_url(c, steps[2]))
    assert r.status_code == 409
    assert "Vera Verifikator sudah menerima eskalasi ini." in r.content.decode()
    assert "data-action-error" in r.content.decode()


def test_the_assigned_officer_acknowledges_the_warning_step_and_nobody_else(world):
    c = routed_complaint(world, assignee=world.officer)
    warning = _step(c, 1)
    # the assigned officer sees and acknowledges it
    officer = client_for(world.officer)
    assert ack_url(c, warning) in officer.get(case_url(c)).content.decode()
    # another officer of the unit is not addressed: no button, and a POST is refused
    other = client_for(world.officer2)
    assert ack_url(c, warning) not in other.get(case_url(c)).content.decode()
    r = other.post(ack_url(c, warning))
    assert r.status_code == 400
    assert "data-action-error" in r.content.decode()
    warning.refresh_from_db()
    assert warning.acknowledged_at is None
    assert officer.post(ack_url(c, warning)).status_code == 302
    warning.refresh_from_db()
    assert warning.acknowledged_by == world.officer


def test_service_lets_an_officer_acknowledge_only_when_addressed(world):
    c = routed_complaint(world, assignee=world.officer)
    warning, breach = _step(c, 1), _step(c, 2)
    with pytest.raises(NotAllowed):
        services.escalation_acknowledge(escalation_id=breach.pk, actor=world.officer)
    with pytest.raises(NotAllowed):
        services.escalation_acknowledge(escalation_id=warning.pk, actor=world.officer2)
    services.escalation_acknowledge(escalation_id=warning.pk, actor=world.officer)
    # before routing, the warning goes to the verifiers (escalation_notify), who may take it
    fresh = verified_complaint(world)
    early = _step(fresh, 1)
    services.escalation_acknowledge(escalation_id=early.pk, actor=world.verifier)


def test_an_escalation_of_another_complaint_is_404_through_this_case(world):
    c, d = routed_complaint(world), routed_complaint(world)
    step = _step(d, 2)
    assert client_for(world.verifier).post(ack_url(c, step)).status_code == 404
    step.refresh_from_db()
    assert step.acknowledged_at is None


@pytest.mark.parametrize("n_steps", [1, 5])
def test_case_page_with_escalations_query_count_is_fixed(world, django_assert_num_queries, n_steps):
    c = routed_complaint(world, assignee=world.officer)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    c.refresh_from_db()
    for cycle in range(n_steps):
        # n live steps of one level: the resolution clock runs whatever its cycle
        _step(c, 1, cycle=cycle + 10, clock="resolution")
    client = client_for(world.officer)
    # 1 session, 2 user, 3 memberships, 4 complaint, 5-6 every agency and category, 7 events,
    # 8 responses, 9 attachments, 10 unacknowledged escalations, 11 SLA policies (the ladder:
    # who each step is addressed to), 12 canned answers (no possible duplicates: the officer
    # may not merge; the neighbours in the queue are read only when asked for); 5, 6 and 12
    # are kept per process (common.refcache)
    with django_assert_num_queries(12):
        r = client.get(case_url(c))
    assert len(r.context["escalations"]) == n_steps

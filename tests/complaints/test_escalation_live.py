"""An escalation asks for action only while its clock runs: once the complaint is verified, a
verification warning is moot; nothing is due on a closed complaint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import delivery, services, sweeps
from complaints.models import Clock, Escalation, Notification
from tests.complaints.sweep_support import at, due_complaint, end_of, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]

ACK = "Konfirmasi eskalasi"


def _case(client, user, c) -> str:
    client.force_login(user)
    return client.get(reverse("staff:case", args=[c.pk])).text


def test_a_verification_escalation_is_settled_by_verifying(client):
    # given a complaint past its verification deadline, escalated to the verifier
    org = make_org()
    c = due_complaint(org["agency"], end_of(13))
    sweeps.sla_sweep(now=at(14))
    steps = Escalation.objects.filter(complaint=c)
    assert {e.clock for e in steps} == {Clock.VERIFY}
    assert steps.live().count() == steps.count() > 0
    assert ACK in _case(client, org["verifier"], c)

    # when the verifier verifies it
    services.complaint_verify(complaint_id=c.pk, actor=org["verifier"])

    # then its verification steps no longer ask for action, on the page or in the lists
    assert not steps.live().exists()
    assert all(not e.is_live for e in steps)
    assert ACK not in _case(client, org["verifier"], c)


def test_nothing_is_due_on_an_archived_complaint(client):
    org = make_org()
    c = due_complaint(org["agency"], end_of(13))
    sweeps.sla_sweep(now=at(14))
    assert ACK in _case(client, org["verifier"], c)
    services.complaint_archive(complaint_id=c.pk, actor=org["verifier"], reason="duplicate")
    assert not Escalation.objects.filter(complaint=c).live().exists()
    assert ACK not in _case(client, org["verifier"], c)


def test_a_held_message_whose_clock_stopped_overnight_is_cancelled():
    # given a verification breach reached on Friday evening: its message waits for Tuesday
    org = make_org()
    c = due_complaint(org["agency"], end_of(13))
    sweeps.sla_sweep(now=at(14, 20))
    held = Notification.objects.get(kind="escalation", recipient="verifier@example.go.id")
    assert held.not_before == at(18, 8)

    # when the complaint is verified before then
    services.complaint_verify(complaint_id=c.pk, actor=org["verifier"], now=at(15, 9))

    # then there is nothing left to tell: the message is cancelled, not sent
    assert delivery.notification_deliver(notification_id=held.pk, now=at(18, 8)) is False
    held.refresh_from_db()
    assert held.state == Notification.State.CANCELLED
    assert held.last_error == delivery.ACKNOWLEDGED_BEFORE_DELIVERY

"""A sweep batch tells each recipient once: one message listing every escalation of the batch
that names them (complaints.sweeps.escalation_digests), on both sweep paths, rendered at
delivery without the escalations acknowledged meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from complaints import delivery, sweeps, sweeps_portable
from complaints.models import Complaint, Escalation, Notification, Role
from complaints.services import sla_policy_for
from tests import factories as f
from tests.complaints.sweep_support import WIT, at, due_complaint, end_of

pytestmark = pytest.mark.usefixtures("fresh_calendar")


SWEEPS = {"set_based": sweeps.sla_sweep, "portable": sweeps_portable.sla_sweep}


def _to(email: str):
    return Notification.objects.filter(kind="escalation", recipient=email)


def _deliver(n: Notification) -> bool:
    return delivery.notification_deliver(notification_id=n.pk, now=n.not_before or at(19))


@pytest.mark.parametrize("path", list(SWEEPS))
def test_a_batch_sends_each_recipient_one_digest_of_its_escalations(org, path):
    # given three complaints of one unit past their deadline (breach: verifier and approver)
    complaints = [
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
        for _ in range(3)
    ]

    # when one sweep escalates them
    result = SWEEPS[path](now=at(14))

    # then the verifier gets one message, about the three breaches, and belonging to no
    # single complaint; its cause is its lowest escalation
    breaches = list(Escalation.objects.filter(level=2).order_by("pk").values_list("pk", flat=True))
    assert len(breaches) == 3
    digest = _to("verifier@example.go.id").get()
    assert digest.payload == {"escalations": breaches}
    assert digest.complaint_id is None
    assert digest.cause_key == f"escalation:{breaches[0]}"
    # the officer, named by the warning of all three, also once; nobody twice
    assert _to("officer@example.go.id").count() == 1
    assert result.notifications == Notification.objects.filter(kind="escalation").count() == 3

    # and delivered, it lists every complaint with its step and a link to its case page
    assert _deliver(digest) is True
    digest.refresh_from_db()
    assert digest.subject == "Eskalasi: 3 laporan perlu tindakan Anda"
    for c in complaints:
        assert c.display_tracking_number in digest.body
        assert f"/staf/laporan/{c.pk}/" in digest.body
    assert digest.body.count("Tingkat 2, Tanggapan pertama: tenggat") == 3
    assert "/staf/laporan/?clock=due_soon&clock=overdue&clock=escalated" in digest.body
    assert [m.to for m in mail.outbox] == [["verifier@example.go.id"]]
    assert not Escalation.objects.filter(pk__in=breaches, notified_at__isnull=True).exists()


@pytest.mark.parametrize("path", list(SWEEPS))
def test_one_digest_per_recipient_for_the_whole_sweep_whatever_its_batches(org, path):
    # given five complaints past their deadline, swept one per batch
    complaints = [
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
        for _ in range(5)
    ]

    result = SWEEPS[path](now=at(14), batch_size=1)

    # then each person still gets one message, listing every escalation that names them
    assert result.batches >= 5
    breaches = list(Escalation.objects.filter(level=2).order_by("pk").values_list("pk", flat=True))
    digest = _to("verifier@example.go.id").get()
    assert digest.payload == {"escalations": breaches}
    assert digest.complaint_id is None
    assert digest.cause_key == f"escalation:{breaches[0]}"
    assert result.notifications == Notification.objects.filter(kind="escalation").count() == 3
    assert _deliver(digest) is True
    digest.refresh_from_db()
    assert digest.subject == "Eskalasi: 5 laporan perlu tindakan Anda"
    assert all(c.display_tracking_number in digest.body for c in complaints)


@pytest.mark.parametrize("path", list(SWEEPS))
def test_a_digest_held_for_the_morning_is_added_to_as_well(org, path):
    for _ in range(3):
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])

    # 20:00 WIB on Friday: held until Tuesday 08:00 (Monday 17 is a holiday)
    SWEEPS[path](now=at(14, 20), batch_size=1)

    digest = _to("verifier@example.go.id").get()
    assert digest.not_before == at(18, 8)
    assert len(digest.payload["escalations"]) == 3


def test_a_digest_claimed_for_delivery_is_not_added_to(org):
    first = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    sweeps.sla_sweep(now=at(14), max_batches=1)
    digest = _to("verifier@example.go.id").get()
    assert digest.payload == {"escalation": Escalation.objects.get(complaint=first, level=2).pk}

    # when a worker claims it before the next batch of the same sweep moment
    Notification.objects.filter(pk=digest.pk).update(state=Notification.State.SENDING)
    second = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    sweeps.sla_sweep(now=at(14))

    # then the later escalation gets a message of its own
    digest.refresh_from_db()
    assert digest.payload == {"escalation": Escalation.objects.get(complaint=first, level=2).pk}
    other = _to("verifier@example.go.id").exclude(pk=digest.pk).get()
    assert other.payload == {"escalation": Escalation.objects.get(complaint=second, level=2).pk}


def test_a_complaint_named_on_two_clocks_is_listed_once_with_both_steps(org):
    # given a complaint past its response deadline and its 60-day hard ceiling at once
    c = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    Complaint.objects.filter(pk=c.pk).update(hard_ceiling_at=end_of(13))
    policy = sla_policy_for(agency=c.agency, category=c.category)

    sweeps.sla_sweep(now=at(14))

    # the approver is named by the breach of both (when the ceiling ladder names approvers)
    steps = Escalation.objects.filter(complaint=c, level=2)
    ladder_roles = {s["level"]: s.get("notify", []) for s in policy.escalation_ladder}
    assert "approver" in ladder_roles[2]
    assert {e.clock for e in steps} == {"response", "hard_ceiling"}
    digest = _to("approver@example.go.id").get()
    assert sorted(digest.payload["escalations"]) == sorted(e.pk for e in steps)
    assert digest.complaint_id == c.pk
    assert _deliver(digest) is True
    digest.refresh_from_db()
    assert digest.subject == "Eskalasi: 1 laporan perlu tindakan Anda"
    assert digest.body.count(c.display_tracking_number) == 1
    assert "Tingkat 2, Tanggapan pertama" in digest.body
    assert "Tingkat 2, Batas akhir: tenggat" in digest.body


def test_a_second_sweep_of_the_same_moment_writes_no_second_digest(org):
    for _ in range(2):
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    sweeps.sla_sweep(now=at(14))
    before = set(Notification.objects.values_list("pk", flat=True))

    again = sweeps.sla_sweep(now=at(14))
    sweeps_portable.sla_sweep(now=at(14))

    assert again.notifications == 0
    assert set(Notification.objects.values_list("pk", flat=True)) == before


def test_a_digest_leaves_out_what_was_acknowledged_before_delivery(org):
    from complaints.services import escalation_acknowledge

    first, second = (
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
        for _ in range(2)
    )
    sweeps.sla_sweep(now=at(14))
    digest = _to("verifier@example.go.id").get()
    breach_1 = Escalation.objects.get(complaint=first, level=2)
    breach_2 = Escalation.objects.get(complaint=second, level=2)
    assert digest.payload == {"escalations": [breach_1.pk, breach_2.pk]}

    # when the approver acknowledges the first breach before the message leaves
    escalation_acknowledge(escalation_id=breach_1.pk, actor=org["approver"])

    # then the verifier's message is the one-complaint message about the second only
    assert _deliver(digest) is True
    digest.refresh_from_db()
    assert second.display_tracking_number in digest.subject
    assert first.display_tracking_number not in digest.body
    breach_1.refresh_from_db()
    breach_2.refresh_from_db()
    assert breach_1.notified_at is None
    assert breach_2.notified_at is not None


def test_a_digest_whose_escalations_were_all_acknowledged_is_cancelled(org):
    from complaints.services import escalation_acknowledge

    for _ in range(2):
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    sweeps.sla_sweep(now=at(14))
    digest = _to("verifier@example.go.id").get()
    for pk in digest.payload["escalations"]:
        escalation_acknowledge(escalation_id=pk, actor=org["verifier"])

    assert _deliver(digest) is False

    digest.refresh_from_db()
    assert (digest.state, digest.last_error) == (
        Notification.State.CANCELLED,
        delivery.ACKNOWLEDGED_BEFORE_DELIVERY,
    )
    assert mail.outbox == []


def test_a_long_digest_lists_twenty_and_counts_the_rest_in_english(org):
    complaints = [
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
        for _ in range(delivery.DIGEST_LISTED + 2)
    ]
    sweeps.sla_sweep(now=at(14))
    digest = _to("verifier@example.go.id").get()
    Notification.objects.filter(pk=digest.pk).update(language="en")

    assert _deliver(digest) is True

    digest.refresh_from_db()
    assert digest.subject == "Escalation: 22 complaints need your attention"
    assert digest.body.startswith(
        "22 complaints have reached a step of the escalation ladder that names you:"
    )
    listed = [c for c in complaints if c.display_tracking_number in digest.body]
    assert len(listed) == delivery.DIGEST_LISTED
    assert "And 2 more complaints." in digest.body
    # every escalation of the digest counts as notified, listed or not
    assert not Escalation.objects.filter(level=2, notified_at__isnull=True).exists()


def test_a_person_in_two_time_zones_gets_one_digest_per_delivery_time(org):
    # given the verifier also verifies for an agency in WIT, where the sweep runs after hours

    from complaints.models import Membership

    far = f.AgencyFactory(time_zone="Asia/Jayapura")
    Membership.objects.create(user=org["verifier"], agency=far, role=Role.VERIFIER)
    due_complaint(org["agency"], end_of(13))
    due_complaint(far, end_of(13, tz=WIT))

    # 14:30 WIB is 16:30 WIT, after hours there: the far agency's message waits for its next
    # working start, the near one's leaves now
    sweeps.sla_sweep(now=at(14, 14, 30))

    digests = {n.complaint.agency_id: n for n in _to("verifier@example.go.id")}
    assert set(digests) == {org["agency"].pk, far.pk}
    assert digests[org["agency"].pk].not_before is None
    assert digests[far.pk].not_before == dt.datetime(2026, 8, 18, 8, 0, tzinfo=WIT)


def test_the_digests_links_open_the_cases_and_the_queue_of_what_is_due(org, client):
    import re

    complaints = [
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
        for _ in range(2)
    ]
    sweeps.sla_sweep(now=at(14))
    digest = _to("verifier@example.go.id").get()
    assert _deliver(digest) is True
    digest.refresh_from_db()
    links = re.findall(r"https?://[^/\s]+(/\S+)", digest.body)

    client.force_login(org["verifier"])
    assert len(links) == 3
    for link in links:
        assert client.get(link).status_code == 200
    # the queue link lists both complaints (their deadlines passed: overdue)
    queue = client.get(links[-1]).content.decode()
    assert all(c.display_tracking_number in queue for c in complaints)

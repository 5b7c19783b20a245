"""Delivering outbox rows (complaints.delivery)."""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from complaints import delivery, sweeps
from complaints.models import Clock, Escalation, Notification, Role
from tests import factories as f


def _row(**kwargs) -> Notification:
    defaults = {
        "recipient": "warga@example.com",
        "kind": "receipt",
        "cause_key": f"test:{Notification.objects.count()}",
        "subject": "Laporan Anda diterima",
        "body": "Isi pesan",
        "created_at": timezone.now(),
    }
    defaults.update(kwargs)
    return Notification.objects.create(**defaults)


def failing_sender(error: Exception):
    return mock.patch.dict(delivery.SENDERS, {"email": mock.Mock(side_effect=error)})


@pytest.mark.django_db
def test_delivers_once_even_when_the_task_is_delivered_twice():
    n = _row()

    assert delivery.notification_deliver(notification_id=n.pk) is True
    assert delivery.notification_deliver(notification_id=n.pk) is False

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.to) == ("Laporan Anda diterima", ["warga@example.com"])
    assert sent.extra_headers["Message-ID"].startswith(f"<notification-{n.pk}@")
    n.refresh_from_db()
    assert (n.state, n.attempts, n.last_error) == (Notification.State.SENT, 1, "")
    assert n.sent_at is not None


@pytest.mark.django_db
def test_deferred_row_is_not_sent_before_its_time():
    later = timezone.now() + dt.timedelta(hours=3)
    n = _row(not_before=later)

    assert delivery.notification_deliver(notification_id=n.pk) is False
    assert delivery.notification_deliver(notification_id=n.pk, now=later) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_transient_error_puts_the_row_back_for_a_retry():
    n = _row()
    with (
        failing_sender(smtplib.SMTPServerDisconnected("gone")),
        pytest.raises(delivery.TransientDeliveryError),
    ):
        delivery.notification_deliver(notification_id=n.pk)

    n.refresh_from_db()
    assert n.state == Notification.State.PENDING
    assert n.attempts == 1
    assert "gone" in n.last_error
    # The retry succeeds and sends exactly one message.
    assert delivery.notification_deliver(notification_id=n.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"warga@example.com": (550, b"no such user")}),
        smtplib.SMTPDataError(554, b"rejected"),
    ],
)
def test_permanent_smtp_error_fails_the_row(error):
    n = _row()
    with failing_sender(error), pytest.raises(type(error)):
        delivery.notification_deliver(notification_id=n.pk)
    n.refresh_from_db()
    assert n.state == Notification.State.FAILED


@pytest.mark.django_db
def test_4xx_reply_is_transient():
    n = _row()
    error = smtplib.SMTPDataError(451, b"try later")
    with failing_sender(error), pytest.raises(delivery.TransientDeliveryError):
        delivery.notification_deliver(notification_id=n.pk)
    n.refresh_from_db()
    assert n.state == Notification.State.PENDING


@pytest.mark.django_db
def test_unknown_channel_or_template_fails_without_retry():
    # A channel no sender is registered for (email, lapor and webhook all have theirs).
    fax = _row(channel="fax")
    unknown = _row(kind="no_such_kind", subject="", body="")

    assert delivery.notification_deliver(notification_id=fax.pk) is False
    assert delivery.notification_deliver(notification_id=unknown.pk) is False

    assert set(Notification.objects.values_list("state", flat=True)) == {"failed"}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_live_lease_is_respected_and_an_expired_one_reclaimed():
    now = timezone.now()
    busy = _row(state=Notification.State.SENDING, leased_at=now - dt.timedelta(minutes=1))
    dead = _row(state=Notification.State.SENDING, leased_at=now - dt.timedelta(hours=1))

    assert delivery.notification_deliver(notification_id=busy.pk, now=now) is False
    assert delivery.notification_deliver(notification_id=dead.pk, now=now) is True
    assert [m.to for m in mail.outbox] == [["warga@example.com"]]


@pytest.mark.django_db
def test_fail_service_only_touches_unsent_rows():
    sent = _row(state=Notification.State.SENT)
    pending = _row()

    assert delivery.notification_fail(notification_id=sent.pk, error="x") is False
    assert delivery.notification_fail(notification_id=pending.pk, error="boom") is True
    pending.refresh_from_db()
    assert (pending.state, pending.last_error) == (Notification.State.FAILED, "boom")


@pytest.mark.django_db
def test_bulk_escalation_rows_are_rendered_at_delivery_in_the_recipients_language():
    agency = f.AgencyFactory(name="Badan Uji")
    f.staff(agency, Role.VERIFIER, email="verifier@example.go.id")
    c = f.complaint(agency)
    past = timezone.now() - dt.timedelta(days=30)
    from complaints.models import Complaint

    Complaint.objects.filter(pk=c.pk).update(current_due_at=past, verify_due_at=past)
    sweeps.sla_sweep(now=timezone.now())
    rows = Notification.objects.filter(kind="escalation", recipient="verifier@example.go.id")
    breach = Escalation.objects.get(complaint=c, level=2)
    n = rows.get(cause_key=f"escalation:{breach.pk}")
    assert (n.subject, n.body) == ("", "")

    # (delivered at once in working hours, else at the next working start)
    moment = n.not_before or timezone.now()
    assert delivery.notification_deliver(notification_id=n.pk, now=moment) is True

    n.refresh_from_db()
    assert c.display_tracking_number in n.subject
    assert "Eskalasi" in n.subject  # Indonesian by default
    assert "Badan Uji" in n.body
    assert mail.outbox[-1].subject == n.subject
    breach.refresh_from_db()
    assert breach.notified_at is not None
    assert breach.clock == Clock.VERIFY


@pytest.mark.django_db
def test_an_escalation_acknowledged_before_its_held_message_goes_out_is_not_sent():
    from complaints.services import complaint_escalate, escalation_acknowledge

    # given a focal-point step reached at night: its messages wait for the next working start
    agency = f.AgencyFactory(name="Badan Uji")
    focal = f.staff(agency, Role.FOCAL_POINT, email="focal@example.go.id")
    f.staff(agency, Role.FOCAL_POINT, email="focal.dua@example.go.id")
    c = f.complaint(agency)
    now = timezone.now()
    morning = now + dt.timedelta(hours=8)
    step = complaint_escalate(
        complaint_id=c.pk,
        clock=Clock.VERIFY,
        cycle=c.clock_cycle,
        level=3,
        due_at=now - dt.timedelta(days=3),
        deliver_after=morning,
        now=now,
    )
    held = Notification.objects.filter(kind="escalation", complaint=c)
    assert held.count() == 2
    assert set(held.values_list("not_before", flat=True)) == {morning}

    # when one focal point acknowledges it before then (from the board)
    escalation_acknowledge(escalation_id=step.pk, actor=focal)

    # then at the working start no message leaves: each is cancelled, with the reason, and
    # neither the outbox sweep nor a redelivered task picks it up again
    for n in held:
        assert delivery.notification_deliver(notification_id=n.pk, now=morning) is False
    assert mail.outbox == []
    assert set(held.values_list("state", "last_error")) == {
        (Notification.State.CANCELLED, delivery.ACKNOWLEDGED_BEFORE_DELIVERY)
    }
    later = morning + dt.timedelta(hours=2)
    with mock.patch("complaints.outbox.dispatch.enqueue_each"):
        requeued = sweeps.outbox_sweep(now=later)
    assert not set(requeued) & {n.pk for n in held}
    for n in held:
        assert delivery.notification_deliver(notification_id=n.pk, now=later) is False
    step.refresh_from_db()
    assert step.notified_at is None


@pytest.mark.django_db
def test_an_unacknowledged_held_escalation_is_sent_at_its_time():
    from complaints.services import complaint_escalate

    agency = f.AgencyFactory(name="Badan Uji")
    f.staff(agency, Role.FOCAL_POINT, email="focal@example.go.id")
    c = f.complaint(agency)
    now = timezone.now()
    morning = now + dt.timedelta(hours=8)
    step = complaint_escalate(
        complaint_id=c.pk,
        clock=Clock.VERIFY,
        cycle=c.clock_cycle,
        level=3,
        due_at=now - dt.timedelta(days=3),
        deliver_after=morning,
        now=now,
    )
    n = Notification.objects.get(kind="escalation", complaint=c)

    assert delivery.notification_deliver(notification_id=n.pk, now=morning) is True
    assert [m.to for m in mail.outbox] == [["focal@example.go.id"]]
    step.refresh_from_db()
    assert step.notified_at is not None

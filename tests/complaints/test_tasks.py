"""Celery tasks (complaints.tasks), their configuration, the health view and jobs_status."""

from __future__ import annotations

import datetime as dt
import io
import json
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from complaints import tasks
from complaints.delivery import TransientDeliveryError
from complaints.models import (
    Clock,
    Complaint,
    ComplaintEvent,
    Escalation,
    EventType,
    FollowUp,
    Notification,
    Role,
    SweepRun,
)
from config.celery import app
from tests import factories as f

# Renaming a task orphans every message already queued under the old name and breaks the beat
# schedule of a running deployment: these names are part of the interface.
TASK_NAMES = {
    "notification_deliver_task": "complaints.notification_deliver",
    "sla_sweep_task": "complaints.sla_sweep",
    "complaint_escalate_task": "complaints.complaint_escalate",
    "followups_sweep_task": "complaints.followups_sweep",
    "followup_send_task": "complaints.followup_send",
    "outbox_sweep_task": "complaints.outbox_sweep",
    "draft_uploads_purge_task": "complaints.draft_uploads_purge",
    "intake_mail_poll_task": "complaints.intake_mail_poll",
    "idempotency_purge_task": "complaints.idempotency_purge",
}


@pytest.mark.parametrize(("attr", "name"), sorted(TASK_NAMES.items()))
def test_task_persistent_name(attr, name):
    assert getattr(tasks, attr).name == name
    assert name in app.tasks


def test_every_task_is_pinned():
    defined = {
        attr
        for attr, value in vars(tasks).items()
        if hasattr(value, "name") and attr.endswith("_task")
    }
    assert defined == set(TASK_NAMES)


def test_delivery_has_its_own_queue_and_everything_else_the_default():
    import focal_points.tasks  # noqa: F401 - registers the focal tasks

    ours = [n for n in app.tasks if n.startswith(("complaints.", "focal_points."))]
    assert len(ours) >= len(TASK_NAMES)
    for name in ours:
        queue = app.amqp.router.route({}, name)["queue"]
        expected = "mail" if name == "complaints.notification_deliver" else "celery"
        assert (name, queue.name, queue.routing_key) == (name, expected, expected)


def test_a_delivery_waits_in_the_mail_queue_of_the_real_broker():
    from complaints.management.commands.jobs_status import queue_depths

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("mail")
        before = queue_depths()
        tasks.notification_deliver_task.apply_async(args=[123456789])
        after = queue_depths()
        conn.default_channel.queue_purge("mail")
    assert after["mail"] == before["mail"] + 1
    assert after["celery"] == before["celery"]


def test_beat_schedule_runs_registered_tasks_with_expiry():
    import focal_points.tasks  # noqa: F401 - registers the focal tasks that beat names
    import reporting.tasks  # noqa: F401 - and the reporting facts' pass

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert set(schedule) == {
        "sla-sweep",
        "followups-sweep",
        "outbox-sweep",
        "connectors-relay",
        "focal-digest",
        "draft-uploads-purge",
        "idempotency-purge",
        "focal-board-refresh",
        "focal-corrective-action-sweep",
        "focal-weekly-digest",
        "reporting-facts-refresh",
        "reporting-monthly-reports",
        "intake-mail-poll",
    }
    for entry in schedule.values():
        assert entry["task"] in app.tasks
        assert isinstance(entry["schedule"], crontab)
        assert entry["options"]["expires"] > 0
    assert schedule["sla-sweep"]["schedule"] == crontab(minute="*/5")
    assert schedule["focal-digest"]["schedule"] == crontab(minute=0, hour=7, day_of_week="1-5")


def test_celery_configuration_is_safe_for_redelivery():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    # Redis must not re-deliver a message while a live worker may still be on it: the
    # visibility timeout exceeds every retry countdown plus every hard time limit.
    longest = max(
        getattr(t, "retry_backoff_max", 0) + (t.time_limit or 0)
        for t in (getattr(tasks, attr) for attr in TASK_NAMES)
    )
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest


@pytest.mark.parametrize("attr", sorted(TASK_NAMES))
def test_every_task_has_bounded_retries_and_time_limits(attr):
    task = getattr(tasks, attr)
    assert task.max_retries is not None
    assert task.max_retries <= 5
    assert task.soft_time_limit
    assert task.time_limit
    assert task.soft_time_limit < task.time_limit


def test_delivery_retries_transient_errors_with_backoff():
    task = tasks.notification_deliver_task
    assert TransientDeliveryError in task.autoretry_for
    assert task.max_retries == 5
    assert task.retry_backoff
    assert task.retry_jitter


# Running the tasks (eagerly, in this process) ----------------------------------------------


def _overdue(agency, days: int = 30) -> Complaint:
    c = f.complaint(agency)
    past = timezone.now() - dt.timedelta(days=days)
    Complaint.objects.filter(pk=c.pk).update(current_due_at=past, verify_due_at=past)
    return c


@pytest.fixture
def agency(db):
    agency = f.AgencyFactory()
    f.staff(agency, Role.VERIFIER, email="verifier@example.go.id")
    f.staff(agency, Role.FOCAL_POINT, email="focal@example.go.id")
    return agency


def test_sla_sweep_task_twice_escalates_once(agency, django_capture_on_commit_callbacks):
    c = _overdue(agency)

    with django_capture_on_commit_callbacks(execute=False):
        tasks.sla_sweep_task.apply()
        tasks.sla_sweep_task.apply()

    assert sorted(Escalation.objects.filter(complaint=c).values_list("level", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.ESCALATED).count() == 4
    assert SweepRun.objects.get(name="sla").last_success_at is not None


def test_sla_sweep_task_reenqueues_itself_when_a_batch_limit_stopped_it(db):
    from complaints.sweeps import SlaSweepResult

    with (
        mock.patch("complaints.jobs.sla.sla_sweep", return_value=SlaSweepResult(more=True)) as run,
        mock.patch.object(tasks.sla_sweep_task, "apply_async") as again,
    ):
        tasks.sla_sweep_task.apply()
    run.assert_called_once_with(max_batches=tasks.SLA_MAX_BATCHES_PER_TASK)
    again.assert_called_once_with(expires=tasks.SLA_SWEEP_EXPIRES)


def test_sla_sweep_failure_is_recorded(agency):
    with (
        mock.patch("complaints.jobs.sla.sla_sweep", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        tasks.sla_sweep_task.apply(throw=True)
    assert "boom" in SweepRun.objects.get(name="sla").last_error


def test_complaint_escalate_task_twice_escalates_once(agency, django_capture_on_commit_callbacks):
    c = _overdue(agency)
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            tasks.complaint_escalate_task.apply(args=[c.pk, Clock.VERIFY, 1, 2])
    assert list(Escalation.objects.filter(complaint=c).values_list("level", flat=True)) == [2]
    assert Notification.objects.filter(kind="escalation").count() == 1


def test_notification_deliver_task_twice_sends_once(db):
    n = Notification.objects.create(
        recipient="warga@example.com",
        kind="receipt",
        cause_key="t:1",
        subject="S",
        body="B",
        created_at=timezone.now(),
    )
    tasks.notification_deliver_task.apply(args=[n.pk])
    tasks.notification_deliver_task.apply(args=[n.pk])
    assert len(mail.outbox) == 1


def test_notification_final_failure_goes_to_the_fail_service(db):
    n = Notification.objects.create(
        recipient="warga@example.com",
        kind="receipt",
        cause_key="t:2",
        subject="S",
        body="B",
        created_at=timezone.now(),
    )
    task = tasks.notification_deliver_task
    # Called as Celery does once the last retry failed.
    task.on_failure(TransientDeliveryError("down"), "id", [n.pk], {}, None)
    n.refresh_from_db()
    assert n.state == Notification.State.FAILED
    assert "down" in n.last_error


def test_followup_tasks_twice_act_once(agency, django_capture_on_commit_callbacks):
    c = f.complaint(agency)
    verifier = agency.memberships.get(role=Role.VERIFIER).user
    from complaints.services import complaint_hold_for_info

    complaint_hold_for_info(complaint_id=c.pk, actor=verifier, message="Foto?")
    Complaint.objects.filter(pk=c.pk).update(
        reporter_info_due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.followups_sweep_task.apply()
        tasks.followups_sweep_task.apply()
    followup = FollowUp.objects.get(complaint=c)
    assert followup.kind == FollowUp.Kind.INFO_ARCHIVE
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=False):
        tasks.followup_send_task.apply(args=[followup.pk])
        tasks.followup_send_task.apply(args=[followup.pk])
    c.refresh_from_db()
    assert c.status == "archived"
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.ARCHIVED).count() == 1

    tasks.followup_send_task.on_failure(RuntimeError("x"), "id", [followup.pk], {}, None)
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.SENT  # a finished follow-up is never marked failed


def test_outbox_sweep_task_queues_lost_rows(db, django_capture_on_commit_callbacks):
    old = timezone.now() - dt.timedelta(minutes=10)
    n = Notification.objects.create(
        recipient="warga@example.com",
        kind="receipt",
        cause_key="t:3",
        subject="S",
        body="B",
        created_at=old,
    )
    with (
        mock.patch.object(tasks.notification_deliver_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.outbox_sweep_task.apply()
        tasks.outbox_sweep_task.apply()
    queued.assert_called_once_with(args=[n.pk], retry=False)


def test_focal_digest_task_twice_writes_one_digest(agency, django_capture_on_commit_callbacks):
    from focal_points.tasks import daily_digest_task

    _overdue(agency)
    with (
        mock.patch("complaints.sweeps.WorkingCalendar.is_working_day", return_value=True),
        django_capture_on_commit_callbacks(execute=False),
    ):
        daily_digest_task.apply()
        daily_digest_task.apply()
    assert list(Notification.objects.filter(kind="digest").values_list("recipient", flat=True)) == [
        "focal@example.go.id"
    ]


# Health view and jobs_status ---------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_200_when_database_broker_and_sweep_are_fine(client):
    SweepRun.objects.create(name="sla", last_success_at=timezone.now() - dt.timedelta(minutes=4))

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["broker"] == {"ok": True}
    assert body["checks"]["sla_sweep"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_is_503_when_the_sweep_is_stale_or_never_ran(client):
    assert client.get("/health/").status_code == 503
    SweepRun.objects.create(name="sla", last_success_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["sla_sweep"]["ok"] is False
    assert response.json()["checks"]["sla_sweep"]["age_seconds"] >= 3600


@pytest.mark.django_db
def test_health_web_scope_leaves_the_sweep_out(client):
    # given beat has never run (a fresh deployment)
    # when the web container checks its own liveness
    response = client.get("/health/?scope=web")
    # then it is healthy, and the full check still reports the missing sweep
    assert response.status_code == 200
    assert "sla_sweep" not in response.json()["checks"]
    assert client.get("/health/").status_code == 503


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(client):
    SweepRun.objects.create(name="sla", last_success_at=timezone.now())
    dead = app.connection_for_write("redis://127.0.0.1:1/4")
    with mock.patch.object(app, "connection_for_write", return_value=dead):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_jobs_status_shows_queue_depth_and_oldest_pending_age():
    now = timezone.now()
    Notification.objects.create(
        recipient="a@example.com",
        kind="receipt",
        cause_key="s:1",
        subject="S",
        body="B",
        created_at=now - dt.timedelta(minutes=7),
    )
    Notification.objects.create(
        recipient="b@example.com",
        kind="receipt",
        cause_key="s:2",
        subject="S",
        body="B",
        created_at=now - dt.timedelta(minutes=1),
        not_before=now + dt.timedelta(hours=5),
    )
    Notification.objects.create(
        recipient="c@example.com",
        kind="escalation",
        cause_key="escalation:1",
        subject="",
        body="",
        created_at=now - dt.timedelta(hours=9),
        state=Notification.State.CANCELLED,
    )
    SweepRun.objects.create(name="sla", last_success_at=now)

    out = io.StringIO()
    call_command("jobs_status", "--json", stdout=out)
    status = json.loads(out.getvalue())

    assert isinstance(status["queues"]["celery"], int)
    assert isinstance(status["queues"]["mail"], int)
    assert status["outbox"]["pending"] == 2
    assert status["outbox"]["due"] == 1
    assert status["outbox"]["cancelled"] == 1
    assert 400 <= status["outbox"]["oldest_pending_age_seconds"] <= 480
    assert status["sweeps"]["sla"]["last_success_at"] is not None

    text = io.StringIO()
    call_command("jobs_status", stdout=text)
    assert "queue celery:" in text.getvalue()
    assert "queue mail:" in text.getvalue()
    assert "0 failed, 1 cancelled; oldest pending: 4" in text.getvalue()

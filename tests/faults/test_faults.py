"""The faults issue 5 says the jobs must survive, each against a real Redis and a real Celery
worker process (prefork, killed with SIGKILL where the fault is a dying worker).

The worker shares pytest-django's test database (transactional tests: every write is committed
so the worker sees it); the PostgreSQL restart test runs on a private cluster instead.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import psycopg2
import pytest
from django.utils import timezone

from complaints import tasks
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Escalation,
    EventType,
    Notification,
    Role,
    SweepRun,
)
from complaints.services import complaint_submit
from tests import factories as f
from tests.faults.conftest import ROOT, publishing_to, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _org():
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    f.staff(agency, Role.VERIFIER, email="verifier@example.go.id")
    f.staff(agency, Role.APPROVER, email="approver@example.go.id")
    f.staff(unit, Role.OFFICER, email="officer@example.go.id")
    f.staff(agency, Role.FOCAL_POINT, email="focal@example.go.id")
    f.staff(agency, Role.COORDINATOR, email="coordinator@example.go.id")
    return agency, unit


def _overdue(agency, days: float) -> Complaint:
    c = f.complaint(agency)
    due = timezone.now() - dt.timedelta(days=days)
    Complaint.objects.filter(pk=c.pk).update(current_due_at=due, verify_due_at=due)
    c.refresh_from_db()
    return c


def _sweep_succeeded_after(moment: dt.datetime) -> bool:
    run = SweepRun.objects.filter(name="sla").first()
    return bool(run and run.last_success_at and run.last_success_at >= moment)


def _assert_exactly_once(complaints: list[Complaint], levels: list[int]) -> None:
    for c in complaints:
        rows = list(Escalation.objects.filter(complaint=c).values_list("level", flat=True))
        assert sorted(rows) == levels, (c.pk, rows)
        events = ComplaintEvent.objects.filter(complaint=c, type=EventType.ESCALATED)
        assert sorted(e.data["level"] for e in events) == levels
    causes = Counter(
        Notification.objects.filter(kind="escalation").values_list("recipient", "cause_key")
    )
    assert causes
    assert max(causes.values()) == 1


def _blocked_backends(cursor, dbname: str, query_prefix: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
        " AND query LIKE %s",
        [dbname, query_prefix + "%"],
    )
    return cursor.fetchone()[0]


def _connect(database_url_or_dsn: str):
    conn = psycopg2.connect(database_url_or_dsn)
    conn.autocommit = False
    return conn


# ---------------------------------------------------------------------------------------------


def test_redis_down_when_a_reporter_files(private_redis, start_worker, test_database_url):
    """The complaint is saved and acknowledged; the receipt goes out once Redis is back, via the
    outbox sweep."""
    agency, _unit = _org()
    private_redis.stop()

    with publishing_to(private_redis.url):
        started = time.monotonic()
        complaint, code = complaint_submit(
            actor=None,
            kind="complaint",
            title="Obat kedaluwarsa",
            body="Dijual di apotek dekat pasar.",
            agency=agency,
            reporter_email="warga@example.com",
        )
        assert time.monotonic() - started < 10  # no hanging on the dead broker

        # Saved and acknowledged (tracking number and access code), receipt waiting.
        assert Complaint.objects.filter(pk=complaint.pk).exists()
        assert complaint.tracking_number
        assert code
        receipt = Notification.objects.get(complaint=complaint, kind="receipt")
        assert receipt.state == Notification.State.PENDING

        # Redis returns; a worker runs; the beat's outbox pass finds the row.
        private_redis.start()
        worker = start_worker(broker_url=private_redis.url, database_url=test_database_url)
        Notification.objects.filter(pk=receipt.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=10)
        )
        tasks.outbox_sweep_task.apply_async()

        wait_for(
            lambda: Notification.objects.get(pk=receipt.pk).state == Notification.State.SENT,
            timeout=60,
            what="the receipt to be sent",
        )
    mails = [m for m in worker.emails() if complaint.display_tracking_number in m]
    assert len(mails) == 1
    assert "warga@example.com" in mails[0]


def test_worker_killed_in_the_middle_of_an_escalation(
    private_redis, start_worker, test_database_url
):
    """SIGKILL of the pool process while its sweep is inside the escalation transaction: the
    message is redelivered (acks_late + reject_on_worker_lost) and every step is written once."""
    agency, _unit = _org()
    complaints = [_overdue(agency, days) for days in (40, 35, 30)]
    worker = start_worker(broker_url=private_redis.url, database_url=test_database_url)
    dbname = test_database_url.rsplit("/", 1)[1]

    # Hold a lock on the middle complaint so the sweep stops half-way through its batch.
    blocker = _connect(test_database_url)
    blocker.cursor().execute(
        "SELECT id FROM complaints_complaint WHERE id = %s FOR UPDATE", [complaints[1].pk]
    )
    try:
        with publishing_to(private_redis.url):
            message = tasks.sla_sweep_task.apply_async()
        watcher = _connect(test_database_url)
        watcher.autocommit = True
        wait_for(
            lambda: _blocked_backends(watcher.cursor(), dbname, "\nUPDATE complaints_complaint"),
            timeout=60,
            what="the sweep to block inside its escalation transaction",
        )
        (child,) = worker.children()
        os.kill(child, signal.SIGKILL)
        wait_for(
            lambda: "WorkerLostError" in worker.text() or "SIGKILL" in worker.text(),
            timeout=30,
            what="the worker to notice the lost process",
        )
    finally:
        blocker.rollback()
        blocker.close()

    moment = timezone.now() - dt.timedelta(minutes=5)
    wait_for(lambda: _sweep_succeeded_after(moment), timeout=90, what="the redelivered sweep")
    received = worker.text().count(f"complaints.sla_sweep[{message.id}]")
    assert received >= 2, worker.text()
    _assert_exactly_once(complaints, [1, 2, 3, 4])
    watcher.close()


def test_duplicate_delivery_and_overlapping_sweeps(private_redis, start_worker, test_database_url):
    """Two sweeps at once, the same escalation task twice and the same delivery task twice:
    no duplicate escalation, event or email."""
    agency, _unit = _org()
    complaints = [_overdue(agency, 30 + i) for i in range(12)]
    worker = start_worker(
        broker_url=private_redis.url, database_url=test_database_url, concurrency=2
    )
    receipt = Notification.objects.filter(kind="receipt").first()

    with publishing_to(private_redis.url):
        for _ in range(2):
            tasks.sla_sweep_task.apply_async()
            tasks.notification_deliver_task.apply_async(args=[receipt.pk])
    moment = timezone.now() - dt.timedelta(minutes=5)
    wait_for(lambda: _sweep_succeeded_after(moment), timeout=60, what="the sweeps")
    wait_for(lambda: worker.text().count("succeeded in") >= 4, timeout=60, what="the four tasks")
    _assert_exactly_once(complaints, [1, 2, 3, 4])
    receipts = [m for m in worker.emails() if receipt.subject in m]
    assert len(receipts) == 1
    assert Notification.objects.get(pk=receipt.pk).attempts == 1

    # The per-complaint escalation task, delivered twice at once.
    single = _overdue(agency, 50)
    with publishing_to(private_redis.url):
        for _ in range(2):
            tasks.complaint_escalate_task.apply_async(args=[single.pk, "verify", 1, 1])
    wait_for(
        lambda: (
            worker.text().count("complaints.complaint_escalate") >= 4
            and worker.text().count("succeeded in") >= 6
        ),
        timeout=60,
        what="both escalation tasks",
    )
    _assert_exactly_once([single], [1])


def test_beat_down_for_an_hour_catches_up_in_order(private_redis, start_worker, test_database_url):
    agency, _unit = _org()
    SweepRun.objects.create(name="sla", last_success_at=timezone.now() - dt.timedelta(hours=1))
    # Deadlines missed during the outage and long before it, created in scrambled order.
    made = [_overdue(agency, days) for days in (33, 45, 0.02, 38, 60)]
    worker = start_worker(broker_url=private_redis.url, database_url=test_database_url)

    with publishing_to(private_redis.url):
        tasks.sla_sweep_task.apply_async()
    moment = timezone.now() - dt.timedelta(minutes=1)
    wait_for(lambda: _sweep_succeeded_after(moment), timeout=60, what="the catch-up sweep")

    rows = list(Escalation.objects.order_by("id").values_list("due_at", "complaint_id", "level"))
    assert rows == sorted(rows), "not oldest deadline first, levels ascending"
    recent = made[2]
    _assert_exactly_once([c for c in made if c != recent], [1, 2, 3, 4])
    # Due half an hour ago: warned and breached, not yet two working days late.
    assert sorted(recent.escalations.values_list("level", flat=True)) == [1, 2]
    assert "complaints.sla_sweep" in worker.text()


def test_holiday_and_weekend_in_a_real_worker(private_redis, start_worker, test_database_url):
    """Worker clocks moved to Fri 14, Mon 17 (Independence Day) and Wed 19 August 2026: a
    complaint breached at the end of Thu 13 reaches 'breach + 2 working days' only on Wed 19."""
    agency, _unit = _org()
    due = dt.datetime(2026, 8, 13, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    c = f.complaint(agency, now=due - dt.timedelta(days=3))
    Complaint.objects.filter(pk=c.pk).update(current_due_at=due, verify_due_at=due)

    expected = {"2026-08-14T10:00:00+07:00": [1, 2], "2026-08-17T10:00:00+07:00": [1, 2]}
    expected["2026-08-19T10:00:00+07:00"] = [1, 2, 3]
    for fake_now, levels in expected.items():
        SweepRun.objects.filter(name="sla").delete()
        worker = start_worker(
            broker_url=private_redis.url, database_url=test_database_url, fake_now=fake_now
        )
        with publishing_to(private_redis.url):
            tasks.sla_sweep_task.apply_async()
        wait_for(
            lambda: SweepRun.objects.filter(name="sla", last_success_at__isnull=False).exists(),
            timeout=60,
            what=f"the sweep at {fake_now}",
        )
        run = SweepRun.objects.get(name="sla")
        assert run.last_success_at.isoformat()[:10] == fake_now[:10]
        assert sorted(c.escalations.values_list("level", flat=True)) == levels, fake_now
        worker.kill()


SEED_PRIVATE = """
import datetime as dt
from django.utils import timezone
from complaints.models import Complaint, Role
from tests import factories as f
agency = f.AgencyFactory()
f.staff(agency, Role.VERIFIER, email="verifier@example.go.id")
f.staff(agency, Role.FOCAL_POINT, email="focal@example.go.id")
for days in range(30, 30 + {n}):
    c = f.complaint(agency)
    due = timezone.now() - dt.timedelta(days=days)
    Complaint.objects.filter(pk=c.pk).update(current_due_at=due, verify_due_at=due)
"""


def test_postgres_restart_during_a_sweep(private_redis, private_postgres, start_worker):
    """The cluster restarts while a sweep is inside a batch: that batch rolls back whole, and
    the next sweep writes everything exactly once."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": private_postgres.url,
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED_PRIVATE.format(n=6)],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    worker = start_worker(broker_url=private_redis.url, database_url=private_postgres.url)
    conn = private_postgres.connect()
    cur = conn.cursor()
    cur.execute("SELECT id FROM complaints_complaint ORDER BY current_due_at")
    ids = [row[0] for row in cur.fetchall()]

    blocker = private_postgres.connect()
    blocker.autocommit = False
    blocker.cursor().execute(
        "SELECT id FROM complaints_complaint WHERE id = %s FOR UPDATE", [ids[3]]
    )
    with publishing_to(private_redis.url):
        tasks.sla_sweep_task.apply_async()
    wait_for(
        lambda: _blocked_backends(cur, private_postgres.name, "\nUPDATE complaints_complaint"),
        timeout=60,
        what="the sweep to block inside its batch",
    )
    restarted_at = timezone.now()
    private_postgres.ctl("restart", "-m", "fast")
    for stale in (blocker, conn):
        stale.close()

    conn = private_postgres.connect()
    cur = conn.cursor()
    # The interrupted batch left nothing behind.
    cur.execute("SELECT count(*) FROM complaints_escalation")
    assert cur.fetchone()[0] == 0
    wait_for(
        lambda: "OperationalError" in worker.text() or "InterfaceError" in worker.text(),
        timeout=60,
        what="the sweep to fail on the restart",
    )

    with publishing_to(private_redis.url):
        tasks.sla_sweep_task.apply_async()

    def finished() -> bool:
        cur.execute("SELECT last_success_at FROM complaints_sweeprun WHERE name = 'sla'")
        row = cur.fetchone()
        return bool(row and row[0] and row[0] >= restarted_at)

    wait_for(finished, timeout=90, what="the next sweep to finish the work")
    cur.execute(
        "SELECT complaint_id, array_agg(level ORDER BY level) FROM complaints_escalation "
        "GROUP BY complaint_id"
    )
    assert dict(cur.fetchall()) == {pk: [1, 2, 3, 4] for pk in ids}
    cur.execute(
        "SELECT count(*), count(DISTINCT data->>'escalation') FROM complaints_complaintevent "
        "WHERE type = 'escalated'"
    )
    assert cur.fetchone() == (24, 24)
    cur.execute(
        "SELECT count(*) FROM (SELECT recipient, cause_key FROM complaints_notification "
        "GROUP BY 1, 2 HAVING count(*) > 1) d"
    )
    assert cur.fetchone()[0] == 0
    conn.close()

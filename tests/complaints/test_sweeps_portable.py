"""The beat sweeps on the embedded default database (SQLite, as `make run` uses it): the SLA,
follow-up and outbox sweeps and the digest run (directly and as Celery tasks), twice without
writing anything new, escalate every overdue complaint, deliver their messages, carry out the
follow-ups and record their success so that /health/ is ok. Runs in a subprocess against a
fresh SQLite file, since the test suite itself runs on PostgreSQL."""

from tests.sqlite_harness import run_on_sqlite

SCRIPT = r"""
import datetime as dt
import json

import django

django.setup()
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
mail.outbox = []

from complaints import sweeps, tasks
from focal_points.services.digests import daily_digest_send
from focal_points.tasks import daily_digest_task
from complaints.delivery import escalation_ids, notification_deliver
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Escalation,
    EventType,
    FollowUp,
    Notification,
    SweepRun,
)

out = {"vendor": connection.vendor}
failures = []

call_command("migrate", "--noinput", verbosity=0)
call_command("seed_demo", "--complaints", "60", verbosity=0)


def counts():
    return {
        "escalations": Escalation.objects.count(),
        "events": ComplaintEvent.objects.filter(type=EventType.ESCALATED).count(),
        "messages": Notification.objects.count(),
        "followups": FollowUp.objects.count(),
    }


now = timezone.now()
# The sweep starts from scratch: the demo's own escalations (and their messages) go.
Escalation.objects.all().delete()
Notification.objects.filter(kind="escalation").delete()
Complaint.objects.update(
    escalation_level=0, resolution_escalation_level=0, ceiling_escalation_level=0
)
overdue = set(
    Complaint.objects.filter(
        status__in=sweeps.ESCALATED_STATUSES,
        current_clock__in=sweeps.ESCALATED_CLOCKS,
        current_due_at__lte=now,
    ).values_list("pk", flat=True)
)
out["overdue"] = len(overdue)

# SLA: what the read-only selection predicts is exactly what the sweep writes, once.
pairs = sweeps.sla_due_pairs(now=now)
out["pairs"] = len(pairs)
if len(set(pairs)) != len(pairs):
    failures.append("sla_due_pairs repeats a pair")
first = sweeps.sla_sweep(now=now, batch_size=7)
out["first"] = first.__dict__
written = sorted(Escalation.objects.values_list("complaint_id", "clock", "level"))
if written != sorted(pairs):
    failures.append(f"sweep wrote {written} but the due pairs were {sorted(pairs)}")
if first.escalations != len(written) or first.events != len(written):
    failures.append(f"result {first} does not match {len(written)} rows")
if first.batches < 2:
    failures.append(f"expected several batches, got {first.batches}")
missing = overdue - {pk for pk, _clock, _level in written}
if missing:
    failures.append(f"overdue complaints without an escalation: {sorted(missing)}")
# Track by track (current clock, resolution, ceiling), oldest deadline first, levels ascending.
track = {"verify": 0, "response": 0, "resolution": 1, "hard_ceiling": 2}
order = [
    (track[clock], due, pk, level)
    for clock, due, pk, level in Escalation.objects.order_by("pk").values_list(
        "clock", "due_at", "complaint_id", "level"
    )
]
if order != sorted(order):
    failures.append("escalations not written track by track, oldest first, levels ascending")
for c in Complaint.objects.filter(pk__in={pk for pk, _c, _l in written}):
    for clock_group, field in (
        (("verify", "response"), "escalation_level"),
        (("resolution",), "resolution_escalation_level"),
        (("hard_ceiling",), "ceiling_escalation_level"),
    ):
        top = max((lv for pk, ck, lv in written if pk == c.pk and ck in clock_group), default=0)
        if getattr(c, field) != top:
            failures.append(f"complaint {c.pk} {field} {getattr(c, field)} != {top}")
escalation_messages = Notification.objects.filter(kind="escalation")
out["escalation_messages"] = escalation_messages.count()
if first.notifications != escalation_messages.count():
    failures.append(f"{first.notifications} != {escalation_messages.count()} messages")
after_first = counts()
second = sweeps.sla_sweep(now=now + dt.timedelta(minutes=1))
if (second.escalations, second.events, second.notifications) != (0, 0, 0):
    failures.append(f"second sweep wrote {second}")
try:
    tasks.sla_sweep_task.apply().get()
except Exception as exc:  # noqa: BLE001
    failures.append(f"sla_sweep_task: {exc!r}")
if counts() != after_first:
    failures.append(f"sla sweeps rerun wrote more: {counts()} != {after_first}")
if sweeps.sla_due_pairs(now=now) != []:
    failures.append("due pairs left after the sweep")

# Follow-ups: written once, then carried out once.
ids = sweeps.followups_sweep(now=now)
out["followups"] = len(ids)
if sorted(FollowUp.objects.values_list("pk", flat=True)) != ids:
    failures.append(f"followups_sweep returned {ids}")
if sweeps.followups_sweep(now=now + dt.timedelta(minutes=1)) != []:
    failures.append("second followups_sweep handed rows over again")
try:
    tasks.followups_sweep_task.apply().get()
except Exception as exc:  # noqa: BLE001
    failures.append(f"followups_sweep_task: {exc!r}")
if FollowUp.objects.count() != len(ids):
    failures.append("followups rerun wrote more rows")
done = [sweeps.followup_send(followup_id=pk, now=now) for pk in ids]
if any(f is None for f in done):
    failures.append("a follow-up was not carried out")
if [sweeps.followup_send(followup_id=pk, now=now) for pk in ids] != [None] * len(ids):
    failures.append("a follow-up was carried out twice")
out["followup_states"] = sorted(set(FollowUp.objects.values_list("state", flat=True)))
if FollowUp.objects.exclude(state__in=["sent", "cancelled"]).exists():
    failures.append(f"follow-ups left: {out['followup_states']}")

# Outbox: a row stuck in SENDING past its lease comes back; fresh rows wait min_age; deferred
# rows (escalations outside working hours) wait for their time.
stuck = Notification.objects.filter(state="pending", not_before__isnull=True).order_by("pk")[0]
Notification.objects.filter(pk=stuck.pk).update(
    state="sending", leased_at=now - dt.timedelta(minutes=20)
)
fresh = sweeps.outbox_sweep(now=now)
if stuck.pk not in fresh:
    failures.append(f"stuck row {stuck.pk} not re-queued: {fresh}")
later = timezone.now() + dt.timedelta(minutes=3)
pending = sorted(
    Notification.objects.filter(state="pending", not_before__isnull=True)
    .exclude(pk__in=fresh)
    .values_list("pk", flat=True)
)
queued = sweeps.outbox_sweep(now=later)
if sorted(queued) != pending:
    failures.append(f"outbox queued {queued}, pending were {pending}")
if sweeps.outbox_sweep(now=later + dt.timedelta(seconds=1)) != []:
    failures.append("outbox sweep leased rows twice")
sent = sum(notification_deliver(notification_id=pk, now=later) for pk in fresh + queued)
deferred = Notification.objects.filter(state="pending", not_before__isnull=False)
out["deferred"] = deferred.count()
if deferred.exists():
    waiting = set(deferred.values_list("pk", flat=True))
    first_due = min(deferred.values_list("not_before", flat=True))
    if waiting & set(sweeps.outbox_sweep(now=first_due - dt.timedelta(minutes=1))):
        failures.append("a deferred row was queued before its time")
    at = max(deferred.values_list("not_before", flat=True)) + dt.timedelta(minutes=1)
    woken = sweeps.outbox_sweep(now=at)
    if not waiting <= set(woken):
        failures.append(f"deferred rows not queued at their time: {waiting - set(woken)}")
    sent += sum(notification_deliver(notification_id=pk, now=at) for pk in woken)
try:
    tasks.outbox_sweep_task.apply().get()
except Exception as exc:  # noqa: BLE001
    failures.append(f"outbox_sweep_task: {exc!r}")
out["sent"] = sent
out["mails"] = len(mail.outbox)
left = Notification.objects.exclude(state="sent").values_list("pk", "state", "last_error")
if left:
    failures.append(f"not delivered: {list(left)[:5]}")
notified = [
    pk for n in Notification.objects.filter(kind="escalation") for pk in escalation_ids(n)
]
if Escalation.objects.filter(pk__in=notified, notified_at__isnull=True).exists():
    failures.append("an escalation with messages is not marked notified")

try:
    out["digest"] = len(daily_digest_send(now=now))
    daily_digest_task.apply().get()
except Exception as exc:  # noqa: BLE001
    failures.append(f"digest: {exc!r}")

runs = {r.name: r for r in SweepRun.objects.all()}
for name in (sweeps.SLA_SWEEP, sweeps.FOLLOWUP_SWEEP, sweeps.OUTBOX_SWEEP):
    run = runs.get(name)
    if run is None or run.last_success_at is None or run.last_error:
        failures.append(f"sweep run {name}: {run and (run.last_success_at, run.last_error)}")

response = Client().get(reverse("health"), HTTP_HOST="127.0.0.1")
out["health"] = [response.status_code, json.loads(response.content)]
out["failures"] = failures
print("RESULT:" + json.dumps(out, default=str))
"""


def test_sweeps_work_on_sqlite(tmp_path):
    out = run_on_sqlite(SCRIPT, tmp_path)
    assert out["failures"] == [], out
    assert out["vendor"] == "sqlite"
    # The demo data has overdue complaints, and each got its escalations and messages.
    assert out["overdue"] > 0
    assert out["pairs"] == out["first"]["escalations"] >= out["overdue"]
    assert out["escalation_messages"] > 0
    assert out["followups"] > 0
    assert out["sent"] > 0
    assert out["mails"] >= out["sent"]
    status, body = out["health"]
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["sla_sweep"]["ok"] is True

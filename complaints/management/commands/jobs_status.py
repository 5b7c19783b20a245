"""`manage.py jobs_status`: queue depth, the outbox backlog and when each sweep last ran.

python manage.py jobs_status [--json]
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count, Min, Q
from django.utils import timezone
from kombu.exceptions import ChannelError

from complaints.models import FollowUp, Notification, SweepRun


def queue_depths() -> dict[str, int | None]:
    """Messages waiting in each queue the workers consume (None: broker unreachable)."""
    from config.celery import app

    names = {app.conf.task_default_queue or "celery"}
    names |= {q.name for q in (app.conf.task_queues or [])}
    depths: dict[str, int | None] = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for name in sorted(names):
                try:
                    ok = channel.queue_declare(queue=name, passive=True)
                except ChannelError:
                    # Never declared: nothing was ever published to it.
                    depths[name] = 0
                else:
                    depths[name] = ok.message_count
    except Exception:
        return dict.fromkeys(sorted(names))
    return depths


def jobs_status() -> dict[str, Any]:
    now = timezone.now()
    outbox = Notification.objects.aggregate(
        pending=Count("pk", filter=Q(state=Notification.State.PENDING)),
        due=Count(
            "pk",
            filter=Q(state=Notification.State.PENDING)
            & (Q(not_before__isnull=True) | Q(not_before__lte=now)),
        ),
        sending=Count("pk", filter=Q(state=Notification.State.SENDING)),
        failed=Count("pk", filter=Q(state=Notification.State.FAILED)),
        # Not sent on purpose (an escalation acknowledged while its message was held).
        cancelled=Count("pk", filter=Q(state=Notification.State.CANCELLED)),
        oldest=Min(
            "created_at",
            filter=Q(state=Notification.State.PENDING)
            & (Q(not_before__isnull=True) | Q(not_before__lte=now)),
        ),
    )
    oldest = outbox.pop("oldest")
    outbox["oldest_pending_age_seconds"] = round((now - oldest).total_seconds()) if oldest else None
    follow_ups = FollowUp.objects.aggregate(
        pending=Count("pk", filter=Q(state=FollowUp.State.PENDING)),
        failed=Count("pk", filter=Q(state=FollowUp.State.FAILED)),
    )
    sweeps = {
        run.name: {
            "last_started_at": run.last_started_at.isoformat() if run.last_started_at else None,
            "last_success_at": run.last_success_at.isoformat() if run.last_success_at else None,
            "last_error": run.last_error,
        }
        for run in SweepRun.objects.exclude(name__startswith="bench-").order_by("name")
    }
    return {
        "time": now.isoformat(),
        "queues": queue_depths(),
        "outbox": outbox,
        "follow_ups": follow_ups,
        "sweeps": sweeps,
    }


class Command(BaseCommand):
    help = "Show queue depth, the outbox backlog (age of the oldest pending row) and sweeps."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options) -> None:
        status = jobs_status()
        if options["json"]:
            self.stdout.write(json.dumps(status, indent=2))
            return
        for name, depth in status["queues"].items():
            shown = "unreachable" if depth is None else depth
            self.stdout.write(f"queue {name}: {shown}")
        out = status["outbox"]
        age = out["oldest_pending_age_seconds"]
        self.stdout.write(
            f"outbox: {out['pending']} pending ({out['due']} due), {out['sending']} sending, "
            f"{out['failed']} failed, {out['cancelled']} cancelled; oldest pending: "
            + (f"{age} s" if age is not None else "none")
        )
        fu = status["follow_ups"]
        self.stdout.write(f"follow-ups: {fu['pending']} pending, {fu['failed']} failed")
        for name, run in status["sweeps"].items():
            line = f"sweep {name}: last success {run['last_success_at'] or 'never'}"
            if run["last_error"]:
                line += f" (last error: {run['last_error'][:120]})"
            self.stdout.write(line)

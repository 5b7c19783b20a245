"""Run one full SLA sweep now, in this process: what beat's task does every few minutes,
without waiting for it (after an outage, or when `make run` starts, so the health check and
the boards are current from the first minute). Idempotent: a second run writes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from complaints.jobs.sla import sla_sweep


class Command(BaseCommand):
    help = "Escalate every complaint whose clock reached a ladder step, now."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sla_sweep()
        self.stdout.write(
            f"SLA sweep: {result.examined} complaints examined, {result.escalations} "
            f"escalations, {result.notifications} messages."
        )

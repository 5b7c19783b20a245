"""Read the intake mailbox (ADUAN_INTAKE_IMAP_URL) once, or every --every seconds."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from complaints.jobs.mailbox import mailbox_poll


class Command(BaseCommand):
    help = "Turn unseen messages of the intake mailbox into complaints (or replies on them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="", help="Overrides ADUAN_INTAKE_IMAP_URL.")
        parser.add_argument("--every", type=int, default=0, help="Poll again every N seconds.")
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args, url: str, every: int, limit: int, **options) -> None:
        url = url or settings.ADUAN_INTAKE_IMAP_URL
        if not url:
            raise CommandError("Set ADUAN_INTAKE_IMAP_URL (imaps://user:pass@host/INBOX).")
        while True:
            counts = mailbox_poll(url=url, limit=limit)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing new"
            self.stdout.write(f"intake mailbox: {summary}")
            if not every:
                return
            time.sleep(every)

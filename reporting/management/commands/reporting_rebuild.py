"""manage.py reporting_rebuild: every fact and daily rollup again from the events."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from reporting.facts import facts_rebuild, uses_sql


class Command(BaseCommand):
    help = "Rebuild the reporting facts and daily rollups from the complaints' events."

    def handle(self, *args, **options) -> None:
        if not uses_sql():
            self.stderr.write("The facts need PostgreSQL or SQLite; nothing rebuilt.")
            return
        started = time.monotonic()
        count = facts_rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"{count} facts rebuilt in {elapsed:.1f} s")

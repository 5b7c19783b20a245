"""Rebuild the focal board snapshot and the scorecard rollups now (beat also refreshes them
every few minutes); `make run` calls it after loading the demo data."""

from typing import Any

from django.core.management.base import BaseCommand

from focal_points.services.rollups import board_snapshot_refresh, scorecard_facts_refresh


class Command(BaseCommand):
    help = "Refresh the focal board snapshot and the scorecard rollups."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full", action="store_true", help="recompute every complaint")

    def handle(self, *args: Any, full: bool = False, **options: Any) -> None:
        facts = scorecard_facts_refresh(full=full)
        cells = board_snapshot_refresh()
        self.stdout.write(f"Scorecard facts refreshed: {facts}; board cells: {cells}.")

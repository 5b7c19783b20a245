"""Recount the focal board snapshot now (beat refreshes it every minute); `make run` calls it
after loading the demo data."""

from typing import Any

from django.core.management.base import BaseCommand

from focal_points.services.rollups import board_snapshot_refresh


class Command(BaseCommand):
    help = "Refresh the focal board snapshot."

    def handle(self, *args: Any, **options: Any) -> None:
        cells = board_snapshot_refresh()
        self.stdout.write(f"Board cells: {cells}.")

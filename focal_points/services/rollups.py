"""The focal board's snapshot: the open complaints of every agency and unit by clock state,
recounted by beat every minute. The scorecard reads reporting's facts (focal_points.scorecards).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, SweepRun

BOARD_REFRESH_SWEEP = "focal_points.board_refresh"


def board_snapshot_refresh(*, now: dt.datetime | None = None) -> int:
    """Recount the open complaints of every agency and unit by clock state (one GROUP BY in
    the database) and replace the board snapshot with it, atomically."""
    from focal_points.models import BoardSnapshot
    from focal_points.selectors import board_state_counts

    now = now or timezone.now()
    counts = board_state_counts(
        Complaint.objects.filter(agency__isnull=False), ("agency_id", "unit_id"), now=now
    )
    with transaction.atomic():
        BoardSnapshot.objects.all().delete()
        BoardSnapshot.objects.bulk_create(
            [
                BoardSnapshot(
                    agency_id=item["agency_id"],
                    unit_id=item["unit_id"],
                    on_track=item["on_track"],
                    due_soon=item["due_soon"],
                    overdue=item["overdue"],
                    escalated=item["escalated"],
                    past_due=item["past_due"],
                    computed_at=now,
                )
                for item in counts
            ]
        )
        SweepRun.objects.update_or_create(
            name=BOARD_REFRESH_SWEEP,
            defaults={"last_started_at": now, "last_success_at": now, "last_error": ""},
        )
    return len(counts)

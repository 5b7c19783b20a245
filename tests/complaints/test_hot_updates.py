"""The SLA sweep raises ladder levels on tens of thousands of complaints at once: those raises
must be HOT updates (no index entry written), which PostgreSQL allows only when no index reads
a changed column. Indexes read `is_escalated` (computed by the database), never the levels."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from complaints.models import ESCALATED_LEVEL, Complaint
from tests import factories as f

pytestmark = pytest.mark.django_db

LEVEL_COLUMNS = ("escalation_level", "resolution_escalation_level", "ceiling_escalation_level")


def test_no_index_reads_a_ladder_level():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'complaints_complaint'"
        )
        indexes = cursor.fetchall()
    assert any("is_escalated" in d for _n, d in indexes)
    for name, definition in indexes:
        for column in LEVEL_COLUMNS:
            assert not re.search(rf"\b{column}\b", definition), (name, definition)


def _updates(cursor) -> tuple[int, int]:
    cursor.execute(
        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
        " WHERE relname = 'complaints_complaint'"
    )
    return cursor.fetchone()


def _raise(pk: int, column: str, level: int) -> tuple[int, int]:
    """(updates, HOT updates) of one raise, from this transaction's table statistics."""
    with connection.cursor() as cursor:
        before = _updates(cursor)
        cursor.execute(
            f"UPDATE complaints_complaint SET {column} = %s WHERE id = %s",  # noqa: S608
            [level, pk],
        )
        after = _updates(cursor)
    return after[0] - before[0], after[1] - before[1]


def test_raises_are_hot_except_the_one_crossing_the_escalated_level():
    c = f.complaint(f.AgencyFactory())
    assert _raise(c.pk, "escalation_level", 1) == (1, 1)
    assert _raise(c.pk, "escalation_level", ESCALATED_LEVEL - 1) == (1, 1)
    # Crossing into "escalated" changes what the queue, home and board indexes hold.
    assert _raise(c.pk, "escalation_level", ESCALATED_LEVEL) == (1, 0)
    assert _raise(c.pk, "escalation_level", ESCALATED_LEVEL + 1) == (1, 1)
    assert _raise(c.pk, "resolution_escalation_level", 2) == (1, 1)
    assert _raise(c.pk, "ceiling_escalation_level", 1) == (1, 1)


def test_is_escalated_follows_the_level():
    c = f.complaint(f.AgencyFactory())
    assert Complaint.objects.get(pk=c.pk).is_escalated is False
    Complaint.objects.filter(pk=c.pk).update(escalation_level=ESCALATED_LEVEL)
    assert Complaint.objects.get(pk=c.pk).is_escalated is True
    Complaint.objects.filter(pk=c.pk).update(escalation_level=0)  # a clock restart
    assert Complaint.objects.get(pk=c.pk).is_escalated is False

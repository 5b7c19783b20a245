"""The SLA sweep raises ladder levels on tens of thousands of complaints at once: those raises
must be HOT updates (no index entry written), which PostgreSQL allows only when no index reads
a changed column (and the page has room, which fillfactor 85 keeps: whether a given update is
HOT depends on the page, so the benchmark shows the effect). Indexes read `is_escalated`
(computed by the database), never the levels."""

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


def test_is_escalated_follows_the_level():
    c = f.complaint(f.AgencyFactory())
    assert Complaint.objects.get(pk=c.pk).is_escalated is False
    Complaint.objects.filter(pk=c.pk).update(escalation_level=ESCALATED_LEVEL)
    assert Complaint.objects.get(pk=c.pk).is_escalated is True
    Complaint.objects.filter(pk=c.pk).update(escalation_level=0)  # a clock restart
    assert Complaint.objects.get(pk=c.pk).is_escalated is False
    # The resolution clock and the hard ceiling escalate too.
    for column in ("resolution_escalation_level", "ceiling_escalation_level"):
        Complaint.objects.filter(pk=c.pk).update(**{column: ESCALATED_LEVEL})
        fresh = Complaint.objects.get(pk=c.pk)
        assert fresh.is_escalated is fresh.reached_escalated_level is True
        Complaint.objects.filter(pk=c.pk).update(**{column: ESCALATED_LEVEL - 1})
        fresh = Complaint.objects.get(pk=c.pk)
        assert fresh.is_escalated is fresh.reached_escalated_level is False

"""The focal-point resources of the REST API: escalations awaiting the caller (list,
acknowledge), nudges, corrective actions (issue, progress, close)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Clock
from complaints.services import complaint_escalate
from focal_points.models import CorrectiveAction, Nudge
from tests import factories as f
from tests.complaints.api.helpers import token_client
from tests.complaints.staff_world import routed_complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.fixture
def world(staff_world):
    return staff_world


def test_a_focal_point_lists_and_acknowledges_an_escalation(world):
    c = f.complaint(world.agency)
    now = timezone.now()
    step = complaint_escalate(
        complaint_id=c.pk,
        clock=Clock.VERIFY,
        cycle=c.clock_cycle,
        level=3,
        due_at=now - dt.timedelta(days=3),
        now=now,
    )
    client = token_client(world.focal)
    rows = client.get("/api/v1/escalations/").json()
    assert [r["id"] for r in rows] == [step.pk]
    assert rows[0]["complaint"] == c.display_tracking_number
    r = client.post(f"/api/v1/escalations/{step.pk}/acknowledge/", format="json")
    assert r.status_code == 200, r.content
    assert client.get("/api/v1/escalations/").json() == []
    # another agency's focal point sees nothing
    other_focal = f.staff(world.other, "focal_point")
    assert token_client(other_focal).get("/api/v1/escalations/").json() == []


def test_a_focal_point_nudges_a_unit(world):
    c = routed_complaint(world)
    r = token_client(world.focal).post(
        f"/api/v1/complaints/{c.tracking_number}/nudge/",
        {"message": "Mohon segera."},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert Nudge.objects.filter(complaint=c).count() == 1
    assert c.events.filter(type="nudged", is_public=False).exists()
    other = f.complaint(world.other)
    r = token_client(world.focal).post(
        f"/api/v1/complaints/{other.tracking_number}/nudge/", {"message": "x"}, format="json"
    )
    assert r.status_code == 404


def test_a_corrective_action_is_issued_reported_on_and_closed(world):
    focal = token_client(world.focal)
    r = focal.post(
        "/api/v1/corrective-actions/",
        {"title": "SOP penarikan", "required_change": "Tetapkan SOP.", "agency": world.agency.pk},
        format="json",
    )
    assert r.status_code == 201, r.content
    action_id = r.json()["id"]
    verifier = token_client(world.verifier)
    assert [a["id"] for a in verifier.get("/api/v1/corrective-actions/").json()] == [action_id]
    r = verifier.post(
        f"/api/v1/corrective-actions/{action_id}/progress/",
        {"body": "SOP disusun."},
        format="json",
    )
    assert r.status_code == 200, r.content
    r = focal.post(
        f"/api/v1/corrective-actions/{action_id}/close/",
        {"accepted": True, "reason": "SOP sudah berlaku."},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert CorrectiveAction.objects.get().state not in CorrectiveAction.OPEN_STATES
    # another agency cannot read it
    r = token_client(world.other_verifier).post(
        f"/api/v1/corrective-actions/{action_id}/progress/", {"body": "x"}, format="json"
    )
    assert r.status_code == 404


def test_bad_corrective_action_filters_are_a_400(world):
    r = token_client(world.focal).get("/api/v1/corrective-actions/", {"state": "weird"})
    assert r.status_code == 400
    assert r["Content-Type"] == "application/problem+json"


def test_the_board_and_scorecard_figures_are_the_focal_pages_figures(world):
    routed_complaint(world)
    f.complaint(world.agency)
    client = token_client(world.focal)
    board = client.get("/api/v1/board/").json()
    assert sum(row["total"] for row in board) == 2
    card = client.get("/api/v1/scorecard/", {"period": "this_month"})
    assert card.status_code == 200, card.content
    names = [row["name"] for row in card.json() if not row["is_total"]]
    assert world.unit.name in names or world.agency.name in names, card.json()
    assert client.get("/api/v1/scorecard/", {"period": "forever"}).status_code == 400
    # an officer oversees nothing: empty, not an error
    assert token_client(world.officer).get("/api/v1/board/").json() == []

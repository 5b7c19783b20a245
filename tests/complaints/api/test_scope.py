"""The scope matrix: every complaint endpoint, by role, by a complaint of the caller's own unit, of
a sibling unit, of another agency. Outside the caller's scope is a 404 (never a 403 that
would reveal that the complaint exists), for reads and for every action."""

from __future__ import annotations

import pytest

from complaints.api.casework import ACTIONS
from tests.complaints.api.helpers import token_client
from tests.complaints.staff_world import routed_complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

# role -> which of (own unit, sibling unit, other agency) it may read
READS = {
    "verifier": (True, True, False),
    "approver": (True, True, False),
    "focal": (True, True, False),
    "officer": (True, False, False),
    "other_verifier": (False, False, True),
    "other_officer": (False, False, True),
}
ENDPOINTS = ["", "events/", *(f"{name}/" for name in ACTIONS)]


@pytest.fixture
def places_other(world):
    from complaints import services
    from tests import factories as f

    own = routed_complaint(world, unit=world.unit)
    sibling = routed_complaint(world, unit=world.unit2)
    other = f.complaint(world.other)
    services.complaint_verify(complaint_id=other.pk, actor=world.other_verifier)
    services.complaint_route(
        complaint_id=other.pk, actor=world.other_verifier, unit=world.other_unit
    )
    return own, sibling, other


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_answers_404_outside_the_callers_scope(world, places_other, endpoint):
    for role, readable in READS.items():
        client = token_client(getattr(world, role))
        for c, may_read in zip(places_other, readable, strict=True):
            url = f"/api/v1/complaints/{c.tracking_number}/{endpoint}"
            if endpoint in ("", "events/"):
                status = client.get(url).status_code
                assert status == (200 if may_read else 404), (role, endpoint, c.agency_id, status)
            else:
                status = client.post(url, {}, format="json").status_code
                if may_read:
                    assert status != 404, (role, endpoint, status)
                else:
                    assert status == 404, (role, endpoint, c.agency_id, status)


def test_the_list_holds_exactly_each_roles_scope(world, places_other):
    for role, readable in READS.items():
        body = token_client(getattr(world, role)).get("/api/v1/complaints/").json()
        listed = {row["tracking_number"] for row in body["results"]}
        expected = {
            c.display_tracking_number
            for c, may_read in zip(places_other, readable, strict=True)
            if may_read
        }
        assert listed == expected, role

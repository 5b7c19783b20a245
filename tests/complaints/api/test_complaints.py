"""The complaint list (the staff queue's filters, cursor pages, constant queries), one
complaint (clocks, deadlines, escalation, actions on offer, ETag) and filing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Channel, Complaint, EventType, Status
from tests import factories as f
from tests.complaints.api.helpers import token_client
from tests.complaints.staff_world import routed_complaint, verified_complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

LIST = "/api/v1/complaints/"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()["results"]]


def test_the_list_holds_the_callers_scope_only(world):
    own = f.complaint(world.agency)
    other = f.complaint(world.other)
    listed = numbers(token_client(world.verifier).get(LIST))
    assert own.display_tracking_number in listed
    assert other.display_tracking_number not in listed


def test_the_list_filters_like_the_staff_queue(world):
    routed = routed_complaint(world, assignee=world.officer)
    waiting = f.complaint(world.agency)
    client = token_client(world.verifier)
    assert numbers(client.get(LIST, {"status": "submitted"})) == [waiting.display_tracking_number]
    assert numbers(client.get(LIST, {"status": "assigned"})) == [routed.display_tracking_number]
    assert numbers(client.get(LIST, {"unit": world.unit.pk})) == [routed.display_tracking_number]
    assert numbers(client.get(LIST, {"assignee": "none"})) == [waiting.display_tracking_number]
    assert numbers(client.get(LIST, {"assignee": world.officer.pk})) == [
        routed.display_tracking_number
    ]
    assert numbers(client.get(LIST, {"q": routed.tracking_number})) == [
        routed.display_tracking_number
    ]
    assert numbers(client.get(LIST, {"channel": "walk_in"})) == []


def test_bad_filters_answer_400_problem_json_naming_the_field(world):
    client = token_client(world.verifier)
    cases = {
        "status": {"status": "nope"},
        "unit": {"unit": world.other_unit.pk},  # outside the scope: not a choice
        "assignee": {"assignee": "somebody"},
        "page_size": {"page_size": 10**9},
        "ordering": {"ordering": "title"},
        "cursor": {"cursor": "%%%"},
        "colour": {"colour": "red"},
        "date_from": {"date_from": "yesterday"},
    }
    for field, params in cases.items():
        response = client.get(LIST, params)
        assert response.status_code == 400, (field, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert field in {e["field"] for e in response.json()["errors"]}, field


def test_cursor_pages_walk_the_whole_list_once(world):
    made = [f.complaint(world.agency).display_tracking_number for _ in range(5)]
    client = token_client(world.verifier)
    for ordering in ("due", "-due", "created", "-created", "status", "-status"):
        seen: list[str] = []
        url = f"{LIST}?page_size=2&ordering={ordering}&status=submitted&status=closed"
        while url:
            body = client.get(url).json()
            seen += [row["tracking_number"] for row in body["results"]]
            url = body["next"]
        assert sorted(seen) == sorted(made), ordering


def _count_list_queries(client, size: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"page_size": size})
    assert len(response.json()["results"]) == size
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_one_row_and_for_many(world, django_assert_num_queries):
    client = token_client(world.verifier)
    for _ in range(6):
        routed_complaint(world, assignee=world.officer)
    # Warm: the token's last use is written once a minute, the calendar is cached.
    client.get(LIST)
    # 1 token, 2 memberships (scope), 3 the page (joined agency, unit, category, assignee).
    with django_assert_num_queries(3):
        client.get(LIST, {"page_size": 1})
    with django_assert_num_queries(3):
        client.get(LIST, {"page_size": 6})


def test_one_complaint_carries_its_clocks_deadline_actions_and_etag(world):
    c = verified_complaint(world, category=world.category)
    response = token_client(world.verifier).get(f"{LIST}{c.tracking_number}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Status.VERIFIED
    assert body["deadline"]["state"] in ("on_track", "due_soon", "overdue")
    assert {row["key"] for row in body["clocks"]} >= {"verify", "response"}
    assert "route" in body["actions"]
    assert "verify" not in body["actions"]
    assert response["ETag"] == f'"{c.tracking_number}.{c.version}"'
    # The dashed form names it too; a conditional read of an unchanged complaint is a 304.
    again = token_client(world.verifier).get(
        f"{LIST}{c.display_tracking_number}/", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_another_agencys_complaint_is_a_404_not_a_403(world):
    c = f.complaint(world.other)
    response = token_client(world.verifier).get(f"{LIST}{c.tracking_number}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_anonymous_identity_is_masked_for_agency_roles(world):
    c = f.complaint(world.agency, is_anonymous=True)
    agency_view = token_client(world.verifier).get(f"{LIST}{c.tracking_number}/").json()
    admin_view = token_client(world.admin).get(f"{LIST}{c.tracking_number}/").json()
    assert agency_view["reporter_name"] == ""
    assert agency_view["reporter_email"] == ""
    assert admin_view["reporter_name"] == "Budi Santoso"


def test_anonymous_identity_is_masked_in_the_list_for_agency_roles(world):
    """The list reads plain rows, not models: the masking must hold there too."""
    f.complaint(world.agency, is_anonymous=True, title="Anonim di daftar")
    f.complaint(world.agency, title="Bernama di daftar")
    agency_rows = token_client(world.verifier).get(LIST).json()["results"]
    admin_rows = token_client(world.admin).get(LIST).json()["results"]
    by_title = {r["title"]: r for r in agency_rows}
    assert by_title["Anonim di daftar"]["reporter_name"] == ""
    assert by_title["Bernama di daftar"]["reporter_name"] == "Budi Santoso"
    admin_by_title = {r["title"]: r for r in admin_rows}
    assert admin_by_title["Anonim di daftar"]["reporter_name"] == "Budi Santoso"


def test_staff_file_a_call_centre_complaint_through_the_filing_service(world):
    response = token_client(world.verifier).post(
        LIST,
        {
            "kind": "complaint",
            "title": "Obat palsu di toko online",
            "body": "Toko menjual obat tanpa izin edar.",
            "channel": "call_centre",
            "agency": world.agency.pk,
            "category": world.category.pk,
            "reporter_name": "Siti",
            "reporter_phone": "0812",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    c = Complaint.objects.get(tracking_number=body["tracking_number"].replace("-", ""))
    assert c.channel == Channel.CALL_CENTRE
    assert c.reporter is None  # entered for the reporter, not by them
    assert len(body["access_code"]) >= 8
    assert body["complaint"]["status"] == Status.SUBMITTED
    assert c.events.get().type == EventType.SUBMITTED
    assert response["Location"].endswith(f"/api/v1/complaints/{c.tracking_number}/")


def test_filing_for_another_agency_at_the_desk_is_refused(world):
    response = token_client(world.verifier).post(
        LIST,
        {
            "kind": "complaint",
            "title": "T",
            "body": "B",
            "channel": "walk_in",
            "agency": world.other.pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_an_app_files_for_its_user_without_becoming_the_reporter(world):
    app = f.UserFactory(is_machine=True)
    response = token_client(app).post(
        LIST,
        {
            "kind": "suggestion",
            "title": "Jam layanan",
            "body": "Mohon buka Sabtu.",
            "channel": "app",
            "agency": world.agency.pk,
            "reporter_email": "warga@example.com",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    c = Complaint.objects.get()
    assert c.reporter is None
    assert c.reporter_email == "warga@example.com"
    # The app holds no role: it gets the number and code, not the case.
    assert response.json()["complaint"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "rant"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "x" * 1000}, "title"),
        ({"channel": "web"}, "channel"),
        ({"agency": -1}, "agency"),
        ({"agency": 10**12}, "agency"),
        ({"agency": "one"}, "agency"),
        ({"latitude": 1000}, "latitude"),
        ({"incident_date": "2099-13-40"}, "incident_date"),
        ({"category": 999999}, "category"),
    ],
)
def test_bad_filings_say_what_to_fix_and_write_nothing(world, payload, field):
    good = {
        "kind": "complaint",
        "title": "T",
        "body": "B",
        "channel": "call_centre",
        "agency": world.agency.pk,
    }
    response = token_client(world.verifier).post(LIST, good | payload, format="json")
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Complaint.objects.exists()

"""The API's other lists cost the same queries for one row and for many."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.tokens import api_token_authenticate
from complaints import services
from tests import factories as f
from tests.complaints.api.helpers import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.mark.parametrize("notes", [1, 8])
def test_the_timeline_costs_the_same_for_one_entry_and_many(
    world, django_assert_num_queries, notes
):
    c = f.complaint(world.agency)
    for i in range(notes):
        services.complaint_note(complaint_id=c.pk, actor=world.verifier, body=f"Catatan {i}")
    client = token_client(world.verifier)
    url = f"/api/v1/complaints/{c.tracking_number}/events/"
    client.get(url)
    # 1 token, 2 complaint id by number, 3 memberships, 4 the scoped complaint, 5 the events
    # with their actors
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 6])
def test_one_complaint_costs_the_same_with_one_or_many_answers_notes_and_files(
    world, django_assert_num_queries, n
):
    from tests.complaints.public_support import png_bytes, upload
    from tests.complaints.staff_world import routed_complaint

    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    for i in range(n):
        services.complaint_note(complaint_id=c.pk, actor=world.officer, body=f"Catatan {i}")
    services.response_draft(
        complaint_id=c.pk,
        actor=world.officer,
        body="Sudah diperiksa.",
        attachments=[upload(f"foto{i}.png", png_bytes()) for i in range(n)],
    )
    client = token_client(world.verifier)
    url = f"/api/v1/complaints/{c.tracking_number}/"
    client.get(url)
    # the same count whatever the number of notes, answers' files and attachments
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("units", [1, 8])
def test_the_agency_tree_is_one_query(world, django_assert_num_queries, units):
    for i in range(units):
        f.UnitFactory(parent=world.agency, name=f"Unit {i}")
    client = token_client(world.verifier)
    client.get("/api/v1/agencies/")
    # 1 token, 2 the agencies
    with django_assert_num_queries(2):
        assert client.get("/api/v1/agencies/").status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_corrective_actions_list_costs_the_same(world, django_assert_num_queries, rows):
    from focal_points.services import corrective_action_issue

    for i in range(rows):
        corrective_action_issue(
            actor=world.focal, title=f"SOP {i}", required_change="x", agency=world.agency
        )
    client = token_client(world.verifier)
    client.get("/api/v1/corrective-actions/")
    # 1 token, 2 memberships, 3 the actions with agency, issuer and complaint
    with django_assert_num_queries(3):
        assert client.get("/api/v1/corrective-actions/").status_code == 200


def test_the_command_prints_a_machine_accounts_token_once(capsys):
    call_command("api_token", "sistem@bpom.example", "SIMPEL", "--machine", "--days", "30")
    plain = capsys.readouterr().out.strip()
    token = api_token_authenticate(plain)
    assert token.user.is_machine
    assert not token.user.has_usable_password()


@pytest.mark.parametrize("policies", [1, 5])
def test_the_sla_policies_are_one_query(world, django_assert_num_queries, policies):
    for i in range(policies):
        agency = f.AgencyFactory(name=f"Instansi {i}")
        f.SlaPolicyFactory(name=f"Kebijakan {i}", agency=agency, verify_days=2 + i)
    client = token_client(world.verifier)
    rows = client.get("/api/v1/sla-policies/").json()
    assert {r["verify_days"] for r in rows} >= {2, 1 + policies}
    # 1 token, 2 the policies
    with django_assert_num_queries(2):
        assert client.get("/api/v1/sla-policies/").status_code == 200


def test_the_calendar_lists_the_years_days_off(world):
    rows = token_client(world.verifier).get("/api/v1/calendar/2026/").json()
    assert "2026-08-17" in {r["date"] for r in rows}  # Hari Kemerdekaan
    assert token_client(world.verifier).get("/api/v1/calendar/1900/").status_code == 404

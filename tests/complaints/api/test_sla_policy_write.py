"""The national admin writes the SLA policies over the API; nobody else may. A change governs
the clocks started after it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import SlaPolicy
from complaints.policy import sla_policy_for
from tests import factories as f
from tests.complaints.api.helpers import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache", "fresh_calendar")]

URL = "/api/v1/sla-policies/"
WIB = ZoneInfo("Asia/Jakarta")


def detail(policy_id: int) -> str:
    return f"{URL}{policy_id}/"


def eod(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=WIB)


@pytest.fixture
def national(world) -> SlaPolicy:
    return f.SlaPolicyFactory(name="Kebijakan nasional")


def errors_by_field(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_the_admin_creates_an_agency_override_and_the_list_shows_it(world, national):
    client = token_client(world.admin)
    # when
    r = client.post(
        URL, {"name": "BPO: verifikasi", "agency": world.agency.pk, "verify_days": 7}, format="json"
    )
    # then
    assert r.status_code == 201, r.content
    created = r.json()
    assert (created["agency"], created["category"], created["verify_days"]) == (
        world.agency.pk,
        None,
        7,
    )
    # the counts not sent are the ones that governed the agency until now
    assert created["first_response_days"] == national.first_response_days
    assert r["Location"].endswith(detail(created["id"]))
    listed = {p["id"]: p for p in client.get(URL).json()}
    assert listed[created["id"]] == created
    assert listed[national.pk]["verify_days"] == 3
    assert sla_policy_for(agency=world.unit).pk == created["id"]


def test_a_category_override_takes_the_categorys_agency(world, national):
    r = token_client(world.admin).post(
        URL,
        {"name": "Obat", "category": world.category.pk, "tier_standard_days": 10},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["agency"], r.json()["category"]) == (world.agency.pk, world.category.pk)
    policy = sla_policy_for(agency=world.unit, category=world.category)
    assert (policy.pk, policy.tier_standard_days) == (r.json()["id"], 10)


def test_a_patched_count_governs_the_clocks_started_afterwards(world, national):
    client = token_client(world.admin)
    override = client.post(URL, {"name": "BPO", "agency": world.agency.pk}, format="json").json()
    with time_machine.travel(dt.datetime(2026, 8, 3, 10, tzinfo=WIB), tick=False):  # Monday
        before = f.complaint(world.agency)
        # when
        r = client.patch(detail(override["id"]), {"verify_days": 7}, format="json")
        after = f.complaint(world.agency)
        elsewhere = f.complaint(world.other)
    # then
    assert r.status_code == 200, r.content
    assert r.json()["verify_days"] == 7
    assert r.json()["name"] == "BPO"
    assert SlaPolicy.objects.get(pk=override["id"]).verify_days == 7
    assert after.verify_due_at == eod(2026, 8, 12)  # 7 working days from Monday
    assert before.verify_due_at == eod(2026, 8, 6)  # stored when filed: not recomputed
    before.refresh_from_db()
    assert before.verify_due_at == eod(2026, 8, 6)
    assert elsewhere.verify_due_at == eod(2026, 8, 6)  # the national default's 3


def test_the_admin_patches_the_national_default(world, national):
    client = token_client(world.admin)
    r = client.patch(
        detail(national.pk),
        {"name": "Nasional 2027", "hard_ceiling_calendar_days": 90},
        format="json",
    )
    assert r.status_code == 200, r.content
    national.refresh_from_db()
    assert (national.name, national.hard_ceiling_calendar_days) == ("Nasional 2027", 90)


@pytest.mark.parametrize("role", ["verifier", "approver", "focal"])
def test_other_roles_may_not_write_and_nothing_is_written(world, national, role):
    override = f.SlaPolicyFactory(name="BPO", agency=world.agency, verify_days=4)
    client = token_client(getattr(world, role))
    answers = [
        client.post(URL, {"name": "DUKCAPIL", "agency": world.other.pk}, format="json"),
        client.patch(detail(override.pk), {"verify_days": 9}, format="json"),
        client.delete(detail(override.pk)),
    ]
    for r in answers:
        assert r.status_code == 403, r.content
        assert r.json()["code"] == "not_allowed"
        assert r["Content-Type"].startswith("application/problem+json")
    override.refresh_from_db()
    assert (override.verify_days, override.is_active) == (4, True)
    assert SlaPolicy.objects.count() == 2


def test_a_second_active_policy_for_one_scope_is_refused(world, national):
    client = token_client(world.admin)
    first = client.post(URL, {"name": "BPO", "agency": world.agency.pk}, format="json")
    assert first.status_code == 201
    r = client.post(URL, {"name": "BPO lagi", "agency": world.agency.pk}, format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "sla_policy_exists"
    assert str(first.json()["id"]) in r.json()["detail"]
    # a second national default, and a category's second policy under one of its units
    assert client.post(URL, {"name": "Nasional 2"}, format="json").status_code == 409
    cat = {"name": "Obat", "category": world.category.pk}
    assert client.post(URL, cat, format="json").status_code == 201
    cat_in_unit = cat | {"agency": world.unit.pk}
    assert client.post(URL, cat_in_unit, format="json").status_code == 409
    assert SlaPolicy.objects.filter(is_active=True).count() == 3
    # once deactivated, the scope may have a new one
    assert client.delete(detail(first.json()["id"])).status_code == 204
    assert (
        client.post(URL, {"name": "BPO 2", "agency": world.agency.pk}, format="json").status_code
        == 201
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"verify_days": 0}, "verify_days", "Between 1 and 365 working days."),
        ({"tier_field_days": 366}, "tier_field_days", "Between 1 and 365 working days."),
        (
            {"hard_ceiling_calendar_days": 400},
            "hard_ceiling_calendar_days",
            "Between 1 and 365 calendar days.",
        ),
        (
            {"due_soon_days": 5},
            "due_soon_days",
            "The due-soon days must be fewer than the first response days.",
        ),
        (
            {"first_response_days": 1},
            "first_response_days",
            "The due-soon days must be fewer than the first response days.",
        ),
        (
            {"reporter_info_reminder_days": 10},
            "reporter_info_reminder_days",
            "The information reminder must come before the reporter's information days end.",
        ),
        ({"name": "  "}, "name", "Give the policy a name."),
        (
            {"agency": 99_999_999},
            "agency",
            "A policy's scope does not change: deactivate it and create another.",
        ),
        ({"escalation_ladder": []}, "escalation_ladder", "The API does not write this field."),
    ],
)
def test_out_of_bounds_counts_are_refused_with_field_errors(world, national, body, field, message):
    override = f.SlaPolicyFactory(name="BPO", agency=world.agency)
    r = token_client(world.admin).patch(detail(override.pk), body, format="json")
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    assert errors_by_field(r) == {field: message}
    assert SlaPolicy.objects.get(pk=override.pk).updated_at == override.updated_at


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "verify_days": 366}, "verify_days"),
        ({"name": "X", "agency": 99_999_999}, "agency"),
        ({"name": "X", "category": 99_999_999}, "category"),
        ({"name": "X", "escalation_ladder": []}, "escalation_ladder"),
        ({"verify_days": 2}, "name"),
    ],
)
def test_a_bad_new_policy_is_refused_with_field_errors(world, national, body, field):
    r = token_client(world.admin).post(URL, body, format="json")
    assert r.status_code == 400, r.content
    assert field in errors_by_field(r)
    assert SlaPolicy.objects.count() == 1


def test_a_category_of_another_agency_is_refused(world, national):
    r = token_client(world.admin).post(
        URL,
        {"name": "X", "agency": world.unit.pk, "category": world.other_category.pk},
        format="json",
    )
    assert r.status_code == 400
    assert list(errors_by_field(r)) == ["category"]
    # the category of the unit's parent agency is the unit's too
    ok = token_client(world.admin).post(
        URL, {"name": "X", "agency": world.unit.pk, "category": world.category.pk}, format="json"
    )
    assert ok.status_code == 201, ok.content


def test_the_national_default_is_never_deactivated(world, national):
    r = token_client(world.admin).delete(detail(national.pk))
    assert r.status_code == 400
    assert "national default" in r.json()["detail"]
    national.refresh_from_db()
    assert national.is_active


def test_deactivating_an_override_falls_back_on_the_default(world, national):
    override = f.SlaPolicyFactory(name="BPO", agency=world.agency, verify_days=7)
    client = token_client(world.admin)
    r = client.delete(detail(override.pk))
    assert r.status_code == 204
    assert client.delete(detail(override.pk)).status_code == 204  # twice: no error
    override.refresh_from_db()
    assert not override.is_active
    assert sla_policy_for(agency=world.agency).pk == national.pk
    assert override.pk not in {p["id"] for p in client.get(URL).json()}
    # an inactive policy is not edited back into use
    assert client.patch(detail(override.pk), {"verify_days": 2}, format="json").status_code == 400


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_an_unknown_policy_is_a_404_problem(world, national, method):
    client = token_client(world.admin)
    for policy_id in (national.pk + 1000, 2**63):
        r = getattr(client, method)(detail(policy_id), {"verify_days": 2}, format="json")
        assert r.status_code == 404, r.content
        assert r["Content-Type"].startswith("application/problem+json")
        assert r.json()["detail"] == "SLA policy not found."


def test_a_retry_with_the_idempotency_key_writes_once(world, national):
    client = token_client(world.admin)
    body = {"name": "BPO", "agency": world.agency.pk, "verify_days": 4}
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="sla-bpo-1")
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="sla-bpo-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert SlaPolicy.objects.filter(agency=world.agency).count() == 1


def test_errors_are_in_the_callers_language(world, national):
    r = token_client(world.verifier, language="id").delete(detail(national.pk))
    assert r.status_code == 403
    assert r.json()["detail"] == "Hanya admin nasional yang mengatur kebijakan SLA."

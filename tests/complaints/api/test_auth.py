"""API tokens (hashed, named, expiring, revocable, last use), machine accounts, session auth
with CSRF, throttles with Retry-After, problem+json errors by Accept-Language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import api_token_authenticate, api_token_create, api_token_revoke, token_digest
from common.exceptions import ApplicationError, NotFound
from tests import factories as f
from tests.complaints.api.helpers import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

LIST = "/api/v1/complaints/"


def test_a_token_is_stored_as_a_digest_and_shown_once(world):
    token, plain = api_token_create(user=world.verifier, name="Sistem BPO")
    row = ApiToken.objects.get(pk=token.pk)
    assert plain.startswith("adn_")
    assert plain not in (row.digest, row.prefix, row.name)
    assert row.digest == token_digest(plain)
    assert plain.startswith(row.prefix)
    assert row.expires_at - row.created_at == dt.timedelta(days=90)


def test_a_token_authenticates_and_records_its_last_use(world):
    token, plain = api_token_create(user=world.verifier, name="t")
    assert token.last_used_at is None
    client = APIClient()
    response = client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_or_revoked_token_is_refused_with_problem_json(world):
    expired, plain_expired = api_token_create(user=world.verifier, name="old", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    revoked, plain_revoked = api_token_create(user=world.verifier, name="gone")
    api_token_revoke(token_id=revoked.pk, actor=world.verifier)
    for plain in (plain_expired, plain_revoked, "adn_nonsense", "not-even-ours"):
        response = APIClient().get(LIST, HTTP_AUTHORIZATION=f"Bearer {plain}")
        assert response.status_code == 401, plain
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401


def test_only_the_owner_or_a_national_admin_revokes_a_token(world):
    token, _plain = api_token_create(user=world.verifier, name="t")
    with pytest.raises(NotFound):
        api_token_revoke(token_id=token.pk, actor=world.officer)
    api_token_revoke(token_id=token.pk, actor=world.admin)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_needs_a_name_and_a_sane_lifetime(world):
    with pytest.raises(ApplicationError):
        api_token_create(user=world.verifier, name="  ")
    with pytest.raises(ApplicationError):
        api_token_create(user=world.verifier, name="x", days=1000)


def test_an_inactive_users_token_stops_working(world):
    _token, plain = api_token_create(user=world.officer, name="t")
    world.officer.is_active = False
    world.officer.save()
    assert api_token_authenticate(plain) is None


def test_a_machine_account_holds_a_role_like_an_officer(world):
    machine = f.staff(world.unit, "officer", is_machine=True, email="sistem@bpo.example")
    c = f.complaint(world.agency, category=world.category)
    from tests.complaints.staff_world import routed_complaint

    routed = routed_complaint(world)
    response = token_client(machine).get(LIST)
    numbers = {row["tracking_number"] for row in response.json()["results"]}
    assert routed.display_tracking_number in numbers
    # A submitted complaint at agency level is not the unit's.
    assert c.display_tracking_number not in numbers


def test_session_authentication_needs_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.verifier)
    assert client.get(LIST).status_code == 200
    response = client.post(LIST, {"kind": "complaint"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]


def test_anonymous_callers_are_refused_with_problem_json():
    response = APIClient().get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    body = response.json()
    assert body["type"].startswith("urn:aduan:problem:")
    assert body["title"] == "Sign-in required"


def test_errors_speak_indonesian_or_english_by_accept_language(world):
    id_body = token_client(world.verifier, language="id").get(LIST + "?status=bogus").json()
    en_body = token_client(world.verifier, language="en").get(LIST + "?status=bogus").json()
    assert en_body["title"] == "The request has errors"
    assert id_body["title"] != en_body["title"]
    assert id_body["errors"][0]["field"] == "status"
    assert id_body["errors"][0]["message"] != en_body["errors"][0]["message"]


@override_settings(
    REST_FRAMEWORK=settings.REST_FRAMEWORK
    | {"DEFAULT_THROTTLE_RATES": {"token": "2/min", "anon": "1/min"}}
)
def test_throttles_count_per_token_and_answer_429_with_retry_after(world):
    first = token_client(world.verifier)
    second = token_client(world.verifier)
    assert [first.get(LIST).status_code for _ in range(2)] == [200, 200]
    throttled = first.get(LIST)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1
    assert throttled["Content-Type"] == "application/problem+json"
    # Another token of the same person has its own budget.
    assert second.get(LIST).status_code == 200
    anon = APIClient()
    assert anon.get(LIST).status_code == 401
    assert anon.get(LIST).status_code == 429


def test_an_unknown_api_address_is_a_problem_json_404():
    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"

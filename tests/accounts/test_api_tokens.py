"""The "API tokens" page of the staff workspace and the admin's token screen."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.tokens import api_token_authenticate, api_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = "/akun/token-api/"


@pytest.fixture
def world(staff_world):
    return staff_world


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_make_a_token_that_is_shown_once(world):
    client = signed_in(world.verifier)
    response = client.post(PAGE, {"name": "Sistem call centre", "days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plain = re.search(r"adn_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    assert api_token_authenticate(plain).user == world.verifier
    again = client.get(PAGE).content.decode()
    assert "Sistem call centre" in again
    assert plain not in again


def test_a_bad_name_is_an_error_on_the_page(world):
    response = signed_in(world.verifier).post(PAGE, {"name": "", "days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_staff_revoke_their_own_token_only(world):
    mine, _plain = api_token_create(user=world.verifier, name="mine")
    theirs, _plain = api_token_create(user=world.officer, name="theirs")
    client = signed_in(world.verifier)
    assert client.post(f"{PAGE}{theirs.pk}/cabut/").status_code == 404
    assert client.post(f"{PAGE}{mine.pk}/cabut/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_the_page_is_not_there_for_citizens(world):
    assert signed_in(world.citizen).get(PAGE).status_code == 404


def test_the_page_speaks_indonesian_by_default(world):
    body = signed_in(world.verifier).get(PAGE).content.decode()
    assert "Token API" in body


def test_the_admin_makes_a_machine_accounts_token_and_shows_it_once(world):
    machine = f.staff(world.unit, "officer", is_machine=True)
    root = f.UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(root)
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": machine.pk, "name": "SIMPEL BPO", "days": "365"},
        follow=True,
    )
    assert response.status_code == 200
    plain = re.search(r"adn_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    assert api_token_authenticate(plain).user == machine
    assert ApiToken.objects.get().name == "SIMPEL BPO"

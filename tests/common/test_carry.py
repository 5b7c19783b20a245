"""The language switch without JavaScript (common.carry): the page's sent fields are kept for
its next GET, once; never files, passwords or codes; CSRF-checked; only local addresses."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from common.carry import SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

KEEP = reverse("switch_language")
TRACK = reverse("complaints:track")


def _switch(client: Client, data: dict, next_url: str = TRACK, **extra):
    return client.post(f"{KEEP}?next={next_url}", data, **extra)


def test_the_fields_come_back_once_in_the_chosen_language(client):
    response = _switch(
        client, {"language": "en", "tracking_number": "QWER-7777-ZXCV", "access_code": "K7M2Q9XP"}
    )
    assert response.status_code == 302
    assert response["Location"] == TRACK
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(TRACK).content.decode()
    assert '<html lang="en">' in page
    assert re.search(r'name="tracking_number"[^>]*value="QWER-7777-ZXCV"', page)
    assert "K7M2Q9XP" not in page  # a code is never kept
    assert SESSION_KEY not in client.session

    assert "QWER-7777-ZXCV" not in client.get(TRACK).content.decode()


def test_another_page_opened_first_drops_the_fields(client):
    _switch(client, {"language": "id", "tracking_number": "QWER-7777-ZXCV"})
    client.get(reverse("complaints:help"))
    assert SESSION_KEY not in client.session
    assert "QWER-7777-ZXCV" not in client.get(TRACK).content.decode()


def test_passwords_codes_tokens_and_files_are_never_stored(client):
    upload = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff" + b"0" * 100, "image/jpeg")
    _switch(
        client,
        {
            "language": "en",
            "email": "pelapor@example.com",
            "password": "rahasia-sekali",
            "new_password2": "rahasia-sekali",
            "access_code": "K7M2Q9XP",
            "token": "abc",
            "files": upload,
        },
        next_url=reverse("accounts:login"),
    )
    kept = dict(client.session[SESSION_KEY]["fields"])
    assert kept == {"email": ["pelapor@example.com"]}

    page = client.get(reverse("accounts:login")).content.decode()
    assert 'value="pelapor@example.com"' in page
    assert "rahasia-sekali" not in page


def test_the_switch_needs_the_pages_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{KEEP}?next={TRACK}", {"language": "en", "tracking_number": "X"})
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_only_a_local_address_is_returned_to(client, next_url):
    response = _switch(client, {"language": "en"}, next_url=next_url)
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing_but_keeps_the_fields(client):
    response = _switch(client, {"language": "fr", "tracking_number": "QWER-7777-ZXCV"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "QWER-7777-ZXCV" in client.get(TRACK).content.decode()


def test_a_get_changes_nothing(client):
    response = client.get(f"{KEEP}?next={TRACK}&language=en")
    assert response.status_code == 405


def test_form_pages_tie_the_language_buttons_to_their_form(client):
    """Every page that names a page form for the switch has that form, so the buttons work;
    files never go with it (the form is sent as plain text)."""
    page = client.get(TRACK).content.decode()
    assert '<form id="page-form" method="post"' in page
    button = re.search(r"<button[^>]*>English</button>", page).group(0)
    assert 'form="page-form"' in button
    assert 'formenctype="application/x-www-form-urlencoded"' in button
    assert f'formaction="{KEEP}?next=/lacak/"' in button

    # a page without a form keeps the plain switch
    help_page = client.get(reverse("complaints:help")).content.decode()
    button = re.search(r"<button[^>]*>English</button>", help_page).group(0)
    assert "form=" not in button


def test_every_template_that_ties_the_switch_has_the_form_it_names():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    tied = [p for p in root.rglob("*.html") if 'page_form="page-form"' in p.read_text()]
    assert len(tied) >= 15
    for template in tied:
        text = template.read_text()
        assert text.count('id="page-form"') == 1, template


def test_the_session_keeps_a_bounded_amount(client):
    fields = {f"field{i}": "x" for i in range(150)}
    _switch(client, {"language": "en", "tracking_number": "QWER-7777-ZXCV", **fields})
    assert len(client.session[SESSION_KEY]["fields"]) == 100

    _switch(client, {"language": "en", "a": "y" * 60_000, "b": "z" * 60_000})
    assert [name for name, _ in client.session[SESSION_KEY]["fields"]] == ["a"]


def test_a_page_that_needs_no_session_does_not_load_one(rf):
    """The middleware only hands the request on: loading the session is left to the page."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from common.carry import CarriedFormMiddleware

    stored = SessionStore()
    stored[SESSION_KEY] = {"path": "/", "fields": [["q", ["x"]]]}
    stored.create()
    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = stored.session_key
    request.session = SessionStore(session_key=stored.session_key)
    response = CarriedFormMiddleware(lambda r: HttpResponse("ok"))(request)
    assert response.status_code == 200
    assert not request.session.accessed

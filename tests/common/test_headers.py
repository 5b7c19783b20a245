"""Content-Security-Policy on every page; staff pages and a reporter's own pages are never
stored by a browser or a cache; public pages may be."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Role
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _policy(response) -> dict[str, str]:
    parts = [p.strip() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p.split()[0]: " ".join(p.split()[1:]) for p in parts}


def test_every_page_carries_a_policy_without_inline_script(client):
    for url in ("/", reverse("complaints:track"), reverse("accounts:login"), "/tidak-ada/"):
        policy = _policy(client.get(url))
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in " ".join(policy.values())


def test_staff_pages_are_not_stored(client):
    agency = f.AgencyFactory()
    client.force_login(f.staff(agency, Role.VERIFIER))
    for url in (reverse("staff:home"), reverse("staff:queue")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_the_reporters_own_pages_are_not_stored_and_public_ones_may_be(client):
    agency = f.AgencyFactory()
    c = f.complaint(agency)
    client.post(
        reverse("complaints:track"),
        {"tracking_number": c.tracking_number, "access_code": c.plain_access_code},
    )
    detail = client.get(reverse("complaints:track_detail", args=[c.tracking_number]))
    assert detail.status_code == 200
    assert "no-store" in detail["Cache-Control"]
    assert "no-store" in client.get(reverse("complaints:file_kind"))["Cache-Control"]
    assert "no-store" not in client.get(reverse("complaints:help")).get("Cache-Control", "")


def test_a_download_keeps_its_own_sandbox_policy(client):
    from tests.complaints.public_support import png_bytes, upload

    agency = f.AgencyFactory()
    c = f.complaint(agency, attachments=[upload("foto.png", png_bytes())])
    client.force_login(f.staff(agency, Role.VERIFIER))
    response = client.get(reverse("staff:attachment", args=[c.attachments.get().pk]))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    for closer in response._resource_closers:
        closer()

"""The timeline over the API: internal entries for the agency's staff, the public timeline
for the reporter (by access code), nothing for other agencies."""

from __future__ import annotations

import pytest
from django.test import Client

from complaints import services
from tests import factories as f
from tests.complaints.api.helpers import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def test_staff_read_internal_entries_and_the_reporter_only_public_ones(world):
    c = f.complaint(world.agency)
    services.complaint_note(complaint_id=c.pk, actor=world.verifier, body="Catatan internal")
    staff = token_client(world.verifier).get(f"/api/v1/complaints/{c.tracking_number}/events/")
    assert staff.status_code == 200
    assert [e["type"] for e in staff.json()] == ["note", "submitted"]
    assert staff.json()[0]["is_public"] is False
    reporter = Client().post(
        f"/api/v1/complaints/{c.tracking_number}/reporter/timeline/",
        {"access_code": c.plain_access_code},
        content_type="application/json",
    )
    assert reporter.status_code == 200
    body = reporter.json()
    assert [e["type"] for e in body["events"]] == ["submitted"]
    assert "Catatan internal" not in reporter.content.decode()


def test_another_agency_reads_no_timeline(world):
    c = f.complaint(world.agency)
    r = token_client(world.other_verifier).get(f"/api/v1/complaints/{c.tracking_number}/events/")
    assert r.status_code == 404


def test_a_staff_token_does_not_open_the_reporter_side(world):
    c = f.complaint(world.agency)
    r = token_client(world.verifier).post(
        f"/api/v1/complaints/{c.tracking_number}/reporter/timeline/", {}, format="json"
    )
    assert r.status_code == 404


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_an_uploaded_file_is_downloaded_only_through_the_api_in_scope(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = f.complaint(world.agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.verifier, message="Foto?")
    r = Client().post(
        f"/api/v1/complaints/{c.tracking_number}/reporter/supply-information/",
        {
            "access_code": c.plain_access_code,
            "body": "Foto.",
            "attachments": [SimpleUploadedFile("foto.png", _png(), "image/png")],
        },
    )
    assert r.status_code == 200, r.content
    case = token_client(world.verifier).get(f"/api/v1/complaints/{c.tracking_number}/").json()
    link = case["attachments"][0]["download"]
    download = token_client(world.verifier).get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert token_client(world.other_verifier).get(link).status_code == 404

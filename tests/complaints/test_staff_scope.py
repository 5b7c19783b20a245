"""Scope matrix over every staff URL: role by own agency / own unit / sibling unit /
other agency. Out of scope is always a 404 (never a 403), and nothing changes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import services
from complaints.models import Complaint, SavedFilter
from complaints.views.staff import ACTIONS
from tests import factories as f
from tests.complaints.staff_world import client_for

pytestmark = pytest.mark.django_db

ROLES = ["verifier", "officer", "approver", "focal", "other_verifier", "citizen", "admin"]
PLACES = ["agency", "unit", "sibling_unit", "other_agency"]

# Who may read a complaint at each place (a membership covers its sub-units).
VISIBLE = {
    "verifier": {"agency", "unit", "sibling_unit"},
    "approver": {"agency", "unit", "sibling_unit"},
    "focal": {"agency", "unit", "sibling_unit"},
    "officer": {"unit"},
    "other_verifier": {"other_agency"},
    "citizen": set(),
    "admin": set(PLACES),
}


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")


def _place(world, place: str) -> Complaint:
    agency = world.other if place == "other_agency" else world.agency
    c = f.complaint(agency, attachments=[_png()])
    if place in ("unit", "sibling_unit"):
        verifier = world.verifier
        services.complaint_verify(complaint_id=c.pk, actor=verifier)
        unit = world.unit if place == "unit" else world.unit2
        services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit)
    c.refresh_from_db()
    return c


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_scope_matrix_every_complaint_url(world, settings, tmp_path, role, place):
    settings.MEDIA_ROOT = tmp_path
    c = _place(world, place)
    attachment = c.attachments.get()
    client = client_for(getattr(world, role))
    visible = place in VISIBLE[role]
    before = (c.status, c.version, c.events.count())

    case = client.get(reverse("staff:case", args=[c.pk]))
    download = client.get(reverse("staff:attachment", args=[attachment.pk]))
    if visible:
        assert case.status_code == 200
        assert download.status_code == 200
        b"".join(download.streaming_content)
    else:
        assert case.status_code == 404
        assert download.status_code == 404
    for name in ACTIONS:
        response = client.post(reverse("staff:action", args=[c.pk, name]), {"version": c.version})
        if visible:
            assert response.status_code != 404, name
        else:
            assert response.status_code == 404, name
    if not visible:
        c.refresh_from_db()
        assert (c.status, c.version, c.events.count()) == before
        # bulk actions report the item as not found and change nothing
        bulk = client.post(reverse("staff:bulk"), {"action": "verify", "items": [f"{c.pk}:1"]})
        if role != "citizen":
            assert 'data-result="failed"' in bulk.content.decode()
        else:
            assert bulk.status_code == 404
        c.refresh_from_db()
        assert (c.status, c.version) == before[:2]
        # the queue, the export and search never show it
        if role != "citizen":
            queue = client.get(reverse("staff:queue"), {"q": c.tracking_number})
            assert c.display_tracking_number not in queue.content.decode()
            export = client.get(reverse("staff:export"))
            assert c.display_tracking_number not in b"".join(export.streaming_content).decode()


@pytest.mark.parametrize("role", ROLES)
def test_scope_matrix_pages_without_a_complaint(world, role):
    client = client_for(getattr(world, role))
    urls = [
        reverse("staff:home"),
        reverse("staff:queue"),
        reverse("staff:export"),
        reverse("staff:shortcuts"),
        reverse("staff:new"),
    ]
    for url in urls:
        response = client.get(url)
        if role == "citizen":
            assert response.status_code == 404, url
        elif url == reverse("staff:new") and role == "officer":
            # unit officers cannot file on their agency's behalf (no agency-level role)
            assert response.status_code == 404, url
        else:
            assert response.status_code == 200, url


def test_saved_views_are_per_user(world):
    saved = SavedFilter.objects.create(user=world.verifier, name="Punya saya", query="kind=x")
    for role in ("approver", "other_verifier", "admin"):
        client = client_for(getattr(world, role))
        assert "Punya saya" not in client.get(reverse("staff:queue")).content.decode()
        url = reverse("staff:saved_filter_delete", args=[saved.pk])
        assert client.post(url).status_code == 404


def test_walk_in_for_another_agency_is_refused(world):
    response = client_for(world.verifier).post(
        reverse("staff:new"),
        {
            "channel": "walk_in",
            "agency": world.other.pk,
            "kind": "complaint",
            "title": "Titip laporan",
            "body": "Isi",
            "reporter_phone": "08123",
        },
    )
    assert response.status_code == 400
    assert not Complaint.objects.filter(title="Titip laporan").exists()

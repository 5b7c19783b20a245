"""Shared helpers for the citizen page tests: walk the filing steps with the test client."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import Complaint


def png_bytes(size=(20, 20), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (30, 20), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x8825] = {2: (6.0, 10.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


STORY = {"title": "Antrean puskesmas sangat lama", "body": "Saya menunggu lima jam di puskesmas."}


def walk_to_check(
    client,
    *,
    agency=None,
    category=None,
    story=None,
    when=None,
    files=(),
    privacy=(),
    contact=None,
    kind="complaint",
):
    """POST every step with valid answers; returns the response of the last step."""

    def post(name, data, **kw):
        response = client.post(reverse(f"complaints:{name}"), data, **kw)
        assert response.status_code == 302, (name, response.content.decode()[:3000])
        return response

    post("file_kind", {"kind": kind})
    post("file_agency", {"agency": str(agency.pk) if agency else "unknown"})
    if category is not None:
        post("file_category", {"category": str(category.pk)})
    post("file_story", {**STORY, **(story or {})})
    post("file_when", when or {"incident_day": "", "incident_month": "", "incident_year": ""})
    for f in files:
        post("file_attachments", {"files": f, "action": "upload"})
    response = client.post(reverse("complaints:file_attachments"), {"action": "continue"})
    if response.headers.get("Location", "").endswith("laporan-serupa/"):
        pass
    post("file_privacy", {"privacy": list(privacy)})
    contact = (
        contact
        if contact is not None
        else {
            "name": "Siti Aminah",
            "email": "siti@example.com",
            "phone": "0812 3456 7890",
        }
    )
    return post("file_contact", contact)


def submit(client, **kw):
    """Walk every step and send; returns the POST response of the check page."""
    walk_to_check(client, **kw)
    page = client.get(reverse("complaints:file_check"))
    token = page.context["form"]["token"].value()
    return client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})


def complaint_count() -> int:
    return Complaint.objects.count()


def follow_ref(client, complaint) -> str:
    """The key the similar step gives `complaint` in this client's draft (what its "Ikuti laporan
    ini" form posts), whether or not the step offers it."""
    from complaints.drafts import SESSION_KEY
    from complaints.views.public import follow_ref as ref_for

    return ref_for(draft_id=client.session[SESSION_KEY]["id"], complaint=complaint)


def follow_url(client, complaint) -> str:
    return reverse("complaints:file_follow", args=[follow_ref(client, complaint)])

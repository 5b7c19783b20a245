"""Uploads as an attack: budgets per client and per filing draft (also for a client over the
filing limit), request bodies over the cap refused unread, and image decoding kept within a
bounded size."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from common.exceptions import ApplicationError
from complaints.drafts import SESSION_KEY
from complaints.uploads import MAX_DECODED_PIXELS, sanitize_upload
from tests.complaints.public_support import STORY, png_bytes, submit, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

BUSY = "Anda telah mengunggah banyak berkas dalam waktu singkat"
OVER_FILING = (
    "Anda telah mengirim banyak laporan dalam waktu singkat. Tunggu satu jam, lalu tambahkan"
)


def _to_attachments(client, agency) -> None:
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    client.post(
        reverse("complaints:file_when"),
        {"incident_day": "", "incident_month": "", "incident_year": ""},
    )


def _upload(client, name="foto.png", data=None):
    return client.post(
        reverse("complaints:file_attachments"),
        {"files": upload(name, data or png_bytes()), "action": "upload"},
    )


def _stored(client) -> list[dict]:
    return client.session[SESSION_KEY]["uploads"]


def _pending_files(client) -> list[str]:
    folder = f"pending/{client.session[SESSION_KEY]['id']}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_uploads_over_the_client_budget_are_refused(agency, settings):
    settings.ADUAN_RATE_UPLOAD = (2, 3600)
    alice = Client(REMOTE_ADDR="203.0.113.10")
    _to_attachments(alice, agency)
    assert _upload(alice).status_code == 302
    assert _upload(alice).status_code == 302
    # a new draft (cookies dropped) does not reset the client's budget
    fresh = Client(REMOTE_ADDR="203.0.113.10")
    _to_attachments(fresh, agency)
    response = _upload(fresh)
    assert response.status_code == 200
    assert BUSY in response.content.decode()
    assert _stored(fresh) == []
    assert _pending_files(fresh) == []
    # another client is not affected
    budi = Client(REMOTE_ADDR="198.51.100.77")
    _to_attachments(budi, agency)
    assert _upload(budi).status_code == 302
    assert len(_stored(budi)) == 1


def test_upload_bytes_over_the_client_budget_are_refused(agency, settings):
    big = png_bytes(size=(300, 300), color=(1, 2, 3))
    settings.ADUAN_RATE_UPLOAD_BYTES = (len(big) + 10, 3600)
    client = Client(REMOTE_ADDR="203.0.113.10")
    _to_attachments(client, agency)
    assert _upload(client, data=big).status_code == 302
    assert BUSY in _upload(client, data=big).content.decode()
    assert len(_stored(client)) == 1


def test_a_draft_cannot_upload_and_remove_without_end(client, agency, settings):
    settings.ADUAN_RATE_DRAFT_UPLOAD = (3, 86400)
    _to_attachments(client, agency)
    for _ in range(3):
        assert _upload(client).status_code == 302
        key = _stored(client)[0]["key"]
        client.post(reverse("complaints:file_attachment_remove"), {"key": key})
        assert _stored(client) == []
    response = _upload(client)
    assert BUSY in response.content.decode()
    assert _stored(client) == []


def test_a_client_over_the_filing_limit_cannot_upload(client, agency, settings):
    settings.ADUAN_RATE_FILING = (1, 3600)
    assert submit(client, agency=agency).status_code == 302
    _to_attachments(client, agency)
    response = _upload(client)
    assert response.status_code == 200
    assert OVER_FILING in response.content.decode()
    assert _stored(client) == []
    assert _pending_files(client) == []


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def test_body_over_the_cap_is_refused_before_it_is_read(client, agency, settings):
    settings.ADUAN_REQUEST_MAX_BYTES = 1024 * 1024
    response = client.generic(
        "POST",
        reverse("complaints:file_attachments"),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Yang Anda kirim terlalu besar" in html
    assert "1 MB" in html


def test_body_under_the_cap_is_read(client, agency, settings):
    settings.ADUAN_REQUEST_MAX_BYTES = 1024 * 1024
    _to_attachments(client, agency)
    assert _upload(client).status_code == 302


def _image(fmt: str, size: tuple[int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 40, 60)).save(out, format=fmt)
    return SimpleUploadedFile(f"x.{fmt.lower()}", out.getvalue(), content_type="image/png")


def test_png_that_would_decode_past_the_bound_is_refused_undecoded():
    # 4,100 x 4,100 = 16.8 megapixels: a few KB on disk, 67 MB decoded.
    with pytest.raises(ApplicationError, match="paling banyak 16 megapiksel"):
        sanitize_upload(_image("PNG", (4_100, 4_100)))


def test_large_jpeg_is_decoded_at_a_reduced_scale():
    clean = sanitize_upload(_image("JPEG", (7_000, 5_000)))  # 35 megapixels
    with Image.open(clean.content) as img:
        assert img.width * img.height <= MAX_DECODED_PIXELS
        assert (img.width, img.height) == (3_500, 2_500)


def test_api_body_over_the_cap_is_a_problem_document(client, settings):
    settings.ADUAN_REQUEST_MAX_BYTES = 1024 * 1024
    response = client.generic(
        "POST",
        "/api/v1/complaints/",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413

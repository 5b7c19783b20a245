"""Uploaded PDFs with active content are refused, and every file is served as
`<stem>.<detected extension>`, never under the uploader's extension."""

from __future__ import annotations

import zlib

import pytest
from django.urls import reverse

from common.downloads import served_name
from common.exceptions import ApplicationError
from complaints.models import Role
from complaints.uploads import sanitize_upload
from tests import factories as f
from tests.complaints.public_support import png_bytes, upload

ACTIVE = "berisi skrip, aksi, atau berkas tersemat"


def pdf(*objects: bytes) -> bytes:
    """A small PDF whose catalog is object 1, with `objects` from number 2 on."""
    body = b"%PDF-1.7\n"
    numbered = (
        [b"<< /Type /Catalog /Pages 2 0 R >>", *objects]
        if objects
        else [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
        ]
    )
    for number, obj in enumerate(numbered, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _check(data: bytes, name: str = "surat.pdf"):
    return sanitize_upload(upload(name, data, "application/pdf"))


def test_plain_pdf_is_accepted_unchanged():
    data = pdf()
    clean = _check(data)
    assert clean.content_type == "application/pdf"
    assert clean.content.read() == data


def test_open_destination_is_not_an_action():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"
    data = b"%PDF-1.7\n1 0 obj\n" + catalog + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    assert _check(data).size == len(data)


@pytest.mark.parametrize(
    "obj",
    [
        b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>",
        b"<< /Type /Page /AA << /O 5 0 R >> >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 3 >>",
        b"<< /Names << /EmbeddedFiles 6 0 R >> >>",
        b"<< /AcroForm << /XFA 7 0 R >> >>",
        b"<< /S /J#61va#53cript /J#53 (app.alert(1)) >>",
        b"<< /S /SubmitForm /F (https://example.org) >>",
    ],
    ids=[
        "javascript",
        "open-action",
        "additional-actions",
        "launch",
        "embedded-file",
        "embedded-files",
        "xfa",
        "hex-escaped-javascript",
        "submit-form",
    ],
)
def test_active_content_is_refused(obj):
    with pytest.raises(ApplicationError, match=ACTIVE):
        _check(pdf(obj))


def test_active_content_hidden_in_a_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        hidden
    )
    with pytest.raises(ApplicationError, match=ACTIVE):
        _check(pdf(stream + hidden + b"\nendstream"))


def test_compressed_page_content_is_not_mistaken_for_structure():
    # Deflated page content is data: byte runs in it that look like names are not examined.
    content = zlib.compress(b"BT /F1 12 Tf (/JavaScript /AA) Tj ET")
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
    assert _check(pdf(stream + content + b"\nendstream")).content_type == "application/pdf"


def test_html_body_framed_by_a_pdf_header_is_refused():
    page = (
        b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"
        b"<html><body><script>fetch('/staf/')</script></body></html>\n%%EOF\n"
    )
    with pytest.raises(ApplicationError):
        _check(page, "laporan.html")


@pytest.mark.parametrize(
    ("name", "content_type", "served"),
    [
        ("laporan.html", "application/pdf", "laporan.pdf"),
        ("foto.JPG", "image/jpeg", "foto.jpg"),
        ("scan.pdf.exe", "application/pdf", "scan.pdf.pdf"),
        ("tanpa-ekstensi", "image/png", "tanpa-ekstensi.png"),
        ("..\\..\\etc\\passwd.png", "image/png", "passwd.png"),
        (".htaccess", "image/png", "berkas.png"),
        ("x.svg", "image/svg+xml", "x.bin"),
    ],
)
def test_served_name_is_stem_and_detected_extension(name, content_type, served):
    assert served_name(name, content_type) == served


@pytest.mark.django_db
def test_download_carries_the_detected_extension(client):
    agency = f.AgencyFactory()
    c = f.complaint(agency, attachments=[upload("laporan.html", png_bytes(), "text/html")])
    attachment = c.attachments.get()
    client.force_login(f.staff(agency, Role.VERIFIER))
    response = client.get(reverse("staff:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan.png"'
    assert response["Content-Type"] == "image/png"
    for closer in response._resource_closers:
        closer()

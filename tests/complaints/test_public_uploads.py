"""complaints.uploads: content sniffing, EXIF stripping and the bombs."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.exceptions import ApplicationError
from complaints.uploads import sanitize_upload
from tests.complaints.public_support import jpeg_with_exif, png_bytes


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG that claims 10 gigapixels: decoding it would exhaust memory."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_jpeg_is_re_encoded_without_exif():
    clean = sanitize_upload(_file("foto.jpg", jpeg_with_exif()))
    data = clean.content.read()
    assert clean.content_type == "image/jpeg"
    assert clean.extension == ".jpg"
    assert b"SecretCameraMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_html_appended_to_a_jpeg_does_not_survive():
    data = jpeg_with_exif() + b"<html><script>alert(1)</script></html>"
    clean = sanitize_upload(_file("foto.jpg", data))
    assert b"<script>" not in clean.content.read()


def test_png_and_pdf_are_accepted():
    assert sanitize_upload(_file("a.png", png_bytes())).content_type == "image/png"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert sanitize_upload(_file("surat.pdf", pdf)).content_type == "application/pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>hi</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"%PDF-1.4\n<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + b"\x00" * 64,
        b"\xff\xd8\xff\xe0not really a jpeg",
    ],
)
def test_disguised_files_are_refused(data):
    with pytest.raises(ApplicationError):
        sanitize_upload(_file("foto.jpg", data))


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ApplicationError, match="terlalu banyak piksel"):
        sanitize_upload(_file("bom.png", bomb_png()))


def test_image_between_one_and_two_times_the_pixel_limit_is_refused():
    with pytest.raises(ApplicationError, match="terlalu banyak piksel"):
        sanitize_upload(_file("bom.png", bomb_png(8_000, 6_000)))


def test_oversize_and_empty_files_are_refused(settings):
    settings.ADUAN_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ApplicationError, match="lebih kecil dari"):
        sanitize_upload(_file("a.png", png_bytes() + b"\x00" * 200))
    with pytest.raises(ApplicationError, match="kosong"):
        sanitize_upload(_file("a.png", b""))

"""Checking uploaded files by their content, never by their name or declared type.

Allowed: JPG, PNG and PDF. Images are decoded and re-encoded, which drops EXIF (location,
device) and anything appended after the image data, so an HTML page glued to a JPEG does not
survive. Images with too many pixels are refused before they are decoded (decompression
bombs). Zip-based formats (DOCX, XLSX, ZIP) are not accepted at all, so zip bombs never reach
a decompressor. Files are always served as downloads (Content-Disposition: attachment).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from common.exceptions import ApplicationError

# Images larger than this are refused rather than decoded (decompression bombs): 40 megapixels
# is well above any phone camera.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# What one upload may cost in memory and time once decoded: 16 megapixels (64 MB as RGBA, about
# a second to re-encode). A JPEG above it is decoded at 1/2, 1/4 or 1/8 scale (the decoder
# skips the detail, so this is cheap); a PNG cannot be, so a larger PNG is refused. A 300 KB
# PNG of 40 megapixels would otherwise cost seconds and half a gigabyte.
MAX_DECODED_PIXELS = 16_000_000
# Recompressing harder only pays off on small images; on large ones it multiplies the time.
OPTIMIZE_MAX_PIXELS = 4_000_000

ALLOWED_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
}


@dataclass
class CleanUpload:
    original_name: str
    content_type: str
    extension: str
    size: int
    sha256: str
    content: ContentFile


def sniff(head: bytes) -> str | None:
    """The type of a file from its first bytes, among the allowed ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


class _TooManyPixels(Exception):
    def __init__(self, limit: int = MAX_IMAGE_PIXELS) -> None:
        super().__init__(limit)
        self.limit = limit


def _bound_decoding(img: Image.Image) -> None:
    """Keep the decoded image within MAX_DECODED_PIXELS: scale a JPEG down while decoding,
    refuse a PNG that would exceed it."""
    pixels = img.width * img.height
    if pixels <= MAX_DECODED_PIXELS:
        return
    if img.format != "JPEG":
        raise _TooManyPixels(MAX_DECODED_PIXELS)
    scale = next(k for k in (2, 4, 8, 16) if pixels // (k * k) <= MAX_DECODED_PIXELS)
    img.draft("RGB", (-(-img.width // scale), -(-img.height // scale)))


def _strip_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the image: drops EXIF and anything appended to it; keeps the orientation."""
    with warnings.catch_warnings():
        # Pillow warns between 1x and 2x MAX_IMAGE_PIXELS and raises above; both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                expected = "JPEG" if content_type == "image/jpeg" else "PNG"
                if img.format != expected:
                    raise UnidentifiedImageError(img.format)
                if img.width * img.height > MAX_IMAGE_PIXELS:
                    raise _TooManyPixels
                _bound_decoding(img)
                img.load()
                img = ImageOps.exif_transpose(img)
                optimize = img.width * img.height <= OPTIMIZE_MAX_PIXELS
                out = io.BytesIO()
                if content_type == "image/jpeg":
                    img.convert("RGB").save(out, format="JPEG", quality=90, optimize=optimize)
                else:
                    if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        img = img.convert("RGBA")
                    img.save(out, format="PNG", optimize=optimize)
                return out.getvalue()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _TooManyPixels from exc


# Names of PDF features that run something when the file is opened or hide another file:
# scripts, actions on open or on page events, launching programs, embedded files, XFA forms
# (their own scripting), rich media, form submission. A PDF with any of them is refused.
PDF_ACTIVE_NAMES = frozenset(
    {
        b"/JavaScript",
        b"/JS",
        b"/OpenAction",
        b"/AA",
        b"/Launch",
        b"/EmbeddedFile",
        b"/EmbeddedFiles",
        b"/XFA",
        b"/RichMedia",
        b"/SubmitForm",
        b"/ImportData",
        b"/GoToE",
        b"/GoToR",
    }
)
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
# Markup that makes a file a web page whatever its first bytes say.
_HTML_MARKERS = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg)\b", re.I)
# Decompressed stream bytes examined per PDF: more is refused (a deflate bomb costs nothing to
# send and gigabytes to inflate).
PDF_INFLATE_LIMIT = 64 * 1024 * 1024


class _ActivePdf(Exception):
    pass


# "/OpenAction [3 0 R /Fit]" only says which page to show first (word processors write it);
# "/OpenAction << /S /JavaScript … >>" or a reference to such a dictionary is an action.
_PDF_OPEN_DESTINATION = re.compile(rb"/OpenAction\s*\[[^\]]*\]")


def _pdf_names(chunk: bytes) -> set[bytes]:
    # "#4A" spells "J" inside a name, so "/#4Aava#53cript" is "/JavaScript".
    names = {
        _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        for name in _PDF_NAME.findall(_PDF_OPEN_DESTINATION.sub(b"", chunk))
    }
    return names


def _pdf_object_streams(data: bytes):
    """The inflated object streams (/Type /ObjStm), within PDF_INFLATE_LIMIT in all: they
    hold dictionaries, and so can hide active content. Other streams (page content, images)
    hold no dictionaries and are not examined: their bytes are data, not structure."""
    budget = PDF_INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        if b"/ObjStm" not in data[max(0, match.start() - 512) : match.start()]:
            continue
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(match.group(1), budget + 1)
        except zlib.error as exc:
            raise _ActivePdf("an object stream that cannot be read") from exc
        budget -= len(out)
        if budget < 0:
            raise _ActivePdf("too much compressed content")
        yield out


def _check_pdf(data: bytes) -> None:
    """Refuse what is not a plain PDF document: no end-of-file marker or objects (an HTML
    page with a "%PDF-" prefix), web markup around the objects, or active content in their
    dictionaries, compressed object streams included."""
    if b"%%EOF" not in data[-2048:] or not _PDF_OBJECT.search(data):
        raise ValueError("not a PDF document")
    structure = _PDF_STREAM.sub(b"stream\nendstream", data)
    if _HTML_MARKERS.search(structure):
        raise _ActivePdf("web markup")
    if _pdf_names(structure) & PDF_ACTIVE_NAMES:
        raise _ActivePdf("active content")
    for objects in _pdf_object_streams(data):
        if _pdf_names(objects) & PDF_ACTIVE_NAMES:
            raise _ActivePdf("active content in an object stream")


def human_size(size: int) -> str:
    """A size as UX.md writes it: "10 MB", "1,5 MB", "97 B" (whole numbers without decimals;
    binary multiples, as the limit settings are)."""
    for factor, unit in ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB")):
        if size >= factor:
            value = round(size / factor, 1)
            if value == int(value):
                return f"{int(value)} {unit}"
            return f"{number_format(value, decimal_pos=1)} {unit}"
    return f"{size} B"


def _too_big(name: str, limit: int) -> ApplicationError:
    return ApplicationError(
        _("The file “%(name)s” must be smaller than %(limit)s")
        % {"name": name, "limit": human_size(limit)}
    )


def sanitize_upload(upload: UploadedFile) -> CleanUpload:
    name = (upload.name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    limit = settings.ADUAN_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_big(name, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name, limit)
    if not data:
        raise ApplicationError(_("“%(name)s” is empty. Choose another file") % {"name": name})
    content_type = sniff(data[:16])
    wrong_type = ApplicationError(
        _("The file “%(name)s” must be a JPG, PNG or PDF") % {"name": name}
    )
    if content_type is None:
        raise wrong_type
    if content_type.startswith("image/"):
        try:
            data = _strip_image(data, content_type)
        except _TooManyPixels as exc:
            raise ApplicationError(
                _("The image “%(name)s” has too many pixels: it must be %(n)s megapixels or fewer")
                % {"name": name, "n": exc.limit // 1_000_000}
            ) from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise ApplicationError(
                _("The file “%(name)s” is not a picture we can open. Choose another file")
                % {"name": name}
            ) from exc
    else:
        try:
            _check_pdf(data)
        except ValueError as exc:
            raise wrong_type from exc
        except _ActivePdf as exc:
            raise ApplicationError(
                _(
                    "The PDF “%(name)s” contains scripts, actions or embedded files. Save or "
                    "print it again as a plain PDF, or send a photo of it"
                )
                % {"name": name}
            ) from exc
    return CleanUpload(
        original_name=name,
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=ContentFile(data),
    )

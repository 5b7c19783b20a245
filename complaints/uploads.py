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
import warnings
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
    pass


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
                img.load()
                img = ImageOps.exif_transpose(img)
                out = io.BytesIO()
                if content_type == "image/jpeg":
                    img.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
                else:
                    if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        img = img.convert("RGBA")
                    img.save(out, format="PNG", optimize=True)
                return out.getvalue()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _TooManyPixels from exc


def _check_pdf(data: bytes) -> None:
    # A real PDF ends with an end-of-file marker; a renamed HTML page with a "%PDF-" prefix
    # usually does not. Served only as a download either way.
    if b"%%EOF" not in data[-2048:]:
        raise ValueError("no %%EOF")


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
                % {"name": name, "n": MAX_IMAGE_PIXELS // 1_000_000}
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
    return CleanUpload(
        original_name=name,
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=ContentFile(data),
    )

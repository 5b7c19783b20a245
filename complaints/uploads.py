"""Checking uploaded files by their content, never by their name or declared type."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from common.exceptions import ApplicationError

# Images larger than this are refused rather than decoded (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000


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


def _strip_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the image: drops EXIF (location, device) and anything appended to it."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise ApplicationError(_("The image is too large to process."))
            img.load()
            out = io.BytesIO()
            if content_type == "image/jpeg":
                img = img.convert("RGB")
                img.save(out, format="JPEG", quality=90, optimize=True)
            else:
                if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    img = img.convert("RGBA")
                img.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ApplicationError(
            _("The file “%(name)s” is not a readable image.") % {"name": ""}
        ) from exc


def sanitize_upload(upload: UploadedFile) -> CleanUpload:
    name = (upload.name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    limit = settings.ADUAN_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            _("The file “%(name)s” must be smaller than %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ApplicationError(
            _("The file “%(name)s” must be smaller than %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    if not data:
        raise ApplicationError(_("The file “%(name)s” is empty.") % {"name": name})
    content_type = sniff(data[:16])
    if content_type is None:
        raise ApplicationError(_("The file “%(name)s” must be a JPG, PNG or PDF.") % {"name": name})
    if content_type.startswith("image/"):
        try:
            data = _strip_image(data, content_type)
        except ApplicationError as exc:
            raise ApplicationError(
                _("The file “%(name)s” is not a readable image.") % {"name": name}
            ) from exc
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[content_type]
    return CleanUpload(
        original_name=name,
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=ContentFile(data),
    )

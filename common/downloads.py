"""Serving an uploaded file: always as a download, never rendered by the browser."""

from __future__ import annotations

from django.core.files import File
from django.http import FileResponse, Http404

# The extension a file is served with comes from the type detected when it was uploaded,
# never from the uploader's name: "laporan.html" holding a PDF is served as "laporan.pdf".
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def served_name(name: str, content_type: str) -> str:
    """`<stem>.<detected extension>`; ".bin" for a type outside the uploads' list."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    return (stem or "berkas") + EXTENSIONS.get(content_type, ".bin")


def download_response(file: File, *, name: str, content_type: str) -> FileResponse:
    """The file as an attachment named `<stem of name>.<extension of its detected type>`,
    whatever it claims to be: sandboxed, not sniffed, not cached by shared caches. 404 when
    the stored file is gone."""
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=served_name(name, content_type),
        content_type=content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

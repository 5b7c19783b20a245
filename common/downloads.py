"""Serving an uploaded file: always as a download, never rendered by the browser."""

from __future__ import annotations

from django.core.files import File
from django.http import FileResponse, Http404


def download_response(file: File, *, name: str, content_type: str) -> FileResponse:
    """The file as an attachment named `name`, whatever it claims to be: sandboxed, not
    sniffed, not cached by shared caches. 404 when the stored file is gone."""
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""What the citizen pages share: the language a complaint is filed in, the refusal page, upload
errors, and the session's list of complaints the browser may open."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from common.exceptions import ApplicationError
from complaints.uploads import sanitize_upload


def current_language() -> str:
    return (translation.get_language() or "id")[:2]


def attachment_errors(form, files) -> list:
    """Check every file by its content before anything is stored; errors go on the field."""
    cleaned = []
    for upload in files:
        try:
            cleaned.append(sanitize_upload(upload))
        except ApplicationError as exc:
            form.add_error("files", str(exc.message))
    return cleaned


def refused(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public/refused.html", status=400)


TRACKED_SESSION_KEY = "tracked_complaints"


def authorise_tracking(request: HttpRequest, number: str) -> None:
    tracked = [n for n in request.session.get(TRACKED_SESSION_KEY, []) if n != number]
    request.session[TRACKED_SESSION_KEY] = [number, *tracked][:50]

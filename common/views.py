"""Pages shared by every app: the form-expired page (CSRF failure) and maintenance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page opened too long ago (or with cookies blocked): say so plainly
    and offer the way back, instead of Django's technical page. Nothing was saved."""
    return render(request, "403_csrf.html", status=403)


def maintenance(request: HttpRequest) -> HttpResponse:
    response = render(request, "503.html", status=503)
    response["Retry-After"] = "600"
    return response

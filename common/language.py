"""A page opened from an email speaks the language the message was written in.

The portal speaks Bahasa Indonesia unless the visitor chose English with the language switcher
(common.middleware.IndonesianFirstMiddleware). A link in an email is opened in whatever
browser is at hand, often one that has never chosen: there the language saved with the report
or the follower is the best guess, and the cookie set here keeps the next pages in it. A
visitor who has chosen a language keeps their choice."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def _supported(language: str | None) -> str | None:
    code = (language or "").strip().lower()[:2]
    return code if code in dict(settings.LANGUAGES) else None


def respond_in_saved_language(
    request: HttpRequest, language: str | None, respond: Callable[[], HttpResponse]
) -> HttpResponse:
    """`respond()` in the saved `language` when the visitor has not chosen one (no language
    cookie), and remember it in the cookie; otherwise `respond()` as it is."""
    code = _supported(language)
    if code is None or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return respond()
    with translation.override(code):
        request.LANGUAGE_CODE = code
        response = respond()
        # Rendered now, while the language is active (a TemplateResponse would render later).
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    response.headers["Content-Language"] = code
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response

"""Request middleware shared by every page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class IndonesianFirstMiddleware:
    """Bahasa Indonesia is the portal's language unless the visitor picks English with the
    language switcher (a cookie). A browser's Accept-Language header is not a choice: many
    Indonesian devices are set to English, and the service speaks Indonesian first.

    Must run before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class MaintenanceModeMiddleware:
    """With MAINTENANCE_MODE on, every page answers 503 with a short explanation (and a
    Retry-After), except the health check and static files, so that an upgrade can run
    without users writing half-way through it. Workers and beat are stopped separately."""

    OPEN_PREFIXES = ("/health/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MAINTENANCE_MODE and not request.path.startswith(self.OPEN_PREFIXES):
            from common.views import maintenance

            return maintenance(request)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """An address that only takes a form, opened directly (a bookmark, a reload, a link),
    answers 405 with a page saying what happened and where to go, instead of an empty body
    (the browser's own error page). The Allow header is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method != "GET":
            return response
        from django.shortcuts import render

        page = render(request, "405.html", status=405)
        if "Allow" in response.headers:
            page.headers["Allow"] = response.headers["Allow"]
        return page

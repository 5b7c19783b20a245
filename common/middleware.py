"""Request middleware shared by every page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class IndonesianFirstMiddleware:
    """Bahasa Indonesia is the portal's language unless the visitor picks English with the
    language switcher (a cookie). A browser's Accept-Language header is not a choice: many
    Indonesian devices are set to English, and the service speaks Indonesian first.

    Must run before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An API client states its language on purpose: the REST API answers by Accept-Language.
        if not request.path.startswith(API_PREFIX):
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


class RequestBodyLimitMiddleware:
    """A request whose declared body is larger than ADUAN_REQUEST_MAX_BYTES is answered 413
    before a byte of the body is read. Django reads a multipart body whole (to a temporary
    file) before a view can refuse a file, so without this a 300 MB upload costs its full
    transfer and disk. The proxy's client_max_body_size enforces the same cap in front.

    Must run before anything that touches request.POST or request.FILES (CSRF)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.ADUAN_REQUEST_MAX_BYTES:
            from django.http import JsonResponse
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            limit_mb = settings.ADUAN_REQUEST_MAX_BYTES // (1024 * 1024)
            if request.path.startswith(API_PREFIX):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": _("What you sent is too large"),
                        "status": 413,
                        "detail": _("A request can be at most %(n)s MB.") % {"n": limit_mb},
                    },
                    status=413,
                    content_type="application/problem+json",
                )
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return self.get_response(request)


class PrivatePagesNoStoreMiddleware:
    """Staff pages and a reporter's own pages (tracking, filing, account) are never kept by a
    browser or a proxy cache: on a shared computer the back button or the cache must not
    bring a complaint back after sign-out. The prefixes are ADUAN_NO_STORE_PREFIXES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(tuple(settings.ADUAN_NO_STORE_PREFIXES)):
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, no_store=True)
        return response

"""The language switch keeps what was typed on the page (UX §3), without JavaScript.

On a page with a form, the header's language buttons belong to that form (`form="page-form"`)
and send it, as plain text (never files), to `switch_language`: it sets the language like
Django's set_language, keeps the sent fields in the session for that page and goes back. The
page's next GET fills its unbound forms from them, once (`apply_carried`, with the request
from `CarriedFormMiddleware`). Nothing is validated or saved on the way: the fields are only
put back."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

SESSION_KEY = "carried_form"
# Never kept, whatever the form: the CSRF token, the switch itself and anything secret.
DROPPED = ("csrfmiddlewaretoken", "language")
SECRET_WORDS = ("password", "token", "code")
# A page's form is far smaller (an account is at most ADUAN_BODY_MAX_LENGTH characters): what
# goes beyond these is not kept, so the session stays small whatever is sent.
MAX_FIELDS = 100
MAX_CHARS = 100_000

_request: ContextVar[HttpRequest | None] = ContextVar("carried_form_request", default=None)


def _kept(name: str) -> bool:
    lowered = name.lower()
    return name not in DROPPED and not any(word in lowered for word in SECRET_WORDS)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Set the language and keep the page's sent fields for its next GET. CSRF-checked like
    every POST (the page's form carries its token)."""
    next_url = _safe_next(request)
    response = HttpResponseRedirect(next_url)
    fields, size = [], 0
    for name, values in request.POST.lists():
        size += len(name) + sum(len(v) for v in values)
        if _kept(name) and len(fields) < MAX_FIELDS and size <= MAX_CHARS:
            fields.append((name, values))
    request.session[SESSION_KEY] = {"path": urlsplit(next_url).path, "fields": fields}
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class CarriedFormMiddleware:
    """Lets the forms of a GET page find the fields kept for it (`apply_carried`), and drops
    kept fields that the first page opened after the switch did not use. Loads no session of
    its own: a page with a form or the header has loaded it already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET":
            return self.get_response(request)
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and SESSION_KEY in session:
            del session[SESSION_KEY]  # another page was opened first: put back never
        return response


def _carried_for(request: HttpRequest) -> QueryDict | None:
    """The fields kept for this page, taken out of the session on first use."""
    if not hasattr(request, "_carried_form"):
        kept = request.session.pop(SESSION_KEY, None)
        data = None
        if isinstance(kept, dict) and kept.get("path") == request.path:
            data = QueryDict(mutable=True)
            for name, values in kept.get("fields") or []:
                data.setlist(str(name), [str(v) for v in values])
        request._carried_form = data  # type: ignore[attr-defined]
    return request._carried_form  # type: ignore[attr-defined]


def apply_carried(form: forms.BaseForm) -> None:
    """Put the kept fields of this page into an unbound form as its initial values. Passwords
    and files are never put back."""
    request = _request.get()
    if request is None or form.is_bound or not hasattr(request, "session"):
        return
    data = _carried_for(request)
    if data is None:
        return
    keys = {form.add_prefix(name) for name in form.fields}
    if not keys.intersection(data):
        return  # another form on the page
    initial = dict(form.initial)
    for name, field in form.fields.items():
        widget = field.widget
        key = form.add_prefix(name)
        if not _kept(key) or isinstance(widget, forms.PasswordInput | forms.FileInput):
            continue
        if widget.value_omitted_from_data(data, {}, key):
            continue
        initial[name] = widget.value_from_datadict(data, {}, key)
    form.initial = initial

"""The language switcher's way back to the page it was used on."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()

SAFE_METHODS = ("GET", "HEAD")


@register.simple_tag(takes_context=True)
def language_next(context) -> str:
    """Where the switcher returns after setting the language: this page's address when it was
    opened with GET. A page shown in answer to a form (a bulk confirmation, a form sent back
    with errors) may have an address that only takes forms: the switcher then returns to the
    page the form was sent from, else to the start page."""
    request = context.get("request")
    if request is None:
        return "/"
    if request.method in SAFE_METHODS:
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"

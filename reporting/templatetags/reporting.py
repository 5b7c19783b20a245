"""Reporting's figures for pages of the apps below it: `{% public_totals as totals %}` (the
home page), so that complaints never imports reporting."""

from __future__ import annotations

from django import template

from reporting import selectors

register = template.Library()


@register.simple_tag
def public_totals() -> dict:
    return selectors.public_totals()

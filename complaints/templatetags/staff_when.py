"""A moment on the staff case page, in the complaint's clock zone: the case page shows a few
dozen (every timeline entry, every clock), and a template include with a timezone block per
moment cost more than the rest of the timeline."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from complaints.views.staff_common import when

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_when(context: dict[str, Any], moment) -> str:
    """<time datetime="2026-08-12T14:30:00+08:00">12 Agustus 2026, pukul 14.30 WITA</time>
    in the page's zone (`tz` in the context, WIB when there is none)."""
    shown = when(moment, context.get("tz"))
    if shown is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', shown["iso"], shown["text"])

"""A moment on the staff case page, in the complaint's clock zone, and the timeline drawn in
Python: the case page shows a few dozen moments (every timeline entry, every clock), and a
template loop with an include or a timezone block per entry cost more than the rest of the
page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@register.simple_tag(takes_context=True)
def staff_timeline(context: dict[str, Any], items) -> str:
    """The entries of selectors.case.timeline_entries as the case page's <li> items."""
    from complaints.views.public_display import archive_reason_text

    zone = context.get("tz")
    public = escape(gettext("visible to the reporter"))
    parts = []
    for item in items:
        e = item["event"]
        group = escape(item["group"])
        shown = when(e.created_at, zone)
        moment = (
            f'<time datetime="{escape(shown["iso"])}">{escape(shown["text"])}</time>'
            if shown
            else ""
        )
        parts.append(
            f'<li class="timeline__item timeline__item--{group}" data-event="{escape(e.type)}">\n'
            f'      <p class="timeline__title"><span class="tag tag--small tag--{group}">'
            f"{conditional_escape(item['label'])}</span> {conditional_escape(item['title'])}</p>\n"
            f'      <p class="timeline__meta">{conditional_escape(item["author"])} · {moment}'
            f"{f' · {public}' if e.is_public else ''}</p>\n"
        )
        if e.body:
            body = conditional_escape(archive_reason_text(str(e.body)))
            parts.append(f'      <div class="timeline__body">{body}</div>\n')
        parts.append("    </li>\n    ")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above

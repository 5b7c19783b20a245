"""Display filters for the citizen pages: localized category names and archive reasons, file
sizes and phone numbers written the way UX.md asks ("10 MB", "97 B", "+62 812 3456 7890")."""

from __future__ import annotations

from django import template
from django.utils import translation

from complaints.uploads import human_size

register = template.Library()


@register.filter
def localized_name(category) -> str:
    """A category's name in the page's language (the English name when there is one)."""
    if category is None:
        return ""
    if (translation.get_language() or "id")[:2] == "en":
        return category.name_en or category.name
    return category.name


@register.filter
def localized_guidance(category) -> str:
    """A category's out-of-scope guidance in the page's language (the Indonesian text when
    there is no English one)."""
    if category is None:
        return ""
    if (translation.get_language() or "id")[:2] == "en":
        return category.out_of_scope_guidance_en.strip() or category.out_of_scope_guidance
    return category.out_of_scope_guidance


@register.filter
def archive_reason(reason) -> str:
    """An archive reason in the current language (the system's reasons are stored in English;
    staff-typed reasons are shown as written)."""
    from complaints.views.public_display import archive_reason_text

    return archive_reason_text(str(reason or ""))


@register.filter
def file_size(size) -> str:
    """Whole numbers without decimals ("10 MB"), one decimal otherwise ("1,5 MB")."""
    try:
        return human_size(int(size))
    except (TypeError, ValueError):
        return ""


@register.filter
def phone_display(phone: str) -> str:
    """An Indonesian number in readable groups: "+6281234567890" → "+62 812 3456 7890"."""
    raw = (phone or "").strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.startswith("+62") or digits.startswith("62"):
        rest = digits[2:]
        prefix = "+62 "
    elif digits.startswith("0"):
        rest = digits[1:]
        prefix = "0"
    else:
        return raw
    if len(rest) < 8:
        return raw
    head, tail = rest[:3], rest[3:]
    groups = [tail[i : i + 4] for i in range(0, len(tail), 4)]
    if len(groups) > 1 and len(groups[-1]) < 3:
        # a lone trailing digit or two reads worse than one longer last group
        groups[-2:] = [groups[-2] + groups[-1]]
    return prefix + " ".join([head, *groups])

"""One form field as the portal draws it everywhere (includes/field.html: label above, hint,
error, aria wiring), built in Python: a queue filter, a case page's action forms or a filing
step draw up to a dozen fields and dozens of options, and the template's lookups cost more
than the HTML they produce."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _errors(field: BoundField, *, separated: bool) -> str:
    """The field's error messages, each announced as an error to screen readers."""
    if not field.errors:
        return ""
    prefix = f'<span class="visually-hidden">{escape(gettext("Error:"))}</span> '
    joiner = "<br>" if separated else ""
    items = joiner.join(prefix + conditional_escape(e) for e in field.errors)
    return f'<p id="{escape(field.auto_id)}-error" class="error-message">{items}</p>'


def _hint(field: BoundField) -> str:
    if not field.help_text:
        return ""
    help_text = conditional_escape(field.help_text)
    return f'<p id="{escape(field.auto_id)}-hint" class="hint">{help_text}</p>'


def _label_text(field: BoundField, hide_optional: bool) -> str:
    text = conditional_escape(field.label)
    if not field.field.required and not hide_optional:
        text += f" {escape(gettext('(optional)'))}"
    return text


def _choice_items(field: BoundField) -> str:
    """Each option as `<div class="choice">` with its input, label and optional hint, and the
    "or" divider before an option marked `divider_before` (GOV.UK radios)."""
    parts = []
    for choice in field:
        data = choice.data
        if data.get("divider_before"):
            parts.append(f'<p class="choice-divider">{escape(gettext("or"))}</p>')
        parts.append(
            f'<div class="choice">\n{choice.tag()}\n'
            f'<label for="{escape(choice.id_for_label)}">'
            f"{conditional_escape(choice.choice_label)}</label>"
        )
        if data.get("hint"):
            parts.append(
                f'<p id="{escape(data["hint_id"])}" class="hint choice__hint">'
                f"{conditional_escape(data['hint'])}</p>"
            )
        parts.append("</div>")
    return "\n".join(parts)


@register.simple_tag
def field_group(
    field: BoundField, heading: bool = False, legend_class: str = "", hide_optional: bool = False
) -> SafeString:
    """The field in its form group. `heading`: its label or legend is the page's h1;
    `legend_class`: an extra class of a group's legend; `hide_optional`: no "(optional)"."""
    fid = escape(field.auto_id)
    input_type = getattr(field.field.widget, "input_type", None)
    error_class = " form-group--error" if field.errors else ""
    if input_type == "radio" or (
        input_type == "checkbox" and getattr(field.field, "choices", None)
    ):
        described = (f"{fid}-hint " if field.help_text else "") + (
            f"{fid}-error" if field.errors else ""
        )
        legend_classes = "label" + (" label--l" if heading else "")
        if legend_class:
            legend_classes += f" {escape(legend_class)}"
        legend = _label_text(field, hide_optional)
        if heading:
            legend = f'<h1 class="fieldset__heading">{legend}</h1>'
        group = "radios" if input_type == "radio" else "checkboxes"
        body = (
            f'<fieldset class="fieldset" aria-describedby="{described}">\n'
            f'<legend class="{legend_classes}">{legend}</legend>\n'
            f"{_hint(field)}{_errors(field, separated=True)}\n"
            f'<div class="{group}">\n{_choice_items(field)}\n</div>\n</fieldset>'
        )
    elif input_type == "checkbox":
        body = (
            f'<div class="choice choice--single">\n{field}\n'
            f'<label for="{fid}">{conditional_escape(field.label)}</label>\n'
            f"{_hint(field)}{_errors(field, separated=False)}\n</div>"
        )
    else:
        label = (
            f'<label class="label{" label--l" if heading else ""}" for="{fid}">'
            f"{_label_text(field, hide_optional)}</label>"
        )
        if heading:
            label = f'<h1 class="label-wrapper">{label}</h1>'
        body = f"{label}\n{_hint(field)}{_errors(field, separated=True)}\n{field}"
    return mark_safe(f'<div class="form-group{error_class}">\n{body}\n</div>')  # noqa: S308

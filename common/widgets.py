"""The form renderer of every form (settings.FORM_RENDERER): the plain widgets (inputs, checkbox
and radio options, text areas, selects) drawn in Python, byte for byte as Django's widget
templates draw them; any other widget goes through the templates.

A filing step, a queue filter or a case page's action forms draw dozens of inputs and options,
and each through the template engine costs more than the rest of the field around it.
tests/common/test_widgets.py compares both renderings over every widget this draws.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "hidden",
        "date",
        "number",
        "password",
        "url",
        "search",
        "tel",
        "checkbox",
    )
)
OPTIONS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input_option", "radio_option", "checkbox_option")
)


def _text(value: Any) -> str:
    """`{{ value }}` in a template: localized, then escaped unless already safe."""
    return conditional_escape(localize(value))


def _string(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: "%s" of the value, safe when the value was."""
    if isinstance(value, tuple):
        value = str(value)
    text = "%s" % value  # noqa: UP031 - the filter's own formatting
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget.get("value")
    value_attr = f' value="{_string(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value_attr}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(widget: dict) -> str:
    """django/forms/widgets/input_option.html (radio and checkbox options)."""
    if not widget.get("wrap_label"):
        return _input(widget)
    ident = widget["attrs"].get("id")
    label_for = f' for="{_text(ident)}"' if ident else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>"


def _textarea(widget: dict) -> str:
    value = widget.get("value")
    body = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


def _select(widget: dict) -> str:
    html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            html.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict, request=None) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict):
            if template_name in INPUTS:
                return mark_safe(_input(widget))  # noqa: S308 - every value escaped above
            if template_name in OPTIONS:
                return mark_safe(_option(widget))  # noqa: S308
            if template_name == "django/forms/widgets/textarea.html":
                return mark_safe(_textarea(widget))  # noqa: S308
            if template_name == "django/forms/widgets/select.html" and all(
                option.get("template_name") == "django/forms/widgets/select_option.html"
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return mark_safe(_select(widget))  # noqa: S308
        return super().render(template_name, context, request)

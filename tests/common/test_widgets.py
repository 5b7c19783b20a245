"""The form renderer (common/widgets.py) draws every widget it handles exactly as Django's
widget templates do: the same bytes, escaping and localization included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe

from common.widgets import FastWidgetRenderer

TRICKY = 'Jum\'at & <b>"Sabtu"</b>'
CHOICES = [
    ("", "---"),
    ("a", TRICKY),
    (1, 1234),
    (Decimal("1.5"), Decimal("2.5")),
    ("Kelompok <1>", [("b", "Bé"), ("c", mark_safe("<i>aman</i>"))]),
]


class Everything(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": False})
    )
    email = forms.EmailField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    number = forms.DecimalField()
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    url = forms.URLField(assume_scheme="https")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    tick = forms.BooleanField()
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "data-x": mark_safe("a&amp;b")}))
    pick = forms.ChoiceField(choices=CHOICES)
    picks = forms.MultipleChoiceField(choices=CHOICES)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)


VALUES = [
    {},
    {
        "text": TRICKY,
        "email": "a@b.id",
        "hidden": 'x"y',
        "number": Decimal("1234.5"),
        "password": "<rahasia>",
        "url": "https://contoh.id/?a=1&b=2",
        "date": dt.date(2026, 12, 7),
        "tick": True,
        "body": TRICKY + "\nbaris dua",
        "pick": "a",
        "picks": ["a", "c"],
        "radio": 1,
        "boxes": ["b", Decimal("1.5")],
    },
    {"text": "", "body": "", "number": 0, "tick": False, "pick": "zzz", "radio": ""},
]


def _both(form: forms.Form) -> list[tuple[str, str, str]]:
    fast, slow = FastWidgetRenderer(), DjangoTemplates()
    drawn = []
    for name in form.fields:
        bound = form[name]
        form.renderer = fast
        quick = str(bound) + "".join(w.tag() + w.tag(wrap_label=True) for w in bound.subwidgets)
        form.renderer = slow
        plain = str(bound) + "".join(w.tag() + w.tag(wrap_label=True) for w in bound.subwidgets)
        drawn.append((name, quick, plain))
    return drawn


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("values", VALUES)
def test_every_widget_is_drawn_as_django_draws_it(values, language):
    with translation.override(language):
        for form in (Everything(initial=values), Everything(data=values)):
            if form.is_bound:
                form.is_valid()
            for name, quick, plain in _both(form):
                assert quick == plain, name


def test_it_is_the_renderer_of_every_form():
    assert settings.FORM_RENDERER == "common.widgets.FastWidgetRenderer"
    assert isinstance(get_default_renderer(), FastWidgetRenderer)


def test_widgets_it_does_not_know_go_through_the_templates():
    form = forms.Form()
    form.fields["when"] = forms.SplitDateTimeField()
    form.fields["file"] = forms.FileField(widget=forms.ClearableFileInput)
    for name, quick, plain in _both(form):
        assert quick == plain, name

"""The dashboards' filter form (GET): period, agency, unit, category."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleFormMixin

PERIODS = (
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("3m", _("Last 3 months")),
    ("this_year", _("This year")),
    ("12m", _("Last 12 months")),
)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def period_dates(key: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Whole months of filing up to today (local dates)."""
    this_month = _month_start(today)
    if key == "last_month":
        end = this_month - dt.timedelta(days=1)
        return _month_start(end), end
    if key == "3m":
        start = _month_start(_month_start(this_month - dt.timedelta(days=1)) - dt.timedelta(1))
        return start, today
    if key == "this_year":
        return today.replace(month=1, day=1), today
    if key == "12m":
        return this_month.replace(year=this_month.year - 1) + dt.timedelta(days=0), today
    return this_month, today


class DashboardFilterForm(AccessibleFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)

    def __init__(self, *args, agencies, units, categories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["agency"].choices = every + [(a.pk, a.name) for a in agencies]
        self.fields["unit"].choices = every + [(u.pk, u.name) for u in units]
        self.fields["category"].choices = every + [(c.pk, c.name) for c in categories]
        for name in ("agency", "unit", "category"):
            self.fields[name].empty_value = None

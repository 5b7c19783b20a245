"""HTML forms of the focal-point pages. Every form mixes in AccessibleFormMixin and is
rendered field by field with templates/includes/field.html."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleFormMixin
from complaints.models import Agency, Category, Kind, Status
from focal_points.selectors import CLOCK_STATES

CLOCK_STATE_LABELS = {
    "on_track": _("On track"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "escalated": _("Escalated"),
}
FLAG_CHOICES = [
    ("anonymous", _("Anonymous")),
    ("confidential", _("Confidential")),
    ("reopened", _("Reopened")),
    ("unassigned", _("No one assigned")),
]
OPEN_STATUS_CHOICES = [
    (s.value, s.label) for s in Status if s.value not in (Status.CLOSED, Status.ARCHIVED)
]


def _choice_errors(message) -> dict:
    """A filter edited in the URL gets the UX's words, never Django's "valid" messages."""
    return {"invalid_choice": message, "invalid_list": message}


# The unit filter's value for complaints not yet routed to a unit (at agency level).
NO_UNIT = "none"


def _unit_choice(value: str) -> int | str:
    return NO_UNIT if value == NO_UNIT else int(value)


class BoardFilterForm(AccessibleFormMixin, forms.Form):
    """The board list's GET filters (the whole view lives in the query string)."""

    agency = forms.TypedChoiceField(
        label=_("Agency"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_choice_errors(_("Choose an agency from the list")),
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        required=False,
        coerce=_unit_choice,
        empty_value=None,
        error_messages=_choice_errors(_("Choose a unit from the list")),
    )
    clock = forms.MultipleChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[(s, CLOCK_STATE_LABELS[s]) for s in CLOCK_STATES],
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors(_("Choose a deadline state from the list")),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=OPEN_STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors(_("Choose a status from the list")),
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors(_("Choose a kind from the list")),
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_choice_errors(_("Choose a category from the list")),
    )
    filed_from = forms.DateField(
        label=_("Filed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Filed from must be a real date")},
    )
    filed_to = forms.DateField(
        label=_("Filed until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Filed until must be a real date")},
    )
    flags = forms.MultipleChoiceField(
        label=_("Flags"),
        required=False,
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors(_("Choose a flag from the list")),
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(s, s) for s in ("due", "-due", "filed", "-filed")],
        widget=forms.HiddenInput,
        error_messages=_choice_errors(_("Choose a sort order from the list")),
    )

    def __init__(self, *args, agencies: list[Agency], units: list[Agency], categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("All agencies"))] + [
            (a.pk, a.name) for a in agencies
        ]
        self.fields["unit"].choices = [
            ("", _("All units")),
            (NO_UNIT, _("Agency level (not yet routed)")),
        ] + [(u.pk, u.name) for u in units]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.pk, c.name) for c in categories
        ]
        if len(agencies) <= 1:
            del self.fields["agency"]

    def clean(self):
        data = super().clean()
        start, end = data.get("filed_from"), data.get("filed_to")
        if start and end and start > end:
            self.add_error("filed_to", _("The end date must be the same as or after the start"))
        return data


class NudgeForm(AccessibleFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the unit"),
        help_text=_("The unit's officers receive it by email; it is kept on the timeline."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the message for the unit")},
    )


class CorrectiveActionForm(AccessibleFormMixin, forms.Form):
    agency = forms.TypedChoiceField(
        label=_("Agency"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the agency")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={
            "required": _("Enter a short title"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    required_change = forms.CharField(
        label=_("What must change"),
        help_text=_("Describe the change and how the agency can show it was made."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe what must change")},
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        help_text=_("Leave empty for 60 working days from today."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("The due date must be a real date")},
    )

    def __init__(self, *args, agencies: list[Agency] | None = None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        if value and self.today and value <= self.today:
            raise forms.ValidationError(_("The due date must be in the future"))
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _evidence_hint() -> str:
    return gettext("JPG, PNG or PDF, each smaller than %(size)s MB.") % {
        "size": settings.ADUAN_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    }


class ProgressForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Progress"),
        help_text=_("What the agency has done so far."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the progress made")},
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        # Built when rendered, in the reader's language (not once at import).
        help_text=lazy(_evidence_hint, str)(),
    )


class CloseForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("accepted", _("Accepted: the change was made")),
            ("rejected", _("Rejected: the change was not made or not shown")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for closing")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DirectoryEntryForm(AccessibleFormMixin, forms.Form):
    position = forms.CharField(label=_("Position"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like nama@instansi.go.id")
        },
    )
    is_active = forms.BooleanField(label=_("Active focal point"), required=False)


class DirectoryAddForm(AccessibleFormMixin, forms.Form):
    agency = forms.TypedChoiceField(
        label=_("Agency"), coerce=int, error_messages={"required": _("Choose the agency")}
    )
    user_email = forms.EmailField(
        label=_("Sign-in email of the focal point"),
        help_text=_(
            "The person must already have a staff account at this agency or one of its units."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the sign-in email of the focal point"),
            "invalid": _("Enter an email address in the correct format, like nama@instansi.go.id"),
        },
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like nama@instansi.go.id")
        },
    )

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Choose an agency"))] + [
            (a.pk, a.name) for a in agencies
        ]


# Month names a person may type where the browser shows a text box for type="month":
# Indonesian and English, in full and in three letters.
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_SEPARATORS = re.compile(r"[\s./,-]+")


def parse_month(value: str) -> dt.date | None:
    """The first day of the month a person meant, or None: what a month input sends
    ("2026-11"), what people type where the browser shows a text box instead ("11/2026",
    "11-2026", "November 2026", "nov 2026", "2026/11") and full dates from older links
    ("2026-11-15")."""
    parts = [p for p in _MONTH_SEPARATORS.split(value.strip().lower()) if p]
    year = month = None
    if len(parts) == 2:
        first, second = parts
        if first.isdigit() and len(first) == 4:
            year, month = int(first), _month_number(second)
        elif second.isdigit() and len(second) == 4:
            year, month = int(second), _month_number(first)
    elif len(parts) == 3 and all(p.isdigit() for p in parts):
        if len(parts[0]) == 4:
            year, month, day = (int(p) for p in parts)
        elif len(parts[2]) == 4:
            day, month, year = (int(p) for p in parts)
        else:
            return None
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    if year is None or month is None or not 1 <= month <= 12 or not 1900 <= year <= 2999:
        return None
    return dt.date(year, month, 1)


def _month_number(text: str) -> int | None:
    if text.isdigit() and len(text) <= 2:
        return int(text)
    return MONTH_NAMES.get(text)


class MonthInput(forms.TextInput):
    """<input type="month">; browsers without it show a text box (hence the hint)."""

    input_type = "month"


class MonthField(forms.Field):
    """A month as the first day of it. Shown back as YYYY-MM (what a month input expects),
    also when the person typed it another way; a value that is not a month is shown as
    typed, next to its error."""

    widget = MonthInput

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value.replace(day=1)
        if value in self.empty_values or not str(value).strip():
            return None
        month = parse_month(str(value))
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        if isinstance(value, str) and (month := parse_month(value)) is not None:
            return month.strftime("%Y-%m")
        return value


class PeriodForm(AccessibleFormMixin, forms.Form):
    """The scorecard's period chooser (GET). "Months below" needs both months, in order."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("this_month", _("This month")),
            ("last_month", _("Last month")),
            ("3m", _("Last 3 months")),
            ("this_year", _("This year")),
            ("custom", _("Months below")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a period from the list")},
    )
    start = MonthField(
        label=_("Start month"),
        required=False,
        help_text=_("For example, 11/2026"),
        error_messages={"invalid": _("The start month must be a real month, like 11/2026")},
    )
    end = MonthField(
        label=_("End month"),
        required=False,
        help_text=_("For example, 11/2026"),
        error_messages={"invalid": _("The end month must be a real month, like 11/2026")},
    )

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if "start" not in self.errors and start is None:
            self.add_error("start", _("Enter the start month"))
        if "end" not in self.errors and end is None:
            self.add_error("end", _("Enter the end month"))
        if start and end and end < start:
            self.add_error("end", _("The end month must be the same as or after the start month"))
        return data


def categories_for(agency_ids: list[int]):
    return Category.objects.filter(agency_id__in=agency_ids, is_active=True).order_by(
        "agency_id", "ordering", "name"
    )


def today_local() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()

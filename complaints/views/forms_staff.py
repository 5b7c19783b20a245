"""Forms of the staff workspace. They validate input only; every write goes through a service."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleFormMixin
from complaints.models import Channel, Kind, ResolutionTier, Status
from complaints.policy import ClockState
from complaints.selectors.queue import SORTS, officers_for_node
from complaints.services.core import ARCHIVE_REASON_CHOICES
from complaints.views.forms_public import clean_phone_number

CLOCK_CHOICES = [
    (ClockState.ON_TRACK, _("On track")),
    (ClockState.DUE_SOON, _("Due soon")),
    (ClockState.OVERDUE, _("Overdue")),
    (ClockState.ESCALATED, _("Escalated")),
]
# Staff keep the LAPOR! word "verifikasi" (UX §3); citizens read "Menunggu pemeriksaan". One
# term for the home tile, the queue, its filter and the case page.
STAFF_STATUS_LABELS = {Status.SUBMITTED: _("Waiting for verification")}
STAFF_STATUS_CHOICES = [
    (value, STAFF_STATUS_LABELS.get(value, label)) for value, label in Status.choices
]


def staff_status_label(status: str) -> str:
    return str(STAFF_STATUS_LABELS.get(status) or Status(status).label)


PRIVACY_CHOICES = [
    ("anonymous", _("Anonymous (anonim)")),
    ("confidential", _("Confidential (rahasia)")),
]
ARCHIVE_REASONS = [
    *((key, _(source)) for key, source in ARCHIVE_REASON_CHOICES.items()),
    ("other", _("Another reason")),
]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class StaffForm(AccessibleFormMixin, forms.Form):
    """Several action forms share one page, so each gets its own id prefix (auto_id); the
    hint references of unbound forms follow it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # UX §2: no maxlength (it cuts pasted text silently); limits are checked on the
            # server with an error in our words.
            field.widget.attrs.pop("maxlength", None)
            if isinstance(field, forms.CharField):
                # Django's own wording otherwise ("Karakter null tidak diperbolehkan."); the
                # check itself stays: PostgreSQL refuses such text.
                field.error_messages.setdefault(
                    "null_characters_not_allowed",
                    _("The text must not contain null characters"),
                )
            if field.help_text and not self.is_bound:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QueueFilterForm(StaffForm):
    """The queue's whole view lives in the query string (UX §5): bad values are errors on the
    page, never a 500; the valid part of the filter still applies."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("The search must be 200 characters or fewer")},
        help_text=_("Words from the title or account, or a tracking number."),
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=STAFF_STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every open complaint."),
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose a kind from the list")},
    )
    clock = forms.MultipleChoiceField(
        label=_("Deadline"),
        required=False,
        choices=CLOCK_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose a deadline state from the list")},
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a category from the list")},
    )
    unit = forms.TypedChoiceField(
        label=_("Agency or unit"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose an agency or unit from the list")},
    )
    assignee = forms.ChoiceField(
        label=_("Assignee"),
        required=False,
        error_messages={"invalid_choice": _("Choose an assignee from the list")},
    )
    channel = forms.MultipleChoiceField(
        label=_("Channel"),
        required=False,
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose a channel from the list")},
    )
    privacy = forms.MultipleChoiceField(
        label=_("Privacy"),
        required=False,
        choices=PRIVACY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose a privacy flag from the list")},
    )
    date_from = forms.DateField(
        label=_("Received from"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput,
        error_messages={"invalid": _("Received from must be a real date, for example 17/08/2026")},
    )
    date_to = forms.DateField(
        label=_("Received to"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput,
        error_messages={"invalid": _("Received to must be a real date, for example 17/08/2026")},
    )
    approval = forms.BooleanField(label=_("Waiting for my approval"), required=False)
    forwarded = forms.BooleanField(
        label=_("Forwarded to another agency"),
        required=False,
        help_text=_("Only the complaints your agency forwarded: read-only, handled elsewhere."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, key) for key in SORTS],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose a sort order from the table headers")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page number must be a whole number"),
            "min_value": _("The page number must be 1 or more"),
            "max_value": _("The page number is too large"),
        },
    )

    def __init__(
        self, *args, categories=(), units=(), officers=(), narrowed=False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if narrowed:
            self.fields["category"].help_text = _(
                "Choose an agency first: its categories are then listed here."
            )
        self.fields["category"].choices = [("", _("Any category"))] + [
            (c.pk, f"{c.name} ({c.agency})") for c in categories
        ]
        self.fields["unit"].choices = [("", _("Any agency or unit"))] + [
            (u.pk, ("— " * (u.path.count("/") - 1)) + u.name) for u in units
        ]
        self.units = {u.pk: u for u in units}
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
        ] + [(str(u.pk), u.get_full_name()) for u in officers]

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        return self.units.get(pk) if pk else None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Received to must be the same as or after received from"))
            data.pop("date_to", None)
        return data

    def valid_filters(self) -> dict:
        """The fields that validated; bad ones are left out (and shown as errors)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class SavedFilterForm(StaffForm):
    name = forms.CharField(
        label=_("Name of this view"),
        max_length=100,
        error_messages={
            "required": _("Enter a name for this view"),
            "max_length": _("The name of this view must be 100 characters or fewer"),
        },
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)


# ---------------------------------------------------------------------------------------------
# Case actions. Each carries the complaint's version so a concurrent change is detected.


class VersionedForm(StaffForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def clean_title_limit(title: str) -> str:
    """The citizen's limit (settings.ADUAN_TITLE_MAX_LENGTH) for titles staff write or edit."""
    limit = settings.ADUAN_TITLE_MAX_LENGTH
    if len(title) > limit:
        raise forms.ValidationError(
            _("The title must be %(n)s characters or fewer") % {"n": f"{limit:,}".replace(",", ".")}
        )
    return title


class VerifyForm(VersionedForm):
    title = forms.CharField(
        label=_("Title"),
        error_messages={"required": _("Enter the title of the complaint")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of report")},
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a category from the list")},
    )
    tier = forms.ChoiceField(
        label=_("Resolution tier"),
        choices=ResolutionTier.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a resolution tier")},
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous (anonim)"),
        required=False,
        help_text=_("Only the national admin can turn this off again."),
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (rahasia)"),
        required=False,
        help_text=_("Only the national admin can turn this off again."),
    )

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in categories}
        self.fields["category"].choices = [("", _("No category"))] + [
            (c.pk, c.name) for c in categories
        ]

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        return self.categories.get(pk) if pk else None

    def clean_title(self) -> str:
        return clean_title_limit(self.cleaned_data["title"])


class CategoryForm(VersionedForm):
    category = forms.TypedChoiceField(
        label=_("New category"),
        coerce=int,
        help_text=_("Deadlines already running stay as they are."),
        error_messages={
            "required": _("Choose the category"),
            "invalid_choice": _("Choose a category from the list"),
        },
    )

    def __init__(self, *args, categories=(), current=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in categories}
        self.current = current
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (c.pk, c.name) for c in categories
        ]

    def clean_category(self):
        category = self.categories[self.cleaned_data["category"]]
        if self.current is not None and category.pk == self.current:
            raise forms.ValidationError(_("Choose a category other than the current one"))
        return category


class HoldForm(VersionedForm):
    message = forms.CharField(
        label=_("What information the reporter must supply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The reporter sees this text and has 10 working days to reply."),
        error_messages={"required": _("Write what information the reporter must supply")},
    )


class RequestDataForm(VersionedForm):
    message = forms.CharField(
        label=_("What data the reporter should send"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example a batch number or a photo for a field check. This is not the answer: "
            "the deadlines keep running and nothing pauses."
        ),
        error_messages={"required": _("Write what data the reporter should send")},
    )


class ArchiveForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Reason for archiving"),
        choices=ARCHIVE_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for archiving")},
    )
    detail = forms.CharField(
        label=_("Explain the reason (required for another reason)"),
        required=False,
        help_text=_("The reporter sees the reason."),
    )

    def __init__(self, *args, verified: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # After verification every reason needs an explanation the reporter can read.
        self.verified = verified
        if verified:
            label = _("Explain the reason to the reporter (required after verification)")
            self.fields["detail"].label = label
            # The accessible-form set-up has already bound the field: relabel it too.
            self._bound_fields_cache.pop("detail", None)
        # The label says when it is required; "(optional)" beside it would contradict it.
        self.fields["detail"].hide_optional = True

    def clean_detail(self) -> str:
        detail = self.cleaned_data.get("detail") or ""
        if len(detail) > 200:
            raise forms.ValidationError(
                _("The reason must be %(n)s characters or fewer") % {"n": 200}
            )
        return detail

    def clean(self):
        data = super().clean()
        needs_detail = self.verified or data.get("reason") == "other"
        if needs_detail and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Explain the reason for archiving"))
        return data

    def reason_text(self) -> str:
        data = self.cleaned_data
        detail = (data.get("detail") or "").strip()
        if data["reason"] == "other":
            return detail
        # Stored as the English source, shown in each reader's language (archive_reason_text).
        source = ARCHIVE_REASON_CHOICES[data["reason"]]
        return f"{source}: {detail}" if detail else source


class RouteForm(VersionedForm):
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        error_messages={
            "required": _("Choose the unit"),
            "invalid_choice": _("Choose a unit from the list"),
        },
    )
    assignee = forms.TypedChoiceField(
        label=_("Officer"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty to let the unit's officers take it."),
        error_messages={"invalid_choice": _("Choose an officer from the list")},
    )

    def __init__(self, *args, units=(), officers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.officers = {u.pk: u for u in officers}
        self.fields["unit"].choices = [("", _("Choose a unit"))] + [
            (u.pk, ("— " * (u.path.count("/") - 1)) + u.name) for u in units
        ]
        self.fields["assignee"].choices = [("", _("No officer yet"))] + [
            (u.pk, u.get_full_name()) for u in officers
        ]

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]

    def clean_assignee(self):
        pk = self.cleaned_data.get("assignee")
        return self.officers.get(pk) if pk else None

    def clean(self):
        data = super().clean()
        unit, assignee = data.get("unit"), data.get("assignee")
        # The officer list covers the whole agency; the service refuses an officer of another
        # unit, and saying so here puts the error on the field with the choices kept.
        if (
            unit is not None
            and assignee is not None
            and not officers_for_node(path=unit.path).filter(pk=assignee.pk).exists()
        ):
            self.add_error("assignee", _("Choose an officer of the chosen unit"))
        return data


class ReturnToAgencyForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why it is not for this unit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The agency's verifiers read this and route the complaint again."),
        error_messages={"required": _("Say why the complaint is not for this unit")},
    )


class ForwardForm(VersionedForm):
    agency = forms.TypedChoiceField(
        label=_("Agency that handles it"),
        coerce=int,
        error_messages={
            "required": _("Choose the agency"),
            "invalid_choice": _("Choose an agency from the list"),
        },
    )
    reason = forms.CharField(
        label=_("Reason (bukan wewenang)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this reason."),
        error_messages={"required": _("Give the reason for forwarding")},
    )

    # The value of "the national triage desk": no agency id is 0.
    TRIAGE = 0

    def __init__(self, *args, agencies=(), triage: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.pk: a for a in agencies}
        choices = [("", _("Choose an agency"))]
        if triage:
            choices.append(
                (self.TRIAGE, _("The national triage desk (we do not know who handles it)"))
            )
        self.fields["agency"].choices = choices + [(a.pk, a.display_name) for a in agencies]

    def clean_agency(self):
        """The agency, or None for the national triage desk."""
        value = self.cleaned_data["agency"]
        return None if value == self.TRIAGE else self.agencies[value]


class AssigneeForm(StaffForm):
    """An officer of the complaint's unit, or "none" to clear the assignee."""

    assignee = forms.ChoiceField(
        label=_("Assignee"),
        error_messages={
            "required": _("Choose an officer or clear the assignee"),
            "invalid_choice": _("Choose an officer from the list"),
        },
    )

    def __init__(self, *args, officers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.officers = {str(u.pk): u for u in officers}
        self.fields["assignee"].choices = [
            ("", _("Choose an officer")),
            ("none", _("Clear the assignee")),
        ] + [(str(u.pk), u.get_full_name()) for u in officers]

    def assignee_user(self):
        value = self.cleaned_data["assignee"]
        return None if value == "none" else self.officers[value]


class TakeForm(VersionedForm):
    pass


class AssignForm(VersionedForm, AssigneeForm):
    pass


class NoteForm(StaffForm):
    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 4, "data-key": "n"}),  # shortcut n
        help_text=_("Only staff see notes; a note does not stop a clock."),
        error_messages={"required": _("Write the note")},
    )


class DraftForm(StaffForm):
    response = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The draft's own version (services.response_version): a draft edit does not change the
    # complaint's version, so the complaint's alone would miss a concurrent edit of the text.
    response_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    canned = forms.TypedChoiceField(
        label=_("Canned answer"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a canned answer from the list")},
    )
    body = forms.CharField(
        label=_("Answer to the reporter"),
        widget=forms.Textarea(attrs={"rows": 8, "data-key": "d"}),  # shortcut d
        help_text=_("The reporter sees exactly this text once it is published."),
        error_messages={"required": _("Write the answer")},
    )

    def __init__(self, *args, canned=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.canned = {c.pk: c for c in canned}
        # With canned answers on offer the text box may stay empty: the chosen canned answer
        # is then saved (the label says "optional" only then).
        self.fields["body"].required = not self.canned
        self.fields["canned"].choices = [("", _("No canned answer"))] + [
            (c.pk, c.title) for c in canned
        ]

    def canned_body(self) -> str:
        pk = self.cleaned_data.get("canned")
        return self.canned[pk].body if pk else ""


class ResponseForm(VersionedForm):
    response = forms.IntegerField(widget=forms.HiddenInput)
    response_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReturnForm(StaffForm):
    response = forms.IntegerField(widget=forms.HiddenInput)
    response_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the draft is returned"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the draft is returned")},
    )


class ResolvedForm(StaffForm):
    pass


class MergeForm(VersionedForm):
    into = forms.CharField(
        label=_("Tracking number of the complaint that carries on"),
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter the tracking number of the other complaint"),
            "max_length": _("No complaint with that tracking number is in your scope"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Bulk actions and walk-in entry


BULK_ACTIONS = [
    ("assign", _("Assign")),
    ("route", _("Route to a unit")),
    ("verify", _("Verify")),
    ("archive", _("Archive")),
]


class BulkSelectionForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    items = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": _("Choose complaints from the list")}
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "id:version" pairs; the versions catch complaints that changed since the queue loaded.
        raw = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        self.fields["items"].choices = [(v, v) for v in raw if _item_ok(v)]

    def clean_items(self):
        items = self.cleaned_data.get("items") or []
        if not items:
            raise forms.ValidationError(_("Select at least one complaint"))
        pairs = []
        for value in items[:200]:
            pk, version = value.split(":")
            pairs.append((int(pk), int(version)))
        return pairs


def _item_ok(value: str) -> bool:
    pk, sep, version = value.partition(":")
    return bool(sep) and pk.isdigit() and version.isdigit() and len(value) < 40


class BulkAssignForm(AssigneeForm):
    pass


class BulkRouteForm(StaffForm):
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        error_messages={
            "required": _("Choose the unit"),
            "invalid_choice": _("Choose a unit from the list"),
        },
    )

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [("", _("Choose a unit"))] + [
            (u.pk, ("— " * (u.path.count("/") - 1)) + u.name) for u in units
        ]

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class BulkArchiveForm(ArchiveForm):
    version = None


class BulkVerifyForm(StaffForm):
    pass


class WalkInForm(StaffForm):
    """A complaint entered by staff for a reporter who came in or phoned."""

    channel = forms.ChoiceField(
        label=_("How the report reached you"),
        choices=[(Channel.WALK_IN, _("In person (walk-in)")), (Channel.PHONE, _("By phone"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the report reached you")},
    )
    agency = forms.TypedChoiceField(
        label=_("Agency"),
        coerce=int,
        error_messages={
            "required": _("Choose the agency"),
            "invalid_choice": _("Choose an agency from the list"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of report"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of report")},
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a category from the list")},
    )
    title = forms.CharField(
        label=_("Title of the report"),
        error_messages={"required": _("Enter the title of the report")},
    )
    body = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write what happened"),
            "max_length": _("The account must be 5,000 characters or fewer"),
        },
    )
    incident_date = forms.DateField(
        label=_("Date of the incident"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput,
        error_messages={"invalid": _("The date of the incident must be a real date")},
    )
    location_text = forms.CharField(label=_("Location"), required=False)
    reporter_name = forms.CharField(
        label=_("Reporter's name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reporter_email = forms.EmailField(
        label=_("Reporter's email"),
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like nama@contoh.id")
        },
    )
    reporter_phone = forms.CharField(
        label=_("Reporter's phone"),
        required=False,
        help_text=_("For example 0812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous (anonim)"),
        required=False,
        help_text=_("The name and contact are hidden from the public and from agencies."),
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (rahasia)"),
        required=False,
        help_text=_("The report is not shown to the public; agencies can still read it."),
    )

    def __init__(self, *args, agencies=(), categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.pk: a for a in agencies}
        self.categories = {c.pk: c for c in categories}
        self.fields["agency"].choices = [("", _("Choose an agency"))] + [
            (a.pk, a.display_name) for a in agencies
        ]
        self.fields["category"].choices = [("", _("No category"))] + [
            (c.pk, f"{c.name} ({c.agency})") for c in categories
        ]

    def clean_agency(self):
        return self.agencies[self.cleaned_data["agency"]]

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        return self.categories.get(pk) if pk else None

    def clean_title(self) -> str:
        return clean_title_limit(self.cleaned_data["title"])

    def clean_location_text(self) -> str:
        location = self.cleaned_data.get("location_text") or ""
        if len(location) > 255:
            raise forms.ValidationError(
                _("The place must be %(n)s characters or fewer") % {"n": 255}
            )
        return location

    def clean_reporter_name(self) -> str:
        name = self.cleaned_data.get("reporter_name") or ""
        if len(name) > 150:
            raise forms.ValidationError(
                _("The reporter's name must be %(n)s characters or fewer") % {"n": 150}
            )
        return name

    def clean_reporter_phone(self) -> str:
        # The citizen form's rules and message; stored as +62….
        return clean_phone_number(self.cleaned_data.get("reporter_phone"))

    def clean(self):
        data = super().clean()
        agency, category = data.get("agency"), data.get("category")
        if agency and category and category.agency_id != agency.pk:
            self.add_error("category", _("Choose a category of the chosen agency"))
        if (
            not data.get("is_anonymous")
            and not (data.get("reporter_email") or data.get("reporter_phone"))
            # A contact typed wrongly already has its own error.
            and "reporter_email" not in self.errors
            and "reporter_phone" not in self.errors
        ):
            self.add_error(
                "reporter_phone",
                _("Enter the reporter's phone or email, or mark the report anonymous"),
            )
        return data

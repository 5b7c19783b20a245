"""Citizen forms. Every error message says what to do in the label's words (UX §3); limits come
from settings and are counted on the server; nothing is `required` or `maxlength` in HTML."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from common.forms import AccessibleFormMixin
from complaints.models import Kind

# -----------------------------------------------------------------------------------------------
# Widgets


class _HintedChoices:
    """Radios/checkboxes with a visible hint under each option (never a tooltip) and an
    optional "or" divider before some options (e.g. "Saya tidak tahu")."""

    def __init__(self, *args, hints=None, dividers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})
        self.dividers = set(dividers)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(  # type: ignore[misc]
            name, value, label, selected, index, subindex=subindex, attrs=attrs
        )
        hint = self.hints.get(str(value))
        if hint:
            hint_id = f"{option['attrs'].get('id', name)}-hint"
            option["hint"] = hint
            option["hint_id"] = hint_id
            option["attrs"] = {**option["attrs"], "aria-describedby": hint_id}
        option["divider_before"] = str(value) in self.dividers
        return option


class HintedRadioSelect(_HintedChoices, forms.RadioSelect):
    pass


class HintedCheckboxSelectMultiple(_HintedChoices, forms.CheckboxSelectMultiple):
    pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the content is checked by complaints.uploads."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is refused by complaints.uploads, whose message names the file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _text(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


def _limit_text(n: int) -> str:
    return number_format(n, force_grouping=True)


def _count_attrs(limit: int) -> dict[str, str]:
    """The textarea's limit and the live count's wording for aduan.js, in the page's language.
    The script only knows "1" from "any other number", so each message is rendered for n = 1
    and n = 2: enough for Indonesian (one form) and English (two). Without JavaScript the
    field's hint states the limit."""
    attrs = {"data-maxlength": str(limit)}
    for n, suffix in ((1, "-one"), (2, "")):
        attrs["data-count-left" + suffix] = ngettext(
            "You have %(n)s character remaining", "You have %(n)s characters remaining", n
        )
        attrs["data-count-over" + suffix] = ngettext(
            "You have %(n)s character too many", "You have %(n)s characters too many", n
        )
    return attrs


def _attachment_hint() -> str:
    from complaints.uploads import human_size

    return _(
        "JPG, PNG or PDF, each smaller than %(size)s, up to %(count)s files. "
        "Word, Excel and ZIP files are not accepted."
    ) % {
        "size": human_size(settings.ADUAN_ATTACHMENT_MAX_BYTES),
        "count": settings.ADUAN_ATTACHMENTS_MAX_COUNT,
    }


class HoneypotMixin(forms.Form):
    # Hidden from people (CSS and aria-hidden); bots that fill every field give themselves away.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


# -----------------------------------------------------------------------------------------------
# Filing steps


KIND_HINTS = {
    Kind.COMPLAINT: _("A public service went wrong, was refused or was not provided."),
    Kind.INFORMATION_REQUEST: _("You want information held by a government agency."),
    Kind.SUGGESTION: _("An idea or a request to improve a public service."),
}


class KindForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=Kind.choices,
        widget=HintedRadioSelect(hints=KIND_HINTS),
        error_messages={"required": _("Choose the kind of report")},
    )


class AgencySearchForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search for an agency"),
        required=False,
        help_text=_(
            "Type part of the name or its short name. Offices and directorates of an agency "
            "are found too."
        ),
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )


UNKNOWN = "unknown"
OTHER = "other"


class AgencyForm(AccessibleFormMixin, forms.Form):
    agency = forms.ChoiceField(
        label=_("Which agency is your report for?"),
        error_messages={
            "required": _("Choose the agency, or choose “I do not know”"),
            "invalid_choice": _("Choose the agency, or choose “I do not know”"),
        },
    )

    def __init__(self, *args, agencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(a.pk), a.display_name) for a in agencies]
        choices.append((UNKNOWN, _("I do not know")))
        hints = {UNKNOWN: _("We will pass your report to the agency responsible.")}
        for a in agencies:
            units = getattr(a, "matched_units", None)
            if units:
                # A unit is reached through its agency: say so next to the agency found.
                shown = "; ".join(units[:3])
                if len(units) > 3:
                    hints[str(a.pk)] = _("Includes %(units)s and others") % {"units": shown}
                else:
                    hints[str(a.pk)] = _("Includes %(units)s") % {"units": shown}
        self.fields["agency"].choices = choices
        self.fields["agency"].widget = HintedRadioSelect(
            hints=hints,
            dividers={UNKNOWN} if len(choices) > 1 else set(),
        )
        self.fields["agency"].widget.choices = choices


class CategoryForm(AccessibleFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("What is your report about?"),
        error_messages={
            "required": _("Choose what your report is about"),
            "invalid_choice": _("Choose what your report is about"),
        },
    )

    def __init__(self, *args, categories=(), language="id", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        hints = {}
        for c in categories:
            label = (c.name_en or c.name) if language == "en" else c.name
            choices.append((str(c.pk), label))
            if c.description:
                hints[str(c.pk)] = c.description
        choices.append((OTHER, _("Something else")))
        self.fields["category"].choices = choices
        self.fields["category"].widget = HintedRadioSelect(hints=hints, dividers={OTHER})
        self.fields["category"].widget.choices = choices


class StoryForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of your report"),
        help_text=_("One short sentence, for example “Queue at the health centre takes hours”."),
        error_messages={"required": _("Enter the title of your report")},
        strip=True,
        widget=_text(autocomplete="off"),
    )
    body = forms.CharField(
        label=_("What happened?"),
        error_messages={"required": _("Write what happened")},
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.ADUAN_BODY_MAX_LENGTH
        self.fields["body"].help_text = _(
            "Say what happened, where, and what you expect. Do not include passwords or "
            "bank details. You can write up to %(n)s characters."
        ) % {"n": _limit_text(limit)}
        self.fields["body"].widget.attrs.update(_count_attrs(limit))
        self.fields["body"].widget.attrs.setdefault("aria-describedby", "id_body-hint")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        limit = settings.ADUAN_TITLE_MAX_LENGTH
        if not title:
            raise forms.ValidationError(_("Enter the title of your report"))
        if len(title) > limit:
            raise forms.ValidationError(
                _("The title must be %(n)s characters or fewer") % {"n": _limit_text(limit)}
            )
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        limit = settings.ADUAN_BODY_MAX_LENGTH
        if not body:
            raise forms.ValidationError(_("Write what happened"))
        if len(body) > limit:
            raise forms.ValidationError(
                _("What happened must be %(n)s characters or fewer") % {"n": _limit_text(limit)}
            )
        return body


MONTHS = {
    # Indonesian and English month names and their usual abbreviations.
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "peb": 2,
    "pebruari": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "agus": 8,
    "agust": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "nop": 11,
    "nopember": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}

DATE_PARTS = ("incident_day", "incident_month", "incident_year")


def parse_month(value: str) -> int | None:
    value = value.strip().lower().rstrip(".")
    if value.isdigit():
        n = int(value)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(value)


def _coordinate(value: str) -> Decimal | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return Decimal("NaN")
    return number


class WhenWhereForm(AccessibleFormMixin, forms.Form):
    incident_day = forms.CharField(
        label=pgettext_lazy("date part", "Day"),
        required=False,
        widget=_text(inputmode="numeric", autocomplete="off", size="2"),
    )
    incident_month = forms.CharField(
        label=pgettext_lazy("date part", "Month"),
        required=False,
        widget=_text(autocomplete="off", size="9"),
    )
    incident_year = forms.CharField(
        label=pgettext_lazy("date part", "Year"),
        required=False,
        widget=_text(inputmode="numeric", autocomplete="off", size="4"),
    )
    location = forms.CharField(
        label=_("Where did it happen?"),
        help_text=_("The name of the office, the street, village or district and the city."),
        required=False,
        widget=_text(autocomplete="street-address"),
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        widget=_text(inputmode="decimal", autocomplete="off", spellcheck="false"),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        widget=_text(inputmode="decimal", autocomplete="off", spellcheck="false"),
    )

    date_legend = _("When did it happen?")
    date_hint = _("For example, 17 8 2025 or 17 August 2025. Leave it empty if you do not know.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bad_date_parts: set[str] = set()

    def _date_error(self, field: str, message, bad: tuple[str, ...] = ()) -> None:
        self.add_error(field, message)
        self.bad_date_parts |= {field, *bad}

    def clean(self):
        data = super().clean()
        parts = {name: (data.get(name) or "").strip() for name in DATE_PARTS}
        data["incident_date"] = None
        if any(parts.values()):
            self._clean_date(parts, data)
        self._clean_coordinates(data)
        location = (data.get("location") or "").strip()
        if len(location) > 255:
            self.add_error(
                "location",
                _("The place must be %(n)s characters or fewer") % {"n": _limit_text(255)},
            )
        data["location"] = location
        for part in self.bad_date_parts:
            self.fields[part].widget.attrs["aria-invalid"] = "true"
        return data

    def _clean_date(self, parts: dict[str, str], data: dict) -> None:
        missing = [name for name in DATE_PARTS if not parts[name]]
        if missing:
            words = {
                ("incident_day",): _("The date it happened must include a day"),
                ("incident_month",): _("The date it happened must include a month"),
                ("incident_year",): _("The date it happened must include a year"),
                ("incident_day", "incident_month"): _(
                    "The date it happened must include a day and month"
                ),
                ("incident_day", "incident_year"): _(
                    "The date it happened must include a day and year"
                ),
                ("incident_month", "incident_year"): _(
                    "The date it happened must include a month and year"
                ),
            }
            self._date_error(missing[0], words[tuple(missing)], tuple(missing))
            return
        real_date = _("The date it happened must be a real date")
        day_text, year_text = parts["incident_day"], parts["incident_year"]
        month = parse_month(parts["incident_month"])
        bad = [
            name
            for name, ok in (
                ("incident_day", day_text.isdigit()),
                ("incident_month", month is not None),
            )
            if not ok
        ]
        if bad:
            self._date_error(bad[0], real_date, tuple(bad))
            return
        if not (year_text.isdigit() and len(year_text) == 4):
            self._date_error("incident_year", _("The year must include 4 numbers"))
            return
        try:
            date = dt.date(int(year_text), month, int(day_text))
        except ValueError:
            self._date_error("incident_day", real_date, DATE_PARTS)
            return
        if date > timezone.localdate():
            self._date_error(
                "incident_day", _("The date it happened must be today or in the past"), DATE_PARTS
            )
            return
        if date.year < 1900:
            self._date_error("incident_year", _("The year must be 1900 or later"), DATE_PARTS)
            return
        data["incident_date"] = date

    def _clean_coordinates(self, data: dict) -> None:
        lat = _coordinate(data.get("latitude") or "")
        lon = _coordinate(data.get("longitude") or "")
        data["latitude"] = data["longitude"] = None
        if lat is None and lon is None:
            return
        if lat is None:
            self.add_error("latitude", _("Enter the latitude as well, or leave both empty"))
            return
        if lon is None:
            self.add_error("longitude", _("Enter the longitude as well, or leave both empty"))
            return
        ok = True
        if lat.is_nan() or not (-90 <= lat <= 90):
            self.add_error("latitude", _("The latitude must be a number between -90 and 90"))
            ok = False
        if lon.is_nan() or not (-180 <= lon <= 180):
            self.add_error("longitude", _("The longitude must be a number between -180 and 180"))
            ok = False
        if ok:
            data["latitude"] = lat.quantize(Decimal("0.000001"))
            data["longitude"] = lon.quantize(Decimal("0.000001"))


class FollowForm(AccessibleFormMixin, forms.Form):
    """The email address that follows a similar report instead of a new one."""

    email = forms.CharField(
        label=_("Email address"),
        help_text=_(
            "We email you when the agency answers this report and when it is closed. "
            "Nothing else, and you can stop at any time."
        ),
        error_messages={"required": _("Enter your email address")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        if len(email) > 254:
            raise forms.ValidationError(
                _("The email address must be %(n)s characters or fewer") % {"n": 254}
            )
        try:
            validate_email(email)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("Enter an email address in the correct format, like name@example.com")
            ) from exc
        return email.lower()


class AttachmentsForm(AccessibleFormMixin, forms.Form):
    files = MultipleFileField(label=_("Choose files"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _attachment_hint()
        self.fields["files"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf"
        self.fields["files"].widget.attrs.setdefault("aria-describedby", "id_files-hint")


ANONYMOUS = "anonymous"
CONFIDENTIAL = "confidential"


class PrivacyForm(AccessibleFormMixin, forms.Form):
    privacy = forms.MultipleChoiceField(
        label=_("Do you want to keep your report private?"),
        help_text=_("Choose all that apply, or neither."),
        required=False,
        choices=[(ANONYMOUS, _("Anonymous")), (CONFIDENTIAL, _("Confidential"))],
        widget=HintedCheckboxSelectMultiple(
            hints={
                ANONYMOUS: _(
                    "Your name and contact details are not shown to the public or to the agency."
                ),
                CONFIDENTIAL: _(
                    "What you write is not shown to the public; the agency can still read it."
                ),
            }
        ),
    )


PHONE_RE = re.compile(r"^\+62[0-9]{7,13}$")


def normalize_phone(value: str) -> str | None:
    """Accept 08…, +62… and 62… with spaces, dots, brackets or hyphens; return +62…, or None
    when it is not an Indonesian phone number."""
    raw = re.sub(r"[\s\-\.\(\)]", "", value or "")
    if raw.startswith("+62"):
        number = raw
    elif raw.startswith("62"):
        number = "+" + raw
    elif raw.startswith("0"):
        number = "+62" + raw[1:]
    else:
        return None
    return number if PHONE_RE.match(number) else None


def clean_phone_number(value: str) -> str:
    """A form field's phone number, normalized to +62…; "" when left empty. Shared by the
    citizen's contact form and the staff walk-in form: the same rules and the same message."""
    phone = (value or "").strip()
    if not phone:
        return ""
    normalized = normalize_phone(phone)
    if normalized is None:
        raise forms.ValidationError(
            _("Enter a phone number like 0812 3456 7890 or +62 812 3456 7890")
        )
    return normalized


class ContactForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        required=False,
        widget=_text(autocomplete="name", spellcheck="false"),
    )
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        help_text=_("We send the tracking number and every answer to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        help_text=_(
            "The agency may call you if it needs to know more. For example 0812 3456 7890."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, anonymous: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        if anonymous:
            # The agency does not see an anonymous reporter's number: it cannot call.
            self.fields["phone"].help_text = _("For example 0812 3456 7890.")
        else:
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = _("Enter your full name")

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if len(name) > 150:
            raise forms.ValidationError(
                _("Your name must be %(n)s characters or fewer") % {"n": 150}
            )
        return name

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Enter an email address in the correct format, like name@example.com")
                ) from exc
            if len(email) > 254:
                raise forms.ValidationError(
                    _("The email address must be %(n)s characters or fewer") % {"n": 254}
                )
        return email.lower()

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        if (
            not self.anonymous
            and not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", _("Enter an email address or a phone number"))
        return data


class CheckForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my report is processed as it says"),
        required=True,
        error_messages={"required": _("Confirm that you agree to the privacy notice")},
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


# -----------------------------------------------------------------------------------------------
# Tracking and the reporter's actions


def _code_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "characters",
            "class": "input--code",
        }
    )


class TrackForm(AccessibleFormMixin, forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        help_text=_("12 letters and numbers, for example ABCD-2345-EFGH."),
        error_messages={"required": _("Enter the tracking number")},
        widget=_code_input(),
    )
    access_code = forms.CharField(
        label=_("Access code"),
        help_text=_("8 letters and numbers, shown when you sent the report."),
        error_messages={"required": _("Enter the access code")},
        widget=_code_input(),
    )


class SupplyInfoForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("The information that was asked for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = MultipleFileField(label=_("Add files"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _attachment_hint()
        self.fields["files"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf"
        self.fields["files"].widget.attrs.setdefault("aria-describedby", "id_files-hint")
        limit = settings.ADUAN_BODY_MAX_LENGTH
        self.fields["body"].help_text = _(
            "Write the information, upload a file below, or both. You can write up to %(n)s "
            "characters."
        ) % {"n": _limit_text(limit)}
        self.fields["body"].widget.attrs.update(_count_attrs(limit))
        self.fields["body"].widget.attrs.setdefault("aria-describedby", "id_body-hint")

    def clean_body(self) -> str:
        body = (self.cleaned_data.get("body") or "").strip()
        limit = settings.ADUAN_BODY_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                _("The information must be %(n)s characters or fewer") % {"n": _limit_text(limit)}
            )
        return body

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > settings.ADUAN_ATTACHMENTS_MAX_COUNT:
            raise forms.ValidationError(
                _("You can add up to %(n)s files") % {"n": settings.ADUAN_ATTACHMENTS_MAX_COUNT}
            )
        return files

    def clean(self) -> dict:
        data = super().clean()
        # Text or a file: a photo alone is often exactly what the officer asked for.
        if "body" in data and "files" in data and not data["body"] and not data["files"]:
            self.add_error("body", _("Write the information that was asked for or upload a file"))
        return data


ACCEPT = "accept"
OBJECT = "object"


class RespondForm(AccessibleFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Does this answer settle your report?"),
        choices=[
            (ACCEPT, _("Yes, my problem is solved")),
            (OBJECT, _("No, I object to this answer")),
        ],
        widget=HintedRadioSelect(hints={OBJECT: _("The agency must look at your report again.")}),
        error_messages={"required": _("Choose whether the answer settles your report")},
    )
    reason = forms.CharField(
        label=_("Why does the answer not settle your report?"),
        help_text=_("Only if you object."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        data = super().clean()
        reason = (data.get("reason") or "").strip()
        if data.get("answer") == OBJECT:
            if not reason:
                self.add_error("reason", _("Write why the answer does not settle your report"))
            elif len(reason) > settings.ADUAN_BODY_MAX_LENGTH:
                self.add_error(
                    "reason",
                    _("The reason must be %(n)s characters or fewer")
                    % {"n": _limit_text(settings.ADUAN_BODY_MAX_LENGTH)},
                )
        else:
            # The reason box is visible without JavaScript; it does not apply to an acceptance.
            reason = ""
        data["reason"] = reason
        return data


# The five labelled answers of the rating and the service feedback (UX §1), best first.
SATISFACTION_CHOICES = [
    ("5", _("Very satisfied")),
    ("4", _("Satisfied")),
    ("3", _("Neither satisfied nor dissatisfied")),
    ("2", _("Dissatisfied")),
    ("1", _("Very dissatisfied")),
]


class RateForm(AccessibleFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how your report was handled?"),
        coerce=int,
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how satisfied you are"),
            "invalid_choice": _("Choose how satisfied you are"),
        },
    )
    comment = forms.CharField(
        label=_("Tell us more"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_comment(self) -> str:
        comment = (self.cleaned_data.get("comment") or "").strip()
        if len(comment) > 2000:
            raise forms.ValidationError(
                _("Your comment must be %(n)s characters or fewer") % {"n": _limit_text(2000)}
            )
        return comment


# -----------------------------------------------------------------------------------------------
# Feedback on the service


def safe_return_path(value: str) -> str:
    """A path on this site ("/lapor/terkirim/"), or "" for anything else: never another host,
    a scheme, a protocol-relative or backslash trick."""
    value = (value or "").strip()
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or len(value) > 200
        or any(ord(ch) < 32 for ch in value)
    ):
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return ""
    return value


class ServiceFeedbackForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how did you feel about this service?"),
        coerce=int,
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how satisfied you are with this service"),
            "invalid_choice": _("Choose how satisfied you are with this service"),
        },
    )
    comment = forms.CharField(
        label=_("How could we improve this service?"),
        help_text=_(
            "Do not include personal details, like your name, phone number or tracking number."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_comment(self) -> str:
        comment = (self.cleaned_data.get("comment") or "").strip()
        if len(comment) > 2000:
            raise forms.ValidationError(
                _("Your comment must be %(n)s characters or fewer") % {"n": _limit_text(2000)}
            )
        return comment

    def clean_page(self) -> str:
        return safe_return_path(self.cleaned_data.get("page") or "")

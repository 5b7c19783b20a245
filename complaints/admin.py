"""Admin for reference data. Complaints are read-only here: their changes go through the
services (and the staff workspace), never through a bare save."""

import copy
import datetime as dt
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError
from complaints.access import TRACKING_NUMBER_LENGTH, normalize_code
from complaints.models import (
    Agency,
    CalendarDay,
    CannedResponse,
    Category,
    Complaint,
    ComplaintEvent,
    Escalation,
    Membership,
    Notification,
    ServiceFeedback,
    SlaPolicy,
)
from complaints.models.intake import Open311Client
from complaints.selectors.calendar import STATE_LABELS, calendar_year, state_label
from complaints.services.calendar import calendar_days_import
from complaints.services.intake import open311_client_create
from complaints.services.policy import SLA_DAY_FIELDS, sla_policy_check


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "time_zone", "responses_need_approval")
    list_filter = ("kind", "time_zone", "responses_need_approval", "is_active")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "source")
    list_filter = ("role",)
    search_fields = ("user__email", "agency__name")
    autocomplete_fields = ("user", "agency")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "parent", "default_tier", "is_active")
    list_filter = ("default_tier", "is_active")
    search_fields = ("name", "agency__name")
    autocomplete_fields = ("agency", "parent")


class SlaPolicyAdminForm(forms.ModelForm):
    """The admin keeps the rules of the SLA policy service (complaints.services.policy): day
    counts in range and in order, the category within the agency, one active policy per scope,
    the national default active."""

    class Meta:
        model = SlaPolicy
        fields = ("name", "agency", "category", *SLA_DAY_FIELDS, "escalation_ladder", "is_active")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = copy.copy(self.instance)
        for field, value in cleaned.items():
            if field in {f.name for f in SlaPolicy._meta.fields}:
                setattr(candidate, field, value)
        try:
            sla_policy_check(candidate, changed=set(self.changed_data))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, exc)
        return cleaned


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    form = SlaPolicyAdminForm
    list_display = ("name", "agency", "category", "verify_days", "first_response_days", "is_active")
    list_filter = ("is_active",)
    autocomplete_fields = ("agency", "category")

    def get_readonly_fields(self, request, obj=None):
        # A policy's scope never changes (as through the API): deactivate it, create another.
        return ("agency", "category") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # The national default (no agency, no category) is what every clock falls back on.
        if obj is not None and obj.agency_id is None and obj.category_id is None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # "Delete selected" asks no per-row permission: policies are deleted one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


# Dates as an SKB or a calendar writes them: 2026-03-18, 18-03-2026, 18/03/2026, or
# "Rabu, 18 Maret 2026" (Indonesian or English month names, a weekday before it or not).
MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb", "pebruari"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
DATE_FORMS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b"), ("d", "m", "y")),
    (re.compile(r"\b(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\b"), ("d", "month", "y")),
)
NAME_EDGES = " \t-\u2013\u2014:,;.|"


def parse_calendar_line(line: str) -> tuple[dt.date, str] | None:
    """The date on a line and the text after it (the day's name, "" when none)."""
    for pattern, parts in DATE_FORMS:
        found = pattern.search(line)
        if found is None:
            continue
        values = dict(zip(parts, found.groups(), strict=True))
        month = values.get("m") or MONTHS.get(values.get("month", "").lower())
        if not month:
            continue
        try:
            day = dt.date(int(values["y"]), int(month), int(values["d"]))
        except ValueError:
            return None
        return day, line[found.end() :].strip(NAME_EDGES)
    return None


class CalendarImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The dates are"),
        choices=[
            (CalendarDay.Kind.CUTI_BERSAMA, _("Collective leave (cuti bersama)")),
            (CalendarDay.Kind.NATIONAL_HOLIDAY, _("National holiday")),
            (CalendarDay.Kind.WORKING_DAY, _("Working day (a national day off moved away)")),
        ],
    )
    name = forms.CharField(
        label=_("Name for dates without one"),
        max_length=150,
        initial=_("Cuti bersama"),
        help_text=_("A line's own text after its date is used when it has some."),
    )
    dates = forms.CharField(
        label=_("Dates, one a line"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 70}),
        help_text=_(
            "Paste the list from the SKB, for example “Rabu, 18 Maret 2026 Cuti bersama Hari "
            "Suci Nyepi” or “2026-03-18”."
        ),
    )

    def clean_dates(self) -> list[tuple[dt.date, str]]:
        days, wrong = [], []
        for number, line in enumerate(self.cleaned_data["dates"].splitlines(), start=1):
            if not line.strip():
                continue
            parsed = parse_calendar_line(line)
            if parsed is None:
                wrong.append(
                    _("Line %(n)s: “%(text)s” has no date") % {"n": number, "text": line.strip()}
                )
            else:
                days.append(parsed)
        if wrong:
            raise forms.ValidationError(wrong)
        if not days:
            raise forms.ValidationError(_("Paste at least one date"))
        return days

    def days(self) -> list[tuple[dt.date, str]]:
        default = self.cleaned_data["name"]
        return [(day, name or default) for day, name in self.cleaned_data["dates"]]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind", "agency")
    list_filter = ("kind",)
    date_hierarchy = "date"
    autocomplete_fields = ("agency",)
    change_list_template = "admin/complaints/calendarday/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("tahun/", view(self.year_view), name="complaints_calendarday_year"),
            path("impor/", view(self.import_view), name="complaints_calendarday_import"),
            *super().get_urls(),
        ]

    def year_view(self, request: HttpRequest) -> HttpResponse:
        """A year of the national calendar, month by month, with why each day is off."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        shown = calendar_year(year)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Working-day calendar %(year)s") % {"year": year},
            "cal": shown,
            "state_label": {state: state_label(state) for state in STATE_LABELS},
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            "previous_year": year - 1,
            "next_year": year + 1,
            "missing": not shown.cuti_bersama_count,
        }
        return TemplateResponse(request, "admin/complaints/calendarday/year.html", context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Paste the dates of an SKB (or the days an amending SKB or isbat moved)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            days = form.days()
            try:
                added, known = calendar_days_import(
                    actor=request.user, kind=form.cleaned_data["kind"], days=days
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                self.message_user(
                    request,
                    _("%(added)s days added, %(known)s already recorded.")
                    % {"added": added, "known": known},
                    messages.SUCCESS,
                )
                url = reverse("admin:complaints_calendarday_year")
                return redirect(f"{url}?year={min(d for d, _n in days).year}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import dates from an SKB"),
            "form": form,
        }
        return TemplateResponse(request, "admin/complaints/calendarday/import.html", context)


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ("title", "agency")
    search_fields = ("title", "body")
    autocomplete_fields = ("agency",)


class TrackingNumberSearch:
    """Search also takes a tracking number as printed for people (8M2F-E63A-SRR6), which is
    stored as 8m2fe63asrr6."""

    tracking_number_field = "complaint__tracking_number"

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalize_code(search_term)
        if len(number) == TRACKING_NUMBER_LENGTH:
            found |= queryset.filter(**{self.tracking_number_field: number})
        return found, may_have_duplicates


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    tracking_number_field = "tracking_number"
    list_display = ("printed_tracking_number", "title", "agency", "status", "current_due_at")
    list_filter = ("status", "kind", "channel", "is_anonymous", "is_confidential")
    search_fields = ("tracking_number", "title")
    list_select_related = ("agency",)
    exclude = ("access_code_hash",)
    readonly_fields = ("printed_tracking_number",)

    @admin.display(description=_("tracking number"), ordering="tracking_number")
    def printed_tracking_number(self, obj: Complaint) -> str:
        return obj.display_tracking_number

    def get_fields(self, request, obj=None):
        # The number as people read it (hyphenated) in place of the stored one.
        fields = super().get_fields(request, obj)
        rest = [f for f in fields if f not in ("tracking_number", "printed_tracking_number")]
        return ["printed_tracking_number", *rest]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    list_display = ("complaint", "type", "actor", "created_at")
    list_filter = ("type",)
    search_fields = ("complaint__tracking_number",)
    list_select_related = ("complaint", "actor")


@admin.register(Escalation)
class EscalationAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    list_display = ("complaint", "clock", "level", "created_at", "acknowledged_at")
    list_filter = ("clock", "level")
    search_fields = ("complaint__tracking_number",)
    list_select_related = ("complaint",)


@admin.register(Notification)
class NotificationAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    list_display = ("recipient", "kind", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "kind", "channel")
    search_fields = ("recipient", "complaint__tracking_number")
    # A sent body can hold a signed link that opens a reporter's complaint without the access
    # code: the admin shows what was sent to whom, not the message itself.
    exclude = ("body",)
    readonly_fields = ("body_withheld",)

    @admin.display(description=_("message"))
    def body_withheld(self, obj):
        return _("Not shown: it may hold a personal link for the recipient.")


@admin.register(ServiceFeedback)
class ServiceFeedbackAdmin(admin.ModelAdmin):
    """Read-only: what visitors said about the service, as they said it."""

    list_display = ("created_at", "rating", "short_comment", "page", "language")
    list_filter = ("rating", "language")
    date_hierarchy = "created_at"
    search_fields = ("comment",)

    @admin.display(description=_("comment"))
    def short_comment(self, obj: ServiceFeedback) -> str:
        return obj.comment if len(obj.comment) <= 80 else obj.comment[:79] + "…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Keys are made here or with `manage.py open311_key create`; either shows the key once.
    Only its prefix and digest are kept, so a lost key is revoked (unticked) and replaced."""

    list_display = ("name", "key_prefix", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "key_prefix")
    readonly_fields = ("key_prefix", "created_at")

    def get_fields(self, request, obj=None):
        return ("name",) if obj is None else ("name", "key_prefix", "is_active", "created_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = open311_client_create(name=obj.name)
        obj.pk = client.pk
        obj.key_prefix, obj.key_hash, obj.created_at = (
            client.key_prefix,
            client.key_hash,
            client.created_at,
        )
        obj._state.adding = False
        self.message_user(
            request,
            _("Copy the key now; it is not stored and will not be shown again. api_key: %(key)s")
            % {"key": key},
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None):
        # Filed requests keep their client (PROTECT); revoking is unticking "active".
        return False

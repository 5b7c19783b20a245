"""The complaint list's filters: the staff queue's own (selectors.queue.queue_filter), validated
from the query string by django-filter."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from complaints.models import Agency, Category, Channel, Complaint, Kind, Status
from complaints.policy import STAFF_CLOCK_STATES
from complaints.selectors.queue import SORTS, actor_units, queue_filter

PRIVACY = (("anonymous", _("Anonymous (anonim)")), ("confidential", _("Confidential (rahasia)")))
# `ordering` (the API's name) and `cursor`/`page_size` (the paginator's) are read elsewhere.
OTHER_PARAMS = frozenset({"ordering", "cursor", "page_size", "format"})


def _units(request) -> QuerySet[Agency]:
    if request is None or not request.user.is_authenticated:
        return Agency.objects.none()
    return actor_units(request.user)


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=200, help_text=_("Words from the title or account, or a tracking number.")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text=_("None given: every open complaint.")
    )
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    clock = django_filters.MultipleChoiceFilter(
        choices=[(s, s) for s in STAFF_CLOCK_STATES],
        help_text=_("The state of the running staff deadline."),
    )
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all())
    unit = django_filters.ModelChoiceFilter(
        queryset=_units, help_text=_("An agency or unit in your scope (its sub-units included).")
    )
    assignee = django_filters.CharFilter(
        max_length=20, help_text=_("`me`, `none` (unassigned) or a user id.")
    )
    privacy = django_filters.MultipleChoiceFilter(choices=PRIVACY)
    date_from = django_filters.DateFilter(help_text=_("Received on or after (YYYY-MM-DD)."))
    date_to = django_filters.DateFilter(help_text=_("Received on or before (YYYY-MM-DD)."))
    approval = django_filters.BooleanFilter(help_text=_("Drafts waiting for your approval."))
    forwarded = django_filters.BooleanFilter(
        help_text=_("Only the complaints your agency forwarded to another agency (read-only).")
    )

    class Meta:
        model = Complaint
        fields: list[str] = []

    def is_valid(self) -> bool:
        unknown = sorted(set(self.data) - set(self.filters) - OTHER_PARAMS)
        if unknown:
            raise ValidationError(
                {name: [_("Unknown filter: %(name)s.") % {"name": name}] for name in unknown}
            )
        return super().is_valid()

    def filter_queryset(self, queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
        data = dict(self.form.cleaned_data)
        assignee = data.get("assignee") or ""
        if assignee and assignee not in ("me", "none") and not assignee.isdigit():
            raise ValidationError({"assignee": [_("Use me, none or a user id (a whole number).")]})
        if assignee.isdigit() and int(assignee) > 2**62:
            raise ValidationError({"assignee": [_("The user id is too large.")]})
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError({"date_to": [_("date_to must be on or after date_from.")]})
        if data.get("category") is not None:
            data["category"] = data["category"].pk
        data["sort"] = ordering_of(self.request)
        return queue_filter(actor=self.request.user, filters=data)


def ordering_of(request) -> str:
    sort = request.query_params.get("ordering") or ""
    if sort and sort not in SORTS:
        raise ValidationError(
            {"ordering": [_("Choose one of: %(list)s.") % {"list": ", ".join(SORTS)}]}
        )
    return sort


def complaint_queue(request) -> QuerySet[Complaint]:
    """The caller's queue narrowed by the query string. Without a filter the form is not
    built at all (its choice fields cost more than the rest of the request)."""
    if not set(request.query_params) - OTHER_PARAMS:
        return queue_filter(actor=request.user, filters={"sort": ordering_of(request)})
    filterset = ComplaintFilter(request.query_params, queryset=None, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs

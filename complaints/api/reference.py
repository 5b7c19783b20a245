"""Reference data a client needs to file and route: the agency tree and each agency's
categories (read; the national admin manages them in the admin)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import NotFound
from complaints.api.base import IDEMPOTENCY_PARAMETER, ThrottleFirst, idempotent
from complaints.api.views import problems
from complaints.models import Agency, CalendarDay, ResolutionTier, SlaPolicy
from complaints.selectors.calendar import calendar_year
from complaints.selectors.public import agency_get_public, category_list_public
from complaints.services.calendar import NATIONAL_KINDS, calendar_days_import
from complaints.services.policy import (
    sla_policy_create,
    sla_policy_deactivate,
    sla_policy_update,
)


class AgencyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    parent = serializers.IntegerField(
        allow_null=True, help_text=_("The parent agency's id; null for a top-level agency.")
    )
    depth = serializers.IntegerField()
    time_zone = serializers.CharField()
    responses_need_approval = serializers.BooleanField()


class CategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    default_tier = serializers.ChoiceField(choices=ResolutionTier.choices)


class AgencyList(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="agencies_list",
        summary="The agency tree: agencies and their units, parents before children",
        responses={200: AgencyOut(many=True), **problems(401, 429)},
    )
    def get(self, request: Request) -> Response:
        rows = (
            Agency.objects.filter(is_active=True)
            .order_by("path")
            .values(
                "id",
                "name",
                "short_name",
                "kind",
                "parent_id",
                "path",
                "time_zone",
                "responses_need_approval",
            )
        )
        return Response(
            [
                {
                    "id": r["id"],
                    "name": r["name"],
                    "short_name": r["short_name"],
                    "kind": r["kind"],
                    "parent": r["parent_id"],
                    "depth": max(0, r["path"].count("/") - 1),
                    "time_zone": r["time_zone"],
                    "responses_need_approval": r["responses_need_approval"],
                }
                for r in rows
            ]
        )


class AgencyCategories(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="agencies_categories",
        summary="An agency's categories (its tree, parents first)",
        parameters=[OpenApiParameter("agency_id", int, OpenApiParameter.PATH)],
        responses={200: CategoryOut(many=True), **problems(401, 404, 429)},
    )
    def get(self, request: Request, agency_id: int) -> Response:
        agency = agency_get_public(agency_id=agency_id) if agency_id < 2**31 else None
        if agency is None:
            raise NotFound(_("Agency not found."))
        rows: list[dict[str, Any]] = [
            {
                "id": c.pk,
                "name": c.name,
                "name_en": c.name_en,
                "parent": c.parent_id,
                "depth": getattr(c, "depth", 0),
                "default_tier": c.default_tier,
            }
            for c in category_list_public(agency_id=agency.pk)
        ]
        return Response(rows)


class SlaPolicyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agency = serializers.IntegerField(allow_null=True, help_text=_("Null: the national default."))
    category = serializers.IntegerField(allow_null=True)
    verify_days = serializers.IntegerField()
    first_response_days = serializers.IntegerField()
    tier_information_days = serializers.IntegerField()
    tier_standard_days = serializers.IntegerField()
    tier_field_days = serializers.IntegerField()
    reporter_reply_days = serializers.IntegerField()
    reporter_info_days = serializers.IntegerField()
    hard_ceiling_calendar_days = serializers.IntegerField()
    reporter_info_reminder_days = serializers.IntegerField()
    auto_close_reminder_days = serializers.IntegerField()
    due_soon_days = serializers.IntegerField()


SLA_FIELDS = tuple(SlaPolicyOut().fields)


def sla_policy_data(policy: SlaPolicy) -> dict[str, Any]:
    return {
        **{f: getattr(policy, f) for f in SLA_FIELDS if f not in ("agency", "category")},
        "agency": policy.agency_id,
        "category": policy.category_id,
    }


SLA_WRITE_NOTE = (
    "A change governs the clocks started after it: the deadlines of complaints already "
    "running are stored on each complaint and are not recomputed. Day counts are 1 to 365 "
    "working days (the hard ceiling: calendar days); the due-soon days stay below the first "
    "response days and each reminder below its clock."
)


def _day_count(help_text: Any) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, help_text=help_text)


class SlaPolicyDaysIn(serializers.Serializer):
    """The day counts a national admin sets (the service checks their bounds)."""

    verify_days = _day_count(_("Working days to verify a new complaint."))
    first_response_days = _day_count(_("Working days to the first response."))
    tier_information_days = _day_count(_("Working days to resolve: information tier."))
    tier_standard_days = _day_count(_("Working days to resolve: standard tier."))
    tier_field_days = _day_count(_("Working days to resolve: field inspection tier."))
    reporter_reply_days = _day_count(_("Working days the reporter has to reply to an answer."))
    reporter_info_days = _day_count(_("Working days the reporter has to supply information."))
    reporter_info_reminder_days = _day_count(
        _("Working days after which the reporter is reminded to supply information.")
    )
    auto_close_reminder_days = _day_count(
        _("Working days before auto-close when the reporter is reminded.")
    )
    hard_ceiling_calendar_days = _day_count(_("Calendar days to the hard ceiling."))
    due_soon_days = _day_count(_("Working days left at which a clock counts as due soon."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A field the API does not write (the ladder, the active flag; on a change, the scope)
        # is refused rather than silently dropped.
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: self.refusal(name) for name in unknown})
        return attrs

    def refusal(self, name: str) -> Any:
        return _("The API does not write this field.")


class SlaPolicyCreateIn(SlaPolicyDaysIn):
    name = serializers.CharField(max_length=150, allow_blank=True)
    agency = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_(
            "The agency or unit (and its units) it governs; null or left out with no category: "
            "the national default."
        ),
    )
    category = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("A category of the agency or of an agency above it."),
    )


class SlaPolicyUpdateIn(SlaPolicyDaysIn):
    name = serializers.CharField(required=False, max_length=150, allow_blank=True)

    def refusal(self, name: str) -> Any:
        if name in ("agency", "category"):
            return _("A policy's scope does not change: deactivate it and create another.")
        return super().refusal(name)


class SlaPolicies(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="sla_policies_list",
        summary="SLA policies: the national default and agency or category overrides (working "
        "days; the national admin writes them)",
        responses={200: SlaPolicyOut(many=True), **problems(401, 429)},
    )
    def get(self, request: Request) -> Response:
        rows = SlaPolicy.objects.filter(is_active=True).order_by("agency_id", "category_id", "id")
        return Response(
            [
                {
                    **{f: getattr(p, f) for f in SLA_FIELDS if f not in ("agency", "category")},
                    "agency": p.agency_id,
                    "category": p.category_id,
                }
                for p in rows
            ]
        )

    @extend_schema(
        operation_id="sla_policies_create",
        summary="Create an agency or category override, or the national default (national admin)",
        description=SLA_WRITE_NOTE
        + " Day counts left out, and the escalation ladder, are copied from the policy that "
        "governs the scope now. A category's policy governs every complaint of the category; "
        "one active policy per agency or category (409 for a second).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=SlaPolicyCreateIn,
        responses={201: SlaPolicyOut, **problems(400, 401, 403, 404, 409, 422, 429)},
        examples=[
            OpenApiExample(
                "A longer field-inspection tier for one agency",
                request_only=True,
                value={"name": "BPOM: uji laboratorium", "agency": 1, "tier_field_days": 90},
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        ser = SlaPolicyCreateIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        policy = sla_policy_create(
            actor=request.user,
            name=d.pop("name"),
            agency_id=d.pop("agency", None),
            category_id=d.pop("category", None),
            **d,
        )
        response = Response(sla_policy_data(policy), status=201)
        response["Location"] = request.build_absolute_uri(
            reverse("api:sla-policy", args=[policy.pk])
        )
        return response


class SlaPolicyDetail(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="sla_policies_update",
        summary="Change a policy's name or day counts (national admin)",
        description=SLA_WRITE_NOTE,
        parameters=[OpenApiParameter("policy_id", int, OpenApiParameter.PATH)],
        request=SlaPolicyUpdateIn,
        responses={200: SlaPolicyOut, **problems(400, 401, 403, 404, 409, 422, 429)},
        examples=[
            OpenApiExample(
                "Verification within two working days",
                request_only=True,
                value={"verify_days": 2},
            )
        ],
    )
    def patch(self, request: Request, policy_id: int) -> Response:
        ser = SlaPolicyUpdateIn(data=request.data)
        ser.is_valid(raise_exception=True)
        policy = sla_policy_update(actor=request.user, policy_id=policy_id, **ser.validated_data)
        return Response(sla_policy_data(policy))

    @extend_schema(
        operation_id="sla_policies_deactivate",
        summary="Deactivate an agency or category override (national admin); never the "
        "national default",
        description="Its scope falls back on the next policy up (an agency above, then the "
        "national default) for clocks started afterwards. Deactivating twice is no error.",
        parameters=[OpenApiParameter("policy_id", int, OpenApiParameter.PATH)],
        responses={204: None, **problems(400, 401, 403, 404, 409, 422, 429)},
    )
    def delete(self, request: Request, policy_id: int) -> Response:
        sla_policy_deactivate(actor=request.user, policy_id=policy_id)
        return Response(status=204)


class CalendarDayOut(serializers.Serializer):
    date = serializers.DateField()
    state = serializers.CharField(
        help_text=_("holiday, cuti_bersama, local, working_override (a weekday off or on).")
    )
    name = serializers.CharField(allow_blank=True)
    source = serializers.CharField(help_text=_("package (national law) or register (data)."))


class CalendarDays(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="calendar_days_list",
        summary="The year's national days off and overrides (hari libur dan cuti bersama)",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses={200: CalendarDayOut(many=True), **problems(401, 404, 429)},
    )
    def get(self, request: Request, year: int) -> Response:
        if not 2000 <= year <= 2100:
            raise NotFound(_("Choose a year from 2000 to 2100."))
        days = calendar_year(year).days_off
        return Response(
            [
                {"date": d.date.isoformat(), "state": d.state, "name": d.name, "source": d.source}
                for d in days
            ]
        )


class CalendarDayIn(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=150, allow_blank=True, default="")


class CalendarImportIn(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(k, CalendarDay.Kind(k).label) for k in NATIONAL_KINDS],
        help_text=_(
            "What the dates are: cuti bersama or national holidays of an SKB, or days declared "
            "working (a holiday moved by an isbat or an amending SKB)."
        ),
    )
    days = CalendarDayIn(many=True, allow_empty=False, max_length=100)


class CalendarImportOut(serializers.Serializer):
    added = serializers.IntegerField()
    already_recorded = serializers.IntegerField()


class CalendarImport(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="calendar_days_import",
        summary="Record national days off or working days (national admin): the list of an SKB",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=CalendarImportIn,
        responses={201: CalendarImportOut, **problems(400, 401, 403, 422, 429)},
        examples=[
            OpenApiExample(
                "Cuti bersama of an SKB",
                request_only=True,
                value={
                    "kind": "cuti_bersama",
                    "days": [
                        {"date": "2027-03-09", "name": "Cuti bersama Nyepi"},
                        {"date": "2027-03-11", "name": "Cuti bersama Idulfitri"},
                    ],
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._import(request))

    def _import(self, request: Request) -> Response:
        ser = CalendarImportIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        added, already = calendar_days_import(
            actor=request.user,
            kind=d["kind"],
            days=[(day["date"], day["name"]) for day in d["days"]],
        )
        return Response({"added": added, "already_recorded": already}, status=201)

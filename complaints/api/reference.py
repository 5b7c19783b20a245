"""Reference data a client needs to file and route: the agency tree and each agency's
categories (read; the national admin manages them in the admin)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import NotFound
from complaints.api.base import ThrottleFirst, idempotent
from complaints.api.views import problems
from complaints.models import Agency, CalendarDay, ResolutionTier, SlaPolicy
from complaints.selectors.calendar import calendar_year
from complaints.selectors.public import agency_get_public, category_list_public
from complaints.services.calendar import NATIONAL_KINDS, calendar_days_import


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


SLA_FIELDS = tuple(SlaPolicyOut().fields)


class SlaPolicies(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="sla_policies_list",
        summary="SLA policies: the national default and agency or category overrides (working "
        "days; the national admin edits them in the admin)",
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
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any unique string: a retry with it gets the same answer (24 h).",
            )
        ],
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

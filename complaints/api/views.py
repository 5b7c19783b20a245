"""REST API v1 views: validate, read through the scoped selectors and the case read model, call
one service, serialise. Outside the caller's scope is a 404 (never a 403)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.downloads import download_response
from common.exceptions import NotFound
from complaints import services
from complaints.api import serializers as s
from complaints.api.base import IDEMPOTENCY_PARAMETER, ThrottleFirst, etag_of, idempotent
from complaints.api.filters import ComplaintFilter, complaint_queue
from complaints.api.pagination import ComplaintCursorPagination
from complaints.clock import WorkingCalendar
from complaints.models import Agency, Attachment, Category, Complaint
from complaints.policy import clock_state, due_soon_threshold
from complaints.selectors.case import (
    CaseView,
    case_read,
    timeline_entries,
)
from complaints.selectors.queue import scoped_queue
from complaints.selectors.scope import (
    complaint_events_for_actor,
    complaint_get_by_tracking_number_for_actor,
)

PROBLEM_MEDIA = "application/problem+json"


def problems(*codes: int) -> dict[tuple[int, str], Any]:
    """The error answers of an operation, each a problem+json document (any request may
    also be too large or of a media type the operation does not read)."""
    return {(code, PROBLEM_MEDIA): s.ProblemSerializer for code in (*codes, 413, 415)}


def clock_state_of(now: dt.datetime) -> Callable[[Complaint], str]:
    """The queue's clock-state rule for many rows against one due-soon threshold (no query)."""
    cal = WorkingCalendar.for_agency(None)
    soon = due_soon_threshold(now, cal)
    return lambda c: clock_state(c, now, cal, soon=soon)


# The API's name of each action of complaints.actions (its URL: complaints/{number}/<name>/).
# Before verification and during follow-up "request-information" asks the reporter.
API_ACTION_NAMES = {"hold": "request-information", "request_data": "request-information"}


def api_actions(offered: list[str]) -> list[str]:
    names = [API_ACTION_NAMES.get(name, name.replace("_", "-")) for name in offered]
    return list(dict.fromkeys(names))


def complaint_get(request: Request, number: str) -> Complaint:
    if len(number) > 32:
        raise NotFound(_("Complaint not found."))
    return complaint_get_by_tracking_number_for_actor(tracking_number=number, actor=request.user)


# The columns summary_row reads (and the masking of anonymous reporters writes): a row of the
# list loads these, not the complaint's sixty fields.
LIST_FIELDS = (
    "id",
    "tracking_number",
    "title",
    "kind",
    "status",
    "channel",
    "tier",
    "is_anonymous",
    "is_confidential",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "reporter_id",
    "created_at",
    "current_clock",
    "current_due_at",
    "version",
    "escalation_level",
    "resolution_escalation_level",
    "ceiling_escalation_level",
    "scope_path",
    "agency__id",
    "agency__name",
    "unit__id",
    "unit__name",
    "category__id",
    "category__name",
    "assignee__id",
    "assignee__full_name",
    "assignee__email",
)


# What clock_state reads of a complaint (a list row builds an unsaved Complaint of these).
CLOCK_FIELDS = (
    "status",
    "current_due_at",
    "escalation_level",
    "resolution_escalation_level",
    "ceiling_escalation_level",
)


def summary_row(
    v: dict[str, Any], state: Callable[[Complaint], str], probe: Complaint | None = None
) -> dict[str, Any]:
    """One row of the list, as ComplaintSummarySerializer describes it, from the LIST_FIELDS
    values of a complaint (built directly: the serializer's per-field machinery, and models
    for every row and join, cost more than the page's query). The clock state is read off
    `probe`, an unsaved Complaint given this row's CLOCK_FIELDS (one per page, not per row)."""
    probe = probe or Complaint()
    for name in CLOCK_FIELDS:
        setattr(probe, name, v[name])
    number = v["tracking_number"]
    assignee = None
    if v["assignee__id"] is not None:
        assignee = {
            "id": v["assignee__id"],
            "name": v["assignee__full_name"] or v["assignee__email"],
        }
    return {
        "tracking_number": "-".join(number[i : i + 4] for i in range(0, len(number), 4)),
        "title": v["title"],
        "kind": v["kind"],
        "status": v["status"],
        "channel": v["channel"],
        "tier": v["tier"],
        "agency": _ref(v, "agency"),
        "unit": _ref(v, "unit"),
        "category": _ref(v, "category"),
        "assignee": assignee,
        "is_anonymous": v["is_anonymous"],
        "is_confidential": v["is_confidential"],
        "reporter_name": v["reporter_name"],
        "created_at": _plain(v["created_at"]),
        "current_clock": v["current_clock"],
        "current_due_at": _plain(v["current_due_at"]),
        "clock_state": state(probe),
        "version": v["version"],
    }


def _ref(v: dict[str, Any], name: str) -> dict[str, Any] | None:
    if v[f"{name}__id"] is None:
        return None
    return {"id": v[f"{name}__id"], "name": v[f"{name}__name"]}


def values_of(c: Complaint) -> dict[str, Any]:
    """The LIST_FIELDS values of a complaint already in memory (its joins loaded), as the
    list reads them from the database."""
    out: dict[str, Any] = {}
    for name in LIST_FIELDS:
        value: Any = c
        for part in name.split("__"):
            value = getattr(value, part) if value is not None else None
        out[name] = value
    return out


def case_data(request: Request, case: CaseView) -> dict[str, Any]:
    c = case.complaint
    data = summary_row(values_of(c), clock_state_of(case.now))
    d = case.deadline
    data |= {
        "body": c.body,
        "incident_date": c.incident_date.isoformat() if c.incident_date else None,
        "location_text": c.location_text,
        "region": c.region,
        "reporter_email": c.reporter_email,
        "reporter_phone": c.reporter_phone,
        "verified_at": c.verified_at,
        "first_response_at": c.first_response_at,
        "resolved_at": c.resolved_at,
        "closed_at": c.closed_at,
        "archived_at": c.archived_at,
        "archive_reason": c.archive_reason,
        "merged_into": c.merged_into.display_tracking_number if c.merged_into_id else None,
        "escalation_level": c.escalation_level,
        "is_escalated": bool(c.is_escalated),
        "deadline": {
            "state": d.state,
            "text": str(d.text),
            "due_at": d.due_at,
            "working_days_left": d.days,
        },
        "clocks": [
            {
                "key": row["key"],
                "label": str(row["label"]),
                "due": row["due"],
                "state": str(row["state"][1]) if row["state"] else "",
                "finished": row["finished"],
                "current": row["current"],
            }
            for row in case.clocks
        ],
        "escalations": [
            {
                "id": e["e"].pk,
                "clock": e["e"].clock,
                "level": e["e"].level,
                "created_at": e["e"].created_at,
            }
            for e in case.escalations
        ],
        "responses": [
            {
                "id": r.pk,
                "state": r.state,
                "body": r.body,
                "version": services.response_version(r),
                "published_at": r.published_at,
            }
            for r in case.responses
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "download": request.build_absolute_uri(
                    reverse("api:complaint-attachment", args=[c.tracking_number, a.pk])
                ),
            }
            for a in case.attachments
        ],
        "roles": sorted(case.roles),
        "actions": api_actions(case.offered),
    }
    return {key: _plain(value) for key, value in data.items()}


_DATETIME = serializers.DateTimeField()


def _plain(value: Any) -> Any:
    """Moments as the serializers write them (in the portal's zone, ISO 8601)."""
    if isinstance(value, dt.datetime):
        return _DATETIME.to_representation(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def case_for_api(*, complaint: Complaint, actor: Any, now: dt.datetime | None = None) -> CaseView:
    """The case read model without the two parts the API serves elsewhere or not at all: the
    timeline (complaints/{number}/events/) and the possible duplicates (a full-text search)."""
    return case_read(
        complaint=complaint, actor=actor, now=now, with_timeline=False, with_related=False
    )


def complaint_response(request: Request, c: Complaint, *, status_code: int = 200) -> Response:
    case = case_for_api(complaint=c, actor=request.user, now=timezone.now())
    response = Response(case_data(request, case), status=status_code)
    response["ETag"] = etag_of(c)
    return response


PROBLEMS = problems(400, 401, 404, 429)
NUMBER = OpenApiParameter(
    "number",
    str,
    OpenApiParameter.PATH,
    description="The tracking number, with or without dashes (e.g. `7KQ4-M2XP-9HTA`).",
)


class ComplaintListCreate(ThrottleFirst, GenericAPIView):
    filterset_class = ComplaintFilter
    pagination_class = ComplaintCursorPagination
    serializer_class = s.ComplaintSummarySerializer

    def get_queryset(self):
        return scoped_queue(self.request.user)

    @extend_schema(
        operation_id="complaints_list",
        summary="List the complaints in your scope (the staff queue)",
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=["due", "-due", "created", "-created", "status", "-status"],
                description="Default: by deadline (`due`), newest first for closed views.",
            )
        ],
        responses={200: s.ComplaintSummarySerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        rows = self.paginate_queryset(complaint_queue(request).row_values(*LIST_FIELDS))
        state = clock_state_of(timezone.now())
        probe = Complaint()
        return self.get_paginated_response([summary_row(v, state, probe) for v in rows])

    @extend_schema(
        operation_id="complaints_create",
        summary="File a complaint for a reporter",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=s.ComplaintCreateSerializer,
        responses={201: s.FiledSerializer, **problems(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "Call-centre entry",
                request_only=True,
                value={
                    "kind": "complaint",
                    "title": "Obat kedaluwarsa dijual di apotek",
                    "body": "Apotek di Jl. Merdeka 10 menjual obat batuk yang sudah kedaluwarsa.",
                    "channel": "call_centre",
                    "agency": 1,
                    "reporter_name": "Siti Rahma",
                    "reporter_phone": "0812-1111-2222",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        ser = s.ComplaintCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        agency = category = None
        if d.get("agency"):
            agency = Agency.objects.filter(
                pk=d["agency"], is_active=True, parent__isnull=True
            ).first()
            if agency is None:
                raise ValidationError({"agency": [_("No active agency has this id.")]})
        if d.get("category"):
            category = Category.objects.filter(pk=d["category"], is_active=True).first()
            if category is None:
                raise ValidationError({"category": [_("No active category has this id.")]})
        c, code = services.complaint_submit(
            actor=request.user,
            kind=d["kind"],
            title=d["title"],
            body=d["body"],
            agency=agency,
            category=category,
            incident_date=d.get("incident_date"),
            location_text=d.get("location_text", ""),
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            region=d.get("region", ""),
            channel=d["channel"],
            reporter_name=d.get("reporter_name", ""),
            reporter_email=d.get("reporter_email", ""),
            reporter_phone=d.get("reporter_phone", ""),
            is_anonymous=d["is_anonymous"],
            is_confidential=d["is_confidential"],
            language=d["language"],
        )
        try:
            detail = case_data(
                request,
                case_for_api(
                    complaint=complaint_get(request, c.tracking_number), actor=request.user
                ),
            )
        except NotFound:
            # Filed for an agency outside the caller's scope (an app filing for a citizen).
            detail = None
        body = {
            "tracking_number": c.display_tracking_number,
            "access_code": services.display_code(code),
            "complaint": detail,
        }
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("api:complaint", args=[c.tracking_number])
        )
        return response


class ComplaintDetail(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="complaints_read",
        summary="Read one complaint: clocks, deadlines, escalations and the actions you may take",
        parameters=[NUMBER],
        responses={200: s.ComplaintDetailSerializer, **PROBLEMS},
    )
    def get(self, request: Request, number: str) -> Response:
        c = complaint_get(request, number)
        if request.headers.get("If-None-Match") == etag_of(c):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag_of(c)
            return response
        return complaint_response(request, c)


def event_rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": item["event"].pk,
            "type": item["event"].type,
            "title": str(item["title"] or item["label"]),
            "group": item["group"],
            "author": str(item["author"]),
            "created_at": _plain(item["event"].created_at),
            "from_status": item["event"].from_status,
            "to_status": item["event"].to_status,
            "is_public": item["event"].is_public,
            "body": item["event"].body,
        }
        for item in entries
    ]


class ComplaintEvents(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="complaints_events",
        summary="The timeline, newest first: internal entries too for the agency's staff",
        parameters=[NUMBER],
        responses={200: s.EventSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, number: str) -> Response:
        c = complaint_get(request, number)
        events = complaint_events_for_actor(complaint=c, actor=request.user)
        return Response(event_rows(timeline_entries(events)))


class ComplaintAttachment(ThrottleFirst, APIView):
    """A file of a complaint in the caller's scope, always as a download (never rendered)."""

    @extend_schema(
        operation_id="complaints_attachment",
        summary="Download an attachment of a complaint in your scope",
        parameters=[NUMBER, OpenApiParameter("attachment_id", int, OpenApiParameter.PATH)],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            **PROBLEMS,
        },
    )
    def get(self, request: Request, number: str, attachment_id: int) -> FileResponse:
        c = complaint_get(request, number)
        attachment = Attachment.objects.filter(pk=attachment_id, complaint=c).first()
        if attachment is None:
            raise NotFound(_("Attachment not found."))
        return download_response(
            attachment.file, name=attachment.original_name, content_type=attachment.content_type
        )

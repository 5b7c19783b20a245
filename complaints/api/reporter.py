"""The reporter's side: supply information, accept or object to the answer, rate. Authorised by
the tracking number and its access code (or the signed link from the notification email),
never by a staff token: these views authenticate nobody."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound as ApiNotFound
from rest_framework.exceptions import Throttled
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common import ratelimit
from common.api_renderers import JSONParser
from complaints import services
from complaints.access import normalize_code
from complaints.api.base import IDEMPOTENCY_PARAMETER, ThrottleFirst, idempotent
from complaints.api.serializers import EventSerializer
from complaints.api.views import NUMBER, event_rows, problems
from complaints.models import Complaint, Status
from complaints.selectors.case import timeline_entries
from complaints.selectors.public import (
    complaint_get_by_tracking_link,
    complaint_get_for_reporter,
    complaint_public_events,
)

MAX_FILES = 5


class ReporterAuth(serializers.Serializer):
    access_code = serializers.CharField(
        required=False,
        max_length=32,
        help_text=gettext_lazy("The access code from the receipt."),
    )
    link = serializers.CharField(
        required=False,
        max_length=500,
        help_text=gettext_lazy("Instead of the code: the token of the signed link in the email."),
    )


class SupplyIn(ReporterAuth):
    body = serializers.CharField(max_length=settings.ADUAN_BODY_MAX_LENGTH)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=MAX_FILES
    )


class AcceptIn(ReporterAuth):
    pass


class ObjectIn(ReporterAuth):
    reason = serializers.CharField(max_length=2000)


class RateIn(ReporterAuth):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReporterStateOut(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    reporter_reply_due_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)


def _supply(c: Complaint, d: dict[str, Any]) -> None:
    # Before verification (tertunda) and during follow-up the reporter answers a request.
    supply = (
        services.complaint_supply_info
        if c.status == Status.NEEDS_INFO
        else services.complaint_supply_data
    )
    supply(complaint_id=c.pk, body=d["body"], attachments=d.get("attachments") or [])


def _accept(c: Complaint, d: dict[str, Any]) -> None:
    services.complaint_reporter_accept(complaint_id=c.pk)


def _object(c: Complaint, d: dict[str, Any]) -> None:
    services.complaint_reporter_object(complaint_id=c.pk, reason=d["reason"])


def _rate(c: Complaint, d: dict[str, Any]) -> None:
    services.complaint_rate(complaint_id=c.pk, rating=d["rating"], comment=d.get("comment", ""))


@dataclass(frozen=True)
class ReporterAction:
    name: str
    summary: str
    body: type[serializers.Serializer]
    run: Callable[[Complaint, dict[str, Any]], None]
    example: dict[str, Any]


ACTIONS = {
    a.name: a
    for a in (
        ReporterAction(
            "supply-information",
            "The reporter sends the information asked for",
            SupplyIn,
            _supply,
            {"access_code": "K7M2-9XQP", "body": "Nomor bets: B12345, dibeli 3 Desember."},
        ),
        ReporterAction(
            "accept",
            "The reporter accepts the answer",
            AcceptIn,
            _accept,
            {"access_code": "K7M2-9XQP"},
        ),
        ReporterAction(
            "object",
            "The reporter objects to the answer (sanggahan)",
            ObjectIn,
            _object,
            {"access_code": "K7M2-9XQP", "reason": "Apotek masih menjual obat tersebut."},
        ),
        ReporterAction(
            "rate",
            "The reporter rates the handling (1-5)",
            RateIn,
            _rate,
            {"access_code": "K7M2-9XQP", "rating": 5, "comment": "Cepat ditangani."},
        ),
    )
}


def reporter_complaint(request: Request, number: str, d: dict[str, Any]) -> Complaint:
    """The complaint for the number and its access code or signed link; any wrong pair is the
    same 404, and wrong pairs count against the client like the tracking page's."""
    client = ratelimit.client_key(request._request)
    limit = ratelimit.tracking_limit()
    if ratelimit.is_limited(limit, client):
        raise Throttled(detail=_("You have tried too many codes. Wait 15 minutes, then try again."))
    complaint = None
    if d.get("link"):
        # A link made before the reporter's latest new access code is revoked.
        linked = complaint_get_by_tracking_link(token=d["link"])
        if linked is not None and linked.tracking_number == normalize_code(number):
            complaint = linked
    elif d.get("access_code"):
        complaint = complaint_get_for_reporter(
            tracking_number=number[:32], access_code=d["access_code"]
        )
    if complaint is None:
        ratelimit.hit(limit, client)
        raise ApiNotFound(_("The tracking number and access code (or link) do not match a report."))
    return complaint


class ReporterActionView(ThrottleFirst, APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]
    action_name = ""

    def post(self, request: Request, number: str) -> Response:
        owner = f"r{normalize_code(number)[:20]}"
        return idempotent(request, lambda: self._act(request, number), owner=owner)

    def _act(self, request: Request, number: str) -> Response:
        spec = ACTIONS[self.action_name]
        body = spec.body(data=request.data)
        body.is_valid(raise_exception=True)
        c = reporter_complaint(request, number, body.validated_data)
        spec.run(c, dict(body.validated_data))
        c.refresh_from_db()
        return Response(
            {
                "tracking_number": c.display_tracking_number,
                "status": c.status,
                "reporter_reply_due_at": serializers.DateTimeField().to_representation(
                    c.reporter_reply_due_at
                )
                if c.reporter_reply_due_at
                else None,
                "rating": c.rating,
            }
        )


def reporter_view(name: str):
    spec = ACTIONS[name]

    def post(self, request: Request, number: str) -> Response:
        return ReporterActionView.post(self, request, number)

    post = extend_schema(
        operation_id=f"reporter_{name.replace('-', '_')}",
        summary=spec.summary,
        auth=[],
        parameters=[NUMBER, IDEMPOTENCY_PARAMETER],
        request={"application/json": spec.body, "multipart/form-data": spec.body},
        responses={200: ReporterStateOut, **problems(400, 404, 409, 422, 429)},
        examples=[OpenApiExample(name, value=spec.example, request_only=True)],
    )(post)
    view = type(
        f"Reporter{name.title().replace('-', '')}",
        (ReporterActionView,),
        {"action_name": name, "__doc__": spec.summary, "post": post},
    )
    return view.as_view()


class ReporterTimelineOut(ReporterStateOut):
    events = EventSerializer(many=True)


class ReporterTimeline(ThrottleFirst, APIView):
    """The reporter's view: status and the public timeline (never internal entries). A POST,
    so that the access code never sits in a URL or a log."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="reporter_timeline",
        summary="The reporter reads the status and the public timeline",
        auth=[],
        parameters=[NUMBER],
        request=ReporterAuth,
        responses={200: ReporterTimelineOut, **problems(400, 404, 429)},
        examples=[OpenApiExample("code", value={"access_code": "K7M2-9XQP"}, request_only=True)],
    )
    def post(self, request: Request, number: str) -> Response:
        body = ReporterAuth(data=request.data)
        body.is_valid(raise_exception=True)
        c = reporter_complaint(request, number, body.validated_data)
        events = list(complaint_public_events(complaint=c))
        return Response(
            {
                "tracking_number": c.display_tracking_number,
                "status": c.status,
                "reporter_reply_due_at": serializers.DateTimeField().to_representation(
                    c.reporter_reply_due_at
                )
                if c.reporter_reply_due_at
                else None,
                "rating": c.rating,
                "events": event_rows(timeline_entries(events)),
            }
        )

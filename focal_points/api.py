"""The focal-point oversight resources of the REST API v1 (mounted under /api/v1/ beside
complaints.api; focal_points sits above complaints, so its endpoints live here): escalations
awaiting the caller (list, acknowledge), nudges, corrective actions (list, issue, report
progress, close). Each reads through focal_points.selectors and calls one service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api.base import IDEMPOTENCY_PARAMETER, ThrottleFirst, idempotent
from complaints.api.views import complaint_get, problems
from complaints.models import Agency
from complaints.services.escalation import escalation_acknowledge
from focal_points import selectors, services
from focal_points.models import CorrectiveAction
from focal_points.scorecards import Period, scorecard

MAX_ROWS = 100
ID = {"min_value": 1, "max_value": 2**31 - 1}
_DATETIME = serializers.DateTimeField()


def _when(value: Any) -> str | None:
    return _DATETIME.to_representation(value) if value else None


class EscalationOut(serializers.Serializer):
    id = serializers.IntegerField()
    complaint = serializers.CharField(help_text=gettext_lazy("Its tracking number."))
    agency = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    clock = serializers.CharField()
    level = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()


class CorrectiveActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    required_change = serializers.CharField()
    agency = serializers.CharField()
    complaint = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=CorrectiveAction.State.choices)
    due_at = serializers.DateTimeField()
    issuer = serializers.CharField()
    version = serializers.IntegerField()


class CorrectiveActionIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    required_change = serializers.CharField(max_length=5000)
    agency = serializers.IntegerField(required=False, allow_null=True, **ID)
    complaint = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=32,
        help_text=gettext_lazy("A tracking number: a recommendation on one complaint."),
    )
    due_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=gettext_lazy("Default: 60 working days.")
    )


class ProgressIn(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class CloseIn(serializers.Serializer):
    accepted = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, **ID)


class NudgeIn(serializers.Serializer):
    message = serializers.CharField(max_length=2000)


def _escalation_rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "complaint": e.complaint.display_tracking_number,
            "agency": e.complaint.agency.name if e.complaint.agency else "",
            "unit": e.complaint.unit.name if e.complaint.unit else None,
            "clock": e.clock,
            "level": e.level,
            "due_at": _when(e.due_at),
            "created_at": _when(e.created_at),
        }
        for e in rows
    ]


def _action_row(a: CorrectiveAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "required_change": a.required_change,
        "agency": a.agency.name,
        "complaint": a.complaint.display_tracking_number if a.complaint_id else None,
        "state": a.state,
        "due_at": _when(a.due_at),
        "issuer": a.issuer.get_full_name(),
        "version": getattr(a, "version", 0),
    }


class Escalations(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="escalations_list",
        summary="Escalations waiting for your acknowledgement (focal points), oldest first",
        responses={200: EscalationOut(many=True), **problems(401, 429)},
    )
    def get(self, request: Request) -> Response:
        scope = selectors.focal_scope_for(actor=request.user)
        if scope.is_empty:
            return Response([])
        rows = list(selectors.escalations_awaiting_qs(scope=scope)[:MAX_ROWS])
        return Response(_escalation_rows(rows))


class EscalationAcknowledge(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="escalations_acknowledge",
        summary="Acknowledge an escalation addressed to you (konfirmasi eskalasi)",
        parameters=[
            OpenApiParameter("escalation_id", int, OpenApiParameter.PATH),
            IDEMPOTENCY_PARAMETER,
        ],
        request=None,
        responses={200: EscalationOut, **problems(400, 401, 403, 404, 409, 422, 429)},
    )
    def post(self, request: Request, escalation_id: int) -> Response:
        def run() -> Response:
            e = escalation_acknowledge(escalation_id=escalation_id, actor=request.user)
            return Response(_escalation_rows([e])[0])

        return idempotent(request, run)


class CorrectiveActions(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="corrective_actions_list",
        summary="Corrective actions you may read (open by default)",
        parameters=[
            OpenApiParameter("state", str, enum=["open", "overdue", "closed", "all"]),
            OpenApiParameter("agency", int),
        ],
        responses={200: CorrectiveActionOut(many=True), **problems(400, 401, 429)},
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("state", "open")
        if state not in ("open", "overdue", "closed", "all"):
            raise ValidationError({"state": [_("Choose open, overdue, closed or all.")]})
        agency = request.query_params.get("agency")
        if agency is not None and not (agency.isdigit() and int(agency) < 2**31):
            raise ValidationError({"agency": [_("An agency id is a whole number.")]})
        qs = selectors.corrective_action_list(
            actor=request.user, filters={"state": state, "agency": agency}
        )
        return Response([_action_row(a) for a in qs[:MAX_ROWS]])

    @extend_schema(
        operation_id="corrective_actions_issue",
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Issue a corrective action on an agency or a complaint",
        request=CorrectiveActionIn,
        responses={201: CorrectiveActionOut, **problems(400, 401, 403, 404, 409, 422, 429)},
        examples=[
            OpenApiExample(
                "On a complaint",
                request_only=True,
                value={
                    "title": "Perbaiki prosedur penarikan obat",
                    "required_change": "Tetapkan SOP penarikan obat kedaluwarsa dari apotek.",
                    "complaint": "TMFR-Y557-ECZ8",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._issue(request))

    def _issue(self, request: Request) -> Response:
        body = CorrectiveActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        complaint = complaint_get(request, d["complaint"]) if d.get("complaint") else None
        agency = None
        if complaint is None:
            if not d.get("agency"):
                raise ValidationError({"agency": [_("Name the agency or the complaint.")]})
            agency = Agency.objects.filter(pk=d["agency"], is_active=True).first()
            if agency is None:
                raise ValidationError({"agency": [_("No active agency has this id.")]})
        action = services.corrective_action_issue(
            actor=request.user,
            title=d["title"],
            required_change=d["required_change"],
            agency=agency,
            complaint_id=complaint.pk if complaint else None,
            due_at=d.get("due_at"),
        )
        action = selectors.corrective_action_get(actor=request.user, action_id=action.pk)
        return Response(_action_row(action), status=201)


class CorrectiveActionProgress(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="corrective_actions_progress",
        summary="Report progress on a corrective action (the agency)",
        parameters=[
            OpenApiParameter("action_id", int, OpenApiParameter.PATH),
            IDEMPOTENCY_PARAMETER,
        ],
        request=ProgressIn,
        responses={200: CorrectiveActionOut, **problems(400, 401, 403, 404, 409, 422, 429)},
    )
    def post(self, request: Request, action_id: int) -> Response:
        def run() -> Response:
            body = ProgressIn(data=request.data)
            body.is_valid(raise_exception=True)
            selectors.corrective_action_get(actor=request.user, action_id=action_id)
            services.corrective_action_report_progress(
                actor=request.user, action_id=action_id, body=body.validated_data["body"]
            )
            action = selectors.corrective_action_get(actor=request.user, action_id=action_id)
            return Response(_action_row(action))

        return idempotent(request, run)


class CorrectiveActionClose(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="corrective_actions_close",
        summary="Close a corrective action (only its issuer): accepted or not",
        parameters=[
            OpenApiParameter("action_id", int, OpenApiParameter.PATH),
            IDEMPOTENCY_PARAMETER,
        ],
        request=CloseIn,
        responses={200: CorrectiveActionOut, **problems(400, 401, 403, 404, 409, 422, 429)},
    )
    def post(self, request: Request, action_id: int) -> Response:
        def run() -> Response:
            body = CloseIn(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            selectors.corrective_action_get(actor=request.user, action_id=action_id)
            services.corrective_action_close(
                actor=request.user,
                action_id=action_id,
                accepted=d["accepted"],
                reason=d["reason"],
                expected_version=d.get("version"),
            )
            action = selectors.corrective_action_get(actor=request.user, action_id=action_id)
            return Response(_action_row(action))

        return idempotent(request, run)


class ComplaintNudge(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="complaints_nudge",
        summary="Nudge the unit handling a complaint (pengingat, focal points)",
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH), IDEMPOTENCY_PARAMETER],
        request=NudgeIn,
        responses={201: None, **problems(400, 401, 403, 404, 409, 422, 429)},
    )
    def post(self, request: Request, number: str) -> Response:
        def run() -> Response:
            body = NudgeIn(data=request.data)
            body.is_valid(raise_exception=True)
            c = complaint_get(request, number)
            services.nudge_send(
                actor=request.user, complaint_ids=[c.pk], message=body.validated_data["message"]
            )
            return Response(status=201)

        return idempotent(request, run)


class BoardRowOut(serializers.Serializer):
    agency = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    on_track = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    overdue = serializers.IntegerField()
    escalated = serializers.IntegerField()
    total = serializers.IntegerField()


class ScorecardRowOut(serializers.Serializer):
    name = serializers.CharField()
    is_total = serializers.BooleanField()
    received = serializers.IntegerField()
    verified_within = serializers.IntegerField()
    responded_within = serializers.IntegerField()
    resolved_within = serializers.IntegerField()
    verify_median = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Days."))
    verify_p90 = serializers.FloatField(allow_null=True)
    response_median = serializers.FloatField(allow_null=True)
    response_p90 = serializers.FloatField(allow_null=True)
    close_median = serializers.FloatField(allow_null=True)
    close_p90 = serializers.FloatField(allow_null=True)
    reopened = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)
    overdue_now = serializers.IntegerField()


def _scope_or_empty(request: Request):
    scope = selectors.focal_scope_for(actor=request.user)
    return None if scope.is_empty else scope


class BoardFigures(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="board_figures",
        summary="The oversight board: open complaints by clock state per agency (or unit)",
        responses={200: BoardRowOut(many=True), **problems(401, 429)},
    )
    def get(self, request: Request) -> Response:
        scope = _scope_or_empty(request)
        if scope is None:
            return Response([])
        board = selectors.board_counts(scope=scope)
        return Response(
            [
                {
                    "agency": row.agency.name,
                    "unit": row.unit.name if row.unit else None,
                    "on_track": row.on_track,
                    "due_soon": row.due_soon,
                    "overdue": row.overdue,
                    "escalated": row.escalated,
                    "total": row.total,
                }
                for row in board.rows
            ]
        )


SCORE_FIELDS = tuple(ScorecardRowOut().fields)


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


class ScorecardFigures(ThrottleFirst, APIView):
    @extend_schema(
        operation_id="scorecard_figures",
        summary="Scorecards of the agencies you oversee (the same figures as the focal pages)",
        parameters=[
            OpenApiParameter("period", str, enum=["this_month", "last_month", "3m", "this_year"])
        ],
        responses={200: ScorecardRowOut(many=True), **problems(400, 401, 429)},
    )
    def get(self, request: Request) -> Response:
        key = request.query_params.get("period", "this_month")
        if key not in ("this_month", "last_month", "3m", "this_year"):
            raise ValidationError(
                {"period": [_("Choose this_month, last_month, 3m or this_year.")]}
            )
        scope = _scope_or_empty(request)
        if scope is None:
            return Response([])
        period = Period.resolve(key, today=timezone.localdate())
        card = scorecard(scope=scope, period=period)
        rows = [*card.rows, *([card.total] if card.total else [])]
        return Response([{f: _number(getattr(r, f)) for f in SCORE_FIELDS} for r in rows])


urlpatterns = [
    path("escalations/", Escalations.as_view(), name="escalations"),
    path(
        "escalations/<int:escalation_id>/acknowledge/",
        EscalationAcknowledge.as_view(),
        name="escalation-acknowledge",
    ),
    path("corrective-actions/", CorrectiveActions.as_view(), name="corrective-actions"),
    path(
        "corrective-actions/<int:action_id>/progress/",
        CorrectiveActionProgress.as_view(),
        name="corrective-action-progress",
    ),
    path(
        "corrective-actions/<int:action_id>/close/",
        CorrectiveActionClose.as_view(),
        name="corrective-action-close",
    ),
    path("complaints/<str:number>/nudge/", ComplaintNudge.as_view(), name="complaint-nudge"),
    path("board/", BoardFigures.as_view(), name="board"),
    path("scorecard/", ScorecardFigures.as_view(), name="scorecard"),
]

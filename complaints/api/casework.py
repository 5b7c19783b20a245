"""The lifecycle actions of DESIGN §3, each `POST complaints/{number}/<action>/`: validate
the body, check If-Match, call the one service behind the action, answer the new state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api import PreconditionFailed
from common.exceptions import NotFound, StaleState
from complaints import services
from complaints.api import serializers as s
from complaints.api.base import (
    IDEMPOTENCY_PARAMETER,
    ThrottleFirst,
    etag_of,
    expected_version,
    idempotent,
)
from complaints.api.views import (
    NUMBER,
    case_data,
    case_for_api,
    complaint_get,
    complaint_response,
    problems,
)
from complaints.models import Agency, Category, Complaint, Kind, ResolutionTier, Status
from complaints.models import Response as Answer
from complaints.selectors.scope import complaint_get_by_tracking_number_for_actor

ID = {"min_value": 1, "max_value": 2**31 - 1}


class Empty(serializers.Serializer):
    pass


class VerifyIn(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=255)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    category = serializers.IntegerField(required=False, allow_null=True, **ID)
    tier = serializers.ChoiceField(choices=ResolutionTier.choices, required=False)
    is_anonymous = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_confidential = serializers.BooleanField(required=False, allow_null=True, default=None)


class CategoryIn(serializers.Serializer):
    category = serializers.IntegerField(**ID)


class MessageIn(serializers.Serializer):
    message = serializers.CharField(max_length=2000, help_text=gettext_lazy("What to send."))


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class RouteIn(serializers.Serializer):
    unit = serializers.IntegerField(**ID, help_text=gettext_lazy("A unit of the agency."))
    assignee = serializers.IntegerField(required=False, allow_null=True, **ID)


class ForwardIn(serializers.Serializer):
    agency = serializers.IntegerField(
        allow_null=True,
        **ID,
        help_text=gettext_lazy("The receiving agency; null sends it to national triage."),
    )
    reason = serializers.CharField(max_length=1000)


class AssignIn(serializers.Serializer):
    assignee = serializers.IntegerField(
        allow_null=True, **ID, help_text=gettext_lazy("An officer's id; null clears it.")
    )


class NoteIn(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class DraftIn(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    response = serializers.IntegerField(
        required=False,
        allow_null=True,
        **ID,
        help_text=gettext_lazy("The pending draft to edit (see `responses`)."),
    )
    response_version = serializers.IntegerField(required=False, allow_null=True, **ID)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=5,
        help_text=gettext_lazy(
            "Files published with the answer (multipart/form-data; JPG, PNG or PDF, checked "
            "like every upload)."
        ),
    )


class ResponseIn(serializers.Serializer):
    response = serializers.IntegerField(**ID)
    response_version = serializers.IntegerField(required=False, allow_null=True, **ID)


class ReturnIn(serializers.Serializer):
    response = serializers.IntegerField(**ID)
    reason = serializers.CharField(max_length=2000)


class MergeIn(serializers.Serializer):
    into = serializers.CharField(
        max_length=32, help_text=gettext_lazy("The tracking number of the complaint kept.")
    )


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError({field: [_("No active user has this id.")]})
    return user


def _answer(c: Complaint, pk: int) -> int:
    if not Answer.objects.filter(pk=pk, complaint=c).exists():
        raise ValidationError({"response": [_("This complaint has no answer with this id.")]})
    return pk


def _verify(req: Request, c: Complaint, d: dict[str, Any], v: int | None) -> None:
    category = None
    if d.get("category"):
        category = Category.objects.filter(pk=d["category"], agency=c.agency_id).first()
        if category is None:
            raise ValidationError({"category": [_("Choose a category of the complaint's agency.")]})
    services.complaint_verify(
        complaint_id=c.pk,
        actor=req.user,
        expected_version=v,
        title=d.get("title"),
        kind=d.get("kind"),
        category=category,
        tier=d.get("tier"),
        is_anonymous=d.get("is_anonymous"),
        is_confidential=d.get("is_confidential"),
    )


def _request_information(req: Request, c: Complaint, d: dict[str, Any], v: int | None) -> None:
    # Before verification the complaint waits for the reporter (tertunda, its clock paused);
    # during follow-up the clocks keep running (complaint_request_data).
    if c.status == Status.SUBMITTED:
        services.complaint_hold_for_info(
            complaint_id=c.pk, actor=req.user, message=d["message"], expected_version=v
        )
    else:
        services.complaint_request_data(
            complaint_id=c.pk, actor=req.user, message=d["message"], expected_version=v
        )


def _category(req, c, d, v) -> None:
    category = Category.objects.filter(pk=d["category"], agency=c.agency_id, is_active=True).first()
    if category is None:
        raise ValidationError({"category": [_("Choose a category of the complaint's agency.")]})
    services.complaint_set_category(
        complaint_id=c.pk, actor=req.user, category=category, expected_version=v
    )


def _return_to_agency(req, c, d, v) -> None:
    services.complaint_return_to_agency(
        complaint_id=c.pk, actor=req.user, reason=d["reason"], expected_version=v
    )


def _archive(req, c, d, v) -> None:
    services.complaint_archive(
        complaint_id=c.pk, actor=req.user, reason=d["reason"], expected_version=v
    )


def _route(req, c, d, v) -> None:
    unit = Agency.objects.filter(pk=d["unit"], is_active=True).first()
    if unit is None:
        raise ValidationError({"unit": [_("No active unit has this id.")]})
    services.complaint_route(
        complaint_id=c.pk,
        actor=req.user,
        unit=unit,
        assignee=_user(d.get("assignee"), "assignee"),
        expected_version=v,
    )


def _forward(req, c, d, v) -> None:
    agency = None
    if d["agency"] is not None:
        agency = Agency.objects.filter(pk=d["agency"], is_active=True, parent__isnull=True).first()
        if agency is None:
            raise ValidationError({"agency": [_("No active agency has this id.")]})
    services.complaint_forward(
        complaint_id=c.pk, actor=req.user, agency=agency, reason=d["reason"], expected_version=v
    )


def _take(req, c, d, v) -> None:
    services.complaint_take(complaint_id=c.pk, actor=req.user, expected_version=v)


def _assign(req, c, d, v) -> None:
    services.complaint_assign(
        complaint_id=c.pk,
        actor=req.user,
        assignee=_user(d["assignee"], "assignee"),
        expected_version=v,
    )


def _note(req, c, d, v) -> None:
    services.check_version(c, v)
    services.complaint_note(complaint_id=c.pk, actor=req.user, body=d["body"])


def _draft(req, c, d, v) -> None:
    services.check_version(c, v)
    services.response_draft(
        complaint_id=c.pk,
        actor=req.user,
        body=d["body"],
        response_id=_answer(c, d["response"]) if d.get("response") else None,
        expected_response_version=d.get("response_version"),
        attachments=d.get("attachments") or [],
    )


def _approve(req, c, d, v) -> None:
    services.check_version(c, v)
    services.response_approve(
        response_id=_answer(c, d["response"]),
        actor=req.user,
        expected_response_version=d.get("response_version"),
    )


def _approve_publish(req, c, d, v) -> None:
    services.response_approve_publish(
        response_id=_answer(c, d["response"]),
        actor=req.user,
        expected_version=v,
        expected_response_version=d.get("response_version"),
    )


def _return(req, c, d, v) -> None:
    services.check_version(c, v)
    services.response_return(
        response_id=_answer(c, d["response"]), actor=req.user, reason=d["reason"]
    )


def _publish(req, c, d, v) -> None:
    services.response_publish(
        response_id=_answer(c, d["response"]),
        actor=req.user,
        expected_version=v,
        expected_response_version=d.get("response_version"),
    )


def _resolve(req, c, d, v) -> None:
    services.check_version(c, v)
    services.complaint_mark_resolved(complaint_id=c.pk, actor=req.user)


def _merge(req, c, d, v) -> None:
    try:
        target = complaint_get_by_tracking_number_for_actor(
            tracking_number=d["into"][:32], actor=req.user
        )
    except NotFound as exc:
        raise ValidationError(
            {"into": [_("No complaint with that tracking number is in your scope.")]}
        ) from exc
    services.complaint_merge(
        complaint_id=c.pk, into_id=target.pk, actor=req.user, expected_version=v
    )


@dataclass(frozen=True)
class ApiAction:
    name: str
    summary: str
    body: type[serializers.Serializer]
    run: Callable[[Request, Complaint, dict[str, Any], int | None], None]
    example: dict[str, Any]


ACTIONS = {
    a.name: a
    for a in (
        ApiAction(
            "verify", "Verify (classify, set privacy)", VerifyIn, _verify, {"tier": "standard"}
        ),
        ApiAction(
            "request-information",
            "Ask the reporter for information",
            MessageIn,
            _request_information,
            {"message": "Mohon kirim foto kemasan dan nomor bets obat."},
        ),
        ApiAction(
            "archive",
            "Archive (spam, unclear, not a public-service matter)",
            ReasonIn,
            _archive,
            {"reason": "Bukan pelayanan publik"},
        ),
        ApiAction("route", "Route to a unit (disposisi)", RouteIn, _route, {"unit": 2}),
        ApiAction(
            "forward",
            "Forward to another agency (pelimpahan)",
            ForwardIn,
            _forward,
            {"agency": 5, "reason": "Bukan wewenang: urusan kependudukan."},
        ),
        ApiAction("category", "Change the category", CategoryIn, _category, {"category": 3}),
        ApiAction(
            "return-to-agency",
            "Hand a misrouted complaint back to the agency's verifiers",
            ReasonIn,
            _return_to_agency,
            {"reason": "Bukan wewenang unit ini."},
        ),
        ApiAction("take", "Take it (the officer works on it)", Empty, _take, {}),
        ApiAction("assign", "Assign to an officer", AssignIn, _assign, {"assignee": 12}),
        ApiAction(
            "note", "Add an internal note", NoteIn, _note, {"body": "Sudah dihubungi by telepon."}
        ),
        ApiAction(
            "draft",
            "Draft the public answer",
            DraftIn,
            _draft,
            {"body": "Terima kasih. Petugas kami sudah memeriksa apotek tersebut."},
        ),
        ApiAction("approve", "Approve the drafted answer", ResponseIn, _approve, {"response": 7}),
        ApiAction(
            "approve-publish",
            "Approve the drafted answer and publish it in one step",
            ResponseIn,
            _approve_publish,
            {"response": 7},
        ),
        ApiAction(
            "return",
            "Return the draft to its author",
            ReturnIn,
            _return,
            {"response": 7, "reason": "Sebutkan tanggal pemeriksaan."},
        ),
        ApiAction(
            "publish", "Publish the answer to the reporter", ResponseIn, _publish, {"response": 7}
        ),
        ApiAction("resolve", "Mark the matter resolved", Empty, _resolve, {}),
        ApiAction(
            "merge", "Merge into another complaint", MergeIn, _merge, {"into": "7KQ4-M2XP-9HTA"}
        ),
    )
}


def _current(request: Request, number: str) -> Callable[[], dict[str, Any]]:
    def read() -> dict[str, Any]:
        c = complaint_get(request, number)
        return case_data(request, case_for_api(complaint=c, actor=request.user))

    return read


class ComplaintAction(ThrottleFirst, APIView):
    """One lifecycle action; the URL names it."""

    action_name = ""

    def post(self, request: Request, number: str) -> Response:
        return idempotent(request, lambda: self._act(request, number))

    def _act(self, request: Request, number: str) -> Response:
        spec = ACTIONS[self.action_name]
        c = complaint_get(request, number)
        version = expected_version(request, c, _current(request, number))
        body = spec.body(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            spec.run(request, c, dict(body.validated_data), version)
        except StaleState as exc:
            if version is None:
                raise
            # Changed between the read above and the service's lock.
            c = complaint_get(request, number)
            raise PreconditionFailed(current=_current(request, number)(), etag=etag_of(c)) from exc
        try:
            c = complaint_get(request, number)
        except NotFound:
            # Forwarded or merged out of the caller's scope: the action is done all the same.
            return Response(
                {"tracking_number": c.display_tracking_number, "in_scope": False}, status=200
            )
        return complaint_response(request, c)


def action_view(name: str):
    spec = ACTIONS[name]

    def post(self, request: Request, number: str) -> Response:
        return ComplaintAction.post(self, request, number)

    post = extend_schema(
        operation_id=f"complaints_{name.replace('-', '_')}",
        summary=spec.summary,
        parameters=[
            NUMBER,
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="The ETag of the complaint as you read it; a stale one is a 412.",
            ),
            IDEMPOTENCY_PARAMETER,
        ],
        request=spec.body,
        responses={
            200: s.ComplaintDetailSerializer,
            **problems(400, 401, 403, 404, 409, 412, 422, 429),
        },
        examples=[OpenApiExample(name, value=spec.example, request_only=True)],
    )(post)
    view = type(
        f"Complaint{name.title().replace('-', '')}",
        (ComplaintAction,),
        {"action_name": name, "__doc__": spec.summary, "post": post},
    )
    return view.as_view()

"""The signed inbound webhooks: a raw email (from the mail provider's inbound route or the
mailbox poll's relay) and a chat message (from the WhatsApp or SMS gateway). Both answer JSON;
a refused call changes nothing."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from complaints.intake.signing import signature_problem
from complaints.services.intake import CHAT_CHANNELS, chat_message_receive, email_intake_receive

CHAT_BODY_MAX_BYTES = 64 * 1024


def _refused(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _read(request: HttpRequest, limit: int) -> bytes | None:
    """The body, or None when it is larger than `limit` (read no further than that)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
def email_inbound(request: HttpRequest) -> JsonResponse:
    body = _read(request, settings.ADUAN_INTAKE_MAIL_MAX_BYTES)
    if body is None:
        return _refused(413, "message too large")
    if problem := signature_problem(request, body):
        return _refused(401, problem)
    try:
        outcome = email_intake_receive(raw=body)
    except ApplicationError as exc:
        return _refused(400, str(exc.message))
    if outcome.result == "duplicate":
        return _refused(409, "message already received")
    return JsonResponse(
        {
            "result": outcome.result,
            "tracking_number": outcome.complaint.tracking_number if outcome.complaint else None,
            "skipped_attachments": outcome.skipped,
        }
    )


@csrf_exempt
@require_POST
def chat_inbound(request: HttpRequest, channel: str) -> JsonResponse:
    if channel not in CHAT_CHANNELS:
        return _refused(404, "unknown channel")
    body = _read(request, CHAT_BODY_MAX_BYTES)
    if body is None:
        return _refused(413, "message too large")
    if problem := signature_problem(request, body):
        return _refused(401, problem)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _refused(400, "body must be JSON")
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("id", "from", "text")
    ):
        return _refused(400, "id, from and text are required strings")
    try:
        reply = chat_message_receive(
            channel=channel, sender=data["from"], text=data["text"], message_id=data["id"]
        )
    except ApplicationError as exc:
        return _refused(400, str(exc.message))
    if reply is None:
        return _refused(409, "message already received")
    return JsonResponse({"to": data["from"], "reply": reply})

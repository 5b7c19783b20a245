"""The inbound webhook the national system calls (docs/lapor.md §Inbound)."""

from __future__ import annotations

import json
import time

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from complaints.models import LaporLink
from complaints.outbox.lapor import (
    HEADER_EVENT_ID,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    MAX_INBOUND_BYTES,
    TIMESTAMP_TOLERANCE_SECONDS,
    inbound_signature_valid,
)
from complaints.services.connectors import lapor_inbound_receive


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def lapor_inbound(request: HttpRequest, agency_slug: str) -> JsonResponse:
    link = (
        LaporLink.objects.filter(agency__slug=agency_slug, is_active=True)
        .select_related("agency")
        .first()
    )
    if link is None:
        return _refuse(404, "not_linked", "This agency is not linked to SP4N-LAPOR!.")
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_INBOUND_BYTES:
        return _refuse(413, "too_large", f"The body is larger than {MAX_INBOUND_BYTES} bytes.")
    body = request.body
    if len(body) > MAX_INBOUND_BYTES:
        return _refuse(413, "too_large", f"The body is larger than {MAX_INBOUND_BYTES} bytes.")
    event_id = request.headers.get(HEADER_EVENT_ID, "")
    timestamp = request.headers.get(HEADER_TIMESTAMP, "")
    signature = request.headers.get(HEADER_SIGNATURE, "")
    if not (event_id and timestamp and signature):
        return _refuse(
            401, "unsigned", "The event id, timestamp and signature headers are required."
        )
    if not inbound_signature_valid(
        link.inbound_secret, event_id=event_id, timestamp=timestamp, body=body, signature=signature
    ):
        return _refuse(401, "bad_signature", "The signature does not match.")
    try:
        skew = abs(time.time() - int(timestamp))
    except ValueError:
        return _refuse(401, "bad_timestamp", "The timestamp is not a Unix time.")
    if skew > TIMESTAMP_TOLERANCE_SECONDS:
        return _refuse(401, "stale", "The timestamp is too far from our clock (replay refused).")
    try:
        message = json.loads(body)
    except ValueError:
        return _refuse(400, "malformed", "The body is not JSON.")
    if not isinstance(message, dict) or not isinstance(message.get("data"), dict):
        return _refuse(400, "malformed", "The body must be an object with `type` and `data`.")
    try:
        result = lapor_inbound_receive(
            link=link,
            event_id=event_id,
            event_type=str(message.get("type", "")),
            data=message["data"],
        )
    except (ApplicationError, ValidationError) as exc:
        text = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
        return _refuse(422, getattr(exc, "code", None) or "refused", str(text))
    complaint = result.complaint
    return JsonResponse(
        {
            "event_id": event_id,
            "outcome": result.outcome,
            "duplicate": result.duplicate,
            "tracking_number": complaint.tracking_number if complaint else None,
            "lapor_id": complaint.lapor_id if complaint else None,
        },
        status=200 if result.duplicate or result.outcome != "imported" else 201,
    )

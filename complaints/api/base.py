"""What every API view shares: throttles before permissions, If-Match, Idempotency-Key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.idempotency import idempotency_claim, idempotency_release, idempotency_store
from common.api import PreconditionFailed
from complaints.models import Complaint

IDEMPOTENCY_HEADER = "Idempotency-Key"
# The header as every POST operation describes it in the schema.
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Any unique string: a retry with it gets the same answer (24 h).",
)
# Headers of a stored answer that a replay repeats.
REPLAYED_HEADERS = ("ETag", "Location")


class ThrottleFirst:
    """Throttles before permissions: an anonymous caller hammering a staff endpoint is slowed
    down too, not answered 401 for ever at no cost (DRF checks permissions first)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )
        self.perform_authentication(request)
        self.check_throttles(request)
        self.check_permissions(request)


def etag_of(c: Complaint) -> str:
    return f'"{c.tracking_number}.{c.version}"'


def expected_version(request: Request, c: Complaint, current: Callable[[], Any]) -> int | None:
    """The version named by If-Match (None without the header). A stale or foreign ETag is a
    412 carrying the complaint as it is now, before anything is written; the service checks
    the version again under its lock."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if header.strip() == "*":
        return None
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if etag_of(c) in tags:
        return c.version
    raise PreconditionFailed(current=current(), etag=etag_of(c))


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type.startswith("multipart/"):
        for name in sorted(request.data.keys()):
            if name in request.FILES:
                continue
            digest.update(f"{name}={request.data.getlist(name)!r}\n".encode())
        for name in sorted(request.FILES.keys()):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}:{upload.size}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def owner_of(request: Request, fallback: str = "") -> str:
    user = request.user
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return fallback or "anonymous"


def idempotent(request: Request, run: Callable[[], Response], *, owner: str = "") -> Response:
    """Run a POST once per Idempotency-Key: a retry with the same key and body gets the first
    answer (2xx answers are kept; a refused request may simply be sent again)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return run()
    owner = owner or owner_of(request)
    replay = idempotency_claim(owner=owner, key=key, fingerprint=_fingerprint(request))
    if replay is not None:
        response = Response(replay.body, status=replay.status_code, headers=replay.headers)
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = run()
    except BaseException:
        idempotency_release(owner=owner, key=key)
        raise
    if 200 <= response.status_code < 300:
        body = json.loads(JSONRenderer().render(response.data) or b"null")
        headers = {h: response[h] for h in REPLAYED_HEADERS if h in response}
        idempotency_store(
            owner=owner, key=key, status_code=response.status_code, body=body, headers=headers
        )
    else:
        idempotency_release(owner=owner, key=key)
    return response

"""The REST API's error answers: every 4xx and 5xx is `application/problem+json` (RFC 9457),
with the field errors listed, in the language of the request (Accept-Language)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    schema,
    throttle_classes,
)
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from common.api_renderers import PROBLEM_CONTENT_TYPE
from common.exceptions import ApplicationError, NotFound, StaleState

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "urn:aduan:problem:{code}"
NON_FIELD = "non_field_errors"


class PreconditionFailed(exceptions.APIException):
    """If-Match named a version the complaint no longer has; `current` is its state now."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The complaint changed since you read it. Read it again (its ETag is in this answer) "
        "and decide whether the action still makes sense."
    )
    default_code = "precondition_failed"

    def __init__(self, current: dict[str, Any] | None = None, etag: str = "") -> None:
        super().__init__()
        self.current = current
        self.etag = etag


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Send the If-Match header with the ETag of the complaint you read, so that an action "
        "never applies to a complaint that changed meanwhile."
    )
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


def _titles() -> dict[int, str]:
    return {
        400: _("The request has errors"),
        401: _("Sign-in required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        412: _("Precondition failed"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        422: _("The request cannot be processed"),
        428: _("Precondition required"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as a flat list of {field, message, code} (field "" for the
    request as a whole; nested fields are dotted: `attachments.0`)."""
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in (NON_FIELD, "detail") else str(key)
            out += field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        nested = any(isinstance(v, dict | list) for v in detail)
        for i, value in enumerate(detail):
            out += field_errors(value, f"{prefix}.{i}" if nested and prefix else prefix)
    else:
        out.append(
            {
                "field": prefix,
                "message": str(detail),
                "code": str(getattr(detail, "code", "") or "invalid"),
            }
        )
    return out


def problem_response(
    *,
    status_code: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    instance: str = "",
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE.format(code=code),
        "title": _titles().get(status_code, _("The request failed")),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    if extra:
        body |= extra
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    response["Content-Language"] = get_language() or "id"
    return response


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, NotFound):
        return exceptions.NotFound(str(exc.message))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError()
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Every error of an API view as problem+json: domain errors as 400 (409 for a stale
    write, 404 outside the caller's scope), DRF's own, and anything unexpected as 500."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, StaleState):
        return problem_response(
            status_code=409, code=exc.code, detail=str(exc.message), instance=instance
        )
    if isinstance(exc, ApplicationError) and not isinstance(exc, NotFound):
        return problem_response(
            status_code=getattr(exc, "http_status", 400),
            code=exc.code,
            detail=str(exc.message),
            instance=instance,
            errors=[{"field": "", "message": str(exc.message), "code": exc.code}],
        )
    exc = _as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        logger.exception("API error at %s", instance, exc_info=exc)
        return problem_response(
            status_code=500,
            code="server_error",
            detail=_("Something went wrong on our side. Nothing was saved; try again later."),
            instance=instance,
        )
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    extra: dict[str, Any] = {}
    if isinstance(exc, PreconditionFailed):
        if exc.current is not None:
            extra["current"] = exc.current
        if exc.etag:
            headers["ETag"] = exc.etag
    codes = exc.get_codes()
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        detail = _("Correct the fields listed in `errors` and send the request again.")
        code = "invalid"
    else:
        detail = str(exc.detail)
        code = codes if isinstance(codes, str) else exc.default_code
        errors = []
    return problem_response(
        status_code=exc.status_code,
        code=code,
        detail=detail,
        errors=errors,
        instance=instance,
        headers=headers,
        extra=extra,
    )


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
@schema(None)
def not_found(request: Any, rest: str = "") -> Response:
    """Any other address under /api/: a problem+json 404 rather than the HTML page."""
    raise exceptions.NotFound(_("There is no such API address. See /api/docs/."))

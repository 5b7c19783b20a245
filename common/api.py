from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from common.exceptions import ApplicationError, NotFound, StaleState


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to 400 (409 for stale writes, 404 for out-of-scope records)."""
    if isinstance(exc, NotFound):
        exc = exceptions.NotFound(str(exc.message))
    elif isinstance(exc, StaleState):
        return Response(
            {"detail": str(exc.message), "code": exc.code, "extra": exc.extra},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, ApplicationError):
        return Response(
            {"detail": str(exc.message), "code": exc.code, "extra": exc.extra},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)

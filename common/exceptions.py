"""Domain errors raised by services; views and the API map them to user-facing messages."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain refused the request. `message` is translated and safe to show."""

    code = "application_error"

    def __init__(self, message: Any, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class TransitionNotAllowed(ApplicationError):
    code = "transition_not_allowed"


class NotAllowed(ApplicationError):
    """The actor's role does not allow the action (outside the actor's scope is NotFound:
    the API answers 403 only about a complaint the caller may already see)."""

    code = "not_allowed"
    http_status = 403


class StaleState(ApplicationError):
    """Someone else changed the record since the actor last saw it."""

    code = "stale_state"


class NotFound(ApplicationError):
    code = "not_found"

"""The notification outbox, as seen from the apps below `complaints` (DESIGN §9: imports point
one way, common <- accounts <- complaints).

Account emails (the verification link, "this address already has an account", the password
reset link) are outbox rows like every other message: written in the caller's transaction and
delivered by the same worker, with the same retries. The outbox lives in `complaints`, which
`accounts` may not import, so `complaints` registers its writer here when it is ready
(complaints.apps) and `accounts` calls `queue_email`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_writer: Callable[..., Any] | None = None


def register_writer(writer: Callable[..., Any]) -> None:
    global _writer
    _writer = writer


def queue_email(
    *,
    kind: str,
    cause_key: str,
    recipient: str,
    recipient_user=None,
    language: str = "id",
    context: dict[str, Any] | None = None,
) -> Any:
    """Write one email into the outbox (rendered from emails/<kind>.txt and
    emails/<kind>_subject.txt), at most once per recipient and cause; None for a duplicate."""
    if _writer is None:
        raise ImproperlyConfigured("No outbox writer registered (is 'complaints' installed?)")
    return _writer(
        kind=kind,
        cause_key=cause_key,
        recipient=recipient,
        recipient_user=recipient_user,
        language=language,
        context=context,
    )

"""Reads for the intake channels: Open311's services and requests (only what the public may
know: never rahasia, never anyone's identity), its clients' keys, and the threads and
conversations the email and chat channels continue."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from complaints.access import normalize_code
from complaints.models import (
    OPEN_STATUSES,
    Category,
    ChatConversation,
    Complaint,
    EmailThread,
    Open311Client,
    Open311Request,
)
from complaints.models.intake import IntakeEvent
from complaints.selectors.case import register_timeline_group
from complaints.selectors.public import complaint_list_public

OPEN311_KEY_PREFIX_LENGTH = 8
# GeoReport v2: a request list spans at most 90 days, and 90 days back when no range is given.
OPEN311_MAX_RANGE = dt.timedelta(days=90)
OPEN311_MAX_RESULTS = 1000


def open311_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_client_for_key(*, key: str) -> Open311Client | None:
    """The active client whose key this is; looked up by its prefix and compared in constant
    time, so a wrong key reveals nothing about the right ones."""
    key = (key or "").strip()
    if len(key) <= OPEN311_KEY_PREFIX_LENGTH or len(key) > 128:
        return None
    client = Open311Client.objects.filter(
        key_prefix=key[:OPEN311_KEY_PREFIX_LENGTH], is_active=True
    ).first()
    if client is None or not hmac.compare_digest(client.key_hash, open311_key_digest(key)):
        return None
    return client


def open311_service_list() -> QuerySet[Category]:
    """Every active category of an active agency is a service; its code is its id."""
    return (
        Category.objects.filter(is_active=True, agency__is_active=True)
        .select_related("agency")
        .order_by("agency__name", "ordering", "name", "pk")
    )


def open311_service_get(*, service_code: str) -> Category | None:
    if not (service_code or "").isdigit() or len(service_code) > 18:
        return None
    return open311_service_list().filter(pk=int(service_code)).first()


def open311_request_list(
    *,
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[Complaint]:
    """Public complaints as Open311 requests, newest first. `ids` (tracking numbers) overrides
    every other filter, as the specification says."""
    qs = complaint_list_public().select_related("category", "agency")
    if ids:
        return qs.filter(tracking_number__in=[normalize_code(i) for i in ids]).order_by(
            "-submitted_at", "-pk"
        )[:OPEN311_MAX_RESULTS]
    if service_codes:
        qs = qs.filter(category_id__in=[int(c) for c in service_codes if c.isdigit()])
    if statuses:
        wanted = set(statuses)
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    if start is not None:
        qs = qs.filter(submitted_at__gte=start)
    if end is not None:
        qs = qs.filter(submitted_at__lte=end)
    return qs.order_by("-submitted_at", "-pk")[:OPEN311_MAX_RESULTS]


def open311_request_get(*, service_request_id: str) -> Complaint | None:
    number = normalize_code(service_request_id)
    if not number:
        return None
    return (
        complaint_list_public()
        .select_related("category", "agency")
        .filter(tracking_number=number)
        .first()
    )


def open311_token_get(*, token: str) -> Open311Request | None:
    """The request a token stands for, while its complaint is public."""
    if not token or len(token) > 32:
        return None
    return (
        Open311Request.objects.filter(token=token, complaint__is_confidential=False)
        .select_related("complaint")
        .only("token", "complaint__tracking_number", "complaint__is_confidential")
        .first()
    )


def email_thread_get(*, token: str) -> EmailThread | None:
    if not token or len(token) > 32:
        return None
    return EmailThread.objects.select_related("complaint").filter(token=token).first()


def chat_conversation_get(*, channel: str, sender: str) -> ChatConversation | None:
    return ChatConversation.objects.filter(channel=channel, sender=sender).first()


def complaint_for_chat_sender(*, tracking_number: str, sender: str) -> Complaint | None:
    """A complaint by its number, only for the phone number it was filed from: a chat shows
    the status to its own reporter, as the tracking page does with the access code."""
    if not tracking_number or not sender:
        return None
    return Complaint.objects.filter(tracking_number=tracking_number, reporter_phone=sender).first()


# A reporter's later message sits with the reporter's other entries on the staff timeline.
register_timeline_group(IntakeEvent.REPORTER_MESSAGE, "reporter", _("From the reporter"))

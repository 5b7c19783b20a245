"""Writing messages into the outbox. Delivery is `complaints.tasks.notification_deliver_task`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint, Notification

TRACKING_LINK_SALT = "complaints.tracking-link"
TRACKING_LINK_MAX_AGE = dt.timedelta(days=365)


def tracking_link_token(complaint: Complaint) -> str:
    return signing.dumps({"t": complaint.tracking_number}, salt=TRACKING_LINK_SALT, compress=True)


def tracking_link_read(token: str) -> str | None:
    """The tracking number of a valid signed link, else None."""
    try:
        data = signing.loads(token, salt=TRACKING_LINK_SALT, max_age=TRACKING_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    number = data.get("t") if isinstance(data, dict) else None
    return number if isinstance(number, str) else None


def tracking_link(complaint: Complaint) -> str:
    path = reverse("complaints:track_signed", kwargs={"token": tracking_link_token(complaint)})
    return settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + path


FOLLOW_CONFIRM_SALT = "complaints.follow-confirm"
FOLLOW_CONFIRM_MAX_AGE = dt.timedelta(days=7)


def follow_confirm_token(token: str) -> str:
    """The signed confirmation token for a follower's random token (valid for 7 days)."""
    return signing.dumps({"f": token}, salt=FOLLOW_CONFIRM_SALT, compress=True)


def follow_confirm_read(signed: str) -> str | None:
    """The follower token inside a valid confirmation token, else None."""
    try:
        data = signing.loads(signed, salt=FOLLOW_CONFIRM_SALT, max_age=FOLLOW_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    token = data.get("f") if isinstance(data, dict) else None
    return token if isinstance(token, str) else None


def _absolute(path: str) -> str:
    return settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + path


def follow_confirm_link(token: str) -> str:
    return _absolute(
        reverse("complaints:follow_confirm", kwargs={"signed": follow_confirm_token(token)})
    )


def follower_link(token: str) -> str:
    return _absolute(reverse("complaints:follow_page", kwargs={"token": token}))


def unfollow_link(token: str) -> str:
    return _absolute(reverse("complaints:follow_stop", kwargs={"token": token}))


def notification_queue(
    *,
    kind: str,
    cause_key: str,
    recipient: str,
    complaint: Complaint | None = None,
    recipient_user=None,
    language: str = "id",
    context: dict[str, Any] | None = None,
    not_before: dt.datetime | None = None,
    channel: str = Notification.Channel.EMAIL,
    payload: dict[str, Any] | None = None,
) -> Notification | None:
    """Write one outbox row (subject and body rendered now, in the recipient's language) and
    schedule its delivery after commit. Returns None when this cause already produced a message
    for this recipient."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown message kind {kind!r}: add it to Notification.Kind")
    if not recipient:
        return None
    ctx = {"complaint": complaint, "site_url": settings.ADUAN_PUBLIC_BASE_URL, **(context or {})}
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"emails/{kind}_subject.txt", ctx, using="email").split()
        )
        body = render_to_string(f"emails/{kind}.txt", ctx, using="email")
    try:
        # A savepoint, so that a duplicate does not poison the caller's transaction.
        with transaction.atomic():
            notification = Notification.objects.create(
                complaint=complaint,
                channel=channel,
                recipient=recipient,
                recipient_user=recipient_user,
                kind=kind,
                cause_key=cause_key[:200],
                language=language,
                subject=subject[:255],
                body=body,
                not_before=not_before,
                payload=payload or {},
                created_at=timezone.now(),
            )
    except IntegrityError:
        return None
    if not_before is None or not_before <= timezone.now():
        from complaints.tasks import notification_deliver_task

        notification_id = notification.pk
        transaction.on_commit(lambda: _enqueue(notification_deliver_task, notification_id))
    return notification


def _enqueue(task, notification_id: int) -> None:
    # The row is already committed: if the broker is down, the outbox sweep sends it later.
    try:
        task.apply_async(args=[notification_id], retry=False)
    except Exception:  # any broker failure is recovered by the outbox sweep
        import logging

        logging.getLogger(__name__).warning(
            "Broker unavailable; notification %s left for the outbox sweep", notification_id
        )

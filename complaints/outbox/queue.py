"""Writing messages into the outbox. Delivery is `complaints.outbox.delivery`, run by the
`complaints.notification_deliver` task, which the outbox reaches through its dispatcher."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from complaints.models import Complaint, Notification
from complaints.models.outbox import message_kinds
from complaints.outbox import dispatch
from complaints.outbox.dispatch import TASK_NOTIFICATION_DELIVER


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
    if kind not in message_kinds():
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
        notification_id = notification.pk
        # The row is already committed: if the broker is down, the outbox sweep sends it later.
        transaction.on_commit(
            lambda: dispatch.enqueue(TASK_NOTIFICATION_DELIVER, args=[notification_id])
        )
    return notification

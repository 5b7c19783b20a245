"""Delivering outbox rows."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from complaints.models import Notification


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending notification. The PENDING -> SENDING guard makes a redelivered task a
    no-op; returns whether this call sent it."""
    claimed = Notification.objects.filter(
        pk=notification_id, state=Notification.State.PENDING
    ).update(state=Notification.State.SENDING, attempts=models_attempts_plus_one())
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        if notification.channel == Notification.Channel.EMAIL:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient],
            )
    except Exception as exc:
        with transaction.atomic():
            Notification.objects.filter(pk=notification_id).update(
                state=Notification.State.PENDING, last_error=str(exc)[:2000]
            )
        raise
    Notification.objects.filter(pk=notification_id).update(
        state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def models_attempts_plus_one():
    from django.db.models import F

    return F("attempts") + 1

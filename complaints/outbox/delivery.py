"""Delivering outbox rows (complaints.Notification)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from complaints.models import (
    Notification,
)

logger = logging.getLogger(__name__)


class TransientDeliveryError(Exception):
    """The message could not be handed over now (connection, timeout, 4xx); retry later."""


class PermanentDeliveryError(Exception):
    """The message can never be delivered as it is (bad address, 5xx, no template)."""


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # Connection refused or reset, timeouts, a server that hung up.
    return isinstance(exc, smtplib.SMTPServerDisconnected | OSError)


@dataclass
class Subject:
    """What a message written with a payload only is about, resolved at delivery: the template
    context, another template than its kind's own (a digest), and what to record once it is
    sent."""

    context: dict[str, Any]
    template: str | None = None
    after_sent: Callable[[], None] | None = None
    # Payload keys that the context replaces (ids the resolver turned into rows).
    consumed: tuple[str, ...] = ()


class Moot(Exception):
    """Nothing is left to say (what the message was about was settled meanwhile): the row is
    cancelled, a terminal state, so the outbox sweep never retries it."""


# Resolvers of what payload messages are about; each returns None for messages not its own.
# The services register theirs (escalations); the LAPOR! connector and webhooks will too.
RESOLVERS: list[Callable[[Notification], Subject | None]] = []


def register_resolver(resolver: Callable[[Notification], Subject | None]) -> None:
    if resolver not in RESOLVERS:
        RESOLVERS.append(resolver)


def notification_subject(notification: Notification) -> Subject:
    """What the message is about; raises Moot when that was settled before delivery."""
    for resolver in RESOLVERS:
        subject = resolver(notification)
        if subject is not None:
            return subject
    return Subject(context={})


def notification_render(
    notification: Notification, subject: Subject | None = None
) -> tuple[str, str]:
    """Subject and body in the recipient's language. Rows written in bulk carry only a payload
    and are rendered here, at delivery, with what their resolver found (`subject`)."""
    if notification.body:
        return notification.subject, notification.body
    if subject is None:
        subject = notification_subject(notification)
    ctx = {
        "complaint": notification.complaint,
        "site_url": settings.ADUAN_PUBLIC_BASE_URL,
        **{
            k: v
            for k, v in (notification.payload or {}).items()
            if isinstance(k, str) and k not in subject.consumed
        },
        **subject.context,
    }
    kind = subject.template or notification.kind
    try:
        with translation.override(notification.language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"emails/{kind}_subject.txt", ctx, using="email")
            body = render_to_string(f"emails/{kind}.txt", ctx, using="email")
    except TemplateDoesNotExist as exc:
        raise PermanentDeliveryError(f"no template for {kind}") from exc
    return " ".join(subject.split())[:255], body


def _send_email(notification: Notification) -> None:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "aduan.localhost"
    message = EmailMessage(
        notification.subject,
        notification.body,
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient],
        headers={"Message-ID": f"<notification-{notification.pk}@{domain}>"},
    )
    message.send(fail_silently=False)


# Senders per channel; the LAPOR! connector and webhooks register theirs here.
SENDERS: dict[str, Callable[[Notification], None]] = {Notification.Channel.EMAIL: _send_email}


def register_sender(channel: str, sender: Callable[[Notification], None]) -> None:
    SENDERS[channel] = sender


def notification_deliver(*, notification_id: int, now: dt.datetime | None = None) -> bool:
    """Send one outbox row. Returns whether this call sent it (False: already sent, claimed by
    another worker whose lease is alive, deferred, or failed permanently). Raises
    TransientDeliveryError after putting the row back to PENDING, for the task to retry."""
    now = now or timezone.now()
    due = Q(not_before__isnull=True) | Q(not_before__lte=now)
    # A SENDING row is claimable again only once its lease expired (its worker died).
    abandoned = Q(state=Notification.State.SENDING, leased_at__lte=now - OUTBOX_LEASE)
    claimed = Notification.objects.filter(
        (Q(state=Notification.State.PENDING) & due) | abandoned, pk=notification_id
    ).update(state=Notification.State.SENDING, leased_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    notification = Notification.objects.select_related("complaint").get(pk=notification_id)
    try:
        about = notification_subject(notification)
    except Moot as moot:
        Notification.objects.filter(pk=notification_id, state=Notification.State.SENDING).update(
            state=Notification.State.CANCELLED, last_error=str(moot)
        )
        return False
    sender = SENDERS.get(notification.channel)
    try:
        if sender is None:
            raise PermanentDeliveryError(f"no sender for channel {notification.channel}")
        subject, body = notification_render(notification, about)
        if (subject, body) != (notification.subject, notification.body):
            notification.subject, notification.body = subject, body
            Notification.objects.filter(pk=notification_id).update(subject=subject, body=body)
        sender(notification)
    except PermanentDeliveryError as exc:
        notification_fail(notification_id=notification_id, error=str(exc))
        return False
    except Exception as exc:
        if not _is_transient(exc):
            notification_fail(notification_id=notification_id, error=repr(exc))
            raise
        Notification.objects.filter(pk=notification_id, state=Notification.State.SENDING).update(
            state=Notification.State.PENDING, leased_at=now, last_error=repr(exc)[:2000]
        )
        raise TransientDeliveryError(repr(exc)) from exc
    Notification.objects.filter(pk=notification_id).update(
        state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )
    if about.after_sent is not None:
        about.after_sent()
    return True


def notification_fail(*, notification_id: int, error: str = "") -> bool:
    """Give up on a row (last retry used, or an error that retrying cannot fix)."""
    logger.warning("Notification %s failed: %s", notification_id, error)
    return bool(
        Notification.objects.filter(
            pk=notification_id,
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
        ).update(state=Notification.State.FAILED, last_error=error[:2000])
    )


# Longer than the delivery task's hard time limit plus its longest retry countdown, so a
# live worker never has its row taken away.
OUTBOX_LEASE = dt.timedelta(minutes=15)

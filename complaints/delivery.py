"""Delivering outbox rows (complaints.Notification).

A row goes PENDING -> SENDING (a guarded UPDATE that also takes a lease) -> SENT, or back to
PENDING on a transient error (the task retries with backoff), or FAILED on a permanent error or
after the last retry (`notification_fail`), or CANCELLED when an escalation message finds its
escalations already acknowledged. A redelivered or duplicated task finds nothing to
claim, so a message leaves at most once per recipient and cause; the one window left is a
worker dying between the mail server accepting the message and the SENT mark, which the
Message-ID (stable per row) lets receiving servers deduplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from complaints.models import Escalation, Notification
from complaints.sweeps import OUTBOX_LEASE, escalation_ids, escalation_mark_notified

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


# A digest lists this many complaints; the rest are counted, and one link leads to them all.
DIGEST_LISTED = 20


def _open_escalations(ids: list[int]) -> list[Escalation]:
    """The escalations of `ids` that still ask for action, lowest id first: nobody
    acknowledged them and their clock still runs (a warning that verification is due is
    moot once the complaint is verified; nothing is due on a closed complaint)."""
    return list(
        Escalation.objects.live()
        .filter(pk__in=ids, acknowledged_at__isnull=True)
        .select_related("complaint__agency", "complaint__unit")
        .order_by("pk")
    )


def _context(notification: Notification, escalations: list[Escalation] | None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "complaint": notification.complaint,
        "site_url": settings.ADUAN_PUBLIC_BASE_URL,
        **{
            k: v
            for k, v in (notification.payload or {}).items()
            if isinstance(k, str) and k not in ("escalation", "escalations")
        },
    }
    if escalations is None:
        ids = escalation_ids(notification)
        escalations = list(Escalation.objects.filter(pk__in=ids).select_related("complaint"))
    if len(escalations) == 1:
        context["escalation"] = escalations[0]
        context["complaint"] = escalations[0].complaint
    elif escalations:
        # By complaint, in the order of their first escalation: one complaint can be named
        # on two clocks (its current step and its hard ceiling).
        by_complaint: dict[int, list[Escalation]] = {}
        for escalation in escalations:
            by_complaint.setdefault(escalation.complaint_id, []).append(escalation)
        items = [{"complaint": g[0].complaint, "escalations": g} for g in by_complaint.values()]
        context["digest"] = items[:DIGEST_LISTED]
        context["complaint_count"] = len(items)
        context["unlisted_count"] = max(0, len(items) - DIGEST_LISTED)
    return context


ACKNOWLEDGED_BEFORE_DELIVERY = "acknowledged or settled before delivery"


def notification_render(
    notification: Notification, escalations: list[Escalation] | None = None
) -> tuple[str, str]:
    """Subject and body in the recipient's language. Rows written in bulk (escalations) carry
    only a payload and are rendered here, at delivery: a digest of several escalations (those
    still unacknowledged, `escalations`) with its own template."""
    if notification.body:
        return notification.subject, notification.body
    ctx = _context(notification, escalations)
    kind = "escalation_digest" if "digest" in ctx else notification.kind
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
    ids = escalation_ids(notification)
    escalations = _open_escalations(ids) if ids else None
    if ids and not escalations:
        # Held until the next working day and acknowledged meanwhile, or its clock stopped
        # (every escalation of a digest): nothing is left to act on. Cancelled, a terminal
        # state, so the outbox sweep never retries it.
        Notification.objects.filter(pk=notification_id, state=Notification.State.SENDING).update(
            state=Notification.State.CANCELLED, last_error=ACKNOWLEDGED_BEFORE_DELIVERY
        )
        return False
    sender = SENDERS.get(notification.channel)
    try:
        if sender is None:
            raise PermanentDeliveryError(f"no sender for channel {notification.channel}")
        subject, body = notification_render(notification, escalations)
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
    if escalations:
        escalation_mark_notified(escalation_ids=[e.pk for e in escalations], now=timezone.now())
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

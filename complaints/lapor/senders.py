"""The outbox senders of the connectors (channels `lapor` and `webhook`) and their resolver.
Registered with the outbox by `complaints.lapor.register` at start-up."""

from __future__ import annotations

from django.utils import timezone

from complaints.models import (
    Complaint,
    LaporLink,
    Notification,
    WebhookSubscription,
)
from complaints.outbox.delivery import Moot, PermanentDeliveryError, Subject
from complaints.outbox.lapor import (
    STATUS_TO_LAPOR,
    LaporClient,
    LaporRejected,
    LaporUnavailable,
)
from complaints.outbox.webhooks import webhook_post
from complaints.services.connectors import (
    complaint_lapor_id_record,
    notification_defer,
    webhook_delivery_record,
)


class ReceiverDown(OSError):
    """The webhook receiver did not take the message (no answer, or not 2xx); an OSError,
    so the outbox keeps the row for a later attempt."""


def connector_subject(notification: Notification) -> Subject | None:
    """Settles, before a call, whether it is still wanted: an unlinked agency or a paused or
    deleted subscription cancels the row."""
    payload = notification.payload or {}
    if notification.channel == Notification.Channel.LAPOR:
        if not LaporLink.objects.filter(pk=payload.get("link_id"), is_active=True).exists():
            raise Moot("the agency is no longer linked to SP4N-LAPOR!")
        return Subject(context={})
    if notification.channel == Notification.Channel.WEBHOOK:
        active = WebhookSubscription.objects.filter(
            pk=payload.get("subscription_id"), is_active=True, paused_at__isnull=True
        )
        if not active.exists():
            raise Moot("the subscription is paused or gone")
        return Subject(context={})
    return None


def lapor_send(notification: Notification) -> None:
    payload = notification.payload
    link = LaporLink.objects.get(pk=payload["link_id"])
    client = LaporClient(base_url=link.base_url, token=link.api_token)
    # Stable per message: a call repeated after a lost answer is recognised by the other side.
    key = f"aduan-{notification.cause_key}"
    call = payload["call"]
    try:
        if call == "file":
            tracking_id = client.file_complaint(payload["complaint"], idempotency_key=key)
            complaint_lapor_id_record(complaint_id=notification.complaint_id, lapor_id=tracking_id)
            return
        lapor_id = (
            Complaint.objects.filter(pk=notification.complaint_id)
            .values_list("lapor_id", flat=True)
            .first()
        )
        if not lapor_id:
            if _filing_pending(notification):
                raise LaporUnavailable("waiting for the filing to be answered")
            raise PermanentDeliveryError("the complaint was never filed with SP4N-LAPOR!")
        if call == "status":
            client.status_update(
                lapor_id,
                status=_lapor_status(payload["status"]),
                note=payload.get("note", ""),
                idempotency_key=key,
            )
        else:
            client.followup_add(lapor_id, kind=call, body=payload["body"], idempotency_key=key)
    except LaporUnavailable:
        notification_defer(notification_id=notification.pk, attempts=notification.attempts)
        raise
    except LaporRejected as exc:
        raise PermanentDeliveryError(str(exc)) from exc


def _lapor_status(status: str) -> str:
    return STATUS_TO_LAPOR.get(status, status)


def _filing_pending(notification: Notification) -> bool:
    return Notification.objects.filter(
        complaint_id=notification.complaint_id,
        channel=Notification.Channel.LAPOR,
        recipient=notification.recipient,
        payload__call="file",
        state__in=[Notification.State.PENDING, Notification.State.SENDING],
    ).exists()


def webhook_send(notification: Notification) -> None:
    payload = notification.payload
    subscription = WebhookSubscription.objects.get(pk=payload["subscription_id"])
    message = payload["message"]
    answer = webhook_post(
        subscription.url,
        secret=subscription.secret,
        msg_id=notification.cause_key,
        message=message,
        timestamp=timezone.now(),
    )
    webhook_delivery_record(
        subscription_id=subscription.pk,
        notification_id=notification.pk,
        event_type=message.get("type", ""),
        status_code=answer.status_code,
        response_body=answer.body,
        error=answer.error,
    )
    if not answer.ok:
        notification_defer(notification_id=notification.pk, attempts=notification.attempts)
        raise ReceiverDown(answer.error or f"answered {answer.status_code}")

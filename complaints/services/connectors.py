"""Writes of the connectors: outbox rows for SP4N-LAPOR! and webhooks, the national tracking
id kept beside ours, calls from the national system imported through the ordinary services,
and the webhook subscriptions with their delivery log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed
from complaints.access import actor_is_national_admin, actor_roles_for
from complaints.models import (
    Agency,
    Channel,
    Complaint,
    ConnectorMessage,
    EventType,
    Kind,
    LaporInbound,
    LaporLink,
    Notification,
    Role,
    Status,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from complaints.outbox import dispatch
from complaints.outbox.dispatch import TASK_NOTIFICATION_DELIVER
from complaints.outbox.queue import notification_queue
from complaints.outbox.webhooks import unsafe_address
from complaints.services.core import complaint_save, event_append, lock_complaint
from complaints.services.filing import complaint_submit
from complaints.services.followups import complaint_close
from complaints.services.reporter import (
    complaint_reporter_accept,
    complaint_reporter_object,
    complaint_supply_data,
    complaint_supply_info,
)

# How long a connector row waits after a failed call, by the number of attempts made: the
# national system or a receiver down for an hour or two loses nothing (the outbox gives up
# after its OUTBOX_MAX_ATTEMPTS, and re-queues a row only after its lease anyway).
RETRY_DELAYS = (60, 120, 300, 600, 1200, 2400, 4800)

# A subscription whose deliveries have all failed for this long (and at least
# WEBHOOK_PAUSE_FAILURES times) is paused and its owner told.
WEBHOOK_PAUSE_AFTER = dt.timedelta(hours=3)
WEBHOOK_PAUSE_FAILURES = 5


@dataclass
class ConnectorMessageRow:
    """One message to another system, before it is an outbox row."""

    complaint_id: int
    channel: str
    recipient: str
    kind: str
    cause_key: str
    subject: str
    payload: dict[str, Any] = field(default_factory=dict)


def connector_messages_queue(
    *, messages: Iterable[ConnectorMessageRow], now: dt.datetime | None = None
) -> list[int]:
    """Write the messages not written before (a cause is sent once per recipient: the outbox's
    unique (recipient, cause_key)) and hand them to delivery after commit. Returns the new
    rows' ids."""
    now = now or timezone.now()
    messages = list(messages)
    if not messages:
        return []
    existing = set(
        Notification.objects.filter(
            recipient__in={m.recipient for m in messages},
            cause_key__in={m.cause_key for m in messages},
        ).values_list("recipient", "cause_key")
    )
    rows = [
        Notification(
            complaint_id=m.complaint_id,
            channel=m.channel,
            recipient=m.recipient,
            kind=m.kind,
            cause_key=m.cause_key,
            subject=m.subject[:255],
            # The body is the payload itself, so delivery renders nothing.
            body="json",
            payload=m.payload,
            language="id",
            created_at=now,
        )
        for m in messages
        if (m.recipient, m.cause_key) not in existing
    ]
    if not rows:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another relay wrote some of them meanwhile: write the rest one by one.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.pk = None
                    row.save(force_insert=True)
                    created.append(row)
            except IntegrityError:
                continue
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: dispatch.enqueue_each(TASK_NOTIFICATION_DELIVER, ids))
    return ids


def notification_defer(
    *, notification_id: int, attempts: int, now: dt.datetime | None = None
) -> dt.datetime:
    """Hold a connector row after a failed call, longer after each attempt."""
    now = now or timezone.now()
    delay = RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]
    until = now + dt.timedelta(seconds=delay)
    Notification.objects.filter(pk=notification_id).update(not_before=until)
    return until


def complaint_lapor_id_record(
    *, complaint_id: int, lapor_id: str, now: dt.datetime | None = None
) -> Complaint:
    """Keep the national tracking id beside ours (once: a repeated answer changes nothing)."""
    with transaction.atomic():
        c = lock_complaint(complaint_id)
        if c.lapor_id == lapor_id:
            return c
        c.lapor_id = lapor_id
        complaint_save(c, ["lapor_id"])
        event_append(
            c,
            EventType.LAPOR_SYNC,
            actor=None,
            actor_label="SP4N-LAPOR!",
            is_public=False,
            data={"lapor_id": lapor_id, "direction": "out", "call": "file"},
            now=now,
        )
    return c


# ---------------------------------------------------------------------------------------------
# Calls from the national system


class InboundRefused(ApplicationError):
    """The call is well signed but cannot be applied (unknown complaint, bad fields)."""

    code = "inbound_refused"


@dataclass
class InboundResult:
    outcome: str
    complaint: Complaint | None
    duplicate: bool = False


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise InboundRefused(_("The field %(field)s must be text.") % {"field": key})
    return value.strip()[:limit]


def lapor_inbound_receive(
    *,
    link: LaporLink,
    event_id: str,
    event_type: str,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> InboundResult:
    """Apply one verified call of the national system, once: the event id is recorded in the
    same transaction as its effect, so a retry or a replay returns the first outcome and
    changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = LaporInbound.objects.create(
                    link=link, event_id=event_id[:100], event_type=event_type[:50], received_at=now
                )
        except IntegrityError:
            earlier = LaporInbound.objects.select_related("complaint").get(
                link=link, event_id=event_id[:100]
            )
            return InboundResult(earlier.outcome, earlier.complaint, duplicate=True)
        if event_type == "complaint.created":
            outcome, complaint = _inbound_created(link, data, now)
        elif event_type == "complaint.reply":
            outcome, complaint = _inbound_reply(link, data, now)
        elif event_type == "complaint.status":
            outcome, complaint = _inbound_status(link, data, now)
        else:
            raise InboundRefused(_("Unknown event type %(type)s.") % {"type": event_type})
        record.complaint = complaint
        record.outcome = outcome
        record.save(update_fields=["complaint", "outcome"])
    return InboundResult(outcome, complaint)


def _linked_complaint(link: LaporLink, data: dict[str, Any]) -> Complaint:
    tracking_id = _text(data, "tracking_id", 64)
    complaint = (
        Complaint.objects.filter(lapor_id=tracking_id, agency__path__startswith=link.agency.path)
        .only("pk", "status", "data_requested_at")
        .first()
        if tracking_id
        else None
    )
    if complaint is None:
        raise InboundRefused(_("No complaint of this agency has that SP4N-LAPOR! id."))
    return complaint


def _inbound_created(
    link: LaporLink, data: dict[str, Any], now: dt.datetime
) -> tuple[str, Complaint]:
    tracking_id = _text(data, "tracking_id", 64)
    if not tracking_id:
        raise InboundRefused(_("The tracking_id is missing."))
    known = Complaint.objects.filter(lapor_id=tracking_id).first()
    if known is not None:
        return "known", known
    reporter = data.get("reporter") or {}
    if not isinstance(reporter, dict):
        raise InboundRefused(_("The field %(field)s must be an object.") % {"field": "reporter"})
    anonymous = bool(data.get("is_anonymous"))
    kind = data.get("kind") or Kind.COMPLAINT
    if kind not in Kind.values:
        raise InboundRefused(_("Unknown kind %(kind)s.") % {"kind": kind})
    incident = _text(data, "incident_date", 10)
    try:
        incident_date = dt.date.fromisoformat(incident) if incident else None
    except ValueError as exc:
        raise InboundRefused(_("The incident_date must be a date (YYYY-MM-DD).")) from exc
    complaint, _code = complaint_submit(
        actor=None,
        kind=kind,
        title=_text(data, "title", 255),
        body=_text(data, "content", 20000),
        agency=link.agency,
        incident_date=incident_date,
        location_text=_text(data, "location", 255),
        channel=Channel.LAPOR,
        # An anonymous reporter's identity is not kept even if the call carries it.
        reporter_name="" if anonymous else _text(reporter, "name", 150),
        reporter_email="" if anonymous else _text(reporter, "email", 254),
        reporter_phone="" if anonymous else _text(reporter, "phone", 32),
        is_anonymous=anonymous,
        is_confidential=bool(data.get("is_secret")),
        now=now,
    )
    complaint.lapor_id = tracking_id
    complaint_save(complaint, ["lapor_id"])
    event_append(
        complaint,
        EventType.LAPOR_SYNC,
        actor=None,
        actor_label="SP4N-LAPOR!",
        is_public=False,
        data={"lapor_id": tracking_id, "direction": "in", "call": "created"},
        now=now,
    )
    return "imported", complaint


def _inbound_reply(
    link: LaporLink, data: dict[str, Any], now: dt.datetime
) -> tuple[str, Complaint]:
    """The reporter wrote on the national system: information asked for, accepting or
    objecting to the answer, or a comment kept on the timeline."""
    complaint = _linked_complaint(link, data)
    body = _text(data, "body", 20000)
    decision = data.get("decision") or ""
    if complaint.status == Status.NEEDS_INFO and body:
        complaint_supply_info(complaint_id=complaint.pk, body=body, now=now)
        return "info_supplied", complaint
    if complaint.data_request_open and body:
        complaint_supply_data(complaint_id=complaint.pk, body=body, now=now)
        return "data_supplied", complaint
    if complaint.status == Status.AWAITING_REPORTER and decision == "accept":
        complaint_reporter_accept(complaint_id=complaint.pk, now=now)
        return "accepted", complaint
    if complaint.status == Status.AWAITING_REPORTER and decision == "object":
        complaint_reporter_object(complaint_id=complaint.pk, reason=body, now=now)
        return "objected", complaint
    if not body:
        raise InboundRefused(_("The reply is empty."))
    c = lock_complaint(complaint.pk)
    event_append(
        c,
        EventType.LAPOR_SYNC,
        actor=None,
        actor_label="SP4N-LAPOR!",
        is_public=False,
        body=body,
        data={"direction": "in", "call": "reply"},
        now=now,
    )
    return "noted", c


def _inbound_status(
    link: LaporLink, data: dict[str, Any], now: dt.datetime
) -> tuple[str, Complaint]:
    """The national system closed the complaint (its reporter or its administrators); any
    other status it reports is kept on the timeline, since ours is decided here."""
    complaint = _linked_complaint(link, data)
    status = _text(data, "status", 32)
    if status == "closed" and complaint.status == Status.AWAITING_REPORTER:
        complaint_close(complaint_id=complaint.pk, reason="lapor", now=now)
        return "closed", complaint
    c = lock_complaint(complaint.pk)
    event_append(
        c,
        EventType.LAPOR_SYNC,
        actor=None,
        actor_label="SP4N-LAPOR!",
        is_public=False,
        body=_text(data, "note", 2000),
        data={"direction": "in", "call": "status", "status": status},
        now=now,
    )
    return "noted", c


# ---------------------------------------------------------------------------------------------
# Webhook subscriptions


def webhook_delivery_record(
    *,
    subscription_id: int,
    notification_id: int,
    event_type: str,
    status_code: int | None,
    response_body: str = "",
    error: str = "",
    now: dt.datetime | None = None,
) -> bool:
    """Log one delivery attempt and keep the subscription's run of failures. Returns whether
    this attempt paused the subscription (its owner is then mailed)."""
    now = now or timezone.now()
    ok = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        WebhookDelivery.objects.create(
            subscription_id=subscription_id,
            notification_id=notification_id,
            event_type=event_type[:50],
            attempted_at=now,
            status_code=status_code,
            response_body=response_body[:2000],
            error=error[:500],
        )
        subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
        if ok:
            if subscription.consecutive_failures or subscription.failing_since:
                subscription.consecutive_failures = 0
                subscription.failing_since = None
                subscription.save(update_fields=["consecutive_failures", "failing_since"])
            return False
        subscription.consecutive_failures = F("consecutive_failures") + 1
        subscription.failing_since = subscription.failing_since or now
        subscription.save(update_fields=["consecutive_failures", "failing_since"])
        subscription.refresh_from_db(fields=["consecutive_failures"])
        if (
            subscription.paused_at is None
            and subscription.consecutive_failures >= WEBHOOK_PAUSE_FAILURES
            and now - subscription.failing_since >= WEBHOOK_PAUSE_AFTER
        ):
            subscription.paused_at = now
            subscription.save(update_fields=["paused_at"])
            if subscription.owner_id and subscription.owner.email:
                notification_queue(
                    kind=ConnectorMessage.WEBHOOK_PAUSED,
                    cause_key=f"webhook_paused:{subscription.pk}:{now.isoformat()}",
                    recipient=subscription.owner.email,
                    recipient_user=subscription.owner,
                    context={
                        "subscription": subscription,
                        "failures": subscription.consecutive_failures,
                    },
                )
            return True
    return False


def _require_agency_admin(actor: User, agency_id: int, agency_path: str) -> None:
    if actor_is_national_admin(actor):
        return
    if Role.FOCAL_POINT not in actor_roles_for(actor=actor, scope_path=agency_path):
        raise NotAllowed(_("Only the agency's focal point manages its webhooks."))


def _clean_event_types(event_types: Iterable[str]) -> list[str]:
    chosen = sorted(set(event_types))
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if unknown or not chosen:
        raise ApplicationError(_("Choose at least one event type."))
    return chosen


def webhook_subscription_create(
    *, actor: User, agency_id: int, url: str, event_types: Iterable[str], description: str = ""
) -> WebhookSubscription:
    agency = Agency.objects.get(pk=agency_id)
    _require_agency_admin(actor, agency.pk, agency.path)
    if not url.startswith(("https://", "http://")):
        raise ApplicationError(_("The address must start with https://."))
    if unsafe_address(url):
        raise ApplicationError(
            _("The address must be a public internet address that resolves from this server.")
        )
    return WebhookSubscription.objects.create(
        agency=agency,
        url=url,
        description=description.strip()[:200],
        event_types=_clean_event_types(event_types),
        owner=actor,
    )


def webhook_subscription_set_state(
    *, actor: User, subscription_id: int, state: str
) -> WebhookSubscription | None:
    """state: "pause", "resume" (clears the run of failures) or "delete"."""
    with transaction.atomic():
        subscription = (
            WebhookSubscription.objects.select_for_update()
            .select_related("agency")
            .get(pk=subscription_id)
        )
        _require_agency_admin(actor, subscription.agency_id, subscription.agency.path)
        if state == "delete":
            subscription.delete()
            return None
        if state == "pause":
            subscription.paused_at = subscription.paused_at or timezone.now()
        elif state == "resume":
            subscription.paused_at = None
            subscription.consecutive_failures = 0
            subscription.failing_since = None
        else:
            raise ApplicationError(_("Unknown action."))
        subscription.save(update_fields=["paused_at", "consecutive_failures", "failing_since"])
    return subscription


def lapor_link_configure(
    *, agency_id: int, base_url: str, api_token: str, default_topic: str = ""
) -> LaporLink:
    """Link an agency to a national system (or change its address and token)."""
    link, _created = LaporLink.objects.update_or_create(
        agency_id=agency_id,
        defaults={
            "base_url": base_url,
            "api_token": api_token,
            "default_topic": default_topic,
            "is_active": True,
        },
    )
    return link

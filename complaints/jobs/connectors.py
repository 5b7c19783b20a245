"""The connector relay: reads the timeline after its cursor and writes one outbox row per
event and destination (the complaint's agency's SP4N-LAPOR! link, the webhook subscriptions
whose scope holds the complaint). Run every minute by beat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from complaints.models import Channel, ComplaintEvent, ConnectorMessage, Notification, RelayCursor
from complaints.selectors.connectors import (
    LAPOR_CALLS,
    WEBHOOK_EVENTS,
    complaint_outbound,
    event_outbound,
    lapor_links_active,
    relay_events,
    subscriptions_for,
    webhook_subscriptions_active,
)
from complaints.services.connectors import ConnectorMessageRow, connector_messages_queue

RELAY_CURSOR = "connectors"
RELAY_BATCH_SIZE = 500
# Event ids are taken in one order and committed in another: a transaction that took id 10
# may commit after the one that took 11. The cursor only passes events older than this, so a
# late commit is still read; events read twice are written once (the outbox's unique cause).
RELAY_SETTLE = dt.timedelta(minutes=5)


@dataclass
class RelayResult:
    examined: int
    written: int
    more: bool


def connectors_relay(
    *,
    now: dt.datetime | None = None,
    batch_size: int = RELAY_BATCH_SIZE,
    settle: dt.timedelta = RELAY_SETTLE,
) -> RelayResult:
    now = now or timezone.now()
    with transaction.atomic():
        cursor = _cursor_locked()
        events = relay_events(after_id=cursor.last_event_id, limit=batch_size)
        links = lapor_links_active() if events else {}
        subscriptions = webhook_subscriptions_active() if events else []
        messages: list[ConnectorMessageRow] = []
        for event in events:
            messages += _lapor_messages(event, links)
            messages += _webhook_messages(event, subscriptions)
        written = connector_messages_queue(messages=messages, now=now)
        settled = [e.pk for e in events if e.created_at <= now - settle]
        # Only a prefix of settled events moves the cursor: an unsettled one stays ahead of it.
        passed = cursor.last_event_id
        for event in events:
            if event.pk not in settled:
                break
            passed = event.pk
        if passed != cursor.last_event_id:
            RelayCursor.objects.filter(pk=cursor.pk).update(last_event_id=passed)
    # Another batch only when this one was full and wholly passed: a full batch still inside the
    # settling window is read again by the next beat, not in a loop now.
    more = len(events) == batch_size and passed == events[-1].pk
    return RelayResult(examined=len(events), written=len(written), more=more)


def _cursor_locked() -> RelayCursor:
    cursor = RelayCursor.objects.select_for_update().filter(name=RELAY_CURSOR).first()
    if cursor is not None:
        return cursor
    # The first run starts at the present: the history before the connectors is not sent.
    start = ComplaintEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    RelayCursor.objects.get_or_create(name=RELAY_CURSOR, defaults={"last_event_id": start})
    return RelayCursor.objects.select_for_update().get(name=RELAY_CURSOR)


def _lapor_messages(event: ComplaintEvent, links: dict) -> list[ConnectorMessageRow]:
    complaint = event.complaint
    call = LAPOR_CALLS.get(event.type)
    link = links.get(complaint.agency_id) if complaint.agency_id else None
    if call is None or link is None:
        return []
    if call == "file" and complaint.channel == Channel.LAPOR:
        return []  # it came from there
    payload: dict = {"call": call, "link_id": link.pk, "event_id": event.pk}
    if call == "file":
        outbound = complaint_outbound(complaint)
        payload["complaint"] = {
            "external_id": outbound["tracking_number"],
            "title": outbound["title"],
            "content": outbound["body"],
            "kind": outbound["kind"],
            "topic": link.default_topic,
            "category": outbound["category"],
            "incident_date": outbound["incident_date"],
            "location": outbound["location"],
            "is_anonymous": outbound["is_anonymous"],
            "is_secret": outbound["is_confidential"],
            "reporter": outbound["reporter"],
        }
    elif call == "status":
        payload["status"] = event.to_status
        payload["note"] = event.body if event.is_public else ""
    else:
        payload["body"] = event.body
    return [
        ConnectorMessageRow(
            complaint_id=complaint.pk,
            channel=Notification.Channel.LAPOR,
            recipient=f"lapor:{link.pk}",
            kind=ConnectorMessage.LAPOR_CALL,
            cause_key=f"lapor:{event.pk}",
            subject=f"{call} {complaint.tracking_number}",
            payload=payload,
        )
    ]


def _webhook_messages(event: ComplaintEvent, subscriptions: list) -> list[ConnectorMessageRow]:
    event_type = WEBHOOK_EVENTS.get(event.type)
    if event_type is None or not subscriptions:
        return []
    chosen = subscriptions_for(event.complaint, subscriptions, event_type)
    if not chosen:
        return []
    message = {
        "type": event_type,
        "timestamp": event.created_at.isoformat(),
        "data": {"complaint": complaint_outbound(event.complaint), "event": event_outbound(event)},
    }
    return [
        ConnectorMessageRow(
            complaint_id=event.complaint_id,
            channel=Notification.Channel.WEBHOOK,
            recipient=s.recipient,
            kind=ConnectorMessage.WEBHOOK_EVENT,
            cause_key=f"msg_{event.pk}",
            subject=event_type,
            payload={"subscription_id": s.pk, "message": message},
        )
        for s in chosen
    ]

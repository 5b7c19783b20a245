"""What leaves the portal about a complaint (SP4N-LAPOR! calls, webhook deliveries), and the
reads of the connector relay. The one place that decides which fields another system sees:
an anonymous reporter's identity never leaves."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from complaints.models import (
    Complaint,
    ComplaintEvent,
    EventType,
    LaporLink,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

# Timeline events that other systems hear about, by webhook event type.
WEBHOOK_EVENTS: dict[str, str] = {
    EventType.SUBMITTED: WebhookEvent.FILED,
    EventType.VERIFIED: WebhookEvent.VERIFIED,
    EventType.HELD_FOR_INFO: WebhookEvent.INFO_REQUESTED,
    EventType.INFO_SUPPLIED: WebhookEvent.INFO_SUPPLIED,
    EventType.DATA_REQUESTED: WebhookEvent.INFO_REQUESTED,
    EventType.DATA_SUPPLIED: WebhookEvent.INFO_SUPPLIED,
    EventType.ROUTED: WebhookEvent.ROUTED,
    EventType.FORWARDED: WebhookEvent.FORWARDED,
    EventType.RESPONSE_PUBLISHED: WebhookEvent.ANSWERED,
    EventType.ESCALATED: WebhookEvent.ESCALATED,
    EventType.CLOSED: WebhookEvent.CLOSED,
    EventType.ARCHIVED: WebhookEvent.ARCHIVED,
}

# Timeline events sent to SP4N-LAPOR!, and as which call: the filing, a status change, a
# question to the reporter, the public answer.
LAPOR_CALLS: dict[str, str] = {
    EventType.SUBMITTED: "file",
    EventType.VERIFIED: "status",
    EventType.ROUTED: "status",
    EventType.FORWARDED: "status",
    EventType.ARCHIVED: "status",
    EventType.CLOSED: "status",
    EventType.HELD_FOR_INFO: "info_request",
    EventType.DATA_REQUESTED: "info_request",
    EventType.RESPONSE_PUBLISHED: "answer",
}

RELAYED_EVENT_TYPES = frozenset(WEBHOOK_EVENTS) | frozenset(LAPOR_CALLS)


def complaint_outbound(complaint: Complaint) -> dict[str, Any]:
    """A complaint as another system receives it. Anonymous: no name, email or phone."""
    identity = (
        {}
        if complaint.is_anonymous
        else {
            "name": complaint.reporter_name,
            "email": complaint.reporter_email,
            "phone": complaint.reporter_phone,
        }
    )
    return {
        "tracking_number": complaint.tracking_number,
        "lapor_id": complaint.lapor_id or None,
        "kind": complaint.kind,
        "title": complaint.title,
        "body": complaint.body,
        "status": complaint.status,
        "channel": complaint.channel,
        "agency": complaint.agency.slug if complaint.agency_id else None,
        "category": complaint.category.name if complaint.category_id else None,
        "incident_date": complaint.incident_date.isoformat() if complaint.incident_date else None,
        "location": complaint.location_text,
        "region": complaint.region,
        "is_anonymous": complaint.is_anonymous,
        "is_confidential": complaint.is_confidential,
        "submitted_at": complaint.submitted_at.isoformat() if complaint.submitted_at else None,
        "reporter": identity or None,
    }


def event_outbound(event: ComplaintEvent) -> dict[str, Any]:
    """A timeline event as another system receives it: public text only."""
    return {
        "id": event.pk,
        "type": event.type,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "body": event.body if event.is_public else "",
        "created_at": event.created_at.isoformat(),
    }


def relay_events(*, after_id: int, limit: int) -> list[ComplaintEvent]:
    """The next timeline events (by id) that a connector may relay, with their complaint."""
    return list(
        ComplaintEvent.objects.filter(pk__gt=after_id, type__in=RELAYED_EVENT_TYPES)
        .select_related("complaint", "complaint__agency", "complaint__category")
        .order_by("pk")[:limit]
    )


def lapor_links_active() -> dict[int, LaporLink]:
    """Active links by agency id."""
    return {
        link.agency_id: link
        for link in LaporLink.objects.filter(is_active=True).select_related("agency")
    }


def webhook_subscriptions_active() -> list[WebhookSubscription]:
    return list(
        WebhookSubscription.objects.filter(is_active=True, paused_at__isnull=True).select_related(
            "agency"
        )
    )


def subscriptions_for(
    complaint: Complaint, subscriptions: list[WebhookSubscription], event_type: str
) -> list[WebhookSubscription]:
    """The subscriptions that hear about this complaint: their agency's scope holds it (its
    agency, or a unit below) and they chose the event type."""
    path = complaint.scope_path or (complaint.agency.path if complaint.agency_id else "")
    return [
        s
        for s in subscriptions
        if path and path.startswith(s.agency.path) and event_type in s.event_types
    ]


def webhook_subscriptions_for_agency(*, agency_ids: list[int]) -> QuerySet[WebhookSubscription]:
    return (
        WebhookSubscription.objects.filter(agency_id__in=agency_ids)
        .select_related("agency", "owner")
        .order_by("agency__name", "pk")
    )


def webhook_deliveries(*, subscription_id: int, limit: int) -> list[WebhookDelivery]:
    """The newest delivery attempts of a subscription (its log)."""
    return list(
        WebhookDelivery.objects.filter(subscription_id=subscription_id).order_by(
            "-attempted_at", "-pk"
        )[:limit]
    )

"""The append-only timeline of a complaint: events, responses and attachments."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, choices_extend
from complaints.models.complaint import Complaint


class EventType(models.TextChoices):
    SUBMITTED = "submitted", _("Filed")
    VERIFIED = "verified", _("Verified")
    HELD_FOR_INFO = "held_for_info", _("Information requested")
    INFO_SUPPLIED = "info_supplied", _("Information supplied")
    DATA_REQUESTED = "data_requested", _("Data requested during follow-up")
    DATA_SUPPLIED = "data_supplied", _("Data supplied during follow-up")
    ARCHIVED = "archived", _("Archived")
    ROUTED = "routed", _("Routed to a unit")
    ROUTE_RETURNED = "route_returned", _("Returned to the agency by the unit")
    FORWARDED = "forwarded", _("Forwarded to another agency")
    TAKEN = "taken", _("Taken")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Internal note")
    DRAFT_SAVED = "draft_saved", _("Draft answer saved")
    DRAFT_APPROVED = "draft_approved", _("Draft approved")
    DRAFT_RETURNED = "draft_returned", _("Draft returned")
    RESPONSE_PUBLISHED = "response_published", _("Answer published")
    RESOLVED = "resolved", _("Marked resolved")
    ACCEPTED = "accepted", _("Answer accepted by the reporter")
    OBJECTED = "objected", _("Answer objected to by the reporter")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    RECLASSIFIED = "reclassified", _("Reclassified")
    PRIVACY_CHANGED = "privacy_changed", _("Privacy changed")
    MERGED = "merged", _("Merged into another complaint")
    ESCALATED = "escalated", _("Escalated")
    ESCALATION_ACKNOWLEDGED = "escalation_acknowledged", _("Escalation acknowledged")
    REMINDER_SENT = "reminder_sent", _("Reminder sent")
    LAPOR_SYNC = "lapor_sync", _("SP4N-LAPOR! sync")


# Event types the reporter sees on the tracking page; everything else is internal.
PUBLIC_EVENT_TYPES = frozenset(
    {
        EventType.SUBMITTED,
        EventType.VERIFIED,
        EventType.HELD_FOR_INFO,
        EventType.INFO_SUPPLIED,
        EventType.DATA_REQUESTED,
        EventType.DATA_SUPPLIED,
        EventType.ARCHIVED,
        EventType.ROUTED,
        EventType.FORWARDED,
        EventType.RESPONSE_PUBLISHED,
        EventType.ACCEPTED,
        EventType.OBJECTED,
        EventType.RATED,
        EventType.CLOSED,
        EventType.MERGED,
    }
)


class ComplaintEvent(models.Model):
    """Append-only timeline and audit log. Nothing updates or deletes a row."""

    # Indexed by event_complaint_created (complaint first) and event_actor (partial: the
    # sweeps' system events have no actor).
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        related_name="events",
        on_delete=models.CASCADE,
        db_index=False,
    )
    type = models.CharField(_("type"), max_length=32, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        db_index=False,
    )
    # Who acted, as shown in the timeline ("Pelapor", an agency name, "Sistem").
    actor_label = models.CharField(_("actor as shown"), max_length=200, blank=True)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=False)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="event_complaint_created"),
            models.Index(fields=["type", "created_at"], name="event_type_created"),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]
        constraints = [
            # A filing draft files once: its submit key is unique among submitted events, so of
            # two requests racing with one draft the second waits on the first's row and fails
            # (services.filing). Filing's look-up of an earlier filing
            # (selectors.public.complaint_filed_with_submit_key) is one probe of this index.
            models.UniqueConstraint(
                KeyTransform("submit_key", "data"),
                name="event_submit_key_once",
                condition=Q(type="submitted"),
            ),
        ]
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_type_display()} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def forwarded_to_name(self) -> Any:
        """Where a forward sent the complaint: the agency's name, or the national triage desk
        (a forward without an agency)."""
        data = self.data or {}
        return data.get("to_agency_name") or _("the national triage desk")


class Response(TimeStampedModel):
    """An agency answer: drafted, approved (where the agency requires it), then published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")

    complaint = models.ForeignKey(Complaint, related_name="responses", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL
    )
    body = models.TextField(_("answer"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["complaint", "state"], name="response_complaint_state")]


def new_attachment_key() -> str:
    return secrets.token_urlsafe(16)


class Attachment(TimeStampedModel):
    complaint = models.ForeignKey(Complaint, related_name="attachments", on_delete=models.CASCADE)
    # Names the file in public addresses (/lacak/<number>/lampiran/<key>/): no sequential ids
    # in public URLs (DESIGN §2).
    key = models.CharField(max_length=32, default=new_attachment_key, editable=False)
    event = models.ForeignKey(
        ComplaintEvent, null=True, blank=True, related_name="attachments", on_delete=models.SET_NULL
    )
    response = models.ForeignKey(
        Response, null=True, blank=True, related_name="attachments", on_delete=models.SET_NULL
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    # Reporter uploads and published-answer files are visible to the reporter; staff-only files
    # (working papers) are not.
    is_public = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at", "id")


def register_event_types(choices: Iterable[tuple[str, Any]]) -> None:
    """Apps above complaints add the timeline entries they write (focal_points: nudges and
    corrective actions) from their AppConfig.ready; complaints names none of them."""
    choices_extend(ComplaintEvent._meta.get_field("type"), choices)

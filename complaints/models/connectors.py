"""Connectors to systems outside the portal: the SP4N-LAPOR! link of an agency, the inbound
calls it made (replay guard), the agencies' webhook subscriptions and their delivery log."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models.complaint import Complaint
from complaints.models.org import Agency
from complaints.models.outbox import Notification, register_message_kinds


class ConnectorMessage(models.TextChoices):
    """The outbox kinds of the connectors: a call to SP4N-LAPOR!, a webhook delivery (both
    carry their JSON body), and the mail telling a subscription's owner it was paused."""

    LAPOR_CALL = "lapor_call", pgettext_lazy("message kind", "SP4N-LAPOR! call")
    WEBHOOK_EVENT = "webhook_event", pgettext_lazy("message kind", "Webhook delivery")
    WEBHOOK_PAUSED = "webhook_paused", pgettext_lazy("message kind", "Webhook paused")


register_message_kinds(ConnectorMessage.choices)


def new_inbound_secret() -> str:
    return secrets.token_urlsafe(32)


def new_webhook_secret() -> str:
    # The Standard Webhooks form: a base64 key behind the whsec_ prefix.
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class LaporLink(models.Model):
    """An agency linked to the national system: where its complaints are sent (address and
    token) and the secret the national system signs its calls to us with."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), related_name="lapor_link", on_delete=models.CASCADE
    )
    base_url = models.URLField(_("SP4N-LAPOR! address"))
    api_token = models.CharField(_("API token"), max_length=200)
    inbound_secret = models.CharField(
        _("inbound signing secret"), max_length=200, default=new_inbound_secret
    )
    # The national topic (kategori) a complaint is filed under when none of ours maps to one.
    default_topic = models.CharField(_("default topic"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SP4N-LAPOR! link")
        verbose_name_plural = _("SP4N-LAPOR! links")

    def __str__(self) -> str:
        return f"{self.agency} → {self.base_url}"


class LaporInbound(models.Model):
    """One call the national system made to us, by its event id: a replay or a retry of the
    same event finds its row and changes nothing."""

    link = models.ForeignKey(
        LaporLink, verbose_name=_("link"), related_name="inbound", on_delete=models.CASCADE
    )
    event_id = models.CharField(_("event id"), max_length=100)
    event_type = models.CharField(_("event type"), max_length=50)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    outcome = models.CharField(_("outcome"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("SP4N-LAPOR! inbound call")
        verbose_name_plural = _("SP4N-LAPOR! inbound calls")
        constraints = [
            models.UniqueConstraint(fields=["link", "event_id"], name="lapor_inbound_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class RelayCursor(models.Model):
    """How far the connector relay has read the timeline (ComplaintEvent ids)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_event_id = models.BigIntegerField(_("last event id"), default=0)

    class Meta:
        verbose_name = _("relay cursor")
        verbose_name_plural = _("relay cursors")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


class WebhookEvent(models.TextChoices):
    FILED = "complaint.filed", _("Filed")
    VERIFIED = "complaint.verified", _("Verified")
    INFO_REQUESTED = "complaint.info_requested", _("Information requested")
    INFO_SUPPLIED = "complaint.info_supplied", _("Information supplied")
    ROUTED = "complaint.routed", _("Routed to a unit")
    FORWARDED = "complaint.forwarded", _("Forwarded to another agency")
    ANSWERED = "complaint.answered", _("Answered")
    ESCALATED = "complaint.escalated", _("Escalated")
    CLOSED = "complaint.closed", _("Closed")
    ARCHIVED = "complaint.archived", _("Archived")


class WebhookSubscription(models.Model):
    """An agency system's URL, called with the events it chose for the complaints in the
    agency's scope. Paused after too many failed deliveries in a row."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        related_name="webhook_subscriptions",
        on_delete=models.CASCADE,
    )
    url = models.URLField(_("URL"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_webhook_secret)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    is_active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    # Start of the current run of failed deliveries (none: the last one succeeded).
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url

    @property
    def recipient(self) -> str:
        """The outbox recipient of its deliveries."""
        return f"webhook:{self.pk}"


class WebhookDelivery(models.Model):
    """One attempt to deliver one outbox row to a subscription, with what the receiver said."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        related_name="deliveries",
        on_delete=models.CASCADE,
    )
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("message"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    event_type = models.CharField(_("event type"), max_length=50)
    attempted_at = models.DateTimeField(_("attempted at"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = models.TextField(_("answer"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["subscription", "-attempted_at"], name="webhook_delivery_log")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

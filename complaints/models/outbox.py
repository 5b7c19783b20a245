"""The notification outbox: every message is a row before it leaves the process."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import choices_extend
from complaints.models.complaint import Complaint


class Notification(models.Model):
    """The outbox: a message written in the same transaction as its cause and delivered by a
    task. (recipient, cause_key) is unique, so a cause produces at most one message per
    recipient however often it is recorded."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        LAPOR = "lapor", _("SP4N-LAPOR!")
        WEBHOOK = "webhook", _("Webhook")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent, on purpose: its cause went away before delivery (an escalation
        # acknowledged while its message was held for the next working day). Terminal.
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        """What a message is about; each names its templates, emails/<kind>.txt and
        emails/<kind>_subject.txt."""

        ACCOUNT_EXISTS = (
            "account_exists",
            pgettext_lazy("message kind", "Account already registered"),
        )
        ACCOUNT_VERIFY = "account_verify", pgettext_lazy("message kind", "Account verification")
        ARCHIVED = "archived", pgettext_lazy("message kind", "Report archived")
        CLOSE_REMINDER = (
            "close_reminder",
            pgettext_lazy("message kind", "Reminder: reply to the answer"),
        )
        CLOSED = "closed", pgettext_lazy("message kind", "Report closed")
        DRAFT_REMINDER = (
            "draft_reminder",
            pgettext_lazy("message kind", "Reminder: draft awaiting approval"),
        )
        ESCALATION = "escalation", pgettext_lazy("message kind", "Escalation")
        FOLLOW_ANSWERED = (
            "follow_answered",
            pgettext_lazy("message kind", "Followed report answered"),
        )
        FOLLOW_CLOSED = "follow_closed", pgettext_lazy("message kind", "Followed report closed")
        FOLLOW_CONFIRM = "follow_confirm", pgettext_lazy("message kind", "Follow confirmation")
        FORWARDED = "forwarded", pgettext_lazy("message kind", "Report forwarded")
        INFO_REMINDER = (
            "info_reminder",
            pgettext_lazy("message kind", "Reminder: information awaited"),
        )
        INFO_REQUESTED = "info_requested", pgettext_lazy("message kind", "Information requested")
        DATA_REQUESTED = "data_requested", pgettext_lazy("message kind", "Data requested")
        MERGED = "merged", pgettext_lazy("message kind", "Report merged")
        PASSWORD_RESET = "password_reset", pgettext_lazy("message kind", "Password reset")
        RATING_REQUEST = "rating_request", pgettext_lazy("message kind", "Rating request")
        RECEIPT = "receipt", pgettext_lazy("message kind", "Receipt")
        RESPONSE_PUBLISHED = "response_published", pgettext_lazy("message kind", "Answer published")
        STAFF_ASSIGNED = "staff_assigned", pgettext_lazy("message kind", "Assigned to an officer")
        STAFF_DRAFT_RETURNED = (
            "staff_draft_returned",
            pgettext_lazy("message kind", "Draft returned"),
        )
        STAFF_ROUTE_RETURNED = (
            "staff_route_returned",
            pgettext_lazy("message kind", "Disposition returned by a unit"),
        )
        STAFF_DRAFT_WAITING = (
            "staff_draft_waiting",
            pgettext_lazy("message kind", "Draft awaiting approval"),
        )
        STAFF_FORWARDED = (
            "staff_forwarded",
            pgettext_lazy("message kind", "Forwarded to the agency"),
        )
        STAFF_INFO_SUPPLIED = (
            "staff_info_supplied",
            pgettext_lazy("message kind", "Information supplied"),
        )
        STAFF_DATA_SUPPLIED = (
            "staff_data_supplied",
            pgettext_lazy("message kind", "Data supplied by the reporter"),
        )
        STAFF_OBJECTED = "staff_objected", pgettext_lazy("message kind", "Objection to an answer")
        STAFF_ROUTED = "staff_routed", pgettext_lazy("message kind", "Routed to a unit")
        STAFF_UNASSIGNED = (
            "staff_unassigned",
            pgettext_lazy("message kind", "Moved away from the officer"),
        )
        VERIFIED = "verified", pgettext_lazy("message kind", "Report verified")

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    kind = models.CharField(_("kind"), max_length=50, choices=Kind.choices)
    cause_key = models.CharField(_("cause key"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="id")
    subject = models.CharField(_("message subject"), max_length=255)
    body = models.TextField(_("message"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Start of the current lease: when a sweep last queued the row (pending) or a worker claimed
    # it (sending). The outbox sweep re-queues a row only once its lease has expired.
    leased_at = models.DateTimeField(_("leased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "cause_key"], name="notification_once_per_cause"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notification_pending",
                condition=Q(state__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


def register_message_kinds(choices: Iterable[tuple[str, Any]]) -> None:
    """Apps above complaints add the kinds of message they send (focal_points: nudges,
    corrective actions, digests) from their AppConfig.ready; complaints names none of them."""
    choices_extend(Notification._meta.get_field("kind"), choices)


def message_kinds() -> set[str]:
    """Every kind of message: complaints' own and the registered ones."""
    return {value for value, _label in Notification._meta.get_field("kind").choices}

"""What the intake channels keep beside a complaint: Open311 clients and the requests they filed,
the email threads that carry a reporter's replies, the chat conversations being guided, and the
inbound messages already handled (so a replayed delivery changes nothing)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.complaint import Complaint
from complaints.models.outbox import register_message_kinds
from complaints.models.timeline import register_event_types


class Open311Client(models.Model):
    """A third-party application allowed to file through Open311. Only a digest of its key is
    kept; the key itself is shown once, when it is made."""

    name = models.CharField(_("name"), max_length=150)
    key_prefix = models.CharField(_("key prefix"), max_length=8, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Open311Request(models.Model):
    """A complaint filed through Open311, with the token its client may look it up by."""

    client = models.ForeignKey(
        Open311Client,
        verbose_name=_("Open311 client"),
        related_name="requests",
        on_delete=models.PROTECT,
    )
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        related_name="open311_request",
        on_delete=models.CASCADE,
    )
    token = models.CharField(_("token"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token


class EmailThread(models.Model):
    """The reply token of a complaint that came in by email: a later message threads onto
    the complaint only when it carries this token and comes from the same address."""

    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        related_name="email_thread",
        on_delete=models.CASCADE,
    )
    token = models.CharField(_("reply token"), max_length=32, unique=True)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("email thread")
        verbose_name_plural = _("email threads")

    def __str__(self) -> str:
        return self.token


class ChatConversation(models.Model):
    """One sender's guided conversation on WhatsApp or SMS, until it files a complaint."""

    class Step(models.TextChoices):
        AGENCY = "agency", _("Agency")
        CATEGORY = "category", _("Category")
        WHAT = "what", _("What happened")
        WHERE = "where", _("Where")
        WHEN = "when", _("When")

    channel = models.CharField(_("channel"), max_length=16)
    sender = models.CharField(_("sender"), max_length=64)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")
        constraints = [
            models.UniqueConstraint(fields=["channel", "sender"], name="chat_one_per_sender")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.sender}"


class InboundMessage(models.Model):
    """A message id an intake webhook or mailbox has handled; unique, so a replay is refused
    by the database whatever the race."""

    channel = models.CharField(_("channel"), max_length=16)
    message_id = models.CharField(_("message id"), max_length=255)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        related_name="inbound_messages",
        on_delete=models.SET_NULL,
    )
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "message_id"], name="inbound_message_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.message_id}"


class IntakeEvent(models.TextChoices):
    """The timeline entry a reporter's later message by email or chat writes."""

    REPORTER_MESSAGE = "reporter_message", _("Message from the reporter")


class IntakeMessage(models.TextChoices):
    """Outbox messages of the intake channels (templates emails/<kind>.txt, _subject.txt)."""

    EMAIL_RECEIPT = "intake_email_receipt", _("Receipt of a report sent by email")


register_event_types(IntakeEvent.choices)
register_message_kinds(IntakeMessage.choices)

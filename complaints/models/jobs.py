"""What the background jobs keep: escalations, follow-ups and the sweeps' own record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models.complaint import OPEN_STATUSES, Clock, Complaint


class EscalationReason(models.TextChoices):
    """`Escalation.name` of the steps that no deadline caused. Every other name is a step of
    the policy's ladder (warning, breach, ...), reached because a deadline came near or
    passed."""

    SECOND_OBJECTION = "second_objection", _("second objection from the reporter")


class EscalationQuerySet(models.QuerySet):
    def live(self) -> EscalationQuerySet:
        """Escalations whose clock still runs (see Escalation.is_live), in SQL."""
        return self.filter(
            Q(clock__in=[Clock.RESOLUTION, Clock.HARD_CEILING])
            | Q(
                clock=models.F("complaint__current_clock"), cycle=models.F("complaint__clock_cycle")
            ),
            complaint__status__in=OPEN_STATUSES,
        )


class Escalation(models.Model):
    """One step of the ladder reached by one clock cycle of one complaint. The unique
    constraint is what makes a sweep that runs twice escalate once."""

    # Indexed by escalation_unique_step, which leads with it.
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        related_name="escalations",
        on_delete=models.CASCADE,
        db_index=False,
    )
    clock = models.CharField(_("clock"), max_length=20, choices=Clock.choices)
    cycle = models.PositiveSmallIntegerField(_("clock cycle"), default=1)
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("step"), max_length=32, blank=True)
    due_at = models.DateTimeField(_("due at"), help_text=_("The clock deadline that was passed."))
    created_at = models.DateTimeField(_("created at"))
    # Escalations reached outside the agency's working hours are delivered at the start of
    # the next working day.
    deliver_after = models.DateTimeField(_("deliver after"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        db_index=False,  # escalation_acknowledged_by (partial: set only once acknowledged)
    )

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "clock", "cycle", "level"], name="escalation_unique_step"
            )
        ]
        indexes = [
            models.Index(
                fields=["acknowledged_by"],
                name="escalation_acknowledged_by",
                condition=Q(acknowledged_by__isnull=False),
            ),
            models.Index(
                fields=["created_at"],
                name="escalation_unacknowledged",
                condition=Q(acknowledged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.clock} L{self.level}"

    @property
    def is_live(self) -> bool:
        """Whether the clock this step belongs to still runs, so that it still asks for
        action: the complaint is open and, for the verification and first-response clocks
        (which take turns and restart on forward and reopen), the clock and cycle are the
        complaint's current ones. A warning that verification is due is moot once verified."""
        c = self.complaint
        if c.status not in OPEN_STATUSES:
            return False
        if self.clock in (Clock.RESOLUTION, Clock.HARD_CEILING):
            return True
        return self.clock == c.current_clock and self.cycle == c.clock_cycle

    @property
    def cause(self) -> str:
        """Why the step was reached: an EscalationReason value, else "approaching" (a warning
        before the deadline) or "passed" (the deadline passed)."""
        if self.name in EscalationReason.values:
            return self.name
        return "approaching" if self.due_at > self.created_at else "passed"

    @property
    def reason_label(self) -> str:
        """The reason of a step no deadline caused, translated; "" for deadline steps."""
        if self.name in EscalationReason.values:
            return str(EscalationReason(self.name).label)
        return ""


class FollowUp(models.Model):
    """A scheduled reminder or automatic step (reminders, auto-close, rating request)."""

    class Kind(models.TextChoices):
        INFO_REMINDER = "info_reminder", _("Reminder: information awaited")
        INFO_ARCHIVE = "info_archive", _("Archive after silence")
        CLOSE_REMINDER = "close_reminder", _("Reminder before auto-close")
        AUTO_CLOSE = "auto_close", _("Auto-close")
        RATING_REQUEST = "rating_request", _("Rating request")
        DRAFT_REMINDER = "draft_reminder", _("Draft waiting for approval")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    complaint = models.ForeignKey(Complaint, related_name="follow_ups", on_delete=models.CASCADE)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    due_on = models.DateField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "due_on"], name="followup_unique_kind_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.complaint_id} {self.due_on}"


class SweepRun(models.Model):
    """When a periodic job last finished, for the health view and catch-up."""

    name = models.CharField(max_length=64, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name

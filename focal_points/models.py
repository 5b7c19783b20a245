"""Focal-point designations and coordination groups (DESIGN §1, §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from complaints.models import Agency


class FocalPoint(TimeStampedModel):
    """A user designated as the focal point of an agency: the directory entry. Scope comes
    from the matching `Membership(role=focal_point)`, kept in step by focal_points.services."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="focal_point_roles",
        on_delete=models.CASCADE,
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), related_name="focal_points", on_delete=models.CASCADE
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="focalpoint_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency}"


class CoordinationGroup(TimeStampedModel):
    """Agencies overseen together by coordinating focal points (e.g. a coordinating ministry
    or the Ombudsman liaison). Coordinators get `Membership(role=coordinator)` on each agency
    of the group, kept in step by focal_points.services."""

    name = models.CharField(_("name"), max_length=200)
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        related_name="led_groups",
        on_delete=models.SET_NULL,
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies"), related_name="coordination_groups", blank=True
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        related_name="coordination_groups",
        blank=True,
    )

    class Meta:
        verbose_name = _("coordination group")
        verbose_name_plural = _("coordination groups")

    def __str__(self) -> str:
        return self.name


class Nudge(models.Model):
    """A recorded reminder from a focal point to the unit handling one complaint. A batch nudge
    writes one row per complaint sharing `batch`; the scorecard counts rows."""

    batch = models.UUIDField(_("batch"), db_index=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        related_name="nudges",
        on_delete=models.CASCADE,
    )
    # Denormalized from the complaint at the time of the nudge: the scorecard groups on them.
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), related_name="+", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["agency", "created_at"], name="nudge_agency_created")]

    def __str__(self) -> str:
        return f"{self.complaint_id} @ {self.created_at:%Y-%m-%d}"


class CorrectiveAction(TimeStampedModel):
    """A recommendation (rekomendasi / tindakan korektif): what an agency must change, issued
    by a focal point on a complaint or on the agency as a whole, tracked to completion and
    closed only by its issuer."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        OVERDUE = "overdue", _("Overdue")
        CLOSED_ACCEPTED = "closed_accepted", _("Closed: accepted")
        CLOSED_REJECTED = "closed_rejected", _("Closed: rejected")

    OPEN_STATES = ("open", "in_progress", "overdue")

    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issuer"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        related_name="corrective_actions",
        on_delete=models.CASCADE,
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        related_name="corrective_actions",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("title"), max_length=200)
    required_change = models.TextField(_("what must change"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    # 0: not overdue; 1: overdue, the agency's focal points told; 2: the coordinators told.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ("due_at", "id")
        indexes = [
            models.Index(fields=["agency", "state"], name="ca_agency_state"),
            models.Index(
                fields=["due_at"],
                name="ca_open_due",
                condition=models.Q(state__in=["open", "in_progress", "overdue"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "in_progress", "overdue"])
                | ~models.Q(close_reason=""),
                name="ca_closed_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class CorrectiveActionUpdate(models.Model):
    """Progress reported by the agency, with evidence attached."""

    action = models.ForeignKey(CorrectiveAction, related_name="updates", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL
    )
    body = models.TextField(_("progress"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.action_id} @ {self.created_at:%Y-%m-%d}"


class CorrectiveActionEvidence(models.Model):
    """A file attached to a progress update: stored under MEDIA_ROOT (outside the web root) and
    served only by focal_points.views.evidence_download after a scope check."""

    update = models.ForeignKey(
        CorrectiveActionUpdate, related_name="evidence", on_delete=models.CASCADE
    )
    file = models.FileField(upload_to="corrective/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.original_name


class CorrectiveActionEvent(models.Model):
    """Append-only log of every change to a corrective action, with its actor."""

    class Type(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PROGRESS = "progress", _("Progress reported")
        REMINDER = "reminder", _("Reminder sent")
        OVERDUE = "overdue", _("Overdue: agency focal point told")
        ESCALATED = "escalated", _("Escalated to the coordinating focal point")
        CLOSED_ACCEPTED = "closed_accepted", _("Closed: accepted")
        CLOSED_REJECTED = "closed_rejected", _("Closed: rejected")

    action = models.ForeignKey(
        CorrectiveAction,
        verbose_name=_("corrective action"),
        related_name="events",
        on_delete=models.CASCADE,
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("corrective action event")
        verbose_name_plural = _("corrective action events")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["action", "created_at"], name="caevent_action_created")]

    def __str__(self) -> str:
        return f"{self.action_id} {self.type}"


class ScoreBand(models.Model):
    """Green / yellow / red thresholds of one scorecard metric, as data.

    higher_is_better: green when value >= green_min, yellow when >= yellow_min, else red.
    Otherwise (e.g. days, reopen rate) the two numbers are upper bounds: green when
    value <= green_min, yellow when <= yellow_min, else red.
    """

    class Metric(models.TextChoices):
        VERIFIED_WITHIN = "verified_within_pct", _("Verified within 3 working days (%)")
        RESPONDED_WITHIN = "responded_within_pct", _("First response within 5 working days (%)")
        RESOLVED_WITHIN = "resolved_within_pct", _("Resolved within tier (%)")
        VERIFY_MEDIAN = "verify_median", _("Median working days to verify")
        RESPONSE_MEDIAN = "response_median", _("Median working days to first response")
        CLOSE_MEDIAN = "close_median", _("Median working days to close")
        REOPEN_RATE = "reopen_pct", _("Reopen rate (%)")
        MEAN_RATING = "mean_rating", _("Mean rating")
        OVERDUE_NOW = "overdue_now", _("Overdue now")

    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices, unique=True)
    green_min = models.DecimalField(_("green threshold"), max_digits=8, decimal_places=2)
    yellow_min = models.DecimalField(_("yellow threshold"), max_digits=8, decimal_places=2)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ("metric",)

    def __str__(self) -> str:
        return self.get_metric_display()

    def band(self, value) -> str | None:
        """ "green", "yellow" or "red" for a value; None when there is no value."""
        if value is None:
            return None
        if self.higher_is_better:
            if value >= self.green_min:
                return "green"
            return "yellow" if value >= self.yellow_min else "red"
        if value <= self.green_min:
            return "green"
        return "yellow" if value <= self.yellow_min else "red"


class BoardSnapshot(models.Model):
    """Open complaints per agency and unit by clock state, as of `computed_at`: written every
    minute by the task `focal_points.board_refresh` (one GROUP BY over the open complaints),
    read by the board and the scorecard's "overdue now". Counting 370,000 open complaints on
    every page view cannot stay under the 150 ms budget; a snapshot a minute old can, and the
    page says "as of" (UX §5). When the snapshot is stale the pages count live."""

    agency = models.ForeignKey(
        Agency, related_name="+", on_delete=models.DO_NOTHING, db_constraint=False
    )
    unit = models.ForeignKey(
        Agency, null=True, related_name="+", on_delete=models.DO_NOTHING, db_constraint=False
    )
    on_track = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    # Open for the agency and past the current deadline, escalated or not (the scorecard's
    # "overdue now"): the Overdue column plus the escalated complaints past their deadline.
    past_due = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["agency"], name="boardsnap_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.unit_id}"

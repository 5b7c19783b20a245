"""The numbers' one source: a fact row per complaint and per agency that held it, the daily
rollups built from the facts, and the queue of complaints whose facts are stale.

Definitions: docs/metrics.md. The facts are derived from the complaint's events (its status
timeline), never from the denormalized deadlines on the complaint, which forwards, objections
and archiving move or clear."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClockOutcome(models.TextChoices):
    NONE = "", _("Not applicable")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    RUNNING = "running", _("Running, on time")
    LATE = "late", _("Running, already late")
    # Left the agency (forward) or ended without its stop (archived) within the time: neither
    # met nor missed.
    ENDED = "ended", _("Ended within the time, without a stop")


class ComplaintFact(models.Model):
    """One row per complaint and stint: the span during which one agency held it (stint 0
    from filing; each forward starts the next). Complaint-wide figures (ceiling, close, rating)
    sit on the current stint's row (`is_current`), so counting complaints is counting current
    rows and measuring agencies is counting every row of the agency.

    Written only by reporting.facts (set-based SQL); nothing else updates it."""

    # A derived table: no foreign-key triggers on a million-row rebuild.
    complaint = models.ForeignKey(
        "complaints.Complaint",
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    stint = models.PositiveSmallIntegerField()
    is_current = models.BooleanField()
    agency = models.ForeignKey(
        "complaints.Agency",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    unit = models.ForeignKey(
        "complaints.Agency",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    # The unit's (or agency's) path, "" in national triage: scope is a prefix match.
    scope_path = models.CharField(max_length=255)
    category = models.ForeignKey(
        "complaints.Category",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    kind = models.CharField(max_length=24)
    channel = models.CharField(max_length=16)
    region = models.CharField(max_length=100)
    tier = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    is_confidential = models.BooleanField()
    submitted_at = models.DateTimeField()
    # The filing date in the time zone of the row's agency (the period a complaint counts in).
    submitted_on = models.DateField()
    held_from = models.DateTimeField()
    held_until = models.DateTimeField(null=True)

    # Agency working days and outcome of each clock (docs/metrics.md); days only once the
    # clock has ended (met or missed), so they never depend on when the row was computed.
    verify_days = models.SmallIntegerField(null=True)
    verify_state = models.CharField(max_length=8, choices=ClockOutcome.choices, blank=True)
    verify_allowed = models.SmallIntegerField(null=True)
    response_days = models.SmallIntegerField(null=True)
    response_state = models.CharField(max_length=8, choices=ClockOutcome.choices, blank=True)
    response_allowed = models.SmallIntegerField(null=True)
    resolution_days = models.SmallIntegerField(null=True)
    resolution_state = models.CharField(max_length=8, choices=ClockOutcome.choices, blank=True)
    resolution_allowed = models.SmallIntegerField(null=True)
    # Complaint-wide, on the current row: calendar days from verification to close/archive.
    ceiling_days = models.SmallIntegerField(null=True)
    ceiling_state = models.CharField(max_length=8, choices=ClockOutcome.choices, blank=True)
    # Complaint-wide, on the current row: elapsed working days from filing to closing.
    close_days = models.SmallIntegerField(null=True)
    # Working days of the stint with the agency at work vs waiting for the reporter; once the
    # stint ended (forward, close, archive).
    agency_days = models.SmallIntegerField(null=True)
    reporter_days = models.SmallIntegerField(null=True)
    reopens = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True)
    # When a running clock may next turn late without an event (the beat recomputes it then).
    recheck_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("complaint fact")
        verbose_name_plural = _("complaint facts")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stint"], name="fact_complaint_stint")
        ]
        indexes = [
            models.Index(fields=["submitted_on", "agency"], name="fact_day_agency"),
            models.Index(
                fields=["scope_path", "submitted_on"],
                name="fact_scope_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(
                fields=["recheck_at"], name="fact_recheck", condition=Q(recheck_at__isnull=False)
            ),
            # The days around the whole months the dashboards read from the monthly figures
            # (top categories): an index-only scan of a few days, whatever the table's size.
            models.Index(
                fields=["submitted_on"],
                name="fact_day_category",
                include=["category_id", "agency_id", "is_current", "is_confidential"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}/{self.stint}"


class DailyRollup(models.Model):
    """Per filing day, agency, unit, category, kind, channel and confidentiality: the counts
    of ComplaintFact, summed by reporting.facts.rollup_refresh. `received` and the
    complaint-wide counts read current rows; the clock counts read every stint's row (each
    agency answers for the time it held a complaint)."""

    day = models.DateField()
    agency = models.ForeignKey(
        "complaints.Agency",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    unit = models.ForeignKey(
        "complaints.Agency",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    scope_path = models.CharField(max_length=255)
    category = models.ForeignKey(
        "complaints.Category",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    kind = models.CharField(max_length=24)
    channel = models.CharField(max_length=16)
    is_confidential = models.BooleanField()
    received = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    archived = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    verify_met = models.IntegerField(default=0)
    verify_missed = models.IntegerField(default=0)
    verify_late = models.IntegerField(default=0)
    response_met = models.IntegerField(default=0)
    response_missed = models.IntegerField(default=0)
    response_late = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    resolution_missed = models.IntegerField(default=0)
    resolution_late = models.IntegerField(default=0)
    ceiling_met = models.IntegerField(default=0)
    ceiling_missed = models.IntegerField(default=0)
    ceiling_late = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    rating_count = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        indexes = [
            models.Index(fields=["day", "agency"], name="rollup_day_agency"),
            models.Index(
                fields=["scope_path", "day"],
                name="rollup_scope_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.unit_id}"


class FigureRow(models.Model):
    """One figure and value (a status, a channel, a clock outcome, a number of working days
    ...) of a filing month and confidentiality, with its count, summed from ComplaintFact by
    reporting.facts.figures_refresh. Definitions: docs/metrics.md."""

    month = models.DateField()
    is_confidential = models.BooleanField()
    figure = models.CharField(max_length=24)
    # "" for none (no unit, no category) and for the plain counts (received, reopened ...).
    value = models.CharField(max_length=40, blank=True)
    n = models.IntegerField()

    class Meta:
        abstract = True


class MonthlyFigure(FigureRow):
    """The national figures of the dashboards. The dashboards of the whole country (the
    national admin, the public page) read these instead of the facts."""

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        indexes = [models.Index(fields=["month", "figure"], name="monthly_figure_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.figure}={self.value}: {self.n}"


class AgencyMonthlyFigure(FigureRow):
    """MonthlyFigure's rows per agency (the facts' agency_id: the agency that held the stint,
    None in national triage): the dashboards filtered by one agency and the focal scorecard of
    many agencies read these instead of the facts. MonthlyFigure is their sum over the
    agencies."""

    agency = models.ForeignKey(
        "complaints.Agency",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("monthly figure of an agency")
        verbose_name_plural = _("monthly figures of agencies")
        indexes = [
            models.Index(fields=["agency", "figure", "month"], name="agency_figure_month"),
            models.Index(fields=["month"], name="agency_figure_by_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agency_id} {self.figure}={self.value}: {self.n}"


class FactQueue(models.Model):
    """Complaints whose facts are stale: a database trigger on the event table adds the
    complaint of every new event (services, sweeps and raw SQL alike), the task
    `reporting.facts_refresh` drains it. A trigger rather than a Django signal: the sweeps
    write events in bulk SQL, and a trigger costs no extra query or on-commit callback in the
    services."""

    complaint_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = _("stale fact")
        verbose_name_plural = _("stale facts")

    def __str__(self) -> str:
        return str(self.complaint_id)


class ExportJob(models.Model):
    """A spreadsheet of the complaints a staff member may see, built by the task
    `reporting.export_build` (large sets take minutes): its progress, then the file, which
    only its owner can download."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Build failed")

    owner = models.ForeignKey(
        "accounts.User", related_name="+", on_delete=models.CASCADE, verbose_name=_("owner")
    )
    # Names the job in addresses (no sequential ids in URLs).
    key = models.CharField(max_length=32, unique=True)
    format = models.CharField(max_length=8)
    filters = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    rows_total = models.PositiveIntegerField(null=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", max_length=255, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.key

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))


class MonthlyReport(models.Model):
    """The monthly report of an agency as a PDF: written by the task
    `reporting.monthly_reports` on the first working day of the next month (one per agency and
    month), and on demand from the report page."""

    agency = models.ForeignKey(
        "complaints.Agency", related_name="+", on_delete=models.CASCADE, verbose_name=_("agency")
    )
    month = models.DateField(_("month"))
    file = models.FileField(upload_to="monthly-reports/", max_length=255)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="monthly_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"

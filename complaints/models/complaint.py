"""The complaint, its lifecycle table, its clocks' vocabulary, and the people who follow it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from complaints.models.org import Agency
from complaints.models.policy import Category, ResolutionTier


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting to be checked")
    NEEDS_INFO = "needs_info", _("Information needed from the reporter")
    VERIFIED = "verified", _("Verified")
    ASSIGNED = "assigned", _("Assigned to a unit")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_REPORTER = "awaiting_reporter", _("Answered, awaiting the reporter")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.NEEDS_INFO,
        Status.VERIFIED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.AWAITING_REPORTER,
    }
)

# The same, as the plain list the partial indexes' conditions name (in migrations too).
OPEN_STATUS_VALUES = [
    "submitted",
    "needs_info",
    "verified",
    "assigned",
    "in_progress",
    "awaiting_reporter",
]

# The legal moves of DESIGN §3. A forward keeps `verified` (or `submitted`) at the new agency,
# so the self-loops are deliberate; a re-route keeps `assigned`.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset(
        {Status.SUBMITTED, Status.VERIFIED, Status.NEEDS_INFO, Status.ARCHIVED}
    ),
    Status.NEEDS_INFO: frozenset({Status.SUBMITTED, Status.ARCHIVED}),
    # A simple matter (an information request) may be answered straight after verification.
    Status.VERIFIED: frozenset(
        {Status.VERIFIED, Status.ASSIGNED, Status.AWAITING_REPORTER, Status.ARCHIVED}
    ),
    Status.ASSIGNED: frozenset(
        {
            Status.ASSIGNED,
            Status.IN_PROGRESS,
            Status.VERIFIED,
            Status.AWAITING_REPORTER,
            Status.ARCHIVED,
        }
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.ASSIGNED, Status.VERIFIED, Status.AWAITING_REPORTER, Status.IN_PROGRESS}
    ),
    Status.AWAITING_REPORTER: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset(),
    Status.ARCHIVED: frozenset(),
}


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INFORMATION_REQUEST = "information_request", _("Information request")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    LAPOR = "lapor", _("SP4N-LAPOR! sync")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    APP = "app", _("Mobile app")
    CALL_CENTRE = "call_centre", _("Call centre")
    SOCIAL = "social", _("Social-media desk")
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Clock(models.TextChoices):
    VERIFY = "verify", _("Verification")
    RESPONSE = "response", _("First response")
    RESOLUTION = "resolution", _("Resolution")
    REPORTER_REPLY = "reporter_reply", _("Reporter reply")
    REPORTER_INFO = "reporter_info", _("Reporter information")
    HARD_CEILING = "hard_ceiling", _("Hard ceiling")


# The ladder level from which a complaint counts as escalated (the agency focal point's step,
# DESIGN §4): the staff badge and filter, the focal board's "escalated" column.
ESCALATED_LEVEL = 3

# The complaint column holding the ladder level reached on each clock that escalates
# (verify and response share escalation_level: only one of them runs at a time).
ESCALATION_LEVEL_FIELDS = {
    Clock.VERIFY: "escalation_level",
    Clock.RESPONSE: "escalation_level",
    Clock.RESOLUTION: "resolution_escalation_level",
    Clock.HARD_CEILING: "ceiling_escalation_level",
}


class MaskedComplaintIterable(models.query.ModelIterable):
    """Blanks the reporter's identity of anonymous complaints as rows are built, so that no
    page, export or API fed by an agency-side selector can show it."""

    def __iter__(self):
        for obj in super().__iter__():
            if obj.is_anonymous:
                obj.reporter_name = ""
                obj.reporter_email = ""
                obj.reporter_phone = ""
                obj.reporter_id = None
                obj.identity_masked = True
            yield obj


# The identity columns MaskedComplaintIterable blanks, as `values()` names them.
IDENTITY_VALUES = {
    "reporter_name": "",
    "reporter_email": "",
    "reporter_phone": "",
    "reporter_id": None,
}


class MaskedValuesIterable(models.query.ValuesIterable):
    """MaskedComplaintIterable for `values()` rows (dicts): an anonymous complaint's
    identity columns come back blank. Rows must carry `is_anonymous`."""

    def __iter__(self):
        for row in super().__iter__():
            if row["is_anonymous"]:
                row.update({k: v for k, v in IDENTITY_VALUES.items() if k in row})
            yield row


class ComplaintQuerySet(models.QuerySet):
    def mask_anonymous(self) -> ComplaintQuerySet:
        clone = self._chain()
        clone._iterable_class = MaskedComplaintIterable
        return clone

    def row_values(self, *fields: str) -> ComplaintQuerySet:
        """`values(*fields)` that keeps this queryset's masking: rows read through an
        agency-side selector come back with an anonymous reporter's identity blank (a list
        that builds many rows reads dicts, not models)."""
        masked = issubclass(self._iterable_class, MaskedComplaintIterable)
        if masked and "is_anonymous" not in fields:
            fields = (*fields, "is_anonymous")
        clone = self.values(*fields)
        if masked:
            clone._iterable_class = MaskedValuesIterable
        return clone

    def open(self) -> ComplaintQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Complaint(TimeStampedModel):
    identity_masked = False

    # Unique through Meta.constraints: a constraint gets one index, where unique=True would
    # add a second LIKE index that no lookup uses.
    tracking_number = models.CharField(_("tracking number"), max_length=16)
    access_code_hash = models.CharField(_("access code hash"), max_length=128)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("account"))
    # Open complaints are indexed by category in complaint_open_category_created; nothing
    # reads closed ones by category but the rare PROTECT check when a category is deleted.
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="complaints",
        on_delete=models.PROTECT,
        db_index=False,
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        related_name="complaints",
        on_delete=models.PROTECT,
        help_text=_("Empty: national triage."),
        db_index=False,  # complaint_agency_status leads with it
    )
    # Scope (scope_path) and the board index (focal_board_open) serve every read by unit.
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="unit_complaints",
        on_delete=models.PROTECT,
        db_index=False,
    )
    # Path of the unit (or the agency, or "" in triage): scope is one prefix match on it.
    scope_path = models.CharField(_("scope path"), max_length=255, default="", editable=False)
    incident_date = models.DateField(_("incident date"), null=True, blank=True)
    location_text = models.CharField(_("location"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter account"),
        null=True,
        blank=True,
        related_name="reported_complaints",
        on_delete=models.SET_NULL,
        db_index=False,  # complaint_reporter (partial: most complaints have no account)
    )
    reporter_name = models.CharField(_("reporter name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("reporter email"), blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=32, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    tier = models.CharField(
        _("resolution tier"),
        max_length=20,
        choices=ResolutionTier.choices,
        default=ResolutionTier.STANDARD,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        related_name="assigned_complaints",
        on_delete=models.SET_NULL,
        db_index=False,  # complaint_assignee_status leads with it
    )
    archive_reason = models.CharField(_("archive reason"), max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        related_name="duplicates",
        on_delete=models.SET_NULL,
        db_index=False,  # complaint_merged_into (partial)
    )
    # Incremented by every transition; forms send it back so a stale write is detected.
    version = models.PositiveIntegerField(_("version"), default=1)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Bumped when the response clock restarts (forward, reopen), so escalations of a new cycle
    # are distinct rows from those of the previous one.
    clock_cycle = models.PositiveSmallIntegerField(_("clock cycle"), default=1)

    verify_due_at = models.DateTimeField(_("verification due at"), null=True, blank=True)
    # While the verification clock is paused (needs_info): the working days it had left, or,
    # paused after its breach, how many it was late (negative).
    verify_remaining_days = models.SmallIntegerField(
        _("verification working days left"), null=True, blank=True
    )
    response_due_at = models.DateTimeField(_("first response due at"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due at"), null=True, blank=True)
    reporter_reply_due_at = models.DateTimeField(_("reporter reply due at"), null=True, blank=True)
    reporter_info_due_at = models.DateTimeField(
        _("reporter information due at"), null=True, blank=True
    )
    hard_ceiling_at = models.DateTimeField(_("hard ceiling at"), null=True, blank=True)
    # During follow-up (assigned / in progress): since when the officer waits for data asked of
    # the reporter. No clock pauses for it (DESIGN §4), so it is a flag, not a clock.
    data_requested_at = models.DateTimeField(_("data requested at"), null=True, blank=True)
    # The clock that governs the current step and its deadline, denormalized so that queues,
    # boards and sweeps filter and sort on indexed columns.
    current_clock = models.CharField(
        _("current clock"), max_length=20, choices=Clock.choices, blank=True
    )
    current_due_at = models.DateTimeField(_("current due at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # The ladder level reached by the two clocks that run beside the current one (DESIGN §4).
    # No index holds a level (only is_escalated below), so the sweep raises them with HOT updates.
    resolution_escalation_level = models.PositiveSmallIntegerField(
        _("resolution escalation level"), default=0
    )
    ceiling_escalation_level = models.PositiveSmallIntegerField(
        _("hard ceiling escalation level"), default=0
    )
    # Whether any clock that escalates (the current one, resolution, the hard ceiling) reached
    # ESCALATED_LEVEL, computed by the database. Indexes read this instead of the levels, so
    # the sweep's raises below that level, and from one level above it to the next, are HOT
    # updates (no index entry written); only the step that crosses it touches the indexes.
    is_escalated = models.GeneratedField(
        verbose_name=_("escalated"),
        expression=models.ExpressionWrapper(
            Q(escalation_level__gte=ESCALATED_LEVEL)
            | Q(resolution_escalation_level__gte=ESCALATED_LEVEL)
            | Q(ceiling_escalation_level__gte=ESCALATED_LEVEL),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    lapor_id = models.CharField(
        _("SP4N-LAPOR! id"), max_length=64, blank=True
    )  # complaint_lapor_id (partial)
    # The reporter's language at filing: notifications are written in it.
    language = models.CharField(_("language"), max_length=8, default="id")

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            # Scope is a prefix match on scope_path, served by two partial indexes that split
            # the rows between them (each complaint is in exactly one, so a write pays for one):
            # the open complaints with their status and assignee, where a scoped count
            # ("waiting for verification", "not yet assigned") stops after its cap inside the
            # index and a search intersects a bitmap of the open rows only; and the closed and
            # archived ones.
            models.Index(
                fields=["scope_path"],
                name="complaint_closed_scope",
                opclasses=["varchar_pattern_ops"],
                condition=~Q(status__in=OPEN_STATUS_VALUES),
            ),
            models.Index(
                fields=["scope_path", "status"],
                name="complaint_open_scope_status",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
                include=["assignee"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
            models.Index(fields=["status", "current_due_at"], name="complaint_status_due"),
            models.Index(fields=["agency", "status"], name="complaint_agency_status"),
            models.Index(fields=["assignee", "status"], name="complaint_assignee_status"),
            # Columns that are empty on most rows get partial indexes: a row without a value
            # costs them nothing when it is written.
            models.Index(
                fields=["reporter"],
                name="complaint_reporter",
                condition=Q(reporter__isnull=False),
            ),
            models.Index(
                fields=["merged_into"],
                name="complaint_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
            models.Index(fields=["lapor_id"], name="complaint_lapor_id", condition=~Q(lapor_id="")),
            # The SLA sweep's windows over the resolution clock and the hard ceiling, in the
            # statuses where each is escalated (complaints.sweeps.TRACKS).
            models.Index(
                fields=["resolution_due_at", "id"],
                name="complaint_resolution_due",
                condition=Q(status__in=["verified", "assigned", "in_progress"]),
            ),
            models.Index(
                fields=["hard_ceiling_at", "id"],
                name="complaint_ceiling_due",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tracking_number"], name="complaint_tracking_number"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="archived") | ~Q(archive_reason=""),
                name="complaint_archived_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_tracking_number} {self.title}"

    @property
    def reached_escalated_level(self) -> bool:
        """`is_escalated` computed from the levels in memory (also before a save or refresh)."""
        levels = (
            self.escalation_level,
            self.resolution_escalation_level,
            self.ceiling_escalation_level,
        )
        return max(levels) >= ESCALATED_LEVEL

    @property
    def display_tracking_number(self) -> str:
        n = self.tracking_number
        return "-".join(n[i : i + 4] for i in range(0, len(n), 4))

    @property
    def resolution_capped(self) -> bool:
        """The resolution deadline is the 60-day ceiling, not the tier's working days (a
        field-inspection tier of 60 HK does not fit in 60 calendar days)."""
        return (
            self.resolution_due_at is not None
            and self.hard_ceiling_at is not None
            and self.resolution_due_at == self.hard_ceiling_at
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_transition_to(self, status: str) -> bool:
        return status in TRANSITIONS[Status(self.status)]

    def can_verify(self) -> bool:
        return self.status == Status.SUBMITTED

    def can_hold_for_info(self) -> bool:
        return self.status == Status.SUBMITTED

    def can_archive(self) -> bool:
        return Status.ARCHIVED in TRANSITIONS[Status(self.status)]

    def can_route(self) -> bool:
        return self.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)

    def can_forward(self) -> bool:
        return self.status in (
            Status.SUBMITTED,
            Status.VERIFIED,
            Status.ASSIGNED,
            Status.IN_PROGRESS,
        )

    def can_take(self) -> bool:
        return self.status in (Status.ASSIGNED, Status.IN_PROGRESS)

    def can_respond(self) -> bool:
        return self.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)

    @property
    def data_request_open(self) -> bool:
        """The officer waits for data asked of the reporter during follow-up."""
        return self.data_requested_at is not None and self.status in (
            Status.ASSIGNED,
            Status.IN_PROGRESS,
        )

    def can_reporter_reply(self) -> bool:
        return self.status == Status.AWAITING_REPORTER

    def can_rate(self) -> bool:
        return self.status == Status.CLOSED and self.rating is None


class ComplaintAgencyHistory(models.Model):
    """Agencies that handled a complaint before it was forwarded keep read access to it."""

    complaint = models.ForeignKey(
        Complaint, related_name="agency_history", on_delete=models.CASCADE
    )
    agency = models.ForeignKey(Agency, related_name="+", on_delete=models.CASCADE)
    agency_path = models.CharField(max_length=255)
    forwarded_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["agency_path"],
                name="cah_path_like",
                opclasses=["varchar_pattern_ops"],
            )
        ]
        constraints = [models.UniqueConstraint(fields=["complaint", "agency"], name="cah_unique")]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.agency_id}"


class ComplaintFollower(models.Model):
    """Someone who follows an open, public complaint instead of filing a duplicate. Only the
    tracking number, title, status and the agency's public answers ever reach a follower; the
    random `token` opens the follower page and unsubscribes. Mail goes only after the address
    was confirmed through a signed link."""

    complaint = models.ForeignKey(Complaint, related_name="followers", on_delete=models.CASCADE)
    email = models.EmailField(_("email address"), max_length=254)
    language = models.CharField(max_length=8, default="id")
    token = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "email"], name="follower_once_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.complaint_id}"

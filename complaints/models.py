"""The complaint domain: agencies, memberships, categories, SLA policies, the calendar,
complaints, their append-only timeline, attachments, escalations and the notification outbox."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import TimeStampedModel


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Agency(TimeStampedModel):
    """A ministry, body or local government, or one of its units (a tree).

    `path` is a materialized path ("12/40/") so that "this node and everything below it" is one
    indexed prefix match; it is set once on creation and when the parent changes.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        BODY = "body", _("Agency or body")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        UNIT = "unit", _("Unit")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BODY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True, default="")
    time_zone = models.CharField(
        _("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    responses_need_approval = models.BooleanField(_("responses need approval"), default=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ("path",)
        indexes = [
            models.Index(
                fields=["path"], name="agency_path_like", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs) -> None:
        # The path needs the pk, so a new row is saved twice; kept here because every way of
        # creating an agency (admin, seed, tests) must produce a valid tree.
        super().save(*args, **kwargs)
        expected = (self.parent.path if self.parent_id else "") + f"{self.pk}/"
        if self.path != expected:
            old = self.path
            self.path = expected
            Agency.objects.filter(pk=self.pk).update(path=expected)
            if old:
                for child in Agency.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Agency.objects.filter(pk=child.pk).update(
                        path=expected + child.path[len(old) :]
                    )

    @property
    def root(self) -> Agency:
        if not self.parent_id:
            return self
        root_id = int(self.path.split("/")[0])
        return Agency.objects.get(pk=root_id)

    def is_within(self, other: Agency) -> bool:
        return self.path.startswith(other.path)


class Role(models.TextChoices):
    VERIFIER = "verifier", _("Verifier")
    OFFICER = "officer", _("Officer")
    APPROVER = "approver", _("Approver")
    FOCAL_POINT = "focal_point", _("Agency focal point")
    COORDINATOR = "coordinator", _("Coordinating focal point")


class Membership(TimeStampedModel):
    """A user's role on an agency node; it covers the node's sub-units too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), related_name="memberships", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Set when the membership is derived from a coordination group (managed by focal_points).
    source = models.CharField(_("source"), max_length=50, blank=True, default="")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_user_agency_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ResolutionTier(models.TextChoices):
    INFORMATION = "information", _("Information or simple")
    STANDARD = "standard", _("No field inspection")
    FIELD = "field", _("Field inspection")


class Category(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), related_name="categories", on_delete=models.CASCADE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    default_tier = models.CharField(
        _("default resolution tier"),
        max_length=20,
        choices=ResolutionTier.choices,
        default=ResolutionTier.STANDARD,
    )
    out_of_scope_guidance = models.TextField(
        _("guidance instead of the form"),
        blank=True,
        help_text=_("When set, reporters are shown this text instead of filing."),
    )
    out_of_scope_guidance_en = models.TextField(
        _("guidance instead of the form (English)"),
        blank=True,
        help_text=_("Shown on English pages; when empty, they show the guidance above."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("agency_id", "ordering", "name")
        constraints = [
            models.UniqueConstraint(fields=["agency", "slug"], name="category_unique_agency_slug")
        ]

    def __str__(self) -> str:
        return self.name


def default_escalation_ladder() -> list[dict]:
    # offset_days is in working days relative to the breach of the clock; notify names roles.
    return [
        {"level": 1, "name": "warning", "offset_days": -1, "notify": ["officer"]},
        {"level": 2, "name": "breach", "offset_days": 0, "notify": ["verifier", "approver"]},
        {"level": 3, "name": "breach_2", "offset_days": 2, "notify": ["focal_point"]},
        {"level": 4, "name": "breach_5", "offset_days": 5, "notify": ["coordinator"]},
    ]


class SlaPolicy(TimeStampedModel):
    """Every clock length, the resolution tiers and the escalation ladder, as data.

    The most specific active policy applies: category, then agency (or its ancestors), then the
    national default (no agency, no category).
    """

    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        related_name="sla_policies",
        on_delete=models.CASCADE,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="sla_policies",
        on_delete=models.CASCADE,
    )
    verify_days = models.PositiveSmallIntegerField(_("verify (working days)"), default=3)
    first_response_days = models.PositiveSmallIntegerField(
        _("first response (working days)"), default=5
    )
    tier_information_days = models.PositiveSmallIntegerField(
        _("information tier (working days)"), default=5
    )
    tier_standard_days = models.PositiveSmallIntegerField(
        _("standard tier (working days)"), default=14
    )
    tier_field_days = models.PositiveSmallIntegerField(
        _("field inspection tier (working days)"), default=60
    )
    reporter_reply_days = models.PositiveSmallIntegerField(
        _("reporter reply (working days)"), default=10
    )
    reporter_info_days = models.PositiveSmallIntegerField(
        _("reporter information (working days)"), default=10
    )
    reporter_info_reminder_days = models.PositiveSmallIntegerField(
        _("information reminder after (working days)"), default=5
    )
    auto_close_reminder_days = models.PositiveSmallIntegerField(
        _("auto-close reminder (working days)"),
        default=2,
        help_text=_("Working days before auto-close when the reporter is reminded."),
    )
    hard_ceiling_calendar_days = models.PositiveSmallIntegerField(
        _("hard ceiling (calendar days)"), default=60
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (working days)"),
        default=1,
        help_text=_("Working days left at which a clock counts as due soon."),
    )
    escalation_ladder = models.JSONField(_("escalation ladder"), default=default_escalation_ladder)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "category"],
                condition=Q(is_active=True),
                name="slapolicy_one_active_per_scope",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def tier_days(self, tier: str) -> int:
        return {
            ResolutionTier.INFORMATION: self.tier_information_days,
            ResolutionTier.STANDARD: self.tier_standard_days,
            ResolutionTier.FIELD: self.tier_field_days,
        }[ResolutionTier(tier)]


class CalendarDay(TimeStampedModel):
    """A non-working day beyond weekends and the `holidays` package's national holidays
    (cuti bersama, local days), or a national holiday recorded explicitly."""

    class Kind(models.TextChoices):
        NATIONAL_HOLIDAY = "national_holiday", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        LOCAL = "local", _("Local non-working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        related_name="calendar_days",
        on_delete=models.CASCADE,
        help_text=_("Only for local days: the agency (and its units) that observe it."),
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ("date",)
        constraints = [
            models.UniqueConstraint(
                fields=["date", "kind", "agency"],
                name="calendarday_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


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


class ComplaintQuerySet(models.QuerySet):
    def mask_anonymous(self) -> ComplaintQuerySet:
        clone = self._chain()
        clone._iterable_class = MaskedComplaintIterable
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
    verify_remaining_days = models.PositiveSmallIntegerField(
        _("verification working days left"), null=True, blank=True
    )
    response_due_at = models.DateTimeField(_("first response due at"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due at"), null=True, blank=True)
    reporter_reply_due_at = models.DateTimeField(_("reporter reply due at"), null=True, blank=True)
    reporter_info_due_at = models.DateTimeField(
        _("reporter information due at"), null=True, blank=True
    )
    hard_ceiling_at = models.DateTimeField(_("hard ceiling at"), null=True, blank=True)
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


class EventType(models.TextChoices):
    SUBMITTED = "submitted", _("Filed")
    VERIFIED = "verified", _("Verified")
    HELD_FOR_INFO = "held_for_info", _("Information requested")
    INFO_SUPPLIED = "info_supplied", _("Information supplied")
    ARCHIVED = "archived", _("Archived")
    ROUTED = "routed", _("Routed to a unit")
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
    NUDGED = "nudged", _("Nudge")
    REMINDER_SENT = "reminder_sent", _("Reminder sent")
    CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
    LAPOR_SYNC = "lapor_sync", _("SP4N-LAPOR! sync")


# Event types the reporter sees on the tracking page; everything else is internal.
PUBLIC_EVENT_TYPES = frozenset(
    {
        EventType.SUBMITTED,
        EventType.VERIFIED,
        EventType.HELD_FOR_INFO,
        EventType.INFO_SUPPLIED,
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
            # Filing looks up whether its draft was filed already (selectors_public.
            # complaint_filed_with_submit_key): one index probe, not a scan of recent filings.
            models.Index(
                KeyTransform("submit_key", "data"),
                name="event_submit_key",
                condition=Q(type="submitted"),
            ),
        ]
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_type_display()} @ {self.created_at:%Y-%m-%d %H:%M}"


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
        CORRECTIVE_ACTION_CLOSED = (
            "corrective_action_closed",
            pgettext_lazy("message kind", "Corrective action closed"),
        )
        CORRECTIVE_ACTION_ISSUED = (
            "corrective_action_issued",
            pgettext_lazy("message kind", "Corrective action issued"),
        )
        CORRECTIVE_ACTION_OVERDUE = (
            "corrective_action_overdue",
            pgettext_lazy("message kind", "Corrective action overdue"),
        )
        CORRECTIVE_ACTION_PROGRESS = (
            "corrective_action_progress",
            pgettext_lazy("message kind", "Corrective action progress"),
        )
        CORRECTIVE_ACTION_REMINDER = (
            "corrective_action_reminder",
            pgettext_lazy("message kind", "Corrective action reminder"),
        )
        DIGEST = "digest", pgettext_lazy("message kind", "Daily overdue summary")
        DRAFT_REMINDER = (
            "draft_reminder",
            pgettext_lazy("message kind", "Reminder: draft awaiting approval"),
        )
        ESCALATION = "escalation", pgettext_lazy("message kind", "Escalation")
        FOCAL_DIGEST = "focal_digest", pgettext_lazy("message kind", "Weekly focal point digest")
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
        MERGED = "merged", pgettext_lazy("message kind", "Report merged")
        NUDGE = "nudge", pgettext_lazy("message kind", "Nudge")
        PASSWORD_RESET = "password_reset", pgettext_lazy("message kind", "Password reset")
        RATING_REQUEST = "rating_request", pgettext_lazy("message kind", "Rating request")
        RECEIPT = "receipt", pgettext_lazy("message kind", "Receipt")
        RESPONSE_PUBLISHED = "response_published", pgettext_lazy("message kind", "Answer published")
        STAFF_ASSIGNED = "staff_assigned", pgettext_lazy("message kind", "Assigned to an officer")
        STAFF_DRAFT_RETURNED = (
            "staff_draft_returned",
            pgettext_lazy("message kind", "Draft returned"),
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


class SavedFilter(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="saved_filters", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=1000)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CannedResponse(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), related_name="canned_responses", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class SweepRun(models.Model):
    """When a periodic job last finished, for the health view and catch-up."""

    name = models.CharField(max_length=64, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class ServiceFeedback(models.Model):
    """What a visitor thinks of the service itself (the "Feedback on this service" page).
    Anonymous by design: no link to a person or a complaint, only the page they came from."""

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    page = models.CharField(_("page"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("service feedback")
        verbose_name_plural = _("service feedback")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="servicefeedback_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.created_at:%Y-%m-%d})"

"""What the clocks read: categories, SLA policies with their ladders, and the calendar of days
off."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from complaints.models.org import Agency


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
    """An override of the national calendar the `holidays` package provides (its national
    holidays and cuti bersama): a day off it lacks (a national holiday or cuti bersama of a new
    or amending SKB, an isbat that moved a holiday), a package date declared a working day,
    or a local day off of one agency and its units."""

    class Kind(models.TextChoices):
        NATIONAL_HOLIDAY = "national_holiday", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        LOCAL = "local", _("Local non-working day")
        # complaints.clock.WORKING_DAY
        WORKING_DAY = "working_day", _("Working day (a national day off moved away)")

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

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.LOCAL and self.agency_id is None:
            raise ValidationError({"agency": _("A local day belongs to an agency.")})
        if self.kind != self.Kind.LOCAL and self.agency_id is not None:
            raise ValidationError(
                {"agency": _("Only local days belong to an agency; the others are national.")}
            )

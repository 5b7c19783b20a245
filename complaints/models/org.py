"""Where complaints live: the agency tree and staff memberships with their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

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
                self._repath_subtree(old, expected)

    def _repath_subtree(self, old: str, new: str) -> None:
        """A moved agency takes its subtree along: the units below it, and the scope paths
        that place complaints (and their forwarding history) under it, so that who may see
        a complaint follows the tree. Set-based, one UPDATE a table."""
        apps = self._meta.apps
        moved = {
            Agency: "path",
            apps.get_model("complaints", "Complaint"): "scope_path",
            apps.get_model("complaints", "ComplaintAgencyHistory"): "agency_path",
        }
        for model, field in moved.items():
            rows = model.objects.filter(**{f"{field}__startswith": old})
            if model is Agency:
                rows = rows.exclude(pk=self.pk)
            rows.update(**{field: Concat(Value(new), Substr(field, len(old) + 1))})

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

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
        settings.AUTH_USER_MODEL, related_name="focal_point_roles", on_delete=models.CASCADE
    )
    agency = models.ForeignKey(Agency, related_name="focal_points", on_delete=models.CASCADE)
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
        Agency, null=True, blank=True, related_name="led_groups", on_delete=models.SET_NULL
    )
    agencies = models.ManyToManyField(Agency, related_name="coordination_groups", blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordination_groups", blank=True
    )

    class Meta:
        verbose_name = _("coordination group")
        verbose_name_plural = _("coordination groups")

    def __str__(self) -> str:
        return self.name

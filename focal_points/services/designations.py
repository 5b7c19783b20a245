"""Designations and coordination groups: focal points designated and revoked, the coordinator
memberships kept in step with their groups, and the directory of focal points."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed, NotFound
from complaints.access import STAFF_ROLES, actor_is_national_admin, actor_roles_for
from complaints.models import Agency, Membership, Role
from focal_points.models import CoordinationGroup, FocalPoint

GROUP_SOURCE = "group:{}"

logger = logging.getLogger(__name__)


@transaction.atomic
def focal_point_designate(
    *, user: User, agency: Agency, position: str = "", phone: str = "", email: str = ""
) -> FocalPoint:
    focal_point, _created = FocalPoint.objects.update_or_create(
        user=user,
        agency=agency,
        defaults={"position": position, "phone": phone, "email": email, "is_active": True},
    )
    Membership.objects.get_or_create(user=user, agency=agency, role=Role.FOCAL_POINT)
    return focal_point


@transaction.atomic
def focal_point_revoke(*, focal_point: FocalPoint) -> None:
    focal_point.is_active = False
    focal_point.save(update_fields=["is_active", "updated_at"])
    Membership.objects.filter(
        user=focal_point.user, agency=focal_point.agency, role=Role.FOCAL_POINT
    ).delete()


@transaction.atomic
def coordination_group_sync(*, group: CoordinationGroup) -> None:
    """Make the coordinator memberships match the group's agencies and coordinators."""
    source = GROUP_SOURCE.format(group.pk)
    wanted = {
        (user_id, agency_id)
        for user_id in group.coordinators.values_list("pk", flat=True)
        for agency_id in group.agencies.values_list("pk", flat=True)
    }
    existing = set(Membership.objects.filter(source=source).values_list("user_id", "agency_id"))
    for user_id, agency_id in existing - wanted:
        Membership.objects.filter(
            source=source, user_id=user_id, agency_id=agency_id, role=Role.COORDINATOR
        ).delete()
    Membership.objects.bulk_create(
        [
            Membership(user_id=u, agency_id=a, role=Role.COORDINATOR, source=source)
            for u, a in wanted - existing
        ],
        ignore_conflicts=True,
    )


def directory_entry_can_edit(*, actor: User, agency: Agency) -> bool:
    """The national admin edits every entry; an agency's own focal point edits its agency's."""
    if actor_is_national_admin(actor):
        return True
    return Role.FOCAL_POINT in actor_roles_for(actor=actor, scope_path=agency.path)


@transaction.atomic
def directory_entry_update(
    *, actor: User, focal_point_id: int, position: str, phone: str, email: str, is_active: bool
) -> FocalPoint:
    """Change the contact details of a directory entry. Deactivating an entry also removes
    the focal-point membership (the person no longer oversees the agency)."""
    try:
        entry = (
            FocalPoint.objects.select_for_update().select_related("agency").get(pk=focal_point_id)
        )
    except FocalPoint.DoesNotExist as exc:
        raise NotFound(_("Directory entry not found.")) from exc
    if not directory_entry_can_edit(actor=actor, agency=entry.agency):
        raise NotFound(_("Directory entry not found."))
    entry.position = position.strip()
    entry.phone = phone.strip()
    entry.email = email.strip().lower()
    fields = ["position", "phone", "email", "updated_at"]
    if entry.is_active and not is_active:
        if entry.user_id == actor.pk and not actor_is_national_admin(actor):
            raise ApplicationError(_("You cannot remove your own designation."))
        focal_point_revoke(focal_point=entry)
    elif not entry.is_active and is_active:
        Membership.objects.get_or_create(
            user_id=entry.user_id, agency=entry.agency, role=Role.FOCAL_POINT
        )
        entry.is_active = True
        fields.append("is_active")
    entry.save(update_fields=fields)
    return entry


# Roles that make someone staff of an agency (the derived coordinator memberships do not).
DESIGNATABLE_ROLES = STAFF_ROLES


def directory_entry_add(
    *,
    actor: User,
    agency: Agency,
    email: str,
    position: str = "",
    phone: str = "",
    contact_email: str = "",
) -> FocalPoint:
    """Designate an existing, active member of the agency's staff (a role on the agency or one
    of its units) as its focal point. Accounts are never created here: a focal point could
    otherwise mint accounts with agency-wide access; the national admin keeps the Django
    admin for that."""
    if not directory_entry_can_edit(actor=actor, agency=agency):
        raise NotAllowed(_("You can only maintain the directory of your own agency."))
    email = email.strip().lower()
    if not email:
        raise ValidationError(
            {"user_email": _("Enter the sign-in email of the focal point")}, code="required"
        )
    with transaction.atomic():
        user = (
            User.objects.filter(
                email__iexact=email,
                is_active=True,
                memberships__agency__path__startswith=agency.path,
                memberships__role__in=list(DESIGNATABLE_ROLES),
            )
            .distinct()
            .first()
        )
        if user is None:
            # One message for unknown, inactive and out-of-agency addresses: no enumeration.
            raise ValidationError(
                {
                    "user_email": _(
                        "Enter the email of an officer already registered at this agency"
                    )
                },
                code="not_agency_staff",
            )
        entry = focal_point_designate(
            user=user,
            agency=agency,
            position=position.strip(),
            phone=phone.strip(),
            email=contact_email.strip().lower(),
        )
        logger.info(
            "focal point designated: user=%s agency=%s by actor=%s entry=%s",
            user.pk,
            agency.pk,
            actor.pk,
            entry.pk,
        )
    return entry

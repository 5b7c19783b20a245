"""Writes for focal-point designations and coordination groups."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from complaints.models import Agency, Membership, Role
from focal_points.models import CoordinationGroup, FocalPoint

GROUP_SOURCE = "group:{}"


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

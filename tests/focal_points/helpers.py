"""Shared setup for the focal-point tests (service, view and browser tests). The `focal_world`
fixture (tests/conftest.py; `world` in tests/focal_points/) builds make_world() for a test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from complaints.models import Agency, Clock, Complaint, Role, Status, TimeZone
from focal_points.models import CoordinationGroup
from focal_points.services import coordination_group_sync, focal_point_designate
from tests.factories import AgencyFactory, UnitFactory, UserFactory, complaint, staff


@dataclass
class World:
    a: Agency
    a1: Agency
    a2: Agency
    b: Agency
    c: Agency
    focal_a: User
    focal_c: User
    coordinator: User
    officer_a1: User
    verifier_a: User
    group: CoordinationGroup


def make_world() -> World:
    """Agencies A (units A1, A2) and B in one coordination group; C outside it."""
    a = AgencyFactory(name="Badan Pengawas Obat", short_name="BPO")
    a1 = UnitFactory(parent=a, name="Direktorat Obat")
    a2 = UnitFactory(parent=a, name="Balai Jakarta")
    b = AgencyFactory(name="Dinas Kesehatan", short_name="DINKES", time_zone=TimeZone.WIT)
    c = AgencyFactory(name="Kementerian Lain", short_name="KL")
    focal_a = UserFactory(full_name="Fokal Satu", email="fokal.a@example.go.id")
    focal_point_designate(user=focal_a, agency=a, position="Kepala Biro", phone="021-111")
    focal_c = UserFactory(full_name="Fokal Luar", email="fokal.c@example.go.id")
    focal_point_designate(user=focal_c, agency=c)
    coordinator = UserFactory(full_name="Koordinator Kemenko", email="koord@example.go.id")
    group = CoordinationGroup.objects.create(name="Kelompok Kesehatan")
    group.agencies.set([a, b])
    group.coordinators.set([coordinator])
    coordination_group_sync(group=group)
    officer_a1 = staff(a1, Role.OFFICER, full_name="Petugas A1", email="petugas.a1@example.go.id")
    verifier_a = staff(a, Role.VERIFIER, full_name="Verifikator A", email="verif.a@example.go.id")
    return World(a, a1, a2, b, c, focal_a, focal_c, coordinator, officer_a1, verifier_a, group)


def open_complaint(
    agency: Agency,
    *,
    unit: Agency | None = None,
    status: str = Status.IN_PROGRESS,
    due: dt.datetime | None = None,
    level: int = 0,
    title: str = "Obat kedaluwarsa dijual di apotek",
    **extra,
) -> Complaint:
    """A filed complaint moved straight into an open state with a given deadline (setup only;
    the services are exercised by the complaints tests)."""
    c = complaint(agency, title=title)
    now = timezone.now()
    fields = {
        "status": status,
        "current_due_at": due if due is not None else now + dt.timedelta(days=10),
        "escalation_level": level,
        "unit": unit,
        "scope_path": (unit or agency).path,
        "verified_at": now - dt.timedelta(days=3) if status != Status.SUBMITTED else None,
        # the clock that governs the status, as the services set it
        "current_clock": Clock.VERIFY if status == Status.SUBMITTED else Clock.RESPONSE,
        **extra,
    }
    Complaint.objects.filter(pk=c.pk).update(**fields)
    c.refresh_from_db()
    return c

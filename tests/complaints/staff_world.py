"""Shared fixtures of the staff workspace tests: two agencies, units and one of each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import User
from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import Agency, Category, Role
from tests import factories as f


@dataclass
class World:
    agency: Agency
    unit: Agency
    unit2: Agency
    other: Agency
    other_unit: Agency
    category: Category
    other_category: Category
    verifier: User
    officer: User
    officer2: User
    approver: User
    focal: User
    other_verifier: User
    other_officer: User
    citizen: User
    admin: User


@pytest.fixture
def world(db) -> World:
    clear_calendar_cache()
    agency = f.AgencyFactory(name="Badan Pengawas Obat", short_name="BPO")
    unit = f.UnitFactory(parent=agency, name="Direktorat Pengawasan Obat")
    unit2 = f.UnitFactory(parent=agency, name="Balai Besar Jakarta")
    other = f.AgencyFactory(name="Dinas Kependudukan", short_name="DUKCAPIL")
    other_unit = f.UnitFactory(parent=other, name="Seksi KTP")
    world = World(
        agency=agency,
        unit=unit,
        unit2=unit2,
        other=other,
        other_unit=other_unit,
        category=f.CategoryFactory(agency=agency, name="Obat"),
        other_category=f.CategoryFactory(agency=other, name="KTP"),
        verifier=f.staff(agency, Role.VERIFIER, full_name="Vera Verifikator"),
        officer=f.staff(unit, Role.OFFICER, full_name="Oki Petugas"),
        officer2=f.staff(unit, Role.OFFICER, full_name="Ola Petugas"),
        approver=f.staff(agency, Role.APPROVER, full_name="Aris Penyetuju"),
        focal=f.staff(agency, Role.FOCAL_POINT, full_name="Fina Focal"),
        other_verifier=f.staff(other, Role.VERIFIER, full_name="Vino Lain"),
        other_officer=f.staff(other_unit, Role.OFFICER, full_name="Omar Lain"),
        citizen=f.UserFactory(full_name="Warga Biasa"),
        admin=f.UserFactory(full_name="Admin Nasional", is_national_admin=True),
    )
    # The calendar cache is module level: warm it so query counts do not depend on order.
    WorkingCalendar.for_agency(None)
    return world


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

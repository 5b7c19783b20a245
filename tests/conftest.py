"""Fixtures shared by more than one test package. Model factories live in tests/factories.py;
helpers that are not fixtures live beside the tests that use them (e.g.
tests/complaints/public_support.py, tests/complaints/staff_world.py,
tests/focal_points/helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from common import refcache
from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import Agency, Role
from tests import factories as f
from tests.complaints.staff_world import World as StaffWorld

if TYPE_CHECKING:
    from tests.focal_points.helpers import World as FocalWorld


@pytest.fixture(autouse=True)
def _fresh_reference_lists() -> Iterator[None]:
    """Each test starts without the staff pages' per-process choice lists (common.refcache):
    the rows behind them are rolled back without a signal at the end of a test."""
    refcache.clear()
    yield
    refcache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def clear_cache() -> Iterator[None]:
    """An empty Django cache before and after the test (rate limits, cached totals). Modules
    that need it say so with `pytestmark = pytest.mark.usefixtures("clear_cache")`."""
    cache.clear()
    yield
    cache.clear()


# ---------------------------------------------------------------------------------------------
# The citizen pages (tests/complaints/test_public_*.py, tests/browser/test_citizen.py)


@pytest.fixture
def agency(db) -> Agency:
    """The agency a citizen files with on the public pages."""
    return f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")


@pytest.fixture
def people(agency: Agency) -> dict:
    """A unit of `agency` and the staff who answer a complaint there."""
    unit = f.UnitFactory(parent=agency, name="Balai Besar POM Bandung")
    return {
        "unit": unit,
        "verifier": f.staff(agency, Role.VERIFIER),
        "officer": f.staff(unit, Role.OFFICER),
        "approver": f.staff(agency, Role.APPROVER),
    }


# ---------------------------------------------------------------------------------------------
# The staff workspace (tests/complaints/test_staff_*.py, tests/browser/test_staff_htmx.py);
# tests/complaints/conftest.py offers it as `world`.


@pytest.fixture
def staff_world(db) -> StaffWorld:
    """Two agencies, units and one of each role."""
    clear_calendar_cache()
    agency = f.AgencyFactory(name="Badan Pengawas Obat", short_name="BPO")
    unit = f.UnitFactory(parent=agency, name="Direktorat Pengawasan Obat")
    unit2 = f.UnitFactory(parent=agency, name="Balai Besar Jakarta")
    other = f.AgencyFactory(name="Dinas Kependudukan", short_name="DUKCAPIL")
    other_unit = f.UnitFactory(parent=other, name="Seksi KTP")
    world = StaffWorld(
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


# ---------------------------------------------------------------------------------------------
# Focal-point oversight (tests/focal_points/, tests/browser/test_focal.py); tests that build
# it inside the test call tests.focal_points.helpers.make_world themselves.


@pytest.fixture
def focal_world(db) -> FocalWorld:
    """Agencies A (units A1, A2) and B in one coordination group; C outside it."""
    from tests.focal_points.helpers import make_world

    return make_world()

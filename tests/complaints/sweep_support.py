"""Shared helpers of the sweep and escalation tests: the August 2026 calendar (WIB) and an
agency with one holder of every role. The `org` fixture (tests/complaints/conftest.py) builds
that agency for a test; tests that need it inside the test call make_org themselves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from complaints.models import Clock, Complaint, Role, Status
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def at(day: int, hour: int = 10, minute: int = 0, tz: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime(2026, 8, day, hour, minute, tzinfo=tz)


def end_of(day: int, tz: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime(2026, 8, day, 23, 59, 59, tzinfo=tz)


def make_org() -> dict:
    """An agency with one unit and one holder of every role."""
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    return {
        "agency": agency,
        "unit": unit,
        "verifier": f.staff(agency, Role.VERIFIER, email="verifier@example.go.id"),
        "approver": f.staff(agency, Role.APPROVER, email="approver@example.go.id"),
        "officer": f.staff(unit, Role.OFFICER, email="officer@example.go.id"),
        "officer2": f.staff(unit, Role.OFFICER, email="officer2@example.go.id"),
        "focal": f.staff(agency, Role.FOCAL_POINT, email="focal@example.go.id"),
        "coordinator": f.staff(agency, Role.COORDINATOR, email="coordinator@example.go.id"),
    }


def due_complaint(agency, due: dt.datetime, *, unit=None, assignee=None, **kwargs) -> Complaint:
    """A complaint whose governing clock falls due at `due` (verification while submitted, the
    response clock once routed)."""
    c = f.complaint(agency, now=due - dt.timedelta(days=5), **kwargs)
    fields = {"current_due_at": due, "verify_due_at": due}
    if unit is not None:
        fields |= {
            "status": Status.IN_PROGRESS if assignee else Status.ASSIGNED,
            "unit": unit,
            "scope_path": unit.path,
            "assignee": assignee,
            "current_clock": Clock.RESPONSE,
            "response_due_at": due,
        }
    Complaint.objects.filter(pk=c.pk).update(**fields)
    c.refresh_from_db()
    return c

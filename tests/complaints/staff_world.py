"""The staff workspace tests' world (two agencies, units and one of each role), a signed-in
client and the complaints those tests start from. The world itself is built once, by the
`staff_world` fixture in tests/conftest.py, which tests/complaints/conftest.py offers as
`world`."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from accounts.models import User
from complaints import services
from complaints.models import Agency, Category, Complaint
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


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verified_complaint(world: World, **kwargs) -> Complaint:
    """A complaint filed with the world's agency and verified by its verifier."""
    c = f.complaint(world.agency, **kwargs)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    c.refresh_from_db()
    return c


def routed_complaint(
    world: World, *, unit: Agency | None = None, assignee: User | None = None, **kwargs
) -> Complaint:
    """A complaint in the world's category, verified and routed to `unit` (the world's unit
    unless given), to `assignee` when given."""
    c = verified_complaint(world, category=world.category, **kwargs)
    services.complaint_route(
        complaint_id=c.pk, actor=world.verifier, unit=unit or world.unit, assignee=assignee
    )
    c.refresh_from_db()
    return c


def forwarded_complaint(world: World) -> Complaint:
    """A complaint in the world's category, verified and forwarded to the other agency."""
    c = verified_complaint(world, category=world.category)
    services.complaint_forward(
        complaint_id=c.pk, actor=world.verifier, agency=world.other, reason="Bukan wewenang"
    )
    c.refresh_from_db()
    return c

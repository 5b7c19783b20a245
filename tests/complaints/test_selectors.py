"""Query counts of the complaint selectors are pinned and do not grow with the rows."""

from __future__ import annotations

import pytest

from accounts.models import User
from complaints import selectors, services
from complaints.models import Complaint, Role, Status
from complaints.selectors.public import (
    complaint_similar_for_filing,
    complaint_similar_ids_for_filing,
)
from tests import factories as f


@pytest.fixture
def world(db):
    f.SlaPolicyFactory()
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    category = f.CategoryFactory(agency=agency)
    verifier = f.staff(agency, Role.VERIFIER)
    officer = f.staff(unit, Role.OFFICER)
    return agency, unit, category, verifier, officer


def _file(world, n: int) -> list[int]:
    """n complaints; every other one routed to the unit with an assignee, so that each
    relation a list page renders is populated on some rows and empty on others."""
    agency, unit, category, verifier, officer = world
    ids = []
    for i in range(n):
        c = f.complaint(agency, category=category, is_anonymous=i % 3 == 0)
        if i % 2:
            services.complaint_verify(complaint_id=c.pk, actor=verifier)
            services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit, assignee=officer)
        ids.append(c.pk)
    return ids


def _render(rows) -> list[tuple]:
    # What a queue row shows: the related objects must already be joined.
    return [
        (
            c.display_tracking_number,
            c.agency.name,
            c.unit.name if c.unit else "",
            c.category.name if c.category else "",
            c.assignee.get_full_name() if c.assignee else "",
            c.reporter_name,
        )
        for c in rows
    ]


@pytest.mark.parametrize("n", [1, 50])
def test_list_for_agency_staff(world, n, django_assert_num_queries):
    _file(world, n)
    actor = User.objects.get(pk=world[3].pk)
    # 1: the actor's membership paths (cached on the user for the request)
    # 2: the complaints, joined to agency, unit, category and assignee; the forwarded-history
    #    rule is a subquery inside the same statement
    with django_assert_num_queries(2):
        rows = _render(selectors.complaint_list_for_actor(actor=actor))
    assert len(rows) == n


@pytest.mark.parametrize("n", [1, 50])
def test_list_for_the_national_admin(world, n, django_assert_num_queries):
    _file(world, n)
    admin = f.UserFactory(is_national_admin=True)
    # 1: the complaints with their relations (no scope to look up)
    with django_assert_num_queries(1):
        rows = _render(selectors.complaint_list_for_actor(actor=admin))
    assert len(rows) == n


@pytest.mark.parametrize("n", [1, 50])
def test_get_for_actor(world, n, django_assert_num_queries):
    ids = _file(world, n)
    actor = User.objects.get(pk=world[3].pk)
    # 1: membership paths; 2: the complaint with agency, unit, category, assignee, merged_into
    with django_assert_num_queries(2):
        c = selectors.complaint_get_for_actor(complaint_id=ids[-1], actor=actor)
        _render([c])
    # Later reads in the same request reuse the cached memberships: 1 query.
    with django_assert_num_queries(1):
        selectors.complaint_get_for_actor(complaint_id=ids[0], actor=actor)


@pytest.mark.parametrize("n", [1, 50])
def test_list_public(world, n, django_assert_num_queries):
    _file(world, n)
    # 1: the non-confidential complaints with agency and category
    with django_assert_num_queries(1):
        rows = [
            (c.display_tracking_number, c.title, c.agency.name, c.category.name, c.status)
            for c in selectors.complaint_list_public()
        ]
    assert len(rows) == n


@pytest.mark.parametrize("n", [1, 50])
def test_similar_public(world, n, django_assert_num_queries):
    agency, _unit, category, _verifier, _officer = world
    _file(world, n)
    Complaint.objects.update(status=Status.VERIFIED)
    # 2: the newest checked open complaints of the category, then the non-confidential ones
    # among them matching a title word (ids only)
    with django_assert_num_queries(2):
        ids = complaint_similar_ids_for_filing(
            agency_id=agency.pk, category_id=category.pk, title="obat kedaluwarsa"
        )
    assert len(ids) == min(n, 3)
    # and 1 more to read them for the page (places and category from the kept lists, built
    # once per process: here by a first read)
    search = {"agency_id": agency.pk, "category_id": category.pk, "title": "obat kedaluwarsa"}
    complaint_similar_for_filing(**search)
    with django_assert_num_queries(3):
        similar = complaint_similar_for_filing(**search)
        [(c.title, c.agency.name, c.category.name, c.unit) for c in similar]
    assert len(similar) == min(n, 3)  # at most three (issue 19)

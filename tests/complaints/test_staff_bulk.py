# ruff: noqa: F811 - the shared `world` fixture is imported and requested by name
"""Bulk actions on the queue: each item through the same service, a result per item."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import EventType, Status
from tests import factories as f
from tests.complaints.staff_world import client_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

BULK = reverse("staff:bulk")


def item(c) -> str:
    return f"{c.pk}:{c.version}"


def test_no_selection_says_select_at_least_one(world):
    # given a queue view with one complaint, submitted with nothing selected
    c = f.complaint(world.agency)
    client = client_for(world.verifier)
    r = client.post(BULK, {"action": "verify", "next": "/staf/laporan/?kind=complaint"})
    # then the same view comes back with the GOV.UK error summary and an inline error
    page = r.content.decode()
    assert r.status_code == 400
    assert "<title>Kesalahan: " in page
    assert "data-error-summary" in page
    assert f'href="#item-{c.pk}">Pilih minimal satu laporan</a>' in page
    assert 'id="items-error"' in page
    assert 'name="next" value="/staf/laporan/?kind=complaint"' in page
    assert r.context["form"].cleaned_data["kind"] == ["complaint"]


def test_bad_action_or_items_are_refused(world):
    client = client_for(world.verifier)
    c = f.complaint(world.agency)
    r = client.post(BULK, {"action": "explode", "items": [item(c)]})
    assert r.status_code == 302
    r = client.post(BULK, {"action": "verify", "items": ["abc", "1;2"]})
    assert r.status_code == 400
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_bulk_verify_reports_each_outcome(world):
    ok = f.complaint(world.agency)
    stale = f.complaint(world.agency)
    stale_item = item(stale)
    services.complaint_hold_for_info(complaint_id=stale.pk, actor=world.verifier, message="?")
    foreign = f.complaint(world.other)
    r = client_for(world.verifier).post(
        BULK, {"action": "verify", "items": [item(ok), stale_item, item(foreign)]}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count('data-result="ok"') == 1
    assert html.count('data-result="failed"') == 2
    assert "1 dari 3 laporan berhasil diproses." in html
    assert foreign.title not in html or foreign.display_tracking_number not in html
    ok.refresh_from_db()
    foreign.refresh_from_db()
    assert ok.status == Status.VERIFIED
    assert ok.events.get(type=EventType.VERIFIED).actor == world.verifier
    assert foreign.status == Status.SUBMITTED


def test_bulk_archive_needs_a_reason(world):
    a, b = f.complaint(world.agency), f.complaint(world.agency)
    client = client_for(world.verifier)
    # first the confirmation page
    r = client.post(BULK, {"action": "archive", "items": [item(a), item(b)]})
    assert r.status_code == 200
    assert a.title in r.content.decode()
    # no reason → error
    r = client.post(BULK, {"action": "archive", "items": [item(a), item(b)], "confirm": "1"})
    assert r.status_code == 400
    assert "Pilih alasan pengarsipan" in r.content.decode()
    r = client.post(
        BULK,
        {"action": "archive", "items": [item(a), item(b)], "confirm": "1", "reason": "spam"},
    )
    assert r.status_code == 200
    for c in (a, b):
        c.refresh_from_db()
        assert c.status == Status.ARCHIVED
        assert c.archive_reason


def test_bulk_route_and_assign_including_clear(world):
    a, b = f.complaint(world.agency), f.complaint(world.agency)
    for c in (a, b):
        services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
        c.refresh_from_db()
    client = client_for(world.verifier)
    r = client.post(
        BULK,
        {"action": "route", "items": [item(a), item(b)], "confirm": "1", "unit": world.unit.pk},
    )
    assert r.content.decode().count('data-result="ok"') == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.unit == world.unit
    assert a.status == Status.ASSIGNED
    r = client.post(
        BULK,
        {
            "action": "assign",
            "items": [item(a), item(b)],
            "confirm": "1",
            "assignee": world.officer.pk,
        },
    )
    assert r.content.decode().count('data-result="ok"') == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.assignee == world.officer
    r = client.post(
        BULK, {"action": "assign", "items": [item(a)], "confirm": "1", "assignee": "none"}
    )
    assert "Penanggung jawab dikosongkan" in r.content.decode()
    a.refresh_from_db()
    assert a.assignee is None


def test_bulk_by_officer_is_refused_per_item(world):
    c = f.complaint(world.agency)
    r = client_for(world.officer).post(BULK, {"action": "verify", "items": [item(c)]})
    assert 'data-result="failed"' in r.content.decode()
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED

"""Bulk actions on the queue: each item through the same service, a result per item; offered
only to the roles that can perform them; forwarded-away complaints and complaints an officer
works on are refused by name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import EventType, Membership, Role, Status
from tests import factories as f
from tests.complaints.staff_world import (
    client_for,
    forwarded_complaint,
    routed_complaint,
    verified_complaint,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")
BULK = reverse("staff:bulk")


def item(c) -> str:
    return f"{c.pk}:{c.version}"


def bulk_buttons(html: str) -> set[str]:
    return set(re.findall(r'<button type="submit" name="action" value="(\w+)"', html))


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


# ---------------------------------------------------------------------------------------------
# Forwarded-away complaints are refused by name


def test_bulk_refuses_a_forwarded_away_complaint_by_name_not_as_not_found(world):
    c = forwarded_complaint(world)
    r = client_for(world.verifier).post(
        BULK, {"action": "route", "items": [item(c)], "confirm": "1", "unit": world.unit.pk}
    )
    html = r.content.decode()
    assert 'data-result="failed"' in html
    assert "Dilimpahkan ke Dinas Kependudukan: Anda hanya dapat membacanya." in html
    assert "Laporan tidak ditemukan" not in html
    c.refresh_from_db()
    assert c.agency == world.other
    assert c.unit is None


# ---------------------------------------------------------------------------------------------
# Bulk route moves only complaints nobody works on yet


def test_bulk_route_skips_complaints_an_officer_works_on(world):
    verified = verified_complaint(world)
    assigned = routed_complaint(world)
    worked = routed_complaint(world, assignee=world.officer)
    services.complaint_take(complaint_id=worked.pk, actor=world.officer)
    worked.refresh_from_db()
    client = client_for(world.verifier)
    items = [item(verified), item(assigned), item(worked)]
    # the confirmation page already says which will be skipped
    confirm = client.post(BULK, {"action": "route", "items": items}).content.decode()
    assert confirm.count("data-skipped") == 1
    r = client.post(
        BULK, {"action": "route", "items": items, "confirm": "1", "unit": world.unit2.pk}
    )
    html = r.content.decode()
    assert html.count('data-result="ok"') == 2
    assert html.count('data-result="failed"') == 1
    assert "Sudah dikerjakan petugas; pindahkan satu per satu dari halaman laporan." in html
    worked.refresh_from_db()
    assert (worked.unit, worked.assignee, worked.status) == (
        world.unit,
        world.officer,
        Status.IN_PROGRESS,
    )
    for c in (verified, assigned):
        c.refresh_from_db()
        assert c.unit == world.unit2


# ---------------------------------------------------------------------------------------------
# Bulk actions only for the roles that can perform them


@pytest.mark.parametrize("who", ["officer", "focal", "coordinator"])
def test_roles_without_a_bulk_action_get_no_checkboxes_and_no_bulk_buttons(world, who):
    # given a routed complaint every one of these roles sees in the queue
    c = routed_complaint(world)
    user = {
        "officer": world.officer,
        "focal": world.focal,
        "coordinator": f.staff(world.agency, Role.COORDINATOR, full_name="Koordinator"),
    }[who]
    # when they open the queue
    r = client_for(user).get(QUEUE)
    html = r.content.decode()
    # then the complaint is listed, without a checkbox, a select column or a bulk button
    assert [row["pk"] for row in r.context["rows"]] == [c.pk]
    assert 'name="items"' not in html
    assert "data-select-all" not in html
    assert bulk_buttons(html) == set()
    # nor the "handled by another agency" hint, which is about forwarded complaints
    assert "data-read-only-list" not in html


def test_each_bulk_action_is_offered_only_to_the_roles_that_allow_it(world):
    routed_complaint(world)
    f.complaint(world.agency)
    # an approver routes and assigns, but does not verify or archive
    approver = client_for(world.approver).get(QUEUE).content.decode()
    assert bulk_buttons(approver) == {"assign", "route"}
    assert 'name="items"' in approver
    # a verifier and the national admin have them all
    for user in (world.verifier, world.admin):
        html = client_for(user).get(QUEUE).content.decode()
        assert bulk_buttons(html) == {"assign", "route", "verify", "archive"}


def test_rows_where_the_viewer_holds_no_bulk_role_have_no_checkbox(world):
    # given a verifier of one agency who is also an officer of another agency's unit
    mine = f.complaint(world.agency)
    theirs = f.complaint(world.other)
    services.complaint_verify(complaint_id=theirs.pk, actor=world.other_verifier)
    services.complaint_route(
        complaint_id=theirs.pk, actor=world.other_verifier, unit=world.other_unit
    )
    Membership.objects.create(user=world.verifier, agency=world.other_unit, role=Role.OFFICER)
    # when the queue lists both
    r = client_for(world.verifier).get(QUEUE)
    html = r.content.decode()
    assert {row["pk"] for row in r.context["rows"]} == {mine.pk, theirs.pk}
    # then only the verifier's own agency's complaint can be selected
    assert f'id="item-{mine.pk}"' in html
    assert f'id="item-{theirs.pk}"' not in html


def test_a_bulk_action_the_role_does_not_allow_is_skipped_with_the_reason(world):
    c = routed_complaint(world)
    r = client_for(world.officer).post(BULK, {"action": "archive", "items": [item(c)]})
    html = r.content.decode()
    assert "data-skipped" in html
    assert "Peran Anda tidak mengizinkan tindakan ini pada laporan ini." in html

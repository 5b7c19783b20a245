"""A breach stays on record when the complaint ends: archiving or closing a complaint whose
deadline had passed keeps the missed deadlines in the event that ends it, and the staff
timeline says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import Clock, EventType, Status
from tests.complaints.staff_world import client_for, routed_complaint, verified_complaint

pytestmark = pytest.mark.django_db


def test_archiving_after_the_response_deadline_keeps_the_breach(world):
    c = routed_complaint(world)
    late = c.response_due_at + dt.timedelta(days=2)
    c = services.complaint_archive(
        complaint_id=c.pk,
        actor=world.verifier,
        reason="Bukan urusan layanan publik: sengketa perdata antarwarga",
        now=late,
    )
    assert c.status == Status.ARCHIVED
    event = c.events.get(type=EventType.ARCHIVED)
    clocks = [b["clock"] for b in event.data["breaches"]]
    assert Clock.RESPONSE in clocks
    assert event.data["breaches"][0]["due_at"] == c.response_due_at.isoformat()

    with translation.override("id"):
        page = client_for(world.verifier).get(reverse("staff:case", args=[c.pk]))
    assert "setelah tenggat terlewati: Tanggapan pertama" in page.content.decode()


def test_archiving_in_time_records_no_breach(world):
    c = verified_complaint(world)
    c = services.complaint_archive(
        complaint_id=c.pk, actor=world.verifier, reason="Laporan ganda, sudah dijawab di ADU lain"
    )
    assert "breaches" not in c.events.get(type=EventType.ARCHIVED).data


def test_auto_close_after_the_resolution_deadline_keeps_the_breach(world):
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    r = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Sudah ditindak.")
    publisher = world.approver if c.agency.responses_need_approval else world.officer
    if c.agency.responses_need_approval:
        services.response_approve(response_id=r.pk, actor=world.approver)
    services.response_publish(response_id=r.pk, actor=publisher)
    c.refresh_from_db()
    after_resolution = c.resolution_due_at + dt.timedelta(days=1)
    closed = services.complaint_close(complaint_id=c.pk, reason="auto", now=after_resolution)
    event = closed.events.get(type=EventType.CLOSED)
    assert event.data["reason"] == "auto"
    assert [b["clock"] for b in event.data["breaches"]] == [Clock.RESOLUTION]


def test_silent_archive_of_a_hold_that_followed_a_breach_keeps_it(world):
    from tests import factories as f

    c = f.complaint(world.agency)
    late = c.verify_due_at + dt.timedelta(days=3)
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=world.verifier, message="Kirim foto struk.", now=late
    )
    c.refresh_from_db()
    archived = services.complaint_archive_silent(
        complaint_id=c.pk, now=c.reporter_info_due_at + dt.timedelta(hours=1)
    )
    event = archived.events.get(type=EventType.ARCHIVED)
    assert [b["clock"] for b in event.data["breaches"]] == [Clock.VERIFY]

"""Clock rules an agency relies on: a breach stays a breach when the complaint waits for the
reporter's information."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.clock import WorkingCalendar
from complaints.models import Clock, Complaint, Role, Status
from tests import factories as f
from tests.complaints.staff_world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]

WIB = ZoneInfo("Asia/Jakarta")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=WIB)


@pytest.fixture
def late():
    """Filed Mon 2 Nov 2026 (verify in 3 HK: Thu 5 Nov), breached and escalated to the
    verifiers' step; on Tue 10 Nov it is 3 working days late."""
    f.SlaPolicyFactory(verify_days=3)
    agency = f.AgencyFactory(time_zone="Asia/Jakarta")
    verifier = f.staff(agency, Role.VERIFIER)
    c = f.complaint(agency, now=at("2026-11-02"))
    assert c.verify_due_at.date() == dt.date(2026, 11, 5)
    services.complaint_escalate(
        complaint_id=c.pk,
        clock=Clock.VERIFY,
        cycle=c.clock_cycle,
        level=2,
        due_at=c.verify_due_at,
        notify=(),
        now=at("2026-11-06"),
    )
    c.refresh_from_db()
    assert c.escalation_level == 2
    return c, verifier


def test_a_breach_stays_a_breach_across_a_hold(late):
    c, verifier = late
    cal = WorkingCalendar.for_agency(c.agency)
    held_at, supplied_at = at("2026-11-10"), at("2026-11-13")
    assert cal.working_days_left(held_at, c.verify_due_at) == -3

    # when the verifier asks for information after the breach, and the reporter supplies it
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=verifier, message="Nomor izin edar?", now=held_at
    )
    c.refresh_from_db()
    assert c.verify_remaining_days == -3
    services.complaint_supply_info(complaint_id=c.pk, body="NA18201200123", now=supplied_at)

    # then the verification clock resumes as late as it was, at the step it had reached
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    assert c.verify_due_at < supplied_at
    assert cal.working_days_left(supplied_at, c.verify_due_at) == -3
    assert c.escalation_level == 2
    assert c.current_due_at == c.verify_due_at


def test_a_hold_before_the_deadline_keeps_the_days_left(late):
    _late, verifier = late
    c = f.complaint(_late.agency, now=at("2026-11-02"))
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=verifier, message="Foto?", now=at("2026-11-03")
    )
    c.refresh_from_db()
    assert c.verify_remaining_days == 2
    services.complaint_supply_info(complaint_id=c.pk, body="Terlampir", now=at("2026-11-09"))
    c.refresh_from_db()
    assert c.verify_due_at.date() == dt.date(2026, 11, 11)
    assert c.escalation_level == 0


def test_the_case_page_says_a_paused_clock_is_overdue(late):
    c, verifier = late
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=verifier, message="Nomor izin edar?", now=at("2026-11-10")
    )
    client = client_for(verifier)
    with translation.override("id"):
        page = client.get(reverse("staff:case", args=[c.pk])).content.decode()
    assert "Dijeda, lewat 3 hari kerja" in page


# -- "Mark resolved" stops the resolution clock; an objection starts it again ----------------


@pytest.fixture
def answered(late):
    """In progress after an objection, answered once, its resolution deadline long past."""
    c, _verifier = late
    unit = f.UnitFactory(parent=c.agency)
    officer = f.staff(unit, Role.OFFICER)
    Complaint.objects.filter(pk=c.pk).update(
        status=Status.IN_PROGRESS,
        unit=unit,
        scope_path=unit.path,
        assignee=officer,
        current_clock=Clock.RESPONSE,
        current_due_at=at("2026-12-30"),
        response_due_at=at("2026-12-30"),
        verified_at=at("2026-11-03"),
        first_response_at=at("2026-11-04"),
        resolution_due_at=at("2026-11-06"),
    )
    c.refresh_from_db()
    return c, officer


def _resolution_steps(c, now):
    from complaints.jobs.sla import sla_due_pairs

    return [(pk, level) for pk, clock, level in sla_due_pairs(now=now) if clock == "resolution"]


def test_marking_resolved_stops_the_resolution_clock(answered):
    c, officer = answered
    now = at("2026-12-01")
    # given a resolution clock the sweep would escalate
    assert _resolution_steps(c, now)

    # when the officer marks the matter resolved
    services.complaint_mark_resolved(complaint_id=c.pk, actor=officer, now=at("2026-11-20"))

    # then neither sweep path nor the per-complaint step escalates it any more
    assert _resolution_steps(c, now) == []
    from complaints.services.escalation import complaint_escalate_step

    assert (
        complaint_escalate_step(
            complaint_id=c.pk, clock=Clock.RESOLUTION, cycle=0, level=2, now=now
        )
        is None
    )


def test_an_objection_starts_the_resolution_clock_again(answered):
    c, officer = answered
    services.complaint_mark_resolved(complaint_id=c.pk, actor=officer, now=at("2026-11-20"))
    Complaint.objects.filter(pk=c.pk).update(
        status=Status.AWAITING_REPORTER, reporter_reply_due_at=at("2026-12-20")
    )

    services.complaint_reporter_object(
        complaint_id=c.pk, reason="Obatnya masih dijual", now=at("2026-11-25")
    )

    c.refresh_from_db()
    assert c.resolved_at is None
    assert _resolution_steps(c, at("2026-12-01"))


# -- the 60-day ceiling ------------------------------------------------------------------------


def test_a_capped_field_tier_is_shown_to_staff_and_to_the_reporter(client):
    from complaints.models import ResolutionTier

    f.SlaPolicyFactory()
    agency = f.AgencyFactory(time_zone="Asia/Jakarta")
    verifier = f.staff(agency, Role.VERIFIER)
    category = f.CategoryFactory(agency=agency, default_tier=ResolutionTier.FIELD)
    c = f.complaint(agency, category=category, now=at("2026-08-03", 8))
    services.complaint_verify(complaint_id=c.pk, actor=verifier, now=at("2026-08-03", 10))
    c.refresh_from_db()
    assert c.resolution_capped

    with translation.override("id"):
        staff_page = client_for(verifier).get(reverse("staff:case", args=[c.pk]))
        assert "Dibatasi batas 60 hari kalender" in staff_page.content.decode()
        client.post(
            reverse("complaints:track"),
            {"tracking_number": c.tracking_number, "access_code": c.plain_access_code},
        )
        page = client.get(reverse("complaints:track_detail", args=[c.tracking_number]))
        assert "Paling lambat" in page.content.decode()
        assert "batas 60 hari" in page.content.decode()


# -- deadlines in the zone of the unit that owns the clock ------------------------------------


def test_a_unit_in_wit_reads_its_deadlines_in_wit():
    from complaints.models import TimeZone

    f.SlaPolicyFactory()
    agency = f.AgencyFactory(time_zone=TimeZone.WIB)
    unit = f.UnitFactory(parent=agency, time_zone=TimeZone.WIT)
    verifier = f.staff(agency, Role.VERIFIER)
    officer = f.staff(unit, Role.OFFICER)
    c = f.complaint(agency, now=at("2026-11-02"))
    services.complaint_verify(complaint_id=c.pk, actor=verifier, now=at("2026-11-02", 11))
    services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit, now=at("2026-11-02", 12))
    c.refresh_from_db()

    with translation.override("id"):
        page = client_for(officer).get(reverse("staff:case", args=[c.pk])).content.decode()
        queue = client_for(officer).get(reverse("staff:queue")).content.decode()
    # the response deadline: the end of the unit's working day, said in its zone
    assert "pukul 23.59 WIT" in page
    assert "WIB" not in page
    assert "pukul 23.59 WIT" in queue

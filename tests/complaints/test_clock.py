"""Working-day arithmetic and the clocks the services set, with frozen time.

Calendar used throughout (2026): 17 Aug (Monday) and 25 Dec (Friday) are national holidays
from the `holidays` package; 24 Dec (Thursday) is cuti bersama only as a CalendarDay row;
22 Jun (Monday) is an ordinary working day unless a local CalendarDay says otherwise.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints import services
from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import CalendarDay, Clock, ResolutionTier, Role, Status
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
UTC = dt.UTC


def at(y, m, d, hh=10, mm=0, tz=WIB) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=tz)


def eod(y, m, d, tz=WIB) -> dt.datetime:
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=tz)


# CalendarDay rows are cached for a few minutes; every test sees its own rows.
pytestmark = pytest.mark.usefixtures("fresh_calendar")


# ---------------------------------------------------------------------------------------------
# Pure arithmetic


@pytest.mark.django_db
class TestAddWorkingDays:
    def test_counts_from_the_day_after_and_skips_the_weekend(self):
        cal = WorkingCalendar.for_agency(None)
        # Friday 7 Aug + 3 HK: Mon 10, Tue 11, Wed 12.
        assert cal.add_working_days(at(2026, 8, 7), 3) == eod(2026, 8, 12)

    def test_filed_on_saturday_counts_from_monday(self):
        cal = WorkingCalendar.for_agency(None)
        assert cal.add_working_days(at(2026, 8, 8), 1) == eod(2026, 8, 10)

    def test_zero_days_is_the_end_of_the_day_or_the_next_working_day(self):
        cal = WorkingCalendar.for_agency(None)
        assert cal.add_working_days(at(2026, 8, 7), 0) == eod(2026, 8, 7)
        assert cal.add_working_days(at(2026, 8, 8), 0) == eod(2026, 8, 10)

    def test_national_holiday_from_the_holidays_package(self):
        cal = WorkingCalendar.for_agency(None)
        # Friday 14 Aug + 1 HK: Monday 17 Aug is Independence Day, so Tuesday 18 Aug.
        assert not cal.is_working_day(dt.date(2026, 8, 17))
        assert cal.add_working_days(at(2026, 8, 14), 1) == eod(2026, 8, 18)

    def test_cuti_bersama_comes_from_the_package_and_the_register_adds_to_it(self):
        # Wednesday 23 Dec + 1 HK: Thursday 24 Dec is cuti bersama (SKB 2026, the package's
        # "government" category), Friday 25 Christmas, then the weekend: Monday 28 ...
        assert WorkingCalendar.for_agency(None).add_working_days(at(2026, 12, 23), 1) == eod(
            2026, 12, 28
        )
        CalendarDay.objects.create(
            date=dt.date(2026, 12, 28), kind=CalendarDay.Kind.CUTI_BERSAMA, name="Cuti bersama"
        )
        clear_calendar_cache()
        # ... and a day an amending SKB adds moves it on to Tuesday 29.
        assert WorkingCalendar.for_agency(None).add_working_days(at(2026, 12, 23), 1) == eod(
            2026, 12, 29
        )

    def test_local_day_applies_to_one_agency_and_its_units_only(self):
        jakarta = f.AgencyFactory(slug="pemprov-dki")
        unit = f.UnitFactory(parent=jakarta)
        other = f.AgencyFactory()
        CalendarDay.objects.create(
            date=dt.date(2026, 6, 22),
            kind=CalendarDay.Kind.LOCAL,
            name="HUT Jakarta",
            agency=jakarta,
        )
        clear_calendar_cache()
        friday = at(2026, 6, 19)
        assert WorkingCalendar.for_agency(jakarta).add_working_days(friday, 1) == eod(2026, 6, 23)
        assert WorkingCalendar.for_agency(unit).add_working_days(friday, 1) == eod(2026, 6, 23)
        assert WorkingCalendar.for_agency(other).add_working_days(friday, 1) == eod(2026, 6, 22)
        assert WorkingCalendar.for_agency(None).add_working_days(friday, 1) == eod(2026, 6, 22)


@pytest.mark.django_db
class TestTimeZones:
    @pytest.mark.parametrize(
        ("tz_name", "utc_hour"),
        [("Asia/Jakarta", 16), ("Asia/Makassar", 15), ("Asia/Jayapura", 14)],
    )
    def test_a_deadline_falls_at_the_end_of_the_local_day(self, tz_name, utc_hour):
        agency = f.AgencyFactory(time_zone=tz_name)
        due = WorkingCalendar.for_agency(agency).add_working_days(at(2026, 8, 7, 9, tz=UTC), 1)
        assert due.astimezone(UTC) == dt.datetime(2026, 8, 10, utc_hour, 59, 59, tzinfo=UTC)

    def test_the_local_date_decides_which_day_a_clock_starts(self):
        # 16:30 UTC on Thursday 6 Aug is still Thursday in WIB (23:30) but Friday in WIT (01:30).
        moment = dt.datetime(2026, 8, 6, 16, 30, tzinfo=UTC)
        wib = WorkingCalendar.for_time_zone("Asia/Jakarta")
        wita = WorkingCalendar.for_time_zone("Asia/Makassar")
        wit = WorkingCalendar.for_time_zone("Asia/Jayapura")
        assert wib.add_working_days(moment, 1) == eod(2026, 8, 7, WIB)
        assert wita.add_working_days(moment, 1) == eod(2026, 8, 10, WITA)
        assert wit.add_working_days(moment, 1) == eod(2026, 8, 10, WIT)

    def test_working_hours_are_local(self):
        wit = WorkingCalendar.for_time_zone("Asia/Jayapura")
        wib = WorkingCalendar.for_time_zone("Asia/Jakarta")
        # 00:30 UTC Monday 10 Aug: 09:30 WIT (open), 07:30 WIB (closed).
        moment = dt.datetime(2026, 8, 10, 0, 30, tzinfo=UTC)
        assert wit.is_working_hours(moment)
        assert not wib.is_working_hours(moment)


@pytest.mark.django_db
class TestLadder:
    def test_thresholds_for_each_offset(self):
        cal = WorkingCalendar.for_agency(None)
        now = at(2026, 8, 12, 10)  # Wednesday
        # Warning (1 HK left): anything due by the end of Thursday.
        assert cal.ladder_threshold(now, -1) == eod(2026, 8, 13)
        # Breach: anything already due.
        assert cal.ladder_threshold(now, 0) == now
        # Breach + 2 HK: Monday and Tuesday have fully passed since a Friday deadline.
        assert cal.ladder_threshold(now, 2) == eod(2026, 8, 9)
        # Breach + 5 HK: Tue 11, Mon 10, Fri 7, Thu 6, Wed 5 fully passed.
        assert cal.ladder_threshold(now, 5) == eod(2026, 8, 4)

    def test_breach_plus_two_is_reached_on_the_third_morning(self):
        cal = WorkingCalendar.for_agency(None)
        due = eod(2026, 8, 7)  # Friday
        assert due > cal.ladder_threshold(at(2026, 8, 11, 10), 2)  # Tuesday: 1 HK passed
        assert due <= cal.ladder_threshold(at(2026, 8, 12, 8), 2)  # Wednesday: 2 HK passed

    def test_threshold_skips_a_holiday(self):
        cal = WorkingCalendar.for_agency(None)
        # Wednesday 19 Aug: Tue 18 and Fri 14 (Mon 17 is a holiday) have passed.
        assert cal.ladder_threshold(at(2026, 8, 19, 10), 2) == eod(2026, 8, 13)

    @pytest.mark.parametrize(
        ("moment", "expected"),
        [
            (at(2026, 8, 7, 10), at(2026, 8, 7, 10)),  # Friday, office hours: now
            (at(2026, 8, 7, 7), at(2026, 8, 7, 8)),  # before opening: 08:00 the same day
            (at(2026, 8, 8, 10), at(2026, 8, 10, 8)),  # Saturday: Monday 08:00
            (at(2026, 8, 14, 17), at(2026, 8, 18, 8)),  # Friday evening, Monday holiday
        ],
    )
    def test_next_working_start(self, moment, expected):
        assert WorkingCalendar.for_agency(None).next_working_start(moment) == expected

    def test_working_days_left_is_signed(self):
        cal = WorkingCalendar.for_agency(None)
        due = eod(2026, 8, 12)
        assert cal.working_days_left(at(2026, 8, 10), due) == 2
        assert cal.working_days_left(at(2026, 8, 12), due) == 0
        assert cal.working_days_left(at(2026, 8, 14), due) == -2
        assert cal.working_days_left(at(2026, 8, 13, 0, 5), due) == -1


# ---------------------------------------------------------------------------------------------
# Clocks set by the services


@pytest.fixture
def setup(db):
    f.SlaPolicyFactory()
    agency = f.AgencyFactory(responses_need_approval=False)
    unit = f.UnitFactory(parent=agency)
    return {
        "agency": agency,
        "unit": unit,
        "verifier": f.staff(agency, Role.VERIFIER),
        "officer": f.staff(unit, Role.OFFICER),
    }


def test_filing_sets_the_verification_clock(setup):
    with time_machine.travel(at(2026, 8, 7, 10), tick=False):
        c = f.complaint(setup["agency"])
    assert c.verify_due_at == eod(2026, 8, 12)
    assert (c.current_clock, c.current_due_at) == (Clock.VERIFY, eod(2026, 8, 12))


def test_needs_info_pauses_and_resumes_with_the_days_left(setup):
    agency, verifier = setup["agency"], setup["verifier"]
    with time_machine.travel(at(2026, 8, 3, 9), tick=False):  # Monday
        c = f.complaint(agency)
    assert c.verify_due_at == eod(2026, 8, 6)
    with time_machine.travel(at(2026, 8, 4, 10), tick=False):  # Tuesday: 2 HK left
        c = services.complaint_hold_for_info(complaint_id=c.pk, actor=verifier, message="Alamat?")
    assert c.status == Status.NEEDS_INFO
    assert c.verify_remaining_days == 2
    assert c.verify_due_at is None
    # The reporter's 10 HK skip Independence Day (Monday 17 Aug).
    assert c.reporter_info_due_at == eod(2026, 8, 19)
    assert (c.current_clock, c.current_due_at) == (Clock.REPORTER_INFO, eod(2026, 8, 19))
    with time_machine.travel(at(2026, 8, 12, 10), tick=False):  # Wednesday, a week later
        c = services.complaint_supply_info(complaint_id=c.pk, body="Jl. Melati 12")
    assert c.status == Status.SUBMITTED
    assert c.verify_due_at == eod(2026, 8, 14)  # the 2 HK left, from the day of supply
    assert c.verify_remaining_days is None
    assert (c.current_clock, c.current_due_at) == (Clock.VERIFY, eod(2026, 8, 14))


def test_forward_starts_a_new_response_clock_but_keeps_the_hard_ceiling(setup):
    agency, verifier = setup["agency"], setup["verifier"]
    other = f.AgencyFactory(time_zone="Asia/Makassar")
    verified_at = at(2026, 8, 3, 9)
    c = f.complaint(agency, now=at(2026, 8, 3, 8))
    c = services.complaint_verify(complaint_id=c.pk, actor=verifier, now=verified_at)
    assert c.response_due_at == eod(2026, 8, 10)
    ceiling = c.hard_ceiling_at
    assert ceiling == eod(2026, 10, 2)  # 60 calendar days, at the end of the day
    c = services.complaint_forward(
        complaint_id=c.pk, actor=verifier, agency=other, reason="Bukan wewenang", now=at(2026, 8, 6)
    )
    assert c.status == Status.VERIFIED
    assert c.clock_cycle == 2
    # Thursday 6 Aug + 5 HK at the receiving agency, in its own time zone (WITA).
    assert c.response_due_at == eod(2026, 8, 13, WITA)
    assert (c.current_clock, c.current_due_at) == (Clock.RESPONSE, eod(2026, 8, 13, WITA))
    assert c.hard_ceiling_at == ceiling


def test_routing_to_a_unit_in_another_time_zone_keeps_the_deadline_day_in_its_time_zone(setup):
    agency, verifier = setup["agency"], setup["verifier"]
    papua = f.UnitFactory(parent=agency, time_zone="Asia/Jayapura")
    officer = f.staff(papua, Role.OFFICER)
    # Monday 24 Aug is a local day off of the Papua unit only
    CalendarDay.objects.create(
        agency=papua, date=dt.date(2026, 8, 24), kind=CalendarDay.Kind.LOCAL, name="Cuti daerah"
    )
    clear_calendar_cache()
    c = f.complaint(agency, now=at(2026, 8, 3, 8))
    c = services.complaint_verify(complaint_id=c.pk, actor=verifier, now=at(2026, 8, 3, 9))
    assert c.response_due_at == eod(2026, 8, 10)  # Monday + 5 HK, in WIB
    assert c.resolution_due_at == eod(2026, 8, 24)  # 14 HK, skipping 17 Aug
    c.escalation_level = 1
    c.save(update_fields=["escalation_level"])

    c = services.complaint_route(complaint_id=c.pk, actor=verifier, unit=papua, assignee=officer)

    # the same day, ending in WIT (two hours earlier, not 2 hours into the next day); the
    # resolution day is the unit's day off: its next working day (Tuesday 25 Aug is Maulid
    # Nabi, a national holiday)
    assert c.response_due_at == eod(2026, 8, 10, WIT)
    assert c.resolution_due_at == eod(2026, 8, 26, WIT)
    assert (c.current_clock, c.current_due_at) == (Clock.RESPONSE, eod(2026, 8, 10, WIT))
    assert c.escalation_level == 1  # the same deadline: its ladder is not restarted
    c.refresh_from_db()
    assert c.current_due_at == eod(2026, 8, 10, WIT)

    # back to a WIB unit: the end of the same day in WIB again
    c = services.complaint_route(complaint_id=c.pk, actor=verifier, unit=setup["unit"])
    assert c.response_due_at == eod(2026, 8, 10)


def test_reopen_starts_a_new_response_clock_and_cycle(setup):
    agency, verifier, officer, unit = (
        setup["agency"],
        setup["verifier"],
        setup["officer"],
        setup["unit"],
    )
    c = f.complaint(agency, now=at(2026, 8, 3, 8))
    services.complaint_verify(complaint_id=c.pk, actor=verifier, now=at(2026, 8, 3, 9))
    services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit, now=at(2026, 8, 3, 10))
    services.complaint_take(complaint_id=c.pk, actor=officer, now=at(2026, 8, 3, 11))
    r = services.response_draft(complaint_id=c.pk, actor=officer, body="Sudah.")
    services.response_publish(response_id=r.pk, actor=officer, now=at(2026, 8, 5, 10))
    c.refresh_from_db()
    assert c.reporter_reply_due_at == eod(2026, 8, 20)  # 10 HK, skipping 17 Aug
    assert (c.current_clock, c.clock_cycle) == (Clock.REPORTER_REPLY, 1)
    c = services.complaint_reporter_object(
        complaint_id=c.pk, reason="Masih dijual.", now=at(2026, 8, 10, 10)
    )
    assert c.status == Status.IN_PROGRESS
    assert (c.clock_cycle, c.reopen_count) == (2, 1)
    assert c.reporter_reply_due_at is None
    assert c.response_due_at == eod(2026, 8, 18)  # Monday + 5 HK, skipping 17 Aug
    assert (c.current_clock, c.current_due_at) == (Clock.RESPONSE, eod(2026, 8, 18))


def test_field_tier_is_capped_by_the_sixty_day_hard_ceiling(setup):
    agency, verifier = setup["agency"], setup["verifier"]
    category = f.CategoryFactory(agency=agency, default_tier=ResolutionTier.FIELD)
    verified_at = at(2026, 8, 3, 9)
    c = f.complaint(agency, category=category, now=at(2026, 8, 3, 8))
    c = services.complaint_verify(complaint_id=c.pk, actor=verifier, now=verified_at)
    uncapped = WorkingCalendar.for_agency(agency).add_working_days(verified_at, 60)
    assert uncapped > verified_at + dt.timedelta(days=60)
    # the 60th calendar day after verification, at the end of the local day (3 Aug + 60: 2 Oct)
    assert c.hard_ceiling_at == eod(2026, 10, 2)
    assert c.resolution_due_at == c.hard_ceiling_at
    assert c.resolution_capped
    # A standard tier (14 HK) ends well before the ceiling and is not capped.
    other = f.complaint(agency, now=at(2026, 8, 3, 8))
    other = services.complaint_verify(complaint_id=other.pk, actor=verifier, now=verified_at)
    assert other.resolution_due_at == eod(2026, 8, 24)


def test_a_reopen_near_the_ceiling_is_capped_by_it(setup):
    agency, verifier, officer, unit = (
        setup["agency"],
        setup["verifier"],
        setup["officer"],
        setup["unit"],
    )
    c = f.complaint(agency, now=at(2026, 8, 3, 8))
    services.complaint_verify(complaint_id=c.pk, actor=verifier, now=at(2026, 8, 3, 9))
    services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit, now=at(2026, 8, 3, 10))
    services.complaint_take(complaint_id=c.pk, actor=officer, now=at(2026, 8, 3, 11))
    r = services.response_draft(complaint_id=c.pk, actor=officer, body="Sudah.")
    services.response_publish(response_id=r.pk, actor=officer, now=at(2026, 9, 28, 10))
    c = services.complaint_reporter_object(
        complaint_id=c.pk, reason="Belum selesai.", now=at(2026, 9, 29, 10)
    )
    # 29 Sep + 5 HK would be 6 Oct; the ceiling (3 Aug + 60 days, end of day) comes first.
    assert c.response_due_at == eod(2026, 10, 2)
    assert c.current_due_at == c.hard_ceiling_at

"""The national calendar on a database with no demo data: national holidays and cuti bersama
of 2025 and 2026 as the SKB 3 Menteri decrees them, CalendarDay overrides both ways, the
missing-year warning, and the admin's year view and SKB import."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import checks
from django.urls import reverse

from complaints import policy, services
from complaints.apps import calendar_check
from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import CalendarDay, Kind
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]

WIB = ZoneInfo("Asia/Jakarta")

# Written from the SKB 3 Menteri on national holidays and cuti bersama (2025, as amended for
# 18 August 2025; 2026), not from the package the clock reads.
HOLIDAYS = {
    "2025-01-01", "2025-01-27", "2025-01-29", "2025-03-29", "2025-03-31", "2025-04-01",
    "2025-04-18", "2025-04-20", "2025-05-01", "2025-05-12", "2025-05-29", "2025-06-01",
    "2025-06-06", "2025-06-27", "2025-08-17", "2025-09-05", "2025-12-25",
    "2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-21", "2026-03-22",
    "2026-04-03", "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-27", "2026-05-31",
    "2026-06-01", "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-25",
}  # fmt: skip
CUTI_BERSAMA = {
    "2025-01-28", "2025-03-28", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07",
    "2025-05-13", "2025-05-30", "2025-06-09", "2025-08-18", "2025-12-26",
    "2026-02-16", "2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24", "2026-05-15",
    "2026-05-28", "2026-12-24",
}  # fmt: skip
SKB_DAYS_OFF = {dt.date.fromisoformat(d) for d in HOLIDAYS | CUTI_BERSAMA}


def skb_deadline(filed: dt.date, days: int) -> dt.date:
    """The N-th working day after the filing day, counted on the SKB's table."""
    day = filed
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in SKB_DAYS_OFF:
            days -= 1
    return day


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=WIB)


def test_the_database_starts_without_calendar_rows():
    assert not CalendarDay.objects.exists()


def test_every_2025_and_2026_deadline_lands_where_the_skb_says():
    # given a filing on each day from a week before to a week after every cuti bersama
    cal = WorkingCalendar.for_agency(None)
    filings = {
        dt.date.fromisoformat(d) + dt.timedelta(days=offset)
        for d in CUTI_BERSAMA
        for offset in range(-7, 8)
    }
    wrong = []
    for filed in sorted(filings):
        for days in (1, 3, 5, 10):
            expected = skb_deadline(filed, days)
            if expected.year > 2026:
                continue  # the table covers 2025 and 2026
            # then the clock's deadline is the end of the SKB's N-th working day
            due = cal.add_working_days(noon(filed), days)
            if due.astimezone(WIB).date() != expected:
                wrong.append((filed, days, due.date(), expected))
    assert wrong == []


def test_every_skb_day_off_is_off_and_nothing_else_is():
    cal = WorkingCalendar.for_agency(None)
    day = dt.date(2025, 1, 1)
    wrong = []
    while day.year < 2027:
        expected = day.weekday() < 5 and day not in SKB_DAYS_OFF
        if cal.is_working_day(day) != expected:
            wrong.append(day)
        day += dt.timedelta(days=1)
    assert wrong == []


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        # the field test's cases: both deadlines fell on cuti bersama before
        (dt.date(2026, 3, 17), dt.date(2026, 3, 27)),
        (dt.date(2025, 3, 27), dt.date(2025, 4, 10)),
    ],
)
def test_a_filing_gets_its_verification_deadline_after_the_cuti_bersama(filed, due):
    f.SlaPolicyFactory(verify_days=3)
    agency = f.AgencyFactory(time_zone="Asia/Jakarta")
    complaint, _code = services.complaint_submit(
        actor=None, kind=Kind.COMPLAINT, title="Antrean", body="Isi", agency=agency,
        now=noon(filed),
    )  # fmt: skip
    assert complaint.verify_due_at.astimezone(WIB).date() == due


def test_an_override_moves_a_holiday():
    # given the package's Idul Fitri cuti bersama on Friday 20 March 2026
    friday, monday_after = dt.date(2026, 3, 20), dt.date(2026, 3, 30)
    assert not WorkingCalendar.for_agency(None).is_working_day(friday)
    admin = f.UserFactory(is_national_admin=True)

    # when an amending SKB moves it to Monday 30 March
    services.calendar_days_import(
        actor=admin, kind=CalendarDay.Kind.WORKING_DAY, days=[(friday, "Dipindah")]
    )
    services.calendar_days_import(
        actor=admin, kind=CalendarDay.Kind.CUTI_BERSAMA, days=[(monday_after, "Idul Fitri")]
    )
    clear_calendar_cache()

    # then Friday is a working day, Monday is not, and deadlines follow
    cal = WorkingCalendar.for_agency(None)
    assert cal.is_working_day(friday)
    assert not cal.is_working_day(monday_after)
    due = cal.add_working_days(noon(dt.date(2026, 3, 19)), 1)
    assert due.date() == friday


def test_a_day_cannot_be_recorded_both_ways():
    from common.exceptions import ApplicationError

    admin = f.UserFactory(is_national_admin=True)
    day = dt.date(2026, 3, 20)
    services.calendar_days_import(
        actor=admin, kind=CalendarDay.Kind.WORKING_DAY, days=[(day, "Dipindah")]
    )
    with pytest.raises(ApplicationError, match="2026-03-20"):
        services.calendar_days_import(
            actor=admin, kind=CalendarDay.Kind.CUTI_BERSAMA, days=[(day, "Cuti")]
        )
    assert CalendarDay.objects.count() == 1


def test_only_a_national_admin_keeps_the_calendar():
    from common.exceptions import NotAllowed

    officer = f.staff(f.AgencyFactory(), "verifier")
    with pytest.raises(NotAllowed):
        services.calendar_days_import(
            actor=officer, kind=CalendarDay.Kind.CUTI_BERSAMA, days=[(dt.date(2026, 1, 2), "x")]
        )


# -- the missing-year warning ----------------------------------------------------------------


def test_a_year_without_cuti_bersama_is_named():
    # 2026 and 2027 are in the package; 2031 is not (an SKB is signed a year ahead)
    assert policy.years_without_cuti_bersama(dt.date(2026, 12, 7)) == []
    assert policy.years_without_cuti_bersama(dt.date(2031, 3, 1)) == [2031]
    # from October the next year must be known too
    assert policy.years_without_cuti_bersama(dt.date(2030, 9, 30)) == [2030]
    assert policy.years_without_cuti_bersama(dt.date(2030, 10, 1)) == [2030, 2031]
    # a year's SKB dates recorded in the register settle it
    assert policy.years_without_cuti_bersama(dt.date(2031, 3, 1), recorded=[2031]) == []


def test_the_system_check_and_health_warn_of_a_missing_year(client, time_machine):
    time_machine.move_to(dt.datetime(2031, 3, 2, 9, tzinfo=WIB))
    warnings = calendar_check(databases=["default"])
    assert [w.id for w in warnings] == ["complaints.W001"]
    assert isinstance(warnings[0], checks.Warning)
    assert "2031" in warnings[0].msg
    body = client.get("/health/").json()
    assert body["checks"]["calendar"]["years_missing"] == [2031]
    assert "2031" in body["warnings"][0]

    # when the SKB's dates are imported, the warning goes
    admin = f.UserFactory(is_national_admin=True)
    services.calendar_days_import(
        actor=admin, kind=CalendarDay.Kind.CUTI_BERSAMA, days=[(dt.date(2031, 1, 2), "Cuti")]
    )
    assert calendar_check(databases=["default"]) == []
    # without a database to read, the check has nothing to say
    assert calendar_check() == []
    assert "warnings" not in client.get("/health/").json()


# -- the admin: a year as a calendar, and the SKB import --------------------------------------


@pytest.fixture
def admin_client(client):
    user = f.UserFactory(is_national_admin=True, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_the_admin_shows_a_year_with_its_days_off(admin_client):
    response = admin_client.get(reverse("admin:complaints_calendarday_year"), {"year": 2026})
    assert response.status_code == 200
    cal = response.context["cal"]
    assert cal.cuti_bersama_count == 8
    assert {e.date for e in cal.days_off} >= {dt.date(2026, 3, 18), dt.date(2026, 3, 19)}
    page = response.content.decode()
    assert "Cuti bersama" in page


def test_the_admin_imports_the_dates_of_an_skb(admin_client):
    pasted = (
        "Senin, 5 Januari 2032 Cuti bersama Tahun Baru\n"
        "\n"
        "2032-02-12 — Cuti bersama Imlek\n"
        "15/03/2032\n"
    )
    url = reverse("admin:complaints_calendarday_import")
    response = admin_client.post(
        url, {"kind": "cuti_bersama", "name": "Cuti bersama", "dates": pasted}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2032")
    rows = dict(CalendarDay.objects.values_list("date", "name"))
    assert rows == {
        dt.date(2032, 1, 5): "Cuti bersama Tahun Baru",
        dt.date(2032, 2, 12): "Cuti bersama Imlek",
        dt.date(2032, 3, 15): "Cuti bersama",
    }


def test_a_line_without_a_date_is_refused_and_the_text_kept(admin_client):
    pasted = "2032-02-12 Imlek\nhari raya\n31-02-2032\n"
    response = admin_client.post(
        reverse("admin:complaints_calendarday_import"),
        {"kind": "cuti_bersama", "name": "Cuti bersama", "dates": pasted},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["dates"]
    assert len(errors) == 2
    assert "2" in errors[0]
    assert "hari raya" in errors[0]
    assert response.context["form"]["dates"].value() == pasted
    assert not CalendarDay.objects.exists()

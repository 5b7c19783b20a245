"""The portable scorecard path (taken on SQLite, the `make run` default) gives exactly the
figures of the tuned PostgreSQL statements: both run here on the same data, the portable one
forced by patching `rollup_uses_postgres_sql`."""

import datetime as dt
import random
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import CalendarDay, Complaint, ComplaintEvent, EventType, Status, SweepRun
from focal_points.models import ScorecardFact, ScorecardHistogram, ScorecardMonth
from focal_points.scorecards import SORT_KEYS, Period, scorecard
from focal_points.selectors import focal_scope_for, rollup_uses_postgres_sql
from focal_points.services import SCORECARD_REFRESH_SWEEP, scorecard_facts_refresh
from tests.factories import complaint
from tests.focal_points.helpers import make_world

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SPRING = Period(start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 30))
MARCH = Period(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
FACT_FIELDS = (
    "complaint_id",
    "agency_id",
    "unit_id",
    "submitted_on",
    "tier",
    "verify_days",
    "response_days",
    "resolution_days",
    "close_days",
    "reopened",
    "rating",
)
ROW_FIELDS = (
    *SORT_KEYS,
    "verified",
    "verified_within",
    "responded",
    "responded_within",
    "resolved",
    "resolved_within",
    "reopened",
    "rating_count",
    "bands",
)


@pytest.fixture
def spring():
    """Complaints filed around Nyepi and Eid 2026 (holidays from the `holidays` package) plus
    two cuti bersama rows, at agencies on WIB and WIT, with every kind of missing date."""
    CalendarDay.objects.create(date=dt.date(2026, 3, 20), kind="cuti_bersama", name="Cuti")
    CalendarDay.objects.create(date=dt.date(2026, 3, 23), kind="cuti_bersama", name="Cuti")
    clear_calendar_cache()
    w = make_world()
    rng = random.Random(20260319)
    places = [(w.a, w.a1), (w.a, w.a2), (w.a, None), (w.b, None), (w.c, None)]
    for i in range(45):
        agency, unit = places[i % len(places)]
        submitted = dt.datetime(2026, 2, 1, 6, tzinfo=WIB) + dt.timedelta(
            hours=rng.randrange(0, 24 * 85)
        )
        fields = {"tier": rng.choice(["information", "standard", "field"])}
        moment = submitted
        for name, chance in (
            ("verified_at", 0.85),
            ("first_response_at", 0.75),
            ("resolved_at", 0.6),
            ("closed_at", 0.8),
        ):
            if rng.random() > chance:
                break
            moment += dt.timedelta(hours=rng.randrange(0, 24 * 12))
            fields[name] = moment
        if rng.random() < 0.15 and "resolved_at" in fields:
            fields["closed_at"] = None
        if "closed_at" in fields and fields["closed_at"] and rng.random() < 0.3:
            fields.pop("resolved_at", None)
        fields["reopen_count"] = 1 if rng.random() < 0.2 else 0
        fields["rating"] = rng.choice([None, 1, 2, 3, 4, 5])
        c = complaint(agency, now=submitted)
        Complaint.objects.filter(pk=c.pk).update(
            unit=unit,
            scope_path=(unit or agency).path,
            status=Status.CLOSED if fields.get("closed_at") else Status.IN_PROGRESS,
            **fields,
        )
    # Local non-working days: of agency A (and so of its units), of unit A1 only (one of them
    # the same day as A's), of agency C.
    for day, agency in (
        (dt.date(2026, 2, 24), w.a),
        (dt.date(2026, 3, 10), w.a),
        (dt.date(2026, 4, 14), w.a),
        (dt.date(2026, 2, 17), w.a1),
        (dt.date(2026, 3, 10), w.a1),
        (dt.date(2026, 3, 4), w.a1),
        (dt.date(2026, 2, 11), w.c),
        (dt.date(2026, 4, 7), w.c),
    ):
        CalendarDay.objects.create(date=day, kind="local", name="Lokal", agency=agency)
    clear_calendar_cache()
    # Waits for the reporter before verification: some answered, some running to the
    # verification, some twice.
    for c in Complaint.objects.filter(verified_at__isnull=False).order_by("pk"):
        if rng.random() < 0.5:
            continue
        span = (c.verified_at - c.submitted_at).total_seconds()
        held = c.submitted_at + dt.timedelta(seconds=span * rng.random())
        for _ in range(rng.choice([1, 1, 2])):
            supplied = held + dt.timedelta(seconds=(c.verified_at - held).total_seconds() * 0.7)
            ComplaintEvent.objects.create(
                complaint=c, type=EventType.HELD_FOR_INFO, created_at=held
            )
            if rng.random() < 0.8:
                ComplaintEvent.objects.create(
                    complaint=c, type=EventType.INFO_SUPPLIED, created_at=supplied
                )
            held = supplied + dt.timedelta(hours=1)
            if held >= c.verified_at:
                break
    return w


def pause_days(cal: WorkingCalendar, c: Complaint) -> int:
    """Working days the verification clock waited for the reporter, by the clock's calendar:
    from each hold to the next event if it is "info supplied", else to the verification."""
    events = list(
        ComplaintEvent.objects.filter(
            complaint=c, type__in=[EventType.HELD_FOR_INFO, EventType.INFO_SUPPLIED]
        ).order_by("created_at", "pk")
    )
    days = 0
    for index, event in enumerate(events):
        if event.type != EventType.HELD_FOR_INFO:
            continue
        follower = events[index + 1] if index + 1 < len(events) else None
        end = c.verified_at
        if follower is not None and follower.type == EventType.INFO_SUPPLIED:
            end = min(follower.created_at, end)
        days += cal.working_days_between(max(event.created_at, c.submitted_at), end)
    return days


def snapshot(w) -> dict:
    facts = sorted(ScorecardFact.objects.values_list(*FACT_FIELDS))
    months = sorted(
        ScorecardMonth.objects.values_list(
            "agency_id",
            "unit_id",
            "month",
            "received",
            "verified",
            "verified_within",
            "responded",
            "responded_within",
            "resolved",
            "resolved_within",
            "reopened",
            "rating_count",
            "rating_sum",
        ),
        key=repr,
    )
    histogram = sorted(
        ScorecardHistogram.objects.values_list(
            "agency_id", "unit_id", "month", "metric", "days", "n"
        ),
        key=repr,
    )
    scope = focal_scope_for(actor=w.coordinator)
    cards = []
    for period in (SPRING, MARCH):
        for agency_id in (None, w.a.pk):
            # On PostgreSQL the scorecard reads reporting's facts; the cards compared here
            # read focal_points' own rollup, as the portable path (SQLite) does.
            with mock.patch("focal_points.scorecards.rollup_uses_postgres_sql", return_value=False):
                card = scorecard(scope=scope, period=period, agency_id=agency_id, sort="name")
            cards.append(
                [
                    (row.key, row.is_total, *(getattr(row, name) for name in ROW_FIELDS))
                    for row in [*card.rows, card.total]
                ]
            )
    return {"facts": facts, "months": months, "histogram": histogram, "cards": cards}


def reset_rollup() -> None:
    ScorecardFact.objects.all().delete()
    ScorecardMonth.objects.all().delete()
    ScorecardHistogram.objects.all().delete()
    SweepRun.objects.filter(name=SCORECARD_REFRESH_SWEEP).delete()


def force_portable(monkeypatch) -> None:
    monkeypatch.setattr("focal_points.services.rollups.rollup_uses_postgres_sql", lambda: False)
    monkeypatch.setattr("focal_points.scorecards.rollup_uses_postgres_sql", lambda: False)


def test_the_test_database_takes_the_postgres_path():
    assert rollup_uses_postgres_sql() is True


def test_portable_path_gives_the_postgres_figures(spring, monkeypatch):
    w = spring
    assert scorecard_facts_refresh(full=True) == 45
    native = snapshot(w)
    reset_rollup()
    force_portable(monkeypatch)
    assert scorecard_facts_refresh(full=True) == 45
    portable = snapshot(w)
    assert portable["facts"] == native["facts"]
    assert portable["months"] == native["months"]
    assert portable["histogram"] == native["histogram"]
    assert portable["cards"] == native["cards"]
    # Not vacuous: the data has durations, late and reopened complaints and ratings.
    received = 2 + ROW_FIELDS.index("received")
    in_group = Complaint.objects.filter(agency__in=[w.a, w.b]).count()  # C is outside
    assert 0 < in_group < 45
    assert [row[received] for row in native["cards"][0] if row[1]] == [in_group]
    verify_days, reopened = FACT_FIELDS.index("verify_days"), FACT_FIELDS.index("reopened")
    assert any(f[verify_days] is not None and f[verify_days] > 3 for f in native["facts"])
    assert any(f[reopened] for f in native["facts"])


def test_portable_facts_agree_with_the_python_working_calendar(spring, monkeypatch):
    force_portable(monkeypatch)
    scorecard_facts_refresh(full=True)
    facts = {f.complaint_id: f for f in ScorecardFact.objects.all()}
    assert len(facts) == 45
    paused = local = 0
    for c in Complaint.objects.select_related("agency", "unit"):
        cal = WorkingCalendar.for_agency(c.unit or c.agency)
        national = WorkingCalendar.for_time_zone(c.agency.time_zone)
        fact = facts[c.pk]
        if c.closed_at:
            local += cal.working_days_between(
                c.submitted_at, c.closed_at
            ) != national.working_days_between(c.submitted_at, c.closed_at)
        assert fact.submitted_on == cal.local_date(c.submitted_at)
        if c.verified_at:
            wait = pause_days(cal, c)
            paused += wait > 0
            raw = cal.working_days_between(c.submitted_at, c.verified_at)
            assert fact.verify_days == max(raw - wait, 0)
        else:
            assert fact.verify_days is None
        if c.closed_at:
            assert fact.close_days == cal.working_days_between(c.submitted_at, c.closed_at)
        else:
            assert fact.close_days is None
    # Not vacuous: waits and local days change some of the figures.
    assert paused >= 5
    assert local >= 3


def test_portable_incremental_refresh_matches_postgres(spring, monkeypatch):
    w = spring
    changed = Complaint.objects.filter(agency=w.b).order_by("pk").first()
    scorecard_facts_refresh(full=True)
    bump = {"rating": 5, "updated_at": dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=1)}
    Complaint.objects.filter(pk=changed.pk).update(**bump)
    assert scorecard_facts_refresh() >= 1
    native = snapshot(w)
    reset_rollup()
    force_portable(monkeypatch)
    Complaint.objects.filter(pk=changed.pk).update(rating=None)
    scorecard_facts_refresh(full=True)
    Complaint.objects.filter(pk=changed.pk).update(**bump)
    assert scorecard_facts_refresh() >= 1
    assert ScorecardFact.objects.get(complaint=changed).rating == 5
    assert snapshot(w) == native

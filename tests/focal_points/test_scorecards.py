"""Scorecard numbers against hand-computed fixtures (weekends, national holidays from the
`holidays` package, cuti bersama rows and time zones included), and query counts."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import CalendarDay, Complaint, ComplaintEvent, EventType, Status
from focal_points.scorecards import Period, scorecard
from focal_points.selectors import focal_scope_for
from focal_points.services import corrective_action_issue, nudge_send
from reporting.facts import facts_refresh_due
from reporting.models import ComplaintFact
from tests.factories import AgencyFactory, complaint
from tests.focal_points.helpers import make_world, open_complaint

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MARCH = Period(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
D = Decimal


def at(day: str, hour: int = 10, tz=WIB) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=tz)


def filed(agency, submitted, *, unit=None, events=(), **fields):
    """A complaint set up by its columns, with the timeline events that match them (the
    facts of reporting are read from the events): verified, answered, closed or archived at
    the given moments, plus `events` (type, moment, from status, to status)."""
    c = complaint(agency, now=submitted)
    fields.setdefault("status", Status.CLOSED if fields.get("closed_at") else Status.IN_PROGRESS)
    Complaint.objects.filter(pk=c.pk).update(
        unit=unit, scope_path=(unit or agency).path, current_due_at=None, **fields
    )
    timeline = list(events)
    if fields.get("verified_at"):
        timeline.append(
            (EventType.VERIFIED, fields["verified_at"], Status.SUBMITTED, Status.VERIFIED)
        )
    if fields.get("first_response_at"):
        timeline.append(
            (
                EventType.RESPONSE_PUBLISHED,
                fields["first_response_at"],
                Status.IN_PROGRESS,
                Status.AWAITING_REPORTER,
            )
        )
    if fields.get("closed_at"):
        timeline.append(
            (EventType.CLOSED, fields["closed_at"], Status.AWAITING_REPORTER, Status.CLOSED)
        )
    if fields["status"] == Status.ARCHIVED:
        moment = submitted + dt.timedelta(hours=1)
        timeline.append((EventType.ARCHIVED, moment, Status.SUBMITTED, Status.ARCHIVED))
    for type_, moment, from_status, to_status in timeline:
        ComplaintEvent.objects.create(
            complaint=c, type=type_, from_status=from_status, to_status=to_status, created_at=moment
        )
    return c


def _facts() -> dict[int, ComplaintFact]:
    """reporting's fact of each complaint's current stint, by complaint."""
    return {f.complaint_id: f for f in ComplaintFact.objects.filter(is_current=True)}


def reporting_refresh(now: dt.datetime | None = None) -> None:
    """reporting's facts of everything set up (the scorecard reads them on PostgreSQL)."""
    facts_refresh_due(now=now)


@pytest.fixture
def march():
    """Around Nyepi 2026 (Thu 19 March, national holiday) and the cuti bersama of Fri 20 and
    Mon 23 March, from the `holidays` package; the SKB's cuti bersama of Wed 18 and Tue 24
    are declared working days in the register (an override the rollup must honour, as the
    clock does); Good Friday (3 April) is a holiday too. Working days in (a, b] are counted
    by hand below."""
    CalendarDay.objects.create(date=dt.date(2026, 3, 18), kind="working_day", name="Masuk")
    CalendarDay.objects.create(date=dt.date(2026, 3, 24), kind="working_day", name="Masuk")
    clear_calendar_cache()
    w = make_world()
    # c1: filed Tue 17, verified Tue 24 -> 18, 24 = 2 working days (7 calendar days).
    #     answered Fri 3 Apr (Good Friday) -> 25 26 27 30 31 1 2 = 7.
    #     closed Fri 10 Apr -> from the 17th: 18, 24-27, 30, 31, 1, 2, 6-10 = 14;
    #     resolution from verification to the close, without the week the answer waited for
    #     the reporter (3 to 10 Apr): 25-27, 30, 31, 1, 2 = 7 (standard 14: in).
    c1 = filed(
        w.a,
        at("2026-03-17"),
        unit=w.a1,
        tier="standard",
        verified_at=at("2026-03-24"),
        first_response_at=at("2026-04-03"),
        closed_at=at("2026-04-10"),
        resolved_at=at("2026-04-10"),
        rating=4,
    )
    # c2: filed Mon 16, verified Wed 25 -> 17, 18, 24, 25 = 4; answered Fri 27 -> 26, 27 = 2;
    #     closed Wed 8 Apr -> 13 from filing; resolution: 26, 27, then after the objection of
    #     Mon 30 until the second answer 31, 1, 2 = 5 (information tier 5: in); reopened once;
    #     rated 2.
    c2 = filed(
        w.a,
        at("2026-03-16", 9),
        unit=w.a2,
        tier="information",
        verified_at=at("2026-03-25"),
        first_response_at=at("2026-03-27"),
        closed_at=at("2026-04-08"),
        resolved_at=at("2026-04-08"),
        reopen_count=1,
        rating=2,
        # objected Mon 30, answered again Thu 2 April
        events=[
            (EventType.OBJECTED, at("2026-03-30"), Status.AWAITING_REPORTER, Status.IN_PROGRESS),
            (
                EventType.RESPONSE_PUBLISHED,
                at("2026-04-02"),
                Status.IN_PROGRESS,
                Status.AWAITING_REPORTER,
            ),
        ],
    )
    # c3: filed and verified the same Wednesday: 0 working days; not answered yet.
    c3 = filed(w.a, at("2026-03-18", 15), unit=w.a1, verified_at=at("2026-03-18", 16))
    # c4: filed on the cuti bersama Friday and archived unverified the same day (the
    #     verification clock stops at the archive: 0).
    c4 = filed(w.a, at("2026-03-20"), status=Status.ARCHIVED, archive_reason="spam")
    # Outside the period: not counted.
    filed(w.a, at("2026-02-10"), verified_at=at("2026-02-11"))
    # Agency B runs on WIT (UTC+9): filed Tue 17 23:30 WIB = Wed 18 01:30 WIT, verified
    # Wed 18 23:30 WIB = Thu 19 01:30 WIT (Nyepi) -> (18, 19] has no working day: 0, where
    # WIB dates would give 1.
    c5 = filed(w.b, at("2026-03-17", 23).replace(minute=30), verified_at=at("2026-03-18", 23))
    reporting_refresh()
    return w, (c1, c2, c3, c4, c5)


def test_facts_count_working_days_without_weekends_and_holidays(march):
    _w, (c1, c2, c3, c4, c5) = march
    facts = _facts()
    assert (facts[c1.pk].verify_days, facts[c1.pk].response_days) == (2, 7)
    assert (facts[c1.pk].close_days, facts[c1.pk].resolution_days) == (14, 7)
    assert (facts[c2.pk].verify_days, facts[c2.pk].response_days) == (4, 2)
    assert (facts[c2.pk].close_days, facts[c2.pk].resolution_days) == (13, 5)
    assert facts[c2.pk].reopens == 1
    assert (facts[c3.pk].verify_days, facts[c3.pk].response_days) == (0, None)
    assert facts[c4.pk].verify_days == 0
    assert facts[c4.pk].submitted_on == dt.date(2026, 3, 20)
    assert facts[c5.pk].verify_days == 0
    assert facts[c5.pk].submitted_on == dt.date(2026, 3, 18)


def test_facts_agree_with_the_python_working_calendar(march):
    _w, complaints = march
    for c in Complaint.objects.filter(pk__in=[x.pk for x in complaints]).select_related("agency"):
        cal = WorkingCalendar.for_agency(c.agency)
        fact = _facts()[c.pk]
        if c.verified_at:
            assert fact.verify_days == cal.working_days_between(c.submitted_at, c.verified_at)
        if c.closed_at:
            assert fact.close_days == cal.working_days_between(c.submitted_at, c.closed_at)


def test_agency_scorecard_matches_hand_computed_figures(march):
    w, _complaints = march
    card = scorecard(scope=focal_scope_for(actor=w.coordinator), period=MARCH)
    rows = {r.agency.pk: r for r in card.rows}
    a = rows[w.a.pk]
    assert a.received == 4
    # verification (reporting's facts, docs/metrics.md): c1 2, c2 4 (late), c3 0, and c4
    # archived unverified the day it came, 0: three of four within 3
    assert (a.verified, a.verified_within, a.verified_within_pct) == (4, 3, D("75.0"))
    assert (a.verify_median, a.verify_p90) == (D("1.0"), D("3.4"))
    # first answers: c1 after 7 (late), c2 after 2; c3 still unanswered long past its
    # deadline counts as a miss now: one of three
    assert (a.responded, a.responded_within_pct, a.response_median, a.response_p90) == (
        3,
        D("33.3"),
        D("4.5"),
        D("6.5"),
    )
    # resolution counts the agency's days only: c1 7 of 14, c2 2 + 3 after the objection =
    # 5 of 5 (the reporter's days between do not count); c3 late now
    assert (a.resolved, a.resolved_within_pct) == (3, D("66.7"))
    assert (a.close_median, a.close_p90) == (D("13.5"), D("13.9"))
    assert a.reopen_pct == D("33.3")
    assert a.mean_rating == D("3.0")
    b = rows[w.b.pk]
    assert (b.received, b.verify_median, b.verified_within_pct) == (1, D("0.0"), D("100.0"))
    assert card.total.received == 5
    assert card.total.verified == 5
    # bands: 75 % verified in time is yellow; median 1 day to verify is green
    assert a.bands["verified_within_pct"] == "yellow"
    assert a.bands["verify_median"] == "green"
    assert a.bands["mean_rating"] == "yellow"


def test_unit_scorecard_for_the_agency_focal_point(march):
    w, _complaints = march
    card = scorecard(scope=focal_scope_for(actor=w.focal_a), period=MARCH)
    assert card.by_unit
    rows = {(r.unit.pk if r.unit else None): r for r in card.rows}
    assert rows[w.a1.pk].received == 2  # c1, c3
    assert rows[w.a2.pk].received == 1  # c2
    assert rows[None].received == 1  # c4, never routed
    assert rows[w.a1.pk].verify_median == D("1.0")  # 2 and 0
    assert card.total.received == 4


def test_live_figures_overdue_nudges_and_corrective_actions(march):
    w, _complaints = march
    now = dt.datetime.now(tz=dt.UTC)
    late = open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=2))
    open_complaint(w.a, unit=w.a1, status=Status.AWAITING_REPORTER, due=now - dt.timedelta(1))
    nudge_send(actor=w.focal_a, complaint_ids=[late.pk], message="Segera")
    corrective_action_issue(actor=w.coordinator, agency=w.a, title="x", required_change="y")
    today = Period.resolve("this_month", today=timezone.localdate())
    card = scorecard(scope=focal_scope_for(actor=w.coordinator), period=today)
    a = next(r for r in card.rows if r.agency.pk == w.a.pk)
    assert (a.overdue_now, a.nudges, a.ca_open, a.ca_overdue) == (1, 1, 1, 0)
    assert a.bands["overdue_now"] == "yellow"


def test_sorting_puts_empty_values_last(march):
    w, _complaints = march
    extra = AgencyFactory(name="Aaa Tanpa Data")
    w.group.agencies.add(extra)
    from focal_points.services import coordination_group_sync

    coordination_group_sync(group=w.group)
    scope = focal_scope_for(actor=w.coordinator)
    names = [r.agency.pk for r in scorecard(scope=scope, period=MARCH, sort="-verify_median").rows]
    assert names == [w.a.pk, w.b.pk, extra.pk]
    names = [r.agency.pk for r in scorecard(scope=scope, period=MARCH, sort="name").rows]
    assert names[0] == extra.pk


@pytest.mark.parametrize("n_agencies", [1, 8])
def test_scorecard_queries_do_not_grow(django_assert_num_queries, n_agencies):
    from focal_points.services import coordination_group_sync

    w = make_world()
    for _ in range(n_agencies):
        agency = AgencyFactory()
        w.group.agencies.add(agency)
        for day in ("2026-03-03", "2026-03-04"):
            filed(agency, at(day), verified_at=at("2026-03-05"), rating=5)
    coordination_group_sync(group=w.group)
    reporting_refresh()
    scope = focal_scope_for(actor=w.coordinator)
    # policy, bands, counters with percentiles (reporting's monthly figures of the agencies,
    # one GROUP BY), board snapshot age, overdue counts (live: no snapshot), nudges,
    # corrective actions, refresh time
    with django_assert_num_queries(8):
        card = scorecard(scope=scope, period=MARCH)
    assert len(card.rows) == 2 + n_agencies
    assert card.total.received == 2 * n_agencies
    # by unit: + the agency and its units; counters (daily rollups) and percentiles (facts)
    with django_assert_num_queries(10):
        scorecard(scope=scope, period=MARCH, agency_id=w.a.pk)


def test_periods_are_whole_months():
    today = dt.date(2026, 3, 18)
    assert Period.resolve("this_month", today=today) == Period(
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), key="this_month"
    )
    last = Period.resolve("last_month", today=today)
    assert (last.start, last.end) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    three = Period.resolve("3m", today=today)
    assert (three.start, three.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    custom = Period.resolve(
        "custom", today=today, start=dt.date(2025, 12, 9), end=dt.date(2026, 1, 2)
    )
    assert (custom.start, custom.end) == (dt.date(2025, 12, 1), dt.date(2026, 1, 31))


def wait(c, held: dt.datetime, supplied: dt.datetime | None = None) -> None:
    """The reporter was asked for information at `held` and supplied it at `supplied`."""
    events = [(EventType.HELD_FOR_INFO, held, Status.SUBMITTED, Status.NEEDS_INFO)]
    if supplied is not None:
        events.append((EventType.INFO_SUPPLIED, supplied, Status.NEEDS_INFO, Status.SUBMITTED))
    for type_, moment, from_status, to_status in events:
        ComplaintEvent.objects.create(
            complaint=c, type=type_, from_status=from_status, to_status=to_status, created_at=moment
        )


@pytest.fixture
def early_march():
    """Mon 2 to Fri 13 March 2026: no national holiday. Working days counted by hand below."""
    w = make_world()
    # Held for info Tue 3, supplied Thu 5 (the clock pauses for 4 and 5: 2 working days),
    # verified Fri 6: (2, 6] is 4 working days, 2 of them waiting -> 2, within 3.
    held = filed(w.a, at("2026-03-02"), unit=w.a1, verified_at=at("2026-03-06"))
    wait(held, at("2026-03-03"), at("2026-03-05"))
    # The same dates without the wait: 4, late.
    plain = filed(w.a, at("2026-03-02"), unit=w.a1, verified_at=at("2026-03-06"))
    # Two waits, Mon 2 -> Tue 3 (3: 1 day) and Mon 9 -> Wed 11 (10, 11: 2 days); verified
    # Thu 12: (2, 12] = 3-6, 9-12 = 8, minus 3 -> 5, late.
    twice = filed(w.a, at("2026-03-02"), unit=w.a2, verified_at=at("2026-03-12"))
    wait(twice, at("2026-03-02", 11), at("2026-03-03"))
    wait(twice, at("2026-03-09"), at("2026-03-11"))
    # Held Wed 4, the answer not recorded as supplied before the verification on Mon 9: the
    # wait runs to the verification, (4, 9] = 5, 6, 9 -> 3; (2, 9] = 3-6, 9 = 5 -> 2.
    unanswered = filed(w.a, at("2026-03-02"), verified_at=at("2026-03-09"))
    wait(unanswered, at("2026-03-04"))
    # Waiting never moves the days to close or to respond: closed Fri 13 -> (2, 13] = 9.
    closed = filed(
        w.b,
        at("2026-03-02"),
        verified_at=at("2026-03-06"),
        first_response_at=at("2026-03-10"),
        closed_at=at("2026-03-13"),
    )
    wait(closed, at("2026-03-03"), at("2026-03-05"))
    return w, (held, plain, twice, unanswered, closed)


def test_waiting_for_the_reporter_does_not_count_towards_verification(early_march):
    w, (held, plain, twice, unanswered, closed) = early_march
    reporting_refresh()
    facts = _facts()
    assert facts[held.pk].verify_days == 2
    assert facts[plain.pk].verify_days == 4
    assert facts[twice.pk].verify_days == 5
    assert facts[unanswered.pk].verify_days == 2
    assert (facts[closed.pk].verify_days, facts[closed.pk].response_days) == (2, 2)
    assert facts[closed.pk].close_days == 9
    card = scorecard(scope=focal_scope_for(actor=w.coordinator), period=MARCH)
    rows = {r.agency.pk: r for r in card.rows}
    # A: 2 (held), 4, 5, 2 -> two of four within 3 working days
    assert (rows[w.a.pk].verified, rows[w.a.pk].verified_within) == (4, 2)
    assert rows[w.a.pk].verify_median == D("3.0")
    assert (rows[w.b.pk].verified_within, rows[w.b.pk].close_median) == (1, D("9.0"))


def test_local_days_count_for_their_agency_and_its_units_only():
    w = make_world()
    # Wed 4 March is a local day of agency A (and so of its units); Thu 5 of unit A2 only.
    CalendarDay.objects.create(date=dt.date(2026, 3, 4), kind="local", name="Lokal", agency=w.a)
    CalendarDay.objects.create(date=dt.date(2026, 3, 5), kind="local", name="Unit", agency=w.a2)
    clear_calendar_cache()
    # Filed Mon 2, verified Fri 6: (2, 6] = 3, 4, 5, 6.
    in_a = filed(w.a, at("2026-03-02"), verified_at=at("2026-03-06"))  # without 4: 3
    in_a1 = filed(w.a, at("2026-03-02"), unit=w.a1, verified_at=at("2026-03-06"))  # 3
    in_a2 = filed(w.a, at("2026-03-02"), unit=w.a2, verified_at=at("2026-03-06"))  # 2
    in_b = filed(w.b, at("2026-03-02"), verified_at=at("2026-03-06"))  # 4
    # Closed Tue 10 -> (2, 10] = 3-6, 9, 10 = 6, without the local days.
    in_c = filed(w.c, at("2026-03-02"), closed_at=at("2026-03-10"))  # 6
    # verified on the day it came (a complaint is closed only after verification)
    closed_a2 = filed(
        w.a,
        at("2026-03-02"),
        unit=w.a2,
        verified_at=at("2026-03-02", 11),
        closed_at=at("2026-03-10"),
    )  # 4
    reporting_refresh()
    facts = _facts()
    assert facts[in_a.pk].verify_days == 3
    assert facts[in_a1.pk].verify_days == 3
    assert facts[in_a2.pk].verify_days == 2
    assert facts[in_b.pk].verify_days == 4
    assert facts[in_c.pk].close_days == 6
    assert facts[closed_a2.pk].close_days == 4
    # The clock's own calendar agrees (complaints.services.calendar_for: unit, else agency).
    for c in Complaint.objects.filter(pk__in=facts).select_related("agency", "unit"):
        cal = WorkingCalendar.for_agency(c.unit or c.agency)
        if c.verified_at:
            assert facts[c.pk].verify_days == cal.working_days_between(
                c.submitted_at, c.verified_at
            )
        if c.closed_at:
            assert facts[c.pk].close_days == cal.working_days_between(c.submitted_at, c.closed_at)
    card = scorecard(scope=focal_scope_for(actor=w.coordinator), period=MARCH)
    rows = {r.agency.pk: r for r in card.rows}
    assert (rows[w.a.pk].verified, rows[w.a.pk].verified_within) == (4, 4)
    assert (rows[w.b.pk].verified, rows[w.b.pk].verified_within) == (1, 0)


def test_overdue_now_counts_only_complaints_past_their_deadline():
    from focal_points.services import board_snapshot_refresh

    w = make_world()
    now = timezone.now()
    open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=2))  # overdue
    open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=6), level=3)  # escalated, late
    # Escalated (by hand, or on a clock since extended) but its deadline is days away.
    open_complaint(w.a, unit=w.a2, due=now + dt.timedelta(days=5), level=3)
    open_complaint(w.a, status=Status.NEEDS_INFO, due=now - dt.timedelta(days=1))  # reporter's
    open_complaint(w.a, due=now + dt.timedelta(days=20))  # on track
    scope = focal_scope_for(actor=w.coordinator)
    period = Period.resolve("this_month", today=timezone.localdate(now))
    live = scorecard(scope=scope, period=period, now=now)
    a = next(r for r in live.rows if r.agency.pk == w.a.pk)
    assert (a.overdue_now, live.total.overdue_now) == (2, 2)
    by_unit = scorecard(scope=scope, period=period, now=now, agency_id=w.a.pk)
    units = {(r.unit.pk if r.unit else None): r.overdue_now for r in by_unit.rows}
    assert units == {None: 0, w.a1.pk: 2, w.a2.pk: 0}
    # The same from the board snapshot.
    board_snapshot_refresh(now=now)
    snap = scorecard(scope=scope, period=period, now=now)
    assert next(r for r in snap.rows if r.agency.pk == w.a.pk).overdue_now == 2
    by_unit = scorecard(scope=scope, period=period, now=now, agency_id=w.a.pk)
    assert {(r.unit.pk if r.unit else None): r.overdue_now for r in by_unit.rows} == units

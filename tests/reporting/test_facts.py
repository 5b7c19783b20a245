"""The facts against hand-computed figures, and each misleading figure of issue 16 as a test.

The calendar of November 2026: Monday 2 is a working day, weekends 7-8, 14-15, 21-22, and
Wednesday 11 is made a national holiday (a CalendarDay row) in every test here. Working days
are counted after the start day: from Thursday 5, Friday 6 is the first, Monday 9 the second.
"""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.clock import clear_calendar_cache
from complaints.models import CalendarDay, SlaPolicy, Status, TimeZone
from reporting.facts import facts_rebuild, facts_refresh, facts_refresh_due
from reporting.models import ComplaintFact, FactQueue
from tests import factories as f
from tests.reporting.helpers import WIB, WIT, Actor, at, current_fact, facts_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holiday(db):
    CalendarDay.objects.create(
        date=dt.date(2026, 11, 11), kind=CalendarDay.Kind.NATIONAL_HOLIDAY, name="Libur uji"
    )
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def actor(db) -> Actor:
    return Actor()


def test_late_first_answer_stays_late_after_an_objection_in_wit(actor):
    # given an agency in WIT (UTC+9) and the national policy (verify 3, answer 5, tier 14)
    agency = f.AgencyFactory(time_zone=TimeZone.WIT, responses_need_approval=False)
    c = actor.file(agency, at(2, tz=WIT))
    actor.verify(c, at(5, tz=WIT))  # Tue 3, Wed 4, Thu 5: 3 working days
    # 00:30 on Monday 16 in Jayapura is still Sunday 15 in UTC: the local date counts.
    actor.answer(c, at(16, 0, 30, tz=WIT))  # Fri 6, Mon 9, Tue 10, Thu 12, Fri 13, Mon 16
    actor.object(c, at(17, tz=WIT))
    actor.answer(c, at(18, tz=WIT))
    actor.accept(c, at(19, tz=WIT))
    actor.rate(c, 4, at(19, 11, tz=WIT))
    c.refresh_from_db()
    # when the facts are computed
    facts_refresh(complaint_ids=[c.pk], now=at(20))
    # then
    fact = current_fact(c)
    assert (fact.verify_days, fact.verify_state, fact.verify_allowed) == (3, "met", 3)
    # The first answer came on the 6th working day: late, whatever the objection did to the
    # complaint's current deadline (the old home page compared with that one).
    assert (fact.response_days, fact.response_state, fact.response_allowed) == (6, "missed", 5)
    assert c.first_response_at <= c.response_due_at  # the misleading comparison
    # Resolution: the agency's days only (6 to the first answer, 1 after the objection); the
    # reporter's days (Tue 17 and Thu 19) do not count.
    assert (fact.resolution_days, fact.resolution_state) == (7, "met")
    assert (fact.agency_days, fact.reporter_days) == (10, 2)
    assert fact.close_days == 12
    assert (fact.ceiling_days, fact.ceiling_state) == (14, "met")
    assert (fact.reopens, fact.rating, fact.status) == (1, 4, Status.CLOSED)
    assert fact.submitted_on == dt.date(2026, 11, 2)
    assert fact.recheck_at is None


def test_forward_charges_each_agency_for_its_own_part_by_its_own_policy(actor):
    # given agency A whose own policy allows 8 working days to answer, and agency B (national
    # policy: 5)
    a = f.AgencyFactory(responses_need_approval=False)
    b = f.AgencyFactory(responses_need_approval=False)
    SlaPolicy.objects.create(name="A", agency=a, first_response_days=8)
    c = actor.file(a, at(2, 9))
    actor.verify(c, at(2, 10))
    # when A forwards after 7 working days (Tue 3 .. Thu 12) and B answers the next day
    actor.forward(c, b, at(12))
    actor.answer(c, at(13))
    facts_refresh(complaint_ids=[c.pk], now=at(16))
    # then A's part ended within A's own 8 days: neither met nor missed (the national 5 would
    # have called it a miss) ...
    first, second = facts_of(c)
    assert (first.agency_id, first.is_current, first.stint) == (a.pk, False, 0)
    assert (first.response_state, first.response_allowed, first.response_days) == (
        "ended",
        8,
        None,
    )
    assert (first.verify_state, first.verify_days) == ("met", 0)
    assert first.held_until == at(12)
    assert (first.agency_days, first.reporter_days) == (7, 0)
    # ... and B is charged from when it got the complaint: 1 working day, not 9.
    assert (second.agency_id, second.is_current) == (b.pk, True)
    assert (second.response_state, second.response_days, second.response_allowed) == (
        "met",
        1,
        5,
    )
    assert second.verify_state == ""


def test_sender_that_forwards_after_its_deadline_is_charged_a_miss(actor):
    a = f.AgencyFactory(responses_need_approval=False)
    b = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(a, at(2, 9))
    actor.verify(c, at(2, 10))
    actor.forward(c, b, at(12))  # 7 working days > 5
    facts_refresh(complaint_ids=[c.pk], now=at(13))
    first, second = facts_of(c)
    assert (first.response_state, first.response_days) == ("missed", 7)
    assert second.response_state == "running"


def test_open_complaint_past_its_deadline_is_late_and_archiving_keeps_the_miss(actor):
    agency = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(agency, at(2, 9))
    actor.verify(c, at(2, 10))
    # Fri 13: 8 working days, no answer
    facts_refresh(complaint_ids=[c.pk], now=at(13))
    fact = current_fact(c)
    assert (fact.response_state, fact.response_days) == ("late", None)
    # when the complaint is archived after the breach, the breach stays
    actor.archive(c, at(16))
    facts_refresh(complaint_ids=[c.pk], now=at(17))
    fact = current_fact(c)
    assert (fact.response_state, fact.response_days) == ("missed", 9)
    assert fact.resolution_state == "ended"
    assert fact.ceiling_state == "ended"


def test_a_running_clock_turns_late_at_the_sweep_without_an_event(actor):
    agency = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(agency, at(2, 9))
    actor.verify(c, at(2, 10))
    facts_refresh_due(now=at(9, 12))  # Mon 9: the 5th working day, still on time
    fact = current_fact(c)
    assert fact.response_state == "running"
    assert fact.recheck_at == dt.datetime(2026, 11, 10, tzinfo=WIB)
    assert not FactQueue.objects.exists()
    # when the beat runs on Tuesday, with no new event
    facts_refresh_due(now=at(10, 0, 5))
    # then
    assert current_fact(c).response_state == "late"


def test_an_answer_on_the_weekend_after_the_deadline_is_late(actor):
    # given a policy of 4 working days from Monday 2: the deadline is the end of Friday 6
    agency = f.AgencyFactory(responses_need_approval=False)
    SlaPolicy.objects.create(name="Cepat", agency=agency, first_response_days=4)
    c = actor.file(agency, at(2, 9))
    actor.verify(c, at(2, 10))
    actor.answer(c, at(7, 9))  # Saturday 7: still 4 working days, but after the deadline
    facts_refresh(complaint_ids=[c.pk], now=at(9))
    fact = current_fact(c)
    assert (fact.response_state, fact.response_days) == ("missed", 4)


def test_waiting_for_the_reporter_pauses_verification(actor):
    agency = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(agency, at(2, 9))
    actor.hold(c, at(3))  # 1 working day
    actor.supply(c, at(9))  # Wed 4 .. Mon 9: the reporter's 4 working days
    actor.verify(c, at(10))  # 1 more working day
    facts_refresh(complaint_ids=[c.pk], now=at(10, 12))
    fact = current_fact(c)
    assert (fact.verify_state, fact.verify_days) == ("met", 2)


def test_ceiling_counts_calendar_days_from_verification(actor):
    agency = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(agency, at(2, 9))
    actor.verify(c, at(2, 10))
    actor.answer(c, at(3))
    facts_refresh(complaint_ids=[c.pk], now=at(31, month=12))  # 59 days on: running
    fact = current_fact(c)
    assert fact.ceiling_state == "running"
    assert fact.recheck_at == dt.datetime(2027, 1, 2, tzinfo=WIB)
    facts_refresh(complaint_ids=[c.pk], now=dt.datetime(2027, 1, 2, 0, 1, tzinfo=WIB))
    assert current_fact(c).ceiling_state == "late"


def test_rebuild_equals_incremental_and_the_trigger_queues_every_event(actor):
    agency = f.AgencyFactory(responses_need_approval=False)
    c = actor.file(agency, at(2, 9))
    assert FactQueue.objects.filter(complaint_id=c.pk).exists()
    actor.verify(c, at(2, 10))
    facts_refresh_due(now=at(3))
    assert not FactQueue.objects.exists()
    before = list(ComplaintFact.objects.values())
    assert facts_rebuild(now=at(3)) == 1
    after = list(ComplaintFact.objects.values())
    strip = ("id", "refreshed_at")
    assert [{k: v for k, v in r.items() if k not in strip} for r in before] == [
        {k: v for k, v in r.items() if k not in strip} for r in after
    ]


def test_rebuild_leaves_fresh_planner_statistics(actor):
    from django.db import connection

    agency = f.AgencyFactory(responses_need_approval=False)
    for hour in (9, 10, 11):
        actor.file(agency, at(2, hour))
    facts_rebuild(now=at(3))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('reporting_complaintfact', 'reporting_dailyrollup')"
        )
        analyzed = dict(cur.fetchall())
    # -1: never analyzed (what a rebuilt table had until autovacuum came by)
    assert analyzed["reporting_complaintfact"] == 3
    assert analyzed["reporting_dailyrollup"] >= 0


def _comparable(rows):
    strip = ("id", "refreshed_at", "recheck_at")
    return sorted(
        ({k: v for k, v in r.items() if k not in strip} for r in rows),
        key=lambda r: (r["complaint_id"], r["stint"]),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_facts_equal_rebuilt_after_random_actions_and_sweeps(actor, seed):
    """Complaints moved at random through the services over two months, the clock sweep and
    the facts' beat pass run at random moments in between; the facts kept by the beat equal
    a rebuild from the events at the end."""
    import random

    from complaints.jobs.sla import sla_sweep
    from complaints.services.followups import complaint_close

    rng = random.Random(seed)
    wit = f.AgencyFactory(time_zone=TimeZone.WIT, responses_need_approval=False)
    wib = f.AgencyFactory(responses_need_approval=False)
    other = f.AgencyFactory(responses_need_approval=True)
    SlaPolicy.objects.create(name="WIB", agency=wib, first_response_days=3, verify_days=2)
    agencies = [wit, wib, other]
    moment = at(2, 8)
    complaints = []
    for _step in range(70):
        moment += dt.timedelta(hours=rng.choice([1, 3, 7, 19, 30]))
        if rng.random() < 0.25 or not complaints:
            complaints.append(actor.file(rng.choice(agencies), moment))
            continue
        if rng.random() < 0.15:
            sla_sweep(now=moment)
            facts_refresh_due(now=moment)
            continue
        c = rng.choice(complaints)
        c.refresh_from_db()
        moves = {
            Status.SUBMITTED: ["verify", "verify", "hold", "forward", "archive"],
            Status.NEEDS_INFO: ["supply"],
            Status.VERIFIED: ["answer", "forward", "archive"],
            Status.IN_PROGRESS: ["answer", "answer", "forward"],
            Status.AWAITING_REPORTER: ["accept", "object", "close"],
            Status.CLOSED: ["rate"],
        }.get(c.status, [])
        if not moves:
            continue
        move = rng.choice(moves)
        if move == "forward":
            target = rng.choice([a for a in agencies if a.pk != c.agency_id])
            actor.forward(c, target, moment)
        elif move == "close":
            complaint_close(complaint_id=c.pk, now=moment)
        elif move == "rate":
            if c.rating is None:
                actor.rate(c, rng.randint(1, 5), moment)
        else:
            getattr(actor, move)(c, moment)
    # The last pass runs without a clock sweep before it (whose escalation events would queue
    # every late complaint): the clocks that turned late since are found by their recheck.
    facts_refresh_due(now=moment)
    end = moment + dt.timedelta(days=rng.choice([2, 6, 9]))
    facts_refresh_due(now=end)
    incremental = _comparable(ComplaintFact.objects.values())
    facts_rebuild(now=end)
    rebuilt = _comparable(ComplaintFact.objects.values())
    assert len(rebuilt) >= len(complaints)
    assert incremental == rebuilt
    states = {r["response_state"] for r in rebuilt} | {r["verify_state"] for r in rebuilt}
    assert {"met", "running"} & states

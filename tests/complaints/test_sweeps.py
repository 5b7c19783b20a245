"""SLA sweep, follow-ups, outbox sweep and digest (complaints.sweeps), with frozen time.

The calendar used throughout: August 2026 in WIB. Thu 13 and Fri 14 are working days, Sat 15 and
Sun 16 the weekend, Mon 17 Independence Day (a national holiday), Tue 18 and Wed 19 working.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import services, sweeps
from complaints.models import (
    CalendarDay,
    Clock,
    Complaint,
    ComplaintEvent,
    Escalation,
    EventType,
    FollowUp,
    Notification,
    Response,
    Role,
    SlaPolicy,
    Status,
    SweepRun,
)
from focal_points.services.digests import daily_digest_send
from tests import factories as f
from tests.complaints.sweep_support import WIB, WIT, at, due_complaint, end_of

pytestmark = pytest.mark.usefixtures("fresh_calendar")


def escalations(c: Complaint) -> list[int]:
    return list(
        Escalation.objects.filter(complaint=c).order_by("level").values_list("level", flat=True)
    )


def recipients(c: Complaint, level: int) -> set[str]:
    """Who was told about the step: by its own message or in a digest of the batch."""
    from complaints.delivery import escalation_ids

    e = Escalation.objects.get(complaint=c, level=level)
    return {
        n.recipient
        for n in Notification.objects.filter(kind="escalation")
        if e.pk in escalation_ids(n)
    }


# ---------------------------------------------------------------------------------------------
# SLA sweep


def test_sweep_escalates_each_due_step_once_with_event_and_messages(org):
    # Given a submitted complaint whose verification fell due at the end of Thursday 13
    c = due_complaint(org["agency"], end_of(13))

    # When the sweep runs on Friday morning
    result = sweeps.sla_sweep(now=at(14))

    # Then the warning and the breach are recorded, in order, with one event each
    assert escalations(c) == [1, 2]
    assert result.escalations == 2
    c.refresh_from_db()
    assert c.escalation_level == 2
    events = ComplaintEvent.objects.filter(complaint=c, type=EventType.ESCALATED).order_by("id")
    assert [e.data["level"] for e in events] == [1, 2]
    assert all(not e.is_public and e.actor_label == "system" for e in events)
    assert events[0].data["escalation"] == Escalation.objects.get(complaint=c, level=1).pk
    # And each step notifies the people it names
    # (before routing there is no unit: the officer step goes to the verifiers; a person named
    # by two steps reached in the same sweep gets one message, about the highest)
    assert recipients(c, 1) == set()
    assert recipients(c, 2) == {"verifier@example.go.id", "approver@example.go.id"}
    e2 = Escalation.objects.get(complaint=c, level=2)
    assert (e2.clock, e2.cycle, e2.name, e2.due_at) == (Clock.VERIFY, 1, "breach", end_of(13))
    assert e2.deliver_after is None  # Friday 10:00 is within working hours

    # When it runs again (or overlaps itself), nothing is added
    again = sweeps.sla_sweep(now=at(14, 10, 5))
    assert again.escalations == again.events == again.notifications == 0
    assert Escalation.objects.count() == 2
    assert ComplaintEvent.objects.filter(type=EventType.ESCALATED).count() == 2
    assert Notification.objects.filter(kind="escalation").count() == 2
    assert SweepRun.objects.get(name=sweeps.SLA_SWEEP).last_success_at == at(14, 10, 5)


def test_officer_step_goes_to_the_assignee_when_someone_took_the_complaint(org):
    taken = due_complaint(org["agency"], end_of(14), unit=org["unit"], assignee=org["officer"])
    untaken = due_complaint(org["agency"], end_of(14), unit=org["unit"])

    sweeps.sla_sweep(now=at(13))  # one working day left: the warning only

    assert escalations(taken) == escalations(untaken) == [1]
    assert recipients(taken, 1) == {"officer@example.go.id"}
    assert recipients(untaken, 1) == {"officer@example.go.id", "officer2@example.go.id"}


def test_focal_point_and_coordinator_steps(org):
    # Due end of Tue 4 Aug; by Wed 12 Aug (6 whole working days later) every step is due.
    c = due_complaint(org["agency"], dt.datetime(2026, 8, 4, 23, 59, 59, tzinfo=WIB))

    sweeps.sla_sweep(now=at(12))

    assert escalations(c) == [1, 2, 3, 4]
    assert recipients(c, 3) == {"focal@example.go.id"}
    assert recipients(c, 4) == {"coordinator@example.go.id"}


def test_holiday_and_weekend_do_not_count(org):
    """Breach at the end of Thu 13; breach + 2 working days is reached only on Wed 19, because
    Sat 15, Sun 16 and Mon 17 (Independence Day) are not working days."""
    c = due_complaint(org["agency"], end_of(13))
    sweeps.sla_sweep(now=at(14))
    assert escalations(c) == [1, 2]

    for day in (15, 16, 17, 18):
        for hour in (0, 10, 23):
            sweeps.sla_sweep(now=at(day, hour))
            assert escalations(c) == [1, 2], f"escalated on 2026-08-{day} {hour}:00"

    sweeps.sla_sweep(now=at(19, 0, 1))
    assert escalations(c) == [1, 2, 3]


def test_local_non_working_day_counts_only_for_that_agency(org):
    # Given a local day off on Fri 14 for this agency only
    CalendarDay.objects.create(
        date=dt.date(2026, 8, 14),
        kind=CalendarDay.Kind.LOCAL,
        name="Hari jadi",
        agency=org["agency"],
    )
    other = f.AgencyFactory()
    mine = due_complaint(org["agency"], end_of(12))
    theirs = due_complaint(other, end_of(12))

    # On Tue 18 the other agency has had two whole working days since the breach (13, 14)
    sweeps.sla_sweep(now=at(18))

    assert escalations(theirs) == [1, 2, 3]
    assert escalations(mine) == [1, 2]


def test_escalation_outside_working_hours_is_delivered_next_working_morning(org):
    c = due_complaint(org["agency"], end_of(13))

    # Friday 20:00: the next working start is Tue 18 08:00 (weekend, then Independence Day)
    sweeps.sla_sweep(now=at(14, 20))

    e = Escalation.objects.get(complaint=c, level=2)
    assert e.deliver_after == at(18, 8)
    messages = Notification.objects.filter(kind="escalation")
    assert {m.not_before for m in messages} == {at(18, 8)}
    # The outbox leaves them alone until then, and takes them at that moment.
    assert sweeps.outbox_sweep(now=at(17, 23)) == []
    assert sorted(sweeps.outbox_sweep(now=at(18, 8))) == sorted(m.pk for m in messages)


def test_time_zone_of_the_agency_decides_working_hours(org):
    papua = f.AgencyFactory(time_zone="Asia/Jayapura")
    f.staff(papua, Role.VERIFIER, email="papua@example.go.id")
    c = due_complaint(papua, dt.datetime(2026, 8, 12, 23, 59, 59, tzinfo=WIT))

    # 07:30 WIB is 09:30 WIT: inside working hours in Jayapura.
    sweeps.sla_sweep(now=at(14, 7, 30))

    assert Escalation.objects.get(complaint=c, level=2).deliver_after is None


def test_catch_up_after_beat_was_down_is_in_order(org):
    # Given complaints that fell due while no sweep ran, created in a scrambled order
    dues = [end_of(5), end_of(3), end_of(10), end_of(4)]
    made = [due_complaint(org["agency"], d) for d in dues]

    # When the first sweep after the outage runs
    sweeps.sla_sweep(now=at(14), batch_size=2)

    # Then every missed step is recorded, oldest deadline first and levels ascending
    rows = list(Escalation.objects.order_by("id").values_list("due_at", "complaint_id", "level"))
    assert rows == sorted(rows)
    assert {complaint_id for _due, complaint_id, _level in rows} == {c.pk for c in made}
    assert all(escalations(c) == [1, 2, 3, 4] for c in made if c.current_due_at < end_of(6))
    events = ComplaintEvent.objects.filter(type=EventType.ESCALATED).order_by("id")
    assert [e.data["escalation"] for e in events] == sorted(e.data["escalation"] for e in events)


def test_batches_cover_everything_due(org):
    made = [due_complaint(org["agency"], end_of(13)) for _ in range(7)]

    result = sweeps.sla_sweep(now=at(14), batch_size=3)

    # three windows of the current clock, then one (empty) of the resolution clock and one of
    # the hard ceiling
    assert result.batches == 3 + 2
    assert result.examined == 7
    assert all(escalations(c) == [1, 2] for c in made)


def test_max_batches_stops_early_and_the_next_run_finishes(org):
    made = [due_complaint(org["agency"], end_of(13)) for _ in range(5)]

    first = sweeps.sla_sweep(now=at(14), batch_size=2, max_batches=1)
    assert first.more
    assert SweepRun.objects.get(name=sweeps.SLA_SWEEP).last_success_at is None

    sweeps.sla_sweep(now=at(14, 10, 1), batch_size=2)
    assert all(escalations(c) == [1, 2] for c in made)


def test_not_yet_due_closed_and_reporter_clocks_are_left_alone(org):
    early = due_complaint(org["agency"], end_of(20))
    waiting = due_complaint(org["agency"], end_of(10))
    Complaint.objects.filter(pk=waiting.pk).update(
        status=Status.NEEDS_INFO, current_clock=Clock.REPORTER_INFO
    )
    closed = due_complaint(org["agency"], end_of(10))
    Complaint.objects.filter(pk=closed.pk).update(status=Status.CLOSED, current_clock="")

    sweeps.sla_sweep(now=at(14))

    assert Escalation.objects.count() == 0
    assert not escalations(early)
    assert not escalations(waiting)
    assert not escalations(closed)


def test_new_clock_cycle_escalates_again(org):
    c = due_complaint(org["agency"], end_of(13), unit=org["unit"])
    sweeps.sla_sweep(now=at(14))
    # A forward or objection restarts the response clock: cycle 2, level back to 0.
    Complaint.objects.filter(pk=c.pk).update(
        clock_cycle=2, escalation_level=0, current_due_at=end_of(18)
    )

    sweeps.sla_sweep(now=at(19))

    cycles = set(Escalation.objects.filter(complaint=c).values_list("cycle", "level"))
    assert cycles == {(1, 1), (1, 2), (2, 1), (2, 2)}


def test_agency_and_category_policies_pick_their_own_ladder(org):
    SlaPolicy.objects.create(name="nasional")
    strict = f.AgencyFactory()
    f.staff(strict, Role.FOCAL_POINT, email="strict-focal@example.go.id")
    SlaPolicy.objects.create(
        name="ketat",
        agency=strict,
        escalation_ladder=[
            {"level": 1, "name": "breach", "offset_days": 0, "notify": ["focal_point"]}
        ],
    )
    category = f.CategoryFactory(agency=org["agency"])
    SlaPolicy.objects.create(
        name="kategori",
        agency=org["agency"],
        category=category,
        escalation_ladder=[
            {"level": 1, "name": "late", "offset_days": 1, "notify": ["verifier"]},
        ],
    )
    default = due_complaint(org["agency"], end_of(13))
    strict_c = due_complaint(strict, end_of(13))
    by_category = due_complaint(org["agency"], end_of(13), category=category)

    sweeps.sla_sweep(now=at(14))

    assert escalations(default) == [1, 2]
    assert escalations(strict_c) == [1]
    assert Escalation.objects.get(complaint=strict_c).name == "breach"
    assert recipients(strict_c, 1) == {"strict-focal@example.go.id"}
    assert escalations(by_category) == []  # one whole working day after the breach: Tue 18
    sweeps.sla_sweep(now=at(19))
    assert escalations(by_category) == [1]
    assert recipients(by_category, 1) == {"verifier@example.go.id"}


def test_triage_complaints_escalate_to_national_admins(db):
    admin = f.UserFactory(email="admin@example.go.id", is_national_admin=True)
    c = due_complaint(None, end_of(13))

    sweeps.sla_sweep(now=at(14))

    assert escalations(c) == [1, 2]
    assert recipients(c, 2) == {admin.email}


def test_due_pairs_match_what_the_sweep_writes(org):
    for due in (end_of(13), end_of(10), end_of(14), end_of(24)):
        due_complaint(org["agency"], due)
    pairs = sweeps.sla_due_pairs(now=at(14))

    sweeps.sla_sweep(now=at(14))

    written = list(Escalation.objects.order_by("id").values_list("complaint_id", "clock", "level"))
    assert written == pairs


def test_set_based_sweep_and_per_complaint_service_write_the_same_rows(org):
    from complaints.delivery import escalation_ids

    bulk = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    single = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    sweeps.sla_sweep(now=at(14))
    Escalation.objects.filter(complaint=single).delete()
    ComplaintEvent.objects.filter(complaint=single, type=EventType.ESCALATED).delete()
    Complaint.objects.filter(pk=single.pk).update(escalation_level=0)

    for level in (1, 2, 3):
        sweeps.complaint_escalate_step(
            complaint_id=single.pk, clock=Clock.RESPONSE, cycle=1, level=level, now=at(14)
        )

    def shape(c):
        return (
            [
                (e.clock, e.cycle, e.level, e.name, e.due_at)
                for e in c.escalations.order_by("level")
            ],
            sorted(
                (n.recipient, n.not_before)
                for n in Notification.objects.filter(kind="escalation")
                if set(escalation_ids(n)) & set(c.escalations.values_list("pk", flat=True))
            ),
            sorted(
                (e.data["level"], e.actor_label, e.is_public)
                for e in c.events.filter(type=EventType.ESCALATED)
            ),
        )

    single.refresh_from_db()
    bulk.refresh_from_db()
    assert shape(single) == shape(bulk)
    assert single.escalation_level == bulk.escalation_level == 2


def test_service_escalation_returns_none_when_the_step_exists(org):
    c = due_complaint(org["agency"], end_of(13))
    sweeps.sla_sweep(now=at(14))

    again = services.complaint_escalate(
        complaint_id=c.pk, clock=Clock.VERIFY, cycle=1, level=2, due_at=end_of(13), now=at(14)
    )

    assert again is None
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.ESCALATED).count() == 2


def test_the_partial_indexes_name_exactly_the_open_statuses():
    from complaints.models import OPEN_STATUS_VALUES, OPEN_STATUSES

    assert set(OPEN_STATUS_VALUES) == {s.value for s in OPEN_STATUSES}
    assert len(OPEN_STATUS_VALUES) == len(OPEN_STATUSES)


# The resolution clock and the hard ceiling ----------------------------------------------------


def _clocks(c: Complaint) -> list[tuple[str, int, int]]:
    return list(
        Escalation.objects.filter(complaint=c)
        .order_by("clock", "level")
        .values_list("clock", "cycle", "level")
    )


def test_resolution_clock_escalates_beside_the_response_clock(org):
    # Given a complaint in progress whose first response is not due for a week, but whose
    # resolution deadline passed at the end of Thursday 13
    c = due_complaint(org["agency"], end_of(24), unit=org["unit"], assignee=org["officer"])
    Complaint.objects.filter(pk=c.pk).update(
        resolution_due_at=end_of(13), hard_ceiling_at=end_of(31)
    )

    result = sweeps.sla_sweep(now=at(14))

    # Then the resolution clock climbs its own ladder (cycle 0: it never restarts) ...
    assert _clocks(c) == [(Clock.RESOLUTION, 0, 1), (Clock.RESOLUTION, 0, 2)]
    assert result.escalations == result.events == 2
    c.refresh_from_db()
    assert (c.resolution_escalation_level, c.escalation_level, c.ceiling_escalation_level) == (
        2,
        0,
        0,
    )
    # ... with a timeline event naming the clock, and the people each step names
    events = ComplaintEvent.objects.filter(complaint=c, type=EventType.ESCALATED)
    assert {e.data["clock"] for e in events} == {Clock.RESOLUTION}
    assert recipients(c, 1) == {"officer@example.go.id"}
    assert recipients(c, 2) == {"verifier@example.go.id", "approver@example.go.id"}

    # And a second sweep writes nothing more
    again = sweeps.sla_sweep(now=at(14, 10, 5))
    assert again.escalations == again.events == again.notifications == 0


def test_resolution_clock_waits_while_the_answer_is_with_the_reporter(org):
    c = due_complaint(org["agency"], end_of(24), unit=org["unit"])
    Complaint.objects.filter(pk=c.pk).update(
        status=Status.AWAITING_REPORTER,
        current_clock=Clock.REPORTER_REPLY,
        resolution_due_at=end_of(10),
    )

    sweeps.sla_sweep(now=at(14))

    assert _clocks(c) == []


def test_hard_ceiling_escalates_in_every_open_status_but_not_once_closed(org):
    waiting = due_complaint(org["agency"], end_of(24), unit=org["unit"])
    Complaint.objects.filter(pk=waiting.pk).update(
        status=Status.AWAITING_REPORTER,
        current_clock=Clock.REPORTER_REPLY,
        current_due_at=end_of(24),
        hard_ceiling_at=end_of(13),
    )
    closed = due_complaint(org["agency"], end_of(24), unit=org["unit"])
    Complaint.objects.filter(pk=closed.pk).update(
        status=Status.CLOSED, current_clock="", current_due_at=None, hard_ceiling_at=end_of(10)
    )

    sweeps.sla_sweep(now=at(19))

    # Thursday 13 + 2 working days ends on Tuesday 18 (Monday 17 is a holiday): on Wednesday
    # the agency focal point's step is reached
    assert _clocks(waiting) == [
        (Clock.HARD_CEILING, 0, 1),
        (Clock.HARD_CEILING, 0, 2),
        (Clock.HARD_CEILING, 0, 3),
    ]
    waiting.refresh_from_db()
    assert waiting.ceiling_escalation_level == 3
    assert recipients(waiting, 3) == {"focal@example.go.id"}
    assert _clocks(closed) == []


def test_three_clocks_due_at_once_each_escalate_once(org):
    # The response and resolution deadlines are capped at the ceiling: all three can fall due
    # together, and each climbs its own ladder.
    c = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    Complaint.objects.filter(pk=c.pk).update(
        resolution_due_at=end_of(13), hard_ceiling_at=end_of(13)
    )

    first = sweeps.sla_sweep(now=at(14))
    second = sweeps.sla_sweep(now=at(14, 11))

    assert first.escalations == 6
    assert second.escalations == 0
    assert {clock for clock, _cycle, _level in _clocks(c)} == {
        Clock.RESPONSE,
        Clock.RESOLUTION,
        Clock.HARD_CEILING,
    }
    assert sweeps.sla_due_pairs(now=at(14, 11)) == []


def test_per_complaint_path_and_portable_sweep_escalate_the_side_clocks_alike(org):
    from complaints import sweeps_portable

    def make():
        c = due_complaint(org["agency"], end_of(24), unit=org["unit"], assignee=org["officer"])
        Complaint.objects.filter(pk=c.pk).update(
            resolution_due_at=end_of(13), hard_ceiling_at=end_of(13)
        )
        return c

    bulk, portable, single = make(), make(), make()
    sweeps.sla_sweep(now=at(14))
    # The set-based sweep wrote all three; redo two of them by the other paths.
    for c in (portable, single):
        Escalation.objects.filter(complaint=c).delete()
        ComplaintEvent.objects.filter(complaint=c, type=EventType.ESCALATED).delete()
        Notification.objects.filter(complaint=c, kind="escalation").delete()
        Complaint.objects.filter(pk=c.pk).update(
            resolution_escalation_level=0, ceiling_escalation_level=0
        )
    Complaint.objects.filter(pk=single.pk).update(
        resolution_escalation_level=2, ceiling_escalation_level=2
    )
    sweeps_portable.sla_sweep(now=at(14))
    Complaint.objects.filter(pk=single.pk).update(
        resolution_escalation_level=0, ceiling_escalation_level=0
    )
    for clock in (Clock.RESOLUTION, Clock.HARD_CEILING):
        for level in (1, 2, 3):
            # The cycle given is ignored: these clocks never restart.
            sweeps.complaint_escalate_step(
                complaint_id=single.pk, clock=clock, cycle=7, level=level, now=at(14)
            )

    def shape(c):
        c.refresh_from_db()
        return (
            _clocks(c),
            (c.resolution_escalation_level, c.ceiling_escalation_level),
            sorted(
                (e.data["clock"], e.data["level"])
                for e in c.events.filter(type=EventType.ESCALATED)
            ),
        )

    assert shape(bulk) == shape(portable) == shape(single)
    assert shape(bulk)[1] == (2, 2)


def _resolution_steps(c: Complaint) -> list[tuple[int, int, str]]:
    return list(
        Escalation.objects.filter(complaint=c, clock=Clock.RESOLUTION)
        .order_by("level", "cycle")
        .values_list("cycle", "level", "name")
    )


@pytest.mark.parametrize("path", ["set_based", "portable"])
def test_a_second_objection_raises_the_resolution_level_and_the_sweep_climbs_on_from_it(org, path):
    from complaints import sweeps_portable

    sweep = sweeps.sla_sweep if path == "set_based" else sweeps_portable.sla_sweep
    # given an answered complaint, objected to once, whose resolution deadline is the end of
    # Thursday 13
    c = due_complaint(org["agency"], end_of(31), unit=org["unit"], assignee=org["officer"])
    Complaint.objects.filter(pk=c.pk).update(
        status=Status.AWAITING_REPORTER,
        current_clock=Clock.REPORTER_REPLY,
        current_due_at=end_of(26),
        reporter_reply_due_at=end_of(26),
        resolution_due_at=end_of(13),
        hard_ceiling_at=dt.datetime(2026, 9, 30, 23, 59, 59, tzinfo=WIB),
        reopen_count=1,
    )

    # when the reporter objects a second time on Wednesday 12
    services.complaint_reporter_object(complaint_id=c.pk, reason="Masih belum.", now=at(12))

    # then the focal point's step of the resolution clock is reached, the complaint counts as
    # escalated (is_escalated, the queue's and board's flag), and the timeline names why
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert c.resolution_escalation_level == 3
    assert c.is_escalated is True
    assert _resolution_steps(c) == [(2, 3, "second_objection")]
    assert recipients(c, 3) == {"focal@example.go.id"}

    # and the sweeps on the resolution ladder's own days (warning, breach, breach + 2 HK) do
    # not send its lower steps or the focal point's step again
    for day in (13, 14, 19):
        sweep(now=at(day))
    assert _resolution_steps(c) == [(2, 3, "second_objection")]
    to_focal = Notification.objects.filter(complaint=c, recipient="focal@example.go.id")
    assert to_focal.count() == 1

    # but the coordinator's step (breach + 5 HK: Monday 24) comes once, on cycle 0
    sweep(now=at(24))
    sweep(now=at(24, 11))
    assert _resolution_steps(c) == [(2, 3, "second_objection"), (0, 4, "breach_5")]
    c.refresh_from_db()
    assert c.resolution_escalation_level == 4


@pytest.mark.parametrize("path", ["set_based", "portable"])
def test_a_person_named_by_several_steps_reached_at_once_gets_one_message(org, path):
    from complaints import sweeps_portable
    from complaints.models import Membership

    # The verifier is also the agency's focal point: named by the breach step (verifiers and
    # approvers) and by breach + 2 HK (focal points).
    Membership.objects.create(user=org["verifier"], agency=org["agency"], role=Role.FOCAL_POINT)
    c = due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=org["officer"])
    sweep = sweeps.sla_sweep if path == "set_based" else sweeps_portable.sla_sweep

    result = sweep(now=at(19))

    assert escalations(c) == [1, 2, 3]
    to_verifier = Notification.objects.filter(complaint=c, recipient="verifier@example.go.id")
    assert to_verifier.count() == 1
    # about the highest step that names them, with the escalation in the payload
    level3 = Escalation.objects.get(complaint=c, level=3)
    assert to_verifier.get().cause_key == f"escalation:{level3.pk}"
    assert to_verifier.get().payload == {"escalation": level3.pk}
    assert recipients(c, 3) == {"verifier@example.go.id", "focal@example.go.id"}
    assert recipients(c, 2) == {"approver@example.go.id"}
    assert recipients(c, 1) == {"officer@example.go.id"}
    assert result.notifications == 4


# Query counts ---------------------------------------------------------------------------------


def _sweep_queries(now: dt.datetime) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        sweeps.sla_sweep(now=now)
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("n", [1, 12])
def test_sla_sweep_query_count_does_not_grow_with_due_complaints(org, n, django_assert_num_queries):
    for i in range(n):
        assignee = org["officer"] if i % 2 == 0 else None
        due_complaint(org["agency"], end_of(13), unit=org["unit"], assignee=assignee)
    # 1 sweep-run upsert (started)
    # 4 plan: policies, agencies, memberships, national admins (calendar days: 5-minute cache)
    # the current clock: 1 SAVEPOINT; the batch: enable_sort off, window, enable_sort on,
    # guarded level update, escalations, assignees' emails, events, digests added to,
    # messages; 1 RELEASE
    # the resolution clock and the hard ceiling, nothing due: SAVEPOINT, enable_sort off,
    # window, enable_sort on, RELEASE (5 each)
    # 1 sweep-run upsert (success)
    with django_assert_num_queries(1 + 4 + 11 + 2 * 5 + 1):
        result = sweeps.sla_sweep(now=at(14))
    assert result.escalations == 2 * n
    # One message per recipient for the batch (a digest when it names several complaints):
    # the assignee, the verifier and the approver, and the unit's other officer once an
    # untaken complaint is in it.
    assert result.notifications == (3 if n == 1 else 4)


# ---------------------------------------------------------------------------------------------
# Follow-ups


def _run_followups(now: dt.datetime, django_capture_on_commit_callbacks) -> list[FollowUp]:
    with django_capture_on_commit_callbacks(execute=False):
        ids = sweeps.followups_sweep(now=now)
    done = [sweeps.followup_send(followup_id=pk, now=now) for pk in ids]
    # A second delivery of every task is a no-op.
    assert [sweeps.followup_send(followup_id=pk, now=now) for pk in ids] == [None] * len(ids)
    return [d for d in done if d is not None]


def _hold(c: Complaint, verifier, now: dt.datetime) -> Complaint:
    return services.complaint_hold_for_info(
        complaint_id=c.pk, actor=verifier, message="Lampirkan foto struk.", now=now
    )


def test_reporter_reminded_after_5_working_days_then_archived_after_10(
    org, django_capture_on_commit_callbacks
):
    # Held for information on Mon 3 Aug: 10 working days run to the end of Tue 18 (Mon 17 is
    # a holiday); the reminder is due after 5 working days, on Mon 10.
    c = f.complaint(org["agency"], now=dt.datetime(2026, 8, 3, 9, tzinfo=WIB))
    c = _hold(c, org["verifier"], dt.datetime(2026, 8, 3, 9, 30, tzinfo=WIB))
    assert c.reporter_info_due_at == end_of(18)

    assert _run_followups(at(7), django_capture_on_commit_callbacks) == []
    reminded = _run_followups(at(10), django_capture_on_commit_callbacks)
    assert [(r.kind, r.due_on, r.state) for r in reminded] == [
        (FollowUp.Kind.INFO_REMINDER, dt.date(2026, 8, 10), FollowUp.State.SENT)
    ]
    message = Notification.objects.get(kind="info_reminder")
    assert message.recipient == "budi@example.com"
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.REMINDER_SENT).count() == 1
    assert _run_followups(at(11), django_capture_on_commit_callbacks) == []

    assert _run_followups(at(18, 23), django_capture_on_commit_callbacks) == []
    archived = _run_followups(at(19, 0, 5), django_capture_on_commit_callbacks)
    assert [r.kind for r in archived] == [FollowUp.Kind.INFO_ARCHIVE]
    c.refresh_from_db()
    assert c.status == Status.ARCHIVED
    assert Notification.objects.filter(kind="archived", complaint=c).count() == 1


def test_info_supplied_in_time_cancels_nothing_and_sends_nothing_more(
    org, django_capture_on_commit_callbacks
):
    c = f.complaint(org["agency"], now=dt.datetime(2026, 8, 3, 9, tzinfo=WIB))
    _hold(c, org["verifier"], dt.datetime(2026, 8, 3, 9, 30, tzinfo=WIB))
    with django_capture_on_commit_callbacks(execute=False):
        ids = sweeps.followups_sweep(now=at(10))
    # The reporter answers before the task runs: the reminder is cancelled, not sent.
    services.complaint_supply_info(complaint_id=c.pk, body="Terlampir.", now=at(10, 10, 1))
    followup = sweeps.followup_send(followup_id=ids[0], now=at(10, 10, 2))
    assert followup.state == FollowUp.State.CANCELLED
    assert not Notification.objects.filter(kind="info_reminder").exists()


def _answered(org, published: dt.datetime) -> Complaint:
    c = f.complaint(org["agency"], now=published - dt.timedelta(days=3))
    services.complaint_verify(complaint_id=c.pk, actor=org["verifier"], now=published)
    services.complaint_route(complaint_id=c.pk, actor=org["verifier"], unit=org["unit"])
    services.complaint_take(complaint_id=c.pk, actor=org["officer"])
    r = services.response_draft(complaint_id=c.pk, actor=org["officer"], body="Sudah ditangani.")
    services.response_approve(response_id=r.pk, actor=org["approver"], now=published)
    services.response_publish(response_id=r.pk, actor=org["approver"], now=published)
    c.refresh_from_db()
    return c


def test_close_reminder_then_auto_close_then_rating_request(
    org, django_capture_on_commit_callbacks
):
    # Answered Mon 3 Aug: the reporter has until the end of Tue 18 (Mon 17 is a holiday);
    # reminded 2 working days before (Thu 13), closed on Wed 19, asked for a rating on the
    # next working day (Thu 20).
    c = _answered(org, dt.datetime(2026, 8, 3, 9, tzinfo=WIB))
    assert c.reporter_reply_due_at == end_of(18)

    assert _run_followups(at(12, 23), django_capture_on_commit_callbacks) == []
    reminded = _run_followups(at(13, 8), django_capture_on_commit_callbacks)
    assert [r.kind for r in reminded] == [FollowUp.Kind.CLOSE_REMINDER]
    assert Notification.objects.filter(kind="close_reminder", complaint=c).count() == 1

    assert _run_followups(at(18, 23), django_capture_on_commit_callbacks) == []
    closed = _run_followups(at(19, 0, 5), django_capture_on_commit_callbacks)
    assert [r.kind for r in closed] == [FollowUp.Kind.AUTO_CLOSE]
    c.refresh_from_db()
    assert c.status == Status.CLOSED
    assert c.events.filter(type=EventType.CLOSED, data__reason="auto").count() == 1

    assert _run_followups(at(19, 15), django_capture_on_commit_callbacks) == []
    asked = _run_followups(at(20, 8), django_capture_on_commit_callbacks)
    assert [r.kind for r in asked] == [FollowUp.Kind.RATING_REQUEST]
    assert Notification.objects.filter(kind="rating_request", complaint=c).count() == 1
    assert _run_followups(at(21), django_capture_on_commit_callbacks) == []


def test_rated_complaint_gets_no_rating_request(org, django_capture_on_commit_callbacks):
    c = _answered(org, dt.datetime(2026, 8, 3, 9, tzinfo=WIB))
    services.complaint_reporter_accept(complaint_id=c.pk, now=at(4))
    services.complaint_rate(complaint_id=c.pk, rating=4, now=at(4, 11))

    assert _run_followups(at(6), django_capture_on_commit_callbacks) == []


def test_approvers_reminded_of_drafts_once_per_working_day(
    org, django_capture_on_commit_callbacks, time_machine
):
    c = f.complaint(org["agency"], now=at(10, 9))
    services.complaint_verify(complaint_id=c.pk, actor=org["verifier"], now=at(10, 9))
    time_machine.move_to(at(12, 9))
    services.response_draft(complaint_id=c.pk, actor=org["verifier"], body="Draf jawaban.")

    assert _run_followups(at(12, 15), django_capture_on_commit_callbacks) == []
    first = _run_followups(at(13, 9), django_capture_on_commit_callbacks)
    assert [r.kind for r in first] == [FollowUp.Kind.DRAFT_REMINDER]
    assert set(
        Notification.objects.filter(kind="draft_reminder").values_list("recipient", flat=True)
    ) == {"approver@example.go.id"}
    assert _run_followups(at(13, 11), django_capture_on_commit_callbacks) == []
    assert _run_followups(at(15, 10), django_capture_on_commit_callbacks) == []  # Saturday
    assert _run_followups(at(17, 10), django_capture_on_commit_callbacks) == []  # holiday
    again = _run_followups(at(18, 9), django_capture_on_commit_callbacks)
    assert [r.due_on for r in again] == [dt.date(2026, 8, 18)]
    assert Response.objects.filter(state=Response.State.DRAFT).count() == 1


@pytest.mark.parametrize("n", [1, 6])
def test_followups_sweep_query_count_does_not_grow(
    org, n, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(n):
        c = f.complaint(org["agency"], now=dt.datetime(2026, 8, 3, 9, tzinfo=WIB))
        _hold(c, org["verifier"], dt.datetime(2026, 8, 3, 9, 30, tzinfo=WIB))
        _answered(org, dt.datetime(2026, 8, 3, 9, tzinfo=WIB))
    # 1 sweep-run upsert; 2 plan (policies, agencies + calendar rows); 4 candidate scans
    # (waiting, answered, closed, drafts); SAVEPOINT, insert, stale pending, RELEASE;
    # 1 sweep-run upsert
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        django_assert_num_queries(12),
    ):
        ids = sweeps.followups_sweep(now=at(13, 9))
    assert len(ids) == 2 * n
    assert len(callbacks) == 1


def test_followup_final_failure_is_recorded(org):
    c = f.complaint(org["agency"], now=at(3))
    followup = FollowUp.objects.create(
        complaint=c, kind=FollowUp.Kind.INFO_REMINDER, due_on=dt.date(2026, 8, 10)
    )
    assert sweeps.followup_fail(followup_id=followup.pk) == 1
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.FAILED
    assert sweeps.followup_send(followup_id=followup.pk) is None


# ---------------------------------------------------------------------------------------------
# Outbox sweep


def _message(c: Complaint | None = None, **kwargs) -> Notification:
    defaults = {
        "recipient": "warga@example.com",
        "kind": "receipt",
        "cause_key": f"test:{Notification.objects.count()}",
        "subject": "Subjek",
        "body": "Isi",
        "created_at": at(14, 9),
    }
    defaults.update(kwargs)
    return Notification.objects.create(complaint=c, **defaults)


def test_outbox_sweep_requeues_lost_and_stuck_rows_only(db, django_capture_on_commit_callbacks):
    lost = _message(created_at=at(14, 9))
    fresh = _message(created_at=at(14, 9, 59))
    queued_recently = _message(created_at=at(14, 9), leased_at=at(14, 9, 55))
    queued_long_ago = _message(created_at=at(14, 8), leased_at=at(14, 9, 30))
    stuck = _message(state=Notification.State.SENDING, leased_at=at(14, 9, 40), attempts=1)
    busy = _message(state=Notification.State.SENDING, leased_at=at(14, 9, 55), attempts=1)
    sent = _message(state=Notification.State.SENT, created_at=at(14, 8))
    deferred = _message(created_at=at(14, 8), not_before=at(18, 8))
    worn_out = _message(created_at=at(14, 8), attempts=sweeps.OUTBOX_MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = sweeps.outbox_sweep(now=at(14, 10))

    assert sorted(ids) == sorted([lost.pk, queued_long_ago.pk, stuck.pk])
    assert len(callbacks) == 1
    for row in (lost, queued_long_ago, stuck):
        row.refresh_from_db()
        assert (row.state, row.leased_at) == (Notification.State.PENDING, at(14, 10))
    for row in (fresh, queued_recently, busy, sent, deferred):
        before = (row.state, row.leased_at)
        row.refresh_from_db()
        assert (row.state, row.leased_at) == before
    worn_out.refresh_from_db()
    assert worn_out.state == Notification.State.FAILED
    # Leased now: the next minute's sweep does not queue them again.
    # The fresh row's own message had two minutes to arrive; now the sweep takes it too.
    with django_capture_on_commit_callbacks(execute=False):
        assert sweeps.outbox_sweep(now=at(14, 10, 1)) == [fresh.pk]


@pytest.mark.parametrize("n", [1, 9])
def test_outbox_sweep_query_count(
    db, n, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(n):
        _message()
    # sweep-run upsert; SAVEPOINT; give up worn-out rows; lease due rows; RELEASE; upsert
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(6):
        assert len(sweeps.outbox_sweep(now=at(14, 10))) == n


def test_outbox_sweep_batches(db, django_capture_on_commit_callbacks):
    for _ in range(5):
        _message()
    with django_capture_on_commit_callbacks(execute=False):
        first = sweeps.outbox_sweep(now=at(14, 10), batch_size=3)
        second = sweeps.outbox_sweep(now=at(14, 10), batch_size=3)
    assert len(first) == 3
    assert len(second) == 2
    assert not set(first) & set(second)


# ---------------------------------------------------------------------------------------------
# Daily digest


def test_daily_digest_per_focal_point_once_a_day(org, django_capture_on_commit_callbacks):
    other = f.AgencyFactory()
    f.staff(other, Role.FOCAL_POINT, email="other-focal@example.go.id")
    late = due_complaint(org["agency"], end_of(12), unit=org["unit"])
    due_complaint(org["agency"], end_of(20))  # not overdue
    Complaint.objects.filter(pk=due_complaint(org["agency"], end_of(3)).pk).update(
        status=Status.CLOSED
    )

    with django_capture_on_commit_callbacks(execute=False):
        ids = daily_digest_send(now=at(14, 7))
        assert daily_digest_send(now=at(14, 7, 30)) == []
        weekend = daily_digest_send(now=at(15, 7))

    digests = Notification.objects.filter(pk__in=ids).order_by("recipient")
    # The agency focal point and the coordinator (whose group includes the agency) get one;
    # the other agency's focal point has nothing overdue.
    assert [d.recipient for d in digests] == ["coordinator@example.go.id", "focal@example.go.id"]
    body = digests[0].body
    assert late.display_tracking_number in body
    assert weekend == []


def test_digest_query_count_grows_per_focal_point_not_per_complaint(
    org, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(3):
        due_complaint(org["agency"], end_of(12))
    # upsert; memberships; per focal point (2): list, SAVEPOINT, insert, RELEASE; upsert
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(11):
        daily_digest_send(now=at(14, 7))


def test_sla_sweep_command_runs_one_sweep_now_and_records_it(org):
    # Given a complaint whose verification fell due two weeks ago
    c = due_complaint(org["agency"], timezone.now() - dt.timedelta(days=14))
    out = io.StringIO()

    # When an operator (or `make run` at start) runs the sweep by hand, twice
    call_command("sla_sweep", stdout=out)
    call_command("sla_sweep", stdout=out)

    # Then it escalated, once, and the health check sees a successful sweep
    assert escalations(c)
    assert SweepRun.objects.get(name=sweeps.SLA_SWEEP).last_success_at is not None
    first, second = out.getvalue().strip().splitlines()
    assert f"{len(escalations(c))} escalations" in first
    assert "0 escalations, 0 messages" in second

"""Scope of both kinds of focal point, the board's clock-state counts and their query
counts at 1 and N agencies and complaints."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.clock import WorkingCalendar
from complaints.models import Complaint, Escalation, SlaPolicy, Status
from complaints.services import escalation_step_roles
from focal_points import selectors
from tests.factories import AgencyFactory, CategoryFactory, UserFactory
from tests.focal_points.helpers import make_world, open_complaint

pytestmark = pytest.mark.django_db


def test_agency_focal_point_scope_is_their_agency():
    w = make_world()
    scope = selectors.focal_scope_for(actor=w.focal_a)
    assert scope.kind == "agency"
    assert scope.agency_ids == [w.a.pk]


def test_coordinator_scope_is_the_group_and_nothing_else():
    w = make_world()
    scope = selectors.focal_scope_for(actor=w.coordinator)
    assert scope.kind == "coordinator"
    assert set(scope.agency_ids) == {w.a.pk, w.b.pk}
    mine_a = open_complaint(w.a, unit=w.a1)
    mine_b = open_complaint(w.b)
    open_complaint(w.c)
    listed = set(selectors.board_complaint_list(scope=scope).values_list("pk", flat=True))
    assert listed == {mine_a.pk, mine_b.pk}


def test_other_staff_have_no_focal_scope():
    w = make_world()
    assert selectors.focal_scope_for(actor=w.officer_a1).is_empty
    assert selectors.focal_scope_for(actor=UserFactory()).is_empty
    admin = UserFactory(is_national_admin=True)
    assert set(selectors.focal_scope_for(actor=admin).agency_ids) >= {w.a.pk, w.b.pk, w.c.pk}


def test_board_counts_each_clock_state_per_unit():
    # given complaints of agency A in every clock state
    w = make_world()
    now = timezone.now()
    soon = selectors.due_soon_threshold(now)
    open_complaint(w.a, unit=w.a1, due=now + dt.timedelta(days=30))  # on track
    open_complaint(w.a, unit=w.a1, status=Status.AWAITING_REPORTER, due=now - dt.timedelta(1))
    open_complaint(w.a, unit=w.a1, due=soon - dt.timedelta(minutes=1))  # due soon
    open_complaint(w.a, unit=w.a2, due=now - dt.timedelta(days=2), level=2)  # overdue
    open_complaint(w.a, status=Status.SUBMITTED, due=now - dt.timedelta(days=1))  # overdue
    open_complaint(w.a, unit=w.a2, due=now - dt.timedelta(days=9), level=3)  # escalated
    open_complaint(w.a, unit=w.a2, status=Status.CLOSED, due=None)  # not open
    open_complaint(w.c, due=now - dt.timedelta(days=9))  # another agency

    # when the agency focal point's board is computed
    board = selectors.board_counts(scope=selectors.focal_scope_for(actor=w.focal_a), now=now)

    # then the rows are the agency level and its units, with one state per complaint
    assert board.by_unit
    rows = {(r.unit.pk if r.unit else None): r for r in board.rows}
    states = ("on_track", "due_soon", "overdue", "escalated")
    assert [getattr(rows[w.a1.pk], s) for s in states] == [2, 1, 0, 0]
    assert [getattr(rows[w.a2.pk], s) for s in states] == [0, 0, 1, 1]
    assert [getattr(rows[None], s) for s in states] == [0, 0, 1, 0]
    assert board.total.total == 6


def test_board_for_coordinator_is_per_agency_with_empty_agencies_shown():
    w = make_world()
    now = timezone.now()
    open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=1))
    board = selectors.board_counts(scope=selectors.focal_scope_for(actor=w.coordinator), now=now)
    assert not board.by_unit
    rows = {r.agency.pk: r for r in board.rows}
    assert set(rows) == {w.a.pk, w.b.pk}
    assert (rows[w.a.pk].overdue, rows[w.b.pk].total) == (1, 0)


def test_clock_filter_matches_board_columns():
    w = make_world()
    now = timezone.now()
    late = open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=3))
    open_complaint(w.a, unit=w.a1, due=now + dt.timedelta(days=30))
    scope = selectors.focal_scope_for(actor=w.focal_a)
    listed = selectors.board_complaint_list(scope=scope, filters={"clock": ["overdue"]}, now=now)
    assert [c.pk for c in listed] == [late.pk]


def test_list_is_oldest_deadline_first_and_masks_anonymous_reporters():
    w = make_world()
    now = timezone.now()
    newer = open_complaint(w.a, due=now - dt.timedelta(days=1))
    older = open_complaint(w.a, due=now - dt.timedelta(days=5), is_anonymous=True)
    scope = selectors.focal_scope_for(actor=w.coordinator)
    listed = list(selectors.board_complaint_list(scope=scope, now=now))
    assert [c.pk for c in listed] == [older.pk, newer.pk]
    assert listed[0].reporter_name == ""
    assert listed[0].identity_masked


def _escalate(c, *levels, clock="response"):
    now = timezone.now()
    return [
        Escalation.objects.create(complaint=c, clock=clock, level=lv, due_at=now, created_at=now)
        for lv in levels
    ]


def test_escalations_awaiting_are_scoped_and_addressed_to_the_reader():
    # given every default ladder step on a complaint of A and the focal steps on C's
    w = make_world()
    mine = open_complaint(w.a, level=4)
    other = open_complaint(w.c, level=4)
    _escalate(mine, 1, 2, 3, 4)
    _escalate(other, 3, 4)

    def awaiting(user):
        rows, total = selectors.escalations_awaiting(scope=selectors.focal_scope_for(actor=user))
        assert total == len(rows)
        return [(e.complaint_id, e.level) for e in rows]

    # then the coordinator sees only the coordinator step, A's focal point only the focal
    # point step, and nobody sees the officer and verifier steps or another agency's
    assert awaiting(w.coordinator) == [(mine.pk, 4)]
    assert awaiting(w.focal_a) == [(mine.pk, 3)]
    assert awaiting(w.focal_c) == [(other.pk, 3)]
    admin = UserFactory(is_national_admin=True)
    assert sorted(awaiting(admin)) == sorted(
        [(mine.pk, 3), (mine.pk, 4), (other.pk, 3), (other.pk, 4)]
    )


def test_escalations_awaiting_follow_each_complaints_ladder():
    # given A's own policy addressing its focal point at level 2, and a category policy
    # addressing the coordinator at level 1
    w = make_world()
    ladder_a = [
        {"level": 1, "name": "warning", "offset_days": -1, "notify": ["officer"]},
        {"level": 2, "name": "breach", "offset_days": 0, "notify": ["focal_point"]},
    ]
    SlaPolicy.objects.create(name="A", agency=w.a, escalation_ladder=ladder_a)
    category = CategoryFactory(agency=w.a)
    ladder_cat = [{"level": 1, "name": "warning", "offset_days": -1, "notify": ["coordinator"]}]
    SlaPolicy.objects.create(name="Kategori", category=category, escalation_ladder=ladder_cat)
    plain = open_complaint(w.a, level=4)
    special = open_complaint(w.a, level=4, category=category)
    default_b = open_complaint(w.b, level=4)
    for c in (plain, special, default_b):
        _escalate(c, 1, 2, 3, 4)

    def awaiting(user):
        rows, total = selectors.escalations_awaiting(scope=selectors.focal_scope_for(actor=user))
        assert total == len(rows)
        return sorted((e.complaint_id, e.level) for e in rows)

    # then each complaint's own ladder decides, as complaints.services.escalation_step_roles
    assert awaiting(w.focal_a) == [(plain.pk, 2)]
    assert awaiting(w.coordinator) == sorted([(special.pk, 1), (default_b.pk, 4)])
    for e in Escalation.objects.all():
        c = e.complaint
        roles = escalation_step_roles(complaint=c, level=e.level)
        assert ((c.pk, e.level) in awaiting(w.coordinator)) == ("coordinator" in roles)


def test_escalations_awaiting_counts_all_and_lists_the_oldest(django_assert_num_queries):
    # given 25 focal-point escalations of A (more than the board lists)
    w = make_world()
    for _ in range(25):
        _escalate(open_complaint(w.a, level=3), 3)
    scope = selectors.focal_scope_for(actor=w.focal_a)
    # when the board reads them: the policies, then the page with its window count
    with django_assert_num_queries(2):
        rows, total = selectors.escalations_awaiting(scope=scope, limit=20)
    # then the badge has the real count and the list the 20 oldest
    assert (len(rows), total) == (20, 25)
    assert [e.pk for e in rows] == sorted(e.pk for e in rows)


def test_agency_level_filter_lists_only_complaints_without_a_unit():
    w = make_world()
    top = open_complaint(w.a, title="Belum didisposisikan")
    open_complaint(w.a, unit=w.a1, title="Di unit")
    scope = selectors.focal_scope_for(actor=w.focal_a)
    listed = list(selectors.board_complaint_list(scope=scope, filters={"unit": "none"}))
    assert [c.pk for c in listed] == [top.pk]
    board = selectors.board_counts(scope=scope)
    agency_row = next(r for r in board.rows if r.unit is None)
    assert agency_row.total == len(listed)


def _populate(n_agencies: int, per_agency: int, coordinator_group):
    now = timezone.now()
    agencies = [AgencyFactory() for _ in range(n_agencies)]
    coordinator_group.agencies.add(*agencies)
    for agency in agencies:
        for i in range(per_agency):
            open_complaint(agency, due=now + dt.timedelta(days=i - 1))
    return agencies


@pytest.mark.parametrize(("n_agencies", "per_agency"), [(1, 1), (6, 4)])
def test_board_queries_do_not_grow(django_assert_num_queries, n_agencies, per_agency):
    from focal_points.services import board_snapshot_refresh, coordination_group_sync

    w = make_world()
    _populate(n_agencies, per_agency, w.group)
    coordination_group_sync(group=w.group)
    WorkingCalendar.for_agency(None)  # warm the calendar cache (one query per 5 minutes)
    with django_assert_num_queries(1):
        scope = selectors.focal_scope_for(actor=w.coordinator)  # memberships + agencies
    with django_assert_num_queries(2):
        board = selectors.board_counts(scope=scope)  # snapshot age, one GROUP BY (live)
    assert len(board.rows) == 2 + n_agencies
    # the actor's memberships are already loaded (complaints.access, one per-request cache
    # shared with focal_scope_for): one query returns the page with agency, unit, category and
    # assignee joined.
    with django_assert_num_queries(1):
        listed = list(selectors.board_complaint_list(scope=scope)[:50])
        for c in listed:
            _ = (c.agency.name, c.unit, c.category, c.assignee)
    assert len(listed) == n_agencies * per_agency
    with django_assert_num_queries(2):
        # the active SLA policies (whose ladder names the roles), then the rows + window count
        selectors.escalations_awaiting(scope=scope)
    with django_assert_num_queries(3):
        # by unit: snapshot age, the GROUP BY, the agency and its units
        selectors.board_counts(scope=scope, agency_id=w.a.pk)
    # with a fresh snapshot the GROUP BY reads the snapshot instead of the complaints
    board_snapshot_refresh()
    with django_assert_num_queries(2):
        snap = selectors.board_counts(scope=scope)
    assert [(r.agency.pk, r.total) for r in snap.rows] == [
        (r.agency.pk, r.total) for r in board.rows
    ]


def test_board_reads_the_snapshot_while_fresh_and_counts_live_when_stale():
    from focal_points.services import board_snapshot_refresh

    w = make_world()
    now = timezone.now()
    open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=2))
    scope = selectors.focal_scope_for(actor=w.coordinator)
    assert board_snapshot_refresh(now=now) == 1
    open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=2))
    snap = selectors.board_counts(scope=scope, now=now + dt.timedelta(minutes=1))
    assert snap.total.overdue == 1  # as of the snapshot
    assert snap.now == now
    later = now + selectors.BOARD_SNAPSHOT_MAX_AGE + dt.timedelta(seconds=1)
    assert selectors.board_counts(scope=scope, now=later).total.overdue == 2


def test_board_columns_match_the_staff_queue_and_past_due_excludes_early_escalations():
    from complaints.queue import deadline_for

    w = make_world()
    now = timezone.now()
    made = [
        open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=2)),  # overdue
        open_complaint(w.a, unit=w.a1, due=now - dt.timedelta(days=6), level=3),  # escalated
        open_complaint(w.a, unit=w.a1, due=now + dt.timedelta(days=5), level=3),  # escalated
        open_complaint(w.a, unit=w.a1, due=now + dt.timedelta(days=30)),  # on track
    ]
    scope = selectors.focal_scope_for(actor=w.focal_a)
    soon = selectors.due_soon_threshold(now)
    # Each complaint is in the board column the staff queue labels it with.
    for c in Complaint.objects.filter(pk__in=[m.pk for m in made]).select_related("agency"):
        state = deadline_for(c, now, {}).state
        in_column = Complaint.objects.filter(
            selectors.clock_state_q(state, now=now, soon=soon), pk=c.pk
        )
        assert in_column.exists(), state
    board = selectors.board_counts(scope=scope, now=now)
    row = next(r for r in board.rows if r.unit and r.unit.pk == w.a1.pk)
    assert (row.overdue, row.escalated, row.on_track) == (1, 2, 1)
    # Past due (the scorecard's "overdue now", the digest's oldest overdue): the escalated
    # complaint still within its deadline is not among them.
    oldest = selectors.board_overdue_oldest(scope=scope, now=now)
    assert [c.pk for c in oldest] == [made[1].pk, made[0].pk]
    counts, _as_of = selectors.board_group_counts(scope=scope, group="unit_id", now=now)
    assert {item["unit_id"]: item["past_due"] for item in counts} == {w.a1.pk: 2}

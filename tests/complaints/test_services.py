"""Every transition service: each legal move, each illegal one refused with a clear error and
no event, the role checks and the side effects that leave only after commit. Messages are
checked in Indonesian, the default language."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from common.exceptions import ApplicationError, NotAllowed, StaleState, TransitionNotAllowed
from complaints import services
from complaints.models import (
    TRANSITIONS,
    Channel,
    Clock,
    Complaint,
    ComplaintEvent,
    Escalation,
    EventType,
    Kind,
    Notification,
    Response,
    Role,
    Status,
)
from tests import factories as f

S = Status


@pytest.fixture
def w(db):
    f.SlaPolicyFactory()
    agency = f.AgencyFactory(responses_need_approval=True)
    unit = f.UnitFactory(parent=agency)
    other = f.AgencyFactory()
    return SimpleNamespace(
        agency=agency,
        unit=unit,
        other=other,
        verifier=f.staff(agency, Role.VERIFIER, full_name="Vera Verifikator"),
        # Officers on the agency itself, so that scope never hides a transition error.
        officer=f.staff(agency, Role.OFFICER, full_name="Oki Petugas"),
        officer2=f.staff(agency, Role.OFFICER, full_name="Ola Petugas"),
        approver=f.staff(agency, Role.APPROVER, full_name="Ari Penyetuju"),
        focal=f.staff(agency, Role.FOCAL_POINT),
        admin=f.UserFactory(is_national_admin=True),
    )


def in_status(w, status: str) -> Complaint:
    """A complaint brought to `status` through the services."""
    c = f.complaint(w.agency)
    if status == S.SUBMITTED:
        return c
    if status == S.NEEDS_INFO:
        return services.complaint_hold_for_info(complaint_id=c.pk, actor=w.verifier, message="?")
    if status == S.ARCHIVED:
        return services.complaint_archive(complaint_id=c.pk, actor=w.verifier, reason="Spam")
    services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    if status == S.VERIFIED:
        return Complaint.objects.get(pk=c.pk)
    services.complaint_route(complaint_id=c.pk, actor=w.verifier, unit=w.unit)
    if status == S.ASSIGNED:
        return Complaint.objects.get(pk=c.pk)
    services.complaint_take(complaint_id=c.pk, actor=w.officer)
    if status == S.IN_PROGRESS:
        return Complaint.objects.get(pk=c.pk)
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Sudah ditindak.")
    services.response_approve(response_id=r.pk, actor=w.approver)
    services.response_publish(response_id=r.pk, actor=w.approver)
    if status == S.AWAITING_REPORTER:
        return Complaint.objects.get(pk=c.pk)
    services.complaint_reporter_accept(complaint_id=c.pk)
    assert status == S.CLOSED
    return Complaint.objects.get(pk=c.pk)


def _approved_response(w, c: Complaint) -> Response:
    # Test set-up only: an approved answer exists, whatever the status.
    return Response.objects.create(
        complaint=c, author=w.officer, body="Jawaban.", state=Response.State.APPROVED
    )


ACTIONS = {
    "verify": lambda w, c: services.complaint_verify(complaint_id=c.pk, actor=w.verifier),
    "hold_for_info": lambda w, c: services.complaint_hold_for_info(
        complaint_id=c.pk, actor=w.verifier, message="Lengkapi alamat."
    ),
    "supply_info": lambda w, c: services.complaint_supply_info(complaint_id=c.pk, body="Jl. A"),
    "archive": lambda w, c: services.complaint_archive(
        complaint_id=c.pk, actor=w.verifier, reason="Bukan pelayanan publik"
    ),
    "route": lambda w, c: services.complaint_route(
        complaint_id=c.pk, actor=w.verifier, unit=w.unit
    ),
    "forward": lambda w, c: services.complaint_forward(
        complaint_id=c.pk, actor=w.verifier, agency=w.other, reason="Bukan wewenang"
    ),
    "take": lambda w, c: services.complaint_take(complaint_id=c.pk, actor=w.officer2),
    "draft": lambda w, c: services.response_draft(complaint_id=c.pk, actor=w.verifier, body="D"),
    "publish": lambda w, c: services.response_publish(
        response_id=_approved_response(w, c).pk, actor=w.approver
    ),
    "accept": lambda w, c: services.complaint_reporter_accept(complaint_id=c.pk),
    "object": lambda w, c: services.complaint_reporter_object(complaint_id=c.pk, reason="Belum"),
    "rate": lambda w, c: services.complaint_rate(complaint_id=c.pk, rating=4),
    "close": lambda w, c: services.complaint_close(complaint_id=c.pk, actor=w.approver),
    "archive_silent": lambda w, c: services.complaint_archive_silent(complaint_id=c.pk),
    "merge": lambda w, c: services.complaint_merge(
        complaint_id=c.pk, into_id=f.complaint(w.agency).pk, actor=w.verifier
    ),
}

# action → {from status: to status}; every other status must be refused.
LEGAL: dict[str, dict[str, str]] = {
    "verify": {S.SUBMITTED: S.VERIFIED},
    "hold_for_info": {S.SUBMITTED: S.NEEDS_INFO},
    "supply_info": {S.NEEDS_INFO: S.SUBMITTED},
    "archive": {
        S.SUBMITTED: S.ARCHIVED,
        S.NEEDS_INFO: S.ARCHIVED,
        S.VERIFIED: S.ARCHIVED,
        S.ASSIGNED: S.ARCHIVED,
    },
    "route": {S.VERIFIED: S.ASSIGNED, S.ASSIGNED: S.ASSIGNED, S.IN_PROGRESS: S.ASSIGNED},
    "forward": {
        S.SUBMITTED: S.SUBMITTED,
        S.VERIFIED: S.VERIFIED,
        S.ASSIGNED: S.VERIFIED,
        S.IN_PROGRESS: S.VERIFIED,
    },
    "take": {S.ASSIGNED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS},
    "draft": {S.VERIFIED: S.VERIFIED, S.ASSIGNED: S.ASSIGNED, S.IN_PROGRESS: S.IN_PROGRESS},
    "publish": {
        S.VERIFIED: S.AWAITING_REPORTER,
        S.ASSIGNED: S.AWAITING_REPORTER,
        S.IN_PROGRESS: S.AWAITING_REPORTER,
    },
    "accept": {S.AWAITING_REPORTER: S.CLOSED},
    "object": {S.AWAITING_REPORTER: S.IN_PROGRESS},
    "rate": {S.CLOSED: S.CLOSED},
    "close": {S.AWAITING_REPORTER: S.CLOSED},
    "archive_silent": {S.NEEDS_INFO: S.ARCHIVED},
    "merge": {
        S.SUBMITTED: S.ARCHIVED,
        S.NEEDS_INFO: S.ARCHIVED,
        S.VERIFIED: S.ARCHIVED,
        S.ASSIGNED: S.ARCHIVED,
    },
}
EVENT_OF = {
    "verify": EventType.VERIFIED,
    "hold_for_info": EventType.HELD_FOR_INFO,
    "supply_info": EventType.INFO_SUPPLIED,
    "archive": EventType.ARCHIVED,
    "route": EventType.ROUTED,
    "forward": EventType.FORWARDED,
    "take": EventType.TAKEN,
    "draft": EventType.DRAFT_SAVED,
    "publish": EventType.RESPONSE_PUBLISHED,
    "accept": EventType.ACCEPTED,
    "object": EventType.OBJECTED,
    "rate": EventType.RATED,
    "close": EventType.CLOSED,
    "archive_silent": EventType.ARCHIVED,
    "merge": EventType.MERGED,
}
# Sweep services are idempotent: outside their status they do nothing and return None.
IDEMPOTENT = {"close", "archive_silent"}
# Services that record work without moving the status.
NOT_TRANSITIONS = {"draft", "rate"}

CASES = [(action, status) for action in ACTIONS for status in S.values]


def test_the_legal_table_covers_exactly_the_transition_table():
    covered = {
        (frm, to)
        for action, moves in LEGAL.items()
        if action not in NOT_TRANSITIONS
        for frm, to in moves.items()
    }
    declared = {(frm, to) for frm, tos in TRANSITIONS.items() for to in tos}
    assert covered == declared


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
def test_transition(w, action, status):
    c = in_status(w, status)
    if action == "take" and status == S.IN_PROGRESS:
        assert c.assignee_id == w.officer.pk  # a colleague takes it over
    events_before = ComplaintEvent.objects.filter(complaint=c).count()
    version_before = c.version
    expected = LEGAL[action].get(status)

    if expected is None and action in IDEMPOTENT:
        assert ACTIONS[action](w, c) is None
    elif expected is None:
        with pytest.raises(ApplicationError) as exc:
            ACTIONS[action](w, c)
        assert isinstance(exc.value, TransitionNotAllowed)
        message = str(exc.value.message)
        assert message
        if action != "rate":
            assert str(c.get_status_display()) in message
    else:
        ACTIONS[action](w, c)

    after = Complaint.objects.get(pk=c.pk)
    events = list(ComplaintEvent.objects.filter(complaint=c).order_by("id")[events_before:])
    if expected is None:
        assert events == []
        assert (after.status, after.version) == (status, version_before)
        return
    assert after.status == expected
    assert [e.type for e in events] == [EVENT_OF[action]]
    assert (events[0].from_status, events[0].to_status) == (status, expected)
    if action != "draft":
        assert after.version == version_before + 1


# ---------------------------------------------------------------------------------------------
# Roles


def _no_new_events(c: Complaint, before: int) -> bool:
    return ComplaintEvent.objects.filter(complaint=c).count() == before


def test_an_officer_cannot_verify(w):
    c = f.complaint(w.agency)
    with pytest.raises(NotAllowed, match="Peran Anda tidak mengizinkan"):
        services.complaint_verify(complaint_id=c.pk, actor=w.officer)
    assert _no_new_events(c, 1)


def test_a_focal_point_cannot_verify_or_archive(w):
    c = f.complaint(w.agency)
    with pytest.raises(NotAllowed):
        services.complaint_verify(complaint_id=c.pk, actor=w.focal)
    with pytest.raises(NotAllowed):
        services.complaint_archive(complaint_id=c.pk, actor=w.focal, reason="x")
    assert _no_new_events(c, 1)


def test_a_verifier_cannot_take(w):
    c = in_status(w, S.ASSIGNED)
    before = c.events.count()
    with pytest.raises(NotAllowed):
        services.complaint_take(complaint_id=c.pk, actor=w.verifier)
    assert _no_new_events(c, before)


def test_an_approver_is_required_when_the_agency_needs_approval(w):
    c = in_status(w, S.IN_PROGRESS)
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Sudah ditindak.")
    before = c.events.count()
    with pytest.raises(NotAllowed):
        services.response_publish(response_id=r.pk, actor=w.officer)
    with pytest.raises(ApplicationError, match="disetujui terlebih dahulu"):
        services.response_publish(response_id=r.pk, actor=w.approver)
    with pytest.raises(NotAllowed):
        services.response_approve(response_id=r.pk, actor=w.officer)
    assert _no_new_events(c, before)
    services.response_approve(response_id=r.pk, actor=w.approver)
    services.response_publish(response_id=r.pk, actor=w.approver)
    c.refresh_from_db()
    assert c.status == S.AWAITING_REPORTER
    assert c.current_clock == Clock.REPORTER_REPLY


def test_an_officer_publishes_directly_where_no_approval_is_needed(w):
    w.agency.responses_need_approval = False
    w.agency.save()
    c = in_status(w, S.IN_PROGRESS)
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Sudah ditindak.")
    services.response_publish(response_id=r.pk, actor=w.officer)
    c.refresh_from_db()
    assert c.status == S.AWAITING_REPORTER
    assert c.first_response_at is not None


def test_a_returned_draft_cannot_be_published(w):
    c = in_status(w, S.IN_PROGRESS)
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Draf.")
    services.response_return(response_id=r.pk, actor=w.approver, reason="Lengkapi dasar hukum.")
    with pytest.raises(ApplicationError):
        services.response_publish(response_id=r.pk, actor=w.approver)
    r = services.response_draft(
        complaint_id=c.pk, actor=w.officer, body="Draf baru.", response_id=r.pk
    )
    assert r.state == Response.State.DRAFT


def test_a_stale_write_is_refused_naming_who_changed_it(w):
    c = in_status(w, S.ASSIGNED)
    seen = c.version
    services.complaint_take(complaint_id=c.pk, actor=w.officer)
    before = c.events.count()
    with pytest.raises(StaleState) as exc:
        services.complaint_take(complaint_id=c.pk, actor=w.officer2, expected_version=seen)
    assert "Oki Petugas" in str(exc.value.message)
    assert exc.value.extra["status"] == S.IN_PROGRESS
    assert _no_new_events(c, before)


def test_a_merge_of_a_complaint_changed_since_it_was_read_is_refused(w):
    c = f.complaint(w.agency)
    into = f.complaint(w.agency)
    seen = c.version
    services.complaint_hold_for_info(complaint_id=c.pk, actor=w.verifier, message="Alamat?")
    services.complaint_supply_info(complaint_id=c.pk, body="Jl. Melati 12")
    with pytest.raises(StaleState):
        services.complaint_merge(
            complaint_id=c.pk, into_id=into.pk, actor=w.verifier, expected_version=seen
        )
    c.refresh_from_db()
    assert c.merged_into_id is None
    services.complaint_merge(
        complaint_id=c.pk, into_id=into.pk, actor=w.verifier, expected_version=c.version
    )
    c.refresh_from_db()
    assert c.merged_into_id == into.pk


def test_privacy_can_be_turned_on_by_staff_but_off_only_by_the_national_admin(w):
    c = f.complaint(w.agency)
    c = services.complaint_verify(complaint_id=c.pk, actor=w.verifier, is_confidential=True)
    assert c.is_confidential
    assert c.events.filter(type=EventType.PRIVACY_CHANGED).count() == 1
    with pytest.raises(NotAllowed):
        services.complaint_set_privacy(complaint_id=c.pk, actor=w.verifier, is_confidential=False)
    c = services.complaint_set_privacy(complaint_id=c.pk, actor=w.admin, is_confidential=False)
    assert not c.is_confidential
    assert c.events.filter(type=EventType.PRIVACY_CHANGED).count() == 2


def test_walk_in_complaints_are_entered_by_staff_of_that_agency(w):
    kwargs = {"kind": Kind.COMPLAINT, "title": "Antrean", "body": "Lama sekali."}
    with pytest.raises(NotAllowed):
        services.complaint_submit(actor=None, agency=w.agency, channel=Channel.WALK_IN, **kwargs)
    outsider = f.staff(w.other, Role.VERIFIER)
    with pytest.raises(NotAllowed):
        services.complaint_submit(
            actor=outsider, agency=w.agency, channel=Channel.WALK_IN, **kwargs
        )
    c, _code = services.complaint_submit(
        actor=w.verifier, agency=w.agency, channel=Channel.WALK_IN, reporter_name="Ani", **kwargs
    )
    assert c.reporter_id is None  # entered for the reporter, not by them
    assert c.events.get().actor_label == "staff"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " "}, "Masukkan judul laporan"),
        ({"kind": "gossip"}, "Pilih jenis laporan"),
        ({"title": "x" * 151}, "150 karakter atau kurang"),
    ],
)
def test_filing_is_validated(w, kwargs, message):
    data = {"kind": Kind.COMPLAINT, "title": "Judul", "body": "Isi laporan.", **kwargs}
    with pytest.raises(ApplicationError, match=message):
        services.complaint_submit(actor=None, agency=w.agency, **data)
    assert not Complaint.objects.exists()


def test_a_category_of_another_agency_is_refused(w):
    category = f.CategoryFactory(agency=w.other)
    with pytest.raises(ApplicationError):
        f.complaint(w.agency, category=category)


def test_filing_returns_a_usable_access_code_and_queues_the_receipt(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        c = f.complaint(w.agency, reporter_email="Budi@Example.com")
    assert services.access_code_matches(c, c.plain_access_code.lower())
    assert not services.access_code_matches(c, "AAAAAAAA")
    assert len(c.tracking_number) == services.TRACKING_NUMBER_LENGTH
    assert set(c.tracking_number) <= set(services.CODE_ALPHABET)
    receipt = Notification.objects.get(complaint=c, kind="receipt")
    assert receipt.recipient == "budi@example.com"
    assert receipt.state == Notification.State.PENDING
    assert len(callbacks) == 1  # delivery is handed to Celery only after commit


def test_verification_notifies_the_reporter_after_commit(w, django_capture_on_commit_callbacks):
    c = f.complaint(w.agency)
    with django_capture_on_commit_callbacks() as callbacks:
        services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    assert Notification.objects.filter(complaint=c, kind="verified").count() == 1
    assert len(callbacks) == 1


def test_a_second_objection_escalates_to_the_focal_point(w):
    c = in_status(w, S.AWAITING_REPORTER)
    services.complaint_reporter_object(complaint_id=c.pk, reason="Belum selesai.")
    assert not Escalation.objects.filter(complaint=c).exists()
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Jawaban kedua.")
    services.response_approve(response_id=r.pk, actor=w.approver)
    services.response_publish(response_id=r.pk, actor=w.approver)
    services.complaint_reporter_object(complaint_id=c.pk, reason="Masih belum.")
    escalation = Escalation.objects.get(complaint=c)
    assert (escalation.level, escalation.name) == (3, "second_objection")


def test_escalating_twice_records_one_step(w):
    c = f.complaint(w.agency)
    kwargs = {"complaint_id": c.pk, "clock": Clock.VERIFY, "cycle": 1, "level": 2}
    first = services.complaint_escalate(due_at=c.verify_due_at, **kwargs)
    second = services.complaint_escalate(due_at=c.verify_due_at, **kwargs)
    assert first is not None
    assert second is None
    assert Escalation.objects.filter(complaint=c).count() == 1
    assert c.events.filter(type=EventType.ESCALATED).count() == 1
    c.refresh_from_db()
    assert c.escalation_level == 2


def test_an_escalation_of_a_stopped_clock_is_ignored(w):
    c = in_status(w, S.VERIFIED)
    assert (
        services.complaint_escalate(
            complaint_id=c.pk, clock=Clock.VERIFY, cycle=1, level=2, due_at=c.verify_due_at
        )
        is None
    )
    assert not Escalation.objects.exists()


def test_a_full_lifecycle_writes_one_event_per_step(w):
    c = in_status(w, S.CLOSED)
    services.complaint_rate(complaint_id=c.pk, rating=5, comment="Cepat.")
    types = list(c.events.order_by("id").values_list("type", flat=True))
    assert types == [
        EventType.SUBMITTED,
        EventType.VERIFIED,
        EventType.ROUTED,
        EventType.TAKEN,
        EventType.DRAFT_SAVED,
        EventType.DRAFT_APPROVED,
        EventType.RESPONSE_PUBLISHED,
        EventType.ACCEPTED,
        EventType.RATED,
    ]
    with pytest.raises(ApplicationError, match="sudah dinilai"):
        services.complaint_rate(complaint_id=c.pk, rating=1)

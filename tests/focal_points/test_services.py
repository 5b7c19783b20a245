"""Nudges, corrective actions (issue, progress, reminders, overdue escalation, close), the
directory and the digest."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from common.exceptions import ApplicationError, NotAllowed, NotFound
from complaints.clock import WorkingCalendar
from complaints.models import ComplaintEvent, EventType, Membership, Notification, Role, Status
from focal_points import services
from focal_points.models import CorrectiveAction, CorrectiveActionEvent, FocalPoint, Nudge
from tests.factories import UserFactory, staff
from tests.focal_points.helpers import make_world, open_complaint

pytestmark = pytest.mark.django_db


def png_upload(name="bukti.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


# -- nudges ------------------------------------------------------------------------------------


def test_nudge_records_event_and_notifies_the_unit_officers():
    # given an open complaint routed to unit A1, with no one assigned
    w = make_world()
    c = open_complaint(w.a, unit=w.a1)

    # when the agency focal point nudges it
    nudges = services.nudge_send(actor=w.focal_a, complaint_ids=[c.pk], message="Segera jawab.")

    # then a Nudge row, an internal timeline event and an email to the unit's officer exist
    assert len(nudges) == 1
    assert Nudge.objects.get().unit_id == w.a1.pk
    event = ComplaintEvent.objects.get(complaint=c, type=EventType.NUDGED)
    assert event.is_public is False
    assert event.actor == w.focal_a
    assert event.body == "Segera jawab."
    note = Notification.objects.get(kind="nudge")
    assert note.recipient == w.officer_a1.email
    assert "Segera jawab." in note.body


def test_nudge_batch_covers_several_agencies_for_a_coordinator():
    w = make_world()
    c1 = open_complaint(w.a, unit=w.a1)
    c2 = open_complaint(w.b)
    nudges = services.nudge_send(actor=w.coordinator, complaint_ids=[c2.pk, c1.pk], message="Ok")
    assert {n.complaint_id for n in nudges} == {c1.pk, c2.pk}
    assert len({n.batch for n in nudges}) == 1
    assert ComplaintEvent.objects.filter(type=EventType.NUDGED).count() == 2


def test_nudge_outside_scope_is_not_found_and_writes_nothing():
    w = make_world()
    mine = open_complaint(w.a)
    other = open_complaint(w.c)
    with pytest.raises(NotFound):
        services.nudge_send(actor=w.focal_a, complaint_ids=[mine.pk, other.pk], message="x")
    assert not Nudge.objects.exists()


def test_nudge_needs_a_focal_role_and_an_open_complaint_and_a_message():
    w = make_world()
    c = open_complaint(w.a, unit=w.a1)
    with pytest.raises(NotAllowed):
        services.nudge_send(actor=w.officer_a1, complaint_ids=[c.pk], message="x")
    with pytest.raises(ApplicationError):
        services.nudge_send(actor=w.focal_a, complaint_ids=[c.pk], message="  ")
    closed = open_complaint(w.a, status=Status.CLOSED)
    with pytest.raises(ApplicationError):
        services.nudge_send(actor=w.focal_a, complaint_ids=[closed.pk], message="x")
    with pytest.raises(ApplicationError):
        services.nudge_send(actor=w.focal_a, complaint_ids=[], message="x")


# -- corrective actions ------------------------------------------------------------------------


def test_issue_defaults_to_60_working_days_and_notifies_the_agency_focal_point():
    w = make_world()
    now = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="Perbaiki SOP", required_change="SOP baru", now=now
    )
    assert action.due_at == WorkingCalendar.for_agency(w.a).add_working_days(now, 60)
    assert action.state == CorrectiveAction.State.OPEN
    assert action.issuer == w.coordinator
    event = action.events.get()
    assert (event.type, event.actor) == (CorrectiveActionEvent.Type.ISSUED, w.coordinator)
    assert Notification.objects.get(kind="corrective_action_issued").recipient == w.focal_a.email


def test_issue_on_a_complaint_uses_its_agency_and_writes_a_timeline_event():
    w = make_world()
    c = open_complaint(w.a, unit=w.a2)
    action = services.corrective_action_issue(
        actor=w.focal_a, complaint_id=c.pk, title="Latih petugas", required_change="Pelatihan"
    )
    assert action.agency == w.a
    assert action.complaint == c
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.CORRECTIVE_ACTION).exists()


def test_issue_refused_outside_scope_and_for_non_focal_roles():
    w = make_world()
    with pytest.raises(NotFound):
        services.corrective_action_issue(
            actor=w.focal_a, agency=w.c, title="x", required_change="y"
        )
    with pytest.raises(NotAllowed):
        services.corrective_action_issue(
            actor=w.verifier_a, agency=w.a, title="x", required_change="y"
        )
    with pytest.raises(ApplicationError):
        services.corrective_action_issue(actor=w.focal_a, agency=w.a, title="", required_change="y")


def test_progress_with_evidence_moves_to_in_progress_and_tells_the_issuer():
    w = make_world()
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="Perbaiki SOP", required_change="SOP baru"
    )
    update = services.corrective_action_report_progress(
        actor=w.verifier_a, action_id=action.pk, body="SOP disusun", evidence=[png_upload()]
    )
    action.refresh_from_db()
    assert action.state == CorrectiveAction.State.IN_PROGRESS
    evidence = update.evidence.get()
    assert evidence.original_name == "bukti.png"
    assert evidence.content_type == "image/png"
    assert "bukti" not in evidence.file.name  # stored under a random name
    assert Notification.objects.get(kind="corrective_action_progress").recipient == (
        w.coordinator.email
    )


def test_progress_refused_for_the_coordinator_and_outsiders():
    w = make_world()
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y"
    )
    with pytest.raises(NotAllowed):
        services.corrective_action_report_progress(
            actor=w.coordinator, action_id=action.pk, body="z"
        )
    with pytest.raises(NotFound):
        services.corrective_action_report_progress(actor=w.focal_c, action_id=action.pk, body="z")


def test_only_the_issuer_closes_and_a_reason_is_required():
    w = make_world()
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y"
    )
    with pytest.raises(NotAllowed):
        services.corrective_action_close(
            actor=w.focal_a, action_id=action.pk, accepted=True, reason="selesai"
        )
    with pytest.raises(ApplicationError):
        services.corrective_action_close(
            actor=w.coordinator, action_id=action.pk, accepted=True, reason=" "
        )
    closed = services.corrective_action_close(
        actor=w.coordinator, action_id=action.pk, accepted=False, reason="Bukti kurang"
    )
    assert closed.state == CorrectiveAction.State.CLOSED_REJECTED
    assert closed.close_reason == "Bukti kurang"
    assert closed.closed_by == w.coordinator
    with pytest.raises(ApplicationError):
        services.corrective_action_close(
            actor=w.coordinator, action_id=action.pk, accepted=True, reason="lagi"
        )


def test_reminder_is_sent_once_before_the_due_date():
    w = make_world()
    now = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y", now=now
    )
    cal = WorkingCalendar.for_agency(w.a)
    early = now + dt.timedelta(days=7)
    assert services.corrective_action_sweep(now=early) == {"reminded": 0, "escalated": 0}
    # four working days before the due date
    day = cal.local_date(action.due_at)
    for _ in range(4):
        day = cal.previous_working_day(day)
    near = cal.start_of_day(day)
    assert services.corrective_action_sweep(now=near) == {"reminded": 1, "escalated": 0}
    assert services.corrective_action_sweep(now=near) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(kind="corrective_action_reminder").count() == 1
    assert action.events.filter(type=CorrectiveActionEvent.Type.REMINDER).count() == 1


def test_overdue_escalates_to_agency_focal_point_then_coordinator_once_each():
    w = make_world()
    now = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y", now=now
    )
    cal = WorkingCalendar.for_agency(w.a)
    just_after = action.due_at + dt.timedelta(hours=1)
    assert services.corrective_action_sweep(now=just_after)["escalated"] == 1
    assert services.corrective_action_sweep(now=just_after)["escalated"] == 0
    action.refresh_from_db()
    assert (action.state, action.escalation_level) == (CorrectiveAction.State.OVERDUE, 1)
    overdue = Notification.objects.filter(kind="corrective_action_overdue")
    assert list(overdue.values_list("recipient", flat=True)) == [w.focal_a.email]

    # five whole working days after the due date the coordinator is told
    day = cal.local_date(action.due_at)
    for _ in range(6):
        day = cal.next_working_day(day)
    later = cal.start_of_day(day)
    assert services.corrective_action_sweep(now=later)["escalated"] == 1
    assert services.corrective_action_sweep(now=later)["escalated"] == 0
    action.refresh_from_db()
    assert action.escalation_level == 2
    assert set(overdue.values_list("recipient", flat=True)) == {
        w.focal_a.email,
        w.coordinator.email,
    }
    types = list(action.events.order_by("created_at", "id").values_list("type", flat=True))
    assert types == ["issued", "overdue", "escalated"]


def test_closed_action_is_never_escalated():
    w = make_world()
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y"
    )
    services.corrective_action_close(
        actor=w.coordinator, action_id=action.pk, accepted=True, reason="ok"
    )
    assert (
        services.corrective_action_escalate(
            action_id=action.pk, now=action.due_at + dt.timedelta(days=30)
        )
        == 0
    )


# -- directory ---------------------------------------------------------------------------------


def test_agency_focal_point_edits_own_agency_entries_only():
    w = make_world()
    own = FocalPoint.objects.get(user=w.focal_a)
    services.directory_entry_update(
        actor=w.focal_a,
        focal_point_id=own.pk,
        position="Kepala Biro Hukum",
        phone="021-222",
        email="biro@bpo.go.id",
        is_active=True,
    )
    own.refresh_from_db()
    assert (own.position, own.phone) == ("Kepala Biro Hukum", "021-222")
    assert own.email == "biro@bpo.go.id"
    other = FocalPoint.objects.get(user=w.focal_c)
    with pytest.raises(NotFound):
        services.directory_entry_update(
            actor=w.focal_a,
            focal_point_id=other.pk,
            position="x",
            phone="",
            email="",
            is_active=True,
        )


def test_admin_adds_and_deactivates_a_focal_point():
    w = make_world()
    admin = UserFactory(is_national_admin=True)
    entry = services.directory_entry_add(
        actor=admin, agency=w.b, email="baru@dinkes.go.id", full_name="Fokal Baru"
    )
    assert Membership.objects.filter(user=entry.user, agency=w.b, role=Role.FOCAL_POINT).exists()
    services.directory_entry_update(
        actor=admin, focal_point_id=entry.pk, position="", phone="", email="", is_active=False
    )
    assert not Membership.objects.filter(user=entry.user, role=Role.FOCAL_POINT).exists()
    with pytest.raises(NotAllowed):
        services.directory_entry_add(actor=w.focal_a, agency=w.b, email="x@example.go.id")


# -- digest ------------------------------------------------------------------------------------


def test_digest_lists_the_oldest_overdue_and_is_sent_once_a_week():
    w = make_world()
    now = timezone.now()
    old = open_complaint(w.a, due=now - dt.timedelta(days=9), title="Paling lama")
    open_complaint(w.a, due=now - dt.timedelta(days=2), title="Baru lewat")
    open_complaint(w.c, due=now - dt.timedelta(days=20), title="Instansi lain")
    staff(w.a, Role.OFFICER)
    assert w.focal_a.pk in services.focal_digest_recipients()
    assert services.focal_digest_send(user_id=w.focal_a.pk, now=now) is True
    assert services.focal_digest_send(user_id=w.focal_a.pk, now=now) is False
    body = Notification.objects.get(kind="focal_digest").body
    assert body.index(old.display_tracking_number) < body.index("Baru lewat")
    assert "Instansi lain" not in body
    assert "Badan Pengawas Obat" in body

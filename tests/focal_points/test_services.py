"""Nudges, corrective actions (issue, progress, reminders, overdue escalation, close), the
directory and the digest."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed, NotFound
from complaints.clock import WorkingCalendar
from complaints.models import ComplaintEvent, Membership, Notification, Role, Status
from focal_points import services
from focal_points.models import CorrectiveAction, CorrectiveActionEvent, FocalPoint, Nudge
from focal_points.vocabulary import OversightEvent
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
    event = ComplaintEvent.objects.get(complaint=c, type=OversightEvent.NUDGED)
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
    assert ComplaintEvent.objects.filter(type=OversightEvent.NUDGED).count() == 2


def test_nudge_timeline_entry_keeps_the_status_and_stays_internal():
    # given an open complaint and a fixed clock
    w = make_world()
    c = open_complaint(w.a, unit=w.a1)
    now = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)

    # when the agency focal point nudges it
    [nudge] = services.nudge_send(actor=w.focal_a, complaint_ids=[c.pk], message="Segera.", now=now)

    # then the entry (written through complaints.services.core) names the focal point, leaves
    # the status where it was and stays internal
    event = ComplaintEvent.objects.get(complaint=c, type=OversightEvent.NUDGED)
    assert (event.actor, event.actor_label) == (w.focal_a, "Fokal Satu")
    assert (event.from_status, event.to_status) == (Status.IN_PROGRESS, Status.IN_PROGRESS)
    assert event.is_public is False
    assert event.body == "Segera."
    assert event.data == {"nudge": nudge.pk, "batch": str(nudge.batch)}
    assert event.created_at == now


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


def test_issue_defaults_to_60_working_days_and_notifies_the_agency():
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
    # the agency's focal point and its verifier (who reports the progress) are told
    issued = Notification.objects.filter(kind="corrective_action_issued")
    assert set(issued.values_list("recipient", flat=True)) == {
        w.focal_a.email,
        w.verifier_a.email,
    }


def test_issue_on_a_complaint_uses_its_agency_and_writes_a_timeline_event():
    w = make_world()
    c = open_complaint(w.a, unit=w.a2)
    action = services.corrective_action_issue(
        actor=w.focal_a, complaint_id=c.pk, title="Latih petugas", required_change="Pelatihan"
    )
    assert action.agency == w.a
    assert action.complaint == c
    assert ComplaintEvent.objects.filter(
        complaint=c, type=OversightEvent.CORRECTIVE_ACTION
    ).exists()


def test_corrective_action_changes_on_a_complaint_appear_on_its_internal_timeline():
    # given a corrective action issued on a complaint
    w = make_world()
    c = open_complaint(w.a, unit=w.a2)
    now = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    action = services.corrective_action_issue(
        actor=w.focal_a, complaint_id=c.pk, title="Latih", required_change="Pelatihan", now=now
    )

    # when the agency reports progress, the sweep finds it overdue and the issuer closes it
    later = now + dt.timedelta(hours=1)
    services.corrective_action_report_progress(
        actor=w.verifier_a, action_id=action.pk, body="Dilatih", now=later
    )
    overdue = action.due_at + dt.timedelta(hours=1)
    assert services.corrective_action_escalate(action_id=action.pk, now=overdue) == 1
    services.corrective_action_close(
        actor=w.focal_a, action_id=action.pk, accepted=True, reason="Selesai", now=overdue
    )

    # then each change is one internal entry that leaves the complaint's status alone (blank
    # from/to), by its actor or by the system, at the change's time
    events = ComplaintEvent.objects.filter(complaint=c, type=OversightEvent.CORRECTIVE_ACTION)
    assert {(e.from_status, e.to_status, e.is_public) for e in events} == {("", "", False)}

    def data(change: str, state: str | None = None) -> dict:
        return {"corrective_action": action.pk, "change": change, "state": state or change}

    rows = events.order_by("created_at", "id").values_list(
        "actor", "actor_label", "body", "data", "created_at"
    )
    assert list(rows) == [
        (w.focal_a.pk, "Fokal Satu", "Pelatihan", data("issued", "open"), now),
        (w.verifier_a.pk, "Verifikator A", "Dilatih", data("progress", "in_progress"), later),
        (None, "system", "", data("overdue"), overdue),
        (w.focal_a.pk, "Fokal Satu", "Selesai", data("closed_accepted"), overdue),
    ]


def test_a_complaint_linked_change_costs_only_its_timeline_insert(django_assert_num_queries):
    # given two open corrective actions of one agency, one of them on a complaint
    w = make_world()
    c = open_complaint(w.a)
    on_agency = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y"
    )
    on_complaint = services.corrective_action_issue(
        actor=w.coordinator, complaint_id=c.pk, title="x", required_change="y"
    )
    with CaptureQueriesContext(connection) as agency_close:
        services.corrective_action_close(
            actor=w.coordinator, action_id=on_agency.pk, accepted=True, reason="ok"
        )

    # when the issuer closes the complaint-linked one, then it costs the agency-level close
    # plus the timeline INSERT: the complaint comes with the locked action (one join), not
    # from a query of its own
    with django_assert_num_queries(len(agency_close.captured_queries) + 1) as linked_close:
        services.corrective_action_close(
            actor=w.coordinator, action_id=on_complaint.pk, accepted=True, reason="ok"
        )
    extra = [
        q["sql"] for q in linked_close.captured_queries if "complaints_complaintevent" in q["sql"]
    ]
    assert len(extra) == 1
    assert extra[0].startswith('INSERT INTO "complaints_complaintevent"')


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
    officer_b = staff(w.b, Role.OFFICER, email="baru@dinkes.go.id")
    entry = services.directory_entry_add(actor=admin, agency=w.b, email=" Baru@Dinkes.go.id ")
    assert entry.user == officer_b
    assert Membership.objects.filter(user=entry.user, agency=w.b, role=Role.FOCAL_POINT).exists()
    services.directory_entry_update(
        actor=admin, focal_point_id=entry.pk, position="", phone="", email="", is_active=False
    )
    assert not Membership.objects.filter(user=entry.user, role=Role.FOCAL_POINT).exists()
    with pytest.raises(NotAllowed):
        services.directory_entry_add(actor=w.focal_a, agency=w.b, email="baru@dinkes.go.id")


def test_focal_point_designates_only_existing_staff_of_the_agency():
    # given staff of a unit of A, staff of another agency, an inactive officer of A and
    # an address nobody uses
    w = make_world()
    staff(w.c, Role.OFFICER, email="luar@example.go.id")
    inactive = staff(w.a2, Role.OFFICER, email="nonaktif@example.go.id")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    users_before = User.objects.count()

    # when A's focal point tries each one, only the unit officer is designated
    for email in ("belum.ada@example.go.id", "luar@example.go.id", "nonaktif@example.go.id"):
        with pytest.raises(ValidationError) as err:
            services.directory_entry_add(actor=w.focal_a, agency=w.a, email=email)
        assert "user_email" in err.value.message_dict
    entry = services.directory_entry_add(actor=w.focal_a, agency=w.a, email=w.officer_a1.email)

    # then no account was created and only the agency's own officer became focal point
    assert User.objects.count() == users_before
    assert entry.user == w.officer_a1
    assert set(FocalPoint.objects.filter(agency=w.a).values_list("user__email", flat=True)) == {
        w.focal_a.email,
        w.officer_a1.email,
    }


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


# -- QA fixes --------------------------------------------------------------------------------


def _recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_a_corrective_action_on_the_issuers_own_agency_tells_who_reports_progress():
    # given A's focal point issuing to their own agency, which also has a second focal point,
    # an approver, a verifier, a unit officer and a unit verifier
    w = make_world()
    other_focal = staff(w.a, Role.FOCAL_POINT, email="fokal.dua@example.go.id")
    approver = staff(w.a, Role.APPROVER, email="penghubung.a@example.go.id")
    unit_verifier = staff(w.a1, Role.VERIFIER, email="verif.a1@example.go.id")
    action = services.corrective_action_issue(
        actor=w.focal_a, agency=w.a, title="SOP", required_change="Buat SOP"
    )

    # then the agency's focal points, verifiers and approvers are told, not the issuer; unit
    # staff cannot open an agency's corrective action and are not told
    assert _recipients("corrective_action_issued") == {
        other_focal.email,
        w.verifier_a.email,
        approver.email,
    }
    assert unit_verifier.email not in _recipients("corrective_action_issued")
    assert w.officer_a1.email not in _recipients("corrective_action_issued")
    body = Notification.objects.filter(kind="corrective_action_issued").first().body
    assert f"/focal/tindakan-korektif/{action.pk}/" in body

    # and every one of them can open the page the mail links to
    from focal_points.selectors import corrective_action_get

    for user in (other_focal, w.verifier_a, approver):
        assert corrective_action_get(actor=user, action_id=action.pk) == action

    # when the verifier reports progress, the issuer alone is told
    services.corrective_action_report_progress(actor=w.verifier_a, action_id=action.pk, body="x")
    assert _recipients("corrective_action_progress") == {w.focal_a.email}

    # when the issuer closes it, the same people are told, minus the issuer
    services.corrective_action_close(
        actor=w.focal_a, action_id=action.pk, accepted=True, reason="ok"
    )
    assert _recipients("corrective_action_closed") == {
        other_focal.email,
        w.verifier_a.email,
        approver.email,
    }
    closed = Notification.objects.filter(kind="corrective_action_closed").first()
    assert "Ditutup: diterima" not in closed.body
    assert "Fokal Satu menutup tindakan korektif dan menerima perubahan" in closed.body


def test_a_coordinators_corrective_action_tells_the_agency_and_progress_tells_the_issuer():
    # given a corrective action the coordinator issued to agency A
    w = make_world()
    action = services.corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="SOP", required_change="Buat SOP"
    )
    assert _recipients("corrective_action_issued") == {w.focal_a.email, w.verifier_a.email}

    # when the focal point reports progress, the issuer is told (not the reporter)
    services.corrective_action_report_progress(actor=w.focal_a, action_id=action.pk, body="x")
    assert _recipients("corrective_action_progress") == {w.coordinator.email}

    # and when the issuer closes it, the agency's people are told (not the issuer, the actor)
    services.corrective_action_close(
        actor=w.coordinator, action_id=action.pk, accepted=False, reason="Kurang"
    )
    assert _recipients("corrective_action_closed") == {w.focal_a.email, w.verifier_a.email}


def _escalation(c, level, *, due=None, created=None):
    from complaints.models import Escalation

    now = timezone.now()
    return Escalation.objects.create(
        complaint=c,
        clock="response",
        level=level,
        due_at=due or now,
        created_at=created or now,
    )


def test_only_the_addressee_of_a_ladder_step_acknowledges_it():
    from complaints.models import Escalation
    from complaints.services import escalation_acknowledge

    # given the four default steps on a complaint of A
    w = make_world()
    c = open_complaint(w.a, unit=w.a1, level=4)
    steps = {level: _escalation(c, level) for level in (1, 2, 3, 4)}
    events_before = ComplaintEvent.objects.filter(complaint=c).count()

    # when A's focal point tries the officer, verifier and coordinator steps: refused
    for level in (1, 2, 4):
        with pytest.raises(NotAllowed):
            escalation_acknowledge(escalation_id=steps[level].pk, actor=w.focal_a)
    # and the coordinator the focal point's step: refused
    with pytest.raises(NotAllowed):
        escalation_acknowledge(escalation_id=steps[3].pk, actor=w.coordinator)

    # then nothing changed
    assert not Escalation.objects.filter(acknowledged_at__isnull=False).exists()
    assert ComplaintEvent.objects.filter(complaint=c).count() == events_before

    # and each acknowledges their own step
    escalation_acknowledge(escalation_id=steps[3].pk, actor=w.focal_a)
    escalation_acknowledge(escalation_id=steps[4].pk, actor=w.coordinator)
    acked = Escalation.objects.filter(acknowledged_at__isnull=False)
    assert sorted(acked.values_list("level", "acknowledged_by")) == [
        (3, w.focal_a.pk),
        (4, w.coordinator.pk),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_escalation_email_words_match_the_step_and_show_the_zone(language):
    from complaints.delivery import notification_render
    from complaints.services import escalation_notify

    # given a complaint of agency B (WIT) due at 23.59 local time on 16 November 2026
    w = make_world()
    officer_b = staff(w.b, Role.OFFICER, email="petugas.b@example.go.id")
    due = dt.datetime(2026, 11, 16, 14, 59, tzinfo=dt.UTC)  # 23.59 WIT
    c = open_complaint(w.b, level=2, assignee=officer_b)
    warning = _escalation(c, 1, due=due, created=due - dt.timedelta(days=1))
    breach = _escalation(c, 2, due=due, created=due + dt.timedelta(minutes=5))
    staff(w.b, Role.VERIFIER, email="verif.b@example.go.id")
    for e, roles in ((warning, ["officer"]), (breach, ["verifier"])):
        escalation_notify(complaint=c, escalation=e, roles=roles)
    sent = list(Notification.objects.filter(kind="escalation"))
    assert len(sent) == 2
    for n in sent:
        n.language = language
        n.body = ""
        subject, body = notification_render(n)
        level = 1 if n.cause_key == f"escalation:{warning.pk}" else 2
        if language == "id":
            assert "16 November 2026, pukul 23.59 WIT" in body
            assert ("melewati tenggat" in subject) == (level == 2)
            assert ("sudah dekat" in subject) == (level == 1)
        else:
            assert "16 November 2026, at 23.59 WIT" in body
            assert ("past its deadline" in subject) == (level == 2)
            assert ("approaching" in subject) == (level == 1)
        assert f"/staf/laporan/{c.pk}/" in body


def _objected_twice(w, agency, unit=None):
    """A complaint of `agency` (routed to `unit`) answered twice and objected to twice, with
    its agency's focal point and approver on staff: the real services all the way."""
    from complaints.services import (
        complaint_reporter_object,
        complaint_route,
        complaint_verify,
        response_approve,
        response_draft,
        response_publish,
    )
    from tests.factories import complaint as file_complaint

    verifier = staff(agency, Role.VERIFIER, email=f"verif.{agency.pk}@example.go.id")
    approver = staff(agency, Role.APPROVER, email=f"penghubung.{agency.pk}@example.go.id")
    c = file_complaint(agency)
    complaint_verify(complaint_id=c.pk, actor=verifier)
    if unit is not None:
        complaint_route(complaint_id=c.pk, actor=verifier, unit=unit)
    for reason in ("Belum selesai", "Masih belum selesai"):
        draft = response_draft(complaint_id=c.pk, actor=approver, body="Sudah kami tangani.")
        response_approve(response_id=draft.pk, actor=approver)
        response_publish(response_id=draft.pk, actor=approver)
        complaint_reporter_object(complaint_id=c.pk, reason=reason)
    c.refresh_from_db()
    return c


@pytest.mark.parametrize("language", ["id", "en"])
def test_second_objection_mail_says_the_reporter_objected_not_that_a_deadline_passed(language):
    from complaints.delivery import notification_render
    from complaints.models import Escalation, EscalationReason

    # given a complaint of agency B whose reporter objected to the answer a second time
    w = make_world()
    focal_b = staff(w.b, Role.FOCAL_POINT, email="fokal.b@example.go.id")
    c = _objected_twice(w, w.b)
    escalation = Escalation.objects.get(complaint=c, name=EscalationReason.SECOND_OBJECTION)

    # when its escalation mail is rendered in the reader's language
    n = Notification.objects.get(kind="escalation", recipient=focal_b.email)
    n.language, n.body = language, ""
    subject, body = notification_render(n)

    # then subject and body give the objection as the reason, and no passed deadline
    number = c.display_tracking_number
    if language == "id":
        assert subject == (
            f"Eskalasi (tingkat 3): pelapor menyanggah jawaban atas laporan {number} "
            "untuk kedua kalinya"
        )
        assert "Pelapor menyanggah jawaban instansi untuk kedua kalinya" in body
        assert "Jawaban baru paling lambat" in body
        assert "WIT" in body
        for wrong in ("melewati tenggat", "sudah terlewati", "sudah dekat"):
            assert wrong not in subject + body
    else:
        assert subject == (
            f"Escalation (level 3): the reporter objected to the answer on complaint {number} "
            "a second time"
        )
        assert "The reporter objected to the agency's answer a second time" in body
        assert "The new answer is due by" in body
        for wrong in ("past its deadline", "has passed", "approaching"):
            assert wrong not in subject + body
    assert escalation.cause == EscalationReason.SECOND_OBJECTION


def test_escalation_mail_of_a_routed_complaint_shows_the_units_zone():
    from complaints.delivery import notification_render
    from complaints.models import TimeZone
    from tests.factories import UnitFactory

    # given agency B (WIT) with a unit on WIB, and a complaint routed there, past its deadline
    w = make_world()
    unit = UnitFactory(parent=w.b, name="Balai Jakarta B", time_zone=TimeZone.WIB)
    staff(w.b, Role.VERIFIER, email="verif.b@example.go.id")
    due = dt.datetime(2026, 11, 26, 16, 59, tzinfo=dt.UTC)  # 23.59 WIB, 01.59 WIT next day
    c = open_complaint(w.b, unit=unit, level=2)
    breach = _escalation(c, 2, due=due, created=due + dt.timedelta(minutes=5))
    from complaints.services import escalation_notify

    escalation_notify(complaint=c, escalation=breach, roles=["verifier"])
    n = Notification.objects.get(kind="escalation")
    n.body = ""
    _subject, body = notification_render(n)

    # then the deadline reads in the zone of the unit that owns the clock, as on the staff case
    # page (routing moved the running deadlines into it)
    assert "26 November 2026, pukul 23.59 WIB" in body
    assert "WIT" not in body

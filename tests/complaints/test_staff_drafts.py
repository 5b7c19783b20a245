"""Draft answers on the case page: one pending answer per complaint, stale approvals and
publications refused, typed text kept after a stale write, action labels in English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.exceptions import StaleState
from complaints import services
from complaints.models import Complaint, ComplaintEvent, EventType, Response, Status
from tests import factories as f
from tests.complaints.staff_world import client_for

pytestmark = pytest.mark.django_db


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def action_url(c: Complaint, name: str) -> str:
    return reverse("staff:action", args=[c.pk, name])


def _in_progress(world) -> Complaint:
    c = f.complaint(world.agency, category=world.category)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    services.complaint_route(complaint_id=c.pk, actor=world.verifier, unit=world.unit)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    c.refresh_from_db()
    return c


def _form_value(html: str, form_action: str, name: str) -> str:
    """The value of a hidden input inside the form posting to `form_action`."""
    start = html.index(f'action="{form_action}"')
    end = html.index("</form>", start)
    form = html[start:end]
    marker = f'name="{name}" value="'
    at = form.index(marker) + len(marker)
    return form[at : form.index('"', at)]


# ---------------------------------------------------------------------------------------------
# 1. Stale approval and publication


def test_approve_of_a_draft_changed_after_the_page_loaded_is_refused(world):
    # given the approver loaded the case page with the officer's draft
    c = _in_progress(world)
    draft = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Versi satu")
    approver = client_for(world.approver)
    html = approver.get(case_url(c) + "?open=approve").content.decode()
    seen = _form_value(html, action_url(c, "approve"), "response_version")
    # when the officer changes the text, then the approver approves what they saw
    officer = client_for(world.officer)
    html = officer.get(case_url(c)).content.decode()
    r = officer.post(
        action_url(c, "draft"),
        {
            "body": "Versi dua yang belum dibaca",
            "response": draft.pk,
            "response_version": _form_value(html, action_url(c, "draft"), "response_version"),
        },
    )
    assert r.status_code == 302
    r = approver.post(
        action_url(c, "approve"),
        {"version": c.version, "response": draft.pk, "response_version": seen},
    )
    # then nothing is approved, the page names who changed it and shows the new text
    html = r.content.decode()
    assert r.status_code == 409
    assert "data-action-error" in html
    assert "Oki Petugas" in html
    assert "Versi dua yang belum dibaca" in html
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT
    assert draft.approved_by is None
    # and the re-rendered approve form carries the current version: approving now works
    fresh = _form_value(html, action_url(c, "approve"), "response_version")
    assert fresh != seen
    r = approver.post(
        action_url(c, "approve"),
        {"version": c.version, "response": draft.pk, "response_version": fresh},
    )
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Response.State.APPROVED


def test_publish_of_a_draft_changed_after_the_page_loaded_is_refused(world):
    # given an approved draft on the approver's page
    c = _in_progress(world)
    draft = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Versi satu")
    services.response_approve(response_id=draft.pk, actor=world.approver)
    approver = client_for(world.approver)
    html = approver.get(case_url(c)).content.decode()
    seen = _form_value(html, action_url(c, "publish"), "response_version")
    # when the officer edits the approved draft and the approver publishes the old page
    draft.refresh_from_db()
    services.response_draft(
        complaint_id=c.pk,
        actor=world.officer,
        body="Versi dua",
        response_id=draft.pk,
        expected_response_version=services.response_version(draft),
    )
    r = approver.post(
        action_url(c, "publish"),
        {"version": c.version, "response": draft.pk, "response_version": seen},
    )
    # then nothing is published
    assert r.status_code == 409
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT
    assert draft.published_at is None


def test_services_refuse_a_stale_draft_version_and_change_nothing(world):
    c = _in_progress(world)
    draft = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Satu")
    old = services.response_version(draft)
    draft = services.response_draft(
        complaint_id=c.pk,
        actor=world.officer,
        body="Dua",
        response_id=draft.pk,
        expected_response_version=old,
    )
    events = ComplaintEvent.objects.filter(complaint=c).count()
    with pytest.raises(StaleState):
        services.response_approve(
            response_id=draft.pk, actor=world.approver, expected_response_version=old
        )
    services.response_approve(
        response_id=draft.pk,
        actor=world.approver,
        expected_response_version=services.response_version(draft),
    )
    draft.refresh_from_db()
    with pytest.raises(StaleState):
        services.response_publish(
            response_id=draft.pk, actor=world.approver, expected_response_version=old
        )
    draft.refresh_from_db()
    assert draft.state == Response.State.APPROVED
    assert ComplaintEvent.objects.filter(complaint=c).count() == events + 1  # the approval


# ---------------------------------------------------------------------------------------------
# 2. One pending answer; editing an approved draft sends it back for approval


def test_editing_an_approved_draft_edits_it_and_needs_approval_again(world):
    # given an approved draft
    c = _in_progress(world)
    draft = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Versi satu")
    services.response_approve(response_id=draft.pk, actor=world.approver)
    officer = client_for(world.officer)
    # when the officer opens the draft form: it is pre-filled with the approved draft
    html = officer.get(case_url(c)).content.decode()
    assert "data-approved-draft-hint" in html
    assert "Versi satu</textarea>" in html
    assert _form_value(html, action_url(c, "draft"), "response") == str(draft.pk)
    r = officer.post(
        action_url(c, "draft"),
        {
            "body": "Versi dua",
            "response": draft.pk,
            "response_version": _form_value(html, action_url(c, "draft"), "response_version"),
        },
    )
    # then the same draft changed and waits for approval again, with a timeline event
    assert r.status_code == 302
    assert Response.objects.filter(complaint=c).count() == 1
    draft.refresh_from_db()
    assert draft.body == "Versi dua"
    assert draft.state == Response.State.DRAFT
    assert draft.approved_by is None
    event = c.events.filter(type=EventType.DRAFT_SAVED).latest("created_at", "id")
    assert event.data.get("was_approved") is True
    html = client_for(world.approver).get(case_url(c)).content.decode()
    assert 'data-action="approve"' in html
    assert 'data-action="publish"' not in html
    assert "Draf yang sudah disetujui diubah" in html


def test_a_second_draft_is_not_created_beside_a_pending_one(world):
    # given the officer loaded the page before anyone drafted, and a colleague drafted
    c = _in_progress(world)
    services.response_draft(complaint_id=c.pk, actor=world.approver, body="Draf rekan")
    # when the officer saves a new draft from the old page
    r = client_for(world.officer).post(action_url(c, "draft"), {"body": "Draf saya sendiri"})
    # then nothing is saved, the colleague is named and the typed text is still in the box
    html = r.content.decode()
    assert r.status_code == 409
    assert "Aris Penyetuju" in html
    assert "Draf saya sendiri</textarea>" in html
    assert list(Response.objects.filter(complaint=c).values_list("body", flat=True)) == [
        "Draf rekan"
    ]
    with pytest.raises(StaleState):
        services.response_draft(complaint_id=c.pk, actor=world.officer, body="Lagi")


def test_draft_body_is_required_without_canned_answers(world):
    c = _in_progress(world)
    r = client_for(world.officer).post(action_url(c, "draft"), {"body": "  "})
    html = r.content.decode()
    assert r.status_code == 400
    assert "Tuliskan jawaban" in html
    assert "Jawaban kepada pelapor (opsional)" not in html
    assert "<title>Kesalahan: " in html


def test_empty_draft_with_a_canned_answer_saves_the_canned_answer(world):
    from complaints.models import CannedResponse

    canned = CannedResponse.objects.create(
        agency=world.agency, title="Terima kasih", body="Terima kasih atas laporan Anda."
    )
    c = _in_progress(world)
    officer = client_for(world.officer)
    assert "Jawaban kepada pelapor (opsional)" in officer.get(case_url(c)).content.decode()
    r = officer.post(action_url(c, "draft"), {"canned": canned.pk, "body": ""})
    assert r.status_code == 302
    assert Response.objects.get(complaint=c).body == "Terima kasih atas laporan Anda."


# ---------------------------------------------------------------------------------------------
# 7. A stale write to an action no longer offered keeps the typed text to copy


def test_stale_write_to_an_action_no_longer_offered_shows_the_typed_text(world):
    # given the verifier loaded a new complaint, then someone else verified it
    c = f.complaint(world.agency, category=world.category)
    loaded = c.version
    services.complaint_verify(complaint_id=c.pk, actor=world.admin)
    # when the verifier submits the hold form they typed into
    r = client_for(world.verifier).post(
        action_url(c, "hold"),
        {"version": loaded, "message": "Mohon kirim foto kemasan obat"},
    )
    html = r.content.decode()
    # then the page says what happened and the text is there to copy, read-only
    assert r.status_code == 409
    assert "Admin Nasional" in html
    assert 'data-action="hold"' not in html
    assert "data-typed-text" in html
    assert "readonly>Mohon kirim foto kemasan obat</textarea>" in html
    c.refresh_from_db()
    assert c.status == Status.VERIFIED


# ---------------------------------------------------------------------------------------------
# 3. Action and timeline labels follow the reader's language


def test_case_page_in_english_names_actions_and_timeline_in_english(world):
    c = f.complaint(world.agency, category=world.category)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    ComplaintEvent.objects.create(
        complaint=c,
        type=EventType.ESCALATED,
        actor_label="system",
        from_status=Status.VERIFIED,
        to_status=Status.VERIFIED,
        data={"clock": "response", "level": 1},
        created_at=timezone.now(),
    )
    verifier = client_for(world.verifier)
    verifier.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = verifier.get(case_url(c)).content.decode()
    for label in (
        "Route to a unit",
        "Forward to another agency",
        "Assign",
        "Add an internal note",
        "Merge as a duplicate",
        "Archive",
    ):
        assert f">{label}<" in html, label
    assert "Escalation</span>" in html
    for indonesian in ("Disposisi ke unit kerja", "Limpahkan ke instansi lain", "Eskalasi<"):
        assert indonesian not in html
    fresh = f.complaint(world.agency, category=world.category)
    assert ">Verify<" in verifier.get(case_url(fresh)).content.decode()
    officer = client_for(world.officer)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    c2 = _in_progress(world)
    html = officer.get(case_url(c2)).content.decode()
    assert "Draft an answer" in html
    assert "Susun draf jawaban" not in html

"""Asking the reporter for data during follow-up (issue: lifecycle steps officers expect): not
the first response, no reporter clock, nothing paused, and the rule written into the timeline."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from common.exceptions import ApplicationError, NotAllowed, NotFound, TransitionNotAllowed
from complaints import actions, services
from complaints.models import EventType, Notification, Status
from tests import factories as f
from tests.complaints.public_support import png_bytes, upload
from tests.complaints.staff_world import client_for, routed_complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _in_progress(world):
    c = routed_complaint(world)
    return services.complaint_take(complaint_id=c.pk, actor=world.officer)


def _tracking_client(c, code) -> Client:
    client = Client()
    client.post(
        reverse("complaints:track"), {"tracking_number": c.tracking_number, "access_code": code}
    )
    return client


def test_request_keeps_every_clock_running_and_is_not_an_answer(world):
    c = _in_progress(world)
    before = (c.response_due_at, c.resolution_due_at, c.hard_ceiling_at, c.current_clock)

    c = services.complaint_request_data(
        complaint_id=c.pk, actor=world.officer, message="Kirim nomor bets obatnya."
    )

    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert c.data_request_open
    assert (c.response_due_at, c.resolution_due_at, c.hard_ceiling_at, c.current_clock) == before
    assert c.first_response_at is None
    assert c.reporter_reply_due_at is None
    assert c.reporter_info_due_at is None
    event = c.events.get(type=EventType.DATA_REQUESTED)
    assert event.is_public
    assert event.body == "Kirim nomor bets obatnya."
    # one request at a time: a second one waits for the reporter's data
    assert not actions.legal(actions.REQUEST_DATA, c, actor=world.officer, draft=None)
    with pytest.raises(TransitionNotAllowed):
        services.complaint_request_data(complaint_id=c.pk, actor=world.officer, message="Lagi")


def test_who_may_ask_and_when(world):
    c = routed_complaint(world)
    with pytest.raises(ApplicationError):
        services.complaint_request_data(complaint_id=c.pk, actor=world.officer, message="  ")
    with pytest.raises(NotFound):
        services.complaint_request_data(complaint_id=c.pk, actor=world.other_officer, message="x")
    with pytest.raises(NotAllowed):
        services.complaint_request_data(complaint_id=c.pk, actor=world.focal, message="x")
    # before verification the verifier holds the complaint for information instead
    fresh = f.complaint(world.agency)
    with pytest.raises(TransitionNotAllowed):
        services.complaint_request_data(complaint_id=fresh.pk, actor=world.verifier, message="x")


def test_reporter_sends_the_data_from_the_tracking_page(world, django_capture_on_commit_callbacks):
    c = f.complaint(world.agency, category=world.category)
    code = c.plain_access_code
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    services.complaint_route(complaint_id=c.pk, actor=world.verifier, unit=world.unit)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    services.complaint_request_data(
        complaint_id=c.pk, actor=world.officer, message="Kirim foto kemasan."
    )
    assert Notification.objects.filter(kind="data_requested", complaint=c).exists()

    client = _tracking_client(c, code)
    with translation.override("id"):
        detail = client.get(reverse("complaints:track_detail", args=[c.tracking_number]))
    html = detail.content.decode()
    assert "Yang perlu Anda lakukan" in html
    assert "Kirim data" in html
    assert "Ini bukan jawaban; tenggat instansi tetap berjalan." in html

    url = reverse("complaints:track_supply_info", args=[c.tracking_number])
    page = client.get(url).content.decode()
    assert "Kirim foto kemasan." in page
    assert "tenggat instansi tetap berjalan" in page
    assert "diarsipkan" not in page
    empty = client.post(url, {"body": " "})
    assert empty.status_code == 200
    c.refresh_from_db()
    assert c.data_request_open

    response = client.post(
        url, {"body": "Ini fotonya", "files": upload("kemasan.png", png_bytes())}, follow=True
    )
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert not c.data_request_open
    html = response.content.decode()
    assert "Dari Anda: data yang diminta" in html
    assert "kemasan.png" in html
    supplied = c.events.get(type=EventType.DATA_SUPPLIED)
    assert supplied.actor_label == "reporter"
    assert supplied.attachments.count() == 1
    assert Notification.objects.filter(
        kind="staff_data_supplied", recipient=world.officer.email
    ).exists()
    # the request answered, the page sends the reporter back to the report
    assert client.get(url).status_code == 302
    with pytest.raises(TransitionNotAllowed):
        services.complaint_supply_data(complaint_id=c.pk, body="lagi")


def test_case_page_offers_the_request_and_shows_the_rule(world):
    c = _in_progress(world)
    officer = client_for(world.officer)
    with translation.override("id"):
        page = officer.get(reverse("staff:case", args=[c.pk])).content.decode()
        assert 'data-action="request_data"' in page
        missing = officer.post(
            reverse("staff:action", args=[c.pk, "request_data"]),
            {"version": c.version, "message": ""},
        )
        assert missing.status_code == 400
        assert "Tulis data apa yang perlu dikirim pelapor" in missing.content.decode()
        r = officer.post(
            reverse("staff:action", args=[c.pk, "request_data"]),
            {"version": c.version, "message": "Kirim nomor bets."},
            follow=True,
        )
    html = r.content.decode()
    assert "Berhasil: pelapor diminta mengirim data" in html
    assert "Bukan jawaban: tenggat tetap berjalan dan tidak ada yang ditunda." in html
    assert 'data-action="request_data"' not in html
    # another agency's officer cannot reach it
    assert (
        client_for(world.other_officer)
        .post(
            reverse("staff:action", args=[c.pk, "request_data"]),
            {"version": c.version, "message": "x"},
        )
        .status_code
        == 404
    )


def test_publishing_the_answer_ends_the_wait(world):
    c = _in_progress(world)
    services.complaint_request_data(complaint_id=c.pk, actor=world.officer, message="Nomor bets?")
    r = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Sudah ditindak.")
    if c.agency.responses_need_approval:
        services.response_approve(response_id=r.pk, actor=world.approver)
        services.response_publish(response_id=r.pk, actor=world.approver)
    else:
        services.response_publish(response_id=r.pk, actor=world.officer)
    c.refresh_from_db()
    assert c.status == Status.AWAITING_REPORTER
    assert c.data_requested_at is None
    # an objection reopens it with no stale request
    services.complaint_reporter_object(complaint_id=c.pk, reason="Belum")
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert not c.data_request_open

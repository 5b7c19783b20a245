"""Case page and one-by-one actions of the staff workspace: the forms, their errors and
wording, the timeline, the clocks and walk-in complaints."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from common.exceptions import ApplicationError, NotAllowed
from complaints import selectors, services
from complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    EventType,
    Kind,
    Notification,
    Response,
    Status,
)
from tests import factories as f
from tests.complaints.staff_world import (
    client_for,
    forwarded_complaint,
    routed_complaint,
    verified_complaint,
)

pytestmark = pytest.mark.django_db


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def action_url(c: Complaint, name: str) -> str:
    return reverse("staff:action", args=[c.pk, name])


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    c = f.complaint(world.agency)
    response = client.get(case_url(c))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_citizen_without_membership_gets_404(world):
    c = f.complaint(world.agency)
    assert client_for(world.citizen).get(case_url(c)).status_code == 404
    assert client_for(world.citizen).get(reverse("staff:home")).status_code == 404


def test_case_page_shows_heading_clocks_and_verifier_actions(world):
    # given a fresh complaint at the verifier's agency
    c = f.complaint(world.agency, category=world.category)
    # when the verifier opens it
    response = client_for(world.verifier).get(case_url(c))
    html = response.content.decode()
    # then the heading is the tracking number and title, with the reporter and the clocks
    assert response.status_code == 200
    assert c.display_tracking_number in html
    assert c.title in html
    assert "Budi Santoso" in html
    assert 'data-clock="verify"' in html
    # and only the verifier's legal actions are offered
    for name in ("verify", "hold", "forward", "archive", "merge", "note"):
        assert f'data-action="{name}"' in html, name
    for name in ("take", "route", "approve", "publish", "resolve"):
        assert f'data-action="{name}"' not in html, name


def test_anonymous_identity_is_never_shown_to_agency_roles(world):
    c = f.complaint(world.agency, is_anonymous=True, reporter_name="Rahasia Sekali")
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    assert "Rahasia Sekali" not in html
    assert "budi@example.com" not in html
    assert "Identitas dirahasiakan" in html
    # the national admin sees it
    admin_html = client_for(world.admin).get(case_url(c)).content.decode()
    assert "Rahasia Sekali" in admin_html


def test_verify_with_corrections(world):
    c = f.complaint(world.agency, category=world.category)
    other_cat = f.CategoryFactory(agency=world.agency, name="Kosmetik")
    client = client_for(world.verifier)
    response = client.post(
        action_url(c, "verify"),
        {
            "version": c.version,
            "title": "Judul yang diperbaiki",
            "kind": Kind.INFORMATION_REQUEST,
            "category": other_cat.pk,
            "tier": "information",
            "is_confidential": "on",
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.VERIFIED
    assert c.title == "Judul yang diperbaiki"
    assert c.kind == Kind.INFORMATION_REQUEST
    assert c.category == other_cat
    assert c.is_confidential
    event = c.events.get(type=EventType.VERIFIED)
    assert event.actor == world.verifier
    assert event.data["corrections"]["title"] == [
        "Obat kedaluwarsa dijual di apotek",
        "Judul yang diperbaiki",
    ]
    page = client.get(response["Location"])
    assert "Berhasil: laporan diverifikasi." in page.content.decode()


def test_verify_form_errors_keep_the_values(world):
    c = f.complaint(world.agency)
    response = client_for(world.verifier).post(
        action_url(c, "verify"), {"version": c.version, "title": "", "kind": "nonsense"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Kesalahan: " in html
    assert 'href="#verify-title"' in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_stale_write_shows_who_changed_what_and_keeps_the_input(world):
    # given the verifier loaded the page, then someone else held it for information
    c = f.complaint(world.agency)
    loaded_version = c.version
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.admin, message="Lengkapi")
    # when the verifier submits an archive with the old version
    response = client_for(world.verifier).post(
        action_url(c, "archive"),
        {"version": loaded_version, "reason": "other", "detail": "Alasan yang saya ketik"},
    )
    html = response.content.decode()
    # then nothing is overwritten and the page says who changed it and the current state
    assert response.status_code == 409
    assert "Admin Nasional" in html
    assert "data-action-error" in html
    assert "Alasan yang saya ketik" in html
    c.refresh_from_db()
    assert c.status == Status.NEEDS_INFO


def test_application_error_is_shown_and_nothing_lost(world):
    # turning anonymity off needs the national admin
    c = f.complaint(world.agency, is_anonymous=True)
    response = client_for(world.verifier).post(
        action_url(c, "verify"),
        {"version": c.version, "title": "Judul baru", "kind": Kind.COMPLAINT, "tier": "standard"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "data-action-error" in html
    assert "Judul baru" in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_illegal_action_for_role_is_refused(world):
    c = f.complaint(world.agency)
    # an approver may not verify
    response = client_for(world.approver).post(
        action_url(c, "verify"),
        {"version": c.version, "title": c.title, "kind": c.kind, "tier": c.tier},
    )
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_unknown_action_is_404(world):
    c = f.complaint(world.agency)
    assert client_for(world.verifier).post(action_url(c, "explode"), {}).status_code == 404


def test_hold_archive_and_forward(world):
    client = client_for(world.verifier)
    c1 = f.complaint(world.agency)
    client.post(action_url(c1, "hold"), {"version": c1.version, "message": "Kirim foto obat"})
    c1.refresh_from_db()
    assert c1.status == Status.NEEDS_INFO

    c2 = f.complaint(world.agency)
    r = client.post(action_url(c2, "archive"), {"version": c2.version, "reason": "other"})
    assert r.status_code == 400
    assert "#archive-detail" in r.content.decode()
    client.post(
        action_url(c2, "archive"), {"version": c2.version, "reason": "spam", "confirm": "1"}
    )
    c2.refresh_from_db()
    assert c2.status == Status.ARCHIVED
    assert c2.archive_reason

    c3 = f.complaint(world.agency)
    r = client.post(
        action_url(c3, "forward"),
        {"version": c3.version, "agency": world.other.pk, "reason": "Bukan wewenang kami"},
    )
    assert r.status_code == 302
    c3.refresh_from_db()
    assert c3.agency == world.other
    # the sender keeps read-only access
    html = client.get(case_url(c3)).content.decode()
    assert "data-read-only" in html
    assert 'data-action="' not in html


def test_forward_to_the_national_triage_desk(world):
    # given a verified complaint whose agency does not know who handles it
    c = f.complaint(world.agency, reporter_email="warga@example.com")
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    c.refresh_from_db()
    client = client_for(world.verifier)
    with translation.override("id"):
        form = client.get(case_url(c) + "?open=forward").content.decode()
    assert "Meja triase nasional (kami tidak tahu siapa yang berwenang)" in form

    # when the verifier forwards it to the national triage desk
    with translation.override("id"):
        r = client.post(
            action_url(c, "forward"),
            {"version": c.version, "agency": 0, "reason": "Bukan wewenang kami"},
        )
    assert r.status_code == 302

    # then it waits at national triage with a new clock, the national admin sees it, the
    # sender keeps read-only access and the reporter is told where it went
    c.refresh_from_db()
    assert (c.agency, c.scope_path, c.status) == (None, "", Status.VERIFIED)
    assert c.response_due_at is not None
    assert selectors.complaint_list_for_actor(actor=world.admin).filter(pk=c.pk).exists()
    html = client.get(case_url(c)).content.decode()
    assert "data-read-only" in html
    with translation.override("id"):
        admin_page = client_for(world.admin).get(case_url(c)).content.decode()
    assert "Dilimpahkan ke meja triase nasional" in admin_page
    mail = Notification.objects.filter(kind="forwarded").latest("pk")
    assert "Laporan Anda dilimpahkan ke meja triase nasional" in mail.body


def test_route_take_note_draft_approve_publish_resolve(world):
    c = f.complaint(world.agency, category=world.category)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    c.refresh_from_db()
    verifier = client_for(world.verifier)
    r = verifier.post(
        action_url(c, "route"),
        {"version": c.version, "unit": world.unit.pk, "assignee": world.officer.pk},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED
    assert c.unit == world.unit

    officer = client_for(world.officer)
    html = officer.get(case_url(c)).content.decode()
    assert 'data-action="take"' in html
    officer.post(action_url(c, "take"), {"version": c.version})
    officer.post(action_url(c, "note"), {"body": "Sudah menelepon apotek."})
    r = officer.post(action_url(c, "draft"), {"body": "Apotek sudah kami periksa."})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert c.assignee == world.officer
    draft = Response.objects.get(complaint=c)
    assert draft.state == Response.State.DRAFT

    approver = client_for(world.approver)
    html = approver.get(case_url(c)).content.decode()
    assert "Apotek sudah kami periksa." in html
    assert 'data-action="approve"' in html
    assert 'data-action="publish"' not in html
    approver.post(action_url(c, "approve"), {"version": c.version, "response": draft.pk})
    draft.refresh_from_db()
    assert draft.state == Response.State.APPROVED
    c.refresh_from_db()
    approver.post(action_url(c, "publish"), {"version": c.version, "response": draft.pk})
    c.refresh_from_db()
    assert c.status == Status.AWAITING_REPORTER
    officer.post(action_url(c, "resolve"), {})
    c.refresh_from_db()
    assert c.resolved_at is not None
    types = list(c.events.values_list("type", flat=True))
    for t in (EventType.ROUTED, EventType.TAKEN, EventType.NOTE, EventType.DRAFT_SAVED):
        assert t in types
    assert all(
        e.actor_id for e in c.events.exclude(type=EventType.SUBMITTED).exclude(actor_label="system")
    )


def test_return_draft_and_revise(world):
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    draft = services.response_draft(complaint_id=c.pk, actor=world.officer, body="Versi satu")
    approver = client_for(world.approver)
    r = approver.post(action_url(c, "return"), {"response": draft.pk, "reason": ""})
    assert r.status_code == 400
    approver.post(action_url(c, "return"), {"response": draft.pk, "reason": "Tambahkan dasar"})
    draft.refresh_from_db()
    assert draft.state == Response.State.RETURNED
    html = client_for(world.officer).get(case_url(c)).content.decode()
    assert "Tambahkan dasar" in html
    client_for(world.officer).post(
        action_url(c, "draft"), {"body": "Versi dua", "response": draft.pk}
    )
    draft.refresh_from_db()
    assert draft.body == "Versi dua"
    assert draft.state == Response.State.DRAFT


def test_canned_answer_fills_the_draft_without_javascript(world):
    from complaints.models import CannedResponse

    canned = CannedResponse.objects.create(
        agency=world.agency, title="Terima kasih", body="Terima kasih atas laporan Anda."
    )
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    r = client_for(world.officer).post(
        action_url(c, "draft"), {"canned": canned.pk, "body": "", "use_canned": "1"}
    )
    assert r.status_code == 200
    assert "Terima kasih atas laporan Anda.</textarea>" in r.content.decode()
    assert not Response.objects.filter(complaint=c).exists()


def test_assign_and_clear_assignee(world):
    c = routed_complaint(world)
    client = client_for(world.verifier)
    client.post(action_url(c, "assign"), {"version": c.version, "assignee": world.officer2.pk})
    c.refresh_from_db()
    assert c.assignee == world.officer2
    client.post(action_url(c, "assign"), {"version": c.version, "assignee": "none"})
    c.refresh_from_db()
    assert c.assignee is None
    assert c.events.filter(type=EventType.ASSIGNED).count() == 2


def test_merge_by_tracking_number(world):
    a = f.complaint(world.agency)
    b = f.complaint(world.agency)
    client = client_for(world.verifier)
    # a well-formed tracking number that no complaint has
    unknown = "2345-6789-ABCD"
    r = client.post(action_url(a, "merge"), {"version": a.version, "into": unknown})
    assert r.status_code == 400
    assert "#merge-into" in r.content.decode()
    foreign = f.complaint(world.other)
    r = client.post(
        action_url(a, "merge"),
        {"version": a.version, "into": foreign.display_tracking_number},
    )
    assert r.status_code == 400
    r = client.post(
        action_url(a, "merge"),
        {"version": a.version, "into": b.display_tracking_number.lower(), "confirm": "1"},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.ARCHIVED
    assert a.merged_into == b


def test_timeline_newest_first_with_type_labels(world):
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    services.complaint_note(complaint_id=c.pk, actor=world.officer, body="Catatan pertama")
    services.complaint_escalate(
        complaint_id=c.pk, clock="response", cycle=c.clock_cycle, level=3, due_at=c.created_at
    )
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    assert html.index('data-event="escalated"') < html.index('data-event="note"')
    assert html.index('data-event="note"') < html.index('data-event="submitted"')
    assert "Catatan internal" in html
    assert "Eskalasi" in html
    assert "Perubahan status" in html
    # An escalation names the clock that reached the step
    assert "Dieskalasi: Tanggapan pertama, tingkat 3" in html


def test_timeline_names_the_resolution_clock_and_the_ceiling(world):
    c = routed_complaint(world)
    for clock in ("resolution", "hard_ceiling"):
        services.complaint_escalate(
            complaint_id=c.pk, clock=clock, cycle=0, level=2, due_at=c.created_at
        )
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    assert "Dieskalasi: Penyelesaian, tingkat 2" in html
    assert "Dieskalasi: Batas akhir" in html
    c.refresh_from_db()
    assert (c.resolution_escalation_level, c.ceiling_escalation_level) == (2, 2)
    assert c.escalation_level == 0


def test_related_possible_duplicates(world):
    c = f.complaint(world.agency, category=world.category, title="Obat kedaluwarsa di apotek")
    dup = f.complaint(world.agency, category=world.category, title="Apotek jual obat kedaluwarsa")
    f.complaint(world.other, title="Obat kedaluwarsa di apotek lain")
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    section = html[html.index('id="related-title"') :]
    assert dup.display_tracking_number in section
    assert section.count('class="tracking"') == 1


def test_possible_duplicates_are_looked_for_only_while_the_viewer_may_merge(
    world, django_assert_num_queries
):
    # given a complaint an officer works on, and one like it
    c = routed_complaint(world, title="Obat kedaluwarsa di apotek", assignee=world.officer)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    f.complaint(world.agency, category=world.category, title="Apotek jual obat kedaluwarsa")
    # then neither the officer nor the verifier (who can no longer merge it) is shown a list
    for user in (world.officer, world.verifier):
        html = client_for(user).get(case_url(c)).content.decode()
        assert 'id="related-title"' not in html, user
        assert 'data-action="merge"' not in html, user


def test_attachment_download_is_authorised_and_forced(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    png = buffer.getvalue()
    c = f.complaint(
        world.agency, attachments=[SimpleUploadedFile("foto.png", png, content_type="image/png")]
    )
    attachment = c.attachments.get()
    url = reverse("staff:attachment", args=[attachment.pk])
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    assert url in html
    response = client_for(world.verifier).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    attachment.file.close()
    assert client_for(world.other_verifier).get(url).status_code == 404
    assert (
        client_for(world.verifier).get(reverse("staff:attachment", args=[999999])).status_code
        == 404
    )


def test_walk_in_complaint_is_recorded_with_channel(world):
    client = client_for(world.verifier)
    assert client.get(reverse("staff:new")).status_code == 200
    r = client.post(reverse("staff:new"), {"channel": "phone"})
    assert r.status_code == 400
    assert "Kesalahan" in r.content.decode()
    r = client.post(
        reverse("staff:new"),
        {
            "channel": Channel.PHONE,
            "agency": world.agency.pk,
            "kind": Kind.COMPLAINT,
            "category": world.category.pk,
            "title": "Pelayanan lambat",
            "body": "Pelapor menelepon: antrean tiga jam.",
            "reporter_name": "Ibu Sari",
            "reporter_phone": "0812 3456 7890",
        },
    )
    assert r.status_code == 302
    c = Complaint.objects.get(title="Pelayanan lambat")
    assert c.channel == Channel.PHONE
    assert c.reporter_phone == "+6281234567890"  # normalized, as the citizen form stores it
    assert c.reporter_id is None
    page = client.get(r["Location"]).content.decode()
    assert c.display_tracking_number in page
    event = c.events.get(type=EventType.SUBMITTED)
    assert event.actor == world.verifier


def test_walk_in_category_must_belong_to_agency(world):
    r = client_for(world.verifier).post(
        reverse("staff:new"),
        {
            "channel": Channel.WALK_IN,
            "agency": world.agency.pk,
            "kind": Kind.COMPLAINT,
            "category": world.other_category.pk,
            "title": "X",
            "body": "Y",
            "is_anonymous": "on",
        },
    )
    assert r.status_code == 400
    assert not Complaint.objects.filter(title="X").exists()


@pytest.mark.parametrize("n_events", [1, 20])
def test_case_page_query_count_is_fixed(world, django_assert_num_queries, n_events):
    # given an in-progress complaint with n events (the officer may draft and note)
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    for i in range(max(0, n_events - c.events.count())):
        services.complaint_note(complaint_id=c.pk, actor=world.officer, body=f"Catatan {i}")
    assert c.events.count() >= n_events
    client = client_for(world.officer)
    # 1 session, 2 user, 3 memberships (scope and roles), 4 complaint (with its assignee), 5-6
    # every agency and category (its places and category), 7 events with actors, 8 responses
    # (their attachments are prefetched only when there are responses), 9 attachments, 10
    # unacknowledged escalations, 11 canned answers for the officer's draft form (no possible
    # duplicates: the officer may not merge; the neighbours in the queue are read only when
    # asked for: staff_case.case_step)
    with django_assert_num_queries(11):
        response = client.get(case_url(c))
    assert response.status_code == 200
    # 5, 6 and 11 are kept per process: common.refcache.
    with django_assert_num_queries(8):
        client.get(case_url(c))


def test_events_are_all_recorded_with_actor(world):
    c = f.complaint(world.agency)
    client_for(world.verifier).post(
        action_url(c, "hold"), {"version": c.version, "message": "Lengkapi"}
    )
    e = ComplaintEvent.objects.filter(complaint=c).latest("created_at")
    assert e.type == EventType.HELD_FOR_INFO
    assert e.actor == world.verifier


# htmx (UX §6): the same pages with or without JavaScript; htmx swaps #main in place.
HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}


def test_staff_pages_load_htmx_deferred_with_its_configuration_and_public_pages_do_not(world):
    import json
    import re

    c = f.complaint(world.agency)
    client = client_for(world.verifier)
    case_html = client.get(case_url(c)).content.decode()
    queue_html = client.get(reverse("staff:queue")).content.decode()
    for html in (case_html, queue_html):
        assert re.search(r'<script src="[^"]*js/htmx\.min\.js" defer></script>', html)
        assert 'role="status" aria-live="polite" data-hx-status' in html
        assert "Daftar diperbarui" in html
        assert "Tindakan berhasil" in html
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", case_html)[1])
    # no copy of case pages in localStorage; 400 and 409 pages are swapped like successes
    assert config["historyCacheSize"] == 0
    handling = {rule["code"]: rule for rule in config["responseHandling"]}
    assert re.fullmatch(handling["40[09]"]["code"], "400")
    assert re.fullmatch(handling["40[09]"]["code"], "409")
    assert handling["40[09]"]["swap"] is True
    assert handling["[45].."]["swap"] is False
    # actions post with htmx and swap #main; queue filters, sort and pages push the URL
    assert 'hx-boost="true" hx-target="#main" hx-select="#main" hx-swap="outerHTML">' in case_html
    assert 'id="filters" novalidate hx-boost="true" hx-target="#main"' in queue_html
    assert queue_html.count('hx-push-url="true"') >= 2
    assert 'id="queue-results" tabindex="-1"' in queue_html
    # the public site stays free of htmx
    assert "htmx" not in client.get("/").content.decode()


def test_htmx_action_success_redirects_to_the_case_page_like_without_javascript(world):
    c = f.complaint(world.agency)
    client = client_for(world.verifier)
    response = client.post(action_url(c, "note"), {"body": "Lewat htmx."}, **HX)
    # the browser follows the redirect; htmx pushes the case page's URL and swaps its #main
    assert response.status_code == 302
    assert response["Location"] == case_url(c)
    assert "HX-Push-Url" not in response
    page = client.get(case_url(c), **HX)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<main id="main"' in html
    assert "Lewat htmx." in html
    assert "Berhasil: catatan ditambahkan." in html


def test_htmx_error_and_stale_write_pages_keep_the_address_of_the_case_page(world):
    c = f.complaint(world.agency)
    loaded_version = c.version
    client = client_for(world.verifier)
    # a form error: 400, the whole page (htmx selects #main), and no history entry for the
    # action URL, which only accepts POST
    invalid = client.post(action_url(c, "note"), {"body": ""}, **HX)
    assert invalid.status_code == 400
    assert invalid["HX-Push-Url"] == "false"
    assert "data-error-summary" in invalid.content.decode()
    # the same request without htmx is unchanged
    plain = client.post(action_url(c, "note"), {"body": ""})
    assert plain.status_code == 400
    assert "HX-Push-Url" not in plain
    # a stale write: 409 with who changed it, swapped in place as well
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.admin, message="Lengkapi")
    stale = client.post(
        action_url(c, "archive"),
        {"version": loaded_version, "reason": "other", "detail": "Alasan yang saya ketik"},
        **HX,
    )
    html = stale.content.decode()
    assert stale.status_code == 409
    assert stale["HX-Push-Url"] == "false"
    assert "data-action-error" in html
    assert "Admin Nasional" in html
    assert "Alasan yang saya ketik" in html
    c.refresh_from_db()
    assert c.status == Status.NEEDS_INFO


def test_htmx_canned_answer_page_keeps_the_address_of_the_case_page(world):
    from complaints.models import CannedResponse

    canned = CannedResponse.objects.create(
        agency=world.agency, title="Terima kasih", body="Terima kasih atas laporan Anda."
    )
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    r = client_for(world.officer).post(
        action_url(c, "draft"), {"canned": canned.pk, "body": "", "use_canned": "1"}, **HX
    )
    assert r.status_code == 200
    assert r["HX-Push-Url"] == "false"
    assert "Terima kasih atas laporan Anda.</textarea>" in r.content.decode()


def test_htmx_queue_request_gets_the_same_full_page(world):
    f.complaint(world.agency, title="Kosmetik tanpa izin")
    f.complaint(world.agency, title="Antrean paspor panjang")
    client = client_for(world.verifier)
    url = reverse("staff:queue") + "?q=kosmetik"
    plain = client.get(url)
    boosted = client.get(url, **HX)
    assert boosted.status_code == plain.status_code == 200
    html = boosted.content.decode()
    assert '<main id="main"' in html
    assert "Kosmetik tanpa izin" in html
    assert "Antrean paspor panjang" not in html
    assert "HX-Push-Url" not in boosted


# ---------------------------------------------------------------------------------------------
# The route form's errors follow the form-error pattern


def test_route_to_an_officer_of_another_unit_is_a_field_error_with_the_form_open(world):
    # given an assigned complaint (re-route is in the "more actions" menu)
    c = routed_complaint(world)
    r = client_for(world.verifier).post(
        action_url(c, "route"),
        {"version": c.version, "unit": world.unit2.pk, "assignee": world.officer.pk},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "<title>Kesalahan: " in html
    assert 'href="#route-assignee">Pilih petugas dari unit kerja yang dipilih</a>' in html
    assert 'id="route-assignee-error"' in html
    field = re.search(r'<select name="assignee"[^>]*id="route-assignee"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert "route-assignee-error" in field
    # the form comes back open, in place of its link
    assert 'data-opened-action="route"' in html
    assert 'href="?open=route' not in html
    # the values are kept
    assert f'<option value="{world.unit2.pk}" selected>' in html
    assert f'<option value="{world.officer.pk}" selected>' in html
    assert "banner--error" not in html
    c.refresh_from_db()
    assert c.unit == world.unit


# ---------------------------------------------------------------------------------------------
# The receiving agency sets the category of a verified complaint


def test_receiving_agency_changes_the_category_without_recomputing_deadlines(world):
    c = forwarded_complaint(world)
    assert c.category is None
    due = (c.response_due_at, c.resolution_due_at, c.hard_ceiling_at)
    client = client_for(world.other_verifier)
    html = client.get(case_url(c)).content.decode()
    assert "Ubah kategori" in html
    r = client.post(
        action_url(c, "category"), {"version": c.version, "category": world.other_category.pk}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.category == world.other_category
    assert (c.response_due_at, c.resolution_due_at, c.hard_ceiling_at) == due
    event = c.events.get(type=EventType.RECLASSIFIED)
    assert event.actor == world.other_verifier
    assert event.data["to_name"] == "KTP"
    assert event.data["deadlines_recomputed"] is False
    assert not event.is_public
    page = client.get(case_url(c)).content.decode()
    assert "Berhasil: kategori diubah menjadi KTP." in page
    assert "Kategori diubah: tidak ada → KTP" in page


def test_change_category_refuses_a_stale_page_a_foreign_category_and_other_roles(world):
    c = routed_complaint(world)
    client = client_for(world.verifier)
    stale = c.version
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=world.officer)
    r = client.post(action_url(c, "category"), {"version": stale, "category": world.category.pk})
    # the form refuses the current category before the version is even looked at
    assert r.status_code == 400
    other = f.CategoryFactory(agency=world.agency, name="Kosmetika")
    r = client.post(action_url(c, "category"), {"version": stale, "category": other.pk})
    assert r.status_code == 409
    r = client.post(
        action_url(c, "category"), {"version": stale + 1, "category": world.other_category.pk}
    )
    assert r.status_code == 400  # not a category of this agency: not in the list
    c.refresh_from_db()
    assert c.category == world.category
    with pytest.raises(NotAllowed):
        services.complaint_set_category(complaint_id=c.pk, actor=world.officer, category=other)
    services.complaint_archive(complaint_id=c.pk, actor=world.verifier, reason="Spam")
    with pytest.raises(ApplicationError):
        services.complaint_set_category(complaint_id=c.pk, actor=world.verifier, category=other)
    # not offered to officers, nor before verification (the verify form sets it there)
    assert (
        "Ubah kategori"
        not in client_for(world.officer).get(case_url(routed_complaint(world))).content.decode()
    )
    assert "Ubah kategori" not in client.get(case_url(f.complaint(world.agency))).content.decode()


# ---------------------------------------------------------------------------------------------
# Timeline wording


def test_clearing_the_assignee_reads_assignee_cleared_without_status_change(world):
    c = routed_complaint(world, assignee=world.officer)
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=None)
    client = client_for(world.verifier)
    html = client.get(case_url(c)).content.decode()
    item_html = html.split('data-event="assigned"', 1)[1].split("</li>", 1)[0]
    assert "Penanggung jawab dikosongkan" in item_html
    assert "Perubahan status" not in item_html
    assert "tidak ada (penanggung jawab" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(case_url(c)).content.decode()
    assert "Assignee cleared" in html.split('data-event="assigned"', 1)[1].split("</li>", 1)[0]


def test_a_note_is_labelled_once(world):
    c = routed_complaint(world)
    services.complaint_note(complaint_id=c.pk, actor=world.verifier, body="Cek lapangan")
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    note = html.split('data-event="note"', 1)[1].split("</li>", 1)[0]
    assert note.count("Catatan internal") == 1


# ---------------------------------------------------------------------------------------------
# Clocks on the case page


def _clock_html(html: str, key: str) -> str:
    return html.split(f'data-clock="{key}"', 1)[1].split("</li>", 1)[0]


def test_hard_ceiling_counts_calendar_days(world):
    c = verified_complaint(world)
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    ceiling = _clock_html(html, "hard_ceiling")
    assert re.search(r"\b60 hari lagi", ceiling) or re.search(r"\b59 hari lagi", ceiling)
    assert "hari kerja" not in ceiling
    # the working-day clocks keep working days
    assert "hari kerja lagi" in _clock_html(html, "response")


def test_a_held_complaint_shows_the_paused_verification_clock(world):
    c = f.complaint(world.agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.verifier, message="KTP?")
    c.refresh_from_db()
    assert c.verify_remaining_days is not None
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    verify = _clock_html(html, "verify")
    assert f"Dijeda: sisa {c.verify_remaining_days} hari kerja" in verify


# ---------------------------------------------------------------------------------------------
# Reasons the system stored, in the reader's language


def test_an_escalation_no_deadline_caused_says_why_and_a_system_archive_reads_in_english(world):
    c = routed_complaint(world)
    services.complaint_escalate(
        complaint_id=c.pk,
        clock="resolution",
        cycle=1,
        level=3,
        name="second_objection",
        due_at=timezone.now(),
    )
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    assert "sanggahan kedua dari pelapor" in html
    # a reason the system stored in English is shown in the reader's language
    other = f.complaint(world.agency)
    Complaint.objects.filter(pk=other.pk).update(status=Status.NEEDS_INFO)
    assert services.complaint_archive_silent(complaint_id=other.pk) is not None
    client = client_for(world.verifier)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(case_url(other)).content.decode()
    assert "The requested information was not supplied in time" in page


# ---------------------------------------------------------------------------------------------
# Success messages


def test_every_staff_success_message_starts_with_berhasil():
    import ast
    from pathlib import Path

    import complaints.views

    pages = sorted(Path(complaints.views.__file__).parent.glob("staff_*.py"))
    trees = [ast.parse(page.read_text()) for page in pages]
    ids = [
        node.args[0].value
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).startswith("Done:")
    ]
    assert len(ids) >= 20
    with translation.override("id"):
        for msgid in ids:
            assert translation.gettext(msgid).startswith("Berhasil: "), msgid


# ---------------------------------------------------------------------------------------------
# The walk-in reporter's phone and the staff forms' limits


def _walk_in(**changes) -> dict:
    from complaints.models import Channel, Kind

    return {
        "channel": Channel.WALK_IN,
        "kind": Kind.COMPLAINT,
        "title": "Pelayanan lambat",
        "body": "Pelapor datang: antrean tiga jam.",
        "reporter_name": "Ibu Sari",
        **changes,
    }


def test_a_walk_in_phone_that_is_not_a_phone_number_is_refused(world):
    r = client_for(world.verifier).post(
        reverse("staff:new"), _walk_in(agency=world.agency.pk, reporter_phone="12ab")
    )
    html = r.content.decode()
    message = "Masukkan nomor telepon seperti 0812 3456 7890 atau +62 812 3456 7890"
    assert r.status_code == 400
    assert f'href="#id_reporter_phone">{message}</a>' in html
    # one error on the field: not also "enter the phone or email"
    assert list(r.context["form"].errors) == ["reporter_phone"]
    assert len(r.context["form"].errors["reporter_phone"]) == 1
    assert 'value="12ab"' in html
    assert not Complaint.objects.filter(title="Pelayanan lambat").exists()


@pytest.mark.parametrize("typed", ["+62 812-3456-7890", "62 812 3456 7890", "(0812) 3456.7890"])
def test_a_walk_in_phone_is_stored_normalized(world, typed):
    r = client_for(world.verifier).post(
        reverse("staff:new"), _walk_in(agency=world.agency.pk, reporter_phone=typed)
    )
    assert r.status_code == 302
    assert Complaint.objects.get(title="Pelayanan lambat").reporter_phone == "+6281234567890"


def test_staff_form_limits_get_the_house_wording(world):
    client = client_for(world.verifier)
    r = client.post(
        reverse("staff:new"),
        _walk_in(
            agency=world.agency.pk,
            reporter_phone="0812 3456 7890",
            reporter_name="n" * 151,
            location_text="l" * 256,
        ),
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Nama pelapor harus 150 karakter atau kurang" in html
    assert "Lokasi harus 255 karakter atau kurang" in html
    assert "Pastikan" not in html
    c = f.complaint(world.agency)
    r = client.post(
        reverse("staff:action", args=[c.pk, "archive"]),
        {"version": c.version, "reason": "other", "detail": "d" * 201},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Alasan harus 200 karakter atau kurang" in html
    assert "Pastikan" not in html


def test_a_unit_returns_a_misrouted_disposition_to_the_agency(world):
    # given a complaint routed to the officer's unit, with its response clock running
    c = routed_complaint(world)
    due = c.response_due_at
    officer = client_for(world.officer)
    with translation.override("id"):
        page = officer.get(case_url(c)).content.decode()
    assert 'data-action="return_to_agency"' in page

    # when the officer returns it with a reason
    with translation.override("id"):
        r = officer.post(
            action_url(c, "return_to_agency"),
            {"version": c.version, "reason": "Ini urusan unit perizinan"},
        )

    # then it is back with the agency's verifiers (one event, the clock still running) and the
    # officer, no longer in scope, lands on the queue
    assert r.status_code == 302
    assert r["Location"] == reverse("staff:queue")
    c.refresh_from_db()
    assert (c.unit, c.assignee, c.status) == (None, None, Status.VERIFIED)
    assert c.scope_path == world.agency.path
    assert c.response_due_at.date() == due.date()
    event = c.events.get(type=EventType.ROUTE_RETURNED)
    assert event.body == "Ini urusan unit perizinan"
    assert Notification.objects.filter(
        kind="staff_route_returned", recipient=world.verifier.email
    ).exists()
    verifier_page = client_for(world.verifier).get(case_url(c)).content.decode()
    assert "Ini urusan unit perizinan" in verifier_page


def test_only_the_unit_returns_a_disposition(world):
    c = routed_complaint(world)
    with pytest.raises(NotAllowed):
        services.complaint_return_to_agency(complaint_id=c.pk, actor=world.verifier, reason="x")
    with pytest.raises(ApplicationError):
        services.complaint_return_to_agency(complaint_id=c.pk, actor=world.officer, reason=" ")


def test_archiving_after_verification_needs_an_explanation_for_the_reporter(world):
    # given a verified complaint
    c = verified_complaint(world)
    # then a listed reason alone is refused, by the service and by the page
    with pytest.raises(ApplicationError):
        services.complaint_archive(
            complaint_id=c.pk, actor=world.verifier, reason="Not a public-service matter"
        )
    client = client_for(world.verifier)
    with translation.override("id"):
        page = client.get(case_url(c) + "?open=archive").content.decode()
        assert "Jelaskan alasannya kepada pelapor (wajib setelah verifikasi)" in page
        r = client.post(
            action_url(c, "archive"), {"version": c.version, "reason": "not_public_service"}
        )
    assert r.status_code == 400
    assert "Jelaskan alasan pengarsipan" in r.content.decode()
    c.refresh_from_db()
    assert c.status == Status.VERIFIED
    # and with an explanation the reporter can read, it is archived
    c = services.complaint_archive(
        complaint_id=c.pk,
        actor=world.verifier,
        reason="Not a public-service matter: tagihan listrik swasta, hubungi PLN",
    )
    assert c.status == Status.ARCHIVED
    # a report never verified may still be archived with a listed reason
    fresh = f.complaint(world.agency)
    services.complaint_archive(complaint_id=fresh.pk, actor=world.verifier, reason="Spam or abuse")

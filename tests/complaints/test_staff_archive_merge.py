"""Archive and merge on the case page: a confirmation step says what will happen first, "Back"
keeps what was typed, and archive reasons are stored in English and read in each language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import Complaint, Status
from tests import factories as f
from tests.complaints.staff_world import client_for

pytestmark = pytest.mark.django_db

BULK = reverse("staff:bulk")


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def action_url(c: Complaint, name: str) -> str:
    return reverse("staff:action", args=[c.pk, name])


def item(c: Complaint) -> str:
    return f"{c.pk}:{c.version}"


def test_archive_detail_says_when_it_is_required(world):
    c = f.complaint(world.agency)
    html = client_for(world.verifier).get(case_url(c) + "?open=archive").content.decode()
    label = re.search(r'<label class="label" for="archive-detail">([^<]*)</label>', html).group(1)
    assert label == "Jelaskan alasannya (wajib untuk alasan lain)"
    confirm = (
        client_for(world.verifier)
        .post(BULK, {"action": "archive", "items": [item(c)]})
        .content.decode()
    )
    label = re.search(r'<label class="label" for="id_detail">([^<]*)</label>', confirm).group(1)
    assert label == "Jelaskan alasannya (wajib untuk alasan lain)"
    assert "Wajib diisi untuk alasan lain" not in confirm


def test_a_listed_archive_reason_is_stored_in_english_and_read_in_each_language(world):
    c = f.complaint(world.agency)
    r = client_for(world.verifier).post(
        action_url(c, "archive"),
        {
            "version": c.version,
            "reason": "not_public_service",
            "detail": "Urusan pribadi",
            "confirm": "1",
        },
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.archive_reason == "Not a public-service matter: Urusan pribadi"
    from complaints.views.public_display import archive_reason_text

    with translation.override("id"):
        assert archive_reason_text(c.archive_reason) == (
            "Bukan masalah pelayanan publik: Urusan pribadi"
        )
    with translation.override("en"):
        assert archive_reason_text(c.archive_reason) == c.archive_reason
    # typed by staff: shown as written, even when it looks like "something: more"
    assert archive_reason_text("Sudah selesai: lihat surat") == "Sudah selesai: lihat surat"


def test_archive_shows_what_will_happen_before_it_happens(world):
    c = f.complaint(world.agency, title="Obat palsu di pasar")
    client = client_for(world.verifier)
    typed = {"version": c.version, "reason": "not_public_service", "detail": "Urusan “pribadi”"}
    # when the verifier archives from the case page
    r = client.post(action_url(c, "archive"), typed)
    html = r.content.decode()
    # then a confirmation page says which complaint, the reason and that it cannot be undone
    assert r.status_code == 200
    assert "<title>Arsipkan laporan ini? \u2013 Aduan</title>" in html
    assert "<h1>Arsipkan laporan ini?</h1>" in html
    assert c.display_tracking_number in html
    assert "Obat palsu di pasar" in html
    reason = html.split("data-confirm-reason>", 1)[1].split("</dd>", 1)[0]
    assert reason == "Bukan masalah pelayanan publik: Urusan “pribadi”"
    assert "tidak dapat dibuka kembali" in html
    button = 'class="button button--warning" data-confirm-button>Arsipkan laporan ini</button>'
    assert button in html
    # what was typed travels with it
    assert 'name="reason" value="not_public_service"' in html
    assert 'name="detail" value="Urusan “pribadi”"' in html
    assert f'name="version" value="{c.version}"' in html
    assert 'name="confirm" value="1"' in html
    # "Back" posts the same fields back and lands on the archive form
    back = f'formaction="{action_url(c, "archive")}#action-archive" name="change"'
    assert back in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    # and only the confirmation archives it
    r = client.post(action_url(c, "archive"), {**typed, "confirm": "1"})
    assert r.status_code == 302
    assert r["Location"] == case_url(c)
    c.refresh_from_db()
    assert c.status == Status.ARCHIVED
    assert c.archive_reason == "Not a public-service matter: Urusan “pribadi”"


def test_back_from_the_confirmation_keeps_what_was_typed(world):
    c = f.complaint(world.agency)
    r = client_for(world.verifier).post(
        action_url(c, "archive"),
        {
            "version": c.version,
            "reason": "other",
            "detail": "Laporan ganda dari warga",
            "confirm": "1",
            "change": "1",
        },
    )
    html = r.content.decode()
    # then the case page, its archive form open with the reason and explanation kept
    assert r.status_code == 200
    assert f'<h1><span class="tracking">{c.display_tracking_number}</span>' in html
    archive = html.split('data-action="archive"', 1)[1].split("</form>", 1)[0]
    assert 'value="Laporan ganda dari warga"' in archive
    assert re.search(r'value="other"[^>]*checked', archive)
    before_form = html.split('data-action="archive"')[0]
    assert 'data-opened-action="archive"' in before_form[-400:]
    assert "data-error-summary" not in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_merge_shows_the_target_before_it_happens(world):
    a = f.complaint(world.agency, title="Apotek menjual obat keras")
    b = f.complaint(world.agency, title="Obat keras dijual bebas di apotek")
    client = client_for(world.verifier)
    typed = {"version": a.version, "into": b.display_tracking_number.lower()}
    r = client.post(action_url(a, "merge"), typed)
    html = r.content.decode()
    assert r.status_code == 200
    assert f"<h1>Gabungkan laporan ini ke {b.display_tracking_number}?</h1>" in html
    target = html.split("data-confirm-target>", 1)[1].split("</div>", 1)[0]
    assert b.display_tracking_number in target
    assert "Obat keras dijual bebas di apotek" in target
    assert "Apotek menjual obat keras" in html
    assert f"Duplikat dari {b.display_tracking_number}" in html
    assert "tidak dapat dibatalkan" in html
    assert f'name="into" value="{b.display_tracking_number.lower()}"' in html
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED
    r = client.post(action_url(a, "merge"), {**typed, "confirm": "1"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.merged_into) == (Status.ARCHIVED, b)


def test_a_merge_that_cannot_happen_is_not_offered_for_confirmation(world):
    a = f.complaint(world.agency)
    closed = f.complaint(world.agency)
    services.complaint_archive(complaint_id=closed.pk, actor=world.verifier, reason="Spam")
    client = client_for(world.verifier)
    for into, message in (
        (a.display_tracking_number, "Laporan tidak dapat digabungkan dengan dirinya sendiri."),
        (closed.display_tracking_number, "Gabungkan ke laporan yang masih terbuka."),
    ):
        r = client.post(action_url(a, "merge"), {"version": a.version, "into": into})
        html = r.content.decode()
        assert r.status_code == 400
        assert message in html
        assert "data-confirm-button" not in html
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def test_a_complaint_changed_before_the_confirmation_is_not_archived_or_merged(world):
    a = f.complaint(world.agency)
    b = f.complaint(world.agency)
    loaded = a.version
    client = client_for(world.verifier)
    confirm = client.post(action_url(a, "merge"), {"version": loaded, "into": b.tracking_number})
    assert confirm.status_code == 200
    # someone else holds it for information meanwhile
    services.complaint_hold_for_info(complaint_id=a.pk, actor=world.admin, message="Lengkapi")
    for name, data in (
        ("merge", {"into": b.tracking_number}),
        ("archive", {"reason": "spam"}),
    ):
        r = client.post(action_url(a, name), {"version": loaded, **data, "confirm": "1"})
        html = r.content.decode()
        assert r.status_code == 409, name
        assert "Admin Nasional" in html
        assert "data-action-error" in html
    a.refresh_from_db()
    assert a.status == Status.NEEDS_INFO
    assert a.merged_into is None


def test_a_role_that_cannot_archive_gets_no_confirmation(world):
    c = f.complaint(world.agency)
    r = client_for(world.approver).post(
        action_url(c, "archive"), {"version": c.version, "reason": "spam"}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Peran Anda tidak mengizinkan tindakan ini pada laporan ini." in html
    assert "data-confirm-button" not in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_archive_and_merge_forms_are_plain_posts_other_actions_stay_boosted(world):
    c = f.complaint(world.agency)
    client = client_for(world.verifier)
    for name in ("archive", "merge"):
        html = client.get(f"{case_url(c)}?open={name}").content.decode()
        tag = re.search(rf'<form [^>]*data-action="{name}"[^>]*>', html).group(0)
        assert 'hx-boost="false"' in tag, name
    html = client.get(f"{case_url(c)}?open=hold").content.decode()
    tag = re.search(r'<form [^>]*data-action="hold"[^>]*>', html).group(0)
    assert "hx-boost" not in tag

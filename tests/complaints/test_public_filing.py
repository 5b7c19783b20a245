"""The multi-step filing form: every step, every bad input, drafts, double submit, limits."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.drafts import SESSION_KEY
from complaints.models import Complaint, Notification
from tests import factories as f
from tests.complaints.public_support import (
    STORY,
    complaint_count,
    follow_ref,
    follow_url,
    jpeg_with_exif,
    png_bytes,
    submit,
    upload,
    walk_to_check,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _draft(client) -> dict:
    return client.session.get(SESSION_KEY, {})


# -- the happy path ------------------------------------------------------------------------------


def test_anonymous_report_with_attachment_is_filed_and_receipt_shows_codes_once(client, agency):
    # given a category and a photo with EXIF location data
    category = f.CategoryFactory(agency=agency, name="Obat")

    # when the reporter walks every step anonymously and sends the report
    response = submit(
        client,
        agency=agency,
        category=category,
        files=[upload("foto.jpg", jpeg_with_exif(), "image/jpeg")],
        privacy=["anonymous"],
        contact={"name": "", "email": "anon@example.com", "phone": ""},
    )

    # then one complaint exists, anonymous, with the stripped photo
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:file_receipt")
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert not complaint.is_confidential
    assert complaint.agency == agency
    assert complaint.category == category
    attachment = complaint.attachments.get()
    assert attachment.original_name == "foto.jpg"
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    assert b"SecretCameraMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    # and the draft is gone, with its pending files
    assert SESSION_KEY not in client.session

    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert complaint.display_tracking_number in html
    code = receipt.context["code"]
    assert len(code) == 9
    assert code[4] == "-"
    assert code in html
    assert "Laporan terkirim" in html
    # the receipt email is in the outbox, with the signed link and without the code
    note = Notification.objects.get(kind="receipt")
    assert note.recipient == "anon@example.com"
    assert "/lacak/t/" in note.body
    assert code.replace("-", "") not in note.body.replace("-", "")


def test_access_code_is_not_shown_again_after_the_receipt_window(client, agency):
    response = submit(client, agency=agency)
    receipt = client.get(response["Location"])
    code = receipt.context["code"]
    session = client.session
    session["filing_receipt"]["at"] -= 3600
    session.save()

    later = client.get(reverse("complaints:file_receipt"))

    assert code not in later.content.decode()
    assert later.context["code"] == ""


def test_unknown_agency_goes_to_national_triage(client):
    submit(client, agency=None)
    complaint = Complaint.objects.get()
    assert complaint.agency is None
    assert complaint.scope_path == ""


def test_signed_in_reporter_gets_the_complaint_on_the_account(client, agency):
    user = f.UserFactory(email="warga@example.com", full_name="Warga Baik")
    client.force_login(user)
    submit(client, agency=agency)
    assert Complaint.objects.get().reporter == user


def test_contact_step_prefills_the_signed_in_reporter(client, agency):
    user = f.UserFactory(email="warga@example.com", full_name="Warga Baik")
    client.force_login(user)
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": "unknown"})
    client.post(reverse("complaints:file_story"), STORY)
    client.post(reverse("complaints:file_when"), {})
    client.post(reverse("complaints:file_attachments"), {"action": "continue"})
    client.post(reverse("complaints:file_privacy"), {})
    page = client.get(reverse("complaints:file_contact"))
    assert page.context["form"]["email"].value() == "warga@example.com"


# -- steps: validation, values kept, Indonesian errors ------------------------------------------


def _assert_error(response, message: str):
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Kesalahan: " in html
    assert "Ada masalah" in html
    assert message in html


def test_kind_is_required(client):
    response = client.post(reverse("complaints:file_kind"), {})
    _assert_error(response, "Pilih jenis laporan")
    assert 'href="#id_kind_0"' in response.content.decode()


def test_later_step_opened_first_goes_back_to_the_first_missing_answer(client):
    response = client.get(reverse("complaints:file_contact"))
    assert response["Location"] == reverse("complaints:file_kind")


def test_agency_search_lists_matches_as_radios(client, agency):
    for n in range(13):
        f.AgencyFactory(name=f"Dinas Lain {n}")
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    response = client.get(reverse("complaints:file_agency"), {"q": "pengawas"})
    html = response.content.decode()
    assert "Badan Pengawas Obat dan Makanan (BPOM)" in html
    assert "Dinas Lain" not in html
    assert "Saya tidak tahu" in html


def test_agency_must_be_chosen(client, agency):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    response = client.post(reverse("complaints:file_agency"), {"agency": "999999"})
    _assert_error(response, "Pilih instansi tujuan, atau pilih “Saya tidak tahu”")


def test_agency_search_text_typed_before_a_language_switch_is_searched_after_it(client, agency):
    # given a reporter on the agency step of an earlier search, with many agencies
    for n in range(13):
        f.AgencyFactory(name=f"Dinas Lain {n}")
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    searched = f"{reverse('complaints:file_agency')}?{urlencode({'q': 'dinas'})}"
    assert "Dinas Lain 0" in client.get(searched).content.decode()

    # when they type another search and an agency but switch language instead of sending it,
    # through the page's form as the header's buttons send it without JavaScript
    switch = f"{reverse('switch_language')}?{urlencode({'next': searched})}"
    response = client.post(switch, {"language": "en", "q": "pengawas", "agency": str(agency.pk)})
    assert response["Location"] == searched

    # then the page, in English, shows the typed text in the box, searched, and the choice
    html = client.get(searched).content.decode()
    assert '<html lang="en">' in html
    assert re.search(r'<input type="search" name="q" id="id_q" value="pengawas"', html)
    assert "1 agency found for “pengawas”." in html
    assert "Dinas Lain" not in html
    assert re.search(rf'value="{agency.pk}"[^>]*checked', html)
    # once: afterwards the address's search again, and nothing was chosen on the server
    html = client.get(searched).content.decode()
    assert re.search(r'name="q" id="id_q" value="dinas"', html)
    assert "Dinas Lain 0" in html
    assert "agency_id" not in _draft(client).get("answers", {})


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({"q": " pengawas obat "}, "?q=pengawas+obat"),
        ({"q": "pengawas", "ubah": "1"}, "?q=pengawas&ubah=1"),
        ({"q": "  "}, ""),
    ],
)
def test_agency_search_sent_with_the_pages_form_goes_to_its_address(client, agency, sent, expected):
    # the search box is part of the page's form (the language switch keeps it), so a search
    # is a POST: it answers nothing and goes to the search's address
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    url = reverse("complaints:file_agency")
    response = client.post(url, {**sent, "search": "1", "agency": str(agency.pk)})
    assert response.status_code == 302
    assert response["Location"] == url + expected
    assert "agency_id" not in _draft(client).get("answers", {})


def test_agency_step_search_box_and_enter_belong_to_the_pages_form(client, agency):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    html = client.get(reverse("complaints:file_agency")).content.decode()
    start = html.index('<form id="page-form"')
    form = html[start : html.index("</form>", start)]
    assert 'name="q" id="id_q"' in form
    assert 'name="search" value="1"' in form
    # Enter sends a form with its first submit button: the hidden search one, before the
    # header's language buttons (which belong to the page's form too)
    first = re.search(r'<button type="submit" form="page-form"[^>]*>', html).group(0)
    assert 'name="search"' in first
    assert "hidden" in first
    assert html.index(first) < html.index(">English</button>")


def test_out_of_scope_category_shows_guidance_instead_of_the_form(client, agency):
    category = f.CategoryFactory(
        agency=agency, name="Tilang", out_of_scope_guidance="Laporkan ke kepolisian setempat."
    )
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    response = client.post(reverse("complaints:file_category"), {"category": str(category.pk)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporkan ke kepolisian setempat." in html
    assert not _draft(client)["answers"].get("category_id")
    assert "category" not in _draft(client)["done"]


def test_out_of_scope_guidance_follows_the_page_language(client, agency):
    category = f.CategoryFactory(
        agency=agency,
        name="Peredaran narkotika",
        name_en="Narcotics trafficking",
        out_of_scope_guidance="Laporkan kepada Badan Narkotika Nasional.",
        out_of_scope_guidance_en="Report it to the National Narcotics Board.",
    )
    untranslated = f.CategoryFactory(
        agency=agency, name="Tilang", out_of_scope_guidance="Laporkan ke kepolisian setempat."
    )
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    url = reverse("complaints:file_category")
    html = client.post(url, {"category": str(category.pk)}).content.decode()
    assert "Laporkan kepada Badan Narkotika Nasional." in html
    assert "National Narcotics Board" not in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.post(url, {"category": str(category.pk)}).content.decode()
    assert "Report it to the National Narcotics Board." in html
    assert "Laporkan kepada" not in html
    assert "Reports about “Narcotics trafficking” are not handled" in html
    # without an English text, the English page shows the Indonesian one rather than nothing
    html = client.post(url, {"category": str(untranslated.pk)}).content.decode()
    assert "Laporkan ke kepolisian setempat." in html


def test_empty_story_gives_instructions(client, agency):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": "unknown"})
    response = client.post(reverse("complaints:file_story"), {"title": " ", "body": ""})
    _assert_error(response, "Masukkan judul laporan")
    assert "Tuliskan apa yang terjadi" in response.content.decode()


def test_too_long_title_and_body_keep_what_was_typed(client, settings):
    settings.ADUAN_BODY_MAX_LENGTH = 50
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": "unknown"})
    title = "J" * 151
    body = "<b>isi</b> " * 10
    response = client.post(reverse("complaints:file_story"), {"title": title, "body": body})
    _assert_error(response, "Judul laporan harus 150 karakter atau kurang")
    html = response.content.decode()
    assert "Cerita kejadian harus 50 karakter atau kurang" in html
    assert f'value="{title}"' in html
    # HTML typed by the reporter comes back as text
    assert "&lt;b&gt;isi&lt;/b&gt;" in html
    assert "<b>isi</b>" not in html


def _to_when(client):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": "unknown"})
    client.post(reverse("complaints:file_story"), STORY)


@pytest.mark.parametrize(
    ("parts", "message", "anchor"),
    [
        (("31", "2", "2024"), "Tanggal kejadian harus tanggal yang benar", "id_incident_day"),
        (("12", "13", "2024"), "Tanggal kejadian harus tanggal yang benar", "id_incident_month"),
        (("x", "2", "2024"), "Tanggal kejadian harus tanggal yang benar", "id_incident_day"),
        (("12", "", "2024"), "Tanggal kejadian harus mencakup bulan", "id_incident_month"),
        (("", "", "2024"), "Tanggal kejadian harus mencakup tanggal dan bulan", "id_incident_day"),
        (("", "2", ""), "Tanggal kejadian harus mencakup tanggal dan tahun", "id_incident_day"),
        (("12", "", ""), "Tanggal kejadian harus mencakup bulan dan tahun", "id_incident_month"),
        (("12", "2", "24"), "Tahun harus terdiri dari 4 angka", "id_incident_year"),
    ],
)
def test_bad_dates_are_refused_and_kept(client, parts, message, anchor):
    _to_when(client)
    day, month, year = parts
    response = client.post(
        reverse("complaints:file_when"),
        {"incident_day": day, "incident_month": month, "incident_year": year, "location": "Pasar"},
    )
    _assert_error(response, message)
    html = response.content.decode()
    assert f'href="#{anchor}"' in html
    assert 'value="Pasar"' in html
    assert f'value="{year}"' in html
    assert "when" not in _draft(client)["done"]


def test_future_date_is_refused(client):
    _to_when(client)
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    response = client.post(
        reverse("complaints:file_when"),
        {
            "incident_day": str(tomorrow.day),
            "incident_month": str(tomorrow.month),
            "incident_year": str(tomorrow.year),
        },
    )
    _assert_error(response, "Tanggal kejadian harus hari ini atau sebelumnya")


def test_month_names_are_accepted(client):
    _to_when(client)
    response = client.post(
        reverse("complaints:file_when"),
        {"incident_day": "17", "incident_month": "Agustus", "incident_year": "2024"},
    )
    assert response.status_code == 302
    assert _draft(client)["answers"]["incident_date"] == "2024-08-17"


def test_coordinates_must_be_in_range_and_paired(client):
    _to_when(client)
    response = client.post(reverse("complaints:file_when"), {"latitude": "-95", "longitude": "x"})
    _assert_error(response, "Garis lintang harus angka antara -90 dan 90")
    assert "Garis bujur harus angka antara -180 dan 180" in response.content.decode()
    response = client.post(reverse("complaints:file_when"), {"latitude": "-6,2"})
    _assert_error(response, "Masukkan juga garis bujur, atau kosongkan keduanya")


def _to_attachments(client):
    _to_when(client)
    client.post(reverse("complaints:file_when"), {})


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "foto.jpg",
            b"<html><script>alert(1)</script></html>",
            "Berkas “foto.jpg” harus berupa JPG, PNG, atau PDF",
        ),
        (
            "gambar.jpg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "Berkas “gambar.jpg” harus berupa JPG, PNG, atau PDF",
        ),
        ("arsip.pdf", b"PK\x03\x04" + b"\x00" * 100, "Berkas “arsip.pdf” harus berupa JPG, PNG"),
    ],
)
def test_disguised_files_are_refused_and_nothing_is_stored(client, name, data, message):
    _to_attachments(client)
    response = client.post(
        reverse("complaints:file_attachments"),
        {"files": upload(name, data, "image/jpeg"), "action": "upload"},
    )
    _assert_error(response, message)
    assert "berkas yang Anda pilih perlu dipilih lagi" in response.content.decode()
    assert _draft(client)["uploads"] == []


def test_decompression_bomb_png_is_refused(client):
    from tests.complaints.test_public_uploads import bomb_png

    _to_attachments(client)
    response = client.post(
        reverse("complaints:file_attachments"),
        {"files": upload("bom.png", bomb_png()), "action": "continue"},
    )
    _assert_error(response, "Gambar “bom.png” memiliki terlalu banyak piksel")
    assert _draft(client)["uploads"] == []
    assert "attachments" not in _draft(client)["done"]


def test_oversize_file_is_refused(client, settings):
    settings.ADUAN_ATTACHMENT_MAX_BYTES = 1024
    _to_attachments(client)
    response = client.post(
        reverse("complaints:file_attachments"),
        {"files": upload("besar.png", png_bytes() + b"\x00" * 2048), "action": "upload"},
    )
    # whole numbers without decimals (UX.md): "1 KB", never "1,0 KB"
    _assert_error(response, "Berkas “besar.png” harus lebih kecil dari 1 KB")
    assert _draft(client)["uploads"] == []


def test_files_are_listed_and_can_be_removed(client):
    _to_attachments(client)
    client.post(
        reverse("complaints:file_attachments"),
        {"files": [upload("a.png", png_bytes()), upload("b.png", png_bytes())], "action": "upload"},
    )
    uploads = _draft(client)["uploads"]
    assert [u["name"] for u in uploads] == ["a.png", "b.png"]
    page = client.get(reverse("complaints:file_attachments"))
    assert "a.png" in page.content.decode()
    client.post(reverse("complaints:file_attachment_remove"), {"key": uploads[0]["key"]})
    assert [u["name"] for u in _draft(client)["uploads"]] == ["b.png"]


def test_too_many_files_are_refused(client, settings):
    settings.ADUAN_ATTACHMENTS_MAX_COUNT = 1
    _to_attachments(client)
    response = client.post(
        reverse("complaints:file_attachments"),
        {"files": [upload("a.png", png_bytes()), upload("b.png", png_bytes())], "action": "upload"},
    )
    _assert_error(response, "Anda dapat melampirkan paling banyak 1 berkas")
    assert _draft(client)["uploads"] == []


def _to_contact(client, privacy=()):
    _to_attachments(client)
    client.post(reverse("complaints:file_attachments"), {"action": "continue"})
    client.post(reverse("complaints:file_privacy"), {"privacy": list(privacy)})


def test_named_reporter_needs_a_name_and_a_way_to_reach_them(client):
    _to_contact(client)
    response = client.post(reverse("complaints:file_contact"), {"name": "", "email": ""})
    _assert_error(response, "Masukkan nama lengkap Anda")
    assert "Masukkan alamat email atau nomor telepon" in response.content.decode()


def test_bad_email_and_phone_are_described_and_kept(client):
    _to_contact(client)
    response = client.post(
        reverse("complaints:file_contact"),
        {"name": "Siti", "email": "siti@", "phone": "12345"},
    )
    _assert_error(response, "Masukkan alamat email dengan format yang benar")
    html = response.content.decode()
    assert "Masukkan nomor telepon seperti 0812 3456 7890" in html
    assert 'value="siti@"' in html
    assert 'value="12345"' in html


@pytest.mark.parametrize("phone", ["0812-3456-7890", "+62 812 3456 7890", "62 812 3456 7890"])
def test_phone_formats_are_accepted(client, phone):
    _to_contact(client)
    client.post(reverse("complaints:file_contact"), {"name": "Siti", "phone": phone})
    assert _draft(client)["answers"]["phone"] == "+6281234567890"


def test_the_phone_hint_promises_a_call_only_to_reporters_the_agency_can_see(client):
    _to_contact(client)
    assert "Instansi dapat menelepon Anda" in client.get(reverse("complaints:file_contact")).text
    _to_contact(client, privacy=["anonymous"])
    html = client.get(reverse("complaints:file_contact")).text
    assert "instansi dan publik tidak melihat data ini" in html
    assert "menelepon" not in html
    assert "Misalnya 0812 3456 7890." in html


def test_anonymous_reporter_may_leave_contact_empty_and_is_warned(client):
    _to_contact(client, privacy=["anonymous"])
    response = client.post(reverse("complaints:file_contact"), {})
    assert response.status_code == 302
    check = client.get(reverse("complaints:file_check"))
    assert "satu-satunya cara" in check.content.decode()


# -- the check page, double submit, honeypot, rate limit -----------------------------------------


def test_check_page_lists_answers_with_change_links(client, agency):
    walk_to_check(
        client, agency=agency, contact={"name": "Siti", "email": "", "phone": "0812345678"}
    )
    html = client.get(reverse("complaints:file_check")).content.decode()
    assert STORY["title"] in html
    assert "Tidak diisi" in html
    assert f"{reverse('complaints:file_story')}?ubah=1" in html
    assert '<span class="visually-hidden"> judul</span>' in html


def test_change_link_returns_to_the_check_page(client, agency):
    walk_to_check(client, agency=agency)
    response = client.post(
        reverse("complaints:file_story") + "?ubah=1", {"title": "Judul baru", "body": "Isi baru"}
    )
    assert response["Location"] == reverse("complaints:file_check")
    assert "Judul baru" in client.get(response["Location"]).content.decode()


def test_consent_is_required_and_nothing_is_stored(client, agency):
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    response = client.post(reverse("complaints:file_check"), {"token": token})
    _assert_error(response, "Nyatakan bahwa Anda menyetujui pemberitahuan privasi")
    assert complaint_count() == 0
    assert _draft(client)["answers"]["title"] == STORY["title"]


def test_double_submit_files_once(client, agency):
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    first = client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    second = client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    assert first["Location"] == second["Location"] == reverse("complaints:file_receipt")
    assert complaint_count() == 1


def test_double_submit_from_another_session_with_the_same_token_files_once(client, agency):
    # a tap that arrives with a fresh session (e.g. the cookie was not yet updated)
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    response = client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    assert response.status_code == 302
    assert complaint_count() == 1


def test_honeypot_refuses_without_storing(client, agency):
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    response = client.post(
        reverse("complaints:file_check"),
        {"consent": "on", "token": token, "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert complaint_count() == 0


def test_filing_is_rate_limited_per_client(client, agency, settings):
    settings.ADUAN_RATE_FILING = (2, 3600)
    submit(client, agency=agency)
    submit(client, agency=agency)
    response = submit(client, agency=agency)
    _assert_error(response, "Anda telah mengirim banyak laporan dalam waktu singkat")
    assert complaint_count() == 2
    # the answers are still there for later
    assert _draft(client)["answers"]["title"] == STORY["title"]


def test_language_switch_keeps_the_draft(client, agency):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("complaints:file_story")}
    )
    assert response["Location"] == reverse("complaints:file_story")
    page = client.get(reverse("complaints:file_story"))
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert STORY["title"] in html
    assert "Tell us about the problem" in html


def _checked(agency, **kwargs):
    """A complaint the verifier has accepted (only those are offered as similar)."""
    from complaints.models import Role
    from complaints.services import complaint_verify

    c = f.complaint(agency, **kwargs)
    complaint_verify(complaint_id=c.pk, actor=f.staff(agency, Role.VERIFIER))
    fresh = Complaint.objects.get(pk=c.pk)
    fresh.plain_access_code = c.plain_access_code
    return fresh


def test_similar_open_complaints_are_offered_and_can_be_followed(client, agency):
    existing = _checked(agency, title="Antrean puskesmas lama sekali")
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    response = client.post(reverse("complaints:file_when"), {})
    assert response["Location"] == reverse("complaints:file_similar")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert existing.title in html
    # the other reporter's identity and tracking number are not shown
    assert "Budi Santoso" not in html
    assert existing.tracking_number not in html
    assert f'name="follow" value="{follow_ref(client, existing)}"' in html
    chose = client.post(response["Location"], {"follow": follow_ref(client, existing)})
    assert chose["Location"] == follow_url(client, existing)
    followed = client.post(chose["Location"], {"email": "ikut@example.com"}, follow=True)
    assert "Laporan Anda belum dikirim" in followed.content.decode()
    assert complaint_count() == 1
    cont = client.post(response["Location"], {"action": "new"})
    assert cont["Location"] == reverse("complaints:file_attachments")


def test_confidential_complaints_are_not_offered_as_similar(client, agency):
    _checked(agency, title="Antrean puskesmas lama sekali", is_confidential=True)
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    response = client.post(reverse("complaints:file_when"), {})
    assert response["Location"] == reverse("complaints:file_attachments")


def test_story_fields_are_not_labelled_optional_and_carry_no_required_attribute(client):
    # given a reporter on the story step
    from complaints.forms_public import StoryForm

    form = StoryForm()
    # then the mandatory fields are not marked "(optional)" and the browser does not validate
    html = str(form["title"]) + str(form["body"])
    assert form.fields["title"].required
    assert form.fields["body"].required
    assert "required" not in html


# -- the double-tap race: the losing request must not bring the sent draft back ------------------


def _stale_copy(client):
    """A second SessionStore of the same session key, loaded now: what a concurrent request
    that started before the filing request saved its session holds."""
    from importlib import import_module

    from django.conf import settings as django_settings

    engine = import_module(django_settings.SESSION_ENGINE)
    stale = engine.SessionStore(session_key=client.session.session_key)
    stale.load()
    stale._session_cache = stale.load()
    return stale


def _run_with_session(session, path, data):
    """Run the check page view as the middleware would, with `session` as request.session,
    and save the session afterwards when the view changed it."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from complaints.views import public

    request = RequestFactory().post(path, data)
    request.session = session
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    response = public.file_check(request)
    if session.modified:
        session.save()
    return response


def test_losing_double_tap_keeps_the_winners_session(client, agency):
    # given a draft at the check page, and the losing tap's copy of the session loaded before
    # the winning tap saved its own
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    stale = _stale_copy(client)
    assert stale[SESSION_KEY]["token"] == token

    # when the winning tap files, and the losing tap then finishes and saves its stale copy
    won = client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    lost = _run_with_session(
        stale, reverse("complaints:file_check"), {"consent": "on", "token": token}
    )

    # then one complaint, both taps go to the receipt, and the session the browser ends up
    # with has no draft, the receipt, and access to the new report
    assert won["Location"] == lost["Location"] == reverse("complaints:file_receipt")
    assert complaint_count() == 1
    complaint = Complaint.objects.get()
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]["done"]
    receipt = client.get(reverse("complaints:file_receipt"))
    assert receipt.context["complaint"] == complaint
    assert receipt.context["code"]
    detail = client.get(reverse("complaints:track_detail", args=[complaint.tracking_number]))
    assert detail.status_code == 200
    kind = client.get(reverse("complaints:file_kind"))
    assert kind.context["form"].initial["kind"] is None


def test_sent_draft_restored_after_the_token_cache_expired_cannot_file_again(client, agency):
    # given a report filed, after which an out-of-date session save restores the sent draft
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    stale = _stale_copy(client)
    client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    complaint = Complaint.objects.get()
    stale.pop("tracked_complaints", None)
    stale.pop("filing_receipt", None)
    stale.modified = True
    stale.save()
    # and the one-time token has long left the cache
    cache.clear()

    # when the reporter opens the check page and sends the restored draft again
    page = client.get(reverse("complaints:file_check"))
    again = client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})

    # then nothing is filed twice: both go to the receipt of the first report (without the
    # code), the draft is gone and the browser is authorised for the report
    assert page["Location"] == again["Location"] == reverse("complaints:file_receipt")
    assert complaint_count() == 1
    receipt = client.get(reverse("complaints:file_receipt"))
    assert receipt.context["complaint"] == complaint
    assert receipt.context["code"] == ""
    assert (
        client.get(reverse("complaints:track_detail", args=[complaint.tracking_number])).status_code
        == 200
    )


def test_make_another_report_forgets_a_restored_sent_draft(client, agency):
    walk_to_check(client, agency=agency)
    token = client.get(reverse("complaints:file_check")).context["form"]["token"].value()
    stale = _stale_copy(client)
    client.post(reverse("complaints:file_check"), {"consent": "on", "token": token})
    stale.modified = True
    stale.save()
    cache.clear()

    response = client.get(reverse("complaints:file_start"))

    assert response["Location"] == reverse("complaints:file_kind")
    assert client.get(response["Location"]).context["form"].initial["kind"] is None


def test_filing_service_refuses_a_draft_it_has_filed(agency):
    from complaints.services import AlreadySubmitted, complaint_submit

    first, _code = complaint_submit(
        actor=None, kind="complaint", title="Judul", body="Isi", agency=agency, submit_key="k1"
    )
    with pytest.raises(AlreadySubmitted) as exc:
        complaint_submit(
            actor=None, kind="complaint", title="Judul", body="Isi", agency=agency, submit_key="k1"
        )
    assert exc.value.complaint == first
    assert complaint_count() == 1


@pytest.mark.parametrize("query", ["imigrasi", "IMIGRASI", "Ditjen Imi", "bbpom"])
def test_agency_search_finds_units_and_offers_their_agency(client, agency, query):
    # given a ministry whose directorate general is a unit, and BPOM with a regional office
    ministry = f.AgencyFactory(
        name="Kementerian Imigrasi dan Pemasyarakatan", short_name="Kemenimipas"
    )
    f.UnitFactory(
        parent=ministry, name="Direktorat Jenderal Imigrasi", short_name="Ditjen Imigrasi"
    )
    f.UnitFactory(parent=agency, name="Balai Besar POM di Jakarta", short_name="BBPOM Jakarta")
    f.UnitFactory(
        parent=f.AgencyFactory(name="Kementerian Lain"), name="Imigrasi lama", is_active=False
    )
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})

    # when the reporter searches for the unit's name
    response = client.get(reverse("complaints:file_agency"), {"q": query})

    # then the agency that takes its reports is offered, with the unit named in its hint
    html = response.content.decode()
    expected, unit = (
        (agency, "Balai Besar POM di Jakarta")
        if query == "bbpom"
        else (ministry, "Direktorat Jenderal Imigrasi")
    )
    assert expected.display_name in html
    assert f"Termasuk {unit}" in html
    assert "Kementerian Lain" not in html
    assert "1 instansi ditemukan" in html
    # and choosing it files to that agency
    chose = client.post(reverse("complaints:file_agency"), {"q": query, "agency": str(expected.pk)})
    assert chose.status_code == 302
    assert _draft(client)["answers"]["agency_id"] == expected.pk


def test_agency_search_queries_do_not_grow_with_units(client, agency, django_assert_num_queries):
    from complaints.selectors_public import agency_search_public

    for n in range(5):
        f.UnitFactory(parent=agency, name=f"Balai POM {n}")
    # units matching the query, then the agencies (direct or through a unit)
    with django_assert_num_queries(2):
        found = agency_search_public(query="pom")
    assert found == [agency]
    assert len(found[0].matched_units) == 5


def test_receipt_says_truthfully_how_long_the_code_is_shown_without_repeats(client, agency):
    response = submit(client, agency=agency)
    html = client.get(response["Location"]).content.decode()
    # the code stays for the receipt window (a reload on a flaky connection), and says so
    assert "hanya kami tampilkan selama 10 menit" in html
    assert "hanya ditampilkan sekali" not in html
    # one instruction to save or print, not two in a row
    assert html.count("simpan atau cetak halaman ini") == 1
    assert "Simpan atau cetak halaman ini." not in html
    # the feedback link goes to the page that takes feedback, never to help
    assert f'href="{reverse("complaints:help")}">Bagaimana' not in html
    assert html.count("Bagaimana pendapat Anda") == 1
    again = client.get(reverse("complaints:file_receipt")).content.decode()
    assert again.count("hanya kami tampilkan selama 10 menit") == 1


def test_similar_reports_are_checked_ones_in_third_person_wording(client, agency):
    # given, at the same agency: one report still waiting to be checked, one waiting for its
    # reporter's information, one accepted and one answered (waiting for its reporter)
    from complaints.models import Role
    from complaints.services import complaint_hold_for_info

    verifier = f.staff(agency, Role.VERIFIER)
    f.complaint(agency, title="Antrean puskesmas belum diperiksa")
    held = f.complaint(agency, title="Antrean puskesmas kurang informasi")
    complaint_hold_for_info(complaint_id=held.pk, actor=verifier, message="Kapan?")
    _checked(agency, title="Antrean puskesmas sudah diterima")
    answered = _checked(agency, title="Antrean puskesmas sudah dijawab")
    Complaint.objects.filter(pk=answered.pk).update(status="awaiting_reporter")

    # when a reporter with a similar title reaches the similar step
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    client.post(reverse("complaints:file_when"), {})
    html = client.get(reverse("complaints:file_similar")).content.decode()

    # then only the checked reports are offered, never addressed as the reader's own
    assert "Antrean puskesmas sudah diterima" in html
    assert "Antrean puskesmas sudah dijawab" in html
    assert "belum diperiksa" not in html
    assert "kurang informasi" not in html
    assert "Belum terverifikasi" not in html
    assert "dari Anda" not in html
    cards = html.split('class="card-list"', 1)[1].split("</ul>", 1)[0]
    assert "Anda" not in cards


def test_category_names_follow_the_page_language(client, agency):
    # given a checked report in a category with an English name
    category = f.CategoryFactory(agency=agency, name="Obat", name_en="Medicines")
    c = _checked(agency, title="Antrean puskesmas lama sekali", category=category)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    # the similar step, and the reporter's own report page, show the English name
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(reverse("complaints:file_category"), {"category": str(category.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    client.post(reverse("complaints:file_when"), {})
    similar = client.get(reverse("complaints:file_similar")).content.decode()
    assert "<dd>Medicines</dd>" in similar
    assert "<dd>Obat</dd>" not in similar
    client.post(
        reverse("complaints:track"),
        {"tracking_number": c.tracking_number, "access_code": c.plain_access_code},
    )
    detail = client.get(reverse("complaints:track_detail", args=[c.tracking_number]))
    assert "<dd>Medicines</dd>" in detail.content.decode()


# -- nits: sizes, empty files, phone, month names, English hint ---------------------------------


@pytest.mark.parametrize(
    ("size", "text"),
    [(97, "97 B"), (1024, "1 KB"), (1536, "1,5 KB"), (10 * 1024 * 1024, "10 MB"), (None, "")],
)
def test_file_sizes_are_written_without_needless_decimals(size, text):
    from django.utils import translation

    from complaints.templatetags.citizen import file_size

    with translation.override("id"):
        assert file_size(size) == text


@pytest.mark.parametrize(
    ("phone", "text"),
    [
        ("+6281234567890", "+62 812 3456 7890"),
        ("081234567890", "0812 3456 7890"),
        ("0812345678", "0812 345678"),
        ("12345", "12345"),
    ],
)
def test_phone_numbers_are_grouped_for_reading(phone, text):
    from complaints.templatetags.citizen import phone_display

    assert phone_display(phone) == text


def test_check_page_shows_phone_and_sizes_readably(client, agency):
    walk_to_check(
        client,
        agency=agency,
        files=[upload("foto.png", png_bytes())],
        contact={"name": "Siti", "email": "", "phone": "+62 812-3456-7890"},
    )
    html = client.get(reverse("complaints:file_check")).content.decode()
    assert "+62 812 3456 7890" in html
    assert "bita" not in html
    assert " B)" in html


def test_empty_file_is_named_with_what_to_do(client):
    _to_attachments(client)
    response = client.post(
        reverse("complaints:file_attachments"),
        {"files": upload("kosong.png", b""), "action": "upload"},
    )
    _assert_error(response, "“kosong.png” kosong. Pilih berkas lain")
    assert "Berkas yang dikirimkan kosong" not in response.content.decode()


@pytest.mark.parametrize(
    "month", ["Agust", "agust.", "AGU", "Agt", "Aug", "August", "Agustus", "8"]
)
def test_month_abbreviations_are_accepted(client, month):
    _to_when(client)
    response = client.post(
        reverse("complaints:file_when"),
        {"incident_day": "17", "incident_month": month, "incident_year": "2024"},
    )
    assert response.status_code == 302
    assert _draft(client)["answers"]["incident_date"] == "2024-08-17"


def test_english_date_hint_uses_an_english_month(client):
    _to_when(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("complaints:file_when")).content.decode()
    assert "17 August 2025" in html
    assert "Agustus" not in html


# -----------------------------------------------------------------------------------------------
# QA findings: upload errors wired to the input, form actions, agency hints, receipt dates


def test_upload_error_is_announced_by_the_file_input(client):
    _to_attachments(client)
    response = client.post(
        reverse("complaints:file_attachments"),
        {"files": upload("kosong.png", b""), "action": "upload"},
    )
    html = response.content.decode()
    assert 'id="id_files-error"' in html
    assert 'aria-describedby="id_files-hint id_files-error"' in html
    assert 'aria-invalid="true"' in html


def test_question_forms_post_to_a_url_without_the_error_fragment(client):
    # A form without an action posts to the page's URL *with* its fragment ("#id_kind_0" after
    # following an error-summary link), and the browser carries that fragment on through the
    # redirect to the next step. An explicit action has no fragment to carry.
    response = client.post(reverse("complaints:file_kind"), {})
    html = response.content.decode()
    assert 'href="#id_kind_0"' in html
    assert f'method="post" action="{reverse("complaints:file_kind")}" novalidate>' in html
    _to_attachments(client)
    agency_page = client.get(reverse("complaints:file_agency") + "?q=pom").content.decode()
    assert 'action="/lapor/instansi/?q=pom"' in agency_page
    # its search box is sent with that form (so the language switch keeps it): no other form
    assert 'method="get"' not in agency_page


def test_agency_hint_says_when_more_units_matched_than_it_lists(client, agency):
    for n in range(4):
        f.UnitFactory(parent=agency, name=f"Balai POM {n}")
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    html = client.get(reverse("complaints:file_agency"), {"q": "balai pom"}).content.decode()
    assert "Termasuk Balai POM 0; Balai POM 1; Balai POM 2, dan lainnya" in html
    assert "Balai POM 3" not in html


def test_agency_hint_lists_three_units_without_and_others(client, agency):
    for n in range(3):
        f.UnitFactory(parent=agency, name=f"Balai POM {n}")
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    html = client.get(reverse("complaints:file_agency"), {"q": "balai pom"}).content.decode()
    assert "Termasuk Balai POM 0; Balai POM 1; Balai POM 2<" in html
    assert "dan lainnya" not in html


def test_receipt_next_steps_count_the_working_days_left_and_ask_for_feedback(client, agency):
    response = submit(client, agency=agency)
    html = client.get(response["Location"]).content.decode()
    # both dated steps carry "(n hari kerja lagi)"
    assert html.count(" hari kerja lagi)") == 2
    feedback = reverse("complaints:service_feedback")
    assert f'href="{feedback}?from=/lapor/terkirim/"' in html


def test_the_double_filing_check_is_one_index_probe(agency):
    # Every filing asks whether its draft was filed before: the lookup must be answered by the
    # event_submit_key index, not by reading the recent filings.
    from django.db import connection

    from complaints.models import ComplaintEvent, EventType

    c = f.complaint(agency)
    ComplaintEvent.objects.bulk_create(
        ComplaintEvent(
            complaint=c,
            type=EventType.SUBMITTED,
            data={"channel": "web", "submit_key": f"{n:064x}"},
            created_at=timezone.now(),
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaintevent")
    plan = (
        ComplaintEvent.objects.filter(type=EventType.SUBMITTED, data__submit_key="k" * 64)
        .select_related("complaint")[:1]
        .explain()
    )
    assert "event_submit_key" in plan


# -- QA round: counter wording, place row, empty agency search, English guidance ----------------


def test_the_character_count_wording_comes_translated_in_both_numbers(client, settings):
    # the live count (aduan.js) reads its words from the textarea; without JS the hint says it
    settings.ADUAN_BODY_MAX_LENGTH = 1200
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": "unknown"})
    html = client.get(reverse("complaints:file_story")).content.decode()
    assert 'data-maxlength="1200"' in html
    assert "Anda dapat menulis hingga 1.200 karakter." in html
    assert 'data-count-left-one="Anda dapat menulis %(n)s karakter lagi"' in html
    assert 'data-count-left="Anda dapat menulis %(n)s karakter lagi"' in html
    assert 'data-count-over-one="Anda melebihi batas sebanyak %(n)s karakter"' in html
    assert 'data-count-over="Anda melebihi batas sebanyak %(n)s karakter"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("complaints:file_story")).content.decode()
    assert 'data-count-left-one="You have %(n)s character remaining"' in html
    assert 'data-count-left="You have %(n)s characters remaining"' in html
    assert 'data-count-over-one="You have %(n)s character too many"' in html
    assert 'data-count-over="You have %(n)s characters too many"' in html


def _place_row(html: str) -> str:
    row = html.split("<dt>Lokasi</dt>", 1)[1]
    return row.split('<dd class="summary-list__actions">', 1)[0]


@pytest.mark.parametrize(
    ("when", "shown", "hidden"),
    [
        # only coordinates: the coordinates alone, not "Tidak diisi" before them
        ({"latitude": "-6,2", "longitude": "106,8"}, ["-6.200000, 106.800000"], ["Tidak diisi"]),
        # a coordinate of 0 is a real place (the equator runs through Pontianak)
        ({"latitude": "0", "longitude": "109,3"}, ["0.000000, 109.300000"], ["Tidak diisi"]),
        ({"location": "Jl. Merdeka 10"}, ["Jl. Merdeka 10"], ["Tidak diisi", "<br>"]),
        (
            {"location": "Jl. Merdeka 10", "latitude": "-6,2", "longitude": "106,8"},
            ["Jl. Merdeka 10<br>-6.200000, 106.800000"],
            ["Tidak diisi"],
        ),
        ({}, ["Tidak diisi"], [","]),
    ],
)
def test_check_page_place_row_shows_what_was_given(client, agency, when, shown, hidden):
    walk_to_check(client, agency=agency, when=when)
    row = _place_row(client.get(reverse("complaints:file_check")).content.decode())
    for text in shown:
        assert text in row
    for text in hidden:
        assert text not in row


def test_agency_search_without_matches_says_so_in_words(client, agency):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    html = client.get(reverse("complaints:file_agency"), {"q": "zzzz"}).content.decode()
    assert '<p role="status">Tidak ada instansi yang cocok dengan “zzzz”.</p>' in html
    assert "0 instansi" not in html
    assert "Saya tidak tahu" in html  # still the way on
    # one or more matches are still counted
    html = client.get(reverse("complaints:file_agency"), {"q": "pengawas"}).content.decode()
    assert "1 instansi ditemukan untuk “pengawas”." in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("complaints:file_agency"), {"q": "zzzz"}).content.decode()
    assert '<p role="status">No agency matches “zzzz”.</p>' in html
    html = client.get(reverse("complaints:file_agency"), {"q": "pengawas"}).content.decode()
    assert "1 agency found for “pengawas”." in html

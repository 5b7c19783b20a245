"""Tracking a report and the reporter's answers: authorisation, the timeline, actions, limits."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from complaints import services
from complaints.clock import WorkingCalendar
from complaints.models import Status
from complaints.notifications import tracking_link
from tests import factories as f
from tests.complaints.public_support import png_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

GENERIC = "Nomor pelacakan dan kode akses tidak cocok dengan laporan mana pun"


def _track(client, number, code):
    return client.post(
        reverse("complaints:track"), {"tracking_number": number, "access_code": code}
    )


def _track_url(c) -> str:
    return f"{reverse('complaints:track')}?nomor={c.tracking_number}"


def _detail(client, c):
    return client.get(reverse("complaints:track_detail", args=[c.tracking_number]))


def _answered(c, people, body="Apotek sudah ditegur."):
    code = c.plain_access_code
    c = services.complaint_verify(complaint_id=c.pk, actor=people["verifier"])
    c = services.complaint_route(complaint_id=c.pk, actor=people["verifier"], unit=people["unit"])
    c = services.complaint_take(complaint_id=c.pk, actor=people["officer"])
    r = services.response_draft(
        complaint_id=c.pk,
        actor=people["officer"],
        body=body,
        attachments=[upload("surat.png", png_bytes())],
    )
    services.response_approve(response_id=r.pk, actor=people["approver"])
    services.response_publish(response_id=r.pk, actor=people["approver"])
    c.refresh_from_db()
    c.plain_access_code = code
    return c


# -- opening a report ----------------------------------------------------------------------------


def test_right_pair_in_any_case_and_spacing_opens_the_report(client, agency):
    c = f.complaint(agency)
    number = c.display_tracking_number.lower().replace("-", " ")
    code = c.plain_access_code[:4].lower() + "-" + c.plain_access_code[4:]
    response = _track(client, number, code)
    assert response["Location"] == reverse("complaints:track_detail", args=[c.tracking_number])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Belum terverifikasi" in page.content.decode()


def test_wrong_code_and_unknown_number_get_the_same_error(client, agency):
    c = f.complaint(agency)
    wrong_code = _track(client, c.tracking_number, "AAAA-BBBB")
    unknown = _track(client, "ZZZZ-ZZZZ-ZZZZ", "AAAA-BBBB")
    for response in (wrong_code, unknown):
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Kesalahan: " in html
        assert GENERIC in html
    # the typed values are kept
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in unknown.content.decode()
    assert wrong_code.context["form"].errors == unknown.context["form"].errors
    assert _detail(client, c)["Location"] == _track_url(c)


def test_empty_track_form_gives_instructions(client):
    response = _track(client, "", "")
    html = response.content.decode()
    assert "Masukkan nomor pelacakan" in html
    assert "Masukkan kode akses" in html


def test_code_guessing_is_rate_limited(client, agency, settings):
    settings.ADUAN_RATE_TRACKING = (3, 900)
    c = f.complaint(agency)
    for _ in range(3):
        assert GENERIC in _track(client, c.tracking_number, "AAAABBBB").content.decode()
    # once limited, even the right pair is not checked
    response = _track(client, c.tracking_number, c.plain_access_code)
    assert response.status_code == 200
    assert "Anda terlalu sering mencoba" in response.content.decode()
    assert _detail(client, c)["Location"] == _track_url(c)


def test_signed_link_opens_the_report(client, agency):
    c = f.complaint(agency)
    path = tracking_link(c).split("8000", 1)[-1]
    response = client.get(path)
    assert response["Location"] == reverse("complaints:track_detail", args=[c.tracking_number])
    assert _detail(client, c).status_code == 200


def test_tampered_signed_link_is_not_found(client, agency):
    c = f.complaint(agency)
    path = tracking_link(c).split("8000", 1)[-1]
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_own_reports_open_for_the_signed_in_reporter_only(client, agency):
    owner = f.UserFactory()
    c = f.complaint(agency)
    c.reporter = owner
    c.save(update_fields=["reporter"])
    client.force_login(f.UserFactory())
    assert _detail(client, c).status_code == 302
    client.force_login(owner)
    assert _detail(client, c).status_code == 200


# -- what the page shows ------------------------------------------------------------------------


def test_page_shows_no_internal_notes_and_no_anonymous_identity(client, agency, people):
    c = f.complaint(
        agency,
        is_anonymous=True,
        reporter_name="Rahasia Sekali",
        reporter_email="rahasia@example.com",
        reporter_phone="081299998888",
    )
    services.complaint_note(
        complaint_id=c.pk, actor=people["verifier"], body="CATATAN-INTERNAL pelapor rewel"
    )
    c = _answered(c, people)
    services.complaint_note(complaint_id=c.pk, actor=people["officer"], body="CATATAN-KEDUA")
    _track(client, c.tracking_number, c.plain_access_code)
    html = _detail(client, c).content.decode()
    assert "CATATAN-INTERNAL" not in html
    assert "CATATAN-KEDUA" not in html
    for secret in ("Rahasia Sekali", "rahasia@example.com", "081299998888"):
        assert secret not in html
    # staff names are never shown to the reporter
    for person in ("verifier", "officer", "approver"):
        assert people[person].get_full_name() not in html
    assert "Jawaban resmi dari Badan Pengawas Obat dan Makanan" in html
    assert "Apotek sudah ditegur." in html
    assert "Sudah dijawab" in html


def test_html_in_texts_is_shown_as_text(client, agency, people):
    c = f.complaint(agency, title="<script>alert('x')</script>", body="<img src=x onerror=1>")
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=people["verifier"], message="<b>Kirim foto</b>\nbaris dua"
    )
    _track(client, c.tracking_number, c.plain_access_code)
    html = _detail(client, c).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>Kirim" not in html
    assert "&lt;b&gt;Kirim foto&lt;/b&gt;<br>baris dua" in html


def test_deadline_of_the_current_step_in_working_days(client, agency):
    c = f.complaint(agency)
    _track(client, c.tracking_number, c.plain_access_code)
    html = _detail(client, c).content.decode()
    assert "Pemeriksaan laporan Anda" in html
    assert "hari kerja lagi" in html


def test_tracking_page_query_count_does_not_grow_with_events(
    client, agency, people, django_assert_num_queries
):
    c = f.complaint(agency)
    _track(client, c.tracking_number, c.plain_access_code)
    WorkingCalendar.for_agency(agency)  # warm the calendar cache (one query every 5 minutes)
    # session, complaint (+agency, unit, category), public events, their attachments
    with django_assert_num_queries(4):
        assert _detail(client, c).status_code == 200
    c = _answered(c, people)
    services.complaint_reporter_object(complaint_id=c.pk, reason="Belum beres")
    assert c.events.filter(is_public=True).count() == 5
    WorkingCalendar.for_agency(people["unit"])
    with django_assert_num_queries(4):
        assert _detail(client, c).status_code == 200


# -- the reporter's actions ---------------------------------------------------------------------


def test_supply_requested_information(client, agency, people, django_capture_on_commit_callbacks):
    c = f.complaint(agency)
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=people["verifier"], message="Kirim foto struk pembelian."
    )
    _track(client, c.tracking_number, c.plain_access_code)
    detail = _detail(client, c).content.decode()
    assert "Perlu informasi dari Anda" in detail
    assert "Yang perlu Anda lakukan" in detail
    url = reverse("complaints:track_supply_info", args=[c.tracking_number])
    page = client.get(url).content.decode()
    assert "Kirim foto struk pembelian." in page

    empty = client.post(url, {"body": " "})
    assert "Tuliskan informasi yang diminta" in empty.content.decode()
    bad = client.post(url, {"body": "Ini fotonya", "files": upload("x.jpg", b"<html></html>")})
    assert "harus berupa JPG, PNG, atau PDF" in bad.content.decode()
    assert "Ini fotonya" in bad.content.decode()
    c.refresh_from_db()
    assert c.status == Status.NEEDS_INFO

    response = client.post(
        url, {"body": "Ini fotonya", "files": upload("struk.png", png_bytes())}, follow=True
    )
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    html = response.content.decode()
    assert "Informasi Anda sudah terkirim" in html
    assert "Dari Anda: informasi tambahan" in html
    assert "struk.png" in html


def test_object_to_an_answer_reopens(client, agency, people):
    c = _answered(f.complaint(agency), people)
    _track(client, c.tracking_number, c.plain_access_code)
    url = reverse("complaints:track_respond", args=[c.tracking_number])
    missing = client.post(url, {"answer": "object", "reason": ""})
    assert "Tuliskan alasan jawaban ini belum menyelesaikan laporan Anda" in (
        missing.content.decode()
    )
    none = client.post(url, {})
    assert "Pilih apakah jawaban ini menyelesaikan laporan Anda" in none.content.decode()
    response = client.post(url, {"answer": "object", "reason": "Apotek masih menjual."})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert c.reopen_count == 1
    html = _detail(client, c).content.decode()
    assert "Apotek masih menjual." in html


def test_accept_then_rate(client, agency, people):
    c = _answered(f.complaint(agency), people)
    _track(client, c.tracking_number, c.plain_access_code)
    respond = reverse("complaints:track_respond", args=[c.tracking_number])
    preselected = client.get(respond + "?jawab=terima")
    assert preselected.context["form"]["answer"].value() == "accept"
    # a reason typed before choosing "yes" is ignored
    client.post(respond, {"answer": "accept", "reason": "abaikan ini"})
    c.refresh_from_db()
    assert c.status == Status.CLOSED
    assert not c.events.filter(body="abaikan ini").exists()

    rate = reverse("complaints:track_rate", args=[c.tracking_number])
    assert "Pilih seberapa puas Anda" in client.post(rate, {}).content.decode()
    too_long = client.post(rate, {"rating": "4", "comment": "x" * 2001})
    assert "Komentar Anda harus 2.000 karakter atau kurang" in too_long.content.decode()
    client.post(rate, {"rating": "4", "comment": "Cepat ditangani."})
    c.refresh_from_db()
    assert c.rating == 4
    assert c.rating_comment == "Cepat ditangani."
    # rating twice is not possible
    assert client.get(rate)["Location"].endswith(f"/lacak/{c.tracking_number}/")


def test_actions_in_the_wrong_state_go_back_to_the_report(client, agency):
    c = f.complaint(agency)
    _track(client, c.tracking_number, c.plain_access_code)
    for name in ("track_supply_info", "track_respond", "track_rate"):
        response = client.post(reverse(f"complaints:{name}", args=[c.tracking_number]), {})
        assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_actions_need_authorisation(client, agency, people):
    c = _answered(f.complaint(agency), people)
    url = reverse("complaints:track_respond", args=[c.tracking_number])
    response = client.post(url, {"answer": "accept"})
    assert response["Location"] == _track_url(c)
    c.refresh_from_db()
    assert c.status == Status.AWAITING_REPORTER


def test_attachments_download_only_when_authorised(client, agency, people):
    c = _answered(f.complaint(agency, attachments=[upload("bukti.png", png_bytes())]), people)
    attachment = c.attachments.get(original_name="surat.png")
    url = reverse("complaints:track_attachment", args=[c.tracking_number, attachment.key])
    assert client.get(url).status_code == 404
    _track(client, c.tracking_number, c.plain_access_code)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # close the file only: response.close() would also end the test's database connection
    for closer in response._resource_closers:
        closer()
    # the address names the file by its key, never its sequential id
    assert str(attachment.pk) not in url.rsplit("/lampiran/", 1)[1]
    assert len(attachment.key) >= 20
    page = client.get(reverse("complaints:track_detail", args=[c.tracking_number])).text
    assert url in page
    by_id = url.replace(attachment.key, str(attachment.pk))
    assert client.get(by_id).status_code == 404
    # a staff-only file is never served
    attachment.is_public = False
    attachment.save(update_fields=["is_public"])
    assert client.get(url).status_code == 404


def test_supply_information_with_only_a_file_or_neither(client, agency, people):
    # given a report the officer asked more information for
    c = f.complaint(agency)
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=people["verifier"], message="Kirim foto struk pembelian."
    )
    _track(client, c.tracking_number, c.plain_access_code)
    url = reverse("complaints:track_supply_info", args=[c.tracking_number])

    # the page does not call either field optional, and says one of them is needed
    page = client.get(url).content.decode()
    assert "(opsional)" not in page
    assert "Tuliskan informasi, unggah berkas di bawah, atau keduanya" in page

    # when neither text nor a file is sent
    neither = client.post(url, {"body": "  "}).content.decode()
    # then one error says what to do, in the summary and at the field
    assert neither.count("Tuliskan informasi yang diminta atau unggah berkas") == 2
    assert 'href="#id_body"' in neither

    # when only a photo is sent, it is accepted
    response = client.post(url, {"body": "", "files": upload("struk.png", png_bytes())})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    assert c.attachments.filter(original_name="struk.png").exists()


def test_supply_info_service_needs_text_or_a_file(agency, people):
    from common.exceptions import ApplicationError

    c = f.complaint(agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=people["verifier"], message="Foto?")
    with pytest.raises(ApplicationError):
        services.complaint_supply_info(complaint_id=c.pk, body=" ", attachments=[])
    services.complaint_supply_info(
        complaint_id=c.pk, body="", attachments=[upload("struk.png", png_bytes())]
    )
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_rating_page_summary_does_not_ask_for_a_rating_twice(client, agency, people):
    c = _answered(f.complaint(agency), people)
    services.complaint_reporter_accept(complaint_id=c.pk, actor=None)
    _track(client, c.tracking_number, c.plain_access_code)
    html = client.get(reverse("complaints:track_rate", args=[c.tracking_number])).content.decode()
    assert "Laporan selesai pada" in html
    assert "Beri penilaian." not in html


# -----------------------------------------------------------------------------------------------
# QA findings: the tracking form, links from email, archive reasons


def test_wrong_pair_error_is_on_the_tracking_number_field(client, agency):
    # given a wrong access code for a real number
    c = f.complaint(agency)
    # when the pair is sent
    html = _track(client, c.display_tracking_number, "AAAA-BBBB").content.decode()
    # then one generic message, inline on the number and linked from the summary
    assert html.count(GENERIC) == 2
    assert 'id="id_tracking_number-error"' in html
    assert 'href="#id_tracking_number"' in html
    assert 'aria-describedby="id_tracking_number-hint id_tracking_number-error"' in html
    assert html.count('aria-invalid="true"') == 2  # both inputs
    assert f'value="{c.display_tracking_number}"' in html


def test_report_page_without_authorisation_prefills_the_number_and_explains(client, agency):
    c = f.complaint(agency)
    for number in (c.tracking_number, "ZZZZZZZZZZZZ"):
        response = client.get(reverse("complaints:track_detail", args=[number]))
        assert response["Location"] == f"{reverse('complaints:track')}?nomor={number}"
        html = client.get(response["Location"]).content.decode()
        assert "Masukkan kode akses untuk membuka laporan ini." in html
        grouped = "-".join(number[i : i + 4] for i in range(0, 12, 4))
        assert f'value="{grouped}"' in html
        assert "error-summary" not in html
        assert "Kesalahan" not in html
    # the plain tracking form does not say it
    assert (
        "untuk membuka laporan ini" not in client.get(reverse("complaints:track")).content.decode()
    )


def test_signed_link_opens_in_the_reports_language_when_none_was_chosen(client, agency):
    c = f.complaint(agency, language="en")
    path = tracking_link(c).split("8000", 1)[-1]
    response = client.get(path)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response["Location"])
    assert '<html lang="en">' in page.content.decode()
    assert "Waiting to be checked" in page.content.decode()


def test_signed_link_keeps_the_language_the_visitor_chose(client, agency):
    c = f.complaint(agency, language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.get(tracking_link(c).split("8000", 1)[-1])
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "Belum terverifikasi" in client.get(response["Location"]).content.decode()


def _archived_for_silence(agency, people, **kwargs):
    c = f.complaint(agency, **kwargs)
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=people["verifier"], message="Kirim foto struk."
    )
    services.complaint_archive_silent(complaint_id=c.pk)
    c.refresh_from_db()
    return c


def test_system_archive_reason_is_stored_in_english_and_shown_in_the_readers_language(
    client, agency, people
):
    # given a report archived by the sweep because the information never came
    c = _archived_for_silence(agency, people, language="en")
    # then the source text is stored, whatever language was active
    assert c.archive_reason == "The requested information was not supplied in time."
    # and each page shows it in its own language
    _track(client, c.tracking_number, c.plain_access_code)
    indonesian = _detail(client, c).content.decode()
    assert "Alasan: Informasi yang diminta tidak dikirim tepat waktu." in indonesian
    assert "The requested information" not in indonesian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _detail(client, c).content.decode()
    assert "Reason: The requested information was not supplied in time." in english
    assert "Informasi yang diminta" not in english
    # and the email to the reporter is in the reporter's language
    from complaints.models import Notification

    mail = Notification.objects.get(complaint=c, kind="archived")
    assert "The requested information was not supplied in time." in mail.body


def test_system_archive_reason_in_an_indonesian_email(agency, people):
    from complaints.models import Notification

    c = _archived_for_silence(agency, people)
    mail = Notification.objects.get(complaint=c, kind="archived")
    assert "Informasi yang diminta tidak dikirim tepat waktu." in mail.body


def test_staff_typed_archive_reason_is_shown_as_written(client, agency, people):
    c = f.complaint(agency)
    services.complaint_archive(
        complaint_id=c.pk, actor=people["verifier"], reason="Bukan wewenang instansi ini"
    )
    _track(client, c.tracking_number, c.plain_access_code)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Reason: Bukan wewenang instansi ini." in _detail(client, c).content.decode()


def test_supply_info_upload_error_is_announced_by_the_file_input(client, agency, people):
    c = f.complaint(agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=people["verifier"], message="Foto?")
    _track(client, c.tracking_number, c.plain_access_code)
    response = client.post(
        reverse("complaints:track_supply_info", args=[c.tracking_number]),
        {"body": "", "files": upload("kosong.png", b"")},
    )
    html = response.content.decode()
    assert 'id="id_files-error"' in html
    assert 'aria-describedby="id_files-hint id_files-error"' in html


def test_attachments_added_before_keys_existed_each_get_their_own(agency):
    from importlib import import_module

    from django.apps import apps

    from complaints.models import Attachment

    c = f.complaint(
        agency, attachments=[upload("a.png", png_bytes()), upload("b.png", png_bytes())]
    )
    Attachment.objects.filter(complaint=c).update(key="same-default-for-all")
    migration = import_module("complaints.migrations.0019_attachment_key")
    migration.give_each_its_own_key(apps, None)
    keys = list(Attachment.objects.filter(complaint=c).values_list("key", flat=True))
    assert len(keys) == 2
    assert len(set(keys)) == 2
    assert "same-default-for-all" not in keys

"""Following someone else's report ("Ikuti laporan ini"): the services (follow, confirm,
unfollow, notifications on answer and close, nothing personal leaking) and the pages (the
similar step's email form, confirmation, the read-only follower page, stopping)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from common.exceptions import ApplicationError, NotFound
from complaints import services
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintFollower,
    Notification,
    Role,
    Status,
)
from complaints.notifications import follow_confirm_token
from tests import factories as f
from tests.complaints.public_support import STORY, complaint_count, follow_ref, follow_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

REPORTER = {
    "reporter_name": "Budi Santoso",
    "reporter_email": "budi@example.com",
    "reporter_phone": "081234567890",
}
SECRET_BODY = "Nomor rekam medis saya 12345 dan alamat saya Jalan Melati 7."


@pytest.fixture
def w(db):
    f.SlaPolicyFactory()
    agency = f.AgencyFactory(name="Dinas Kesehatan Kota", responses_need_approval=False)
    unit = f.UnitFactory(parent=agency)
    return SimpleNamespace(
        agency=agency,
        unit=unit,
        verifier=f.staff(agency, Role.VERIFIER),
        officer=f.staff(agency, Role.OFFICER),
        approver=f.staff(agency, Role.APPROVER),
    )


def _open(w, **kwargs) -> Complaint:
    return f.complaint(
        w.agency, title="Antrean puskesmas lama sekali", body=SECRET_BODY, **REPORTER, **kwargs
    )


def _in_progress(w, c: Complaint) -> Complaint:
    services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    services.complaint_route(complaint_id=c.pk, actor=w.verifier, unit=w.unit)
    services.complaint_take(complaint_id=c.pk, actor=w.officer)
    return Complaint.objects.get(pk=c.pk)


def _publish(w, c: Complaint, body: str = "Antrean sudah kami tambah loketnya.") -> None:
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body=body)
    services.response_publish(response_id=r.pk, actor=w.officer)


def _confirmed(c: Complaint, email: str = "ikut@example.com", language: str = "id"):
    follower = services.complaint_follow(complaint_id=c.pk, email=email, language=language)
    return services.complaint_follow_confirm(follow_confirm_token(follower.token))


def _mails(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("pk"))


# -----------------------------------------------------------------------------------------------
# Services


def test_follow_sends_one_confirmation_with_a_signed_link(w):
    c = _open(w)
    follower = services.complaint_follow(
        complaint_id=c.pk, email="  Ikut@Example.com ", language="en"
    )
    assert follower.email == "ikut@example.com"
    assert follower.confirmed_at is None
    [mail] = _mails("follow_confirm")
    assert mail.recipient == "ikut@example.com"
    assert mail.language == "en"
    assert c.display_tracking_number in mail.subject
    assert "Confirm that you want to follow" in mail.subject
    link = re.search(r"https?://\S+/lacak/ikuti/konfirmasi/\S+/", mail.body).group(0)
    assert follower.token not in link.rsplit("/konfirmasi/", 1)[0]
    # nothing about the reporter or the account
    for secret in ("Budi", "budi@example.com", "081234567890", SECRET_BODY[:20]):
        assert secret not in mail.body


def test_follow_is_idempotent(w):
    c = _open(w)
    first = services.complaint_follow(complaint_id=c.pk, email="ikut@example.com")
    again = services.complaint_follow(complaint_id=c.pk, email="IKUT@example.com")
    assert again.pk == first.pk
    assert ComplaintFollower.objects.count() == 1
    assert len(_mails("follow_confirm")) == 1
    services.complaint_follow_confirm(follow_confirm_token(first.token))
    services.complaint_follow(complaint_id=c.pk, email="ikut@example.com")
    assert len(_mails("follow_confirm")) == 1
    assert ComplaintFollower.objects.get().confirmed_at is not None


def test_follow_refuses_confidential_closed_and_bad_email(w):
    secret = _open(w, is_confidential=True)
    with pytest.raises(NotFound):
        services.complaint_follow(complaint_id=secret.pk, email="ikut@example.com")
    with pytest.raises(NotFound):
        services.complaint_follow(complaint_id=999999, email="ikut@example.com")
    archived = services.complaint_archive(complaint_id=_open(w).pk, actor=w.verifier, reason="Spam")
    with pytest.raises(ApplicationError):
        services.complaint_follow(complaint_id=archived.pk, email="ikut@example.com")
    with pytest.raises(ApplicationError):
        services.complaint_follow(complaint_id=_open(w).pk, email="bukan-email")
    assert ComplaintFollower.objects.count() == 0
    assert _mails("follow_confirm") == []


def test_confirm_is_idempotent_and_rejects_bad_links(w):
    c = _open(w)
    follower = services.complaint_follow(complaint_id=c.pk, email="ikut@example.com")
    signed = follow_confirm_token(follower.token)
    first = services.complaint_follow_confirm(signed)
    at = first.confirmed_at
    assert at is not None
    assert services.complaint_follow_confirm(signed).confirmed_at == at
    with pytest.raises(NotFound):
        services.complaint_follow_confirm(signed + "x")
    with pytest.raises(NotFound):
        services.complaint_follow_confirm(follower.token)  # the raw token is not a confirmation


def test_unfollow_removes_the_address_and_is_harmless_twice(w):
    c = _open(w)
    follower = _confirmed(c)
    assert services.complaint_unfollow(follower.token) is True
    assert services.complaint_unfollow(follower.token) is False
    assert not ComplaintFollower.objects.exists()
    c = _in_progress(w, c)
    _publish(w, c)
    assert _mails("follow_answered") == []


def test_confirmed_followers_are_told_of_an_answer_in_their_language(w):
    c = _in_progress(w, _open(w))
    _confirmed(c, "satu@example.com", "id")
    _confirmed(c, "two@example.com", "en")
    services.complaint_follow(complaint_id=c.pk, email="belum@example.com")  # not confirmed
    _confirmed(c, "budi@example.com")  # the reporter gets their own message only
    _publish(w, c)
    mails = {m.recipient: m for m in _mails("follow_answered")}
    assert set(mails) == {"satu@example.com", "two@example.com"}
    assert "yang Anda ikuti sudah dijawab" in mails["satu@example.com"].subject
    assert "you follow has been answered" in mails["two@example.com"].subject
    for mail in mails.values():
        assert c.title in mail.body
        assert c.display_tracking_number in mail.body
        assert "/lacak/ikuti/" in mail.body
        assert "/berhenti/" in mail.body
        for secret in (
            "Budi",
            "budi@example.com",
            "081234567890",
            SECRET_BODY[:20],
            "jawab=terima",
        ):
            assert secret not in mail.body
    assert Notification.objects.filter(kind="response_published").count() == 1


def test_followers_are_told_when_the_reporter_accepts(w):
    c = _in_progress(w, _open(w))
    _confirmed(c)
    _publish(w, c)
    services.complaint_reporter_accept(complaint_id=c.pk)
    [mail] = _mails("follow_closed")
    assert mail.recipient == "ikut@example.com"
    assert "sudah selesai" in mail.subject
    assert "Budi" not in mail.body


def test_followers_are_told_when_the_complaint_is_closed(w):
    c = _in_progress(w, _open(w))
    _confirmed(c)
    _publish(w, c)
    services.complaint_close(complaint_id=c.pk)
    services.complaint_close(complaint_id=c.pk)  # already closed: nothing more
    assert [m.recipient for m in _mails("follow_closed")] == ["ikut@example.com"]


def test_a_complaint_made_confidential_stops_telling_its_followers(w):
    c = _in_progress(w, _open(w))
    _confirmed(c)
    Complaint.objects.filter(pk=c.pk).update(is_confidential=True)
    _publish(w, c)
    assert _mails("follow_answered") == []


# -----------------------------------------------------------------------------------------------
# Pages


def _to_similar(client, w) -> None:
    # only checked reports are offered as similar: check the ones waiting
    for c in Complaint.objects.filter(agency=w.agency, status=Status.SUBMITTED):
        services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(w.agency.pk)})
    client.post(reverse("complaints:file_story"), STORY)
    response = client.post(reverse("complaints:file_when"), {})
    assert response["Location"] == reverse("complaints:file_similar")


def test_follow_form_errors_keep_the_input(client, w):
    c = _open(w)
    _to_similar(client, w)
    url = follow_url(client, c)
    assert (
        client.post(reverse("complaints:file_similar"), {"follow": follow_ref(client, c)})[
            "Location"
        ]
        == url
    )
    empty = client.post(url, {"email": ""})
    html = empty.content.decode()
    assert empty.status_code == 200
    assert "Masukkan alamat email Anda" in html
    assert 'class="error-summary"' in html
    bad = client.post(url, {"email": "budi@contoh"})
    html = bad.content.decode()
    assert "Masukkan alamat email dengan format yang benar" in html
    assert 'value="budi@contoh"' in html
    assert 'aria-invalid="true"' in html
    assert not ComplaintFollower.objects.exists()


def test_following_from_the_similar_step_keeps_the_draft(client, w):
    c = _open(w)
    _to_similar(client, w)
    page = client.post(follow_url(client, c), {"email": "ikut@example.com"}, follow=True)
    html = page.content.decode()
    assert "Periksa email Anda" in html
    assert "ikut@example.com" in html
    assert "Budi" not in html
    assert c.tracking_number not in html
    assert ComplaintFollower.objects.get().email == "ikut@example.com"
    assert complaint_count() == 1
    # the reporter can still file: the draft is still there
    cont = client.post(reverse("complaints:file_similar"), {"action": "new"})
    assert cont["Location"] == reverse("complaints:file_attachments")


def test_follow_form_is_prefilled_from_the_draft_contact(client, w):
    c = _open(w)
    _to_similar(client, w)
    session = client.session
    session["filing_draft"]["answers"]["email"] = "saya@example.com"
    session.save()
    page = client.get(follow_url(client, c))
    assert 'value="saya@example.com"' in page.content.decode()


def test_only_an_offered_similar_report_can_be_followed(client, w):
    _open(w)
    secret = _open(w, is_confidential=True)
    _to_similar(client, w)
    response = client.post(follow_url(client, secret), {"email": "ikut@example.com"})
    assert response["Location"] == reverse("complaints:file_similar")
    assert not ComplaintFollower.objects.exists()


def test_follow_requests_are_rate_limited_per_client(client, w, settings):
    settings.ADUAN_RATE_FOLLOW = (2, 3600)
    c = _open(w)
    _to_similar(client, w)
    url = follow_url(client, c)
    for n in range(2):
        ok = client.post(url, {"email": f"ikut{n}@example.com"}, follow=True)
        assert "Periksa email Anda" in ok.content.decode()
    limited = client.post(url, {"email": "ikut9@example.com"})
    html = limited.content.decode()
    assert "Tunggu satu jam" in html
    assert 'value="ikut9@example.com"' in html
    assert ComplaintFollower.objects.count() == 2


def test_confirm_link_needs_a_button_then_opens_the_follower_page(client, w):
    c = _open(w)
    follower = services.complaint_follow(complaint_id=c.pk, email="ikut@example.com")
    url = reverse("complaints:follow_confirm", args=[follow_confirm_token(follower.token)])
    page = client.get(url)
    assert page.status_code == 200
    follower.refresh_from_db()
    assert follower.confirmed_at is None  # opening the link alone confirms nothing
    done = client.post(url)
    assert done["Location"] == reverse("complaints:follow_page", args=[follower.token])
    follower.refresh_from_db()
    assert follower.confirmed_at is not None
    assert client.get(reverse("complaints:follow_confirm", args=["rusak"])).status_code == 404


def test_follower_page_shows_status_and_answers_without_the_reporter(client, w):
    c = _in_progress(w, _open(w))
    follower = _confirmed(c)
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Loket ditambah dua.")
    services.response_publish(response_id=r.pk, actor=w.officer)
    services.complaint_reporter_object(complaint_id=c.pk, reason="Masih antre, kata Budi.")
    page = client.get(reverse("complaints:follow_page", args=[follower.token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert c.title in html
    assert c.display_tracking_number in html
    assert "Loket ditambah dua." in html
    assert "Pelapor menyanggah jawaban" in html
    assert 'data-testid="status"' in html
    for secret in ("Budi", "budi@example.com", "081234567890", SECRET_BODY[:20], "Masih antre"):
        assert secret not in html
    # none of the reporter's actions
    for name in ("track_respond", "track_supply_info", "track_rate"):
        assert reverse(f"complaints:{name}", args=[c.tracking_number]) not in html
    assert page["Cache-Control"] == "private, no-store"


def test_follower_page_needs_a_confirmed_follower_of_a_public_report(client, w):
    c = _open(w)
    pending = services.complaint_follow(complaint_id=c.pk, email="belum@example.com")
    assert client.get(reverse("complaints:follow_page", args=[pending.token])).status_code == 404
    assert client.get(reverse("complaints:follow_page", args=["tidak-ada"])).status_code == 404
    follower = _confirmed(c)
    Complaint.objects.filter(pk=c.pk).update(is_confidential=True)
    assert client.get(reverse("complaints:follow_page", args=[follower.token])).status_code == 404


def test_follower_downloads_only_the_answer_files(client, w):
    from django.core.files.base import ContentFile

    c = _in_progress(w, _open(w))
    follower = _confirmed(c)
    r = services.response_draft(complaint_id=c.pk, actor=w.officer, body="Lihat lampiran.")
    answer_file = Attachment(
        complaint=c, response=r, original_name="jawaban.pdf", content_type="application/pdf"
    )
    answer_file.size, answer_file.sha256 = 4, "0" * 64
    answer_file.file.save("jawaban.pdf", ContentFile(b"%PDF"), save=True)
    reporter_file = c.attachments.create(
        original_name="ktp.png", content_type="image/png", size=4, sha256="1" * 64
    )
    services.response_publish(response_id=r.pk, actor=w.officer)
    page = client.get(reverse("complaints:follow_page", args=[follower.token])).content.decode()
    good = reverse("complaints:follow_attachment", args=[follower.token, answer_file.key])
    assert good in page
    assert "ktp.png" not in page
    download = client.get(good)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF"
    # close the file only: response.close() would also end the test's database connection
    for closer in download._resource_closers:
        closer()
    bad = reverse("complaints:follow_attachment", args=[follower.token, reporter_file.key])
    assert client.get(bad).status_code == 404


def test_stop_following_asks_first_and_answers_the_same_for_any_token(client, w):
    c = _open(w)
    follower = _confirmed(c)
    url = reverse("complaints:follow_stop", args=[follower.token])
    assert client.get(url).status_code == 200
    assert ComplaintFollower.objects.exists()
    done = client.post(url)
    assert "Anda tidak lagi mengikuti laporan ini" in done.content.decode()
    assert not ComplaintFollower.objects.exists()
    again = client.post(reverse("complaints:follow_stop", args=["tidak-ada"]))
    assert again.status_code == 200
    assert "Anda tidak lagi mengikuti laporan ini" in again.content.decode()


def test_follow_pages_have_a_back_link(client, w):
    # the follower page, and the page after asking to follow, start with "Kembali"
    c = _in_progress(w, _open(w))
    follower = _confirmed(c)
    page = client.get(reverse("complaints:follow_page", args=[follower.token])).content.decode()
    assert f'<a href="{reverse("complaints:home")}" class="back-link">Kembali</a>' in page
    other = _open(w)
    _to_similar(client, w)
    followed = client.post(
        follow_url(client, other),
        {"email": "ikut@example.com"},
        follow=True,
    ).content.decode()
    back = reverse("complaints:file_similar")
    assert f'<a href="{back}" class="back-link">Kembali</a>' in followed


# -----------------------------------------------------------------------------------------------
# QA findings: wording, PRG, stopping twice, confirming twice, language, similar cards


def test_follow_form_redirects_after_success_so_a_reload_sends_nothing(client, w):
    c = _open(w)
    _to_similar(client, w)
    url = follow_url(client, c)
    response = client.post(url, {"email": "ikut@example.com"})
    sent = reverse("complaints:file_followed", args=[follow_ref(client, c)])
    assert response.status_code == 302
    assert response["Location"] == sent
    # a reload of the page after the redirect is a GET: nothing is sent again
    for _ in range(2):
        html = client.get(sent).content.decode()
        assert "Periksa email Anda" in html
        assert "ikut@example.com" in html
    assert len(_mails("follow_confirm")) == 1
    # the sent page needs a request from this browser
    other = f.complaint(w.agency, title="Antrean puskesmas lama juga", **REPORTER)
    assert client.get(reverse("complaints:file_followed", args=[follow_ref(client, other)]))[
        "Location"
    ] == reverse("complaints:file_similar")


def test_follow_pages_say_your_report_not_my_reports(client, w):
    c = _open(w)
    _to_similar(client, w)
    url = follow_url(client, c)
    form = client.get(url).content.decode()
    assert "Kembali ke laporan serupa" in form
    sent = client.post(url, {"email": "ikut@example.com"}, follow=True).content.decode()
    assert "Kembali ke laporan Anda" in sent
    for html in (form, sent):
        assert "Kembali ke laporan saya" not in html
    # "Go back to your report" carries on with the reporter's own draft
    cont = client.post(reverse("complaints:file_similar"), {"action": "new"})
    assert cont["Location"] == reverse("complaints:file_attachments")


def test_stop_page_after_stopping_does_not_offer_the_button_again(client, w):
    follower = _confirmed(_open(w))
    url = reverse("complaints:follow_stop", args=[follower.token])
    assert "button--warning" in client.get(url).content.decode()
    client.post(url)
    again = client.get(url).content.decode()
    assert "Anda tidak lagi mengikuti laporan ini" in again
    assert "button--warning" not in again
    assert "Berhenti mengikuti</button>" not in again


def test_confirm_link_of_a_confirmed_follower_opens_the_follower_page(client, w):
    c = _open(w)
    follower = _confirmed(c)
    url = reverse("complaints:follow_confirm", args=[follow_confirm_token(follower.token)])
    response = client.get(url)
    assert response["Location"] == reverse("complaints:follow_page", args=[follower.token])
    page = client.get(response["Location"]).content.decode()
    assert "Anda sudah mengikuti laporan ini." in page
    assert "Konfirmasi dan ikuti" not in page


def test_follow_links_open_in_the_followers_language_when_none_was_chosen(client, w):
    c = _open(w)
    follower = services.complaint_follow(complaint_id=c.pk, email="ikut@example.com", language="en")
    url = reverse("complaints:follow_confirm", args=[follow_confirm_token(follower.token)])
    page = client.get(url)
    assert "Confirm and follow" in page.content.decode()
    assert page.cookies["django_language"].value == "en"
    # a visitor who chose Indonesian keeps it
    other = Client()
    other.cookies["django_language"] = "id"
    chosen = other.get(url)
    assert "Konfirmasi dan ikuti" in chosen.content.decode()
    assert "django_language" not in chosen.cookies


def test_similar_cards_show_place_and_an_excerpt_but_nobody(client, w):
    body = (
        "Antrean di loket pendaftaran puskesmas dimulai pukul enam pagi dan baru dilayani "
        "pukul sepuluh, sementara petugas datang terlambat hampir setiap hari kerja. Pasien "
        "lansia terpaksa berdiri lama tanpa kursi."
    )
    c = f.complaint(
        w.agency,
        title="Antrean puskesmas lama sekali",
        body=body,
        location_text="Puskesmas Sukajadi",
        **REPORTER,
    )
    c.region = "Kota Bandung"
    c.save(update_fields=["region"])
    _to_similar(client, w)
    html = client.get(reverse("complaints:file_similar")).content.decode()
    assert "Puskesmas Sukajadi, Kota Bandung" in html
    assert body[:60] in html
    assert body not in html  # an excerpt, cut at a word
    excerpt = body[:160].rsplit(" ", 1)[0].rstrip(".") + "…"
    assert excerpt in html
    for secret in ("Budi", "budi@example.com", "081234567890"):
        assert secret not in html


def test_a_similar_report_is_named_by_a_draft_key_not_its_id_or_tracking_number(client, w):
    # DESIGN §2: no sequential ids in public URLs; the tracking number is never shown here
    c = _open(w)
    _to_similar(client, w)
    similar = reverse("complaints:file_similar")
    html = client.get(similar).content.decode()
    ref = re.search(r'name="follow" value="([^"]+)"', html).group(1)
    assert re.fullmatch(r"[0-9a-f]{20}", ref)
    assert ref == follow_ref(client, c)
    assert c.tracking_number not in html
    chose = client.post(similar, {"follow": ref})
    assert chose["Location"] == f"/lapor/laporan-serupa/ikuti/{ref}/"
    sent = client.post(chose["Location"], {"email": "ikut@example.com"})
    assert sent["Location"] == f"/lapor/laporan-serupa/ikuti/{ref}/terkirim/"
    assert c.tracking_number not in client.get(sent["Location"]).content.decode()
    assert ComplaintFollower.objects.get().complaint == c
    # the old address by id leads back to the similar step, and an id is no choice: the
    # reporter goes on with their own report, as with any value that is not offered
    assert client.get(f"/lapor/laporan-serupa/ikuti/{c.pk}/")["Location"] == similar
    old_form = client.post(similar, {"follow": str(c.pk)})
    assert old_form["Location"] == reverse("complaints:file_attachments")
    # the key means nothing in another browser's draft, which has its own key for the report
    other = Client()
    _to_similar(other, w)
    assert follow_ref(other, c) != ref
    assert other.get(f"/lapor/laporan-serupa/ikuti/{ref}/")["Location"] == similar
    assert other.get(follow_url(other, c)).status_code == 200

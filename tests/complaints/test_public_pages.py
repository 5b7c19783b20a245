"""The start page (totals, steps), help, errors and the page furniture."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Role
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def test_home_shows_steps_start_button_and_track_form(client):
    html = client.get("/").content.decode()
    assert '<html lang="id">' in html
    assert "Buat laporan" in html
    assert reverse("complaints:file_start") in html
    assert "3 hari kerja" in html
    assert "5 hari kerja" in html
    assert "10 hari kerja" in html
    assert 'name="tracking_number"' in html
    assert 'name="access_code"' in html
    assert "Korupsi" in html or "korupsi" in html
    # no external assets
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


# The home page's totals come from reporting: tests/reporting/test_home_totals.py.


@pytest.mark.parametrize("rows", [1, 12])
def test_home_page_queries(client, rows, django_assert_num_queries):
    agency = f.AgencyFactory()
    for _ in range(rows):
        f.complaint(agency)
    # totals: one aggregate query; steps: the national SLA policy
    with django_assert_num_queries(2):
        client.get("/")
    # both cached briefly
    with django_assert_num_queries(0):
        client.get("/")


def test_help_privacy_and_404_pages(client):
    assert "Bantuan" in client.get(reverse("complaints:help")).content.decode()
    assert "Pemberitahuan privasi" in client.get(reverse("complaints:privacy")).content.decode()
    missing = client.get("/tidak-ada/sama-sekali/")
    assert missing.status_code == 404
    assert "Halaman tidak ditemukan" in missing.content.decode()


def test_500_page_says_what_happened_to_answers(client):
    from complaints.views.public import server_error

    response = server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Maaf, ada masalah pada layanan" in html
    assert "jawaban Anda" in html


def test_english_is_complete_on_the_home_page(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Make a report" in html
    assert "Buat laporan" not in html
    assert 'lang="id"' in html  # the switch back is labelled in its own language


def test_forms_carry_csrf_tokens(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("complaints:file_kind"), {"kind": "complaint"}).status_code == 403
    html = client.get(reverse("complaints:file_kind")).content.decode()
    assert "csrfmiddlewaretoken" in html


@pytest.mark.parametrize(
    ("language", "heading", "absent"),
    [
        ("id", "Anda tidak punya akses ke halaman ini", "You do not have access"),
        ("en", "You do not have access to this page", "Anda tidak punya akses"),
    ],
)
def test_403_page_uses_the_site_layout_in_both_languages(client, language, heading, absent):
    # given a signed-in officer (agency staff without a focal role) in the chosen language
    officer = f.staff(f.AgencyFactory(), Role.OFFICER, email="petugas@example.go.id")
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    # when they open the focal-point board
    response = client.get("/focal/")

    # then the site's own page says so, in their language, with a way back
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert absent not in html
    assert "403 Forbidden" not in html
    assert "petugas@example.go.id" in html
    assert f'href="{reverse("complaints:home")}"' in html
    assert f'href="{reverse("complaints:track")}"' in html


def test_404_page_links_back_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/tidak-ada/sama-sekali/").content.decode()
    assert "Page not found" in html
    assert f'<a href="{reverse("complaints:track")}">track a report</a>' in html


def test_home_steps_are_full_sentences(client):
    html = client.get("/").content.decode()
    assert "Setelah laporan diterima." not in html
    assert "Waktu dihitung sejak hari laporan Anda diterima." in html


# -----------------------------------------------------------------------------------------------
# Feedback on the service; the CSRF page's promise


def test_feedback_page_is_linked_from_the_footer_with_the_page(client):
    html = client.get(reverse("complaints:help")).content.decode()
    url = reverse("complaints:service_feedback")
    assert f'href="{url}?from=/bantuan/">Beri masukan tentang layanan ini</a>' in html


def test_feedback_is_stored_then_thanked_after_a_redirect(client):
    from complaints.models import ServiceFeedback

    url = reverse("complaints:service_feedback")
    page = client.get(url, {"from": "/lapor/terkirim/"}).content.decode()
    assert "<h1>Masukan tentang layanan ini</h1>" in page
    assert "Sangat puas" in page
    assert "Sangat tidak puas" in page
    assert "Jangan tuliskan data pribadi" in page
    assert 'name="page" value="/lapor/terkirim/"' in page
    response = client.post(
        url, {"rating": "4", "comment": "  Mudah dipakai.  ", "page": "/lapor/terkirim/"}
    )
    assert response["Location"] == reverse("complaints:service_feedback_done")
    feedback = ServiceFeedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.page, feedback.language) == (
        4,
        "Mudah dipakai.",
        "/lapor/terkirim/",
        "id",
    )
    done = client.get(response["Location"]).content.decode()
    assert "Terima kasih atas masukan Anda" in done
    assert 'href="/lapor/terkirim/"' in done


def test_feedback_needs_a_rating_and_keeps_the_comment(client):
    from complaints.models import ServiceFeedback

    response = client.post(reverse("complaints:service_feedback"), {"comment": "Lambat"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Kesalahan: " in html
    assert "Pilih seberapa puas Anda dengan layanan ini" in html
    assert 'href="#id_rating_0"' in html
    assert "Lambat</textarea>" in html
    assert not ServiceFeedback.objects.exists()


@pytest.mark.parametrize(
    "page",
    ["https://jahat.example/", "//jahat.example/x", "/\\jahat.example", "javascript:alert(1)"],
)
def test_feedback_keeps_only_a_same_site_path(client, page):
    from complaints.models import ServiceFeedback

    form = client.get(reverse("complaints:service_feedback"), {"from": page}).content.decode()
    # (the language switcher's "next" echoes the query; set_language checks it itself)
    assert '<input type="hidden" name="page" id="id_page">' in form
    assert f'<a href="{reverse("complaints:home")}" class="back-link">' in form
    client.post(reverse("complaints:service_feedback"), {"rating": "5", "page": page})
    assert ServiceFeedback.objects.get().page == ""
    assert "jahat" not in client.get(reverse("complaints:service_feedback_done")).content.decode()


def test_feedback_is_rate_limited_per_client(client, settings):
    from complaints.models import ServiceFeedback

    settings.ADUAN_RATE_FEEDBACK = (2, 3600)
    url = reverse("complaints:service_feedback")
    for _ in range(2):
        assert client.post(url, {"rating": "3"}).status_code == 302
    limited = client.post(url, {"rating": "3", "comment": "Lagi"})
    html = limited.content.decode()
    assert limited.status_code == 200
    assert "Tunggu satu jam, lalu coba lagi" in html
    assert "Lagi</textarea>" in html
    assert ServiceFeedback.objects.count() == 2


def test_feedback_admin_is_read_only(admin_client):
    from complaints.models import ServiceFeedback

    ServiceFeedback.objects.create(rating=2, comment="Lambat", created_at=timezone.now())
    listing = admin_client.get("/admin/complaints/servicefeedback/")
    assert listing.status_code == 200
    assert "Lambat" in listing.content.decode()
    assert admin_client.get("/admin/complaints/servicefeedback/add/").status_code == 403


def test_feedback_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("complaints:service_feedback")).content.decode()
    assert "<h1>Feedback on this service</h1>" in html
    assert "Very dissatisfied" in html


def test_csrf_page_does_not_promise_answers_survive_cleared_cookies(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    html = strict.post(reverse("complaints:file_kind"), {"kind": "complaint"}).content.decode()
    assert "tetap menyimpan isian" not in html
    assert "kecuali cookie peramban dihapus atau diblokir" in html

"""Password reset by email: the request reveals nothing, the link works once and for an
hour, a new password lifts a lockout, bad input keeps the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from complaints.models import Notification
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

PASSWORD = "rahasia-uji-123"
NEW = "teh-manis-sore-hari"
LOCKED = "Terlalu banyak percobaan masuk yang gagal dengan alamat email ini"
SENT = "kami sudah mengirim tautan untuk membuat kata sandi baru"


def _request(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)


def _link(email: str) -> str:
    body = Notification.objects.get(kind="password_reset", recipient=email).body
    return re.search(r"https?://\S+", body).group(0).split("://", 1)[1].split("/", 1)[1]


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"email": email, "password": password})


def test_the_sign_in_page_offers_the_reset(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in html
    assert "Lupa kata sandi?" in html


def test_request_then_new_password_then_sign_in(client):
    user = f.UserFactory(email="warga@example.com")

    response = _request(client, "Warga@Example.com ")

    assert SENT in response.content.decode()
    note = Notification.objects.get(kind="password_reset")
    assert note.recipient == "warga@example.com"
    assert "berlaku 1 jam" in note.body
    link = "/" + _link("warga@example.com")
    assert "Buat kata sandi baru" in client.get(link).content.decode()

    response = client.post(link, {"password": NEW, "password_again": NEW}, follow=True)

    assert "Kata sandi Anda sudah diganti" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert _login(client, "warga@example.com", NEW).status_code == 302
    # the link works once
    client.post(reverse("accounts:logout"))
    assert "Tautan ini tidak berfungsi" in client.get(link).content.decode()
    again = client.post(link, {"password": "lain-lagi-123x", "password_again": "lain-lagi-123x"})
    assert "Tautan ini tidak berfungsi" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_unknown_unverified_and_known_addresses_read_the_same(client):
    f.UserFactory(email="ada@example.com")
    f.UserFactory(email="belum@example.com", is_active=False, email_verified_at=None)

    def page(email):
        html = _request(client, email).content.decode().replace(email, "EMAIL")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    pages = [page(e) for e in ("ada@example.com", "tidak-ada@example.com", "belum@example.com")]
    assert pages[0] == pages[1] == pages[2]
    assert list(Notification.objects.values_list("recipient", flat=True)) == ["ada@example.com"]


def test_the_link_expires_after_an_hour(client):
    f.UserFactory(email="warga@example.com")
    _request(client, "warga@example.com")
    link = "/" + _link("warga@example.com")
    # Django's token clock is naive local time: travel in local time too.
    with time_machine.travel(dt.datetime.now() + dt.timedelta(minutes=61)):  # noqa: DTZ005
        assert "Tautan ini tidak berfungsi" in client.get(link).content.decode()


@pytest.mark.parametrize(
    "link",
    ["/akun/sandi-baru/xx/yy/", "/akun/sandi-baru/MQ/bukan-token/", "/akun/sandi-baru/%20/a-b/"],
)
def test_broken_links_say_so(client, link):
    f.UserFactory(email="warga@example.com")
    response = client.get(link)
    assert response.status_code == 200
    assert "Minta tautan baru" in response.content.decode()


def test_bad_new_password_is_refused_and_the_link_still_works(client):
    user = f.UserFactory(email="warga@example.com")
    _request(client, "warga@example.com")
    link = "/" + _link("warga@example.com")

    mismatch = client.post(link, {"password": NEW, "password_again": NEW + "x"})
    weak = client.post(link, {"password": "12345678", "password_again": "12345678"})
    empty = client.post(link, {})

    assert "Kata sandi tidak sama" in mismatch.content.decode()
    assert 'class="error-summary"' in weak.content.decode()
    assert "Masukkan kata sandi baru" in empty.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert client.post(link, {"password": NEW, "password_again": NEW}).status_code == 302


def test_a_new_password_lifts_a_lockout(client):
    f.UserFactory(email="warga@example.com")
    for _ in range(5):
        _login(client, "warga@example.com", "salah-salah-salah")
    assert LOCKED in _login(client, "warga@example.com", PASSWORD).content.decode()
    _request(client, "warga@example.com")

    client.post("/" + _link("warga@example.com"), {"password": NEW, "password_again": NEW})

    assert _login(client, "warga@example.com", NEW).status_code == 302


def test_requests_are_rate_limited_per_client(client, settings):
    f.UserFactory(email="warga@example.com")
    for _ in range(12):
        _request(client, "warga@example.com")
    sent = Notification.objects.filter(kind="password_reset").count()
    assert 1 <= sent < 12


def test_english_email_and_pages(client):
    user = User.objects.create_user(email="reader@example.com", password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = _request(client, user.email)
    assert "we have sent it a link to choose a new password" in response.content.decode()
    body = Notification.objects.get(kind="password_reset").body
    assert "The link works for 1 hour and only once" in body


def test_reset_has_its_own_limit_and_says_so_when_it_is_reached(client, settings):
    # given sign-ups from this connection that used up the sign-up allowance
    settings.ADUAN_RATE_SIGNUP = (1, 3600)
    settings.ADUAN_RATE_PASSWORD_RESET = (2, 3600)
    client.post(
        reverse("accounts:signup"),
        {"email": "baru@example.com", "password": NEW, "password_again": NEW},
    )
    f.UserFactory(email="warga@example.com")
    # then password resets still go out, up to their own limit
    for _ in range(2):
        assert SENT in _request(client, "warga@example.com").content.decode()
    # (two requests in the same second make one message: the cause key is per second)
    sent = Notification.objects.filter(kind="password_reset").count()
    assert sent >= 1
    # and once it is reached the form says so, with the address kept, instead of pretending
    limited = client.post(reverse("accounts:password_reset"), {"email": "warga@example.com"})
    html = limited.content.decode()
    assert limited.status_code == 200
    assert "<title>Kesalahan: " in html
    assert "Tunggu satu jam, lalu coba lagi" in html
    assert 'value="warga@example.com"' in html
    assert SENT not in html
    assert Notification.objects.filter(kind="password_reset").count() == sent


def test_resend_has_its_own_limit_and_says_so_when_it_is_reached(client, settings):
    settings.ADUAN_RATE_PASSWORD_RESET = (1, 3600)
    settings.ADUAN_RATE_RESEND = (1, 3600)
    _request(client, "warga@example.com")
    # the reset above does not use up the resend allowance
    first = client.post(reverse("accounts:resend"), {"email": "belum@example.com"})
    assert first["Location"] == reverse("accounts:signup_done")
    limited = client.post(reverse("accounts:resend"), {"email": "belum@example.com"})
    html = limited.content.decode()
    assert limited.status_code == 200
    assert "Tunggu satu jam, lalu coba lagi" in html
    assert 'value="belum@example.com"' in html

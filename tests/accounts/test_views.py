"""Sign-in with lockout, sign-out, sign-up with email verification, my reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import verify_token
from complaints.models import Notification, Role
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

PASSWORD = "rahasia-uji-123"
NO_MATCH = "Alamat email atau kata sandi tidak cocok dengan akun mana pun"
LOCKED = "Terlalu banyak percobaan masuk yang gagal dengan alamat email ini"


def _login(client, email, password=PASSWORD, next_url=None):
    data = {"email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def test_citizen_goes_to_my_reports(client):
    f.UserFactory(email="warga@example.com")
    response = _login(client, "Warga@Example.com ")
    assert response["Location"] == reverse("complaints:my_complaints")


def test_staff_go_to_the_staff_workspace(client):
    staff = f.staff(f.AgencyFactory(), Role.VERIFIER, email="petugas@example.go.id")
    assert _login(client, staff.email)["Location"] == "/staf/"
    client.post(reverse("accounts:logout"))
    admin = f.UserFactory(email="admin@example.go.id", is_national_admin=True)
    assert _login(client, admin.email)["Location"] == "/staf/"


def test_safe_next_is_followed_and_unsafe_next_ignored(client):
    f.UserFactory(email="warga@example.com")
    assert _login(client, "warga@example.com", next_url="/lacak/")["Location"] == "/lacak/"
    client.post(reverse("accounts:logout"))
    response = _login(client, "warga@example.com", next_url="https://evil.example/")
    assert response["Location"] == reverse("complaints:my_complaints")


def test_wrong_password_and_unknown_email_get_the_same_error(client):
    f.UserFactory(email="warga@example.com")
    for email in ("warga@example.com", "tidak-ada@example.com"):
        response = _login(client, email, "salah-sekali")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Kesalahan: " in html
        assert NO_MATCH in html
        assert f'value="{email}"' in html
        assert "salah-sekali" not in html  # passwords are never echoed
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_gives_instructions(client):
    html = client.post(reverse("accounts:login"), {}).content.decode()
    assert "Masukkan alamat email Anda" in html
    assert "Masukkan kata sandi Anda" in html


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = f.UserFactory(email="warga@example.com")
    for _ in range(4):
        assert NO_MATCH in _login(client, user.email, "salah").content.decode()
    fifth = _login(client, user.email, "salah").content.decode()
    assert LOCKED in fifth
    assert "WIB" in fifth
    assert LOCKED in _login(client, user.email).content.decode()
    assert "_auth_user_id" not in client.session
    # after 15 minutes the right password works again and the counter is reset
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=1)):
        assert _login(client, user.email).status_code == 302
        client.post(reverse("accounts:logout"))
        for _ in range(4):
            assert NO_MATCH in _login(client, user.email, "salah").content.decode()


def test_a_lock_holds_only_for_the_client_that_caused_it():
    """A stranger's five wrong passwords never lock the officer out of their own desk."""
    officer = f.UserFactory(email="petugas@example.com")
    stranger = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        _login(stranger, officer.email, "tebakan")
    assert LOCKED in _login(stranger, officer.email).content.decode()
    desk = Client(REMOTE_ADDR="10.20.30.40")
    assert _login(desk, officer.email).status_code == 302
    assert "_auth_user_id" in desk.session


def test_unknown_addresses_lock_the_same_way(client):
    for _ in range(4):
        _login(client, "tidak-ada@example.com", "salah")
    assert LOCKED in _login(client, "tidak-ada@example.com", "salah").content.decode()


def test_sign_in_attempts_are_rate_limited_per_client(client, settings):
    settings.ADUAN_RATE_LOGIN = (2, 900)
    user = f.UserFactory(email="warga@example.com")
    _login(client, "a@example.com", "x")
    _login(client, "b@example.com", "x")
    html = _login(client, user.email).content.decode()
    assert "Terlalu banyak percobaan masuk. Tunggu 15 menit" in html


def test_sign_out_is_post_only(client):
    user = f.UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout"))["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_sign_up_verify_then_sign_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Warga Baru",
                "email": "Baru@Example.com",
                "password": "kopi-tubruk-pagi",
                "password_again": "kopi-tubruk-pagi",
            },
        )
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get(email="baru@example.com")
    assert not user.is_active
    assert user.email_verified_at is None
    note = Notification.objects.get(kind="account_verify")
    assert note.recipient == "baru@example.com"
    # the mailed link (its signature carries the second it was made: read it, do not rebuild it)
    prefix = reverse("accounts:verify", args=["TOKEN"]).split("TOKEN")[0]
    link = re.search(re.escape(prefix) + r"[^/\s]+/", note.body).group(0)

    # an unverified account cannot sign in yet, and is told why
    html = _login(client, "baru@example.com", "kopi-tubruk-pagi").content.decode()
    assert "Konfirmasi alamat email Anda terlebih dahulu" in html

    assert "Akun Anda sudah siap" in client.get(link).content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert user.email_verified_at is not None
    assert _login(client, "baru@example.com", "kopi-tubruk-pagi").status_code == 302


def test_sign_up_with_an_existing_address_reveals_nothing(client):
    f.UserFactory(email="ada@example.com")
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "ada@example.com",
            "password": "kopi-tubruk-pagi",
            "password_again": "kopi-tubruk-pagi",
        },
    )
    assert response["Location"] == reverse("accounts:signup_done")
    assert User.objects.filter(email="ada@example.com").count() == 1
    assert Notification.objects.get().kind == "account_exists"


def test_sign_up_errors_keep_values(client):
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Siti", "email": "siti@", "password": "abc", "password_again": "abd"},
    )
    html = response.content.decode()
    assert "<title>Kesalahan: " in html
    assert "Masukkan alamat email dengan format yang benar" in html
    assert "Kata sandi tidak sama" in html
    assert 'value="Siti"' in html
    assert User.objects.count() == 0


def test_weak_password_is_refused(client):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "siti@example.com", "password": "12345678", "password_again": "12345678"},
    )
    assert "form-group--error" in response.content.decode()
    assert User.objects.count() == 0


def test_broken_verification_link(client):
    html = client.get(reverse("accounts:verify", args=["rusak"])).content.decode()
    assert "Tautan ini tidak berfungsi" in html


def test_my_reports_lists_only_own(client, django_assert_num_queries):
    user = f.UserFactory()
    agency = f.AgencyFactory()
    mine = f.complaint(agency, title="Laporan milik saya")
    mine.reporter = user
    mine.save(update_fields=["reporter"])
    f.complaint(agency, title="Laporan orang lain")
    client.force_login(user)
    html = client.get(reverse("complaints:my_complaints")).content.decode()
    assert "Laporan milik saya" in html
    assert "Laporan orang lain" not in html
    assert reverse("complaints:track_detail", args=[mine.tracking_number]) in html


@pytest.mark.parametrize("rows", [1, 15])
def test_my_reports_query_count(client, rows, django_assert_num_queries):
    user = f.UserFactory()
    agency = f.AgencyFactory()
    for _ in range(rows):
        c = f.complaint(agency)
        c.reporter = user
        c.save(update_fields=["reporter"])
    client.force_login(user)
    # session, user, complaints joined with their agency
    with django_assert_num_queries(3):
        client.get(reverse("complaints:my_complaints"))


def test_my_reports_needs_sign_in(client):
    response = client.get(reverse("complaints:my_complaints"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_my_reports_show_the_local_day_of_sending_newest_sent_first(client):
    # given two reports at an agency in WIT (UTC+9): the first created earlier but sent later
    from complaints.models import Complaint

    user = f.UserFactory()
    agency = f.AgencyFactory(time_zone="Asia/Jayapura")
    late = f.complaint(agency, title="Dikirim belakangan")
    early = f.complaint(agency, title="Dikirim duluan")
    Complaint.objects.filter(pk=late.pk).update(
        reporter=user,
        created_at=dt.datetime(2026, 2, 1, 3, 0, tzinfo=dt.UTC),
        # 16.30 UTC is 2 March in Jayapura, still 1 March in Jakarta and UTC
        submitted_at=dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC),
    )
    Complaint.objects.filter(pk=early.pk).update(
        reporter=user,
        created_at=dt.datetime(2026, 2, 15, 3, 0, tzinfo=dt.UTC),
        submitted_at=dt.datetime(2026, 2, 20, 3, 0, tzinfo=dt.UTC),
    )
    client.force_login(user)

    html = client.get(reverse("complaints:my_complaints")).content.decode()

    # then the sending day is the agency's local day, and the most recently sent comes first
    assert "2 Maret 2026" in html
    assert "1 Maret 2026" not in html
    assert "1 Februari 2026" not in html
    assert html.index("Dikirim belakangan") < html.index("Dikirim duluan")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kop1", "Kata sandi harus 8 karakter atau lebih"),
        ("password123", "Pilih kata sandi yang tidak mudah ditebak"),
        ("4829105736", "Kata sandi harus berisi huruf atau simbol, tidak hanya angka"),
        ("siti.aminah", "Pilih kata sandi yang tidak mirip dengan nama atau alamat email Anda"),
    ],
)
def test_password_rules_speak_plainly(client, password, message):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Siti Aminah",
            "email": "siti.aminah@example.com",
            "password": password,
            "password_again": password,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    # the same words in the error summary and at the field
    assert html.count(message) == 2
    assert "terlalu pendek" not in html
    assert "terlalu umum" not in html
    assert not User.objects.filter(email="siti.aminah@example.com").exists()


def test_resend_page_has_a_heading_and_says_what_happens(client):
    html = client.get(reverse("accounts:resend")).content.decode()
    assert "<h1>Kirim ulang tautan konfirmasi</h1>" in html
    assert "kami mengirim tautan baru" in html
    assert '<label class="label" for="id_email">Alamat email</label>' in html


def test_password_field_shows_one_message_length_first(client):
    # "12345" is too short, entirely numeric and common: only the length is said
    response = client.post(
        reverse("accounts:signup"),
        {"email": "siti@example.com", "password": "12345", "password_again": "12345"},
    )
    html = response.content.decode()
    assert html.count("Kata sandi harus 8 karakter atau lebih") == 2
    assert "tidak hanya angka" not in html
    assert "tidak mudah ditebak" not in html
    assert html.count('class="error-message"') == 1


def test_verification_link_does_not_carry_the_address_and_works_once(client):
    import base64

    user = User.objects.create_user(email="rahasia.warga@example.com", is_active=False)
    token = verify_token(user)
    payload = token.split(":", 1)[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"rahasia" not in decoded
    assert b"example.com" not in decoded
    link = reverse("accounts:verify", args=[token])
    assert "Akun Anda sudah siap" in client.get(link).content.decode()
    # once used, the old link no longer works
    assert "Tautan ini tidak berfungsi" in client.get(link).content.decode()


def test_verification_link_stops_working_when_the_address_changes(client):
    user = User.objects.create_user(email="lama@example.com", is_active=False)
    link = reverse("accounts:verify", args=[verify_token(user)])
    User.objects.filter(pk=user.pk).update(email="baru@example.com")
    assert "Tautan ini tidak berfungsi" in client.get(link).content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_account_start_page_sends_each_visitor_on(client):
    # README gives /akun/ as the registered reporter's start page: it is not a 404
    start = reverse("accounts:home")
    assert start == "/akun/"
    anonymous = client.get(start)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('accounts:login')}?next=/akun/"
    reporter = f.UserFactory(email="warga@example.com")
    client.force_login(reporter)
    assert client.get(start)["Location"] == reverse("complaints:my_complaints")
    # staff start in their workspace, as after signing in
    client.force_login(f.staff(f.AgencyFactory(), Role.VERIFIER, email="petugas@example.go.id"))
    assert client.get(start)["Location"] == "/staf/"


def test_signing_in_from_the_account_start_page_reaches_my_reports(client):
    f.UserFactory(email="warga@example.com")
    login_url = client.get("/akun/")["Location"]
    response = client.post(login_url, {"email": "warga@example.com", "password": PASSWORD})
    assert response["Location"] == "/akun/"
    assert client.get("/akun/")["Location"] == reverse("complaints:my_complaints")

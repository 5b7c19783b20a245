"""Rate limits behind the reverse proxy: every request arrives from the proxy's address, with the
client appended to X-Forwarded-For. One client using up a limit leaves the other untouched,
and a client cannot pick its own key by sending X-Forwarded-For itself."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from common import ratelimit
from tests import factories as f
from tests.complaints.public_support import complaint_count, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

PROXY = "172.18.0.5"
ALICE = "203.0.113.10"
BUDI = "198.51.100.77"
PASSWORD = "rahasia-uji-123"


def behind_proxy(client_address: str, sent_by_client: str = "") -> Client:
    """A browser at `client_address` reaching Django through one proxy that appends the
    address it saw to whatever X-Forwarded-For the browser sent (nginx's
    $proxy_add_x_forwarded_for, deploy/nginx.conf)."""
    forwarded = f"{sent_by_client}, {client_address}" if sent_by_client else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.ADUAN_TRUSTED_PROXY_COUNT = 1


def test_the_setting_comes_from_the_environment_and_defaults_to_no_proxy():
    from config.settings import base

    assert base.env.int("ADUAN_TRUSTED_PROXY_COUNT", default=0) == base.ADUAN_TRUSTED_PROXY_COUNT
    assert base.REST_FRAMEWORK["NUM_PROXIES"] == base.ADUAN_TRUSTED_PROXY_COUNT


def test_client_key_is_the_address_the_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ALICE}")
    assert ratelimit.client_key(request) == ALICE
    settings.ADUAN_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_key(request) == PROXY


def test_tracking_limit_locks_only_the_guessing_client(agency, settings):
    settings.ADUAN_RATE_TRACKING = (3, 900)
    c = f.complaint(agency)
    alice, budi = behind_proxy(ALICE), behind_proxy(BUDI)
    url = reverse("complaints:track")
    for _ in range(3):
        alice.post(url, {"tracking_number": c.tracking_number, "access_code": "AAAABBBB"})
    right = {"tracking_number": c.tracking_number, "access_code": c.plain_access_code}
    assert "Anda terlalu sering mencoba" in alice.post(url, right).content.decode()
    # Alice pretending to be someone else changes nothing: the proxy's entry is the key.
    spoofing = behind_proxy(ALICE, sent_by_client="192.0.2.99")
    assert "Anda terlalu sering mencoba" in spoofing.post(url, right).content.decode()
    response = budi.post(url, right)
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:track_detail", args=[c.tracking_number])


def test_sign_in_limit_locks_only_the_failing_client(settings):
    settings.ADUAN_RATE_LOGIN = (2, 900)
    officer = f.UserFactory(email="petugas@example.com", password=PASSWORD)
    alice, budi = behind_proxy(ALICE), behind_proxy(BUDI)
    url = reverse("accounts:login")
    alice.post(url, {"email": "a@example.com", "password": "x"})
    alice.post(url, {"email": "b@example.com", "password": "x"})
    html = alice.post(url, {"email": officer.email, "password": PASSWORD}).content.decode()
    assert "Terlalu banyak percobaan masuk. Tunggu 15 menit" in html
    response = budi.post(url, {"email": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in budi.session


def test_filing_limit_counts_each_client_apart(agency, settings):
    settings.ADUAN_RATE_FILING = (1, 3600)
    alice, budi = behind_proxy(ALICE), behind_proxy(BUDI)
    assert submit(alice, agency=agency).status_code == 302
    refused = submit(alice, agency=agency)
    assert "Anda telah mengirim banyak laporan dalam waktu singkat" in refused.content.decode()
    assert submit(budi, agency=agency).status_code == 302
    assert complaint_count() == 2


def test_without_the_setting_every_client_shares_the_proxy_key(agency, settings):
    """What the setting fixes: with 0 trusted proxies all clients are the proxy."""
    settings.ADUAN_TRUSTED_PROXY_COUNT = 0
    settings.ADUAN_RATE_FILING = (1, 3600)
    assert submit(behind_proxy(ALICE), agency=agency).status_code == 302
    refused = submit(behind_proxy(BUDI), agency=agency)
    assert "Anda telah mengirim banyak laporan dalam waktu singkat" in refused.content.decode()


def test_the_deployment_sets_the_proxy_count_and_the_same_body_cap():
    from config.settings import base

    root = base.BASE_DIR
    compose = (root / "docker-compose.yml").read_text()
    assert "ADUAN_TRUSTED_PROXY_COUNT: ${ADUAN_TRUSTED_PROXY_COUNT:-1}" in compose
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf" in compose
    assert "ADUAN_TRUSTED_PROXY_COUNT=1" in (root / ".env.example").read_text()
    nginx = (root / "deploy" / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    cap_mb = base.ADUAN_REQUEST_MAX_BYTES // (1024 * 1024)
    assert f"client_max_body_size {cap_mb}m;" in nginx

"""The form-expired page (CSRF failure) and maintenance mode."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_form_sent_without_a_valid_token_gets_a_plain_translated_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("complaints:track"), {"number": "X", "code": "Y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Halaman ini terlalu lama dibuka" in html
    assert "Yang Anda kirim tidak tersimpan" in html
    assert "CSRF" not in html


def test_the_form_expired_page_in_english():
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:login"), {"email": "a@example.com"})
    assert response.status_code == 403
    assert "This page was open too long" in response.content.decode()


def test_maintenance_mode_answers_503_except_health_and_static(client, settings):
    settings.MAINTENANCE_MODE = True
    for path in ("/", reverse("complaints:track"), "/staf/", reverse("accounts:login")):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == "600"
        assert "Aduan sedang diperbarui" in response.content.decode()
    assert client.post(reverse("accounts:login"), {"email": "a@example.com"}).status_code == 503
    assert client.get("/health/?scope=web").status_code == 200


def test_maintenance_mode_is_off_by_default(client):
    assert client.get("/").status_code == 200

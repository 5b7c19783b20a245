"""Sign-in and sign-up answer in the same time whatever the address: an existing, unknown or
locked address cannot be told apart by how long the answer takes. Each case is timed several
times, interleaved, and the medians compared with a tolerance of half a password hash (the
work a leaking path skips)."""

from __future__ import annotations

import statistics
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

PASSWORD = "rahasia-uji-123"
ROUNDS = 7


@pytest.fixture(autouse=True)
def _measurable_hash(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.MeasurablePBKDF2PasswordHasher"]
    settings.ADUAN_RATE_LOGIN = (10_000, 900)
    settings.ADUAN_RATE_SIGNUP = (10_000, 3600)


def _hash_time() -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        make_password(PASSWORD)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _medians(cases: dict) -> dict[str, float]:
    """Run every case ROUNDS times, round-robin so that load on the machine hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(ROUNDS):
        for name, run in cases.items():
            start = time.perf_counter()
            run(i)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def test_sign_in_takes_the_same_time_for_any_address(client):
    f.UserFactory(email="terkunci@example.com", password=PASSWORD)
    f.UserFactory(email="warga@example.com", password=PASSWORD)
    url = reverse("accounts:login")

    def attempt(email, password="salah-sekali"):
        return lambda _i: client.post(url, {"email": email, "password": password})

    for email in ("terkunci@example.com", "hilang-terkunci@example.com"):
        for _ in range(5):
            attempt(email)(0)
    locked = client.post(url, {"email": "terkunci@example.com", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()

    medians = _medians(
        {
            "locked account, right password": attempt("terkunci@example.com", PASSWORD),
            "locked unknown address": attempt("hilang-terkunci@example.com"),
            "unknown address": lambda i: client.post(
                url, {"email": f"tidak-ada-{i}@example.com", "password": "salah-sekali"}
            ),
            "account, wrong password": lambda i: client.post(
                url, {"email": "warga@example.com", "password": f"salah-{i}"}
            ),
        }
    )
    tolerance = _hash_time() / 2
    assert max(medians.values()) - min(medians.values()) < tolerance, medians


def test_sign_up_takes_the_same_time_for_new_and_existing_addresses(client):
    f.UserFactory(email="sudah-ada@example.com", password=PASSWORD)
    url = reverse("accounts:signup")

    def sign_up(email):
        return client.post(
            url,
            {
                "full_name": "Warga",
                "email": email,
                "password": "kopi-tubruk-pagi",
                "password_again": "kopi-tubruk-pagi",
            },
        )

    medians = _medians(
        {
            "existing address": lambda _i: sign_up("sudah-ada@example.com"),
            "new address": lambda i: sign_up(f"baru-{i}@example.com"),
        }
    )
    tolerance = _hash_time() / 2
    assert abs(medians["existing address"] - medians["new address"]) < tolerance, medians

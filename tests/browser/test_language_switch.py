"""Switching language mid-form keeps what was typed but not yet sent (UX §3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f

pytestmark = pytest.mark.usefixtures("clear_cache")


def test_unsent_answers_survive_a_language_switch(page: Page, transactional_db):
    f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Permintaan informasi").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Saya tidak tahu").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    # typed, never sent
    page.get_by_label("Judul laporan").fill("Jam buka kantor imigrasi")
    page.get_by_label("Apa yang terjadi?").fill("Kapan kantor buka pada hari Sabtu?")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Title of your report")).to_have_value("Jam buka kantor imigrasi")
    expect(page.get_by_label("What happened?")).to_have_value("Kapan kantor buka pada hari Sabtu?")

    # put back once: a later visit shows what the server holds (nothing was sent)
    page.reload()
    expect(page.get_by_label("Title of your report")).to_have_value("")


def test_a_password_is_never_carried(page: Page, transactional_db):
    page.goto("/akun/masuk/")
    page.locator("input[type=email]").fill("pelapor@example.com")
    page.locator("input[type=password]").fill("rahasia-sekali")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("input[type=email]")).to_have_value("pelapor@example.com")
    expect(page.locator("input[type=password]")).to_have_value("")
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage))")
    assert "rahasia-sekali" not in stored

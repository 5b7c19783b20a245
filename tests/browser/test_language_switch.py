"""Switching language mid-form keeps what was typed but not yet sent (UX §3), with and
without JavaScript: the language buttons send the page's form to common.carry."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

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


def _no_js_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def _to_the_story_step(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Permintaan informasi").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Saya tidak tahu").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()


def test_without_javascript_indonesian_to_english_keeps_the_typed_text(
    browser: Browser, live_server, transactional_db
):
    f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    page = _no_js_page(browser, live_server)
    _to_the_story_step(page)
    page.get_by_label("Judul laporan").fill("Jam buka kantor imigrasi")
    page.get_by_label("Apa yang terjadi?").fill("Kapan kantor buka pada hari Sabtu?")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about the problem")
    expect(page.get_by_label("Title of your report")).to_have_value("Jam buka kantor imigrasi")
    expect(page.get_by_label("What happened?")).to_have_value("Kapan kantor buka pada hari Sabtu?")
    # nothing was sent: no error, and the draft on the server is unchanged
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    page.reload()
    expect(page.get_by_label("Title of your report")).to_have_value("")
    page.context.close()


def test_without_javascript_english_to_indonesian_keeps_choices_and_text(
    browser: Browser, live_server, transactional_db
):
    f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    page = _no_js_page(browser, live_server)
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Make a report").click()
    page.get_by_label("Information request").check()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_label("Permintaan informasi")).to_be_checked()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    expect(page.get_by_label("Saya tidak tahu")).to_be_visible()

    # the tracking page too; the access code is never kept
    page.get_by_role("button", name="English").click()
    page.goto("/lacak/")
    page.get_by_label("Tracking number").fill("ABCD-2345-EFGH")
    page.get_by_label("Access code").fill("K7M2Q9XP")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_label("Nomor pelacakan")).to_have_value("ABCD-2345-EFGH")
    expect(page.get_by_label("Kode akses")).to_have_value("")
    page.context.close()


def test_without_javascript_the_agency_search_text_is_kept_and_searched(
    browser: Browser, live_server, transactional_db
):
    f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    f.AgencyFactory(name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Dukcapil")
    page = _no_js_page(browser, live_server)
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Permintaan informasi").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    # Enter in the search box searches (it does not switch the language)
    page.get_by_label("Cari instansi").fill("kependudukan")
    page.get_by_label("Cari instansi").press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 instansi ditemukan untuk “kependudukan”.")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    # typed, never sent
    page.get_by_label("Cari instansi").fill("pengawas")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Search for an agency")).to_have_value("pengawas")
    expect(page.get_by_role("status")).to_have_text("1 agency found for “pengawas”.")
    expect(page.get_by_label("Badan Pengawas Obat dan Makanan (BPOM)")).to_be_visible()
    expect(page.get_by_label("Dinas Kependudukan", exact=False)).to_have_count(0)

    # choosing from the kept search files to it
    page.get_by_label("Badan Pengawas Obat dan Makanan (BPOM)").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about the problem")
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_enter_in_a_field_sends_the_page_not_the_language_switch(
    browser: Browser, live_server, transactional_db, javascript
):
    """The language buttons belong to the page's form and come first: Enter must still do what
    the page's own button does."""
    f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    _to_the_story_step(page)
    page.get_by_label("Judul laporan").fill("Jam buka kantor imigrasi")
    page.get_by_label("Judul laporan").press("Enter")
    # the story step answered (its account is missing), still in Indonesian
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Ada masalah")).to_be_visible()
    expect(page.get_by_label("Judul laporan")).to_have_value("Jam buka kantor imigrasi")
    context.close()

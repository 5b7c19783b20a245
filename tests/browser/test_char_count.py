"""The live character count under the account on the filing form (aduan.js): its wording
comes from the page, in the page's language, singular and plural."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("clear_cache")

LIMIT = 20


@pytest.fixture
def short_limit(settings, transactional_db):
    settings.ADUAN_BODY_MAX_LENGTH = LIMIT


def _to_the_story(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Pengaduan").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Saya tidak tahu").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()


def test_the_count_says_one_character_and_many_characters_in_both_languages(
    page: Page, short_limit
):
    _to_the_story(page)
    body = page.get_by_label("Apa yang terjadi?")
    count = page.locator("#id_body-count")
    expect(count).to_have_text(f"Anda dapat menulis {LIMIT} karakter lagi")
    body.fill("x" * (LIMIT - 1))
    expect(count).to_have_text("Anda dapat menulis 1 karakter lagi")
    body.fill("x" * (LIMIT + 3))
    expect(count).to_have_text("Anda melebihi batas sebanyak 3 karakter")
    expect(count).to_have_class("hint char-count error-message")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    body = page.get_by_label("What happened?")
    count = page.locator("#id_body-count")
    body.fill("x" * (LIMIT + 1))
    expect(count).to_have_text("You have 1 character too many")
    body.fill("x" * (LIMIT + 2))
    expect(count).to_have_text("You have 2 characters too many")
    body.fill("x" * (LIMIT - 1))
    expect(count).to_have_text("You have 1 character remaining")
    body.fill("x" * (LIMIT - 2))
    expect(count).to_have_text("You have 2 characters remaining")

"""Issue 19, the citizen path measured in a real browser: the phone home page's first screen,
44 px targets on public pages, `hidden` controls without JavaScript, disclosure markers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_staff import sign_in_with_cookie

pytestmark = pytest.mark.usefixtures("clear_cache")

SCREENSHOTS = "/tmp/aduan-browser"


def _context(browser: Browser, live_server, width: int, height: int, *, js: bool = True):
    return browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": width, "height": height},
        java_script_enabled=js,
    )


def test_phone_home_first_screen_holds_the_promise_the_start_button_and_tracking(
    browser: Browser, live_server, agency
):
    context = _context(browser, live_server, 360, 740)
    page = context.new_page()
    page.goto("/")
    page.screenshot(path=f"{SCREENSHOTS}/home-360.png")
    start = page.get_by_role("button", name="Buat laporan").bounding_box()
    assert start["y"] + start["height"] <= 740, start
    assert page.locator("h1").bounding_box()["y"] < start["y"]
    track = page.locator("#id_tracking_number").bounding_box()
    assert track["y"] + track["height"] <= 740, track
    context.close()


def _small_targets(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll(
                   'main a, main button, main summary, .back-link, footer a, header button')]
          .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden'))
          // WCAG 2.5.8's exception: a link inside a sentence takes the line's height
          .filter(e => e.tagName !== 'A' || !['P', 'DD', 'LI', 'TD', 'SPAN'].includes(
                         e.parentElement.tagName)
                       || e.parentElement.textContent.trim() === e.textContent.trim())
          .filter(e => {
            const b = e.getBoundingClientRect();
            return b.width > 0 && b.height < 44;
          })
          .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40) + ' '
                    + Math.round(e.getBoundingClientRect().height))"""
    )


def test_public_targets_are_at_least_44_px(page: Page, agency):
    # the home page, a question page with "Kembali" and an error summary, the help page
    page.goto("/")
    assert _small_targets(page) == []
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert _small_targets(page) == []
    page.goto("/bantuan/")
    assert _small_targets(page) == []


def test_public_details_show_a_disclosure_marker(page: Page, agency):
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Pengaduan").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Saya tidak tahu").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Judul laporan").fill("Loket tutup")
    page.get_by_label("Apa yang terjadi?").fill("Loket tutup pada jam layanan.")
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    summary = page.locator("details.details > summary").first
    expect(summary).to_be_visible()
    assert summary.evaluate("e => getComputedStyle(e).display") == "list-item"
    assert summary.bounding_box()["height"] >= 44


def test_hidden_controls_stay_hidden_without_javascript(browser: Browser, live_server, staff_world):
    context = _context(browser, live_server, 1280, 900, js=False)
    page = context.new_page()
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    for url in ("/", "/staf/pintasan/", "/staf/laporan/"):
        page.goto(url)
        shown = page.evaluate(
            "() => [...document.querySelectorAll('[hidden]')]"
            ".filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))"
        )
        assert shown == [], url
    context.close()


def test_focal_board_caption_is_not_cut_at_360_px(browser: Browser, live_server, focal_world):
    from tests.focal_points.helpers import open_complaint

    open_complaint(focal_world.a, unit=focal_world.a1, title="Obat palsu")
    context = _context(browser, live_server, 360, 740)
    page = context.new_page()
    sign_in_with_cookie(page, live_server, focal_world.coordinator)
    page.goto("/focal/")
    caption = page.locator("table.focal-board caption").bounding_box()
    # the table is wider than the phone and scrolls in its own box; the caption does not
    assert page.locator("table.focal-board").bounding_box()["width"] > 360
    assert caption["x"] >= 0
    assert caption["x"] + caption["width"] <= 360, caption
    context.close()


def test_agency_search_by_words_in_any_order(page: Page, agency):
    from tests import factories as f

    f.UnitFactory(parent=agency, name="Balai Besar POM di Jakarta")
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Pengaduan").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.locator("#id_q").fill("Balai Besar POM Jakarta")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_label("Badan Pengawas Obat dan Makanan (BPOM)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Balai Besar POM di Jakarta")


def _to_similar_step(page: Page, *, title: str, where: str) -> None:
    page.goto("/")
    page.get_by_role("button", name="Buat laporan").click()
    page.get_by_label("Pengaduan").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Badan Pengawas Obat dan Makanan (BPOM)").check()
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Judul laporan").fill(title)
    page.get_by_label("Apa yang terjadi?").fill("Apotek menjual obat yang sudah kedaluwarsa.")
    page.get_by_role("button", name="Lanjutkan", exact=True).click()
    page.get_by_label("Di mana kejadiannya? (opsional)").fill(where)
    page.get_by_role("button", name="Lanjutkan", exact=True).click()


def test_similar_step_only_for_a_close_match_with_my_own_report_first(
    phone_page: Page, agency, people
):
    from complaints import services
    from tests import factories as f

    for title, where in (
        ("Apotek menjual obat kedaluwarsa", "Jakarta Timur"),
        ("Apotek menjual obat kedaluwarsa", "Sentani"),
        ("Apakah jamu perlu izin edar?", "Jakarta"),
    ):
        c = f.complaint(agency, title=title, location_text=where)
        services.complaint_verify(complaint_id=c.pk, actor=people["verifier"])
    page = phone_page
    _to_similar_step(
        page, title="Apotek jual obat kedaluwarsa", where="Apotek Sehat, Jakarta Timur"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan serupa")
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card")).to_contain_text("Jakarta Timur")
    own = page.get_by_role("button", name="Lanjutkan laporan saya sendiri")
    assert own.bounding_box()["y"] < page.locator(".card").bounding_box()["y"]
    assert own.bounding_box()["y"] + own.bounding_box()["height"] <= 667
    own.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Laporan serupa")

    # a report far from any other skips the step
    page.context.clear_cookies()
    _to_similar_step(page, title="Loket paspor tutup siang hari", where="Makassar")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Laporan serupa")
    assert "laporan-serupa" not in page.url

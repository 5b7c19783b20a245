"""Issue 19 measured in a real browser: complaints per screen in the queue, the complaint before
the actions on the case page, the bulk toolbar only once something is selected."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from complaints import services
from tests import factories as f
from tests.browser.test_staff import sign_in_with_cookie

SCREENSHOTS = "/tmp/aduan-browser"

LONG_TITLE = (
    "Obat kedaluwarsa dijual bebas di apotek dekat pasar induk dan pemilik apotek menolak "
    "mengembalikan uang pembeli"
)


def _viewport(browser: Browser, live_server, width: int, height: int) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def _queue_world(staff_world, n: int = 30):
    for i in range(n):
        c = f.complaint(
            staff_world.agency,
            category=staff_world.category,
            title=f"{LONG_TITLE} ({i})",
            location_text="Jl. Pasar Induk No. 12, Kecamatan Kramat Jati, Jakarta Timur",
        )
        if i % 2:
            services.complaint_verify(complaint_id=c.pk, actor=staff_world.verifier)
            services.complaint_route(
                complaint_id=c.pk,
                actor=staff_world.verifier,
                unit=staff_world.unit,
                assignee=staff_world.officer,
            )


def _rows_on_first_screen(page: Page) -> int:
    """Rows wholly inside the viewport, without scrolling."""
    return page.evaluate(
        """() => {
          const h = window.innerHeight;
          return [...document.querySelectorAll('[data-row]')].filter(r => {
            const b = r.getBoundingClientRect();
            return b.top >= 0 && b.bottom <= h;
          }).length;
        }"""
    )


def _row_heights(page: Page) -> set[int]:
    return set(
        page.evaluate(
            "() => [...document.querySelectorAll('[data-row]')]"
            ".map(r => Math.round(r.getBoundingClientRect().height))"
        )
    )


def test_queue_shows_fifteen_complaints_on_a_desktop_and_eight_on_a_phone(
    browser: Browser, live_server, staff_world
):
    _queue_world(staff_world)
    for width, height, wanted in ((1280, 900, 15), (360, 740, 8)):
        page = _viewport(browser, live_server, width, height)
        sign_in_with_cookie(page, live_server, staff_world.verifier)
        page.goto("/staf/laporan/")
        expect(page.locator("[data-row]")).to_have_count(30)
        page.screenshot(path=f"{SCREENSHOTS}/queue-{width}.png")
        rows = _rows_on_first_screen(page)
        assert rows >= wanted, f"{rows} complaints on a {width}x{height} screen"
        # one line per complaint: every row as tall as the others, long titles cut, not wrapped
        heights = _row_heights(page)
        assert max(heights) <= 40, heights
        # the filters sit above the table, collapsed; opening them shows the form
        summary = page.locator("[data-queue-filter] > summary")
        filter_box = summary.bounding_box()
        first_row = page.locator("[data-row]").first.bounding_box()
        assert filter_box["y"] < first_row["y"]
        expect(page.locator("#filters button[type=submit]")).to_be_hidden()
        summary.click()
        expect(page.locator("#filters button[type=submit]")).to_be_visible()
        page.context.close()


def test_queue_shows_the_deadline_in_working_days_and_the_toolbar_only_after_a_selection(
    page: Page, live_server, staff_world
):
    _queue_world(staff_world, n=3)
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto("/staf/laporan/")
    expect(page.locator("[data-row]").first).to_contain_text(re.compile(r"\d+ HK lagi"))
    toolbar = page.locator("[data-bulk-toolbar]")
    expect(toolbar).to_be_hidden()
    page.locator("[data-item]").first.check()
    expect(toolbar).to_be_visible()
    page.locator("[data-item]").first.uncheck()
    expect(toolbar).to_be_hidden()


def test_queue_toolbar_follows_the_selection_without_javascript(
    browser: Browser, live_server, staff_world
):
    _queue_world(staff_world, n=3)
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto("/staf/laporan/")
    toolbar = page.locator("[data-bulk-toolbar]")
    expect(toolbar).to_be_hidden()
    page.locator("[data-item]").first.check()
    expect(toolbar).to_be_visible()
    # "select all" needs JavaScript: without it the control stays hidden
    expect(page.locator(".select-all")).to_be_hidden()
    context.close()


def test_case_page_shows_the_complaint_first_and_the_actions_beside_or_after_it(
    browser: Browser, live_server, staff_world
):
    c = f.complaint(
        staff_world.agency,
        category=staff_world.category,
        title=LONG_TITLE,
        body="Saya membeli amoksisilin kedaluwarsa di Apotek Sehat, Jl. Pasar Induk No. 12.",
        location_text="Jl. Pasar Induk No. 12, Jakarta Timur",
    )
    other = f.complaint(staff_world.agency, category=staff_world.category, title="Izin edar")
    for width, height in ((1280, 900), (360, 740)):
        page = _viewport(browser, live_server, width, height)
        sign_in_with_cookie(page, live_server, staff_world.verifier)
        page.goto(f"/staf/laporan/{c.pk}/")
        page.screenshot(path=f"{SCREENSHOTS}/case-{width}.png", full_page=True)
        account = page.locator("[data-case-account]")
        expect(account).to_contain_text("amoksisilin kedaluwarsa")
        text = account.bounding_box()
        actions = page.locator(".case-actions").bounding_box()
        # the citizen's words are on the first screen, not 1,400 px down
        assert text["y"] + 40 < height, text
        if width >= 1280:
            # beside it: the actions start at the same height, in the column to the right
            assert actions["x"] >= text["x"] + text["width"], (text, actions)
            assert actions["y"] < height
        else:
            assert actions["y"] > text["y"] + text["height"], (text, actions)
        # the verify form is there to use; the other actions open on demand
        expect(page.locator("form[data-action=verify] button[type=submit]")).to_be_visible()
        expect(page.locator("form[data-action=archive]")).to_be_hidden()
        # "next complaint in my queue": the verifier has nothing assigned, so the open ones
        page.locator("[data-shortcut-next]").click()
        expect(page.locator("h1")).to_contain_text(other.display_tracking_number)
        page.context.close()


def test_case_shortcuts_next_note_and_draft_without_a_mouse(page: Page, live_server, staff_world):
    first = f.complaint(staff_world.agency, category=staff_world.category, title="Obat palsu")
    second = f.complaint(staff_world.agency, category=staff_world.category, title="Izin edar")
    for c in (first, second):
        services.complaint_verify(complaint_id=c.pk, actor=staff_world.verifier)
        services.complaint_route(
            complaint_id=c.pk,
            actor=staff_world.verifier,
            unit=staff_world.unit,
            assignee=staff_world.officer,
        )
        services.complaint_take(complaint_id=c.pk, actor=staff_world.officer)
    sign_in_with_cookie(page, live_server, staff_world.officer)
    page.goto("/staf/pintasan/")
    expect(page.locator("[data-case-shortcuts]")).to_contain_text("Tulis catatan internal")
    page.goto(f"/staf/laporan/{first.pk}/")
    start = page.locator("h1").inner_text()
    page.locator("body").press("n")
    expect(page.locator("form[data-action=note] textarea")).to_be_focused()
    page.keyboard.type("Apotek ditelepon.")
    page.locator("form[data-action=note] textarea").blur()
    page.locator("body").press("d")
    expect(page.locator("form[data-action=draft] textarea")).to_be_focused()
    page.locator("form[data-action=draft] textarea").blur()
    page.locator("body").press("j" if page.locator("[data-shortcut-next]").count() else "k")
    expect(page.locator("h1")).not_to_have_text(start)
    expect(page.locator("h1")).to_contain_text(re.compile("Obat palsu|Izin edar"))


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_an_action_opens_on_demand_and_is_used(
    browser: Browser, live_server, staff_world, javascript
):
    c = f.complaint(staff_world.agency, category=staff_world.category, title="Obat palsu")
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        java_script_enabled=javascript,
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto(f"/staf/laporan/{c.pk}/")
    # not drawn until asked for
    expect(page.locator("form[data-action=forward]")).to_have_count(0)
    page.locator("a[data-open-action]", has_text="Limpahkan ke instansi lain").click()
    form = page.locator("form[data-action=forward]")
    expect(form).to_be_visible()
    expect(form).to_be_in_viewport()
    if javascript:
        expect(form.locator("select[name=agency]")).to_be_focused()
    form.locator("select[name=agency]").select_option(str(staff_world.other.pk))
    form.locator("textarea[name=reason]").fill("Kewenangan instansi lain")
    form.locator("button[type=submit]").click()
    expect(page.locator(".banner--success")).to_contain_text("Berhasil")
    c.refresh_from_db()
    assert c.agency == staff_world.other
    context.close()

"""htmx on the staff workspace (UX §6): queue filters, sort, pages and case actions swap the
page's main content in place, without a full page load; the URL stays the source of truth;
every swap is announced in the status region and focus moves sensibly."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from complaints import services
from complaints.models import ComplaintEvent, EventType, Status
from tests import factories as f
from tests.browser.test_staff import open_action, sign_in_with_cookie

STATUS = "[data-hx-status]"


def mark(page: Page) -> None:
    """A full page load would lose this."""
    expect(page.locator("script[src*=htmx]")).to_have_count(1)
    page.wait_for_load_state("load")
    page.evaluate("window.__marker = 1")


def still_marked(page: Page) -> bool:
    return page.evaluate("window.__marker") == 1


def test_queue_filter_sort_tags_and_back_without_a_page_load(page: Page, live_server, staff_world):
    f.complaint(staff_world.agency, title="Kosmetik tanpa izin")
    f.complaint(staff_world.agency, title="Antrean paspor panjang")
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto("/staf/laporan/")
    expect(page.locator(".queue-table tbody tr")).to_have_count(2)
    mark(page)

    # search through the filter form
    page.fill("input[name=q]", "kosmetik")
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(r"/staf/laporan/\?.*q=kosmetik"))
    expect(page.locator(".queue-table tbody tr")).to_have_count(1)
    expect(page.locator(".filter-tags")).to_contain_text("kosmetik")
    expect(page.locator(STATUS)).to_have_text("Daftar diperbarui")
    assert still_marked(page)
    # focus went to the results, not lost on the page body
    expect(page.locator("#queue-results, #id_q").and_(page.locator(":focus"))).to_have_count(
        1, timeout=5000
    )

    # a select filter with "Terapkan filter" (behind "Tampilkan filter"), then sort by a header
    page.get_by_text("Tampilkan filter").click()
    page.locator("#filters input[name=status][value=submitted]").check()
    page.get_by_role("button", name="Terapkan filter").first.click()
    expect(page).to_have_url(re.compile(r"status=submitted"))
    expect(page.locator(".filter-tags li")).to_have_count(2)
    page.locator(".queue-table thead a", has_text="Status").click()
    expect(page).to_have_url(re.compile(r"sort=status"))
    expect(page.locator("#filters input[name=sort]")).to_have_value("status")
    assert still_marked(page)

    # removing the search tag resets the form too, and the list grows again
    page.locator(".filter-tag", has_text="kosmetik").click()
    expect(page.locator(".queue-table tbody tr")).to_have_count(2)
    expect(page.locator("input[name=q]")).to_have_value("")
    expect(page).not_to_have_url(re.compile(r"q=kosmetik"))
    assert still_marked(page)

    # Back returns to the previous URL and its list (reloaded from the server)
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=kosmetik"))
    expect(page.locator(".queue-table tbody tr")).to_have_count(1)


def test_case_actions_swap_in_place_with_errors_and_stale_writes(
    page: Page, live_server, staff_world
):
    c = f.complaint(staff_world.agency, category=staff_world.category, title="Obat kedaluwarsa")
    case_url = f"/staf/laporan/{c.pk}/"
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto(case_url)
    mark(page)

    # an internal note: posted and swapped in place, announced, focus on the page's content
    open_action(page, "Tambah catatan internal")
    page.fill("#note-body", "Apotek sudah ditelepon.")
    page.locator("form[data-action=note] button[type=submit]").click()
    expect(page.locator(".timeline")).to_contain_text("Apotek sudah ditelepon.")
    expect(page.locator(".banner--success")).to_contain_text("Berhasil: catatan ditambahkan.")
    expect(page.locator(STATUS)).to_have_text("Tindakan berhasil")
    expect(page).to_have_url(re.compile(re.escape(case_url) + "$"))
    expect(page.locator("#main")).to_be_focused(timeout=5000)
    assert still_marked(page)
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.NOTE).count() == 1

    # an empty note: the error summary is swapped in, focused and announced; the URL stays
    open_action(page, "Tambah catatan internal")
    page.locator("form[data-action=note] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan catatan")
    expect(page.locator(STATUS)).to_have_text("Belum berhasil: ada masalah di halaman ini")
    expect(page.locator("[data-error-summary]")).to_be_focused(timeout=5000)
    # (the address of the page the note form was opened on)
    expect(page).to_have_url(re.compile(re.escape(case_url + "?open=note#action-note") + "$"))
    assert still_marked(page)

    # a stale write (409): someone else acted meanwhile; who did it is shown in place
    services.complaint_hold_for_info(complaint_id=c.pk, actor=staff_world.admin, message="Lengkapi")
    page.locator("form[data-action=verify] button[type=submit]").click()
    expect(page.locator("[data-action-error]")).to_contain_text("Admin Nasional")
    # (expect, not wait_for_function: the page's CSP forbids the eval its polling needs)
    expect(page.locator("[data-action-error]")).to_be_focused(timeout=5000)
    expect(page.locator(STATUS)).to_have_text("Belum berhasil: ada masalah di halaman ini")
    expect(page).to_have_url(re.compile(re.escape(case_url + "?open=note#action-note") + "$"))
    assert still_marked(page)
    c.refresh_from_db()
    assert c.status == Status.NEEDS_INFO

"""Staff workspace in a real browser: the verify → route → take → note → draft → approve →
publish journey ending on the reporter's tracking page, and a forward between agencies."""

from __future__ import annotations

import re

from django.test import Client
from playwright.sync_api import Page, expect

from complaints.models import Complaint, Response, Status
from tests import factories as f

PASSWORD = "rahasia-uji-123"


def sign_in_with_cookie(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def sign_in_through_form(page: Page, user) -> None:
    page.context.clear_cookies()
    page.goto("/staf/")
    # the staff workspace sends an anonymous visitor to the sign-in page and back
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/staf/$"))


def open_action(page: Page, label: str) -> None:
    """Open an action's form through its link (it is drawn on demand), unless it is shown."""
    link = page.locator("a[data-open-action]", has_text=label)
    if link.count():
        name = link.first.get_attribute("data-action")
        link.first.click()
        expect(page.locator(f"form[data-action={name}]")).to_be_visible()


def test_verify_route_take_note_draft_approve_publish_and_reporter_sees_it(
    page: Page, live_server, staff_world
):
    c = f.complaint(staff_world.agency, category=staff_world.category, title="Obat kedaluwarsa")
    case_url = f"/staf/laporan/{c.pk}/"

    # the verifier signs in through the sign-in page, finds it in the queue, verifies, routes
    sign_in_through_form(page, staff_world.verifier)
    page.get_by_role("link", name=re.compile("Menunggu verifikasi")).click()
    page.get_by_role("link", name=re.compile("Obat kedaluwarsa")).click()
    expect(page.locator("h1")).to_contain_text(c.display_tracking_number)
    page.fill("#verify-title", "Obat kedaluwarsa dijual di apotek")
    page.locator("form[data-action=verify] button[type=submit]").click()
    expect(page.locator(".banner--success")).to_contain_text("Berhasil: laporan diverifikasi.")
    page.locator("form[data-action=route] select[name=unit]").select_option(
        str(staff_world.unit.pk)
    )
    page.locator("form[data-action=route] select[name=assignee]").select_option(
        str(staff_world.officer.pk)
    )
    page.locator("form[data-action=route] button[type=submit]").click()
    expect(page.locator(".banner--success")).to_contain_text("didisposisikan")
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED
    assert c.assignee == staff_world.officer

    # the officer takes it, writes an internal note and drafts the answer
    sign_in_with_cookie(page, live_server, staff_world.officer)
    page.goto("/staf/laporan/?assignee=me")
    page.get_by_role("link", name=re.compile("Obat kedaluwarsa dijual")).click()
    page.get_by_role("button", name="Ambil laporan ini").click()
    expect(page.locator(".banner--success")).to_contain_text("Anda menangani laporan ini")
    open_action(page, "Tambah catatan internal")
    page.fill("#note-body", "Apotek sudah ditelepon.")
    page.locator("form[data-action=note] button[type=submit]").click()
    expect(page.locator(".timeline")).to_contain_text("Apotek sudah ditelepon.")
    page.fill("#draft-body", "Apotek telah kami periksa dan obatnya ditarik.")
    page.locator("form[data-action=draft] button[type=submit]").click()
    expect(page.locator(".banner--success")).to_contain_text(
        "draf jawaban disimpan dan kini menunggu persetujuan"
    )

    # the approver sees the preview exactly as the reporter will, approves and publishes
    sign_in_with_cookie(page, live_server, staff_world.approver)
    page.goto("/staf/laporan/?approval=on")
    page.get_by_role("link", name=re.compile("Obat kedaluwarsa dijual")).click()
    expect(page.locator(".answer-preview").first).to_contain_text(
        "Jawaban resmi dari Badan Pengawas Obat"
    )
    page.get_by_role("button", name="Setujui dan terbitkan").click()
    expect(page.locator(".banner--success")).to_contain_text(
        "draf disetujui dan jawaban diterbitkan"
    )
    c.refresh_from_db()
    assert c.status == Status.AWAITING_REPORTER
    assert Response.objects.get(complaint=c).state == Response.State.PUBLISHED

    # the reporter tracks it and reads the answer
    page.context.clear_cookies()
    page.goto("/lacak/")
    page.fill("input[name=tracking_number]", c.display_tracking_number)
    page.fill("input[name=access_code]", c.plain_access_code)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("Apotek telah kami periksa dan obatnya ditarik.")
    expect(page.locator("main")).not_to_contain_text("Apotek sudah ditelepon.")
    assert case_url


def test_forward_appears_in_other_agency_queue_and_stays_readable_for_sender(
    page: Page, live_server, staff_world
):
    c = f.complaint(staff_world.agency, title="KTP elektronik belum jadi")
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto(f"/staf/laporan/{c.pk}/")
    open_action(page, "Limpahkan ke instansi lain")
    page.locator("form[data-action=forward] select[name=agency]").select_option(
        str(staff_world.other.pk)
    )
    page.fill("#forward-reason", "Bukan wewenang: urusan kependudukan.")
    page.locator("form[data-action=forward] button[type=submit]").click()
    expect(page.locator(".banner--success")).to_contain_text("dilimpahkan ke Dinas Kependudukan")
    # still readable by the sender, without actions
    expect(page.locator("[data-read-only]")).to_be_visible()
    expect(page.locator("form.action-form")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("Dilimpahkan ke Dinas Kependudukan")
    # not the sender's work any more: out of its default view, listed in the explicit
    # "forwarded to another agency" view without a checkbox for bulk actions
    page.goto("/staf/laporan/")
    expect(page.locator("[data-queue-empty]")).to_be_visible()
    page.get_by_text("Tampilkan filter").click()
    page.get_by_label("Dilimpahkan ke instansi lain").check()
    page.get_by_role("button", name="Terapkan filter").first.click()
    expect(page.locator(".queue-table")).to_contain_text("KTP elektronik belum jadi")
    expect(page.locator(".queue-table input[name=items]")).to_have_count(0)

    # the receiving agency has it in its queue and can act on it
    sign_in_with_cookie(page, live_server, staff_world.other_verifier)
    page.goto("/staf/laporan/")
    page.get_by_role("link", name=re.compile("KTP elektronik belum jadi")).click()
    expect(page.locator("form[data-action=verify]")).to_be_visible()
    assert Complaint.objects.get(pk=c.pk).agency == staff_world.other


def test_queue_filters_bulk_and_bad_values_without_javascript(browser, live_server, staff_world):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="id-ID"
    )
    page = context.new_page()
    try:
        a = f.complaint(staff_world.agency, title="Kosmetik tanpa izin")
        b = f.complaint(staff_world.agency, title="Antrean paspor panjang")
        sign_in_with_cookie(page, live_server, staff_world.verifier)
        page.goto("/staf/laporan/")
        page.fill("input[name=q]", "kosmetik")
        page.get_by_role("button", name="Cari").click()
        expect(page.locator(".queue-table tbody tr")).to_have_count(1)
        expect(page.locator(".filter-tags")).to_contain_text("kosmetik")
        page.goto("/staf/laporan/?status=nonsense&page=abc")
        expect(page).to_have_title(re.compile("^Kesalahan: "))
        expect(page.locator(".error-summary")).to_contain_text("Pilih status dari daftar")
        # bulk: the toolbar appears only once something is selected (CSS, no JavaScript)
        page.goto("/staf/laporan/")
        expect(page.get_by_role("button", name="Verifikasi")).to_be_hidden()
        # bulk verify two complaints
        page.check(f"#item-{a.pk}")
        page.check(f"#item-{b.pk}")
        page.get_by_role("button", name="Verifikasi").click()
        expect(page.locator("[data-result=ok]")).to_have_count(2)
        for c in (a, b):
            c.refresh_from_db()
            assert c.status == Status.VERIFIED
    finally:
        context.close()


def test_queue_and_case_reflow_on_a_phone_without_sideways_scrolling(
    phone_page: Page, live_server, staff_world
):
    c = f.complaint(staff_world.agency, category=staff_world.category, title="Obat kedaluwarsa")
    sign_in_with_cookie(phone_page, live_server, staff_world.verifier)
    for url in ("/staf/", "/staf/laporan/", f"/staf/laporan/{c.pk}/", "/staf/laporan/baru/"):
        phone_page.goto(url)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url


def test_archive_asks_for_confirmation_and_back_keeps_the_reason_without_javascript(
    browser, live_server, staff_world
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="id-ID"
    )
    page = context.new_page()
    try:
        c = f.complaint(staff_world.agency, title="Laporan iseng berulang")
        sign_in_with_cookie(page, live_server, staff_world.verifier)
        page.goto(f"/staf/laporan/{c.pk}/")
        open_action(page, "Arsipkan")
        page.locator("form[data-action=archive] input[value=other]").check()
        page.fill("#archive-detail", "Laporan ganda dari pelapor yang sama")
        page.locator("form[data-action=archive] button[type=submit]").click()
        # a page of its own says what will happen; nothing is archived yet
        expect(page).to_have_title(re.compile("^Arsipkan laporan ini?"))
        expect(page.locator("[data-confirm-reason]")).to_have_text(
            "Laporan ganda dari pelapor yang sama"
        )
        c.refresh_from_db()
        assert c.status == Status.SUBMITTED
        # back: the case page with the reason still typed in
        page.get_by_role("button", name="Kembali").click()
        expect(page.locator("#archive-detail")).to_have_value(
            "Laporan ganda dari pelapor yang sama"
        )
        expect(page.locator("form[data-action=archive] input[value=other]")).to_be_checked()
        # archive again, then confirm
        page.locator("form[data-action=archive] button[type=submit]").click()
        page.get_by_role("button", name="Arsipkan laporan ini").click()
        expect(page.locator(".banner--success")).to_contain_text("Berhasil")
        c.refresh_from_db()
        assert c.status == Status.ARCHIVED
        assert c.archive_reason == "Laporan ganda dari pelapor yang sama"
    finally:
        context.close()

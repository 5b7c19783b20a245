"""The lifecycle steps officers expect, in a real browser and in both languages: asking the
reporter for data during follow-up (the reporter answers from the tracking page), a unit
returning a misrouted disposition, and forwarding to the national triage desk."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from complaints import services
from complaints.models import EventType, Status
from tests import factories as f
from tests.browser.test_staff import open_action, sign_in_with_cookie


def _in_progress(world, title):
    c = f.complaint(world.agency, category=world.category, title=title)
    code = c.plain_access_code
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    services.complaint_route(complaint_id=c.pk, actor=world.verifier, unit=world.unit)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    c.refresh_from_db()
    return c, code


def _english(page: Page, live_server) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_officer_asks_for_data_and_the_reporter_sends_it(page: Page, live_server, staff_world):
    c, code = _in_progress(staff_world, "Obat tanpa izin edar")
    due = c.response_due_at

    # the officer asks for data from the case page (Indonesian)
    sign_in_with_cookie(page, live_server, staff_world.officer)
    page.goto(f"/staf/laporan/{c.pk}/")
    open_action(page, "Minta data kepada pelapor")
    form = page.locator("form[data-action=request_data]")
    form.locator("textarea[name=message]").fill("Mohon kirim foto kemasan dan nomor bets.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".banner--success")).to_contain_text("Berhasil: pelapor diminta")
    expect(page.locator(".timeline")).to_contain_text("Bukan jawaban: tenggat tetap berjalan")
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert c.response_due_at == due

    # the reporter tracks the report, reads the request and sends the data (English)
    page.context.clear_cookies()
    _english(page, live_server)
    page.goto("/lacak/")
    page.fill("input[name=tracking_number]", c.tracking_number)
    page.fill("input[name=access_code]", code)
    page.locator("main form button[type=submit]").click()
    expect(
        page.get_by_text("This is not the answer; the agency's deadline keeps running.")
    ).to_be_visible()
    page.get_by_role("link", name="Send the data").click()
    expect(page.locator("main")).to_contain_text("Mohon kirim foto kemasan dan nomor bets.")
    page.fill("textarea[name=body]", "Nomor bets 2407A, foto menyusul lewat apotek.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("From you: the data that was asked for")
    c.refresh_from_db()
    assert not c.data_request_open
    assert c.events.filter(type=EventType.DATA_SUPPLIED).count() == 1


def test_unit_returns_a_misrouted_disposition_in_english(page: Page, live_server, staff_world):
    c, _code = _in_progress(staff_world, "Izin praktik apoteker")
    sign_in_with_cookie(page, live_server, staff_world.officer)
    _english(page, live_server)
    page.goto(f"/staf/laporan/{c.pk}/")
    open_action(page, "Return to the agency (not this unit's)")
    form = page.locator("form[data-action=return_to_agency]")
    form.locator("textarea[name=reason]").fill("Licensing is handled by the licensing unit.")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staf/laporan/$"))
    c.refresh_from_db()
    assert (c.status, c.unit_id) == (Status.VERIFIED, None)

    # the verifier reads the reason on the case page
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto(f"/staf/laporan/{c.pk}/")
    expect(page.locator(".timeline")).to_contain_text("Licensing is handled by the licensing unit.")


def test_verifier_forwards_to_the_national_triage_desk(page: Page, live_server, staff_world):
    c = f.complaint(staff_world.agency, title="Pungutan liar di jembatan timbang")
    sign_in_with_cookie(page, live_server, staff_world.verifier)
    page.goto(f"/staf/laporan/{c.pk}/")
    open_action(page, "Limpahkan ke instansi lain")
    form = page.locator("form[data-action=forward]")
    form.locator("select[name=agency]").select_option(
        label="Meja triase nasional (kami tidak tahu siapa yang berwenang)"
    )
    form.locator("textarea[name=reason]").fill("Bukan wewenang kami; instansinya belum jelas.")
    form.locator("button[type=submit]").click()
    # the verifier, no longer in scope, lands on the queue with the outcome
    expect(page.locator(".banner--success")).to_contain_text("meja triase nasional")
    c.refresh_from_db()
    assert c.agency_id is None
    assert c.events.filter(type=EventType.FORWARDED).count() == 1

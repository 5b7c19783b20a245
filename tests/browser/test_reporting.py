"""The reporting pages in Chromium: the public statistics on a phone, and the staff dashboard
with its filters and charts, with and without JavaScript."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from playwright.sync_api import Browser, Page, expect

from complaints.models import Role
from reporting.facts import facts_refresh_due
from tests import factories as f
from tests.reporting.helpers import Actor

SHOTS = Path("/tmp/aduan-browser")


def _world():
    actor = Actor()
    a = f.AgencyFactory(name="Badan Pengawas Obat", responses_need_approval=False)
    b = f.AgencyFactory(name="Dinas Kesehatan Provinsi", responses_need_approval=False)
    cat = f.CategoryFactory(agency=a, name="Obat")
    for i in range(7):
        c = f.complaint(a)
        if i < 5:
            actor.verify(c, None, category=cat)
    for _ in range(6):
        f.complaint(b)
    f.complaint(a, is_confidential=True)
    facts_refresh_due()
    return a, b


def _sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_public_statistics_on_a_phone(phone_page: Page, live_server):
    _world()
    phone_page.goto("/statistik/")
    expect(phone_page.locator("h1")).to_have_text("Statistik pengaduan")
    expect(phone_page.locator(".report-headline dd").first).to_have_text("13")
    # every chart has its table, and nothing is wider than the phone
    assert phone_page.locator("svg.report-chart").count() >= 5
    assert phone_page.locator(".report-section table").count() == 12
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=str(SHOTS / "reporting-public-375.png"), full_page=True)


def _filter_by_agency(page: Page, agency_name: str) -> None:
    page.select_option("#id_agency", label=agency_name)
    page.get_by_role("button", name="Terapkan filter").click()
    page.wait_for_load_state()


def test_staff_dashboard_filters_and_charts(page: Page, live_server, browser: Browser):
    a, _b = _world()
    admin = f.UserFactory(is_national_admin=True)
    _sign_in(page, live_server, admin)
    page.goto("/laporan-statistik/")
    expect(page.locator(".report-headline dd").first).to_have_text("14")
    _filter_by_agency(page, "Badan Pengawas Obat")
    expect(page.locator(".report-headline dd").first).to_have_text("8")
    # the chosen agency's categories and units are offered once it is chosen
    expect(page.locator("#id_category")).to_be_visible()
    assert page.locator("#t-clocks ~ svg rect").count() == 4
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reporting-staff-1280.png"), full_page=True)
    # the same without JavaScript
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = context.new_page()
    _sign_in(plain, live_server, f.staff(a, Role.VERIFIER))
    plain.goto("/laporan-statistik/")
    expect(plain.locator(".report-headline dd").first).to_have_text("8")
    _filter_by_agency(plain, "Badan Pengawas Obat")
    expect(plain.locator(".report-headline dd").first).to_have_text("8")
    assert "agency=" in plain.url
    context.close()

"""Automated accessibility checks: axe-core (WCAG 2.0/2.1 A and AA rules) on every main page of
each audience, over the demo data, in Indonesian and English, and on a page showing errors.

axe finds what a machine can find (names, labels, contrast, landmarks, ARIA use); the
keyboard-only and phone journeys of test_citizen.py cover behaviour it cannot see."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from accounts.models import User
from complaints.models import Complaint, Status
from complaints.notifications import tracking_link_token

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AXE = Axe()


def violations(page: Page) -> list[str]:
    results = AXE.run(page, options=WCAG).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
    ]


def sign_in(page: Page, live_server, email: str) -> None:
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", "--complaints", "24", verbosity=0)
    return live_server


def check(page: Page, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status < 400, (path, response.status)
        if problems := violations(page):
            found[path] = problems
    return found


def test_public_pages_have_no_wcag_violations(page: Page, demo):
    c = Complaint.objects.filter(status=Status.AWAITING_REPORTER).first()
    paths = [
        "/",
        reverse("complaints:help"),
        reverse("complaints:privacy"),
        reverse("complaints:file_kind"),
        reverse("complaints:track"),
        reverse("complaints:track_signed", kwargs={"token": tracking_link_token(c)}),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
    ]
    assert check(page, paths) == {}
    # An error state: the tracking form sent empty shows the error summary and inline errors.
    page.goto(reverse("complaints:track"))
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".error-summary").count() == 1
    assert violations(page) == []
    # The same pages in English.
    page.locator("button", has_text="English").first.click()
    page.wait_for_load_state()
    assert check(page, ["/", reverse("complaints:track")]) == {}
    assert page.locator("html").get_attribute("lang") == "en"


def test_staff_pages_have_no_wcag_violations(page: Page, demo):
    verifier = "verifikator.bpom@aduan.example"
    sign_in(page, demo, verifier)
    user = User.objects.get(email=verifier)
    c = Complaint.objects.filter(agency__memberships__user=user).order_by("pk").first()
    paths = [
        reverse("staff:home"),
        reverse("staff:queue"),
        reverse("staff:queue") + "?clock=overdue",
        reverse("staff:case", kwargs={"pk": c.pk}),
        reverse("staff:new"),
        reverse("staff:shortcuts"),
    ]
    assert check(page, paths) == {}


def test_focal_point_and_reporter_pages_have_no_wcag_violations(page: Page, demo):
    sign_in(page, demo, "koordinator.polkam@aduan.example")
    paths = [
        reverse("focal:board"),
        reverse("focal:scorecard"),
        reverse("focal:corrective_action_list"),
        reverse("focal:directory"),
    ]
    assert check(page, paths) == {}
    sign_in(page, demo, "pelapor@aduan.example")
    assert check(page, [reverse("complaints:my_complaints")]) == {}

"""Content-Security-Policy on every page, and nothing on any page that the policy blocks: a
crawl of each audience's pages (anonymous, reporter, staff, focal point, admin) in Chromium,
failing on any CSP violation the browser reports, any inline script or event handler in the
markup, and any page without the header. Staff and reporter pages must not be stored."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from accounts.models import User
from complaints.models import Complaint, Status
from complaints.notifications import tracking_link_token

# Links not followed: they act (sign out), download files, or leave the HTML pages.
SKIP = (
    "/keluar",
    "logout",
    "/lampiran/",
    "/unduh",
    "export",
    "ekspor",
    "/api/",
    "/i18n/",
    "/static/",
    "/media/",
    "/admin/logout",
    "format=",
    ".csv",
    ".xlsx",
    "/health/",
)
PRIVATE = ("/staf/", "/focal/", "/admin/", "/akun/", "/lacak/")
# In the markup as served (scripts may set styles through the DOM, which CSP allows).
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>\s*\S"
    r"|<[a-z][^>]*\son[a-z]+\s*="
    r"|<[a-z][^>]*\sstyle\s*="
    r"|<style\b"
    r"|href=\"\s*javascript:",
    re.IGNORECASE,
)


def sign_in(page: Page, live_server, email: str | None) -> None:
    page.context.clear_cookies()
    if email is None:
        return
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def crawl(page: Page, start: list[str], limit: int) -> dict[str, list[str]]:
    """Visit `start` and the same-site pages they link to, breadth first, up to `limit`
    pages; returns the problems found per page."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    problems: dict[str, list[str]] = {}
    queue, seen = list(start), set(start)
    visited = 0
    while queue and visited < limit:
        path = queue.pop(0)
        violations.clear()
        response = page.goto(path)
        page.wait_for_load_state("load")
        visited += 1
        assert response is not None
        found = []
        if response.status >= 500:
            found.append(f"status {response.status}")
        headers = response.headers
        if "default-src 'self'" not in headers.get("content-security-policy", ""):
            found.append("no Content-Security-Policy")
        if path.startswith(PRIVATE) and "no-store" not in headers.get("cache-control", ""):
            found.append("private page without Cache-Control: no-store")
        found += [m.group(0)[:80] for m in INLINE.finditer(response.text())]
        found += violations
        if found:
            problems[path] = found
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(urljoin(page.url, href))
            if parts.netloc != urlsplit(page.url).netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or any(s in target for s in SKIP):
                continue
            seen.add(target)
            queue.append(target)
    assert visited >= min(limit, len(start))
    return problems


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", "--complaints", "24", verbosity=0)
    return live_server


def test_public_and_reporter_pages_obey_the_policy(page: Page, demo):
    c = Complaint.objects.filter(status=Status.AWAITING_REPORTER).first()
    sign_in(page, demo, None)
    public = [
        "/",
        reverse("complaints:help"),
        reverse("complaints:privacy"),
        reverse("complaints:service_feedback"),
        reverse("complaints:file_kind"),
        reverse("complaints:track"),
        reverse("complaints:track_signed", kwargs={"token": tracking_link_token(c)}),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
        "/statistik/",
        "/halaman-yang-tidak-ada/",
    ]
    assert crawl(page, public, limit=45) == {}
    sign_in(page, demo, "pelapor@aduan.example")
    assert crawl(page, [reverse("complaints:my_complaints")], limit=20) == {}


def test_staff_and_focal_pages_obey_the_policy(page: Page, demo):
    sign_in(page, demo, "verifikator.bpom@aduan.example")
    assert crawl(page, [reverse("staff:home"), reverse("staff:queue")], limit=45) == {}
    sign_in(page, demo, "koordinator.polkam@aduan.example")
    assert crawl(page, [reverse("focal:board")], limit=30) == {}


def test_admin_pages_obey_the_policy(page: Page, demo):
    sign_in(page, demo, "admin@aduan.example")
    assert crawl(page, ["/admin/", "/admin/complaints/complaint/"], limit=30) == {}


def test_an_inline_script_would_be_reported(page: Page, live_server):
    """The crawl's detector works: a page with an inline script under the policy is caught."""
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('div');"
        " s.innerHTML = '<img src=x onerror=\"window.hit=1\">'; document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.hit") is None
    assert any("Content Security Policy" in m for m in messages)

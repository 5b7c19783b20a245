"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Every test under tests/browser/ is marked `browser` and runs against pytest-django's
live_server, which implies transactional_db.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse ORM calls from the test body with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(os.environ.get("BROWSER_SCREENSHOT_DIR", "/tmp/aduan-browser"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_failed_key] = True
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _page(request, browser: Browser, live_server, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(_failed_key, False):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOT_DIR / f"{request.node.name}.png"
        try:
            page.screenshot(path=str(target), full_page=True)
            print(f"screenshot: {target}")  # noqa: T201
        except Exception:  # noqa: S110 - best effort, never mask the real failure
            pass
    context.close()


@pytest.fixture
def page(request, browser: Browser, live_server) -> Iterator[Page]:
    yield from _page(request, browser, live_server, 1280, 800)


@pytest.fixture
def phone_page(request, browser: Browser, live_server) -> Iterator[Page]:
    yield from _page(request, browser, live_server, 375, 667)

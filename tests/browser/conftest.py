"""Playwright against pytest-django's live server, driving Debian's Chromium.

Never `playwright install`: the browser is the system's /usr/bin/chromium. Every page
a journey visits is checked with axe-core (zero violations) and photographed into
artifacts/screenshots/ (kept out of git) as a test artefact.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import CHROMIUM  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "samverkan-demo-2026"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def demo_site(transactional_db, live_server, django_db_serialized_rollback):
    """The demo data behind a live server. Transactional: the server thread sees it."""
    from municipalities.models import County, Municipality, Population
    from municipalities.reference_data import load_reference_data
    from portfolio.demo.loader import load_demo

    # A transactional test before this one may have flushed the reference data that
    # the first migration loads (serialized rollback restores it only sometimes).
    if not Municipality.objects.exists():
        load_reference_data(County, Municipality, Population)
    load_demo()
    return live_server


class Visitor:
    """One person in a browser: logs in, visits pages, checks each with axe."""

    def __init__(self, page, base_url, axe, test_name):
        self.page = page
        self.base_url = base_url
        self.axe = axe
        self.test_name = re.sub(r"[^a-z0-9_]+", "-", test_name.lower())
        self.shots = 0
        self.checked: list[str] = []
        self.login_checked = False

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str):
        self.page.goto(self.url(path))
        return self.page

    def login(self, username: str):
        page = self.page
        page.context.clear_cookies()
        page.goto(self.url("/login/"))
        if not self.login_checked:  # the same page for everyone: once per test is enough
            self.check("login")
            self.login_checked = True
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        assert "/login/" not in page.url, f"{username} could not log in"
        return page

    def check(self, name: str, full_page: bool = False):
        """axe-core on the page as it is now (zero violations), and a screenshot."""
        self.page.wait_for_load_state()
        results = self.axe.run(self.page)
        self.checked.append(self.page.url)
        self.screenshot(name, full_page=full_page)
        assert results.violations_count == 0, (
            f"axe on {self.page.url}:\n{results.generate_report()}"
        )

    def screenshot(self, name: str, full_page: bool = False):
        self.shots += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        filename = f"{self.test_name}-{self.shots:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}"
        self.page.screenshot(path=str(SCREENSHOTS / f"{filename}.png"), full_page=full_page)


@pytest.fixture
def visitor(browser, axe, demo_site, request):
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield Visitor(page, demo_site.url, axe, request.node.name)
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def tab_to(page, selector: str, limit: int = 150):
    """Press Tab until the element matching `selector` has the focus: keyboard only."""
    target = page.locator(selector).first
    target.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return target
    raise AssertionError(f"{selector} could not be reached with the Tab key")

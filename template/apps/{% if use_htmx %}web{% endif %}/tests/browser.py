"""Browser tests: Playwright (pytest-playwright) drives an installed Chromium against a live
server of the project (a pytest plugin, listed in the root conftest.py).

The browser: PLAYWRIGHT_CHROMIUM_EXECUTABLE if set, else Playwright's own Chromium if
`playwright install chromium` fetched it, else `chromium` (or `google-chrome`) on PATH. Without
one the browser tests skip, saying so; with CI=true they fail instead.

site_url is pytest-django's live_server here; plugins listed after this one refine it (the ASGI
server with Channels, the organization's host with schema tenancy).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import BrowserType, ConsoleMessage, Page, expect

from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
# What htmx marks while a request is in flight or new content is not yet wired up (its hx-*
# attributes act only once it settles, some milliseconds after the swap).
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
# Assertions wait for the page up to this long: generous for a loaded CI machine, and a passing
# check returns as soon as it holds.
expect.set_options(timeout=15_000)
# Sends each Content-Security-Policy violation of a document to the test (_no_csp_violations).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.documentURI}: ${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
  );
});
"""


def find_chromium(browser_type: BrowserType) -> str | None:
    configured = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    if configured:
        return configured
    if Path(browser_type.executable_path).exists():
        return browser_type.executable_path
    return next(filter(None, map(shutil.which, BROWSER_NAMES)), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    browser_type: BrowserType,
    allow_orm_beside_playwright: None,
) -> dict[str, Any]:
    """pytest-playwright's launch options, with the Chromium found on this machine."""
    if browser_type.name != "chromium" or "executable_path" in browser_type_launch_args:
        return browser_type_launch_args
    executable = find_chromium(browser_type)
    if executable is None:
        reason = (
            "no Chromium: install one (apt-get install chromium, or `uv run playwright install "
            "chromium`) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI=true requires the browser tests to run")
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": executable}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Playwright's synchronous API keeps an event loop running in the test thread from the
    # first browser test to the end of the session, and Django refuses ORM calls beside a
    # running loop: browser tests run last, and allow them (below).
    browser_fixtures = {"page", "browser", "context"}
    uses_browser = [
        item for item in items if browser_fixtures.intersection(getattr(item, "fixturenames", ()))
    ]
    others = [item for item in items if item not in uses_browser]
    items[:] = others + uses_browser


@pytest.fixture(autouse=True)
def _no_csp_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """A browser test fails if any page it loads breaks the Content-Security-Policy: every
    document reports its violations, and Chromium's console errors about the CSP or the
    Permissions-Policy header count too."""
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    violations: list[str] = []

    def on_violation(description: str) -> None:
        violations.append(description)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and any(
            header in message.text for header in ("Content Security Policy", "Permissions-Policy")
        ):
            violations.append(message.text)

    page.expose_function("reportCspViolation", on_violation)
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    yield
    assert violations == [], "\n".join(violations)


@pytest.fixture(scope="session")
def allow_orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def close_server_connections() -> Iterator[None]:
    yield
    # The live server's threads leave their connections in psycopg's pool; PostgreSQL drops
    # the test database only once they are closed.
    for database in connections.all():
        if hasattr(database, "close_pool"):
            database.close_pool()


@pytest.fixture
def site_url(live_server: Any, close_server_connections: None) -> str:
    """The live site's address, as a browser reaches it."""
    return str(live_server.url)


@pytest.fixture
def accounts_site_url(site_url: str) -> str:
    """Where people sign up."""
    return site_url


def sign_in(page: Page, site_url: str, user: User) -> None:
    """Signs in through the sign-in page, as a person would."""
    page.goto(f"{site_url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site_url}/")


def sign_up(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Creates an account on the sign-up page the browser shows, as a person would (however
    they got there: a link, an invitation). The one place browser tests fill that form in."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Sign up").click()


def htmx_settled(page: Page) -> None:
    """Waits until htmx is idle: what it swapped in answers to clicks. A person never acts in
    the milliseconds before; a test would, and its click or change would go unheard."""
    # A locator, not wait_for_function: its polling evaluates a string, which the
    # Content-Security-Policy (no 'unsafe-eval') refuses.
    expect(page.locator(HTMX_BUSY)).to_have_count(0)

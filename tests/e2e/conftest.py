"""Browser tests: Playwright driving Debian's Chromium against a live server, with axe-core.

Every page a test visits can be checked with `axe(page)` (WCAG 2.2 A and AA rules); a failing
test leaves a full-page screenshot in `test-results/screenshots/`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = os.environ.get("NCT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AXE = Path(settings.BASE_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
PASSWORD = "e2e-password-2024"

# Playwright's sync API runs an event loop in this thread; Django's ORM is still used here only
# outside of it (fixtures), which this flag allows.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make browser-tools`.")
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make test` (npm ci in frontend/).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def demo(transactional_db: Any) -> None:
    """The demo data and the four demo users, as `make run` loads them."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password=PASSWORD, verbosity=0, stdout=quiet)


@pytest.fixture
def demo_unpublished(transactional_db: Any) -> None:
    """The demo with no pack published yet, for the clerk's journey of publishing one."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password=PASSWORD, no_publish=True, verbosity=0, stdout=quiet)


@pytest.fixture
def pages(
    browser: Any, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Any]]:
    """`pages("member")`: a browser page signed in as that demo user."""
    opened: list[Any] = []

    def sign_in(username: str) -> Any:
        context = new_context(browser)
        page = context.new_page()
        watch_policy(page)
        page.set_default_timeout(20_000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        opened.append(page)
        return page

    yield sign_in
    failed = getattr(request.node, "rep_call", None)
    for index, page in enumerate(opened):
        if failed is not None and failed.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{index}.png"), full_page=True)
        page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def new_context(browser: Any) -> Any:
    """A browser context with axe-core loaded into every page it opens. It goes in as an init
    script, which the pages' Content Security Policy rightly does not let a <script> do."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_init_script(path=str(AXE))
    return context


def watch_policy(page: Any) -> None:
    """Record every Content Security Policy violation the browser reports on `page`."""
    page.csp_violations = []

    def record(message: Any) -> None:
        if "Content Security Policy" in message.text:
            page.csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", record)


def axe(page: Any) -> None:
    """Fail with every WCAG 2.2 A/AA violation axe-core finds on the page as it is now, and
    with any Content Security Policy violation the page has reported."""
    violations_so_far = list(getattr(page, "csp_violations", []))
    if violations_so_far:
        pytest.fail("Content Security Policy violations:\n" + "\n".join(violations_so_far))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
    if violations:
        lines = [f"{page.url} ({page.title()}) has {len(violations)} accessibility violation(s):"]
        for violation in violations:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(f"- {violation['id']}: {violation['help']} [{targets}]")
        pytest.fail("\n".join(lines))

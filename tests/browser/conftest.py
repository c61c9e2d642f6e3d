"""Real headless Chromium (Debian's package) driven by Playwright; no browser download."""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

append_only = importlib.import_module("painpath.access.migrations.0003_audit_append_only")

CHROMIUM = os.environ.get("PAINPATH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which a clinic's closed network (and CI) refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium missing at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def audit_log_flushable(transactional_db):
    """A live-server test ends by emptying every table, which the append-only audit log
    refuses (as it should). Empty it here with its triggers lifted, then restore them."""
    yield
    with connection.schema_editor() as editor:
        append_only.backwards(None, editor)
        editor.execute("DELETE FROM access_auditevent")
        append_only.forwards(None, editor)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username: str, password: str = "test-pass-123"):
    page.goto("/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def watch(page, live_server) -> list[str]:
    """Console errors, page errors and any request off the app (no CDN), as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda r: r.url.startswith(("data:", live_server.url)) or problems.append(r.url),
    )
    return problems


def every_field_has_a_label(page) -> None:
    """Each field of the page's forms has a label (or an aria name) to be found by."""
    fields = "main input:not([type=hidden]), main select, main textarea"
    page.wait_for_load_state()  # a link just clicked: the new page, not the one before
    page.locator(fields).first.wait_for(state="attached")
    unlabelled = page.locator(fields).evaluate_all(
        """fields => fields
            .filter(e => !(e.labels && e.labels.length)
                         && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
            .map(e => e.name || e.outerHTML)"""
    )
    assert unlabelled == [], f"{page.url}: fields without a label: {unlabelled}"

"""A real server on loopback (sharing the session's loaded assistant) and Debian's chromium
driven by Playwright. Nothing is downloaded: chromium comes from apt, axe-core from npm."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import ROOT, running_in_ci, serving_in_a_thread

CHROMIUM = os.environ.get("WAYMARK_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]


def _missing(what: str) -> None:
    if running_in_ci():
        pytest.fail(f"{what} is missing; `make test` installs it (CI must not skip browser tests)")
    pytest.skip(f"{what} is missing; run `make test` as root to install it")


@pytest.fixture(scope="session")
def live_server(settings, assistant):
    from waymark.app import create_app

    with serving_in_a_thread(create_app(settings, assistant)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing("Debian's chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    # The quick-exit site is outside: answer it locally so nothing leaves this machine.
    context = browser.new_context(bypass_csp=False)
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"))
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.csp_errors = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
    page.goto(live_server + "/")
    yield page
    context.close()


@pytest.fixture
def axe_path() -> Path:
    if not AXE.exists():
        _missing("axe-core (npm ci)")
    return AXE

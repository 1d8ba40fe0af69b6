"""A real server on loopback (sharing the session's loaded assistant) and Debian's chromium
driven by Playwright. Nothing is downloaded: chromium comes from apt, axe-core from npm."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from support import ROOT, running_in_ci

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
    import uvicorn

    from waymark.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, assistant), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


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

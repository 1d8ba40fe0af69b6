"""Small helpers shared by test modules (importable as `support`: pytest puts tests/ on the path)."""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK = "/webhooks/rest/webhook"


def sample_checked_on():
    """The date the demo directory's sample listings say they were last checked
    (`assured_date` in `directory/sample_data/sample_area.yml`), read from the file rather than
    written into tests, so editing the seed cannot leave a test asserting an old date."""
    import yaml

    with open(ROOT / "directory" / "sample_data" / "sample_area.yml", encoding="utf-8") as seed_file:
        return yaml.safe_load(seed_file)["assured_date"]


def checked_on_text(day) -> str:
    """How a listing's last-checked date reads to a person: 'Last checked on 2 Nov 2026.'"""
    return f"Last checked on {day.day} {day:%b %Y}."


def a_week_after_the_sample_was_checked() -> None:
    """Move the product's clock to 11:00 UK time a week after the sample listings were checked,
    so they are fresh (not stale) whatever today's date is. The autouse fixture in conftest
    puts the clock back after the test."""
    from datetime import datetime, time, timedelta

    import timekeeping

    timekeeping.travel(datetime.combine(sample_checked_on() + timedelta(days=7), time(11, 0), timekeeping.LONDON))


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def say(client, text: str, sender: str | None = None) -> list[dict]:
    """Send one web chat message and return the replies (asserting the request worked)."""
    response = client.post(WEBHOOK, json={"sender": sender or uuid.uuid4().hex, "message": text})
    assert response.status_code == 200, response.text
    return response.json()


def from_address(client, address: str = ""):
    """A client for the same running app whose requests come from `address` (by default a new
    one from the IPv6 documentation range, 2001:db8::/32): Waymark merges what one address
    does (rate limits, failures), and every TestClient is "testclient" otherwise."""
    from fastapi.testclient import TestClient

    address = address or f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    return TestClient(client.app, client=(address, 50000))


def texts(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)

def chat(client, *messages: str) -> list[str]:
    """A new conversation through the web chat: what the person sees after each message."""
    sender = uuid.uuid4().hex
    return [texts(say(client, m, sender)) for m in messages]


def run_async(coroutine):
    """Run a coroutine to completion from synchronous test code, even when the calling
    thread already has an event loop running (Playwright's sync API keeps one)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_waymark(port: int, env: dict | None = None, output=None, workers: int = 1):
    """`waymark serve` as a user runs it, in its own process group (so nothing outlives it)."""
    import subprocess
    import sys

    command = [str(Path(sys.executable).parent / "waymark"), "serve", "--port", str(port)]
    if workers != 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(command,
                            cwd=ROOT, env=env or dict(os.environ), stdout=output or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_healthy(port: int, proc, timeout: float = 180) -> None:
    """Wait until GET /healthz is 200; fail early if the process dies."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, f"waymark on port {port} exited during start-up"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"waymark on port {port} not healthy after {timeout} s"
        time.sleep(1)


def stop_waymark(procs) -> None:
    """Ctrl-C each server; kill its process group only if it will not stop."""
    import signal
    import subprocess

    for proc in procs:
        proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def serving_in_a_thread(app, what: str = "test server"):
    """The app under uvicorn on a free loopback port, in a daemon thread; yields the port."""
    import threading
    import time

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def uvicorn_access_log():
    """uvicorn's access logger set up as `uvicorn.run` and Waymark set it up, writing to a
    string: returns (logger, stream)."""
    import io
    import logging
    import logging.config

    from uvicorn.config import LOGGING_CONFIG

    from waymark.logs import configure_logging

    logging.config.dictConfig(LOGGING_CONFIG)  # as `uvicorn.run` sets it up before the app starts
    configure_logging()
    access = logging.getLogger("uvicorn.access")
    stream = io.StringIO()
    for handler in access.handlers:
        handler.setStream(stream)
    return access, stream

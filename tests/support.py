"""Small helpers shared by test modules (importable as `support`: pytest puts tests/ on the path)."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK = "/webhooks/rest/webhook"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def say(client, text: str, sender: str | None = None) -> list[dict]:
    """Send one web chat message and return the replies (asserting the request worked)."""
    response = client.post(WEBHOOK, json={"sender": sender or uuid.uuid4().hex, "message": text})
    assert response.status_code == 200, response.text
    return response.json()


def texts(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def run_async(coroutine):
    """Run a coroutine to completion from synchronous test code, even when the calling
    thread already has an event loop running (Playwright's sync API keeps one)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

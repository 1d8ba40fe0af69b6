"""Nobody is turned away because the database was briefly busy.

SQLite lets one writer at a time; the others wait (up to 5 s) for it to finish. That only
works if whoever holds the write can finish while others wait:
- a request's changes are saved before its answer is sent, not after (where they sat until
  the server got round to it);
- a conversation's turn waits for the database in a worker thread, never on the server's
  event loop, which every other conversation (and every commit still to run) needs.
Before both, a helpline worker's console reading the queue while someone asked for a person
gave that person "Sorry, something went wrong" instead of the offer.
"""
from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from support import texts
from test_handover import OPEN, join_the_queue, sign_in_as

from directory.db import session_scope
from handover.models import Handover


def _path(database_url: str) -> str:
    return database_url[len("sqlite:///"):]


def write_lock_is_free(database_url: str) -> bool:
    """True when a new writer could start at once (nobody holds SQLite's write lock)."""
    connection = sqlite3.connect(_path(database_url), timeout=0)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


def lock_free_as_each_answer_leaves(app, database_url: str, seen: list[tuple[str, bool]]):
    """The app, with a check of the write lock at the moment each answer starts to go out."""

    async def checked(scope, receive, send):
        async def send_checking(message):
            if message["type"] == "http.response.start" and scope["type"] == "http":
                seen.append((scope["path"], write_lock_is_free(database_url)))
            await send(message)

        await app(scope, receive, send_checking)

    return checked


def test_console_answers_leave_with_their_changes_saved(client, settings, handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    join_the_queue(client, sender)
    name, headers = sign_in_as(client, settings)
    with session_scope(settings.database_url) as session:
        handover_id = session.scalar(select(Handover.id).where(Handover.sender_id == sender))

    seen: list[tuple[str, bool]] = []
    checking = TestClient(lock_free_as_each_answer_leaves(client.app, settings.database_url, seen))
    # Each of these writes (the queue and the conversation are audited; claiming and a note change it).
    assert checking.get("/console/api/queue", headers=headers).status_code == 200
    assert checking.get(f"/console/api/handovers/{handover_id}", headers=headers).status_code == 200
    assert checking.post(f"/console/api/handovers/{handover_id}/claim", headers=headers).status_code == 200
    note = checking.post(f"/console/api/handovers/{handover_id}/notes", headers=headers, json={"text": "rang back"})
    assert note.status_code == 201
    assert len(seen) == 4
    assert [path for path, free in seen if not free] == [], "these answers left while their write was still open"


async def test_a_turn_waiting_for_the_database_holds_nobody_else_up(assistant, settings, handover_time):
    handover_time(OPEN)
    asking, greeting = uuid.uuid4().hex, uuid.uuid4().hex
    await assistant.handle(asking, "I need help with my drinking near LS1 4AP")

    # Someone else (another worker process, an import) is writing to the directory, and will
    # finish only once the second person below has had their answer.
    answered = threading.Event()
    holding = threading.Event()

    def hold_the_write_lock() -> None:
        connection = sqlite3.connect(_path(settings.database_url), timeout=0)
        connection.execute("BEGIN IMMEDIATE")
        holding.set()
        answered.wait(timeout=30)
        connection.rollback()
        connection.close()

    holder = threading.Thread(target=hold_the_write_lock, daemon=True)
    holder.start()
    assert holding.wait(timeout=10)
    try:
        offer = asyncio.create_task(assistant.handle(asking, "can I talk to a real person please"))
        await asyncio.sleep(0.5)  # a head start, so that the offer is already waiting to be written
        hello = await assistant.handle(greeting, "hello")
    finally:
        answered.set()
    offered = await offer
    holder.join(timeout=10)

    assert "Sorry, something went wrong" not in texts(hello)
    assert "real person at Northern Drug and Alcohol Helpline (sample)" in texts(offered)
    assert [b["title"] for b in offered[-1]["buttons"]] == ["Yes, share it", "Connect without it", "Change it"]

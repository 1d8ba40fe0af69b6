"""Issue 22, item 8: signing out revokes the token on the server, tokens and transcripts are
never cached, the full API description is for admins (the ORUK feed's stays public), and a
person's deleted conversation can't be read back out of the SQLite files. No model is loaded.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from directory import editing
from directory.db import engine_for, session_scope
from waymark.app import create_app
from waymark.settings import Settings

PASSWORD = "a-long-enough-password"


@pytest.fixture
def client(fresh_directory):
    from handover.models import create_tables

    create_tables(engine_for(fresh_directory))
    with session_scope(fresh_directory) as session:
        for name, role in (("admin-1", "admin"), ("agent-1", "agent"), ("editor-1", "editor")):
            editing.add_account(session, name, PASSWORD, role)
    return TestClient(create_app(Settings(database_url=fresh_directory)))


def _token(client, name: str) -> str:
    response = client.post("/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", ["/auth/sign-out"])
def test_signing_out_revokes_the_token_on_the_server(client, path):
    token = _token(client, "agent-1")
    other = _token(client, "agent-1")  # another tab, signed in separately
    assert client.get("/auth/me", headers=_bearer(token)).status_code == 200
    response = client.post(path, headers=_bearer(token))
    assert response.status_code == 204 and response.headers["cache-control"] == "no-store"
    assert client.get("/auth/me", headers=_bearer(token)).status_code == 401  # at once, not in 120 minutes
    assert client.get("/console/api/queue", headers=_bearer(token)).status_code == 401
    assert client.post(path, headers=_bearer(token)).status_code == 401
    assert client.get("/auth/me", headers=_bearer(other)).status_code == 200  # only that token
    assert client.post(path).status_code == 401


def test_the_pages_sign_out_buttons_ask_the_server_to_revoke():
    root = Path(__file__).resolve().parent.parent
    for script in ("handover/static/console.js", "channels/static/staff.js", "insights/static/reports.js"):
        assert '"/auth/sign-out"' in (root / script).read_text(), script


@pytest.mark.parametrize("path", ["/auth/token", "/editor/token"])
def test_tokens_are_never_cached(client, path):
    response = client.post(path, data={"username": "editor-1", "password": PASSWORD})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"


def test_console_transcripts_and_queue_are_never_cached(client, fresh_directory):
    from handover.models import Handover

    with session_scope(fresh_directory) as session:
        session.add(Handover(id="h-cache", sender_id="web-cache", channel="web", status="waiting",
                             summary="A summary", consent="no", urgent=False))
    headers = _bearer(_token(client, "agent-1"))
    for path in ("/console/api/handovers/h-cache", "/console/api/queue"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store", path


def test_only_the_oruk_feeds_description_is_public(client):
    public = client.get("/openapi.json")
    assert public.status_code == 200
    paths = public.json()["paths"]
    assert paths and all(p.startswith("/oruk") for p in paths)
    assert "/oruk/services" in paths and "/oruk/services/{service_id}" in paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert client.get("/redoc").status_code == 404
    assert client.get("/admin/openapi.json").status_code == 401
    for name in ("agent-1", "editor-1"):
        assert client.get("/admin/openapi.json", headers=_bearer(_token(client, name))).status_code == 403
    full = client.get("/admin/openapi.json", headers=_bearer(_token(client, "admin-1")))
    assert full.status_code == 200 and full.headers["cache-control"] == "no-store"
    assert {"/editor/services", "/console/api/queue", "/staff/api/search", "/oruk/services"} <= set(full.json()["paths"])


def test_a_deleted_conversation_cannot_be_read_back_from_the_sqlite_files(tmp_path, fresh_directory):
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from waymark.assistant import tracker_store_for
    from waymark.privacy import erase_person

    folder = tmp_path / "conversations"
    store = tracker_store_for(f"sqlite:///{folder / 'conversations.db'}")
    secret = "XYZZY my number is 07700 900123 and I use heroin"
    for sender, text in (("web-keep", "hello there"), ("web-gone", secret)):
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, [UserUttered(text), BotUttered("ok")])))
    with store.engine.connect() as connection:  # every Waymark connection zeroes what it deletes
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    erase_person(store, fresh_directory, "web-gone")
    files = [p for p in folder.iterdir() if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)  # WAL mode: the log is there...
    assert all(p.stat().st_size == 0 for p in files if p.name.endswith("-wal"))  # ...and empty
    blob = b"".join(p.read_bytes() for p in files)
    assert b"XYZZY" not in blob and b"07700 900123" not in blob
    assert b"hello there" in blob  # the other conversation is still there

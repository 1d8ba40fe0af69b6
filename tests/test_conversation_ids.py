"""Conversation ids stay with their channel (issue 22, item 5): the web chat channel refuses
"sms:"/"voice:" ids, so nobody can write into, delete or watch a texter's or caller's history
from a web page, and the access log never shows a conversation id. No model is loaded."""
from __future__ import annotations


import pytest
from fastapi.testclient import TestClient
from support import uvicorn_access_log

from channels.dependencies import get_assistant
from waymark.app import create_app
from waymark.settings import Settings

PHONE_IDS = ["sms:3f2a9c", "voice:3f2a9c", "SMS:3f2a9c", " sms:3f2a9c", "Voice : 3f2a9c"]


class FakeTurns:
    def under_way(self) -> bool:
        return False


class FakeAssistant:
    def __init__(self):
        self.handled, self.forgotten = [], []
        self.turns = FakeTurns()

    async def handle(self, sender, text, channel=None, inbound=None, address=None, metadata=None):
        self.handled.append(sender)
        return [{"recipient_id": sender, "text": "hello"}]

    async def forget(self, sender):
        self.forgotten.append(sender)


@pytest.fixture
def chat(fresh_directory):
    from directory.db import engine_for
    from handover.models import create_tables

    create_tables(engine_for(fresh_directory))
    app = create_app(Settings(database_url=fresh_directory))
    fake = FakeAssistant()
    app.dependency_overrides[get_assistant] = lambda: fake
    client = TestClient(app)
    client.fake = fake
    return client


@pytest.mark.parametrize("sender", PHONE_IDS)
def test_the_web_chat_refuses_a_phone_conversation_id(chat, sender):
    response = chat.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hello"})
    assert response.status_code == 422 and "web chat" in response.json()["detail"]
    assert chat.delete(f"/webhooks/rest/conversations/{sender.strip()}").status_code == 422
    assert chat.get(f"/webhooks/rest/conversations/{sender.strip()}/updates",
                    params={"max_seconds": 0.01}).status_code == 422
    assert chat.fake.handled == [] and chat.fake.forgotten == []


def test_an_ordinary_web_chat_id_still_works(chat):
    sender = "0b6c1a36-8f0e-4c1b-9d1c-2f5f1b3f7e11"
    assert chat.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hello"}).status_code == 200
    assert chat.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
    assert chat.fake.handled == [sender] and chat.fake.forgotten == [sender]


def test_the_access_log_never_shows_a_conversation_id():
    access, stream = uvicorn_access_log()
    sender = "0b6c1a36-8f0e-4c1b-9d1c-2f5f1b3f7e11"
    for method, path in (("DELETE", f"/webhooks/rest/conversations/{sender}"),
                         ("GET", f"/webhooks/rest/conversations/{sender}/updates?after=3")):
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", method, path, "1.1", 200)
    logged = stream.getvalue()
    assert sender not in logged and "0b6c1a36" not in logged
    assert "/webhooks/rest/conversations/[conversation]/updates" in logged

"""Signed web chat conversation ids (issue 22, item 5): the server issues ids it can recognise,
and with `WAYMARK_REST_REQUIRE_SIGNED_IDS` on the web chat channel takes no other, except that
a crisis is still answered (and nothing is kept under the id). The real app and the session's
loaded assistant; the stock Rasa contract (any sender) is tests/test_rest_contract.py."""
from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient
from support import run_async, texts

from channels.conversation_ids import LENGTH, UNSIGNED, ConversationIds
from directory.db import engine_for, session_scope
from handover.models import Handover, create_tables
from waymark.app import create_app

SECRET = "a test secret, not the development one"
OVERDOSE = "my mate has taken too many pills and he won't wake up"


def app_client(settings, assistant, **changes) -> TestClient:
    create_tables(engine_for(settings.database_url))  # the live updates read the handover tables
    return TestClient(create_app(settings.with_changes(secret_key=SECRET, **changes), assistant))


@pytest.fixture(scope="module")
def open_chat(settings, seeded_directory, assistant):
    """The default: any sender is taken, as by stock Rasa."""
    return app_client(settings, assistant)


@pytest.fixture(scope="module")
def strict_chat(settings, seeded_directory, assistant):
    return app_client(settings, assistant, rest_require_signed_ids=True)


def new_id(client) -> str:
    response = client.post("/webhooks/rest/conversations")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.json()["sender"]


def tampered(conversation_id: str) -> str:
    i = 20  # inside the tag
    return conversation_id[:i] + ("A" if conversation_id[i] != "A" else "B") + conversation_id[i + 1:]


def say(client, sender: str, message: str):
    return client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message})


def handovers_for(database_url: str, sender: str) -> int:
    with session_scope(database_url) as session:
        return session.query(Handover).filter(Handover.sender_id == sender).count()


def test_issued_ids_are_unique_url_safe_bounded_and_verify(open_chat, strict_chat):
    ids = {new_id(open_chat) for _ in range(50)}
    assert len(ids) == 50
    issuer = ConversationIds(SECRET.encode())
    for conversation_id in ids:
        assert len(conversation_id) == LENGTH <= 128
        assert conversation_id.replace("-", "").replace("_", "").isalnum()
        assert issuer.is_signed(conversation_id)
        assert not issuer.is_signed(tampered(conversation_id))
    assert open_chat.post("/webhooks/rest/conversations").json()["required"] is False
    assert strict_chat.post("/webhooks/rest/conversations").json()["required"] is True


def test_an_id_signed_with_another_secret_or_reshaped_does_not_verify(open_chat):
    conversation_id = new_id(open_chat)
    assert not ConversationIds(b"another secret").is_signed(conversation_id)
    issuer = ConversationIds(SECRET.encode())
    for wrong in (conversation_id + "A", conversation_id[:-1], conversation_id[:-1] + "=",
                  conversation_id[:-1] + "+", " " + conversation_id[1:], ""):
        assert not issuer.is_signed(wrong)


def test_when_required_a_signed_id_is_a_whole_conversation(strict_chat, assistant):
    sender = new_id(strict_chat)
    replies = say(strict_chat, sender, "I need help with my drinking near LS1 4AP")
    assert replies.status_code == 200 and "Kirkgate Recovery Hub" in texts(replies.json())
    updates = strict_chat.get(f"/webhooks/rest/conversations/{sender}/updates", params={"max_seconds": 0.01})
    assert updates.status_code == 200
    assert strict_chat.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
    assert not run_async(assistant.has_conversation(sender))


@pytest.mark.parametrize("kind", ["made up", "tampered"])
def test_when_required_an_unsigned_or_tampered_id_is_refused_politely(strict_chat, assistant, kind):
    sender = uuid.uuid4().hex if kind == "made up" else tampered(new_id(strict_chat))
    response = say(strict_chat, sender, "I need help with my drinking near LS1 4AP")
    assert response.status_code == 422
    assert response.json() == {"detail": UNSIGNED}  # the channel's refusal shape, as for NO_SENDER
    assert "reload the page" in UNSIGNED and "999" in UNSIGNED
    assert response.headers["Waymark-Refusal"] == "conversation-id"  # what the web chat page looks for
    stream = strict_chat.post("/webhooks/rest/webhook?stream=true", json={"sender": sender, "message": "hello"})
    assert stream.status_code == 422 and stream.json() == {"detail": UNSIGNED}
    assert not run_async(assistant.has_conversation(sender))


def test_when_required_delete_and_updates_refuse_an_unsigned_id(strict_chat, open_chat, assistant):
    sender = uuid.uuid4().hex
    assert say(open_chat, sender, "hello").status_code == 200  # a conversation under a made-up id
    assert run_async(assistant.has_conversation(sender))
    deleted = strict_chat.delete(f"/webhooks/rest/conversations/{sender}")
    assert deleted.status_code == 422 and deleted.json() == {"detail": UNSIGNED}
    assert run_async(assistant.has_conversation(sender))  # not erased by someone holding a made-up id
    updates = strict_chat.get(f"/webhooks/rest/conversations/{sender}/updates", params={"max_seconds": 0.01})
    assert updates.status_code == 422 and updates.json() == {"detail": UNSIGNED}
    assert open_chat.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204


def test_when_required_a_crisis_under_an_unsigned_id_still_gets_999_and_nothing_is_kept(
        strict_chat, assistant, settings):
    for stream in (False, True):
        sender = uuid.uuid4().hex
        response = strict_chat.post("/webhooks/rest/webhook", params={"stream": stream},
                                    json={"sender": sender, "message": OVERDOSE})
        assert response.status_code == 200
        replies = [json.loads(line) for line in response.text.splitlines() if line] if stream else response.json()
        assert replies[0]["text"].startswith("Call 999 now")
        assert all(r["recipient_id"] == sender for r in replies)
        assert not any(r.get("buttons") for r in replies)  # "talk to a person" would come back refused
        assert not run_async(assistant.has_conversation(sender))
        assert handovers_for(settings.database_url, sender) == 0


def test_by_default_any_id_works_as_in_stock_rasa(open_chat, assistant):
    for sender in (uuid.uuid4().hex, "console-" + uuid.uuid4().hex[:8], tampered(new_id(open_chat))):
        response = say(open_chat, sender, "I need help with my drinking near LS1 4AP")
        assert response.status_code == 200 and "Kirkgate Recovery Hub" in texts(response.json())
        assert open_chat.get(f"/webhooks/rest/conversations/{sender}/updates",
                             params={"max_seconds": 0.01}).status_code == 200
        assert open_chat.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
        assert not run_async(assistant.has_conversation(sender))


@pytest.mark.parametrize("sender", ["sms:3f2a9c", "voice:3f2a9c"])
def test_phone_ids_stay_refused_whether_or_not_signing_is_required(open_chat, strict_chat, sender):
    for client in (open_chat, strict_chat):
        response = say(client, sender, "hello")
        assert response.status_code == 422 and "not a web chat" in response.json()["detail"]
        assert client.delete(f"/webhooks/rest/conversations/{sender}").status_code == 422

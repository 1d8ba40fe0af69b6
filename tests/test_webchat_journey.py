"""The web chat contract, end to end through the real app, model, actions and directory."""
from __future__ import annotations

import uuid

import pytest
from support import WEBHOOK, run_async, say, texts


def test_drinking_near_a_postcode_names_the_nearest_alcohol_service(client):
    sender = uuid.uuid4().hex
    replies = say(client, "I need help with my drinking near LS1 4AP", sender)
    assert all(r["recipient_id"] == sender for r in replies)
    first = replies[0]["text"]
    assert "Kirkgate Recovery Hub" in first  # nearest sample service treating alcohol
    assert "0113 496 0100" in first  # its phone
    assert "Hours: Mon–Wed, Fri 9am–5pm" in first  # its opening hours
    assert "miles away" in first  # how far it is
    assert "What to expect" in texts(replies)


def test_place_given_after_being_asked_then_changed(client):
    sender = uuid.uuid4().hex
    asked = texts(say(client, "i want help with my drinking", sender))
    assert "Where are you?" in asked
    answer = texts(say(client, "leeds", sender))
    assert "Nearest to Leeds" in answer
    moved = texts(say(client, "what about in Manchester instead", sender))
    assert "Piccadilly Recovery Centre" in moved


def test_unknown_postcode_gets_a_polite_specific_answer(client):
    sender = uuid.uuid4().hex
    say(client, "i need help with drugs", sender)
    reply = texts(say(client, "ZZ9 9ZZ", sender))
    assert 'don\'t know where "ZZ9 9ZZ" is' in reply


def test_needle_exchange_search_offers_a_needle_exchange(client):
    reply = texts(say(client, "wheres the nearest needle exchange near LS6"))
    assert "Needle Exchange" in reply or "Recovery Hub" in reply
    assert "Aire Alcohol Service" not in reply


@pytest.mark.parametrize(
    "message, expected",
    [
        ("hello", "I'm Waymark, an automated assistant"),
        ("thanks", "You're welcome"),
        ("bye", "Take care"),
    ],
)
def test_small_talk(client, message, expected):
    assert expected in texts(say(client, message))


@pytest.mark.parametrize("message", ["purple monkey dishwasher ninety", "whats the weather tomorrow", "lkjhgf poiuy"])
def test_message_it_cannot_help_with_offers_a_person(client, message):
    reply = texts(say(client, message))
    # said honestly, or answered with a person to talk to and what to tell the assistant; never a guess
    assert ("Sorry, I didn't understand" in reply or "Sorry, I can't help with that" in reply
            or "For example: help with drinking" in reply)
    assert "real person" in reply and "0300 123" in reply
    assert "miles" not in reply  # no listing made up from gibberish


def test_greeting_offers_buttons_with_payloads(client):
    replies = say(client, "hi")
    buttons = replies[0]["buttons"]
    assert {"title", "payload"} <= set(buttons[0])
    assert any(b["payload"] == "/ask_human" for b in buttons)


def test_oversized_message_is_refused_politely(client, settings):
    response = client.post(WEBHOOK, json={"sender": "x", "message": "a" * (settings.max_message_chars + 1)})
    assert response.status_code == 413
    assert "too long" in response.json()["detail"]


def test_malformed_request_is_refused(client):
    assert client.post(WEBHOOK, json={"message": "hi"}).status_code == 422
    assert client.post(WEBHOOK, content=b"not json", headers={"content-type": "application/json"}).status_code == 422
    assert client.post(WEBHOOK, json={"sender": "x", "message": "   "}).status_code == 422


def test_health_reports_model_actions_and_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"model": True, "actions": True, "database": True}


def test_chat_page_is_served_with_its_script(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'id="composer"' in page.text and "/static/chat.js" in page.text
    script = client.get("/static/chat.js")
    assert script.status_code == 200 and WEBHOOK in script.text


async def test_forget_erases_the_conversation(assistant):
    sender = uuid.uuid4().hex
    await assistant.handle(sender, "hello")
    assert await assistant.has_conversation(sender)
    await assistant.forget(sender)
    assert not await assistant.has_conversation(sender)


async def test_erase_works_on_the_sql_tracker_store(tmp_path):
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from waymark.assistant import erase_conversation, tracker_store_for

    store = tracker_store_for(f"sqlite:///{tmp_path / 'c.db'}")
    for sender in ("someone", "someone-else"):
        tracker = DialogueStateTracker(sender, slots=[])
        tracker.update(UserUttered("hello"))
        await store.save(tracker)
    erase_conversation(store, "someone")
    assert set(await store.keys()) == {"someone-else"}


def test_pages_carry_security_headers(client):
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"


def test_delete_endpoint_erases_the_conversation(client, assistant):
    sender = uuid.uuid4().hex
    say(client, "hello", sender)
    assert client.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
    assert not run_async(assistant.has_conversation(sender))


def test_an_oversized_message_is_told_999_too(client, settings):
    # Issue 18: length is checked before triage (it bounds triage's cost), so the refusal gives 999.
    long_crisis = "my friend has taken an overdose and is not breathing. " * 60
    response = client.post(WEBHOOK, json={"sender": "x", "message": long_crisis})
    assert response.status_code == 413 and "999" in response.json()["detail"]


# Issue 19: "Talk to a person here" only when a live-handover helpline is open; no loop.
OPEN, CLOSED = "2026-11-25T11:00", "2026-11-28T20:00"  # Wednesday morning, Saturday evening
PERSON_HERE = {"title": "Talk to a person here", "payload": "/ask_human"}


def _buttons(replies) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def test_a_message_not_understood_offers_a_person_here_only_while_the_helpline_is_open(client, handover_time):
    handover_time(OPEN)
    open_replies = say(client, "purple monkey dishwasher ninety")
    assert PERSON_HERE in _buttons(open_replies) and "Nobody can chat" not in texts(open_replies)
    handover_time(CLOSED)
    closed_replies = say(client, "purple monkey dishwasher ninety")
    assert PERSON_HERE not in _buttons(closed_replies)
    assert "Nobody can chat with you here right now." in texts(closed_replies)
    assert "Ring 0300 123 6600 or text 82111." in texts(closed_replies)
    assert "Open 24 hours, every day." in texts(closed_replies)


def test_with_no_live_helpline_asking_for_a_person_never_loops(client, fresh_directory, monkeypatch, handover_time):
    """With national lines but no helpline marked for live handover, "can I talk to a real
    person" once got FRANK and [Talk to a person here], and the button gave the same again."""
    from directory import editing
    from directory.db import session_scope

    with session_scope(fresh_directory) as session:
        for helpline in ("sample-helpline-adults", "sample-helpline-families"):
            editing.close_service(session, helpline, "test")
    monkeypatch.setenv("WAYMARK_DATABASE_URL", fresh_directory)  # the actions read the directory here
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    for message in ("can I talk to a real person", "/ask_human"):
        replies = say(client, message, sender)
        reply = texts(replies)
        assert "Nobody can chat with you here right now." in reply
        assert "FRANK" in reply and "0300 123 6600" in reply and "Open 24 hours, every day." in reply
        assert not any(b["payload"] == "/ask_human" for b in _buttons(replies))

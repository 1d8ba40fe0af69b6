"""Warm handover end to end through web chat: the offer with the summary and consent, the
queue with an honest wait, a helpline worker driving the console's real API, messages both
ways with the assistant silent, crisis during a handover, ending with the feedback question,
out of hours with a callback, nobody picking up, and the queue surviving a restart."""
from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from sqlalchemy import select
from support import from_address, say, texts

from directory import editing
from directory.db import session_scope
from directory.models import Metadata
from handover import desk, relay
from handover.api import NO_SUMMARY
from handover.models import CallbackRequest, Handover

PASSWORD = "correct horse battery"
OPEN = "2026-11-25T11:00"  # a Wednesday morning: the sample helplines are open
CLOSED = "2026-11-28T20:00"  # a Saturday evening: closed until Sunday morning
YES = '/handover_consent{"choice": "yes"}'
NO = '/handover_consent{"choice": "no"}'
EDIT = '/handover_consent{"choice": "edit"}'
CALLBACK = '/handover_consent{"choice": "callback"}'


DISPLAY_NAME = "Sam"  # what people see; the login name never reaches them


def sign_in_as(client, settings, role: str = "agent") -> tuple[str, dict]:
    """A new account with `role`, signed in; returns its name and the headers to send."""
    name = f"{role}-{uuid.uuid4().hex[:8]}"
    with session_scope(settings.database_url) as session:
        editing.add_account(session, name, PASSWORD, role, display_name=DISPLAY_NAME)
    token = client.post("/auth/token", data={"username": name, "password": PASSWORD}).json()["access_token"]
    return name, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def agent(client, settings):
    """A helpline worker signed in to the console; returns (name, headers)."""
    return sign_in_as(client, settings)


def person_lines(client, sender: str, after: int = 0) -> list[dict]:
    """What the person's web chat page receives from its live updates stream."""
    response = client.get(f"/webhooks/rest/conversations/{sender}/updates", params={"after": after, "max_seconds": 1})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    return [json.loads(line[len("data: "):]) for line in response.text.splitlines() if line.startswith("data: ")]


def queued_entry(client, headers, sender: str, settings) -> dict:
    with session_scope(settings.database_url) as session:
        handover_id = session.scalar(select(Handover.id).where(Handover.sender_id == sender)
                                     .order_by(Handover.created_at.desc()))
    queue = client.get("/console/api/queue", headers=headers).json()
    return next(h for h in queue["waiting"] + queue["active"] if h["id"] == handover_id)


def ask_for_a_person(client, sender: str) -> list[dict]:
    say(client, "I need help with my drinking near LS1 4AP", sender)
    return say(client, "can I talk to a real person please", sender)


def join_the_queue(client, sender: str) -> list[dict]:
    """Ask for a person and agree to share the summary."""
    ask_for_a_person(client, sender)
    return say(client, YES, sender)


def test_a_whole_web_chat_handover(client, settings, agent, handover_time):
    handover_time(OPEN)
    name, headers = agent
    sender = uuid.uuid4().hex
    offer = ask_for_a_person(client, sender)
    words = texts(offer)
    assert "real person at Northern Drug and Alcohol Helpline (sample)" in words
    assert "Area: LS1." in words and "Substance: alcohol." in words  # what they already said, for the worker
    assert "LS1 4AP" not in words.split("share this with them")[1]  # the district, never the full postcode
    assert [b["title"] for b in offer[-1]["buttons"]] == ["Yes, share it", "Connect without it", "Change it"]

    queued = texts(say(client, YES, sender))
    assert "You're in the queue for Northern Drug and Alcohol Helpline (sample)" in queued
    assert "ahead of you" in queued or "You're next" in queued
    assert "minutes" in queued and "call 999" in queued

    # Waiting people still get the assistant's answers.
    assert "Kirkgate Recovery Hub" in texts(say(client, "where can I get clean needles near LS1 4AP", sender))

    entry = queued_entry(client, headers, sender, settings)
    assert entry["status"] == "waiting" and "Substance: alcohol" in entry["summary"] and not entry["urgent"]
    claimed = client.post(f"/console/api/handovers/{entry['id']}/claim", headers=headers)
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == name
    joined = person_lines(client, sender)
    assert joined[-1]["who"] == "assistant" and f"{DISPLAY_NAME} from the helpline has joined" in joined[-1]["text"]
    assert name not in joined[-1]["text"]

    # The person writes: it goes to the worker, and the assistant says nothing.
    assert say(client, "hiya, is anyone there", sender) == []
    detail = client.get(f"/console/api/handovers/{entry['id']}", headers=headers).json()
    lines = [(line["who"], line["text"]) for line in detail["transcript"]]
    assert ("person", "hiya, is anyone there") in lines
    assert ("person", "I need help with my drinking near LS1 4AP") in lines  # consent: the conversation too

    sent = client.post(f"/console/api/handovers/{entry['id']}/messages", headers=headers,
                       json={"text": "Hi, I'm here. How can I help?"})
    assert sent.status_code == 201
    last_seen = joined[-1]["id"]
    [reply] = person_lines(client, sender, after=last_seen)
    assert reply == {"id": reply["id"], "who": "agent", "name": DISPLAY_NAME, "text": "Hi, I'm here. How can I help?",
                     "buttons": []}

    # A private note is never shown to the person.
    assert client.post(f"/console/api/handovers/{entry['id']}/notes", headers=headers,
                       json={"text": "sounds tired, check sleep"}).status_code == 201
    assert person_lines(client, sender, after=reply["id"]) == []

    # A listing from the directory, written as the assistant writes it.
    listings = client.get("/console/api/directory", headers=headers, params={"place": "LS1 4AP", "need": "treatment"})
    assert listings.status_code == 200 and listings.json()
    first = listings.json()[0]
    shared = client.post(f"/console/api/handovers/{entry['id']}/directory", headers=headers,
                         json={"service_id": first["service_id"], "place": "LS1 4AP"})
    assert shared.status_code == 201 and first["name"] in shared.json()["text"]

    # A crisis while a worker has the conversation: the crisis reply still comes first, and the flag shows at once.
    crisis = texts(say(client, "my mate has gone blue and wont wake up", sender))
    assert "999" in crisis
    flagged = client.get(f"/console/api/handovers/{entry['id']}", headers=headers).json()
    assert flagged["urgent"] is True and flagged["crisis_type"]
    assert any(line["who"] == "note" and "crisis reply" in line["text"] for line in flagged["transcript"])

    ended = client.post(f"/console/api/handovers/{entry['id']}/end", headers=headers)
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    question = person_lines(client, sender, after=shared.json()["id"])[-1]
    assert question["text"] == "The helpline worker has ended the chat. Did you get what you needed?"
    assert [b["title"] for b in question["buttons"]] == ["Yes", "No"]
    thanks = texts(say(client, question["buttons"][0]["payload"], sender))
    assert "Thank you. I'm glad" in thanks
    with session_scope(settings.database_url) as session:
        assert session.get(Handover, entry["id"]).feedback == "yes"
        actions = {m.last_action_type for m in session.scalars(select(Metadata).where(Metadata.resource_id == entry["id"]))}
    assert {"claim", "view", "message", "note", "send_listing", "end"} <= actions  # everything a worker did

    # The assistant has the conversation again.
    assert "Waymark" in texts(say(client, "hi", sender))


def test_no_means_handed_over_without_the_summary_or_the_conversation(client, settings, agent, handover_time):
    handover_time(OPEN)
    _, headers = agent
    sender = uuid.uuid4().hex
    ask_for_a_person(client, sender)
    assert "They won't see anything you told me" in texts(say(client, "no", sender))
    entry = queued_entry(client, headers, sender, settings)
    assert entry["summary"] == NO_SUMMARY and entry["consent"] == "no"
    client.post(f"/console/api/handovers/{entry['id']}/claim", headers=headers)
    detail = client.get(f"/console/api/handovers/{entry['id']}", headers=headers).json()
    assert all("drinking" not in line["text"] for line in detail["transcript"])


def test_the_person_can_rewrite_the_summary(client, settings, agent, handover_time):
    handover_time(OPEN)
    _, headers = agent
    sender = uuid.uuid4().hex
    ask_for_a_person(client, sender)
    assert "in your own words" in texts(say(client, EDIT, sender))
    say(client, "I want to talk about my dad's drinking, not mine", sender)
    entry = queued_entry(client, headers, sender, settings)
    assert entry["summary"] == "I want to talk about my dad's drinking, not mine" and entry["consent"] == "edited"


def test_urgent_conversations_go_to_the_front_of_the_queue(client, settings, agent, handover_time):
    handover_time(OPEN)
    _, headers = agent
    calm, worried = uuid.uuid4().hex, uuid.uuid4().hex
    join_the_queue(client, calm)
    join_the_queue(client, worried)
    # While waiting for a human, a crisis message gets the crisis reply first, and moves them up the queue.
    crisis = say(client, "i took a load of tablets and want to die", worried)
    assert crisis[0]["text"].startswith("Call 999 now")
    assert not any(r.get("buttons") for r in crisis)  # a person is already on the way: no second offer
    waiting = client.get("/console/api/queue", headers=headers).json()["waiting"]
    ids = [h["id"] for h in waiting]
    assert ids.index(queued_entry(client, headers, worried, settings)["id"]) < ids.index(
        queued_entry(client, headers, calm, settings)["id"])
    assert waiting[0]["urgent"] is True


def test_only_one_worker_can_claim_a_conversation(client, settings, agent, handover_time):
    handover_time(OPEN)
    _, headers = agent
    _, other_headers = sign_in_as(client, settings)
    sender = uuid.uuid4().hex
    join_the_queue(client, sender)
    entry = queued_entry(client, headers, sender, settings)
    assert client.post(f"/console/api/handovers/{entry['id']}/claim", headers=headers).status_code == 200
    second = client.post(f"/console/api/handovers/{entry['id']}/claim", headers=other_headers)
    assert second.status_code == 409 and "active" in second.json()["detail"]
    refused = client.post(f"/console/api/handovers/{entry['id']}/messages", headers=other_headers, json={"text": "hi"})
    assert refused.status_code == 403


def test_the_console_needs_an_agent(client, settings):
    assert client.get("/console/api/queue").status_code == 401
    _, staff = sign_in_as(client, settings, "staff")
    assert client.get("/console/api/queue", headers=staff).status_code == 403
    page = client.get("/console")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_out_of_hours_offers_a_callback_and_the_24_7_lines(client, settings, agent, handover_time):
    handover_time(CLOSED)
    _, headers = agent
    sender = uuid.uuid4().hex
    offer = ask_for_a_person(client, sender)
    words = texts(offer)
    assert "they are closed now" in words and "They open tomorrow at 10am" in words
    assert "Samaritans on 116 123" in words and "999" in words
    assert [b["title"] for b in offer[-1]["buttons"]] == ["Yes, ask them to contact me", "No thanks"]
    assert "contact you here when they open" in texts(say(client, CALLBACK, sender))
    with session_scope(settings.database_url) as session:
        callback_id = session.scalar(select(CallbackRequest.id).where(CallbackRequest.sender_id == sender))
        assert desk.current(session, sender) is None  # not left waiting in a queue nobody is watching
    [callback] = [c for c in client.get("/console/api/queue", headers=headers).json()["callbacks"] if c["id"] == callback_id]
    assert "Area: LS1" in callback["summary"]  # they saw it and asked to be contacted

    # Sunday morning: a worker returns the call on the person's channel (here, their web chat).
    handover_time("2026-11-29T10:05")
    started = client.post(f"/console/api/callbacks/{callback_id}/start", headers=headers)
    assert started.status_code == 200 and started.json()["status"] == "active"
    [opening] = person_lines(client, sender)[-1:]
    assert "You asked us to get in touch" in opening["text"] and opening["who"] == "agent"
    assert client.post(f"/console/api/callbacks/{callback_id}/start", headers=headers).status_code == 409
    assert say(client, "oh hi, thanks for getting back to me", sender) == []  # the worker has it now


def test_nobody_picking_up_is_told_honestly_with_alternatives(client, settings, handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    join_the_queue(client, sender)
    # The database is the session's: other tests' people may be waiting in it too, so what is
    # checked is what this person is told, not how many were told.
    relay.tell_overdue(settings.database_url, None, settings.handover_timeout_minutes)
    assert not any("nobody has been able to pick up" in line["text"] for line in person_lines(client, sender))
    handover_time("2026-11-25T11:11")
    assert relay.tell_overdue(settings.database_url, None, settings.handover_timeout_minutes) >= 1
    told = person_lines(client, sender)
    notice = told[-1]
    assert "nobody has been able to pick up in 10 minutes" in notice["text"] and "Samaritans" in notice["text"]
    assert [b["title"] for b in notice["buttons"]] == ["Keep waiting", "Ask them to contact me"]
    relay.tell_overdue(settings.database_url, None, settings.handover_timeout_minutes)
    assert person_lines(client, sender) == told  # told once
    assert "contact you here" in texts(say(client, notice["buttons"][1]["payload"], sender))


def test_the_queue_and_an_active_handover_survive_a_restart(settings, assistant, agent, client, handover_time):
    from fastapi.testclient import TestClient

    from waymark.app import create_app

    handover_time(OPEN)
    _, headers = agent
    waiting, talking = uuid.uuid4().hex, uuid.uuid4().hex
    join_the_queue(client, waiting)
    join_the_queue(client, talking)
    entry = queued_entry(client, headers, talking, settings)
    client.post(f"/console/api/handovers/{entry['id']}/claim", headers=headers)

    with TestClient(create_app(settings, assistant)) as restarted:  # a new app on the same databases
        queue = restarted.get("/console/api/queue", headers=headers).json()
        assert any(h["id"] == queued_entry(restarted, headers, waiting, settings)["id"] for h in queue["waiting"])
        assert any(h["id"] == entry["id"] for h in queue["active"])
        assert say(restarted, "still there?", talking) == []  # still with the worker: the assistant is silent
        detail = restarted.get(f"/console/api/handovers/{entry['id']}", headers=headers).json()
        assert detail["transcript"][-1]["text"] == "still there?"


def test_live_console_events_show_new_lines_and_queue_changes(client, settings, agent, handover_time):
    handover_time(OPEN)
    _, headers = agent
    sender = uuid.uuid4().hex
    join_the_queue(client, sender)
    response = client.get("/console/api/events", headers=headers, params={"after": 0, "max_seconds": 1})
    assert response.status_code == 200
    events = [block for block in response.text.split("\n\n") if block.startswith("id:")]
    kinds = [block.splitlines()[1] for block in events]
    assert "event: queue" in kinds
    queue_event = next(b for b in events if "event: queue" in b)
    snapshot = json.loads(queue_event.splitlines()[2][len("data: "):])
    assert any(h["id"] == queued_entry(client, headers, sender, settings)["id"] for h in snapshot["waiting"])
    assert client.get("/console/api/events", params={"max_seconds": 1}).status_code == 401


def test_when_the_assistant_fails_the_conversation_is_queued_for_a_person(client, assistant, settings, handover_time):
    from test_fail_open import action_server_down

    handover_time(OPEN)
    sender = uuid.uuid4().hex
    person = from_address(client)  # its own address: other tests' failures are not merged with it
    with action_server_down(assistant):
        say(person, "I need help with my drinking near LS1 4AP", sender)  # once queues nobody (test_fail_open)
        reply = texts(say(person, "I need help with my drinking near LS1 4AP", sender))
    assert "something went wrong" in reply and "0300 123 6600" in reply
    assert "I've also asked a helpline worker to look at this conversation" in reply
    with session_scope(settings.database_url) as session:
        row = desk.current(session, sender)
        assert row.status == "waiting" and row.reason == "failed_again" and row.summary is None


def test_delete_my_conversation_erases_the_handover_too(client, settings, handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    join_the_queue(client, sender)
    assert client.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(Handover).where(Handover.sender_id == sender)) is None
    assert person_lines(client, sender) == []


def test_finished_handovers_are_purged_after_the_retention_period(settings, handover_time):
    from datetime import timedelta

    from directory.db import engine_for
    from handover.models import HandoverMessage, create_tables
    from handover.retention import purge_handover

    create_tables(engine_for(settings.database_url))  # this test's own, whatever ran before it
    handover_time(OPEN)
    now = datetime.fromisoformat(OPEN)
    with session_scope(settings.database_url) as session:
        old = Handover(sender_id=uuid.uuid4().hex, channel="rest", status="ended", created_at=now - timedelta(days=40),
                       ended_at=now - timedelta(days=40))
        waiting = Handover(sender_id=uuid.uuid4().hex, channel="rest", status="waiting",
                           created_at=now - timedelta(days=40), queued_at=now - timedelta(days=40))
        session.add_all([old, waiting])
        session.flush()
        session.add(HandoverMessage(handover_id=old.id, author="person", text="old words", created_at=old.created_at))
        old_id, waiting_id = old.id, waiting.id
    assert purge_handover(settings.database_url, now - timedelta(days=30)) >= 1
    with session_scope(settings.database_url) as session:
        assert session.get(Handover, old_id) is None
        assert session.get(Handover, waiting_id) is not None  # someone still waiting is never purged

"""Faults made to happen for real: the person still gets a way to a human, never silence."""
from __future__ import annotations

import socket
import uuid
from contextlib import contextmanager

from rasa.utils.endpoints import EndpointConfig
from support import from_address, say, texts

from waymark.assistant import fail_open_text


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket closes


@contextmanager
def action_server_down(assistant):
    processor = assistant.agent.processor
    working = processor.action_endpoint
    processor.action_endpoint = EndpointConfig(url=f"http://127.0.0.1:{closed_port()}/webhook")
    try:
        yield
    finally:
        processor.action_endpoint = working


def test_action_server_down_gives_a_helpline_not_silence(client, assistant):
    with action_server_down(assistant):
        replies = say(client, "I need help with my drinking near LS1 4AP", uuid.uuid4().hex)
    reply = texts(replies)
    assert "something went wrong" in reply and "0300 123 6600" in reply and "999" in reply


def test_directory_down_still_gives_the_verified_number():
    text = fail_open_text("sqlite:////nonexistent-dir/for/sure/waymark.db")
    assert "FRANK" in text and "0300 123 6600" in text


def test_when_the_actions_work_again_the_conversation_goes_on(client, assistant):
    sender = uuid.uuid4().hex
    with action_server_down(assistant):
        say(client, "hello", sender)
    assert "Kirkgate Recovery Hub" in texts(say(client, "I need help with my drinking near LS1 4AP", sender))


# --- who is queued after a failure, and why (issue 18) -------------------------------------

DRINKING = "I need help with my drinking near LS1 4AP"
ASKED_A_WORKER = "I've also asked a helpline worker to look at this conversation"
OPEN = "2026-11-25T11:00"  # a Wednesday morning: the sample helplines are open


def _handovers(settings, sender):
    from sqlalchemy import select

    from directory.db import session_scope
    from handover.models import Handover

    with session_scope(settings.database_url) as session:
        return [(h.status, h.reason, h.urgent) for h in session.scalars(select(Handover).where(Handover.sender_id == sender))]


def _queue_entry(client, settings, sender):
    from test_handover import sign_in_as

    from directory.db import session_scope
    from handover import desk

    with session_scope(settings.database_url) as session:
        handover_id = desk.current(session, sender).id
    _, headers = sign_in_as(client, settings)
    return next(h for h in client.get("/console/api/queue", headers=headers).json()["waiting"] if h["id"] == handover_id)


def test_one_failure_gives_frank_and_999_and_queues_nobody(client, assistant, settings, handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    with action_server_down(assistant):
        reply = texts(say(client, DRINKING, sender))
    assert "0300 123 6600" in reply and "999" in reply
    assert ASKED_A_WORKER not in reply  # nobody is told a worker will look when none will
    assert _handovers(settings, sender) == []


def test_the_same_conversation_failing_again_is_queued_once_and_the_console_says_why(client, assistant, settings,
                                                                                      handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    person = from_address(client)  # its own address: other tests' failures are not merged with it
    with action_server_down(assistant):
        first = texts(say(person, DRINKING, sender))
        handover_time("2026-11-25T11:05")
        second = texts(say(person, DRINKING, sender))
        handover_time("2026-11-25T11:09")
        third = texts(say(person, DRINKING, sender))
    assert ASKED_A_WORKER not in first
    assert ASKED_A_WORKER in second and ASKED_A_WORKER in third
    assert all("0300 123 6600" in reply and "999" in reply for reply in (first, second, third))
    assert _handovers(settings, sender) == [("waiting", "failed_again", False)]  # merged: one queue item
    entry = _queue_entry(client, settings, sender)
    assert entry["reason"] == "failed_again" and "failed twice" in entry["why"] and "FRANK and 999" in entry["why"]


def test_failures_far_apart_queue_nobody(client, assistant, settings, handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    with action_server_down(assistant):
        say(client, DRINKING, sender)
        handover_time("2026-11-25T14:00")  # hours later: the first failure says nothing about now
        assert ASKED_A_WORKER not in texts(say(client, DRINKING, sender))
    assert _handovers(settings, sender) == []


def test_asking_for_a_person_when_waymark_fails_queues_at_the_first_failure(client, assistant, settings, handover_time):
    handover_time(OPEN)
    sender = uuid.uuid4().hex
    with action_server_down(assistant):
        reply = texts(say(client, "/ask_human", sender))
    assert "0300 123 6600" in reply and "999" in reply and ASKED_A_WORKER in reply
    assert _handovers(settings, sender) == [("waiting", "failed_asked", False)]
    assert "asked for a person" in _queue_entry(client, settings, sender)["why"]


def test_a_crisis_message_that_fails_is_queued_urgent_at_once(client, assistant, settings, handover_time, monkeypatch):
    import waymark.assistant

    def broken(*args, **kwargs):
        raise RuntimeError("the crisis wording could not be built")

    handover_time(OPEN)
    monkeypatch.setattr(waymark.assistant, "crisis_reply", broken)
    sender = uuid.uuid4().hex
    reply = texts(say(client, "my friend has taken an overdose and is not breathing", sender))
    assert "0300 123 6600" in reply and "999" in reply and ASKED_A_WORKER in reply
    assert _handovers(settings, sender) == [("waiting", "failed_crisis", True)]
    entry = _queue_entry(client, settings, sender)
    assert entry["urgent"] and "crisis" in entry["why"]


# --- characters that are not text never reach the model or the queue -----------------------

def _queue_size(settings) -> int:
    from sqlalchemy import func, select

    from directory.db import session_scope
    from handover.models import Handover

    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(Handover))


def test_ten_lone_surrogates_are_refused_politely_and_queue_nobody(client, assistant, settings):
    from support import WEBHOOK, run_async

    before = _queue_size(settings)
    senders = [uuid.uuid4().hex for _ in range(10)]
    for sender in senders:  # raw JSON: "\udfff" is valid JSON, but not a character
        body = '{"sender": "%s", "message": "\\udfff"}' % sender
        response = client.post(WEBHOOK, content=body.encode(), headers={"content-type": "application/json"})
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert "couldn't read that message" in detail and "999" in detail and "116 123" in detail
    assert _queue_size(settings) == before
    assert not any(run_async(assistant.has_conversation(s)) for s in senders)


def test_nul_bytes_non_characters_and_bad_sender_ids_get_a_clear_422(client, assistant):
    from support import WEBHOOK, run_async

    for message in ("hello\u0000", "\ufffe", "where is \ufdd0 the nearest service", "\x1b[2J"):
        sender = uuid.uuid4().hex
        response = client.post(WEBHOOK, json={"sender": sender, "message": message})
        assert response.status_code == 422 and "couldn't read that message" in response.json()["detail"], message
        assert not run_async(assistant.has_conversation(sender))
    body = '{"sender": "abc\\ud800", "message": "hello"}'
    response = client.post(WEBHOOK, content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"] == "That is not a conversation id."


def test_a_crisis_with_a_stray_nul_byte_still_gets_the_crisis_reply(client):
    replies = say(client, "my friend has taken an overdose\u0000 and is not breathing")
    assert replies[0]["text"].startswith("Call 999")


def test_deleting_the_conversation_erases_its_count_of_failures(client, assistant, settings, handover_time):
    from directory.db import session_scope
    from handover.models import HandoverFailure

    handover_time(OPEN)
    sender = uuid.uuid4().hex
    with action_server_down(assistant):
        say(client, DRINKING, sender)
    with session_scope(settings.database_url) as session:
        assert session.get(HandoverFailure, sender).failures == 1
    assert client.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
    with session_scope(settings.database_url) as session:
        assert session.get(HandoverFailure, sender) is None

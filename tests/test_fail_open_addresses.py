"""Repeated failures from one address are merged, and the console says why (issue 18, item 5).

A web chat's conversation id is whatever the browser sends. While Waymark is failing, one
address opening new chats (a person reloading the page, or a script) used to put a person in
the console's queue for every chat that failed twice. Through the real app, with the action
server really down and the console's real API.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select
from support import from_address, say, texts
from test_fail_open import ASKED_A_WORKER, DRINKING, OPEN, action_server_down

from directory.db import session_scope
from handover.models import Handover, HandoverAddressFailure

FRANK = "0300 123 6600"


def _fail_twice(person, sender: str) -> list[str]:
    return [texts(say(person, DRINKING, sender)) for _ in range(2)]


def _items(settings, senders) -> dict[str, tuple]:
    with session_scope(settings.database_url) as session:
        rows = session.scalars(select(Handover).where(Handover.sender_id.in_(list(senders))))
        return {h.sender_id: (h.status, h.reason, h.urgent) for h in rows}


def _console(client, settings) -> list[dict]:
    from test_handover import sign_in_as

    _, headers = sign_in_as(client, settings)
    return client.get("/console/api/queue", headers=headers).json()["waiting"]


def test_web_chats_from_one_address_that_keep_failing_make_one_queue_item(client, assistant, settings,
                                                                           handover_time):
    handover_time(OPEN)
    person = from_address(client)
    senders = [uuid.uuid4().hex for _ in range(4)]
    with action_server_down(assistant):
        replies = {sender: _fail_twice(person, sender) for sender in senders}
    for sender in senders:  # everyone is given a real person to ring, and 999, every time
        assert all(FRANK in reply and "999" in reply for reply in replies[sender])
    assert ASKED_A_WORKER in replies[senders[0]][1]
    assert not any(ASKED_A_WORKER in reply for s in senders[1:] for reply in replies[s])  # nobody is told a lie
    assert _items(settings, senders) == {senders[0]: ("waiting", "failed_again", False)}
    entry = next(h for h in _console(client, settings) if h["id"] == _handover_id(settings, senders[0]))
    assert "failed twice" in entry["why"]
    assert "Merged into this item: 3 other web chats from the same address" in entry["why"]
    assert "FRANK and 999" in entry["why"]
    detail = client.get(f"/console/api/handovers/{entry['id']}", headers=_headers(client, settings))
    assert detail.status_code == 200 and "3 other web chats" in detail.json()["why"]


def test_web_chats_from_different_addresses_are_queued_separately(client, assistant, settings, handover_time):
    handover_time(OPEN)
    senders = [uuid.uuid4().hex for _ in range(2)]
    with action_server_down(assistant):
        for sender in senders:
            assert ASKED_A_WORKER in _fail_twice(from_address(client), sender)[1]
    assert _items(settings, senders) == {s: ("waiting", "failed_again", False) for s in senders}
    why = {h["id"]: h["why"] for h in _console(client, settings)}
    assert not any("Merged" in why[_handover_id(settings, s)] for s in senders)


def test_a_crisis_and_a_person_who_asked_are_never_merged_away(client, assistant, settings, handover_time,
                                                              monkeypatch):
    import waymark.assistant

    handover_time(OPEN)
    person = from_address(client)
    stuck, asked, crisis = (uuid.uuid4().hex for _ in range(3))
    with action_server_down(assistant):
        _fail_twice(person, stuck)
        assert ASKED_A_WORKER in texts(say(person, "/ask_human", asked))

    def broken(*args, **kwargs):
        raise RuntimeError("the crisis wording could not be built")

    monkeypatch.setattr(waymark.assistant, "crisis_reply", broken)
    reply = texts(say(person, "my friend has taken an overdose and is not breathing", crisis))
    assert "999" in reply and ASKED_A_WORKER in reply
    assert _items(settings, [stuck, asked, crisis]) == {
        stuck: ("waiting", "failed_again", False),
        asked: ("waiting", "failed_asked", False),
        crisis: ("waiting", "failed_crisis", True),
    }
    order = [h["id"] for h in _console(client, settings)]  # the crisis goes ahead of both
    assert order.index(_handover_id(settings, crisis)) < order.index(_handover_id(settings, stuck))
    assert order.index(_handover_id(settings, crisis)) < order.index(_handover_id(settings, asked))


def test_an_address_that_failed_long_ago_starts_afresh(client, assistant, settings, handover_time):
    handover_time(OPEN)
    person = from_address(client)
    earlier, later = uuid.uuid4().hex, uuid.uuid4().hex
    with action_server_down(assistant):
        _fail_twice(person, earlier)
        handover_time("2026-11-25T13:00")  # two hours on: a new run of failures, a new item
        assert ASKED_A_WORKER in _fail_twice(person, later)[1]
    assert set(_items(settings, [earlier, later])) == {earlier, later}


def test_the_address_is_never_stored_and_deleting_the_chat_erases_its_merge_row(client, assistant, settings,
                                                                               handover_time):
    handover_time(OPEN)
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"
    person = from_address(client, address)
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    with action_server_down(assistant):
        _fail_twice(person, first)
        _fail_twice(person, second)
    handover_id = _handover_id(settings, first)
    with session_scope(settings.database_url) as session:
        row = session.scalar(select(HandoverAddressFailure).where(HandoverAddressFailure.handover_id == handover_id))
        assert row.merged == 1 and address not in row.address_hash and len(row.address_hash) == 64
    assert client.delete(f"/webhooks/rest/conversations/{first}").status_code == 204
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(HandoverAddressFailure)
                              .where(HandoverAddressFailure.handover_id == handover_id)) is None


def _handover_id(settings, sender: str) -> str:
    with session_scope(settings.database_url) as session:
        return session.scalar(select(Handover.id).where(Handover.sender_id == sender))


def _headers(client, settings) -> dict:
    from test_handover import sign_in_as

    return sign_in_as(client, settings)[1]

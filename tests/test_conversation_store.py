"""Conversations kept in SQL by Waymark's leaner store (waymark.conversation_store) stay whole:
shared by workers turn after turn with nothing lost or doubled, the latest session only, an
erased conversation stays erased, and Rasa's own store reads the same rows."""
from __future__ import annotations

import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from sqlalchemy import create_engine, text

from waymark.assistant import erase_conversation, tracker_store_for
from waymark.conversation_store import ConversationStore

DOMAIN = Domain.from_dict({"slots": {"place": {"type": "text", "mappings": [{"type": "custom"}]}},
                           "intents": ["greet"]})


def store_at(url: str) -> ConversationStore:
    store = tracker_store_for(url)
    assert isinstance(store, ConversationStore)
    store.domain = DOMAIN
    return store


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        return
    shared = request.getfixturevalue("postgres_url")  # the run's directory database: leave it as found
    yield shared
    engine = create_engine(shared)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS events"))
    engine.dispose()


def stored_rows(url: str, sender: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    finally:
        engine.dispose()


def turn(text_: str, reply: str) -> list:
    return [UserUttered(text_, {"name": "greet", "confidence": 1.0}), BotUttered(reply),
            ActionExecuted("action_listen")]


async def test_two_workers_take_turns_on_one_conversation(url):
    first, second = store_at(url), store_at(url)  # as two worker processes would
    sender = f"worker-turns-{time.time_ns()}"
    tracker = await first.get_or_create_tracker(sender)
    tracker.update_with_events(turn("hello", "Hi, I'm Waymark."), DOMAIN)
    await first.save(tracker)

    tracker = await second.retrieve(sender)
    tracker.update_with_events([*turn("LS1 4AP", "Nearest to LS1 4AP: ..."), SlotSet("place", "LS1 4AP")], DOMAIN)
    await second.save(tracker)

    again = await first.retrieve(sender)
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["hello", "LS1 4AP"]
    assert again.get_slot("place") == "LS1 4AP"
    assert stored_rows(url, sender) == len(again.events)  # nothing written twice


async def test_saving_the_same_tracker_again_writes_only_what_is_new(url):
    store = store_at(url)
    sender = f"saved-twice-{time.time_ns()}"
    tracker = await store.get_or_create_tracker(sender)  # a new conversation, never read back
    await store.save(tracker)
    tracker.update_with_events(turn("hi", "Hello."), DOMAIN)
    await store.save(tracker)
    await store.save(tracker)
    assert stored_rows(url, sender) == len(tracker.events)


async def test_only_the_latest_session_is_read_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'sessions.db'}"
    store = store_at(url)
    sender = "sessions"
    old = time.time() - 7200
    tracker = await store.get_or_create_tracker(sender)
    events = [SessionStarted(timestamp=old), *turn("about last week", "Noted.")]
    for event in events[1:]:
        event.timestamp = old + 1
    tracker.update_with_events(events, DOMAIN)
    await store.save(tracker)
    tracker = await store.retrieve(sender)
    tracker.update_with_events([SessionStarted(), *turn("hello again", "Welcome back.")], DOMAIN)
    await store.save(tracker)

    latest = await store.retrieve(sender)
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["hello again"]
    everything = await store.retrieve_full_tracker(sender)
    assert [e.text for e in everything.events if isinstance(e, UserUttered)] == ["about last week", "hello again"]
    assert stored_rows(url, sender) == len(everything.events)


async def test_a_conversation_erased_during_a_turn_stays_erased(tmp_path):
    url = f"sqlite:///{tmp_path / 'erase.db'}"
    store = store_at(url)
    sender = "erase-me"
    tracker = await store.get_or_create_tracker(sender)
    tracker.update_with_events(turn("my son uses heroin", "I'm sorry to hear that."), DOMAIN)
    await store.save(tracker)

    tracker = await store.retrieve(sender)  # a turn starts...
    erase_conversation(store, sender)  # ...the person asks for everything to be deleted...
    tracker.update_with_events(turn("bye", "Take care."), DOMAIN)
    await store.save(tracker)  # ...and the turn ends

    left = await store.retrieve_full_tracker(sender)
    assert [e.text for e in left.events if isinstance(e, UserUttered)] == ["bye"]


async def test_rasas_own_store_reads_the_same_conversation(tmp_path):
    url = f"sqlite:///{tmp_path / 'compatible.db'}"
    store = store_at(url)
    sender = "compatible"
    tracker = await store.get_or_create_tracker(sender)
    tracker.update_with_events([*turn("hello", "Hi."), SlotSet("place", "Leeds")], DOMAIN)
    await store.save(tracker)

    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "compatible.db"))
    theirs = await rasas.retrieve(sender)
    ours = await store.retrieve(sender)
    assert [e.as_dict() for e in theirs.events] == [e.as_dict() for e in ours.events]
    assert theirs.get_slot("place") == "Leeds"


def test_event_types_are_looked_up_once_and_unknown_ones_still_refused():
    from unittest import mock

    from rasa.shared.core.events import Event

    from waymark.assistant import look_up_event_types_once

    look_up_event_types_once()
    stored = [e.as_dict() for e in turn("hello", "Hi.")]
    [Event.from_parameters(e) for e in stored]  # the first read searches, as Rasa does
    with mock.patch("rasa.shared.utils.common.all_subclasses", side_effect=AssertionError("searched again")):
        events = [Event.from_parameters(e) for e in stored]
    assert [type(e) for e in events] == [UserUttered, BotUttered, ActionExecuted]
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet

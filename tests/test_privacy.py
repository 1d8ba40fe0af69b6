"""Logs carry no phone numbers, emails or full postcodes; old conversations are purged."""
from __future__ import annotations

import logging
import time

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from waymark.assistant import tracker_store_for
from waymark.privacy import RedactingFilter, purge_conversations, redact


def test_redact_keeps_the_district_and_drops_what_identifies_someone():
    text = "Text 07700 900123 or +44 7700 900123, email sam.jones@example.org, home LS1 4AP"
    out = redact(text)
    assert "900123" not in out and "sam.jones" not in out and "4AP" not in out
    assert "LS1 [postcode]" in out and out.count("[phone]") == 2 and "[email]" in out


def test_redact_leaves_dates_and_short_numbers_alone():
    assert redact("opens 2026-11-23 at 10, 3 services") == "opens 2026-11-23 at 10, 3 services"


def test_log_records_are_redacted_before_any_handler(caplog):
    logger = logging.getLogger("waymark.test.privacy")
    caplog.handler.addFilter(RedactingFilter())
    logger.warning("sms from %s about %s", "07700 900456", "M1 2AA")
    assert "900456" not in caplog.text and "2AA" not in caplog.text
    assert "[phone]" in caplog.text and "M1 [postcode]" in caplog.text


async def _conversation(store, sender: str, at: float) -> None:
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered("hello", timestamp=at))
    await store.save(tracker)


async def test_purge_deletes_only_conversations_past_retention(tmp_path):
    store = tracker_store_for(f"sqlite:///{tmp_path / 'conversations.db'}")
    now = time.time()
    await _conversation(store, "old", now - 40 * 86400)
    await _conversation(store, "recent", now - 2 * 86400)
    assert purge_conversations(store, 30 * 86400, now=now) == 1
    assert set(await store.keys()) == {"recent"}


async def test_purge_works_on_the_in_memory_store():
    store = tracker_store_for("memory")
    now = time.time()
    await _conversation(store, "old", now - 40 * 86400)
    await _conversation(store, "recent", now - 60)
    assert purge_conversations(store, 30 * 86400, now=now) == 1
    assert set(await store.keys()) == {"recent"}

"""Keeping the least: redacted logs and a retention limit on conversations.

People tell this service about drug use, crime and children at risk. Logs never carry a
phone number, an email address or a full postcode (the district, e.g. "LS1", is kept: it
is what commissioners plan by and it does not identify a home).
"""
from __future__ import annotations

import logging
import re
import time
from typing import Iterable

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# UK and international numbers: 07700 900123, +44 7700 900123, 0113 496 0100, (0161) 496 0300.
PHONE = re.compile(r"(?<![\w])(?:\+?\d[\d ()-]{8,}\d)(?![\w])")
FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b", re.IGNORECASE)


def redact(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = FULL_POSTCODE.sub(lambda m: f"{m.group(1).upper()} [postcode]", text)
    # Ten or more digits is a phone number; shorter runs (dates, counts) are left alone.
    return PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 10 else m.group(), text)


class RedactingFilter(logging.Filter):
    """Rewrites every log record's message before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as it is
            return True
        record.msg, record.args = redact(message), None
        return True


def install_log_redaction(handlers: Iterable[logging.Handler]) -> None:
    for handler in handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def purge_conversations(store: TrackerStore, older_than_seconds: float, now: float | None = None) -> int:
    """Delete whole conversations whose last event is older than the limit; returns how many."""
    cutoff = (now or time.time()) - older_than_seconds
    store = getattr(store, "_tracker_store", store)
    if isinstance(store, InMemoryTrackerStore):
        old = [key for key, dump in store.store.items() if _last_timestamp_of_dump(dump) < cutoff]
        for key in old:
            del store.store[key]
        return len(old)
    if isinstance(store, SQLTrackerStore):
        from sqlalchemy import func

        Event = store.SQLEvent
        with store.session_scope() as session:
            stale = (
                session.query(Event.sender_id)
                .group_by(Event.sender_id)
                .having(func.max(Event.timestamp) < cutoff)
                .subquery()
            )
            senders = [row[0] for row in session.query(stale.c.sender_id)]
            if senders:
                session.query(Event).filter(Event.sender_id.in_(senders)).delete(synchronize_session=False)
                session.commit()
            return len(senders)
    raise NotImplementedError(f"Cannot purge conversations from {type(store).__name__}")


def _last_timestamp_of_dump(dump: str) -> float:
    import json

    events = json.loads(dump).get("events") or []
    return max((e.get("timestamp") or 0) for e in events) if events else 0.0

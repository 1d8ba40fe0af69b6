"""Conversations in SQL (SQLite or PostgreSQL): Rasa's own table, read and written leaner.

Rasa's SQLTrackerStore loads every event as an ORM object and, before each save, counts the
conversation's stored events again to find which are new, then adds the new ones one ORM
object at a time. Measured with py-spy on `waymark serve --workers 2` (SQLite conversations),
that was about a quarter of each worker's time per turn (benchmarks/conversations.py).

This store keeps Rasa's table and rows exactly (Rasa's tools and `rasa export` still read
them), but reads only the event data column, and remembers on each tracker it hands out how
many of its events are already stored, so a save inserts the rest in one statement without
counting first. Every turn reads its tracker here first, under the conversation lock, so
nothing else can have added events to that conversation in between. A tracker that did not
come from here (a new conversation, or one read with all its sessions) is counted as Rasa
does. A conversation erased on request while a turn is under way stays erased: only the
turn's new events are written, where Rasa's count would write the erased ones back.
"""
from __future__ import annotations

import itertools
import json
from typing import Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# How many of a tracker's events are in the table, set on trackers this store hands out.
STORED_EVENTS = "_waymark_stored_events"


class ConversationStore(SQLTrackerStore):
    """Rasa's SQL tracker store with fewer round trips and no ORM objects per event."""

    @classmethod
    def _events_select(cls, all_sessions: bool) -> sa.sql.Select:
        """The events of the conversation `:sender_id` in order; only its latest session
        unless `all_sessions` (the same rows as Rasa's `_event_query`). Built once: building
        a statement costs more than running it."""
        key = "_all_sessions_select" if all_sessions else "_latest_session_select"
        if key not in cls.__dict__:
            events = cls.SQLEvent.__table__
            sender = sa.bindparam("sender_id")
            query = sa.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id)
            if not all_sessions:
                session_start = (sa.select(sa.func.max(events.c.timestamp))
                                 .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
                                 .scalar_subquery())
                query = query.where(sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))
            setattr(cls, key, query)
        return cls.__dict__[key]

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.engine.connect() as connection:
            rows = connection.execute(self._events_select(fetch_events_from_all_sessions),
                                      {"sender_id": sender_id}).all()
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(data) for data, in rows], self.domain.slots)
        if not fetch_events_from_all_sessions:  # Rasa counts a save's events within the latest session
            setattr(tracker, STORED_EVENTS, len(rows))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        stored = getattr(tracker, STORED_EVENTS, None)
        with self.engine.begin() as connection:
            if stored is None or stored > len(tracker.events):
                count = sa.select(sa.func.count()).select_from(self._events_select(all_sessions=False).subquery())
                stored = connection.execute(count, {"sender_id": tracker.sender_id}).scalar_one()
            rows = [self._row(tracker.sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(self.SQLEvent.__table__.insert(), rows)
        setattr(tracker, STORED_EVENTS, len(tracker.events))

    @staticmethod
    def _row(sender_id: str, event) -> dict:
        """The row Rasa's store writes for an event."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

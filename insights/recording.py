"""Recording demand from a conversation, without keeping anything about the person.

`record_demand` is called by the actions that search the directory. It cleans every value
down to a short code (a full postcode becomes its district: "LS6 1AA" -> "LS6") and hands it
to a background writer that adds one to the day's count. It never raises and never makes a
reply wait: a reply matters more than a statistic.
"""
from __future__ import annotations

import atexit
import logging
import queue
import re
import threading
import time
from collections import Counter
from datetime import date, datetime
from typing import Dict, Optional, Tuple

from sqlalchemy import and_, insert, update
from sqlalchemy.exc import IntegrityError

import timekeeping
from directory.taxonomy import NEEDS, SUBSTANCES
from insights.models import NOT_SAID, UNKNOWN, DemandCount, create_tables

log = logging.getLogger(__name__)

# Who is asking: the conversation's persona codes (actions/context.py) and plain words.
PERSONAS = {
    "self": "self", "family": "family", "carer": "family", "family/carer": "family",
    "young-person": "young-person", "young person": "young-person",
    "professional": "professional",
}
# How they came in: the channel names the assistant is given, and our own words.
CHANNELS = {"rest": "web", "web": "web", "webchat": "web", "twilio_sms": "sms", "sms": "sms",
            "twilio_voice": "voice", "voice": "voice"}
OTHER_NEED = "other"
OTHER_CHANNEL = "other"
_FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$", re.IGNORECASE)
_TOWN = re.compile(r"^[A-Za-z][A-Za-z' .-]{0,38}[A-Za-z]$")
_ready: set[str] = set()


def clean_area(text: Optional[str]) -> str:
    """A postcode district ("LS6") or a town ("Leeds"); anything else becomes "unknown".

    A full postcode is cut to its district; a value with any other digits in it, or longer
    than a town name, is not kept at all."""
    value = re.sub(r"\s+", " ", (text or "").strip())
    if not value:
        return UNKNOWN
    full = _FULL_POSTCODE.search(value)
    if full:
        return full.group(1).upper()
    if _DISTRICT.match(value):
        return value.upper()
    if _TOWN.match(value):
        return value.title()
    return UNKNOWN


def clean_need(need: Optional[str]) -> str:
    return need if need in NEEDS else OTHER_NEED


def clean_substance(substance: Optional[str]) -> str:
    return substance if substance in SUBSTANCES else NOT_SAID


def clean_persona(persona: Optional[str]) -> str:
    return PERSONAS.get((persona or "").strip().lower(), UNKNOWN)


def clean_channel(channel: Optional[str]) -> str:
    return CHANNELS.get((channel or "").strip().lower(), OTHER_CHANNEL)


def uk_today() -> date:
    return timekeeping.today()


def record_demand(need: Optional[str], *, matched: bool, substance: Optional[str] = None,
                  area: Optional[str] = None, persona: Optional[str] = None,
                  channel: Optional[str] = None, day: Optional[date] = None,
                  database_url: Optional[str] = None) -> bool:
    """Count one request for today (UK). True when it was taken in to be counted.

    Never raises and never waits for the database: the cleaned values are handed to a
    background writer (a database commit costs tens of milliseconds, which a reply should
    not). A failure is logged, with no values from the conversation, and the reply goes out
    as if nothing happened. Counts still queued when the process is killed are lost."""
    try:
        from waymark.settings import get_settings

        day = day or uk_today()
        if not isinstance(day, date):
            raise TypeError("day must be a date")
        key = dict(day=day.date() if isinstance(day, datetime) else day, need=clean_need(need), substance=clean_substance(substance),
                   area=clean_area(area), persona=clean_persona(persona), channel=clean_channel(channel),
                   matched=bool(matched))
        _writer.put(database_url or get_settings().database_url, key)
        return True
    except Exception as e:  # noqa: BLE001 - demand figures must never break a reply
        log.warning("Could not record demand (%s); the reply was not affected", type(e).__name__)
        return False


def flush(timeout: float = 10.0) -> bool:
    """Wait until every count taken in so far is written (tests, commands). True if it was."""
    return _writer.flush(timeout)


class _Writer:
    """One daemon thread that writes queued counts in batches, one transaction per batch."""

    MAX_BATCH = 500
    # After the first count arrives, wait this long for others: under load, one transaction
    # per half second instead of one per message (each was ~3% of the server's CPU).
    LINGER_SECONDS = 0.5

    def __init__(self) -> None:
        self.queue: "queue.Queue[Tuple[str, dict]]" = queue.Queue(maxsize=100_000)
        self.thread: Optional[threading.Thread] = None
        self.lock = threading.Lock()

    def put(self, url: str, key: dict) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="insights-writer", daemon=True)
                self.thread.start()
        self.queue.put_nowait((url, key))  # a full queue raises: logged by the caller, reply unaffected

    def flush(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _run(self) -> None:
        while True:
            batch = [self.queue.get()]
            time.sleep(self.LINGER_SECONDS)
            while len(batch) < self.MAX_BATCH:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                by_url: Dict[str, Counter] = {}
                for url, key in batch:
                    by_url.setdefault(url, Counter())[tuple(sorted(key.items()))] += 1
                for url, counts in by_url.items():
                    _write(url, counts)
            except Exception as e:  # noqa: BLE001 - keep counting whatever one batch did
                log.warning("Could not record demand (%s); %d request(s) not counted", type(e).__name__, len(batch))
            finally:
                for _ in batch:
                    self.queue.task_done()


_writer = _Writer()
atexit.register(flush, 2.0)


def _write(url: str, counts: Counter) -> None:
    from directory.db import engine_for

    engine = engine_for(url)
    if url not in _ready:
        create_tables(engine)
        _ready.add(url)
    try:
        with engine.begin() as connection:
            for items, n in counts.items():
                _add(connection, dict(items), n)
    except IntegrityError:  # another instance inserted one of these rows first: one at a time
        for items, n in counts.items():
            try:
                with engine.begin() as connection:
                    _add(connection, dict(items), n)
            except IntegrityError:
                with engine.begin() as connection:
                    _add(connection, dict(items), n)


def _add(connection, key: dict, n: int) -> None:
    """Add n to the count, inserting it the first time."""
    where = and_(*(getattr(DemandCount, name) == value for name, value in key.items()))
    bumped = connection.execute(update(DemandCount).where(where).values(requests=DemandCount.requests + n))
    if not bumped.rowcount:
        connection.execute(insert(DemandCount).values(**key, requests=n))

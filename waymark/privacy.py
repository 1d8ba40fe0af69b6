"""Keeping the least: redacted logs, a retention limit, and a person's own "delete".

People tell this service about drug use, crime and children at risk. Logs never carry a
phone number, an email address or a full postcode (the district, e.g. "LS1", is kept: it
is what commissioners plan by and it does not identify a home).

Retention (`waymark purge`, and daily when serving) and a person's delete (SMS "DELETE",
web chat "Delete my conversation") go through every store that holds something about a
person: the conversation history (Rasa's tracker store) and each per-person table. Each store
has one function here:

    purge_conversations(tracker_store, older_than_seconds)   conversations untouched for longer
    purge_sms_tables(engine_or_url, cutoff)                  texts sent or given up, reminders done,
                                                             delivery reports, idle SMS/voice state
    purge_reporter_contacts(engine_or_url, cutoff)           the contact left with "report a
                                                             problem", once the report is long resolved
    erase_tracker(tracker_store, sender)                     one person's conversation(s)
    erase_sms_person(engine_or_url, sender)                  one person's SMS/voice rows

Other packages plug their own tables in without this module knowing them (the handover
package does this for its queue and messages):

    from waymark.privacy import register_eraser, register_purger
    register_purger("handover", purge_handover)   # fn(engine_or_url, cutoff) -> rows deleted
    register_eraser("handover", erase_handover)   # fn(engine_or_url, sender) -> rows deleted

`engine_or_url` is the WAYMARK_DATABASE_URL engine (or its URL; `as_engine` turns either into
an engine). `cutoff` is a naive UTC datetime (as `channels.models.utcnow()` gives): rows last
touched before it are past retention. `sender` is the conversation id the assistant uses
("sms:<hash>", "voice:<hash>" or a web chat id). A function must delete only what is past
use, cope with its tables not existing yet, and return how many rows it removed. Register at
import time of the owning package; registering a name again replaces the function. Records
that policy says to keep longer (a handover audit) are not conversation data: leave them to
their own rule and say so in the function's docstring.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Callable, Iterable, Optional, Union

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from sqlalchemy import and_, delete, exists, inspect, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

import timekeeping

log = logging.getLogger(__name__)
EngineOrUrl = Union[Engine, str]
Purger = Callable[[EngineOrUrl, datetime], int]
Eraser = Callable[[EngineOrUrl, str], int]
PURGERS: dict[str, Purger] = {}
ERASERS: dict[str, Eraser] = {}
# Conversation ids that stand for a phone number: "sms:<hash>" and "voice:<hash>" are one person.
PHONE_CHANNELS = ("sms", "voice")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# UK and international numbers: 07700 900123, +44 7700 900123, 0113 496 0100, (0161) 496 0300.
PHONE = re.compile(r"(?<![\w])(?:\+?\d[\d ()-]{8,}\d)(?![\w])")
# The space may be written, left out, or URL-encoded ("LS1%204AP", "LS1+4AP" in a query string).
FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)(?:\s*|%20|\+)[0-9][A-Z]{2}\b", re.IGNORECASE)


# A web chat's conversation id is the key to its history (delete, live updates): never logged.
CONVERSATION_PATH = re.compile(r"(/conversations/)[^/?#\s\"]+")


def is_phone_conversation(sender: str) -> bool:
    """An "sms:"/"voice:" id: only the Twilio channels may speak for it (issue 22)."""
    channel, colon, _ = sender.strip().partition(":")
    return bool(colon) and channel.strip().lower() in PHONE_CHANNELS


def redact(text: str) -> str:
    text = CONVERSATION_PATH.sub(r"\1[conversation]", text)
    text = EMAIL.sub("[email]", text)
    text = FULL_POSTCODE.sub(lambda m: f"{m.group(1).upper()} [postcode]", text)
    # Ten or more digits is a phone number; shorter runs (dates, counts) are left alone.
    return PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 10 else m.group(), text)


# At WARNING and above a log line never carries what someone wrote (issue 22: Rasa's warning
# "Failed to parse arguments in line '…'" logged a whole message, drug use and all). Quoted
# text that long is withheld; a Python warning keeps only its words before the first quote.
LONG_QUOTED = re.compile(r"'[^'\n]{16,}'" + r'|"[^"\n]{16,}"')
WITHHELD = "[withheld]"
TRACEBACK_LINES = ("Traceback (most recent call last):", "During handling of the above exception",
                   "The above exception was the direct cause")
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt|Iteration|Fault|"
                            r"Timeout|Cancelled|NotFound|Incomplete|Failure)?)(:\s?(.*))?$")


def withhold_text(message: str) -> str:
    """A WARNING+ line without anything long in quotes (see LONG_QUOTED), and redacted."""
    return redact(LONG_QUOTED.sub(WITHHELD, message))


def _python_warning(message: str) -> str:
    """A captured Python warning ("file:line: Category: words ..."): the words up to the first
    quote, bracket or line break; what came after may be someone's message."""
    first = re.search(r"['\"{\n]", message)
    return redact(message[:first.start()].rstrip() + f" {WITHHELD}" if first else message)


def exception_text(exc_info, withhold: bool) -> str:
    """A traceback with its frames (files, lines, code) and each exception's type, and the
    exceptions' own words redacted, or withheld altogether at WARNING+: an exception's text
    may hold what someone wrote, and SQLAlchemy's holds the statement's parameters."""
    import traceback

    lines = "".join(traceback.format_exception(*exc_info)).splitlines()
    out = []
    for line in lines:
        if not line or line[0].isspace() or line.startswith(TRACEBACK_LINES):
            out.append(redact(line))
            continue
        match = EXCEPTION_LINE.match(line)
        if not withhold:
            out.append(redact(line))
        elif match and match.group(2):
            out.append(f"{match.group(1)}: {WITHHELD}")
        elif match:
            out.append(match.group(1))
        else:
            out.append(WITHHELD)  # the rest of a long exception message ([SQL: ...], [parameters: ...])
    return "\n".join(out)


class RedactingFilter(logging.Filter):
    """Rewrites every log record's message (and exception text) before any handler sees it:
    emails, phone numbers and full postcodes are redacted at every level; at WARNING and
    above, long quoted text and exceptions' own words are withheld as well."""

    def filter(self, record: logging.LogRecord) -> bool:
        serious = record.levelno >= logging.WARNING
        if isinstance(record.args, tuple) and record.args and not serious:
            # Kept as a tuple: some formatters (uvicorn's access log) read the arguments themselves.
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            if isinstance(record.msg, str):
                record.msg = redact(record.msg)
        else:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken format string is logged as it is
                message = None
            if message is not None:
                if record.name == "py.warnings":
                    message = _python_warning(message)
                record.msg, record.args = (withhold_text(message) if serious else redact(message)), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = exception_text(record.exc_info, withhold=serious)
        elif record.exc_text:
            record.exc_text = withhold_text(record.exc_text) if serious else redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_log_redaction(handlers: Iterable[logging.Handler]) -> None:
    for handler in handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def register_purger(name: str, fn: Purger) -> None:
    """Add a store to retention: `fn(engine_or_url, cutoff)` deletes rows past it (see above)."""
    PURGERS[name] = fn


def register_eraser(name: str, fn: Eraser) -> None:
    """Add a store to a person's delete: `fn(engine_or_url, sender)` deletes their rows."""
    ERASERS[name] = fn


def as_engine(engine_or_url: EngineOrUrl) -> Engine:
    if isinstance(engine_or_url, Engine):
        return engine_or_url
    from directory.db import engine_for

    return engine_for(engine_or_url)


def cutoff_for(older_than_seconds: float, now: float | None = None) -> datetime:
    """The retention cutoff as naive UTC, the way the channel tables store times."""
    moment = (timekeeping.timestamp() if now is None else now) - older_than_seconds
    return datetime.fromtimestamp(moment, timezone.utc).replace(tzinfo=None)


def _unwrap(store: TrackerStore) -> TrackerStore:
    """Rasa wraps the configured store (fail-safe, awaitable); the real one is inside."""
    for _ in range(5):
        inner = getattr(store, "_tracker_store", None)
        if inner is None:
            break
        store = inner
    return store


class PrivacyIncomplete(RuntimeError):
    """Some stores could not be purged or erased; the others were. `done` says what was."""

    def __init__(self, action: str, failed: list[str], done: dict[str, int]):
        super().__init__(f"Could not {action} in: {', '.join(failed)} (the other stores were done)")
        self.failed, self.done = failed, done


# --- retention ---------------------------------------------------------------------------------

def purge_everything(tracker_store: TrackerStore, engine_or_url: EngineOrUrl, older_than_seconds: float,
                     now: float | None = None) -> dict[str, int]:
    """Retention over every store: conversations, then each registered table purger.

    Returns rows (conversations for the tracker) removed per store. A store that fails does
    not stop the others; PrivacyIncomplete is raised afterwards, naming it."""
    done: dict[str, int] = {}
    failed: list[str] = []
    try:
        done["conversations"] = purge_conversations(tracker_store, older_than_seconds, now=now)
    except Exception:  # noqa: BLE001 - go on with the other stores, then report
        log.exception("Retention: could not purge the conversation history")
        failed.append("conversations")
    cutoff = cutoff_for(older_than_seconds, now)
    for name, purger in list(PURGERS.items()):
        try:
            done[name] = purger(engine_or_url, cutoff)
        except Exception:  # noqa: BLE001
            log.exception("Retention: could not purge %s", name)
            failed.append(name)
    if any(done.values()):
        _wipe_logs(_tracker_engine(tracker_store), _engine_or_none(engine_or_url))
    if failed:
        raise PrivacyIncomplete("purge", failed, done)
    return done


def purge_conversations(store: TrackerStore, older_than_seconds: float, now: float | None = None) -> int:
    """Delete whole conversations whose last event is older than the limit; returns how many."""
    cutoff = (timekeeping.timestamp() if now is None else now) - older_than_seconds
    store = _unwrap(store)
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


def has_tables(engine: Engine, *names: str) -> bool:
    """Whether all these tables exist: a package's tables appear only once it is first used
    on this database (the SMS tables once Twilio is configured, the handover's once served)."""
    return set(names) <= set(inspect(engine).get_table_names())


def purge_sms_tables(engine_or_url: EngineOrUrl, cutoff: datetime) -> int:
    """The SMS and voice channel's rows past retention.

    Deleted: texts sent, failed, cancelled (or reported delivered/undelivered) before the
    cutoff; reminders sent or cancelled; delivery reports; and the per-number state of people
    not heard from or written to since. Never a text still waiting to go. An opted-out number
    keeps a bare row (hash and flag, its remembered choices wiped) as long as it is opted out:
    carriers expect STOP to hold until the person texts START."""
    from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation

    engine = as_engine(engine_or_url)
    if not has_tables(engine, "sms_outbox", "sms_reminder", "sms_delivery_status", "sms_conversation"):
        return 0
    with Session(engine, future=True) as session:
        removed = session.execute(delete(OutboxMessage).where(
            OutboxMessage.status.notin_(["pending", "sending"]), OutboxMessage.created_at < cutoff,
            or_(OutboxMessage.sent_at.is_(None), OutboxMessage.sent_at < cutoff),
        ).execution_options(synchronize_session=False)).rowcount or 0
        removed += session.execute(delete(Reminder).where(
            Reminder.status != "scheduled", Reminder.created_at < cutoff, Reminder.due_at < cutoff,
        ).execution_options(synchronize_session=False)).rowcount or 0
        removed += session.execute(delete(DeliveryStatus).where(DeliveryStatus.received_at < cutoff)
                                   .execution_options(synchronize_session=False)).rowcount or 0
        # "Untouched": no change to the row, nothing written to the person since the cutoff,
        # nothing waiting to go to them and no reminder still to come.
        written_since = exists().where(OutboxMessage.person_hash == SmsConversation.person_hash,
                                       or_(OutboxMessage.created_at >= cutoff,
                                           OutboxMessage.status.in_(["pending", "sending"])))
        scheduled = exists().where(Reminder.person_hash == SmsConversation.person_hash,
                                   Reminder.status == "scheduled")
        idle = and_(SmsConversation.updated_at < cutoff, ~written_since, ~scheduled)
        removed += session.execute(delete(SmsConversation).where(idle, SmsConversation.opted_out.is_(False))
                                   .execution_options(synchronize_session=False)).rowcount or 0
        session.execute(update(SmsConversation).where(idle, SmsConversation.opted_out.is_(True),
                                                      or_(SmsConversation.last_choices != "[]",
                                                          SmsConversation.voice_choices != "[]"))
                        .values(last_choices="[]", voice_choices="[]")
                        .execution_options(synchronize_session=False))
        session.commit()
    return removed


# --- a person's own delete ---------------------------------------------------------------------

def related_senders(sender: str) -> list[str]:
    """The conversation ids that are the same person: a number's texts and its calls."""
    channel, _, person = sender.partition(":")
    if channel in PHONE_CHANNELS and person:
        return [f"{c}:{person}" for c in PHONE_CHANNELS]
    return [sender]


def phone_person(sender: str) -> str | None:
    """The number's keyed hash behind an "sms:"/"voice:" id, or None for other channels."""
    channel, _, person = sender.partition(":")
    return person if channel in PHONE_CHANNELS and person else None


def erase_tracker(store: TrackerStore, sender: str) -> int:
    """Delete the conversation history of this person on every channel that shares their id;
    returns how many conversations held something."""
    store = _unwrap(store)
    senders = related_senders(sender)
    if isinstance(store, InMemoryTrackerStore):
        return sum(store.store.pop(s, None) is not None for s in senders)
    if isinstance(store, SQLTrackerStore):
        Event = store.SQLEvent
        with store.session_scope() as session:
            held = {row[0] for row in session.query(Event.sender_id).filter(Event.sender_id.in_(senders)).distinct()}
            session.query(Event).filter(Event.sender_id.in_(senders)).delete(synchronize_session=False)
            session.commit()
        return len(held)
    raise NotImplementedError(f"Cannot erase conversations from {type(store).__name__}")


def erase_sms_person(engine_or_url: EngineOrUrl, sender: str) -> int:
    """Everything the SMS and voice channel keeps about one number: texts (sent or waiting),
    reminders, delivery reports and its state. An opt-out survives as a bare row, because
    carriers expect STOP to hold until START; it holds nothing but the hash and the flag."""
    from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation

    person = phone_person(sender)
    engine = as_engine(engine_or_url)
    if person is None or not has_tables(engine, "sms_outbox", "sms_reminder", "sms_delivery_status",
                                         "sms_conversation"):
        return 0
    with Session(engine, future=True) as session:
        opted_out = bool(session.execute(select(SmsConversation.opted_out)
                                         .where(SmsConversation.person_hash == person)).scalar())
        removed = 0
        for table in (OutboxMessage, Reminder, DeliveryStatus, SmsConversation):
            removed += session.execute(delete(table).where(table.person_hash == person)
                                       .execution_options(synchronize_session=False)).rowcount or 0
        if opted_out:
            session.add(SmsConversation(person_hash=person, opted_out=True, last_choices="[]", voice_choices="[]"))
        session.commit()
    return removed


def wipe_sqlite_log(engine: Engine) -> bool:
    """After an erasure or a purge on SQLite: copy the write-ahead log into the database file
    and truncate it to nothing (`PRAGMA wal_checkpoint(TRUNCATE)`), so deleted rows don't
    stay readable in the `-wal` file; secure_delete (directory.db.sqlite_pragmas) has already
    zeroed them in the pages. True when the log was emptied (a reader in the middle of a read
    can hold it: then it is emptied at the next checkpoint). Nothing to do on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        busy, _frames, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        log.warning("The SQLite log could not be emptied yet (a read was in progress); it will be later")
    return not busy


def _wipe_logs(*engines: Optional[Engine]) -> None:
    seen = set()
    for engine in engines:
        if engine is None or str(engine.url) in seen:
            continue
        seen.add(str(engine.url))
        try:
            wipe_sqlite_log(engine)
        except Exception:  # noqa: BLE001 - the rows are deleted; the log is emptied later anyway
            log.exception("Could not empty the SQLite log after a delete")


def _tracker_engine(store: TrackerStore) -> Optional[Engine]:
    inner = _unwrap(store)
    return getattr(inner, "engine", None) if isinstance(inner, SQLTrackerStore) else None


def erase_person(tracker_store: TrackerStore, engine_or_url: EngineOrUrl, sender: str) -> dict[str, int]:
    """A person's "delete": their conversation history and their rows in every registered
    table, then the SQLite logs emptied (wipe_sqlite_log). Every store is tried;
    PrivacyIncomplete names any that failed."""
    done: dict[str, int] = {}
    failed: list[str] = []
    stores: list[tuple[str, Callable[[], int]]] = [("conversations", lambda: erase_tracker(tracker_store, sender))]
    stores += [(name, lambda fn=fn: fn(engine_or_url, sender)) for name, fn in list(ERASERS.items())]
    for name, erase in stores:
        try:
            done[name] = erase()
        except Exception:  # noqa: BLE001 - erase what can be erased, then say what could not
            log.exception("Delete: could not erase a conversation from %s", name)
            failed.append(name)
    _wipe_logs(_tracker_engine(tracker_store), _engine_or_none(engine_or_url))
    if failed:
        raise PrivacyIncomplete("erase the conversation", failed, done)
    return done


def _engine_or_none(engine_or_url: EngineOrUrl) -> Optional[Engine]:
    try:
        return as_engine(engine_or_url)
    except Exception:  # noqa: BLE001 - a bad URL was already reported by the erasers
        return None


def purge_reporter_contacts(engine_or_url: EngineOrUrl, cutoff: datetime) -> int:
    """Contacts left with "report a problem" (directory.editing.forget_reporter_contacts)."""
    from directory.editing import forget_reporter_contacts

    engine = as_engine(engine_or_url)
    if not has_tables(engine, "review_item"):
        return 0
    with Session(engine, future=True) as session:
        wiped = forget_reporter_contacts(session, cutoff)
        session.commit()
    return wiped


register_purger("sms", purge_sms_tables)
register_purger("reporter_contacts", purge_reporter_contacts)
register_eraser("sms", erase_sms_person)

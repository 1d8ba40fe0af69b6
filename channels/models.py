"""The Twilio channels' own tables: conversation state, the outbox, reminders, delivery reports.

They have their own declarative Base (the directory's tables are migrated separately) and are
created at start-up with `create_all` on the WAYMARK_DATABASE_URL engine. No table holds a
phone number in clear: people are keyed by `identity.Identity.hash_number`, and the number is
kept encrypted only on rows still waiting to be sent.

Times are stored as naive UTC (SQLite has no time zones); `utcnow()` gives that.
"""
from __future__ import annotations


from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base

import timekeeping

Base = declarative_base()
HASH_LENGTH = 64


utcnow = timekeeping.utc_now  # the product's one clock (column defaults)
to_naive_utc = timekeeping.to_naive_utc


class SmsConversation(Base):
    """What the channel itself remembers about one person (one number)."""

    __tablename__ = "sms_conversation"
    person_hash = Column(String(HASH_LENGTH), primary_key=True)
    opted_out = Column(Boolean, nullable=False, default=False)
    # JSON list of {"title", "payload"}: the numbered choices last offered by text...
    last_choices = Column(Text, nullable=False, default="[]")
    # ...and on a call (keypad), kept apart so a call does not change what "1" means by text.
    voice_choices = Column(Text, nullable=False, default="[]")
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """One text waiting to go, or gone. Sent at least once, in order per person, retried with
    backoff while Twilio is unreachable or failing."""

    __tablename__ = "sms_outbox"
    id = Column(Integer, primary_key=True, autoincrement=True)
    person_hash = Column(String(HASH_LENGTH), nullable=False)
    to_encrypted = Column(Text, nullable=True)  # wiped once sent (or given up)
    body = Column(Text, nullable=False)  # wiped once sent: the tracker holds the conversation
    kind = Column(String(24), nullable=False, default="reply")  # reply, reminder, optout, details
    # pending -> sending -> sent (-> delivered/undelivered/failed from status callbacks)
    # or failed (Twilio refused it for good) or cancelled (STOP, DELETE).
    status = Column(String(16), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime, nullable=True)
    last_error = Column(Text, nullable=True)
    twilio_sid = Column(String(64), nullable=True, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime, nullable=True)

    __table_args__ = (Index("ix_sms_outbox_due", "status", "next_attempt_at"),)


class Reminder(Base):
    """"Remind me on Tuesday at 10": sent by text at `due_at` (UTC), unless cancelled."""

    __tablename__ = "sms_reminder"
    id = Column(Integer, primary_key=True, autoincrement=True)
    person_hash = Column(String(HASH_LENGTH), nullable=False, index=True)
    to_encrypted = Column(Text, nullable=True)  # wiped once queued to send or cancelled
    due_at = Column(DateTime, nullable=False)
    body = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="scheduled")  # scheduled, sent, cancelled
    created_at = Column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (Index("ix_sms_reminder_due", "status", "due_at"),)


class DeliveryStatus(Base):
    """Twilio's delivery reports (status callbacks), as they arrive."""

    __tablename__ = "sms_delivery_status"
    id = Column(Integer, primary_key=True, autoincrement=True)
    message_sid = Column(String(64), nullable=False, index=True)
    person_hash = Column(String(HASH_LENGTH), nullable=True, index=True)
    status = Column(String(32), nullable=False)
    error_code = Column(String(16), nullable=True)
    received_at = Column(DateTime, nullable=False, default=utcnow)


class SeenWebhook(Base):
    """A Twilio webhook already handled, by its MessageSid or CallSid (and the step of it), for
    24 hours: a replayed request, validly signed, is answered but not acted on twice."""

    __tablename__ = "twilio_seen_webhook"
    key = Column(String(160), primary_key=True)  # "sms:SM…", "sms-status:SM…:delivered", "call:CA…"
    seen_at = Column(DateTime, nullable=False, default=utcnow, index=True)


def create_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine)

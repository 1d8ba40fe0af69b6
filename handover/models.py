"""The handover tables: the queue, what was said while a human had the conversation, and
callback requests.

They have their own declarative Base and are created at start-up with `create_all` on the
WAYMARK_DATABASE_URL engine (as the Twilio channel's tables are), so the queue survives
restarts and is shared by every instance. Times are naive UTC.

Privacy: rows name a conversation by its id (a random web chat id, or "sms:<keyed hash>"), never
a phone number. The number needed to text an SMS user back is kept encrypted on the handover
only while it is open, and wiped when it ends. Purged with the conversation (retention, DELETE).
"""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, relationship

import timekeeping

Base = declarative_base()

# The life of a handover:
#   offered  -> the summary was shown and the person was asked whether to share it
#   editing  -> the person chose to change the summary; their next message replaces it
#   waiting  -> in the queue (consent given either way)
#   active   -> a helpline worker has claimed it; the assistant is silent
#   ended    -> the worker ended it; the assistant asks "did you get what you needed?"
#   declined -> the person said they did not want a person after all
#   expired  -> nobody picked up in time; the person was told and given alternatives
#   closed   -> the helpline was closed: a callback may have been requested instead
OFFERED, EDITING, WAITING, ACTIVE, ENDED, DECLINED, EXPIRED, CLOSED = (
    "offered", "editing", "waiting", "active", "ended", "declined", "expired", "closed")
OPEN_STATES = (OFFERED, EDITING, WAITING, ACTIVE)


utcnow = timekeeping.utc_now  # the product's one clock (column defaults)


def new_id() -> str:
    return uuid.uuid4().hex


class Handover(Base):
    __tablename__ = "handover"
    id = Column(String(32), primary_key=True, default=new_id)
    sender_id = Column(String(160), nullable=False, index=True)
    channel = Column(String(24), nullable=False)  # rest, twilio_sms, twilio_voice
    helpline_id = Column(String(64), nullable=True)
    status = Column(String(16), nullable=False, default=OFFERED)
    urgent = Column(Boolean, nullable=False, default=False)
    crisis_type = Column(String(32), nullable=True)
    consent = Column(String(8), nullable=True)  # yes, no, edited
    summary = Column(Text, nullable=True)  # what the worker sees; None when the person said no
    proposed_summary = Column(Text, nullable=True)  # shown to the person; wiped once they answer
    # For the commissioner's aggregates only (no identifiers): who asked, for what, where.
    persona = Column(String(24), nullable=True)
    need = Column(String(48), nullable=True)
    area = Column(String(16), nullable=True)  # postcode district or town, never a full postcode
    # Why it is in the queue (the console says it in words: handover.wording.QUEUED_BECAUSE):
    # asked, callback, or Waymark failed on a crisis (failed_crisis), after the person asked
    # for a person (failed_asked) or twice in a row (failed_again); "failed" on older rows.
    reason = Column(String(32), nullable=False, default="asked")
    # What the person was offered: "handover" (a person now) or "callback" (closed now: contact me later)
    offer_kind = Column(String(16), nullable=False, default="handover")
    contact_encrypted = Column(Text, nullable=True)  # SMS: the number, encrypted, while open
    created_at = Column(DateTime, nullable=False, default=utcnow)
    queued_at = Column(DateTime, nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    claimed_by = Column(String(128), nullable=True)
    ended_at = Column(DateTime, nullable=True)
    timed_out_at = Column(DateTime, nullable=True)
    feedback = Column(String(8), nullable=True)  # yes, no: "did you get what you needed?"

    messages = relationship("HandoverMessage", back_populates="handover", order_by="HandoverMessage.id",
                            cascade="all, delete-orphan")

    __table_args__ = (Index("ix_handover_queue", "status", "urgent", "queued_at"),)


class HandoverMessage(Base):
    """One line while a human has (or is about to have) the conversation."""

    __tablename__ = "handover_message"
    id = Column(Integer, primary_key=True, autoincrement=True)
    handover_id = Column(String(32), ForeignKey("handover.id", ondelete="CASCADE"), nullable=False, index=True)
    # person, agent, assistant (the assistant speaking during a handover), note (private to workers)
    author = Column(String(16), nullable=False)
    author_name = Column(String(128), nullable=True)  # the worker's name, for notes and the audit
    text = Column(Text, nullable=False)
    buttons = Column(Text, nullable=True)  # JSON list of {"title", "payload"} for the person
    created_at = Column(DateTime, nullable=False, default=utcnow)

    handover = relationship("Handover", back_populates="messages")


class CallbackRequest(Base):
    """"Ask them to contact me when they open", with the person's consent on this channel."""

    __tablename__ = "handover_callback"
    id = Column(String(32), primary_key=True, default=new_id)
    sender_id = Column(String(160), nullable=False, index=True)
    channel = Column(String(24), nullable=False)
    helpline_id = Column(String(64), nullable=True)
    summary = Column(Text, nullable=True)
    contact_encrypted = Column(Text, nullable=True)  # SMS/voice number, encrypted; wiped when done
    status = Column(String(16), nullable=False, default="requested")  # requested, done, cancelled
    created_at = Column(DateTime, nullable=False, default=utcnow)
    done_at = Column(DateTime, nullable=True)
    done_by = Column(String(128), nullable=True)


class HandoverFailure(Base):
    """Waymark failed to answer this conversation (fail open): how often, lately.

    A single failure is answered with a helpline's number and queues nobody; a second one
    within `handover.desk.FAILURE_WINDOW` means the person is stuck, and a worker is asked to
    look (`handover.desk.after_failure`). One row per conversation, so repeated failures are
    counted, never listed. Conversation data: erased and purged with the handover's rows.
    """

    __tablename__ = "handover_failure"
    sender_id = Column(String(160), primary_key=True)
    channel = Column(String(24), nullable=False)
    failures = Column(Integer, nullable=False, default=1)
    first_at = Column(DateTime, nullable=False, default=utcnow)
    last_at = Column(DateTime, nullable=False, default=utcnow)


class HandoverAddressFailure(Base):
    """Web chats from one address that Waymark failed in, lately (`handover.address_failures`).

    A web chat's id is whatever the browser sends, so one address can fail in any number of
    "conversations": each failing twice used to put a person in the queue, so a script (or one
    person reloading the page) could fill the console. Their queue items are merged into one,
    which says how many were merged. The address is a keyed hash, never the address itself.
    Purged with the handover rows; erased with the item it points to.
    """

    __tablename__ = "handover_address_failure"
    address_hash = Column(String(64), primary_key=True)
    handover_id = Column(String(32), nullable=True, index=True)  # the one queue item for this address
    merged = Column(Integer, nullable=False, default=0)  # other web chats merged into that item
    failures = Column(Integer, nullable=False, default=0)  # failures from this address in the window
    first_at = Column(DateTime, nullable=False, default=utcnow)
    last_at = Column(DateTime, nullable=False, default=utcnow)


def create_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine)

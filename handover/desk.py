"""The handover service layer: offers, consent, the queue, claiming, messages, ending, feedback,
timeouts and callbacks. Every query about handovers lives here; the assistant, the custom
actions, the channels and the agent console call these functions.

Each function takes a SQLAlchemy session (the caller commits) and, where time matters, `now`
as naive UTC, so tests can move the clock.
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Optional

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from directory import editing
from handover import address_failures
from handover.models import (
    ACTIVE, CLOSED, DECLINED, EDITING, ENDED, EXPIRED, OFFERED, OPEN_STATES, WAITING,
    CallbackRequest, Handover, HandoverFailure, HandoverMessage, utcnow,
)
from handover.summary import Facts, area_of, summary_text

# How long after a handover ends the assistant still reads "yes"/"no" as the feedback answer.
FEEDBACK_WINDOW = timedelta(hours=2)
# A first guess at a worker's time per conversation, until there is history to measure.
DEFAULT_MINUTES_PER_PERSON = 8
# Two failures of one conversation this close together mean the person is stuck: a worker is
# asked to look. Further apart, the first one says nothing about whether they are stuck now.
FAILURE_WINDOW = timedelta(minutes=30)
# Why a conversation is queued after Waymark failed on it (Handover.reason).
FAILED_CRISIS, FAILED_ASKED, FAILED_AGAIN = "failed_crisis", "failed_asked", "failed_again"
FAILURE_REASONS = (FAILED_CRISIS, FAILED_ASKED, FAILED_AGAIN, "failed")


class HandoverError(ValueError):
    """Something an agent asked for cannot be done (already claimed, already ended, ...)."""


def audit(session: Session, handover_id: str, action: str, who: str, detail: Optional[str] = None) -> None:
    """Everything a worker sees or does goes into the directory's audit table (`metadata`)."""
    editing.audit(session, "handover", handover_id, action, who, field_name=None, new=detail)


def current(session: Session, sender_id: str) -> Optional[Handover]:
    """The conversation's open handover (offered, editing, waiting or active), if any."""
    return session.scalar(select(Handover).where(Handover.sender_id == sender_id, Handover.status.in_(OPEN_STATES))
                          .order_by(Handover.created_at.desc()).limit(1))


def open_or_awaiting_feedback(session: Session, sender_id: str,
                              now: datetime) -> tuple[Optional[Handover], Optional[Handover]]:
    """The conversation's open handover (as `current`), and a handover that ended recently
    whose feedback question is still unanswered: one query, as every message asks both."""
    awaits_feedback = and_(Handover.status == ENDED, Handover.feedback.is_(None),
                           Handover.ended_at >= now - FEEDBACK_WINDOW)
    rows = session.scalars(select(Handover).where(
        Handover.sender_id == sender_id, or_(Handover.status.in_(OPEN_STATES), awaits_feedback))).all()
    open_ = [h for h in rows if h.status in OPEN_STATES]
    ended = [h for h in rows if h.status not in OPEN_STATES]
    return (max(open_, key=lambda h: h.created_at, default=None),
            max(ended, key=lambda h: h.ended_at, default=None))


def offer(session: Session, sender_id: str, channel: str, proposed_summary: str, *, helpline_id: Optional[str],
          urgent: bool, crisis_type: Optional[str], persona: Optional[str], need: Optional[str],
          area: Optional[str], now: datetime) -> Handover:
    """Record that a person was offered a human, with the summary they were shown.
    An open handover is reused: asking twice never queues a person twice."""
    existing = current(session, sender_id)
    if existing is not None:
        if existing.status in (OFFERED, EDITING):
            existing.proposed_summary, existing.helpline_id = proposed_summary, helpline_id
            existing.status = OFFERED
            existing.urgent = existing.urgent or urgent
        return existing
    handover = Handover(sender_id=sender_id, channel=channel, helpline_id=helpline_id, status=OFFERED,
                        urgent=urgent, crisis_type=crisis_type, proposed_summary=proposed_summary,
                        persona=persona, need=need, area=area, created_at=now)
    session.add(handover)
    session.flush()
    return handover


def offer_with_summary(session: Session, sender_id: str, channel: str, facts: Facts, *, helpline_id: str,
                       now: datetime) -> tuple[Handover, str]:
    """`offer`, with the summary written from what the conversation said (the same on every
    channel); returns the handover and the summary the person is shown."""
    names = editing.service_names(session, facts.offered_ids)
    text = summary_text(facts, [names.get(i, "") for i in facts.offered_ids])
    handover = offer(session, sender_id, channel, text, helpline_id=helpline_id, urgent=facts.urgent,
                     crisis_type=facts.crisis_type, persona=facts.persona, need=facts.need,
                     area=area_of(facts.place), now=now)
    return handover, text


def queue(session: Session, handover: Handover, consent: str, now: datetime, summary: Optional[str] = None) -> Handover:
    """Consent given (yes, no or edited): into the queue. "no" still hands over, without a summary."""
    handover.consent = consent
    handover.summary = None if consent == "no" else (summary if summary is not None else handover.proposed_summary)
    handover.proposed_summary = None
    handover.status, handover.queued_at = WAITING, now
    return handover


def start_editing(handover: Handover) -> None:
    handover.status = EDITING


def decline(handover: Handover, now: datetime) -> None:
    handover.status, handover.proposed_summary, handover.ended_at = DECLINED, None, now
    handover.contact_encrypted = None


def close_out_of_hours(handover: Handover, now: datetime) -> None:
    handover.status, handover.ended_at, handover.contact_encrypted = CLOSED, now, None


def enqueue_without_offer(session: Session, sender_id: str, channel: str, *, reason: str, urgent: bool,
                          now: datetime, helpline_id: Optional[str] = None,
                          crisis_type: Optional[str] = None) -> Handover:
    """Straight into the queue without a summary (the assistant itself failed: no consent was
    asked, so nothing is shared but the conversation id and the flag).

    An open handover is reused, so one conversation is one queue item however often it
    fails; a crisis makes it urgent, and says so in the reason if it was queued for a failure."""
    existing = current(session, sender_id)
    if existing is not None:
        if existing.status in (OFFERED, EDITING):
            queue(session, existing, "no", now)
            existing.reason = reason
        if urgent:
            existing.urgent = True
            existing.crisis_type = existing.crisis_type or crisis_type
            if existing.reason in FAILURE_REASONS and reason == FAILED_CRISIS:
                existing.reason = reason
        return existing
    handover = Handover(sender_id=sender_id, channel=channel, helpline_id=helpline_id, status=WAITING, urgent=urgent,
                        crisis_type=crisis_type, consent="no", reason=reason, created_at=now, queued_at=now)
    session.add(handover)
    session.flush()
    return handover


def count_failure(session: Session, sender_id: str, channel: str, now: datetime) -> int:
    """Record that Waymark failed to answer this conversation; how many times it has failed
    with no more than FAILURE_WINDOW between one failure and the next (this one included)."""
    row = session.get(HandoverFailure, sender_id)
    if row is None:
        row = HandoverFailure(sender_id=sender_id, channel=channel, failures=0, first_at=now, last_at=now)
        session.add(row)
    elif row.last_at < now - FAILURE_WINDOW:
        row.failures, row.first_at = 0, now
    row.failures += 1
    row.last_at, row.channel = now, channel
    session.flush()
    return row.failures


def after_failure(session: Session, sender_id: str, channel: str, *, now: datetime, crisis_type: Optional[str] = None,
                  asked_for_person: bool = False, address: Optional[str] = None) -> Optional[Handover]:
    """Waymark failed to answer a message (fail open). The person has already been given a
    helpline; a worker is asked to look too (the queue item, returned) only when it matters:

    * the message was a crisis (urgent, first in the queue);
    * the person asked for a person, or is already being handed over;
    * the same conversation failed twice within FAILURE_WINDOW (the person is stuck).

    One failure on its own queues nobody: queueing every failure let a run of broken
    requests fill the console with people who did not exist. Failures of one conversation
    (on SMS and voice, one phone number) are counted on one row and merged into one item.
    `address` (a web chat's keyed address hash) merges "failed twice" items across the web
    chats of one address too (`handover.address_failures`): None is returned for a merged one."""
    failures = count_failure(session, sender_id, channel, now)
    by_address = address_failures.record(session, address, now, FAILURE_WINDOW) if address else None
    if crisis_type is not None:
        reason = FAILED_CRISIS
    elif asked_for_person or current(session, sender_id) is not None:
        reason = FAILED_ASKED
    elif failures >= 2:
        reason = FAILED_AGAIN
        if by_address is not None and address_failures.item_to_merge_into(session, by_address, sender_id):
            address_failures.merge(by_address)
            return None
    else:
        return None
    handover = enqueue_without_offer(session, sender_id, channel, reason=reason, urgent=crisis_type is not None,
                                     crisis_type=crisis_type, now=now)
    if by_address is not None and reason == FAILED_AGAIN:
        address_failures.remember_item(by_address, handover)
    return handover


def flag_urgent(session: Session, sender_id: str, crisis_type: str) -> Optional[Handover]:
    """A crisis during a handover: the worker sees the flag at once, and a waiting person moves
    to the front of the queue."""
    handover = current(session, sender_id)
    if handover is not None:
        handover.urgent, handover.crisis_type = True, crisis_type
    return handover


def attach_contact(session: Session, sender_id: str, contact_encrypted: str) -> None:
    """The SMS channel keeps the (encrypted) number on an open handover so a worker's reply can
    be texted back; it is wiped when the handover ends."""
    session.execute(update(Handover).where(Handover.sender_id == sender_id, Handover.status.in_(OPEN_STATES))
                    .values(contact_encrypted=contact_encrypted))


def add_message(session: Session, handover: Handover, author: str, text: str, *, author_name: Optional[str] = None,
                buttons: Iterable[dict] = (), now: Optional[datetime] = None) -> HandoverMessage:
    message = HandoverMessage(handover_id=handover.id, author=author, author_name=author_name, text=text,
                              buttons=json.dumps(list(buttons)) if buttons else None, created_at=now or utcnow())
    session.add(message)
    session.flush()
    return message


def waiting_list(session: Session) -> list[Handover]:
    """Urgent first, then the longest waiting."""
    return list(session.scalars(select(Handover).where(Handover.status == WAITING)
                                .order_by(Handover.urgent.desc(), Handover.queued_at, Handover.id)))


def active_list(session: Session) -> list[Handover]:
    return list(session.scalars(select(Handover).where(Handover.status == ACTIVE).order_by(Handover.claimed_at)))


@dataclass
class Estimate:
    ahead: int  # people in front of this person
    minutes: Optional[int]  # None when there is no honest basis for a number
    measured: bool  # from recent real waits, or a first guess


def estimate(session: Session, handover: Handover, now: datetime) -> Estimate:
    """An honest wait estimate: people ahead times the median time a recent conversation
    waited per person ahead; a stated first guess when there is no history."""
    ahead = sum(1 for h in waiting_list(session) if h.id != handover.id and (
        (h.urgent and not handover.urgent) or (h.urgent == handover.urgent and (h.queued_at or now) <= (handover.queued_at or now))))
    recent = list(session.execute(select(Handover.queued_at, Handover.claimed_at).where(
        Handover.claimed_at.is_not(None), Handover.queued_at.is_not(None),
        Handover.claimed_at >= now - timedelta(days=7))).all())
    waits = [max(0.0, (claimed - queued).total_seconds() / 60) for queued, claimed in recent]
    if len(waits) >= 3:
        per_person = max(1.0, statistics.median(waits))
        return Estimate(ahead, round(per_person * (ahead + 1)), True)
    return Estimate(ahead, DEFAULT_MINUTES_PER_PERSON * (ahead + 1), False)


def get(session: Session, handover_id: str) -> Handover:
    handover = session.get(Handover, handover_id)
    if handover is None:
        raise HandoverError("There is no such conversation in the queue.")
    return handover


def claim(session: Session, handover_id: str, agent: str, now: datetime) -> Handover:
    """One owner at a time: the conditional update means two workers can never both claim it."""
    claimed = session.execute(update(Handover).where(Handover.id == handover_id, Handover.status == WAITING)
                              .values(status=ACTIVE, claimed_by=agent, claimed_at=now)
                              .execution_options(synchronize_session=False))
    if not claimed.rowcount:
        handover = get(session, handover_id)
        raise HandoverError(f"This conversation is {handover.status}"
                            + (f" with {handover.claimed_by}." if handover.claimed_by else "."))
    handover = get(session, handover_id)
    session.refresh(handover)
    audit(session, handover.id, "claim", agent)
    return handover


def end(session: Session, handover_id: str, agent: str, now: datetime) -> Handover:
    handover = get(session, handover_id)
    if handover.status not in (ACTIVE, WAITING):
        raise HandoverError(f"This conversation has already {handover.status}.")
    handover.status, handover.ended_at = ENDED, now
    audit(session, handover.id, "end", agent)
    return handover


def forget_contact(handover: Handover) -> None:
    handover.contact_encrypted = None


def record_feedback(handover: Handover, got_help: bool) -> None:
    handover.feedback = "yes" if got_help else "no"
    handover.contact_encrypted = None


def overdue(session: Session, now: datetime, timeout: timedelta) -> list[Handover]:
    """Waiting longer than `timeout` and not yet told: the person must hear that nobody has
    picked up, and what else they can do."""
    return list(session.scalars(select(Handover).where(
        Handover.status == WAITING, Handover.timed_out_at.is_(None), Handover.queued_at <= now - timeout)))


def mark_timed_out(handover: Handover, now: datetime) -> None:
    """Still in the queue (a worker may yet pick up), but the person has been told."""
    handover.timed_out_at = now


def request_callback(session: Session, handover: Handover, now: datetime) -> CallbackRequest:
    """"Contact me when you open", asked after seeing the summary: consent to both."""
    callback = CallbackRequest(sender_id=handover.sender_id, channel=handover.channel,
                               helpline_id=handover.helpline_id,
                               summary=handover.summary or handover.proposed_summary,
                               contact_encrypted=handover.contact_encrypted, created_at=now)
    session.add(callback)
    session.flush()
    return callback


def start_callback(session: Session, callback_id: str, agent: str, now: datetime) -> Handover:
    """A worker returns a callback: a conversation with them, on the person's channel."""
    callback = session.get(CallbackRequest, callback_id)
    if callback is None or callback.status != "requested":
        raise HandoverError("There is no open callback request with that id.")
    if current(session, callback.sender_id) is not None:
        raise HandoverError("This person already has a conversation open with the helpline.")
    handover = Handover(sender_id=callback.sender_id, channel=callback.channel, helpline_id=callback.helpline_id,
                        status=ACTIVE, consent="yes" if callback.summary else "no", summary=callback.summary,
                        reason="callback", contact_encrypted=callback.contact_encrypted, created_at=now,
                        queued_at=callback.created_at, claimed_at=now, claimed_by=agent)
    session.add(handover)
    callback.status, callback.done_at, callback.done_by, callback.contact_encrypted = "done", now, agent, None
    session.flush()
    audit(session, handover.id, "callback_start", agent, callback.id)
    return handover


def open_callbacks(session: Session) -> list[CallbackRequest]:
    return list(session.scalars(select(CallbackRequest).where(CallbackRequest.status == "requested")
                                .order_by(CallbackRequest.created_at)))


def messages_after(session: Session, sender_id: str, after_id: int, authors: Iterable[str]) -> list[HandoverMessage]:
    """What the person has not yet seen: for the web chat's live updates."""
    ids = select(Handover.id).where(Handover.sender_id == sender_id)
    return list(session.scalars(select(HandoverMessage).where(
        HandoverMessage.handover_id.in_(ids), HandoverMessage.id > after_id,
        HandoverMessage.author.in_(list(authors))).order_by(HandoverMessage.id)))


def latest_message_id(session: Session) -> int:
    return int(session.scalar(select(func.max(HandoverMessage.id))) or 0)


def changed_since(session: Session, after_id: int) -> list[HandoverMessage]:
    return list(session.scalars(select(HandoverMessage).where(HandoverMessage.id > after_id)
                                .order_by(HandoverMessage.id)))


def erase(session: Session, sender_id: str) -> int:
    """The person's "delete my data": every handover row, message and callback for them."""
    ids = [h for h in session.scalars(select(Handover.id).where(Handover.sender_id == sender_id))]
    if ids:
        address_failures.erase_for(session, ids)
        session.execute(delete(HandoverMessage).where(HandoverMessage.handover_id.in_(ids)))
        session.execute(delete(Handover).where(Handover.id.in_(ids)))
    session.execute(delete(CallbackRequest).where(CallbackRequest.sender_id == sender_id))
    failures = session.execute(delete(HandoverFailure).where(HandoverFailure.sender_id == sender_id)).rowcount
    return len(ids) + (failures or 0)


def purge_before(session: Session, cutoff: datetime) -> int:
    """Retention: finished handovers (and their messages) older than `cutoff`."""
    finished = (ENDED, DECLINED, EXPIRED, CLOSED)
    ids = list(session.scalars(select(Handover.id).where(Handover.status.in_(finished),
                                                         func.coalesce(Handover.ended_at, Handover.created_at) < cutoff)))
    if ids:
        session.execute(delete(HandoverMessage).where(HandoverMessage.handover_id.in_(ids)))
        session.execute(delete(Handover).where(Handover.id.in_(ids)))
    session.execute(delete(CallbackRequest).where(CallbackRequest.status != "requested",
                                                  CallbackRequest.created_at < cutoff))
    session.execute(delete(HandoverFailure).where(HandoverFailure.last_at < cutoff))
    address_failures.purge_before(session, cutoff)
    return len(ids)

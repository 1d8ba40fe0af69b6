"""The durable outbox: every text Waymark sends is a row first, then a Twilio API call.

A turn writes its replies here (with the number encrypted) and wakes the sender loop, which
sends each person's messages in order through Twilio's REST API. If Twilio is down or
failing (5xx, 429, network errors) the message stays in the table and is retried with
exponential backoff, across restarts; nothing is lost. Twilio refusing a message for good
(other 4xx, e.g. an invalid or blocked number) marks it failed. Once a message has gone (or
been given up) its number and body are wiped.

Several instances may share the table: a row is claimed with a conditional UPDATE before it
is sent, and a claim older than `stale_claim_seconds` (an instance died mid-send) is retried.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Iterable, Optional, Protocol

import requests
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioException, TwilioRestException

from channels.models import OutboxMessage, SmsConversation, to_naive_utc
from waymark.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from channels.twilio_common import TwilioChannels

log = logging.getLogger(__name__)
PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
# Sent even to someone who has just opted out: the one confirmation carriers expect.
KINDS_SENT_WHEN_OPTED_OUT = {"optout"}
# The confirmation of DELETE leaves no row behind once it has gone.
KINDS_FORGOTTEN_ONCE_SENT = {"erased"}


class SendError(Exception):
    def __init__(self, message: str, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


class Sender(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send one text; return its message SID; raise SendError."""


class TwilioSender:
    """Sends through Twilio's Messages API (blocking: the outbox runs it in a worker thread)."""

    def __init__(self, settings: Settings):
        from channels.twilio_common import make_client

        self.settings = settings
        self.client = make_client(settings)
        self.status_callback = f"{settings.public_url}/twilio/sms/status" if settings.public_url else None

    def send(self, to: str, body: str) -> str:
        kwargs = {"to": to, "body": body}
        if self.settings.twilio_messaging_service_sid:
            kwargs["messaging_service_sid"] = self.settings.twilio_messaging_service_sid
        else:
            kwargs["from_"] = self.settings.twilio_from_number
        if self.status_callback:
            kwargs["status_callback"] = self.status_callback
        try:
            return self.client.messages.create(**kwargs).sid
        except TwilioRestException as e:
            retryable = e.status >= 500 or e.status == 429
            raise SendError(f"Twilio answered {e.status} (code {e.code}): {e.msg}", retryable) from e
        except (requests.RequestException, TwilioException, OSError) as e:
            raise SendError(f"Could not reach Twilio: {e}", retryable=True) from e


class Outbox:
    def __init__(self, channels: "TwilioChannels", sender: Sender, base_delay: float = 5.0,
                 max_delay: float = 900.0, stale_claim_seconds: float = 300.0, parallel: int = 8):
        self.channels = channels
        self.sender = sender
        self.base_delay, self.max_delay = base_delay, max_delay
        self.stale_claim_seconds = stale_claim_seconds
        self.parallel = parallel
        self._wake: Optional[asyncio.Event] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    # --- writing ---------------------------------------------------------------------------

    def enqueue(self, session: Session, person_hash: str, bodies: Iterable[str], *, number: str = "",
                to_encrypted: str = "", kind: str = "reply") -> list[OutboxMessage]:
        """Add messages to the session (the caller commits), then call `wake()`."""
        token = to_encrypted or self.channels.identity.encrypt(number)
        now = to_naive_utc(self.channels.now())
        rows = [OutboxMessage(person_hash=person_hash, to_encrypted=token, body=body, kind=kind, status=PENDING,
                              attempts=0, next_attempt_at=now, created_at=now) for body in bodies if body]
        session.add_all(rows)
        return rows

    def cancel_pending(self, session: Session, person_hash: str) -> int:
        """Stop everything not yet sent to this person (STOP, DELETE) and wipe their number."""
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.person_hash == person_hash, OutboxMessage.status.in_([PENDING, SENDING]))
            .values(status=CANCELLED, to_encrypted=None, body="")
        )
        return result.rowcount or 0

    def wake(self) -> None:
        """Send what was just queued now, not at the next poll. Safe from any thread: the
        handlers and the database work of a turn run in worker threads."""
        if self._wake is None or self._loop is None:
            return
        try:
            self._loop.call_soon_threadsafe(self._wake.set)
        except RuntimeError:  # the app has stopped; the next start sends what is due
            pass

    # --- sending ---------------------------------------------------------------------------

    def backoff(self, attempts: int) -> float:
        return min(self.max_delay, self.base_delay * (2 ** max(0, attempts - 1)))

    def _heads(self) -> list[int]:
        """The first unsent message of each person, if it may be sent now (order is kept:
        a person's later messages wait behind one that is backing off)."""
        now = to_naive_utc(self.channels.now())
        stale = now - timedelta(seconds=self.stale_claim_seconds)
        with self.channels.session() as session:
            rows = session.execute(
                select(OutboxMessage.id, OutboxMessage.person_hash, OutboxMessage.status,
                       OutboxMessage.next_attempt_at, OutboxMessage.claimed_at)
                .where(OutboxMessage.status.in_([PENDING, SENDING]))
                .order_by(OutboxMessage.id)
                .limit(1000)
            ).all()
        seen, heads = set(), []
        for row_id, person, status, next_at, claimed_at in rows:
            if person in seen:
                continue
            seen.add(person)
            if (status == PENDING and next_at <= now) or (status == SENDING and claimed_at and claimed_at < stale):
                heads.append(row_id)
        return heads

    def _claim(self, row_id: int) -> Optional[OutboxMessage]:
        now = to_naive_utc(self.channels.now())
        stale = now - timedelta(seconds=self.stale_claim_seconds)
        with self.channels.session() as session:
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id,
                       or_(OutboxMessage.status == PENDING,
                           and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < stale)))
                .values(status=SENDING, claimed_at=now)
            ).rowcount
            session.commit()
            return session.get(OutboxMessage, row_id) if claimed == 1 else None

    def _finish(self, row_id: int, **values) -> None:
        with self.channels.session() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
            session.commit()

    async def _send_one(self, row_id: int) -> bool:
        row = await asyncio.to_thread(self._claim, row_id)
        if row is None:
            return False
        if row.kind not in KINDS_SENT_WHEN_OPTED_OUT:
            opted_out = await asyncio.to_thread(self._opted_out, row.person_hash)
            if opted_out:
                await asyncio.to_thread(self._finish, row_id, status=CANCELLED, to_encrypted=None, body="")
                return False
        number = self.channels.identity.decrypt(row.to_encrypted or "")
        if not number:
            log.error("Outbox message %s: the number cannot be decrypted (was WAYMARK_SECRET_KEY changed?)", row_id)
            await asyncio.to_thread(self._finish, row_id, status=FAILED, to_encrypted=None, body="",
                                    last_error="number cannot be decrypted")
            return False
        try:
            sid = await asyncio.to_thread(self.sender.send, number, row.body)
        except SendError as e:
            attempts = row.attempts + 1
            if e.retryable:
                delay = self.backoff(attempts)
                log.warning("Outbox message %s not sent (attempt %d), retrying in %.0f s: %s", row_id, attempts, delay, e)
                next_at = to_naive_utc(self.channels.now()) + timedelta(seconds=delay)
                await asyncio.to_thread(self._finish, row_id, status=PENDING, attempts=attempts, claimed_at=None,
                                        next_attempt_at=next_at, last_error=str(e)[:500])
            else:
                log.error("Outbox message %s refused by Twilio for good: %s", row_id, e)
                await asyncio.to_thread(self._finish, row_id, status=FAILED, attempts=attempts, to_encrypted=None,
                                        body="", last_error=str(e)[:500])
            return False
        if row.kind in KINDS_FORGOTTEN_ONCE_SENT:
            await asyncio.to_thread(self._forget, row_id)
            return True
        await asyncio.to_thread(self._finish, row_id, status=SENT, attempts=row.attempts + 1, twilio_sid=sid,
                                sent_at=to_naive_utc(self.channels.now()), to_encrypted=None, body="",
                                last_error=None)
        return True

    def _forget(self, row_id: int) -> None:
        with self.channels.session() as session:
            session.execute(delete(OutboxMessage).where(OutboxMessage.id == row_id))
            session.commit()

    def _opted_out(self, person_hash: str) -> bool:
        with self.channels.session() as session:
            return bool(session.execute(
                select(SmsConversation.opted_out).where(SmsConversation.person_hash == person_hash)
            ).scalar())

    async def deliver_due(self) -> int:
        """One pass: send the head message of every person who has one due. Returns how many went."""
        heads = await asyncio.to_thread(self._heads)
        if not heads:
            return 0
        limit = asyncio.Semaphore(self.parallel)

        async def bounded(row_id: int) -> bool:
            async with limit:
                return await self._send_one(row_id)

        results = await asyncio.gather(*(bounded(row_id) for row_id in heads), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                log.error("Outbox pass failed for one message", exc_info=result)
        return sum(1 for r in results if r is True)

    async def run_forever(self) -> None:
        self._wake, self._loop = asyncio.Event(), asyncio.get_running_loop()
        while True:
            self._wake.clear()  # before the pass, so a wake during it is not lost
            try:
                sent = await self.deliver_due()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("Outbox pass failed; trying again shortly")
                sent = 0
            if sent:
                continue  # a person may have more messages queued behind the one just sent
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.channels.poll_seconds)
            except asyncio.TimeoutError:
                pass

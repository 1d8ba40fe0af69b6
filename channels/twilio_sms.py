"""Text messages through Twilio Messaging.

POST /twilio/sms          Twilio's inbound-message webhook (signed). Answers at once with an
                          empty <Response/>; the turn runs in the background and its replies
                          go out through the outbox (Twilio's REST API), so a slow turn never
                          meets Twilio's 15-second webhook limit.
POST /twilio/sms/status   Twilio's delivery reports for what we sent (signed).

A person is "sms:" + a keyed hash of their number (never the number). The first thing done
with a text is to read and triage it (`waymark.inbound`), before the per-number rate limit,
before the conversation's lock and before anything else reads it: a crisis goes straight to
the assistant, which answers it first. Otherwise, before the assistant sees a message, the
channel handles the carrier keywords (STOP, START, HELP), DELETE, reminders ("remind me on
Tuesday at 10", "cancel reminder") and numbered choices ("1").

Refusals are answered in TwiML with status 200, never 4xx: Twilio drops the reply of a 4xx
(error 11217; it does not support rate limiting), so the person would hear nothing. A text
with characters that are not text gets `UNREADABLE`; a number texting too fast is told once
(`TOO_FAST`, which gives 999 and Samaritans), and its further texts in the burst are dropped.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy import delete, select, update
from twilio.twiml.messaging_response import MessagingResponse

from channels import sms_text
from channels.dependencies import get_assistant
from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation, to_naive_utc
from channels.reminders import is_cancel_request, parse_reminder
from channels.twilio_common import TwilioChannels, choices_of, first_time, get_channels, require, signed_form
from handover import desk as handover_desk
from waymark.assistant import Assistant, fail_open_text
from waymark.inbound import UNREADABLE, Inbound, read_message
from waymark.limits import TOO_FAST, RateLimiter, per_conversation

log = logging.getLogger(__name__)
router = APIRouter(tags=["sms"])
CHANNEL = "twilio_sms"

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "OPTOUT"}
START_WORDS = {"START", "UNSTOP", "SUBSCRIBE"}
HELP_WORDS = {"HELP", "INFO"}
DELETE_WORDS = {"DELETE", "DELETE ME", "DELETE MY DATA", "DELETE MY MESSAGES", "ERASE", "FORGET ME"}
# Never refused for rate: an opt-out or an erasure must always be heard.
KEYWORDS = STOP_WORDS | START_WORDS | HELP_WORDS | DELETE_WORDS

STOPPED = ("You won't get any more messages from Waymark. Reply START to turn them back on. "
           "In an emergency call 999.")
STARTED = "Waymark: messages are back on. Text what you need help with and your postcode or town."
HELP = ("Waymark is an automated assistant that finds local support services in England. Text what you "
        "need and your postcode or town. Reply STOP to stop messages, DELETE to erase our chat. "
        "In an emergency call 999.")
DELETED = ("Waymark: done. I've erased our conversation and what I kept about this number. "
           "If you text again, I'll start afresh.")
NO_REMINDERS = "You have no reminders set. To stop all messages from Waymark, reply STOP."
ONLY_TEXT = "Sorry, I can only read text. Please type your message."


def keyword(text: str) -> str:
    return re.sub(r"[^A-Z ]", "", text.upper()).strip()


def sender_id(person_hash: str) -> str:
    return f"sms:{person_hash}"


class SmsTurn:
    """One inbound text, handled in the background."""

    def __init__(self, channels: TwilioChannels, assistant: Assistant, number: str, text: str,
                 inbound: Optional[Inbound] = None):
        self.channels, self.assistant = channels, assistant
        self.inbound = inbound or read_message(text)  # read and triaged at the webhook
        self.number, self.text = number, self.inbound.text
        self.person = channels.identity.hash_number(number)

    def reply(self, texts: list[str], buttons: list[dict] = (), kind: str = "reply", remember: bool = True) -> None:
        bodies, choices = sms_text.format_replies(texts, buttons)
        with self.channels.session() as session:
            if remember:
                self.channels.conversation(session, self.person).last_choices = json.dumps(choices)
            self.channels.outbox.enqueue(session, self.person, bodies, number=self.number, kind=kind)
            session.commit()
        self.channels.outbox.wake()

    def _state(self) -> tuple[bool, list[dict]]:
        with self.channels.session() as session:
            row = session.get(SmsConversation, self.person)
            return (bool(row.opted_out), choices_of(row.last_choices)) if row else (False, [])

    def _set_opted_out(self, value: bool) -> None:
        with self.channels.session() as session:
            row = self.channels.conversation(session, self.person)
            row.opted_out, row.last_choices = value, "[]"
            if value:
                self.channels.outbox.cancel_pending(session, self.person)
                session.execute(update(Reminder).where(Reminder.person_hash == self.person,
                                                       Reminder.status == "scheduled")
                                .values(status="cancelled", to_encrypted=None))
            session.commit()

    def _erase_channel_rows(self, keep_opt_out: bool) -> None:
        with self.channels.session() as session:
            for table in (OutboxMessage, Reminder, DeliveryStatus):
                session.execute(delete(table).where(table.person_hash == self.person))
            session.execute(delete(SmsConversation).where(SmsConversation.person_hash == self.person))
            if keep_opt_out:  # an opt-out outlives DELETE: carriers expect it kept until START
                session.add(SmsConversation(person_hash=self.person, opted_out=True))
            session.commit()

    async def run(self) -> None:
        try:
            await self._run()
        except Exception:  # noqa: BLE001 - the person must hear something, the app must go on
            log.exception("SMS turn failed")
            try:  # a person to ring (FRANK, from the directory or the verified file) and 999
                apology = await asyncio.to_thread(fail_open_text, self.assistant.database_url)
                await asyncio.to_thread(self.reply, [apology], remember=False)
            except Exception:  # noqa: BLE001
                log.exception("Could not even queue the apology")

    async def _run(self) -> None:
        # Every database step runs in a worker thread: the event loop never waits for SQLite's
        # write lock (see waymark.assistant.run_on_this_threads_loop).
        db = asyncio.to_thread
        if self.inbound.is_crisis:
            # Crisis first, in any state: not read as a keyword, a reminder or a choice, and
            # answered even after STOP (a reply to the person's own text, not a message sent
            # unasked; if the carrier still blocks it, the outbox records the refusal).
            await self._ask_assistant(self.text)
            return
        word = keyword(self.text)
        opted_out, choices = await db(self._state)
        if word in STOP_WORDS:
            await db(self._set_opted_out, True)
            await db(self.reply, [STOPPED], kind="optout", remember=False)
            log.info("SMS opt-out recorded")
            return
        if word in DELETE_WORDS:
            await self.assistant.forget(sender_id(self.person))
            await db(self._erase_channel_rows, keep_opt_out=opted_out)
            log.info("SMS conversation erased at the person's request")
            if not opted_out:
                await db(self.reply, [DELETED], kind="erased", remember=False)
            return
        if word in START_WORDS:
            await db(self._set_opted_out, False)
            await db(self.reply, [STARTED])
            return
        if opted_out:
            log.info("Ignored a text from someone who opted out (they can reply START)")
            return
        if word in HELP_WORDS:
            await db(self.reply, [HELP], remember=False)
            return
        if not self.text.strip():
            await db(self.reply, [ONLY_TEXT], remember=False)
            return
        if is_cancel_request(self.text):
            cancelled = await db(self.channels.reminders.cancel, self.person)
            await db(self.reply, [f"Done, I've cancelled {'your reminder' if cancelled == 1 else f'{cancelled} reminders'}."
                                  if cancelled else NO_REMINDERS], remember=False)
            return
        request = parse_reminder(self.text, self.channels.now())
        if request is not None:
            answer = await db(self.channels.reminders.schedule, self.person, self.number, request)
            await db(self.reply, [answer], remember=False)
            return
        choice = sms_text.choice_from_reply(self.text, choices)
        await self._ask_assistant(choice or self.text, choice is None)

    async def _ask_assistant(self, message: str, as_typed: bool = True) -> None:
        """The assistant's turn; `as_typed` when `message` is the text itself (already read
        and triaged), not the payload of a numbered choice."""
        db = asyncio.to_thread
        replies = await self.assistant.handle(sender_id(self.person), message, channel=CHANNEL,
                                              inbound=self.inbound if as_typed else None)
        await db(self._keep_number_for_handover)
        texts = [r["text"] for r in replies if r.get("text")]
        buttons = [b for r in replies for b in (r.get("buttons") or [])]
        if texts or buttons:  # nothing while a helpline worker has the conversation
            await db(self.reply, texts, buttons)

    def _keep_number_for_handover(self) -> None:
        """An open handover needs the number (encrypted) so the worker's replies can be texted."""
        with self.channels.session() as session:
            handover_desk.attach_contact(session, sender_id(self.person), self.channels.identity.encrypt(self.number))
            session.commit()


@router.post("/twilio/sms", response_class=Response)
async def inbound(request: Request, form: dict = Depends(signed_form), channels: TwilioChannels = Depends(get_channels),
                  assistant: Assistant = Depends(get_assistant)) -> Response:
    """The length (it bounds what triage costs), then read and triage the text; then, unless
    it is a crisis, the per-number rate limit; then the turn runs in the background (see the
    module's docstring)."""
    require(form, "From")
    if "Body" not in form:
        raise HTTPException(status_code=400, detail="Missing required field(s): Body. "
                            "This endpoint expects Twilio's webhook parameters.")
    limit = channels.settings.max_message_chars
    if len(form["Body"]) > limit:  # Twilio itself sends at most 1,600 characters
        raise HTTPException(status_code=413, detail=f"The message is too long ({len(form['Body'])} characters; "
                            f"the most I accept is {limit}).")
    inbound = read_message(form["Body"])
    person = channels.identity.hash_number(form["From"])
    if inbound.refused:
        log.info("Refused a text with characters that are not text")
        return await _answer_at_once(channels, person, UNREADABLE)
    if not inbound.is_crisis:
        # A replay (same MessageSid) gets no second reply. A crisis is answered again rather
        # than wait on this database read: a second crisis reply costs nothing.
        if form.get("MessageSid") and not await asyncio.to_thread(first_time, channels, f"sms:{form['MessageSid']}"):
            return _twiml()  # a replay: no second reply
        texts, told = _limiters(request, channels)
        if keyword(inbound.text) not in KEYWORDS and not texts.allow(person):
            log.info("A number is texting too fast; refused a text")
            return await _answer_at_once(channels, person, TOO_FAST) if told.allow(person) else _twiml()
    turn = SmsTurn(channels, assistant, form["From"], form["Body"], inbound=inbound)
    channels.spawn(turn.run(), name="sms-turn")
    return _twiml()


def _twiml(*messages: str) -> Response:
    response = MessagingResponse()
    for message in messages:
        response.message(message)
    return Response(str(response), media_type="application/xml")


async def _answer_at_once(channels: TwilioChannels, person: str, text: str) -> Response:
    """A reply in the webhook's own TwiML (nothing stored, nothing queued, no model), unless
    the number has opted out."""
    if await asyncio.to_thread(channels.is_opted_out, person):
        return _twiml()
    return _twiml(text)


def _limiters(request: Request, channels: TwilioChannels) -> tuple[RateLimiter, RateLimiter]:
    """The per-number limit on texts, and the limit on telling a number it texts too fast
    (once a minute at most: each telling is a text sent)."""
    texts = per_conversation(request.app, "sms", channels.settings.messages_per_minute_per_conversation)
    if not hasattr(request.app.state, "sms_told_limiter"):
        request.app.state.sms_told_limiter = RateLimiter(per_minute=1, burst=1)
    return texts, request.app.state.sms_told_limiter


@router.post("/twilio/sms/status", status_code=204, response_class=Response)
def delivery_status(form: dict = Depends(signed_form),
                    channels: TwilioChannels = Depends(get_channels)) -> Response:
    require(form, "MessageSid", "MessageStatus")
    sid, status = form["MessageSid"], form["MessageStatus"][:32]
    if not first_time(channels, f"sms-status:{sid[:64]}:{status}"):
        return Response(status_code=204)  # this report, again: recorded once
    with channels.session() as session:
        person = session.execute(
            select(OutboxMessage.person_hash).where(OutboxMessage.twilio_sid == sid)
        ).scalar()
        session.add(DeliveryStatus(message_sid=sid[:64], person_hash=person, status=status,
                                   error_code=(form.get("ErrorCode") or None)[:16] if form.get("ErrorCode") else None,
                                   received_at=to_naive_utc(channels.now())))
        if person is not None and status in ("delivered", "undelivered", "failed"):
            session.execute(update(OutboxMessage).where(OutboxMessage.twilio_sid == sid).values(status=status))
        session.commit()
    if status in ("undelivered", "failed"):
        log.warning("Twilio reports message %s %s (error %s)", sid, status, form.get("ErrorCode") or "none")
    return Response(status_code=204)

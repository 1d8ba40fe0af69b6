"""Text messages through Twilio Messaging.

POST /twilio/sms          Twilio's inbound-message webhook (signed). Answers at once with an
                          empty <Response/>; the turn runs in the background and its replies
                          go out through the outbox (Twilio's REST API), so a slow turn never
                          meets Twilio's 15-second webhook limit.
POST /twilio/sms/status   Twilio's delivery reports for what we sent (signed).

A person is "sms:" + a keyed hash of their number (never the number). Before the assistant
sees a message, the channel handles the carrier keywords (STOP, START, HELP), DELETE,
reminders ("remind me on Tuesday at 10", "cancel reminder") and numbered choices ("1").
"""
from __future__ import annotations

import asyncio
import json
import logging
import re

from fastapi import APIRouter, Depends, HTTPException, Response
from sqlalchemy import delete, select, update
from twilio.twiml.messaging_response import MessagingResponse

from channels import sms_text
from channels.dependencies import get_assistant
from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation, to_naive_utc
from channels.reminders import is_cancel_request, parse_reminder
from channels.twilio_common import TwilioChannels, choices_of, first_time, get_channels, require, signed_form
from handover import desk as handover_desk
from waymark.assistant import Assistant

log = logging.getLogger(__name__)
router = APIRouter(tags=["sms"])
EMPTY_TWIML = str(MessagingResponse())
CHANNEL = "twilio_sms"

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "OPTOUT"}
START_WORDS = {"START", "UNSTOP", "SUBSCRIBE"}
HELP_WORDS = {"HELP", "INFO"}
DELETE_WORDS = {"DELETE", "DELETE ME", "DELETE MY DATA", "DELETE MY MESSAGES", "ERASE", "FORGET ME"}

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
SOMETHING_WENT_WRONG = ("Sorry, something went wrong on my side. Please try again in a minute. "
                        "In an emergency call 999.")


def keyword(text: str) -> str:
    return re.sub(r"[^A-Z ]", "", text.upper()).strip()


def sender_id(person_hash: str) -> str:
    return f"sms:{person_hash}"


class SmsTurn:
    """One inbound text, handled in the background."""

    def __init__(self, channels: TwilioChannels, assistant: Assistant, number: str, text: str):
        self.channels, self.assistant = channels, assistant
        self.number, self.text = number, text
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
            try:
                await asyncio.to_thread(self.reply, [SOMETHING_WENT_WRONG], remember=False)
            except Exception:  # noqa: BLE001
                log.exception("Could not even queue the apology")

    async def _run(self) -> None:
        # Every database step runs in a worker thread: the event loop never waits for SQLite's
        # write lock (see waymark.assistant.run_on_this_threads_loop).
        db = asyncio.to_thread
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
        message = sms_text.choice_from_reply(self.text, choices) or self.text
        replies = await self.assistant.handle(sender_id(self.person), message, channel=CHANNEL)
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
async def inbound(form: dict = Depends(signed_form), channels: TwilioChannels = Depends(get_channels),
                  assistant: Assistant = Depends(get_assistant)) -> Response:
    require(form, "From")
    if "Body" not in form:
        raise HTTPException(status_code=400, detail="Missing required field(s): Body. "
                            "This endpoint expects Twilio's webhook parameters.")
    limit = channels.settings.max_message_chars
    if len(form["Body"]) > limit:
        raise HTTPException(status_code=413, detail=f"The message is too long ({len(form['Body'])} characters; "
                            f"the most I accept is {limit}).")
    if form.get("MessageSid") and not await asyncio.to_thread(first_time, channels, f"sms:{form['MessageSid']}"):
        return Response(EMPTY_TWIML, media_type="application/xml")  # a replay: no second reply
    turn = SmsTurn(channels, assistant, form["From"], form["Body"])
    channels.spawn(turn.run(), name="sms-turn")
    return Response(EMPTY_TWIML, media_type="application/xml")


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

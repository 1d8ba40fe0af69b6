"""A warm transfer on a phone call.

The caller hears who they are being put through to and the short summary, and presses 1 to
share it (or 2 not to). The call is then connected with <Dial><Number url=…>: when the
helpline worker answers, Twilio first plays them the whisper (the summary, if the caller
agreed) and only then joins the two. If nobody answers, the caller hears the 24/7 lines.

What a caller says at the consent question is speech like any other: it is read and triaged
first (`waymark.inbound.read_message`), before it is taken for a yes or a no. A crisis ("he's
not breathing", said instead of "yes") gets the crisis reply first, through the assistant, so
it is recorded and the handover is flagged urgent; it is never taken for a yes (no summary is
shared without a plain yes), and the caller is then put through, with a moment to hang up and
call 999 first. Speech that is not text is never passed on: the question is asked again.

POST /twilio/voice/handover?handover=ID        the caller's 1 or 2, or what they said (signed by Twilio)
POST /twilio/voice/whisper?handover=ID         what the worker hears before connecting
POST /twilio/voice/handover/done?handover=ID   how the <Dial> ended
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from twilio.twiml.voice_response import VoiceResponse

import timekeeping
from channels.dependencies import get_assistant
from channels.twilio_common import TwilioChannels, get_channels, require, signed_form
from channels.twilio_voice import VOICE, for_speech
from directory.db import session_scope
from directory.models import Service
from handover import desk, helplines, summary
from handover.conversation import any_time_text
from handover.models import ACTIVE, ENDED, EXPIRED, Handover
from safety.replies import crisis_reply
from waymark.assistant import Assistant
from waymark.inbound import Inbound, read_message

log = logging.getLogger(__name__)
router = APIRouter(tags=["voice"])
CHANNEL = "twilio_voice"
CONSENT_PATH, WHISPER_PATH, DONE_PATH = "/twilio/voice/handover", "/twilio/voice/whisper", "/twilio/voice/handover/done"
RING_SECONDS = 30
CONSENT_QUESTION = "Press 1 to share that, or 2 to be put through without it."
CONSENT_UNREADABLE = "Sorry, I couldn't make that out. " + CONSENT_QUESTION
# Said after the crisis reply, before the caller is put through: the crisis reply may have told
# them to call 999, which they cannot do while this call goes on.
CRISIS_THEN_CONNECT = ("If you need an ambulance or the police, hang up now and call 9 9 9. "
                       "If not, stay on the line: I'm putting you through to a person now.")


def _url(path: str, handover_id: str) -> str:
    return f"{path}?{urlencode({'handover': handover_id})}"


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="application/xml")


async def _facts(app: Any, sender_id: str) -> summary.Facts:
    assistant = getattr(app.state, "assistant", None)
    tracker = await assistant.agent.tracker_store.retrieve(sender_id) if assistant is not None else None
    if tracker is None:
        return summary.Facts()
    return summary.facts_from(tracker.current_slot_values(), [e.as_dict() for e in tracker.events])


def make_transfer(app: Any):
    """The hook the voice channel asks when a caller wants a person (`app.state.voice_transfer`).
    Returns None when no helpline can take the call now: the assistant then gives a number."""

    async def transfer(sender_id: str, form: dict) -> Optional[VoiceResponse]:
        facts = await _facts(app, sender_id)
        offered = await asyncio.to_thread(_offer, app.state.settings.database_url, sender_id, facts)
        if offered is None:
            return None
        handover_id, name, text = offered
        response = VoiceResponse()
        gather = response.gather(input="dtmf speech", num_digits=1, timeout=6, action=_url(CONSENT_PATH, handover_id),
                                 method="POST", action_on_empty_result=True, language=VOICE["language"])
        gather.say(f"I can put you through to a real person at {for_speech(name)} now. So you don't have to "
                   f"repeat yourself, I can tell them this: {for_speech(text)}", **VOICE)
        gather.say(CONSENT_QUESTION, **VOICE)
        response.redirect(_url(CONSENT_PATH, handover_id), method="POST")
        return response

    return transfer


def _ask_consent_again(handover_id: str) -> VoiceResponse:
    response = VoiceResponse()
    gather = response.gather(input="dtmf speech", num_digits=1, timeout=6, action=_url(CONSENT_PATH, handover_id),
                             method="POST", action_on_empty_result=True, language=VOICE["language"])
    gather.say(CONSENT_UNREADABLE, **VOICE)
    response.redirect(_url(CONSENT_PATH, handover_id), method="POST")
    return response


def _offer(database_url: str, sender_id: str, facts: summary.Facts) -> Optional[tuple[str, str, str]]:
    """Record the offer of a person (in a worker thread: it writes). None when no helpline can
    take a call now; else the handover's id, the helpline's name and the summary."""
    now = timekeeping.utc_now()
    with session_scope(database_url) as session:
        choice = helplines.choose(session, facts.persona, timekeeping.as_utc(now))
        if choice is None or not choice.open_now or not choice.voice_number:
            return None
        handover, text = desk.offer_with_summary(session, sender_id, CHANNEL, facts, helpline_id=choice.service.id,
                                                 now=now)
        return handover.id, choice.service.name, text


def _said_yes(digits: str, speech: str) -> bool:
    speech = speech.strip().lower()
    return digits == "1" or speech.startswith(("yes", "yeah", "ok", "okay", "share", "sure"))


def _sender_of(database_url: str, handover_id: str) -> Optional[str]:
    with session_scope(database_url) as session:
        row = session.get(Handover, handover_id)
        return row.sender_id if row is not None else None


@router.post(CONSENT_PATH, response_class=Response)
async def consent(request: Request, handover: str, form: dict = Depends(signed_form),
                  channels: TwilioChannels = Depends(get_channels),
                  assistant: Assistant = Depends(get_assistant)) -> Response:
    """1 (or "yes") shares the summary; anything else, silence included, connects without it.
    What was said is triaged first: a crisis is answered before the caller is put through."""
    require(form, "CallSid")
    digits = (form.get("Digits") or "").strip()
    speech = (form.get("SpeechResult") or "").strip()
    inbound: Optional[Inbound] = read_message(speech) if speech else None
    if inbound is not None and inbound.refused:
        log.info("Refused a speech result with characters that are not text (handover consent)")
        return _twiml(_ask_consent_again(handover))
    spoken: list[str] = []
    if inbound is not None and inbound.is_crisis:
        sender = await asyncio.to_thread(_sender_of, request.app.state.settings.database_url, handover)
        if sender is not None:  # recorded in the conversation; the handover is flagged urgent
            replies = await assistant.handle(sender, inbound.text, channel=CHANNEL, inbound=inbound)
            spoken = [for_speech(r["text"]) for r in replies if r.get("text")]
        if not spoken:  # no such handover: the reviewed wording, straight from the templates
            spoken = [for_speech(t) for t in crisis_reply(inbound.match.type)]
    said_yes = inbound is None or not inbound.is_crisis  # a crisis is never taken for a yes
    said_yes = said_yes and _said_yes(digits, inbound.text if inbound is not None else "")
    return _twiml(await asyncio.to_thread(_put_through, request.app.state.settings.database_url, handover,
                                          said_yes, spoken))


def _put_through(database_url: str, handover: str, said_yes: bool, spoken: list[str]) -> VoiceResponse:
    """Queue the handover with the caller's answer and <Dial> the helpline (in a worker thread:
    it writes). `spoken` (a crisis reply) is said first, then a moment to hang up for 999."""
    now = timekeeping.utc_now()
    with session_scope(database_url) as session:
        row = session.get(Handover, handover)
        service = session.get(Service, row.helpline_id) if row is not None and row.helpline_id else None
        number = helplines.voice_number(service) if service else None
        if row is None or number is None:
            return _nobody(session, "Sorry, I can't put you through just now.", spoken)
        desk.queue(session, row, "yes" if said_yes else "no", now)
        row.status, row.claimed_at, row.claimed_by = ACTIVE, now, f"phone:{service.name}"[:128]
        desk.audit(session, row.id, "voice_transfer", "waymark", row.consent)
        shared = row.consent == "yes"
    response = VoiceResponse()
    for words in spoken:
        response.say(words, **VOICE)
    if spoken:
        response.say(CRISIS_THEN_CONNECT, **VOICE)
    else:
        response.say("Thank you. Putting you through now." + (" I'll tell them what you've told me." if shared else ""),
                     **VOICE)
    dial = response.dial(timeout=RING_SECONDS, action=_url(DONE_PATH, handover), method="POST")
    dial.number(number, url=_url(WHISPER_PATH, handover), method="POST")
    log.info("Voice handover: putting a caller through (summary shared: %s, crisis: %s)", shared, bool(spoken))
    return response


@router.post(WHISPER_PATH, response_class=Response)
def whisper(request: Request, handover: str, form: dict = Depends(signed_form),
            channels: TwilioChannels = Depends(get_channels)) -> Response:
    """Played to the helpline worker only, before the caller is connected."""
    with session_scope(request.app.state.settings.database_url) as session:
        row = session.get(Handover, handover)
        text = (row.summary if row is not None and row.summary else "The caller chose not to share a summary.")
        urgent = ""
        if row is not None and row.urgent and row.crisis_type:
            urgent = (f"This is urgent: the caller said something that sounded like a "
                      f"{row.crisis_type.replace('_', ' ')} crisis, and Waymark gave them its crisis reply. ")
        if row is not None:
            desk.audit(session, row.id, "whisper", "waymark")
    response = VoiceResponse()
    response.say(f"Waymark is putting a caller through. {urgent}{for_speech(text)}", **VOICE)
    return _twiml(response)


def _nobody(session, opening: str, first: tuple | list = ()) -> VoiceResponse:
    response = VoiceResponse()
    for words in first:  # a crisis reply is said before anything else
        response.say(words, **VOICE)
    response.say(f"{opening} {for_speech(any_time_text(session))} Goodbye.", **VOICE)
    response.hangup()
    return response


@router.post(DONE_PATH, response_class=Response)
def dial_done(request: Request, handover: str, form: dict = Depends(signed_form),
              channels: TwilioChannels = Depends(get_channels)) -> Response:
    status = form.get("DialCallStatus", "")
    now = timekeeping.utc_now()
    with session_scope(request.app.state.settings.database_url) as session:
        row = session.get(Handover, handover)
        answered = status == "completed"
        if row is not None:
            row.status, row.ended_at = (ENDED if answered else EXPIRED), now
        if answered:
            response = VoiceResponse()
            response.say("Thank you for calling. Take care. Goodbye.", **VOICE)
            response.hangup()
            return _twiml(response)
        return _twiml(_nobody(session, "I'm sorry, nobody could answer just now."))

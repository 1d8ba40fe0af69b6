"""Phone calls through Twilio Programmable Voice.

POST /twilio/voice         a call comes in: a short greeting and a <Gather> for speech or keys
POST /twilio/voice/turn    each answer (SpeechResult or Digits); silence reprompts, twice at most
POST /twilio/voice/status  the call's status callback (ending a call clears its keypad state)

Every request is signed by Twilio (403 otherwise). What the caller said is read and triaged
first (`waymark.inbound`), before anything else reads it: a crisis is answered first, and is
never taken for a "yes", a keypad choice, a request for a transfer or a goodbye. A speech
result with characters that are not text is never passed on: the caller is asked to say it
again (in TwiML, status 200: Twilio would drop a 4xx's answer and the caller would hear the
call fail). The caller is "voice:" + the keyed hash of
their number, so a person who rings again keeps their context, and no number is stored.
Replies are rewritten for listening (`for_speech`): no links, phone numbers read in groups,
postcodes spelt out, "(sample)" and brackets removed. After a directory answer the caller is
offered the details by text.

Handover (a warm transfer with <Dial>) is not built here. It plugs in through
`app.state.voice_transfer`: an async callable (sender_id, form) -> VoiceResponse or None,
asked whenever the caller wants a person (keypad 2, "talk to a person") or the assistant
sends its handover payload (custom {"handover": ...}; a web chat card is not one). Returning
None keeps the call with the assistant, which gives the helpline's number.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from twilio.twiml.voice_response import VoiceResponse

from channels import sms_text
from channels.dependencies import get_assistant
from channels.models import SmsConversation
from channels.twilio_common import TwilioChannels, choices_of, first_time, get_channels, require, signed_form
from waymark.assistant import Assistant, fail_open_text
from waymark.inbound import UNREADABLE_SPOKEN, Inbound, read_message

log = logging.getLogger(__name__)
router = APIRouter(tags=["voice"])
CHANNEL = "twilio_voice"
VOICE = {"voice": "Polly.Amy", "language": "en-GB"}
TURN_PATH = "/twilio/voice/turn"
MAX_SILENCES = 2
TEXT_DETAILS = "__text_details__"
FIND_SERVICE = '/find_service{"need": "treatment"}'
ASK_HUMAN = "/ask_human"

GREETING = ("Hello, this is Waymark, an automated assistant. I can help you find local support services. "
            "Tell me what you need and where you are, for example a postcode. "
            "Or press 1 to find a service, or 2 to talk to a person.")
MENU = "Tell me what you need, or press 1 to find a service, or 2 to talk to a person."
REPROMPT = "Sorry, I didn't hear anything. "
ANYTHING_ELSE = "Is there anything else? You can say goodbye to end the call."
OFFER_TEXT = "Would you like me to text you these details? Press 1 or say yes."
TEXT_SENT = "Done. I've sent the details by text message."
TEXT_REFUSED = "This number has asked not to get texts from us. If you text START to this number, I can text you again."
GOODBYE = "Thank you for calling Waymark. Take care. Goodbye."
UNKNOWN_KEY = "Sorry, that key doesn't do anything here. "
SOMETHING_WENT_WRONG = ("Sorry, something went wrong on my side. Please ring back in a few minutes. "
                        "In an emergency, hang up and call 9 9 9.")

TransferHook = Callable[[str, dict], Awaitable[Optional[VoiceResponse]]]

_YES = re.compile(r"^\s*(yes|yeah|yep|please|yes please|ok|okay|sure|go on|text me|send it)\b", re.IGNORECASE)
_BYE = re.compile(r"\b(bye|goodbye|that's all|that is all|no thanks?|nothing else|hang up)\b", re.IGNORECASE)
_DAYS = {"Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
         "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}
_MONTHS = {"Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June", "Jul": "July",
           "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October", "Nov": "November",
           "Dec": "December"}
_PHONE = re.compile(r"(?<![\d])(?:\+44\s?)?\d[\d ]{4,}\d(?![\d])")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b")
_SHORT_NUMBERS = re.compile(r"\b(999|111|112|101)\b")  # 101: police non-emergency (issue 20, cuckooing)


def _spell(chars: str) -> str:
    return " ".join(chars)


def _say_number(match: re.Match) -> str:
    raw = match.group().replace("+44", "0").strip()
    groups = raw.split()
    digits = "".join(groups)
    if len(digits) < 6:
        return match.group()
    if len(groups) == 1:  # no spaces given: read it as UK numbers are written
        sizes = {11: (4, 3, 4), 10: (3, 3, 4)}.get(len(digits), (3,) * (len(digits) // 3 + 1))
        groups, rest = [], digits
        for size in sizes:
            if rest:
                groups.append(rest[:size])
                rest = rest[size:]
    return ", ".join(_spell(g) for g in groups)


def for_speech(text: str) -> str:
    """A reply written for reading, rewritten for listening."""
    text = re.sub(r"(https?://|www\.)\S+", "", text)
    text = re.sub(r"\s*\(sample\)", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\(([^()]*)\)", r"\1", text)  # "(Sample listing ...)" -> a plain sentence
    text = re.sub(r"\b(" + "|".join(sorted(_DAYS, key=len, reverse=True)) + r")\b",
                  lambda m: _DAYS[m.group(1)], text)
    text = re.sub(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r")\b", lambda m: f"{m.group(1)} {_MONTHS[m.group(2)]}", text)
    text = re.sub(r"\s*[\u2013\u2014]\s*", " to ", text)
    text = _PHONE.sub(_say_number, text)
    text = _POSTCODE.sub(lambda m: f"{_spell(m.group(1))}, {_spell(m.group(2))}", text)
    text = _SHORT_NUMBERS.sub(lambda m: _spell(m.group(1)), text)
    text = text.replace("&", " and ").replace(";", ",")
    text = re.sub(r"\s{2,}", " ", text)
    return re.sub(r"\s+([.,])", r"\1", text).strip()


def _turn_url(silences: int = 0) -> str:
    return f"{TURN_PATH}?{urlencode({'silences': silences})}"


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="application/xml")


def listen(response: VoiceResponse, *spoken: str, silences: int = 0) -> VoiceResponse:
    """Say things inside a <Gather> (so the caller can answer at any moment) and wait for speech
    or a key. On silence Twilio comes back to the turn with nothing said; the <Redirect> after
    the <Gather> does the same if it ever falls through."""
    gather = response.gather(input="speech dtmf", action=_turn_url(silences), method="POST", timeout=6,
                             speech_timeout="auto", num_digits=1, action_on_empty_result=True,
                             language=VOICE["language"],
                             hints="postcode, drinking, alcohol, drugs, needle exchange, naloxone, talk to a person")
    for words in spoken:
        if words:
            gather.say(words, **VOICE)
    response.redirect(_turn_url(silences), method="POST")
    return response


def hang_up(*spoken: str) -> VoiceResponse:
    response = VoiceResponse()
    for words in spoken:
        response.say(words, **VOICE)
    response.hangup()
    return response


class VoiceState:
    """The keypad choices offered on this call (durable, keyed by the caller's hash)."""

    def __init__(self, channels: TwilioChannels, person: str):
        self.channels, self.person = channels, person

    def load(self) -> list[dict]:
        with self.channels.session() as session:
            row = session.get(SmsConversation, self.person)
            return choices_of(row.voice_choices) if row else []

    def save(self, choices: list[dict]) -> None:
        with self.channels.session() as session:
            self.channels.conversation(session, self.person).voice_choices = json.dumps(choices)
            session.commit()


async def _transfer(request: Request, sender: str, form: dict) -> Optional[VoiceResponse]:
    hook: Optional[TransferHook] = getattr(request.app.state, "voice_transfer", None)
    return await hook(sender, form) if hook is not None else None


def _caller(channels: TwilioChannels, form: dict) -> tuple[str, str]:
    person = channels.identity.hash_number(form["From"])
    return person, f"voice:{person}"


@router.post("/twilio/voice", response_class=Response)
def incoming_call(form: dict = Depends(signed_form), channels: TwilioChannels = Depends(get_channels),
                  assistant: Assistant = Depends(get_assistant)) -> Response:
    require(form, "From", "CallSid")
    person, _ = _caller(channels, form)
    if not first_time(channels, f"call:{form['CallSid']}"):  # a replay: the greeting, nothing reset
        return _twiml(listen(VoiceResponse(), GREETING))
    VoiceState(channels, person).save([])
    log.info("Incoming call")
    return _twiml(listen(VoiceResponse(), GREETING))


@router.post(TURN_PATH, response_class=Response)
async def turn(request: Request, silences: int = Query(0, ge=0, le=100), form: dict = Depends(signed_form),
               channels: TwilioChannels = Depends(get_channels),
               assistant: Assistant = Depends(get_assistant)) -> Response:
    require(form, "From", "CallSid")
    person, sender = _caller(channels, form)
    state = VoiceState(channels, person)
    digits = (form.get("Digits") or "").strip()
    speech = (form.get("SpeechResult") or "").strip()
    # The words first: read and triage them before anything else looks at them (a "yes" to
    # the offer of a text, "a person", "goodbye"), so a crisis is answered first. What is
    # not text is never passed on; the caller is asked to say it again.
    inbound = read_message(speech) if speech else None
    if inbound is not None and inbound.refused:
        log.info("Refused a speech result with characters that are not text")
        return _twiml(listen(VoiceResponse(), UNREADABLE_SPOKEN))
    if inbound is not None and inbound.empty and not inbound.is_crisis and not digits:
        speech, inbound = "", None  # only slashes or spaces: as if nothing was said
    if not digits and not speech:
        silences += 1  # the action URL carries the silences before this one
        if silences > MAX_SILENCES:
            return _twiml(hang_up("I still can't hear anything, so I'll end the call now. Please ring back "
                                  "any time. In an emergency, call 9 9 9. Goodbye."))
        return _twiml(listen(VoiceResponse(), REPROMPT + MENU, silences=silences))
    try:
        return _twiml(await _answer(request, channels, assistant, state, form, sender, digits, inbound))
    except Exception:  # noqa: BLE001 - a caller must never hear a dead line
        log.exception("Voice turn failed")
        try:  # a person to ring (FRANK, from the directory or the verified file) and 999
            apology = for_speech(await asyncio.to_thread(fail_open_text, assistant.database_url))
        except Exception:  # noqa: BLE001
            log.exception("Could not even word the apology")
            apology = SOMETHING_WENT_WRONG
        return _twiml(hang_up(f"{apology} Please ring back in a few minutes."))


async def _answer(request: Request, channels: TwilioChannels, assistant: Assistant, state: VoiceState,
                  form: dict, sender: str, digits: str, inbound: Optional[Inbound]) -> VoiceResponse:
    # A crisis (triaged already) goes to the assistant as said: not read as a "yes" to the
    # offer of a text, a keypad choice, a request for a transfer or a goodbye.
    crisis = inbound is not None and inbound.is_crisis
    speech = inbound.text if inbound is not None else ""
    choices = await asyncio.to_thread(state.load)  # the event loop never waits for the database
    offer = next((c for c in choices if c.get("payload") == TEXT_DETAILS), None)
    message: Optional[str] = None
    if digits and not crisis:
        index = int(digits) - 1 if digits.isdigit() else -1
        if choices:
            message = choices[index]["payload"] if 0 <= index < len(choices) else None
        elif digits == "1":
            message = FIND_SERVICE
        elif digits == "2":
            message = ASK_HUMAN
        if message is None:
            return listen(VoiceResponse(), UNKNOWN_KEY + MENU)
    else:
        message = TEXT_DETAILS if offer and not crisis and _YES.match(speech) else speech
    if message == TEXT_DETAILS and offer:
        await asyncio.to_thread(state.save, [])
        said = await asyncio.to_thread(_text_details, channels, state.person, form["From"], offer.get("texts", []))
        return listen(VoiceResponse(), said, ANYTHING_ELSE)
    wants_person = message == ASK_HUMAN or re.search(r"\b(person|human|someone real|advisor|adviser)\b", message,
                                                     re.IGNORECASE)
    if wants_person and not crisis:
        transfer = await _transfer(request, sender, form)
        if transfer is not None:
            return transfer
    replies = await assistant.handle(sender, message, channel=CHANNEL,
                                     inbound=inbound if inbound is not None and message == speech else None)
    if any((r.get("custom") or {}).get("handover") for r in replies):  # not a web chat card
        transfer = await _transfer(request, sender, form)
        if transfer is not None:
            return transfer
    texts = [r["text"] for r in replies if r.get("text")]
    spoken = [for_speech(t) for t in texts]
    if speech and not crisis and _BYE.search(speech):
        await asyncio.to_thread(state.save, [])
        return hang_up(*(spoken or [GOODBYE]))
    choices = _choices(replies)
    prompts = []
    if any(_PHONE.search(t) for t in texts):  # a directory answer: offer it by text, as key 1
        choices.insert(0, {"title": "text me the details", "payload": TEXT_DETAILS, "texts": texts})
        prompts.append(OFFER_TEXT)
    await asyncio.to_thread(state.save, choices)
    others = [(n, c) for n, c in enumerate(choices, start=1) if c["payload"] != TEXT_DETAILS]
    if others:
        keys = ", or ".join(f"{n} for {sms_text.title_in_sentence(c['title'])}" for n, c in others)
        prompts.append(f"You can also press {keys}." if prompts else f"You can press {keys}. Or just tell me.")
    if not prompts:
        prompts.append(ANYTHING_ELSE if spoken else MENU)
    return listen(VoiceResponse(), *spoken, *prompts)


def _choices(replies: list[dict]) -> list[dict]:
    """The buttons of the replies, as keypad choices (1, 2, ...)."""
    return [{"title": b.get("title", ""), "payload": b["payload"]}
            for r in replies for b in (r.get("buttons") or []) if b.get("payload")]


def _text_details(channels: TwilioChannels, person: str, number: str, texts: list[Any]) -> str:
    if channels.is_opted_out(person):
        return TEXT_REFUSED
    bodies, _ = sms_text.format_replies([str(t) for t in texts])
    with channels.session() as session:
        channels.outbox.enqueue(session, person, bodies, number=number, kind="details")
        session.commit()
    channels.outbox.wake()
    return TEXT_SENT


@router.post("/twilio/voice/status", status_code=204, response_class=Response)
def call_status(form: dict = Depends(signed_form), channels: TwilioChannels = Depends(get_channels)) -> Response:
    require(form, "CallSid", "CallStatus")
    if form["CallStatus"] in ("completed", "busy", "failed", "no-answer", "canceled") and form.get("From"):
        person, _ = _caller(channels, form)
        VoiceState(channels, person).save([])
    return Response(status_code=204)

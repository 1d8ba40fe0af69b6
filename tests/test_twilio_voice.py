"""A phone call end to end: signed Twilio voice webhooks into the real app and model, the
TwiML answers parsed turn by turn as Twilio would read them."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
from support import run_async
from twilio_stub import FROM_NUMBER, open_app, signed_post

from channels.twilio_voice import for_speech

CALLER = "+447700900300"


@pytest.fixture(scope="module")
def phone(settings, assistant, stub):
    client = open_app(settings, assistant, stub)
    yield client
    client.__exit__(None, None, None)


class Call:
    def __init__(self, client, caller: str = CALLER):
        self.client, self.caller, self.sid = client, caller, "CA" + uuid.uuid4().hex
        self.next_url = "/twilio/voice"

    def params(self, **extra) -> dict:
        return {"CallSid": self.sid, "AccountSid": "AC" + "0" * 32, "From": self.caller, "To": FROM_NUMBER,
                "CallStatus": "in-progress", "Direction": "inbound", **extra}

    def post(self, url: str, **extra) -> ET.Element:
        response = signed_post(self.client, url, self.params(**extra))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        root = ET.fromstring(response.text)
        assert root.tag == "Response"
        gather = root.find("Gather")
        if gather is not None:
            self.next_url = gather.get("action")
        return root

    def answer(self, **extra) -> ET.Element:
        """What Twilio does when the caller speaks or presses a key: post to the Gather's action."""
        return self.post(self.next_url, **extra)


def spoken(root: ET.Element) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def assert_listening(root: ET.Element) -> ET.Element:
    gather = root.find("Gather")
    assert gather is not None, ET.tostring(root)
    assert gather.get("input") == "speech dtmf" and gather.get("action").startswith("/twilio/voice/turn")
    assert gather.get("actionOnEmptyResult") == "true"
    assert root.find("Redirect") is not None  # if the Gather ever falls through, the turn still comes back
    return gather


def test_a_whole_call(phone, stub, assistant, handover_time):
    handover_time("2026-11-28T20:00")  # Saturday evening: no helpline to put the caller through to
    call = Call(phone)
    greeting = call.post("/twilio/voice")
    assert_listening(greeting)
    assert "Waymark, an automated assistant" in spoken(greeting)
    assert "press 1 to find a service, or 2 to talk to a person" in spoken(greeting)

    found = call.answer(SpeechResult="I need help with my drinking near LS1 4AP", Confidence="0.92")
    assert_listening(found)
    said = spoken(found)
    assert "Kirkgate Recovery Hub" in said
    assert "0 1 1 3, 4 9 6, 0 1 0 0" in said  # the number read in groups
    assert "(sample)" not in said and "(" not in said and "http" not in said
    assert "Monday to Wednesday" in said  # hours read out in full
    assert "text you these details" in said
    person = phone.app.state.twilio.identity.hash_number(CALLER)
    assert run_async(assistant.has_conversation(f"voice:{person}"))

    sent = call.answer(SpeechResult="yes please", Confidence="0.9")
    assert "sent the details by text" in spoken(sent)
    details = stub.wait_for(CALLER, 2)  # longer than three segments: two texts
    assert "Kirkgate Recovery Hub" in details[0].body and "0113 496 0100" in details[0].body

    silent = call.answer()  # the caller says nothing
    assert "didn't hear anything" in spoken(silent)
    assert_listening(silent)

    keyed = call.answer(Digits="2")  # keypad: talk to a person
    assert "real person" in spoken(keyed)
    assert "0 3 0 0, 1 2 3" in spoken(keyed)  # the helpline's number, in groups
    assert_listening(keyed)

    bye = call.answer(SpeechResult="goodbye", Confidence="0.95")
    assert bye.find("Hangup") is not None and bye.find("Gather") is None
    assert "Take care" in spoken(bye)

    ended = signed_post(phone, "/twilio/voice/status", call.params(CallStatus="completed"))
    assert ended.status_code == 204


def test_keypad_1_finds_a_service(phone):
    call = Call(phone, "+447700900301")
    call.post("/twilio/voice")
    root = call.answer(Digits="1")
    assert_listening(root)
    assert "Where are you?" in spoken(root) or "Nearest" in spoken(root)


def test_silence_reprompts_then_ends_the_call_politely(phone):
    call = Call(phone, "+447700900302")
    call.post("/twilio/voice")
    first = call.answer()
    assert "didn't hear anything" in spoken(first) and "silences=1" in call.next_url
    second = call.answer()
    assert "didn't hear anything" in spoken(second) and "silences=2" in call.next_url
    last = call.answer()
    assert last.find("Hangup") is not None and "9 9 9" in spoken(last)


def test_an_unknown_key_is_explained(phone):
    call = Call(phone, "+447700900303")
    call.post("/twilio/voice")
    root = call.answer(Digits="7")
    assert "that key doesn't do anything" in spoken(root)
    assert_listening(root)


def test_the_handover_extension_point_can_transfer_the_call(phone):
    from twilio.twiml.voice_response import VoiceResponse

    asked = []

    async def transfer(sender, form):
        asked.append(sender)
        response = VoiceResponse()
        response.dial("+441134960999")
        return response

    phone.app.state.voice_transfer = transfer
    try:
        call = Call(phone, "+447700900304")
        call.post("/twilio/voice")
        root = call.answer(Digits="2")
        assert root.find("Dial") is not None and asked and asked[0].startswith("voice:")
    finally:
        phone.app.state.voice_transfer = None


def test_a_listing_with_web_chat_cards_is_read_out_not_taken_for_a_transfer(phone):
    asked = []

    async def transfer(sender, form):
        asked.append(sender)
        return None

    phone.app.state.voice_transfer = transfer
    try:
        call = Call(phone, "+447700900306")
        call.post("/twilio/voice")
        found = call.answer(SpeechResult="I need help with my drinking near LS1 4AP", Confidence="0.92")
        assert "Kirkgate Recovery Hub" in spoken(found) and "openstreetmap" not in spoken(found)
        assert asked == []  # the cards (custom) are not the handover's payload
    finally:
        phone.app.state.voice_transfer = None


def test_voice_requests_must_be_signed_and_complete(phone):
    call = Call(phone, "+447700900305")
    assert signed_post(phone, "/twilio/voice", call.params(), auth_token="wrong").status_code == 403
    assert phone.post("/twilio/voice/turn", data=call.params(SpeechResult="hi")).status_code == 403
    params = {k: v for k, v in call.params().items() if k != "From"}
    missing = signed_post(phone, "/twilio/voice", params)
    assert missing.status_code == 400 and "From" in missing.json()["detail"]


@pytest.mark.parametrize(
    "written, heard",
    [
        ("Ring 0113 496 0100 or just walk in.", "Ring 0 1 1 3, 4 9 6, 0 1 0 0 or just walk in."),
        ("Text 07700900100.", "Text 0 7 7 0, 0 9 0, 0 1 0 0."),
        ("Kirkgate Recovery Hub (sample), 14 Vicar Lane, Leeds, LS1 7AA.",
         "Kirkgate Recovery Hub, 14 Vicar Lane, Leeds, L S 1, 7 A A."),
        ("(Sample listing for the demo, not a real service.)", "Sample listing for the demo, not a real service."),
        ("Hours: Mon\u2013Wed, Fri 9am\u20135pm; Sat 10am\u20131pm.",
         "Hours: Monday to Wednesday, Friday 9am to 5pm, Saturday 10am to 1pm."),
        ("More at https://example.org/service today.", "More at today."),
        ("Last checked 2 Nov 2026.", "Last checked 2 November 2026."),
        ("In an emergency ring 999. Samaritans: 116 123.", "In an emergency ring 9 9 9. Samaritans: 1 1 6, 1 2 3."),
    ],
)
def test_replies_are_rewritten_for_listening(written, heard):
    assert for_speech(written) == heard


# --- issue 18: what the caller said is triaged first ----------------------------------------

def test_a_crisis_said_after_a_directory_answer_is_not_taken_for_yes(phone, stub):
    call = Call(phone, "+447700900310")
    call.post("/twilio/voice")
    offered = call.answer(SpeechResult="I need help with my drinking near LS1 4AP")
    assert "text you these details" in spoken(offered)
    # "ok ..." used to be read as "yes, text me the details" before anything else.
    root = call.answer(SpeechResult="ok my friend has taken an overdose and is not breathing")
    assert spoken(root).startswith("Call 9 9 9") and "recovery position" in spoken(root)
    assert "sent the details" not in spoken(root)
    assert_listening(root)
    assert stub.to("+447700900310") == []


def test_a_crisis_said_with_goodbye_or_a_slash_keeps_the_caller_on_the_line(phone):
    call = Call(phone, "+447700900311")
    call.post("/twilio/voice")
    root = call.answer(SpeechResult="goodbye, I want to kill myself tonight")
    assert root.find("Hangup") is None and "Samaritans" in spoken(root)
    assert_listening(root)
    root = call.answer(SpeechResult="/ my friend has taken an overdose")
    assert spoken(root).startswith("Call 9 9 9")


def test_speech_that_is_not_text_is_asked_again_and_reaches_nothing(phone, assistant):
    call = Call(phone, "+447700900312")
    call.post("/twilio/voice")
    root = call.answer(SpeechResult="hello\u0000")
    assert "couldn't make that out" in spoken(root)
    assert_listening(root)
    person = phone.app.state.twilio.identity.hash_number("+447700900312")
    assert not run_async(assistant.has_conversation(f"voice:{person}"))

"""A caller's words at the handover's consent question are triaged first (issue 18).

"Press 1 to share that, or 2 to be put through without it" is a question a caller may answer
with anything at all: "he's gone blue, he's not breathing" said there used to be read only as
"not a yes" and the call was put through in silence. Signed Twilio webhooks go into the real
app, and what comes back is the TwiML the twilio library wrote for it, read as Twilio reads it:
<Say> in order, then the <Dial>.
"""
from __future__ import annotations

import uuid

import pytest
from rasa.shared.core.events import BotUttered
from test_handover import OPEN
from support import run_async
from test_handover_phone import Call, spoken
from twilio_stub import open_app

from directory.db import session_scope
from handover.models import Handover

OVERDOSE = "he's taken too much and he's not breathing"


@pytest.fixture(scope="module")
def app(settings, assistant, stub):
    client = open_app(settings, assistant, stub)
    yield client
    client.__exit__(None, None, None)


def _asked_for_consent(app, handover_time) -> tuple[Call, str]:
    handover_time(OPEN)
    call = Call(app, f"+4477009006{uuid.uuid4().int % 100:02d}")
    call.post("/twilio/voice")
    asked = call.post("/twilio/voice/turn", Digits="2")
    assert "Press 1 to share that" in spoken(asked)
    return call, asked.find("Gather").get("action")


def _row(settings, consent_url: str) -> Handover:
    with session_scope(settings.database_url) as session:
        row = session.get(Handover, consent_url.split("=", 1)[1])
        session.expunge(row)
        return row


def test_a_crisis_said_at_the_consent_question_gets_the_crisis_reply_before_the_transfer(app, settings,
                                                                                          handover_time):
    call, consent_url = _asked_for_consent(app, handover_time)
    answer = call.post(consent_url, SpeechResult=OVERDOSE, Confidence="0.9")
    says = [say.text or "" for say in answer.iter("Say")]
    assert says[0].startswith("Call 9 9 9 now")  # the overdose reply comes first, read for listening
    assert any("recovery position" in s for s in says) and any("naloxone" in s for s in says)
    assert "hang up now and call 9 9 9" in says[-1]  # a moment to ring 999 before the transfer
    children = [child.tag for child in answer]
    assert children.index("Dial") > max(i for i, tag in enumerate(children) if tag == "Say")  # said, then put through
    assert answer.find("Dial").find("Number").text == "0113 496 0900"
    row = _row(settings, consent_url)
    assert row.urgent and row.crisis_type == "overdose"
    assert row.consent == "no" and row.summary is None  # a crisis is never taken for a "yes"
    whisper = spoken(call.post(answer.find("Dial").find("Number").get("url")))
    assert "urgent" in whisper and "overdose crisis" in whisper  # the worker hears it before the caller


def test_a_crisis_at_the_consent_question_is_recorded_in_the_conversation(app, settings, assistant, handover_time):
    call, consent_url = _asked_for_consent(app, handover_time)
    call.post(consent_url, SpeechResult="i want to end it all tonight", Confidence="0.8")
    row = _row(settings, consent_url)
    assert row.urgent and row.crisis_type == "suicide"
    tracker = run_async(assistant.agent.tracker_store.retrieve(row.sender_id))
    assert tracker.get_slot("urgent") is True and tracker.get_slot("crisis_type") == "suicide"
    said = [e.text or "" for e in tracker.events if isinstance(e, BotUttered)]
    assert any("Samaritans" in line for line in said)  # a worker who opens it later sees what was said


def test_a_plain_yes_at_the_consent_question_still_shares_the_summary(app, settings, handover_time):
    call, consent_url = _asked_for_consent(app, handover_time)
    answer = call.post(consent_url, SpeechResult="yes please", Confidence="0.9")
    assert "Putting you through now" in spoken(answer) and "9 9 9" not in spoken(answer)
    row = _row(settings, consent_url)
    assert row.consent == "yes" and not row.urgent


def test_unreadable_speech_at_the_consent_question_is_asked_again_not_taken_for_an_answer(app, settings,
                                                                                           handover_time):
    call, consent_url = _asked_for_consent(app, handover_time)
    answer = call.post(consent_url, SpeechResult="yes\x00", Confidence="0.9")
    assert "couldn't make that out" in spoken(answer) and "Press 1 to share that" in spoken(answer)
    assert answer.find("Dial") is None and answer.find("Gather").get("action") == consent_url
    assert _row(settings, consent_url).status == "offered"  # nothing decided for them


def test_a_crisis_with_a_stray_byte_at_the_consent_question_is_still_answered(app, settings, handover_time):
    call, consent_url = _asked_for_consent(app, handover_time)
    answer = call.post(consent_url, SpeechResult="my mate has od\x00 and gone blue", Confidence="0.7")
    assert spoken(answer).startswith("Call 9 9 9 now") and answer.find("Dial") is not None
    assert _row(settings, consent_url).urgent

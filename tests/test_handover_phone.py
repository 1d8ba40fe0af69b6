"""Warm handover by text message and by phone: signed Twilio webhooks into the real app, texts
out through a local stub of Twilio's API, and a call put through with <Dial><Number url=…>
so the helpline worker hears the summary before the caller is connected."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select
from test_handover import OPEN, sign_in_as
from test_twilio_sms import settle, text
from twilio_stub import FROM_NUMBER, open_app, signed_post

from directory.db import session_scope
from handover.models import Handover



@pytest.fixture(scope="module")
def app(settings, assistant, stub):
    client = open_app(settings, assistant, stub)
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def agent_headers(app, settings):
    return sign_in_as(app, settings)[1]


def handover_of(settings, sender_prefix: str) -> Handover:
    with session_scope(settings.database_url) as session:
        row = session.scalar(select(Handover).where(Handover.sender_id.like(f"{sender_prefix}%"))
                             .order_by(Handover.created_at.desc()))
        session.expunge(row)
        return row


def test_a_handover_by_text_message(app, stub, settings, agent_headers, handover_time):
    handover_time(OPEN)
    number = f"+4477009003{uuid.uuid4().int % 100:02d}"
    person = "sms:" + app.app.state.twilio.identity.hash_number(number)
    text(app, number, "can I talk to a real person please")
    [offer] = stub.wait_for(number)
    assert "real person at Northern Drug and Alcohol Helpline" in offer.body
    assert "Reply 1 for yes, share it" in offer.body
    settle(app, number=number)
    text(app, number, "1")
    queued = stub.wait_for(number, 2)[-1]
    assert "You're in the queue" in queued.body
    settle(app, number=number)

    row = handover_of(settings, person)
    assert row.channel == "twilio_sms" and row.status == "waiting"
    assert row.contact_encrypted and number not in row.contact_encrypted  # kept, but only encrypted
    assert app.post(f"/console/api/handovers/{row.id}/claim", headers=agent_headers).status_code == 200
    assert "from the helpline has joined" in stub.wait_for(number, 3)[-1].body

    text(app, number, "thanks, i just need to talk")
    settle(app, number=number)
    assert len(stub.to(number)) == 3  # the assistant stays silent while the worker has the conversation
    detail = app.get(f"/console/api/handovers/{row.id}", headers=agent_headers).json()
    assert detail["transcript"][-1] == {**detail["transcript"][-1], "who": "person", "text": "thanks, i just need to talk"}

    sent = app.post(f"/console/api/handovers/{row.id}/messages", headers=agent_headers,
                    json={"text": "I'm listening. Take your time."})
    assert sent.status_code == 201
    worker_text = stub.wait_for(number, 4)[-1].body
    assert worker_text.startswith("Waymark helpline, Sam: ") and worker_text.endswith("I'm listening. Take your time.")

    assert app.post(f"/console/api/handovers/{row.id}/end", headers=agent_headers).status_code == 200
    question = stub.wait_for(number, 5)[-1].body
    assert "Did you get what you needed?" in question and "Reply 1 for yes or 2 for no" in question
    settle(app, number=number)
    assert handover_of(settings, person).contact_encrypted is None  # the number is not kept once it ends
    text(app, number, "1")
    assert "Thank you. I'm glad" in stub.wait_for(number, 6)[-1].body
    settle(app, number=number)
    assert handover_of(settings, person).feedback == "yes"


class Call:
    def __init__(self, client, caller: str):
        self.client, self.caller, self.sid = client, caller, "CA" + uuid.uuid4().hex

    def post(self, url: str, **extra) -> ET.Element:
        params = {"CallSid": self.sid, "AccountSid": "AC" + "0" * 32, "From": self.caller, "To": FROM_NUMBER,
                  "CallStatus": "in-progress", "Direction": "inbound", **extra}
        response = signed_post(self.client, url, params)
        assert response.status_code == 200, response.text
        return ET.fromstring(response.text)


def spoken(root: ET.Element) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def test_a_warm_transfer_on_a_call(app, settings, handover_time):
    handover_time(OPEN)
    call = Call(app, f"+4477009004{uuid.uuid4().int % 100:02d}")
    call.post("/twilio/voice")
    found = call.post("/twilio/voice/turn", SpeechResult="I need help with my drinking near LS1 4AP", Confidence="0.9")
    assert "Kirkgate" in spoken(found)
    asked = call.post("/twilio/voice/turn", SpeechResult="can I talk to a real person", Confidence="0.9")
    said = spoken(asked)
    assert "put you through to a real person at Northern Drug and Alcohol Helpline" in said
    assert "Substance: alcohol" in said and "Press 1 to share that" in said
    consent_url = asked.find("Gather").get("action")
    assert consent_url.startswith("/twilio/voice/handover?handover=")

    connecting = call.post(consent_url, Digits="1")
    assert "Putting you through now" in spoken(connecting)
    dial = connecting.find("Dial")
    number = dial.find("Number")
    assert number.text == "0113 496 0900"  # the helpline's voice number, from the directory
    whisper = call.post(number.get("url"))
    assert "Waymark is putting a caller through" in spoken(whisper) and "Substance: alcohol" in spoken(whisper)
    assert whisper.find("Dial") is None  # the whisper is for the worker only

    nobody = call.post(dial.get("action"), DialCallStatus="no-answer")
    assert "nobody could answer" in spoken(nobody) and "Samaritans" in spoken(nobody)
    assert nobody.find("Hangup") is not None
    handover_id = consent_url.split("=", 1)[1]
    with session_scope(settings.database_url) as session:
        row = session.get(Handover, handover_id)
        assert row.status == "expired" and row.consent == "yes" and row.channel == "twilio_voice"


def test_a_caller_who_does_not_say_yes_is_put_through_without_the_summary(app, settings, handover_time):
    handover_time(OPEN)
    call = Call(app, f"+4477009005{uuid.uuid4().int % 100:02d}")
    call.post("/twilio/voice")
    asked = call.post("/twilio/voice/turn", Digits="2")
    consent_url = asked.find("Gather").get("action")
    connecting = call.post(consent_url)  # silence
    whisper = call.post(connecting.find("Dial").find("Number").get("url"))
    assert "chose not to share a summary" in spoken(whisper)

"""Issue 20 on SMS and voice: the safety facts reach a phone as a text and as speech."""
from __future__ import annotations

from test_twilio_sms import number, sms, text  # noqa: F401 - fixtures and helpers shared with the SMS tests
from test_twilio_voice import Call, phone, spoken  # noqa: F401 - fixtures and helpers shared with the voice tests


def test_withdrawal_safety_arrives_by_text(sms, stub, number):  # noqa: F811
    text(sms, number, "i drink a bottle of vodka every day, can i just stop")
    messages = stub.wait_for(number, 1)
    body = " ".join(m.body for m in messages)
    assert "don't stop suddenly" in body and "fits" in body and "NHS 111" in body


def test_overdose_risk_is_spoken_on_a_call(phone):  # noqa: F811
    call = Call(phone, "+447700900302")
    call.post("/twilio/voice")
    said = spoken(call.answer(SpeechResult="just got out of prison and want to use tonight", Confidence="0.9"))
    assert "tolerance" in said and "naloxone" in said

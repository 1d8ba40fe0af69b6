"""Issue 20, needs 4-7 end to end: the person's own words through the real app, model, actions and
seeded directory, on web chat, SMS and voice.

These pass on the current model: the needs are also read from plain words
(`understanding.wider_topics.NEED_WORDS`), the domestic abuse reply's offer and cuckooing are read
before the dialogue. The model retrained on nlu_data/wider_needs_as_texted.yml tags the needs itself.
"""
from __future__ import annotations

import uuid

from support import chat, say, texts
from test_twilio_sms import number, settle, sms, text  # noqa: F401 - fixtures and helpers shared with the SMS tests
from test_twilio_voice import Call, phone, spoken  # noqa: F401 - fixtures and helpers shared with the voice tests


def test_the_domestic_abuse_reply_keeps_its_offer_of_support_near_them(client):
    crisis, yes, where = chat(client, "my partner hits me", "yes please", "leeds")
    assert "0808 2000 247" in crisis and "I can also help you find support near you." in crisis
    assert "Where are you?" in yes
    assert "Leeds Domestic Abuse Support (sample)" in where and "0113 496 0363" in where
    assert "National Domestic Abuse Helpline free on 0808 2000 247" in where


def test_a_place_straight_after_the_domestic_abuse_reply_is_a_search_there(client):
    _, answer = chat(client, "my boyfriend hit me last night", "im in M14")
    assert "Manchester Domestic Abuse Service (sample)" in answer and "0161 496 0363" in answer


def test_asking_for_domestic_abuse_support_outside_a_crisis_finds_it(client):
    (answer,) = chat(client, "is there a domestic abuse service in leeds")
    assert "You don't have to be in danger right now" in answer and "Leeds Domestic Abuse Support" in answer


def test_money_for_the_bus_finds_advice_and_says_services_may_help_with_fares(client):
    (answer,) = chat(client, "i cant afford the bus to get to my appointments, im in leeds")
    assert "Leeds Welfare Rights and Money Advice (sample)" in answer
    assert "help with the cost of getting to appointments, or can phone you" in answer


def test_hepatitis_and_hiv_testing_finds_a_clinic_and_says_who_else_tests(client):
    (answer,) = chat(client, "anywhere doing hiv and hep c tests round M1")
    assert "Irwell Sexual Health and Hepatitis Clinic (sample)" in answer
    assert "cured with tablets" in answer and "GP, a sexual health clinic" in answer


def test_cuckooing_hears_police_crimestoppers_from_the_directory_and_the_council(client):
    (answer,) = chat(client, "dealers have took over my sons flat what can i do")
    assert "cuckooing" in answer and "call 999" in answer and "police on 101" in answer
    assert "Crimestoppers on 0800 555 111" in answer and "antisocial behaviour team" in answer


def test_domestic_abuse_support_arrives_by_text(sms, stub, number):  # noqa: F811
    text(sms, number, "is there a domestic abuse service in leeds")
    settle(sms, number=number)  # every part of the reply sent: nothing left pending for the next module
    body = " ".join(m.body for m in stub.to(number))
    assert "Leeds Domestic Abuse Support" in body and "0113 496 0363" in body


def test_cuckooing_advice_is_spoken_on_a_call(phone):  # noqa: F811
    call = Call(phone, "+447700900361")
    call.post("/twilio/voice")
    said = spoken(call.answer(SpeechResult="dealers have took over my sons flat what can i do", Confidence="0.9"))
    assert "police on 1 0 1" in said and "Crimestoppers on 0 8 0 0, 5 5 5, 1 1 1" in said


def test_a_home_taken_over_that_reads_as_a_crisis_still_hears_police_and_crimestoppers_after_it(client):
    """Triage treats some cuckooing messages as domestic abuse (safety first: the crisis reply is
    sent); the police, Crimestoppers and council facts follow it instead of being lost."""
    replies = say(client, "i think my brother is being cuckooed", uuid.uuid4().hex)
    answer = texts(replies)
    assert "999" in answer and "Crimestoppers" in answer and "0800 555 111" in answer
    assert answer.index("999") < answer.index("Crimestoppers")

"""Follow-ups, asking for a person, and frontline staff, as people text them (issue 19).

Held-out journeys were weakest at "any more?" after a listing, "wots there numba", opening hours
and "can i just turn up", asking for a real person, and a GP receptionist or probation officer
asking for a patient or client. These conversations (written for this file, typed the way people
text) check what the person sees: the word rules first, without the model, then journeys through
the real app. The clock is a weekday at 11:00, so the sample helplines and services are open.
"""
from __future__ import annotations

import pytest
from support import a_week_after_the_sample_was_checked, chat

from actions import listing_words, risk_words
from actions.context import PRO, about_young_person, detect_persona
from understanding import follow_ups
from understanding.who_what_where import wants_a_person


@pytest.fixture(autouse=True)
def open_hours():
    a_week_after_the_sample_was_checked()


# --- the words, without the model ----------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("any more?", "others"), ("is that the only one", "others"), ("others?", "others"), ("more please", "others"),
    ("wat else is there", "others"), ("nothing closer?", "others"), ("show me the rest", "others"),
    ("give me a few more", "others"), ("anythin else", "others"), ("only one?", "others"),
    ("wots there numba", "phone"), ("how do i get in touch with them", "phone"), ("fone number pls", "phone"),
    ("do u have there contact details", "phone"),
    ("which days", "hours"), ("when can i go", "hours"), ("is it open bank holidays", "hours"),
    ("how late do they stay open", "hours"), ("what time does it shut", "hours"),
    ("can i just turn up", "features"), ("do i need to book", "features"), ("walk in?", "features"),
    ("women only?", "features"), ("can i bring my baby", "features"), ("do i have to make an appointment", "features"),
    ("is it ok to just show up", "features"),
    ("tell me more", None), ("more than i can handle", None),
])
def test_texted_follow_ups_are_read(text, kind):
    found = follow_ups.follow_up(text)
    assert (found.kind if found else None) == kind


def test_turning_up_is_asked_as_walking_in():
    assert follow_ups.follow_up("can i just turn up").feature == "walk-in"
    assert follow_ups.follow_up("walk in?").feature == "walk-in"


@pytest.mark.parametrize("text", [
    "can i talk to a real person", "is there someone i can speak to", "i dont want a bot i want a human",
    "can i speak to an actual person pls", "put me through to someone", "ok. is there anyone i can actually talk to",
    "i need someone to talk to", "r u a bot? i want a person",
])
def test_asking_for_a_person_in_words(text):
    assert wants_a_person({"text": text, "intent": {"name": "find_service", "confidence": 0.6}, "entities": []})


@pytest.mark.parametrize("text", [
    "my son wont talk to anyone", "can i speak to someone there", "can i speak to them", "whats their number",
    "i talk to my mum about it", "/ask_human",
])
def test_not_asking_for_a_person(text):
    assert not wants_a_person({"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []})


def test_a_search_with_a_place_is_not_read_as_asking_for_a_person():
    parse = {"text": "talk to someone about my drinking in LS9", "entities": [{"entity": "place", "value": "LS9"}]}
    assert not wants_a_person(parse)


@pytest.mark.parametrize("text", [
    "probation officer here. guy on my books needs help with heroin when he gets out, LS11",
    "hostel worker here one of our lads is using spice LS10", "pharmacist here - customer asking about rehab",
    "im a custody nurse, detainee wants help with crack leeds", "custody sergeant, bloke in the cells wants drug help",
    "support worker. client wants detox", "receptionist at a gp surgery, patient asking about drink help",
    "im his probation officer", "i'm the pharmacist at a chemist in LS6", "hi, gp receptionist here",
])
def test_frontline_staff_who_start_with_their_job(text):
    assert detect_persona(text) == PRO


@pytest.mark.parametrize("text", [
    "my probation officer told me to get help", "the pharmacist gave me this number", "worker at the hub was rude",
    "im in police custody", "is the worker here nice", "nurse told me to text",
])
def test_people_who_mention_staff_are_not_staff(text):
    assert detect_persona(text) != PRO


def test_a_teacher_writing_about_a_year_10_is_asking_about_a_young_person():
    assert about_young_person("one of my year 10s is smoking weed")


def test_the_release_warning_for_a_worker_is_about_their_client():
    from understanding import risky_moments

    reply = risk_words.topic_reply(risky_moments.OVERDOSE_RISK, for_worker=True)
    assert "their old amount" in reply and "your tolerance" not in reply


def test_no_more_names_what_was_given_and_a_line():
    reply = listing_words.no_more_reply(["Kirkgate Recovery Hub", "Headingley Pharmacy"], "FRANK", "0300 123 6600")
    assert "Kirkgate Recovery Hub and Headingley Pharmacy" in reply and "0300 123 6600" in reply


# --- journeys through the real app --------------------------------------------------------------

def test_any_more_after_a_listing_names_new_places(client):
    first, more = chat(client, "alcohol help ls1", "more please")
    assert "Kirkgate Recovery Hub" in first
    assert "more option" in more or "another option" in more, more
    assert "Kirkgate Recovery Hub" not in more


def test_others_when_all_the_needle_exchanges_were_given_says_which_and_a_line(client):
    first, others = chat(client, "where can i get clean needles in leeds", "ok and any others")
    assert "Headingley Pharmacy" in first
    assert "That's all I have near there: Kirkgate Recovery Hub" in others and "FRANK" in others, others


def test_others_after_the_only_detox_unit_gives_the_local_service_that_arranges_one(client):
    first, others = chat(client, "i need a detox leeds", "show me the rest")
    assert "Aire Inpatient Detox Unit" in first
    assert "local drug and alcohol service" in others and "Kirkgate Recovery Hub" in others, others


@pytest.mark.parametrize("follow_up", ["wots there numba", "how do i get in touch with them", "fone number pls"])
def test_the_number_asked_for_as_texted(client, follow_up):
    _, reply = chat(client, "help with drinking LS1", follow_up)
    assert "0113 496 0100" in reply, reply


def test_which_days_gives_the_hours(client):
    _, reply = chat(client, "need help drinking LS1", "which days")
    assert "Kirkgate Recovery Hub" in reply and ("Thu" in reply or "open" in reply.lower()), reply


def test_can_i_just_turn_up_is_answered_about_walking_in(client):
    _, reply = chat(client, "drug help LS1", "can i just turn up")
    assert "Kirkgate Recovery Hub" in reply and "walk" in reply.lower(), reply


@pytest.mark.parametrize("opening", [None, "need help with heroin LS1"])
def test_is_there_someone_i_can_speak_to_starts_the_handover(client, opening):
    messages = ([opening] if opening else []) + ["is there someone i can speak to"]
    reply = chat(client, *messages)[-1]
    assert "real person at" in reply, reply


def test_a_gp_receptionist_gets_the_referral_route_not_a_users_reply(client):
    (reply,) = chat(client, "receptionist at a gp surgery, patient asking about drink help leeds")
    assert "How to refer" in reply, reply


def test_a_probation_officer_hears_the_release_warning_about_their_client(client):
    _, reply = chat(client, "hi im a probation officer",
                    "my client is being released to manchester M4 next week, he drinks heavily")
    assert "their old amount" in reply and "your tolerance" not in reply, reply
    assert "where they'll live" in reply
    assert "Piccadilly Recovery Centre" in reply and "Chemsex" not in reply, reply


def test_a_teacher_asking_about_a_pupil_gets_the_young_peoples_service(client):
    (reply,) = chat(client, "teacher here, one of my year 10s is smoking weed every day, leeds")
    assert "Young People" in reply, reply

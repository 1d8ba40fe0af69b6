"""Never silent (issue 19): every rule and form state, met with a message it doesn't expect,
gets a sensible reply, never "something went wrong" and never a queue entry; a form the person
doesn't answer is left politely; who/what/where is acted on whatever the intent; typed answers
to the handover's consent question work; "what happens" questions are answered, not searched.

Every state is reached through its own button payload (so the test does not depend on how the
model classifies a sentence); the unexpected messages are plain words, as people type them."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from support import a_week_after_the_sample_was_checked, run_async, say, texts
from understanding import who_what_where as www
from waymark.inbound import Inbound

# Every intent a rule starts from (bot/rules), as a button would send it.
RULE_STARTS = [
    "/greet", "/goodbye", "/thank", "/bot_challenge", "/ask_human", "/nlu_fallback", "/out_of_scope",
    "/crisis", '/find_service{"need": "treatment"}', "/inform_place",
    '/handover_consent{"choice": "yes"}', '/handover_feedback{"got_help": "yes"}', "/ask_naloxone",
    "/ask_family_support", "/ask_young_people", "/ask_confidentiality", "/ask_referral_route",
    "/request_client_text", "/ask_advocacy", "/ask_complaint", "/ask_legal_advice", "/ask_have_a_say",
    "/ask_housing", "/ask_prison_release", "/ask_pregnancy", "/ask_mental_health", "/ask_employment",
    '/inform_persona{"persona": "family"}', "/ask_open_now", "/ask_phone_number", "/ask_directions",
    "/tell_waiting", "/tell_relapse", "/request_reminder", "/decline_reminder", "/inform_date", "/ask_carer_info",
]
UNEXPECTED = ["whats a good place for a birthday meal round here", "yes please"]
FAILED = ("something went wrong", "asked a helpline worker to look")


def _send(assistant, sender: str, text: str) -> list[dict]:
    inbound = Inbound(text, None, payload=True) if text.startswith("/") else None
    return run_async(assistant.handle(sender, text, inbound=inbound))


def _queued(db_url: str, sender: str) -> bool:
    from directory.db import session_scope
    from handover.models import Handover

    with session_scope(db_url) as session:
        return session.execute(select(Handover).where(Handover.sender_id == sender)).first() is not None


def _open_form(assistant, sender: str):
    tracker = run_async(assistant.agent.processor.get_tracker(sender))
    return tracker.active_loop_name, tracker.get_slot("requested_slot")


@pytest.mark.parametrize("start", RULE_STARTS)
@pytest.mark.parametrize("unexpected", UNEXPECTED)
def test_every_rule_and_form_state_answers_the_unexpected(assistant, seeded_directory, start, unexpected):
    a_week_after_the_sample_was_checked()
    sender = uuid.uuid4().hex
    first = _send(assistant, sender, start)
    assert first and all(r.get("text") for r in first), start
    loop, asked = _open_form(assistant, sender)
    replies = _send(assistant, sender, unexpected)
    said = texts(replies)
    assert replies and said.strip(), (start, unexpected)
    assert not any(f in said for f in FAILED), (start, unexpected, said)
    assert not _queued(seeded_directory, sender) or start.startswith(("/ask_human", "/handover")), (start, said)
    if loop and asked != "persona":  # a form the person doesn't answer is left politely
        assert www.LEFT_FORM[loop] in said, (start, unexpected, said)
        assert _open_form(assistant, sender)[0] is None
    assert "Sorry, I don't know where" not in said and "couldn't work out that date" not in said, said


def test_a_form_left_is_answered_as_a_new_message(assistant):
    sender = uuid.uuid4().hex
    _send(assistant, sender, "/tell_waiting")
    _send(assistant, sender, "LS6")
    _send(assistant, sender, "/request_reminder")
    said = texts(_send(assistant, sender, "thank you"))
    assert www.LEFT_FORM["reminder_form"] in said and "welcome" in said.lower()


def test_typed_yes_to_the_reminder_offer_asks_when(client):
    a_week_after_the_sample_was_checked()
    sender = uuid.uuid4().hex
    say(client, "been waiting ages for an appointment", sender)
    assert "reminder" in texts(say(client, "LS6", sender)).lower()
    assert "When is the appointment" in texts(say(client, "yes please", sender))


# --- who, what and where, acted on whatever the intent -------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("my husband is drinking every night and im at the end of my rope. we're in M4", "Family"),
    ("i'm 15 and smoking weed every day, LS7", "Young People"),
    ("WERE CAN I GET CLEEN NEEDELS LS6", "Needle Exchange"),
])
def test_a_place_with_who_or_what_is_searched(client, text, expected):
    a_week_after_the_sample_was_checked()
    said = texts(say(client, text))
    assert expected in said, said
    assert "Where are you" not in said and "didn't understand" not in said


def test_a_family_member_with_a_remembered_place_gets_family_support(client):
    a_week_after_the_sample_was_checked()
    sender = uuid.uuid4().hex
    say(client, "my daughter is using crack", sender)
    say(client, "we live in manchester M14", sender)
    said = texts(say(client, "what is there for me as her dad", sender))
    assert "Family" in said, said


def test_not_understood_gets_a_clarifying_question_and_yes_searches(client):
    a_week_after_the_sample_was_checked()
    sender = uuid.uuid4().hex
    replies = say(client, "my brother, M4", sender)
    said = texts(replies)
    if "Is this about" in said:  # the clarifying question, built from what was understood
        assert "near M4" in said
        assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "Something else", "Talk to a person"]
        said = texts(say(client, "yes", sender))
    assert "Family" in said or "Nearest" in said, said


def test_yes_please_out_of_nowhere_asks_what_they_need(client):
    said = texts(say(client, "yes please"))
    assert said and not any(f in said for f in FAILED)
    assert said in (www.YES_TO_NOTHING, www.OPEN_QUESTION), said


# --- typed answers to the handover's consent question ----------------------------------------------------

@pytest.mark.parametrize("answer, shared", [("yes", True), ("ok share it", True), ("no dont", False)])
def test_typed_consent_answers_work(client, handover_time, answer, shared):
    handover_time("2026-11-25T11:00")  # a Wednesday morning: the sample live helpline is open
    sender = uuid.uuid4().hex
    offer = texts(say(client, "can i talk to a real person", sender))
    assert "Is that OK" in offer, offer
    said = texts(say(client, answer, sender))
    assert "didn't understand" not in said and "Is this about" not in said, said
    assert "queue" in said.lower() or "waiting" in said.lower() or "ahead" in said.lower(), said
    left = texts(say(client, "leave the queue", sender))
    assert "didn't understand" not in left and "Is this about" not in left, left


# --- questions about what happens are answered, not searched ------------------------------------------------

@pytest.mark.parametrize("text", [
    "what actually happens at your first appointment with the drug team",
    "do i have to get a referral off my doctor first",
    "i want to quit the booze today but i get really bad shakes, is that dangerous",
])
def test_what_happens_questions_are_answered(client, text):
    said = texts(say(client, text))
    assert "Where are you" not in said, said
    assert any(w in said for w in ("appointment", "self-referral", "fits", "GP", "confidential")), said

"""Who, what and where (understanding/who_what_where.py), without a model: what a parse is
acted on as, which entities are dropped, the clarifying question, typed yes/no to a question,
and which messages leave an open form (issue 19)."""
from __future__ import annotations

import json

import pytest

from actions.what_to_expect import FIRST_APPOINTMENT, REFERRAL, WITHDRAWAL, answer_for
from understanding import who_what_where as www


def parse(text, intent="nlu_fallback", confidence=0.4, **entities):
    found = []
    for name, value in entities.items():
        start = text.lower().find(str(value).lower())
        found.append({"entity": name, "value": value, "start": start, "end": start + len(str(value))})
    return {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": found}


# --- a place plus a need, substance or persona is a search of the right kind ----------------------

@pytest.mark.parametrize("text, entities, intent", [
    ("my partner drinks every day and i'm worried sick. we live in manchester M4",
     {"substance": "alcohol", "place": "M4"}, "ask_family_support"),
    ("my wife is drinking herself to death, where can i get support for me? LS6",
     {"substance": "alcohol", "place": "LS6"}, "ask_family_support"),
    ("im 16, drinking loads at weekends and my mates say ive got a problem, leeds LS11",
     {"substance": "alcohol", "place": "LS11"}, "ask_young_people"),
    ("im 17 and using coke, LS9", {"substance": "cocaine", "place": "LS9"}, "ask_young_people"),
    ("need a needle exchange ls1 pls", {"need": "needle-exchange", "place": "LS1"}, "find_service"),
    ("been on the gear 10 years, bradford way", {"substance": "opioids", "place": "Bradford"}, "find_service"),
])
def test_a_place_with_a_what_is_a_search_whatever_the_intent(text, entities, intent):
    for classified in ("nlu_fallback", "greet", "inform_date", "out_of_scope"):
        assert www.act_on(parse(text, classified, 0.5, **entities)) == intent, classified


def test_a_remembered_place_with_a_persona_said_now_is_a_search():
    # "is there anything for me as his mum", after "my son uses crack" / "we're in bristol BS2"
    assert www.act_on(parse("is there anything for me as his mum"), {"place": "BS2"}) == "ask_family_support"


def test_nothing_is_rerouted_without_both_a_what_and_a_where():
    assert www.act_on(parse("my partner drinks every day", substance="alcohol")) is None
    assert www.act_on(parse("LS6", "nlu_fallback", place="LS6")) is None
    assert www.act_on(parse("and coke?", substance="cocaine"), {"place": "LS6"}) is None  # a follow-up, not a search
    assert www.act_on(parse('/find_service{"need": "treatment"}', "find_service", 1.0, need="treatment")) is None


def test_searching_intents_keep_their_route_and_confident_questions_keep_their_answer():
    assert www.act_on(parse("naloxone for my son in LS6", "ask_naloxone", 0.9, need="naloxone", place="LS6")) is None
    assert www.act_on(parse("i need help with my drinking LS6", "find_service", 0.9,
                            substance="alcohol", place="LS6")) is None
    assert www.act_on(parse("will my mum find out if i go, im 15 LS6", "ask_confidentiality", 0.95,
                            place="LS6")) is None
    # ... but a family member starting out gets support in their own right
    assert www.act_on(parse("my partner drinks every day, we live in M4", "inform_place", 0.6,
                            substance="alcohol", place="M4")) == "ask_family_support"
    assert www.act_on(parse("we're in M4, its for my son", "inform_place", 0.9, place="M4"),
                      {"need": "naloxone"}) is None  # within a journey: the journey's need
    assert www.act_on(parse("my son needs help with heroin LS6", "find_service", 0.9, need="treatment",
                            substance="opioids", place="LS6")) is None  # help for him
    # ... and a young person's search is the young people's one
    assert www.act_on(parse("im 15 and need help with weed LS6", "find_service", 0.9,
                            substance="cannabis", place="LS6")) == "ask_young_people"


def test_reroute_keeps_what_it_replaced():
    rerouted = www.reroute(parse("x"), "find_service")
    assert rerouted["intent"]["name"] == "find_service" and rerouted["waymark_rerouted_from"] == "nlu_fallback"


# --- garbage entities are never searched for --------------------------------------------------------

def test_a_need_must_be_a_taxonomy_code():
    kept = www.clean_entities(parse("WERE CAN I GET CLEEN NEEDELS LS1", need="CLEEN", place="LS1")["entities"],
                              "WERE CAN I GET CLEEN NEEDELS LS1")
    assert [e["entity"] for e in kept] == ["place"]
    kept = www.clean_entities([{"entity": "need", "value": "needle-exchange"}], "clean needles")
    assert kept and kept[0]["value"] == "needle-exchange"


def test_a_need_the_model_missed_is_found_in_the_words():
    for text in ("WERE CAN I GET CLEEN NEEDELS LS1", "need clean neddles", "syringes pls", "needle exchange"):
        assert [e["value"] for e in www.needs_in_words([], text)] == ["needle-exchange"], text
    assert [e["value"] for e in www.needs_in_words([], "where do i get nalaxone")] == ["naloxone"]
    assert www.needs_in_words([], "i need help") == []
    named = [{"entity": "need", "value": "housing"}]
    assert www.needs_in_words(named, "needles and housing") == named


@pytest.mark.parametrize("text, value, real", [
    ("im in ls 8", "8", False),
    ("near M 4 please", "4", False),
    ("appointment at 11.30", "11", False),
    ("its at 10:15 tomorrow", "10", False),
    ("at 11 am", "11", False),
    ("im 15 and my mum drinks", "15", True),
    ("i'm 16 in ls 8", "16", True),
    ("aged 14", "14", True),
    ("im 4", "4", False),  # not an age anyone who texts us is
])
def test_an_age_is_never_read_from_a_postcode_or_a_time(text, value, real):
    start = text.index(value)
    entity = {"entity": "age", "value": value, "start": start, "end": start + len(value)}
    assert (www.clean_entities([entity], text) == [entity]) is real


# --- the clarifying question ------------------------------------------------------------------------

def test_the_clarifying_question_is_built_from_what_was_understood():
    u = www.understand(parse("my partner drinks. M4", substance="alcohol", place="M4"))
    text, buttons, offer = www.clarifying_question(u)
    assert "for you, as a family member" in text and "near M4" in text and "drinking" in text
    assert [b["title"] for b in buttons] == ["Yes", "Something else", "Talk to a person"]
    assert json.loads(offer)["intent"] == "ask_family_support"
    u = www.understand(parse("my son is struggling"), {"place": "BS2"})
    assert www.clarifying_question(u)[0] == f"{www.NOT_SURE} Is this about support for you, as a family member, near BS2?"


def test_nothing_understood_asks_an_open_question_with_ways_in():
    text, buttons, offer = www.clarifying_question(www.understand(parse("zxqv")))
    assert text == www.OPEN_QUESTION and offer is None
    assert "Talk to a person" in [b["title"] for b in buttons]


def test_yes_to_the_clarifying_question_is_the_search_it_offered():
    _, _, offer = www.clarifying_question(www.understand(parse("my partner drinks. M4", substance="alcohol",
                                                              place="M4")))
    for yes in (www.YES_PAYLOAD, "yes", "yes please", "yeah", "ok"):
        answered = www.answer_to_clarification(parse(yes, "request_reminder", 0.6), offer)
        assert answered["intent"]["name"] == "ask_family_support", yes
        assert {"entity": "place", "value": "M4"} in answered["entities"]
    assert www.answer_to_clarification(parse("no", "deny", 0.9), offer) is None
    assert www.answer_to_clarification(parse("yes", "affirm", 0.9), None) is None
    assert www.answer_to_clarification(parse("yes", "affirm", 0.9), "not json") is None


def test_typed_yes_and_no_answer_the_question_just_asked():
    reminder = [{"title": "Yes, remind me", "payload": "/request_reminder"},
                {"title": "No thanks", "payload": "/decline_reminder"}]
    assert www.answer_to_offer(parse("yes please", "affirm"), reminder) == ("request_reminder", None)
    assert www.answer_to_offer(parse("nah im ok", "deny"), reminder) == ("decline_reminder", None)
    assert www.answer_to_offer(parse("no thanks", "deny"), reminder) == ("decline_reminder", None)
    assert www.answer_to_offer(parse("tuesday", "inform_date"), reminder) is None
    assert www.answer_to_offer(parse("yes please", "affirm"), [{"title": "x", "payload": "/ask_naloxone"}]) is None
    assert www.answer_to_offer(parse("yes please", "affirm"), None) is None
    assert www.answer_to_offer(parse("/request_reminder", "request_reminder"), reminder) is None  # a tap, not typed


def test_a_yes_the_patterns_miss_is_read_by_the_model_when_it_is_sure():
    reminder = [{"title": "Yes, remind me", "payload": "/request_reminder"},
                {"title": "No thanks", "payload": "/decline_reminder"}]
    sure = parse("that would be a massive help to be honest", "affirm", 0.93)
    assert www.answer_to_offer(sure, reminder) == ("request_reminder", None)
    unsure = parse("that would be a massive help to be honest", "affirm", 0.4)
    assert www.answer_to_offer(unsure, reminder) is None
    assert www.answer_to_offer(parse("i dont think i want that", "deny", 0.9), reminder) == ("decline_reminder", None)
    assert www.says_no(parse("i dont think i want that", "deny", 0.9))
    assert not www.says_no(parse("yes", "deny", 0.9))  # the words win over a wrong guess


def test_a_typed_yes_or_no_answers_any_question_whose_buttons_say_yes_or_no():
    feedback = [{"title": "Yes", "payload": '/handover_feedback{"got_help": "yes"}'},
                {"title": "No", "payload": '/handover_feedback{"got_help": "no"}'}]
    assert www.answer_to_offer(parse("yeah they were great", "affirm", 0.9), feedback) == (
        "handover_feedback", [{"entity": "got_help", "value": "yes"}])
    assert www.answer_to_offer(parse("nope", "deny", 0.9), feedback) == (
        "handover_feedback", [{"entity": "got_help", "value": "no"}])
    client_text = [{"title": "Yes, short version", "payload": "/request_client_text"}]
    assert www.answer_to_offer(parse("ok", "affirm", 0.9), client_text) == ("request_client_text", None)
    broken = [{"title": "Yes", "payload": '/handover_feedback{"got_help": '}]
    assert www.answer_to_offer(parse("yes", "affirm", 0.9), broken) is None


# --- a form the person does not answer is left --------------------------------------------------------

def test_a_where_question_is_left_by_anything_but_a_place():
    for text, intent in (("yes please", "affirm"), ("thank you", "thank"), ("where should I take my friend for dinner",
                         "out_of_scope"), ("can i talk to a person", "ask_human"), ("no", "deny")):
        assert www.leaves_form("find_service_form", "place", parse(text, intent, 0.9)), text
    assert not www.leaves_form("find_service_form", "place", parse("LS6", "inform_place", 0.9, place="LS6"))
    assert not www.leaves_form("find_service_form", "place", parse("Zzyzx", "nlu_fallback", 0.3))
    assert not www.leaves_form("find_service_form", "place", parse("Zzyzx", "out_of_scope", 0.95))
    assert not www.leaves_form("find_service_form", "place", parse("ZZ9 9ZZ", "out_of_scope", 0.6))
    assert www.leaves_form("find_service_form", "place", parse("where should we go for tea tonight", "inform_persona", 0.5))
    assert not www.leaves_form("find_service_form", "place", parse("i live in little snoring", "inform_persona", 0.5))
    assert www.leaves_form("find_service_form", "place", parse("is there anything for me as his mum", "nlu_fallback", 0.4))
    assert not www.leaves_form("find_service_form", "place", parse("leeds", "find_service", 0.6, place="Leeds"))


def test_a_when_question_is_left_by_anything_but_a_day():
    for text, intent in (("thank you", "thank"), ("yes please", "affirm"), ("my hangover is killing me", "crisis")):
        assert www.leaves_form("reminder_form", "appointment_date", parse(text, intent, 0.9)), text
    for text, intent in (("next tuesday", "inform_date"), ("14 march", "nlu_fallback"), ("its on fri", "nlu_fallback")):
        assert not www.leaves_form("reminder_form", "appointment_date", parse(text, intent, 0.5)), text


def test_who_is_it_for_can_be_ignored_without_leaving():
    assert not www.leaves_form("find_service_form", "persona", parse("yes please", "affirm", 0.9))
    assert www.leaves_form("find_service_form", "persona", parse("bye", "goodbye", 0.9))


# --- questions about what happens are answered ---------------------------------------------------------

def test_what_happens_questions_get_their_answer():
    assert answer_for("what happens at the first appointment at a drug service") == FIRST_APPOINTMENT
    assert answer_for("do i need my gp to refer me") == REFERRAL
    assert answer_for("will my gp find out if i go to a drug service") is None  # confidentiality's own answer
    assert answer_for("is it private") is None and answer_for("will they tell my parents") is None
    assert answer_for("i want to stop drinking today but i get the shakes and i'm scared of fits") == WITHDRAWAL

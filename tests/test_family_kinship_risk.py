"""Kinship carers, cuckooing, family members asking for themselves, overdose risk at the risky
moments, services by name, money for fares and the drink check, as people text them (issues 19
and 20). The word rules first (plain, fast), then whole conversations through the real app, model,
actions and seeded directory, asserting what the person sees."""
from __future__ import annotations

import pytest

from actions import risk_words
from actions.carers import is_kinship_carer
from actions.context import detect_persona
from understanding import follow_ups, risky_moments as rm, who_what_where, wider_topics

from support import chat

# --- who is writing -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "is there anything for me, his dad, im not coping",
    "my wife drinks every night and im at the end of my rope, is there any support for me",
    "i need help for me. my partner is an alcoholic",
    "my husbands on spice and i cant take anymore",
    "mum drinks all day and i'm 24",
    "hi im an aunt bringing up my brothers 3 boys",
    "is there anything for grandparents raising grandkids because of drugs",
])
def test_a_family_member_asking_for_themselves_is_family_not_the_one_who_uses(text):
    assert detect_persona(text) == "family"


@pytest.mark.parametrize("text", [
    "is there help for me", "i need help", "my friends say im an alcoholic but i only drink at weekends",
    "my mates think i use too much coke",
])
def test_help_for_me_alone_or_friends_talking_about_me_is_not_family(text):
    assert detect_persona(text) != "family"


def _parse(text, intent="find_service", confidence=0.9, entities=()):
    return {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities)}


def test_after_a_search_for_the_son_the_dad_asking_for_himself_gets_family_support():
    slots = {"persona": "family", "place": "LS8", "need": "treatment"}
    assert who_what_where.act_on(_parse("is there anything for me, his dad, im not coping"), slots) == \
        "ask_family_support"
    assert who_what_where.act_on(_parse("is there anything for me"), slots) == "ask_family_support"
    assert who_what_where.act_on(_parse("i use too, is there help for me"), slots) is None
    assert who_what_where.act_on(_parse("is there anything for me"), {**slots, "persona": "self"}) is None


def test_someone_who_says_they_are_24_is_not_sent_to_the_young_peoples_service():
    place = {"entity": "place", "value": "leeds"}
    parse = _parse("mum drinks all day and i'm 24, i need someone to talk to about it. leeds", "ask_young_people",
                   entities=[place])
    assert who_what_where.act_on(parse, {}) == "ask_family_support"


# --- kinship carers -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "my nan has had my daughters 2 kids since she went back on the gear, is there help for her",
    "my grandaughter lives with us now because my son is using drugs",
    "my grandson has lived with me since he was 2, his parents both use",
    "hi im an aunt bringing up my brothers 3 boys, he's on the methadone",
    "im 19 and bringing up my little brother because mum is on the gear",
    "weve had the grandkids full time for 2 years",
])
def test_kinship_carers_are_heard_in_their_own_words(text):
    assert is_kinship_carer(text)


@pytest.mark.parametrize("text", [
    "my grandson has got a drug problem", "ive got a grandson on heroin", "my daughter has had a relapse",
    "i have got my grandkids this weekend", "ive had my nephew staying over",
])
def test_a_grandchild_or_a_visit_is_not_kinship_care(text):
    assert not is_kinship_carer(text)


# --- cuckooing ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "theres lads using my brothers flat to deal from and he cant get them out",
    "some blokes moved into my flat and are selling from it i dont know what to do",
    "these people wont leave my place, they use it to sell crack and i owe them",
    "how do i report people dealing out of my neighbours flat without them knowing it was me",
    "my dad lets dealers stay at his house in exchange for gear",
    "theres always people coming and going from my flat, my ex's mates took it over to deal",
])
def test_a_home_taken_over_is_heard_in_more_ways(text):
    assert wider_topics.topic(text) == wider_topics.CUCKOOING


@pytest.mark.parametrize("text", [
    "my son sells drugs from his room", "my mum wont leave the house since my brother started on crack",
    "dealers outside my house", "lads staying at my house",
])
def test_everyday_talk_of_homes_and_dealing_is_not_cuckooing(text):
    assert wider_topics.topic(text) is None


def test_to_deal_is_not_the_town_of_deal_but_in_deal_is():
    text = "theres lads using my brothers flat to deal from"
    start = text.index("deal")
    dropped = who_what_where.clean_entities([{"entity": "place", "value": "Deal", "start": start,
                                              "end": start + 4}], text)
    assert dropped == []
    text = "i live in deal"
    kept = who_what_where.clean_entities([{"entity": "place", "value": "Deal", "start": 10, "end": 14}], text)
    assert kept and kept[0]["value"] == "Deal"


# --- risky moments and the drink check ------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("got out of strangeways this morning. where can i get my script sorted", rm.OVERDOSE_RISK),
    ("my partner is coming home from prison next month and used to inject", rm.OVERDOSE_RISK),
    ("im out on licence from monday", rm.OVERDOSE_RISK),
    ("i have a bottle of wine every night after work is that too much", rm.DRINK_CHECK),
    ("is 3 glasses of wine a night a problem", rm.DRINK_CHECK),
    ("my friends say im an alcoholic but i only drink at weekends, how do i know", rm.DRINK_CHECK),
    ("the beer is bad here", None),
    ("is it ok to drink on methadone", None),
])
def test_more_risky_moments_and_drink_checks_from_the_words(text, expected):
    assert rm.topic(text) == expected


def test_tolerance_is_said_about_him_to_his_family_and_to_you_about_yourself():
    assert rm.about_someone_else("my son gets out of hmp leeds on friday, hes been clean inside", "family")
    assert rm.about_someone_else("my partner is coming home from prison next month", "family")
    assert not rm.about_someone_else("im getting out friday, my mum is worried", "family")
    assert not rm.about_someone_else("he gets out friday", "self")
    others = risk_words.topic_reply(rm.OVERDOSE_RISK, about_someone_else=True)
    for fact in ("tolerance", "their old amount can kill them", "use much less", "don't use alone",
                 "carry naloxone", "naloxone kit for the house"):
        assert fact in others
    assert "your old amount can kill you" in risk_words.topic_reply(rm.OVERDOSE_RISK)


def test_a_drink_check_is_a_search_for_alcohol_help():
    entities = rm.with_alcohol([], "is 3 glasses of wine a night a problem")
    assert {"entity": "substance", "value": "alcohol"}.items() <= entities[0].items()
    assert rm.with_alcohol([], "where is the needle exchange") == []


def test_fares_to_the_drug_service_are_a_money_need():
    text = "i cant afford the bus to get to my appointments at the drug service"
    start = text.index("drug service")
    need = {"entity": "need", "value": "treatment", "start": start, "end": start + len("drug service")}
    assert [e["value"] for e in wider_topics.sharpen_need([need], text)] == ["money-advice"]


def test_no_at_the_start_of_a_sentence_is_not_asking_for_a_phone_number():
    assert follow_ups.follow_up("no i mean for me, i need someone to talk to") is None
    assert follow_ups.follow_up("whats their no").kind == follow_ups.PHONE


# --- services by name -----------------------------------------------------------------------

def _names():
    import yaml

    from directory.names import _FILLER, NamedService, name_words, words_of
    from support import ROOT

    rows = []
    for name in ("sample_area.yml", "national.yml"):
        data = yaml.safe_load((ROOT / "directory" / "sample_data" / name).read_text(encoding="utf-8"))
        rows += [(s["id"], s["name"]) for s in data["services"]]
    from collections import Counter

    words = {i: name_words(n) for i, n in rows}
    counts = Counter(w for ws in words.values() for w in ws)
    return [NamedService(i, n, words[i], frozenset(w for w in words[i] if counts[w] == 1),
                         tuple(w for w in words_of(n) if w not in _FILLER)) for i, n in rows]


@pytest.mark.parametrize("text, service", [
    ("where is leeds carers assessments", "sample-leeds-carers-assessment"),
    ("is the northern drug and alcohol helpline open", "sample-helpline-adults"),
    ("whats the number for families first leeds", "sample-leeds-families"),
    ("can i go to families first", "sample-leeds-families"),
    ("what happens at the first appointment at a drug service", None),
    ("anything for people like me in manchester", None),
    ("how do i get a carers assessment in leeds", None),
])
def test_a_service_is_named_in_full_or_by_its_own_words(text, service):
    from directory.names import best_match

    found = best_match(text, _names())
    assert (found.service_id if found else None) == service


# --- whole conversations through the app ----------------------------------------------------

def test_the_dad_asking_for_himself_after_a_search_for_his_son_gets_family_support(client):
    *_, answer = chat(client, "my son uses crack", "we're in leeds LS8", "is there anything for me, his dad, im not coping")
    assert "Families First Leeds" in answer and "in their own right" in answer


def test_a_grandmother_raising_the_children_is_told_she_is_a_kinship_carer_and_asked_where_she_lives(client):
    first, second = chat(client, "my nan has had my daughters 2 kids since she went back on the gear, is there help for her",
                         "leeds")
    assert "kinship care" in first and "Where do you live?" in first
    assert "Leeds Carers' Assessments" in second or "Families First Leeds" in second


def test_a_grandparent_bringing_up_her_granddaughter_is_a_kinship_carer_and_gets_family_support(client):
    first, second = chat(client, "my grandaughter lives with us now because my son is using drugs, were both in our 70s",
                         "we're in leeds")
    # the child is safe with them: not a crisis (safety/triage.py's kinship veto), a carer's question
    assert "999" not in first and "kinship care" in first
    assert "Families First Leeds" in second
    assert "Kirkgate Recovery Hub" not in second


def test_cuckooing_hears_police_and_crimestoppers_then_an_offer_not_a_guess(client):
    (answer,) = chat(client, "theres lads using my brothers flat to deal from and he cant get them out")
    assert "police on 101" in answer and "Crimestoppers on 0800 555 111" in answer and "council" in answer
    assert "near Deal" not in answer and "not sure I understood" not in answer
    assert "I can find local support too" in answer  # opens plainly: SMS lock screens


def test_a_mother_hears_tolerance_about_her_son_leaving_prison(client):
    (answer,) = chat(client, "my son gets out of hmp leeds on friday, hes been clean inside")
    assert "their old amount can kill them" in answer and "don't use alone" in answer
    assert "naloxone kit for the house" in answer


def test_release_from_strangeways_hears_about_tolerance_and_naloxone(client):
    first, second = chat(client, "got out of strangeways this morning. where can i get my script sorted", "M1")
    assert "tolerance" in first and "naloxone" in first
    assert "Manchester" in second and "couldn't find" not in second


def test_a_break_then_using_is_never_i_didnt_understand(client):
    (answer,) = chat(client, "discharged from hospital today after 2 weeks, i normally use 1g a day")
    assert "tolerance" in answer and "didn't understand" not in answer


def test_the_drink_check_by_amount_then_the_alcohol_service(client):
    first, second = chat(client, "is 3 glasses of wine a night a problem", "leeds")
    assert "14 units a week" in first and "Young people have their own services" not in first
    assert "Nearest to Leeds" in second  # the local service that takes alcohol


def test_a_wife_after_the_crisis_reply_asking_for_herself_gets_family_support(client):
    *_, answer = chat(client, "my husbands on spice and i cant take anymore", "manchester",
                      "no i mean for me, i need someone to talk to")
    # support for her: the family service, or a person at the family line ("someone to talk to")
    assert "Moss Side Family Support" in answer or "Northern Family Line" in answer


def test_the_bus_fare_to_the_drug_service_gets_money_advice(client):
    _, answer = chat(client, "i cant afford the bus to get to my appointments at the drug service", "leeds")
    assert "Leeds Welfare Rights and Money Advice" in answer and "cost of getting to appointments" in answer


def test_a_service_named_in_full_is_found(client):
    (answer,) = chat(client, "where is leeds carers assessments")
    assert "Leeds Carers' Assessments" in answer


def test_where_is_or_how_to_refer_to_a_named_service_is_about_that_service():
    place = [{"entity": "place", "value": "leeds"}]
    where = follow_ups.act_on(_parse("where is leeds carers assessments", entities=place), False,
                              "sample-leeds-carers-assessment")
    assert where and {"entity": "follow_up", "value": follow_ups.ADDRESS} in where[1]
    refer = follow_ups.act_on(_parse("how do i refer to the leeds release and continuity team", "ask_referral_route",
                                     0.8, place), False, "sample-leeds-prison-release")
    assert refer and {"entity": "feature", "value": "self-referral"} in refer[1]
    assert follow_ups.act_on(_parse("where is the nearest needle exchange"), True, None) is None


def test_after_the_cuckooing_facts_a_clear_journey_is_kept_and_a_guess_gives_way_to_an_offer():
    text = "some blokes moved into my flat and are selling from it i dont know what to do"
    assert who_what_where.act_on(_parse(text, "ask_family_support", 0.5), {}) == who_what_where.FALLBACK
    housing = "dealers took over my flat and i need somewhere else to live"
    assert who_what_where.act_on(_parse(housing, "ask_housing", 0.9), {}) is None


def test_leaving_prison_is_said_about_him_to_his_family_with_the_warning_once():
    from test_honest_answers import make_tracker, run, said

    from actions.wider_needs import ActionJourneyIntro

    tracker = make_tracker("my son gets out of hmp leeds on friday", "ask_prison_release",
                           {"need": "prison-release", "persona": "family"})
    answer = " ".join(said(m) for m in run(ActionJourneyIntro(), tracker))
    assert "where they'll live" in answer and "your release date" not in answer
    assert "your body can't take as much" not in answer  # said about him, first, by the risky-moment words
    own = make_tracker("i get out of hmp leeds on friday", "ask_prison_release", {"need": "prison-release"})
    assert "your body can't take as much" in " ".join(said(m) for m in run(ActionJourneyIntro(), own))


def test_fares_named_beside_the_drug_service_are_still_money():
    text = "i cant afford the bus to get to my appointments at the drug service"
    bus, service = text.index("bus"), text.index("drug service")
    needs = [{"entity": "need", "value": "money-advice", "start": bus, "end": bus + 3},
             {"entity": "need", "value": "treatment", "start": service, "end": service + 12}]
    assert [e["value"] for e in wider_topics.sharpen_need(needs, text)] == ["money-advice"]


def test_leaving_prison_where_no_release_team_is_listed_gives_the_local_drug_service(client):
    *_, answer = chat(client, "got out of strangeways this morning. where can i get my script sorted", "M1")
    assert "Piccadilly Recovery Centre" in answer and "couldn't find" not in answer


def test_refer_a_patient_for_a_detox_is_a_search_not_a_question_about_a_named_unit():
    place = [{"entity": "place", "value": "leeds"}]
    text = "how do i refer a patient for alcohol detox in Leeds"
    assert follow_ups.act_on(_parse(text, "ask_referral_route", 0.8, place), False, "sample-leeds-detox-unit") is None


def test_after_the_child_safety_reply_giving_a_town_gets_family_support_not_a_drug_service(client):
    first, second = chat(client, "my son is off his head on gear and hes got the baby on his own tonight",
                         "we're in leeds")
    assert "999" in first  # the crisis reply first
    assert "Families First Leeds" in second and "Kirkgate Recovery Hub" not in second

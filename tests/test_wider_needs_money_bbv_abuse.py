"""Issue 20, needs 4-7, without the model: money and getting there, hepatitis and HIV testing,
domestic abuse outside a crisis, and cuckooing.

The taxonomy and the importer's rules, the sample listings (Ofcom drama numbers), a real SQLite
search, the staff page's filter, the search action's replies against the seeded directory, and
the words read before the dialogue (the domestic abuse reply's offer, cuckooing).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from test_actions_journeys import make_tracker, run, said, slots_of

from actions import wider_needs_words as words
from actions.find_service import ActionFindService
from directory import classify
from directory.taxonomy import NEEDS, term
from understanding import who_what_where, wider_topics
from waymark.app import create_app
from waymark.settings import Settings

MONEY, BBV, ABUSE = "money-advice", "bbv-testing", "domestic-abuse"
SAMPLE = Path("directory/sample_data/sample_area.yml")
NATIONAL = Path("directory/sample_data/national.yml")
DRAMA = re.compile(r"^(0113 496 0\d{3}|0161 496 0\d{3}|07700 900\d{3})$")


@pytest.fixture(autouse=True)
def _directory(seeded_directory):
    return seeded_directory


# --- codes and the importer ------------------------------------------------------------------

def test_the_three_needs_are_taxonomy_codes_with_plain_names():
    for code in (MONEY, BBV, ABUSE):
        assert code in NEEDS and term(f"need:{code}").link_type == "need"
    assert "cuckooing" not in NEEDS  # a topic with its own reply, not a listing to search for


@pytest.mark.parametrize("name, text, code", [
    ("Citizens Advice Leeds", "Free welfare benefits and debt advice, food bank vouchers.", MONEY),
    ("Kirkgate Hub", "Ask about help with fares to appointments and travel costs.", MONEY),
    ("Riverside Clinic", "Dry blood spot testing for hepatitis B and C and HIV; hep B vaccination.", BBV),
    ("City Sexual Health Clinic", "Free and confidential.", BBV),
    ("Safe at Home", "Support for anyone experiencing domestic abuse, with IDVAs and refuge places.", ABUSE),
])
def test_the_importer_files_imported_services_under_the_new_needs(name, text, code):
    assert f"need:{code}" in classify.classify(name, [text]).needs


def test_an_ordinary_treatment_service_is_none_of_them():
    needs = classify.classify("Forward Leeds", ["Drug and alcohol treatment and key work."]).needs
    assert not {f"need:{c}" for c in (MONEY, BBV, ABUSE)} & set(needs)


# --- sample listings -------------------------------------------------------------------------

def _services(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["services"]


@pytest.mark.parametrize("need", [MONEY, BBV, ABUSE])
def test_leeds_and_manchester_each_have_a_sample_listing_with_a_drama_number(need):
    found = [s for s in _services(SAMPLE) if need in s["needs"]]
    assert {s["location"]["city"] for s in found} == {"Leeds", "Manchester"}
    for service in found:
        assert service["name"].endswith("(sample)")
        assert all(DRAMA.match(p["number"]) for p in service["phones"])


def test_the_new_listings_numbers_are_their_own():
    services = _services(SAMPLE)
    ours = [p["number"] for s in services if {MONEY, BBV, ABUSE} & set(s["needs"]) for p in s["phones"]]
    everyone = [p["number"] for s in services for p in s.get("phones", [])]
    assert all(everyone.count(number) == 1 for number in ours)


def test_domestic_abuse_listings_never_show_an_address():
    for service in (s for s in _services(SAMPLE) if ABUSE in s["needs"]):
        assert service["confidential_address"] is True
        assert "self-referral" in service["access"] and "safer time to call you back" in service["application_process"]


def test_crimestoppers_is_a_national_record_with_its_real_number():
    crimestoppers = next(s for s in _services(NATIONAL) if s["id"] == "national-crimestoppers")
    assert crimestoppers["phones"] == [{"number": "0800 555 111", "type": "voice"}]


def test_seeded_directory_finds_each_need_near_leeds_not_general_treatment(seeded_directory):
    from directory import db
    from directory.search import SearchQuery, search

    with db.session_scope(seeded_directory) as session:
        found = {need: [m.service_id for m in search(session, SearchQuery(latitude=53.7985, longitude=-1.5405,
                                                                          need=need))]
                 for need in (MONEY, BBV, ABUSE)}
    assert found[MONEY][:1] == ["sample-leeds-money-advice"]
    assert found[BBV][:1] == ["sample-leeds-bbv-clinic"]
    assert found[ABUSE][:1] == ["sample-leeds-domestic-abuse"]
    assert not any("recovery-hub" in sid for ids in found.values() for sid in ids)


def test_the_staff_page_offers_and_filters_by_the_new_needs(seeded_directory):
    client = TestClient(create_app(Settings(database_url=seeded_directory)))
    choices = client.get("/staff/api/choices").json()["needs"]
    assert choices[BBV] == "Hepatitis and HIV testing and vaccination" and MONEY in choices and ABUSE in choices
    results = client.post("/staff/api/search", json={"area": "Manchester", "need": BBV}).json()
    assert [listing["id"] for listing in results["listings"]][:1] == ["sample-manchester-bbv-clinic"]
    abuse = client.post("/staff/api/search", json={"area": "Leeds", "need": ABUSE}).json()["listings"][0]
    assert abuse["id"] == "sample-leeds-domestic-abuse" and "Confidential" not in (abuse["address"] or "")


# --- the search's replies --------------------------------------------------------------------

def find(need: str, place: str, events=None):
    return run(ActionFindService(), make_tracker(place, "find_service", {"need": need, "place": place},
                                                 events=events))


def test_money_search_gives_local_advice_and_says_services_may_help_with_fares():
    messages, events = find(MONEY, "Leeds")
    text = said(messages)
    assert text.startswith(words.INTRO[MONEY])
    assert "Leeds Welfare Rights and Money Advice" in text and "0113 496 0361" in text
    assert "help with the cost of getting to appointments, or can phone you" in text and "worth asking" in text
    assert slots_of(events)["need"] == MONEY


def test_bbv_search_says_who_tests_and_that_hep_c_is_curable():
    text = said(find(BBV, "M1")[0])
    assert "Irwell Sexual Health and Hepatitis Clinic" in text and "0161 496 0362" in text
    assert "hepatitis B, hepatitis C and HIV" in text and "cured with tablets" in text
    assert "GP, a sexual health clinic, your drug service or a needle exchange" in text


def test_domestic_abuse_search_gives_local_support_and_the_national_helpline_from_the_directory():
    text = said(find(ABUSE, "LS6")[0])
    assert "Leeds Domestic Abuse Support" in text and "0113 496 0363" in text
    assert "National Domestic Abuse Helpline free on 0808 2000 247, day or night" in text
    assert "delete these messages" in text
    assert "Confidential" not in text  # the listing's address is never given


def test_the_introduction_is_said_once_in_a_conversation():
    first, _ = find(MONEY, "Leeds")
    again, _ = find(MONEY, "Manchester", events=[{"event": "bot", "text": first[0]["text"]}])
    assert words.INTRO[MONEY] not in said(again) and "Manchester Money and Benefits Advice" in said(again)


@pytest.fixture
def own_directory(fresh_directory, monkeypatch):
    monkeypatch.setenv("WAYMARK_DATABASE_URL", fresh_directory)
    return fresh_directory


def _close(url: str, need: str) -> None:
    from directory.db import session_scope
    from directory.models import Service

    with session_scope(url) as session:
        for sid in (f"sample-leeds-{need}", f"sample-manchester-{need}"):
            session.get(Service, sid).status = "inactive"


def test_with_no_local_domestic_abuse_service_the_national_helpline_is_offered(own_directory):
    _close(own_directory, "domestic-abuse")
    text = said(find(ABUSE, "Leeds")[0])
    assert "couldn't find a domestic abuse service near Leeds" in text
    assert "National Domestic Abuse Helpline on 0808 2000 247" in text and "FRANK" not in text


def test_with_no_local_money_advice_the_reply_is_honest_about_where_to_ask(own_directory):
    _close(own_directory, "money-advice")
    text = said(find(MONEY, "Leeds")[0])
    assert "couldn't find a money advice service near Leeds" in text
    assert "drug and alcohol service or the council" in text and "phone you" in text


@pytest.mark.parametrize("text", [words.INTRO[MONEY], words.INTRO[BBV], words.INTRO[ABUSE], words.MONEY_WORTH_ASKING,
                                  words.BBV_ELSEWHERE, words.cuckooing_reply("0800 555 111")])
def test_the_replies_read_aloud_plainly(text):
    """Voice speaks them as they are: no brackets, lists, links or symbols to trip over."""
    assert not re.search(r"[()\[\]*#/•]|https?:|\n", text)
    assert all(len(sentence.split()) <= 30 for sentence in re.split(r"(?<=[.!?]) ", text))


# --- words read before the dialogue ----------------------------------------------------------

@pytest.mark.parametrize("text, need", [
    ("is there a foodbank near LS9", MONEY),
    ("i cant afford the bus to get to my script", MONEY),
    ("where can i get a hep c test", BBV),
    ("HIV testing manchester", BBV),
    ("any womens aid in leeds", ABUSE),
    ("my sister is in an abusive relationship", ABUSE),
])
def test_needs_are_read_from_plain_words_when_the_model_misses_them(text, need):
    entities = who_what_where.needs_in_words([], text)
    assert [e["value"] for e in entities if e["entity"] == "need"] == [need]


def test_everyday_mentions_of_money_are_not_a_money_search():
    assert who_what_where.needs_in_words([], "im on universal credit and my son uses heroin, we live in leeds") == []


ABUSE_REPLY = {"crisis": "domestic_abuse"}


def parse(text: str, intent: str = "nlu_fallback", entities=None) -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": 0.4}, "entities": entities or []}


@pytest.mark.parametrize("text", ["yes please", "ok", "yes pls"])
def test_a_yes_after_the_abuse_reply_is_a_search_for_domestic_abuse_support(text):
    acted = wider_topics.after_abuse_reply(parse(text), ABUSE_REPLY)
    assert acted["intent"]["name"] == "find_service"
    assert {"entity": "need", "value": ABUSE} in [{k: e[k] for k in ("entity", "value")} for e in acted["entities"]]


def test_a_yes_the_model_reads_as_affirm_after_the_abuse_reply_is_that_search_too():
    yes = {"text": "that would really help thank you", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    assert wider_topics.after_abuse_reply(yes, ABUSE_REPLY)["intent"]["name"] == "find_service"


def test_a_place_after_the_abuse_reply_searches_for_domestic_abuse_support_there():
    place = [{"entity": "place", "value": "LS6"}]
    acted = wider_topics.after_abuse_reply(parse("im in LS6", "inform_place", place), ABUSE_REPLY)
    assert acted["intent"]["name"] == "inform_place"
    assert [e["value"] for e in acted["entities"]] == ["LS6", ABUSE]


def test_the_abuse_reply_does_not_capture_other_messages():
    assert wider_topics.after_abuse_reply(parse("thank you"), ABUSE_REPLY) is None
    assert wider_topics.after_abuse_reply(parse("yes"), {"crisis": "suicide"}) is None  # "are you safe?" is not this
    assert wider_topics.after_abuse_reply(parse("yes"), None) is None
    own_need = parse("i need clean needles in leeds", "find_service", [{"entity": "need", "value": "needle-exchange"}])
    assert wider_topics.after_abuse_reply(own_need, ABUSE_REPLY) is None


@pytest.mark.parametrize("text", [
    "dealers have took over my sons flat what can i do",
    "some lads are dealing out of my nans house and she cant get rid of them",
    "is it cuckooing if they just stay at mine",
    "county lines lot are using his flat",
    "dealers have moved into my flat",
    "theyre using my flat as a trap house",
    "i owe them money so they sell from my flat",
    "some guys from london are staying at my house selling drugs",
])
def test_cuckooing_gets_the_police_crimestoppers_and_the_council(text):
    assert wider_topics.topic(text) == wider_topics.CUCKOOING
    reply = words.cuckooing_reply("0800 555 111")
    assert "999" in reply and "101" in reply and "Crimestoppers on 0800 555 111" in reply
    assert "without giving your name" in reply and "housing or antisocial behaviour team" in reply


def test_cuckooing_still_names_crimestoppers_without_a_number_and_ignores_other_talk_of_homes():
    assert "call Crimestoppers." in words.cuckooing_reply(None)
    for text in ("im selling my house", "i want to take over my dads flat when he moves", "need help with my drinking",
                 "they are staying at my house for christmas", "lads staying at my house"):
        assert wider_topics.topic(text) is None


def _need(value: str, text: str, said: str) -> dict:
    start = text.index(said)
    return {"entity": "need", "value": value, "start": start, "end": start + len(said)}


def test_a_general_service_word_gives_way_to_the_need_the_words_name():
    text = "is there a domestic abuse service in leeds"
    sharpened = wider_topics.sharpen_need([_need("treatment", text, "service")], text)
    assert [e["value"] for e in sharpened] == [ABUSE]
    text = "drug service near me, i need a hep c test too"
    kept = wider_topics.sharpen_need([_need("treatment", text, "drug service")], text)
    assert [e["value"] for e in kept] == ["treatment"]  # they named a drug service: that stays


def test_money_for_the_bus_to_appointments_is_a_money_search_not_the_waiting_journey():
    text = "i cant afford the bus to get to my appointments"
    read = {"text": text, "intent": {"name": "tell_waiting", "confidence": 0.8},
            "entities": who_what_where.needs_in_words([], text)}
    assert wider_topics.need_over_journey(read)["intent"]["name"] == "find_service"
    waiting = {"text": "been waiting weeks for my appointment", "intent": {"name": "tell_waiting"}, "entities": []}
    assert wider_topics.need_over_journey(waiting) is waiting

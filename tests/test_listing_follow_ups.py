"""Follow-ups on the listing just given, and services asked about by name (issue 19, item 4).

After "I need help with my drinking near LS1 4AP" (Kirkgate Recovery Hub, 14 Vicar Lane) a
person asks "any others?", "what's the address", "does it cost anything", "is it open on
saturday", "do they do naloxone": each is answered about that listing, whatever intent the
model guessed. A service named in a message ("when is kirkgate chemist open") is found by name.
The plain modules are tested first, without the model; then journeys through the real app.
"""
from __future__ import annotations

import uuid

import pytest
from support import say, texts

from directory.names import NamedService, best_match, name_words
from understanding import follow_ups

SEARCH = "I need help with my drinking near LS1 4AP"


# --- the words, without the model ----------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("is there anywhere closer", "others"), ("show me more", "others"), ("that ones too far", "others"),
    ("whats the next nearest", "others"), ("different one please", "others"), ("is there owt else", "others"),
    ("where abouts is it", "address"), ("wots the addy", "address"), ("how do i get hold of them", "phone"),
    ("r they open tmrw", "hours"), ("is it nhs", "cost"), ("can i get the bus there", "directions"),
    ("can i go now", "open_now"), ("do i need a referral", "features"), ("is there anyone else i can talk to", None),
    ("how do i reach them", "phone"), ("email address?", "phone"), ("how can i speak to them", "phone"),
    ("do they speak polish", "language"),
])
def test_other_ways_people_ask_the_same_follow_ups(text, kind):
    found = follow_ups.follow_up(text)
    assert (found.kind if found else None) == kind



@pytest.mark.parametrize("text, kind", [
    ("any others?", "others"), ("are there any more", "others"), ("anywhere else", "others"),
    ("got another option", "others"), ("whats the address", "address"), ("where is it?", "address"),
    ("does it cost anything", "cost"), ("is it free", "cost"), ("how much do they charge", "cost"),
    ("is it open on saturday", "hours"), ("what time do they close", "hours"), ("open this weekend?", "hours"),
    ("is it open now", "open_now"), ("are they open rn", "open_now"), ("how do i get there", "directions"),
    ("when is kirkgate chemist open", "hours"),
    ("which bus goes there", "directions"), ("do they do naloxone", "features"),
    ("can i get needles there", "features"), ("whats their number", "phone"),
    ("where can i get clean needles LS1", None), ("thanks", None), ("hello", None),
])
def test_a_follow_up_is_read_from_its_words(text, kind):
    found = follow_ups.follow_up(text)
    assert (found.kind if found else None) == kind


def test_the_day_and_the_feature_asked_about_are_kept():
    assert follow_ups.follow_up("is it open on sat").day == "saturday"
    assert follow_ups.follow_up("are they open this weekend").day == "weekend"
    assert follow_ups.follow_up("do they do naloxone").feature == "naloxone"
    assert follow_ups.follow_up("do they have women only sessions").feature == "women-only"


def test_a_new_place_or_a_sure_request_for_a_person_is_not_a_follow_up():
    parse = {"text": "any others near LS6", "intent": {"name": "find_service", "confidence": 0.9},
             "entities": [{"entity": "place", "value": "LS6"}]}
    assert follow_ups.act_on(parse, has_listing=True) is None
    parse = {"text": "can someone call me", "intent": {"name": "ask_human", "confidence": 0.95}, "entities": []}
    assert follow_ups.act_on(parse, has_listing=True) is None
    parse = {"text": "any others?", "intent": {"name": "nlu_fallback", "confidence": 0.4}, "entities": []}
    assert follow_ups.act_on(parse, has_listing=False) is None
    assert follow_ups.act_on(parse, has_listing=True)[0] == follow_ups.INTENT


def named(names: list[str]) -> list[NamedService]:
    from collections import Counter

    words = {n: name_words(n) for n in names}
    counts = Counter(w for ws in words.values() for w in ws)
    return [NamedService(str(i), n, words[n], frozenset(w for w in words[n] if counts[w] == 1))
            for i, n in enumerate(names)]


SERVICES = named(["Kirkgate Recovery Hub (sample)", "Aire Alcohol Service (sample)",
                  "Aire Valley Recovery Partnership (sample)", "Headingley Pharmacy Needle Exchange (sample)",
                  "Ancoats Pharmacy Needle Exchange (sample)", "Drinkline", "Moss Side Family Support (sample)"])


@pytest.mark.parametrize("text, name", [
    ("when is kirkgate chemist open", "Kirkgate Recovery Hub (sample)"),
    ("kirkgte recovery", "Kirkgate Recovery Hub (sample)"),
    ("is aire valley open on saturday", "Aire Valley Recovery Partnership (sample)"),
    ("is the aire alcohol service open", "Aire Alcohol Service (sample)"),
    ("headingly pharmacy address", "Headingley Pharmacy Needle Exchange (sample)"),
    ("whats the number for drinkline", "Drinkline"),
    ("where can i get a needle exchange", None), ("is there a recovery service near me", None),
    ("i need family support", None), ("moss", None),
    ("when are they open", None), ("are they open now", None),  # "are" is not "Aire"
])
def test_a_service_is_found_by_the_words_that_tell_it_apart(text, name):
    found = best_match(text, SERVICES)
    assert (found.name if found else None) == name


# --- journeys through the real app --------------------------------------------------------------

def after_search(client, follow_up: str) -> str:
    sender = uuid.uuid4().hex
    first = texts(say(client, SEARCH, sender))
    assert "Kirkgate Recovery Hub" in first
    return texts(say(client, follow_up, sender))


def test_any_others_gives_the_next_options_and_says_when_there_are_no_more(client):
    sender = uuid.uuid4().hex
    assert "Kirkgate Recovery Hub" in texts(say(client, SEARCH, sender))
    others = texts(say(client, "any others?", sender))
    assert "more option" in others or "another option" in others, others
    assert "Kirkgate Recovery Hub" not in others
    assert "Ring 0" in others
    for _ in range(6):
        last = texts(say(client, "any more?", sender))
        if "That's all I have" in last:
            break
    assert "That's all I have" in last


def test_follow_ups_stay_on_the_service_just_given(client):
    """Once, "when are they open" was taken for the name Aire Alcohol Service, and every later
    follow-up answered about it instead of the place just given."""
    sender = uuid.uuid4().hex
    assert "Kirkgate Recovery Hub" in texts(say(client, SEARCH, sender))
    hours = texts(say(client, "when are they open", sender))
    number = texts(say(client, "whats their number", sender))
    assert "Kirkgate" in hours and "Aire" not in hours
    assert "Kirkgate" in number and "0113 496 0100" in number


def test_the_address_of_the_service_just_given(client):
    reply = after_search(client, "whats the address")
    assert "14 Vicar Lane" in reply and "Kirkgate" in reply


def test_the_cost_of_the_service_just_given(client):
    assert "free" in after_search(client, "does it cost anything")


def test_the_hours_on_a_named_day(client):
    reply = after_search(client, "is it open on saturday")
    assert "Saturday" in reply or "today" in reply
    assert "Kirkgate Recovery Hub" in reply


def test_what_the_service_just_given_offers(client):
    reply = after_search(client, "do they do naloxone")
    assert "naloxone" in reply and "Kirkgate Recovery Hub" in reply


def test_a_service_asked_about_by_name_with_no_listing_before(client):
    reply = texts(say(client, "when is kirkgate chemist open"))
    assert "Kirkgate Recovery Hub" in reply
    assert "haven't suggested" not in reply


def test_a_helpline_asked_about_by_name_is_described_as_a_line(client):
    reply = texts(say(client, "whats the address for drinkline"))
    assert "Drinkline" in reply
    assert "private" not in reply


def test_a_new_place_after_a_listing_is_a_new_search(client):
    reply = after_search(client, "any others near LS6")
    assert "Nearest to LS6" in reply or "LS6" in reply


# --- the best match and up to two alternatives (issue 19, item 5) -------------------------------

def a_match(name: str, organization: str, open_now: bool, codes=()):
    from directory.search import ServiceMatch

    return ServiceMatch(service_id=name, name=name, organization=organization, description=None, distance_km=1.0,
                        phone="0113 496 0999", text_number=None, address=None, postcode=None, open_now=open_now,
                        next_opens=None, hours="", self_referral=True, walk_in=False, application_process=None,
                        assured_date=None, stale=False, alert=None, is_sample=True, codes=set(codes))


def test_alternatives_come_from_other_providers_and_the_nearest_open_one_leads_when_the_best_is_closed():
    from datetime import datetime, timezone

    from actions.find_service import alternatives
    from actions.replies import alternatives_reply

    best = a_match("Best", "Org A", open_now=False)
    matches = [best, a_match("Same org", "Org A", True), a_match("Closed", "Org B", False),
               a_match("Open", "Org C", True), a_match("Women", "Org D", True, ["feature:women-only"])]
    chosen = alternatives(matches, best)
    assert [m.name for m in chosen] == ["Open", "Closed"]
    text = alternatives_reply(chosen, best, datetime(2027, 1, 4, 12, tzinfo=timezone.utc))
    assert text.startswith("Open now, and other options:\n")
    assert text.split("\n")[1].startswith("Open, 0.6 miles away. Open now. Ring 0113 496 0999.")
    assert len(text.split("\n")) == 3  # one short line each, for SMS


def test_a_women_only_place_is_an_alternative_only_to_another_women_only_place():
    from actions.find_service import alternatives

    women = ["feature:women-only"]
    best = a_match("Best", "Org A", True, women)
    assert [m.name for m in alternatives([best, a_match("Women", "Org D", True, women)], best)] == ["Women"]


def test_walking_in_is_read_from_the_listing_access_codes(client):
    """The walk-in and self-referral answers once looked for feature codes no listing carries
    (they are access codes), so "can i just walk in" was told no for a walk-in service."""
    reply = after_search(client, "can i just walk in")
    assert "Yes, Kirkgate Recovery Hub" in reply and "walk-in" in reply

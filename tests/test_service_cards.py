"""Service cards (issue 25, item 1): a listing comes with structured data for the web chat,
beside words that are exactly what SMS, voice and plain REST clients get.

Each card's buttons are payloads the web page sends as a message; these tests send them as the
page does and check the answer a person would see.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from actions import cards, replies
from directory.search import ServiceMatch
from support import WEBHOOK, a_week_after_the_sample_was_checked, say, texts

DRINKING_NEAR_LS1 = "I need help with my drinking near LS1 4AP"
MILES = re.compile(r"\d+(\.\d+)? miles")


def _match(**changes) -> ServiceMatch:
    fields = dict(service_id="x", name="Test Service", organization=None, description=None, distance_km=2.0,
                  phone="0113 496 0100", text_number=None, address="1 Test Street, Leeds, LS1 4AP",
                  postcode="LS1 4AP", open_now=True, next_opens=None, hours="Mon–Fri 9am–5pm",
                  self_referral=True, walk_in=True, application_process=None, assured_date=None, stale=False,
                  alert=None, is_sample=True)
    fields.update(changes)
    return ServiceMatch(**fields)


def card_messages(replies_: list[dict]) -> list[dict]:
    return [c for r in replies_ for c in (r.get("custom") or {}).get("cards", [])]


def test_a_card_has_a_tap_to_call_link_a_text_link_and_directions_as_a_link_only():
    now = datetime(2026, 11, 25, 11, 0)
    card = cards.card(_match(text_number="07700 900123"), now, cards.next_steps(False))
    assert card["name"] == "Test Service" and card["distance"] == "1.2 miles away"
    assert card["tel"] == "tel:01134960100" and card["phone"] == "0113 496 0100"
    assert card["sms"] == "sms:07700900123"
    assert card["directions"] == "https://www.openstreetmap.org/search?query=LS1%204AP"
    assert card["status"] == "Open now" and card["opens"] is None
    assert [b["title"] for b in card["buttons"]] == ["Another option", "Opening hours", "How to refer"]


def test_a_closed_card_says_when_it_opens():
    now = datetime(2026, 11, 25, 20, 0, tzinfo=replies.hours.LONDON)
    card = cards.card(_match(open_now=False, next_opens=now + timedelta(hours=13)), now)
    assert card["status"] == "Closed now" and card["opens"].startswith("Opens tomorrow")


def test_a_confidential_place_gets_its_band_and_no_address_or_directions():
    card = cards.card(_match(address=None, distance_km=8.0, distance_band="within 5 miles"), datetime(2026, 11, 25))
    assert card["distance"] == "within 5 miles"
    assert card["address"] is None and card["postcode"] is None and card["directions"] is None
    assert not MILES.search(" ".join(str(v) for v in card.values() if isinstance(v, str)).replace("within 5 miles", ""))


def test_a_professional_is_offered_the_referral_route_and_a_person_only_when_someone_is_there():
    assert cards.next_steps(True, professional=True)[2]["payload"] == "/ask_referral_route"
    assert cards.next_steps(False)[2]["payload"] != "/ask_referral_route"  # a carer is not made a professional
    assert cards.PERSON in cards.next_steps(True) and cards.PERSON not in cards.next_steps(False)


def test_a_search_keeps_its_words_and_adds_a_card_beside_them(client, handover_time):
    handover_time("2026-11-25T11:00")  # a Wednesday morning: the live-handover lines are open
    answer = say(client, DRINKING_NEAR_LS1)
    first = next(r for r in answer if r.get("text"))
    assert first["text"].startswith("Nearest to LS1 4AP: Kirkgate Recovery Hub") and "custom" not in first
    found = card_messages(answer)
    assert len(found) == 1 and found[0]["name"].startswith("Kirkgate Recovery Hub")
    assert found[0]["tel"].startswith("tel:0113496") and found[0]["phone"] in first["text"]
    assert [b["title"] for b in found[0]["buttons"]] == ["Another option", "Opening hours", "How to refer",
                                                         "Talk to a person"]
    # The card message itself has no words: a client that reads only "text" reads it as before.
    assert all("text" not in r for r in answer if r.get("custom"))


def test_no_talk_to_a_person_button_when_nobody_can_take_the_chat(client, handover_time):
    handover_time("2026-11-28T20:00")  # a Saturday evening: no live-handover line is open
    found = card_messages(say(client, DRINKING_NEAR_LS1))
    assert found and "Talk to a person" not in [b["title"] for b in found[0]["buttons"]]
    assert [b["title"] for b in found[0]["buttons"]] == ["Another option", "Opening hours", "How to refer"]


def test_the_card_buttons_work_when_sent_as_a_message(client, handover_time):
    handover_time("2026-11-25T11:00")
    sender = uuid.uuid4().hex
    first = card_messages(say(client, DRINKING_NEAR_LS1, sender))[0]
    payload = {b["title"]: b["payload"] for b in first["buttons"]}

    hours_answer = say(client, payload["Opening hours"], sender)
    assert "Kirkgate Recovery Hub" in texts(hours_answer) and re.search(r"\d(am|pm)", texts(hours_answer))

    refer = texts(say(client, payload["How to refer"], sender))
    assert "Kirkgate Recovery Hub" in refer and "self-referral" in refer

    another = say(client, payload["Another option"], sender)
    assert texts(another).startswith("Here ")
    others = card_messages(another)
    assert others and first["name"] not in {c["name"] for c in others}
    assert others[0]["buttons"] and all(not c["buttons"] for c in others[1:])
    assert all(c["name"] in texts(another) for c in others)  # the words still list them all

    person = texts(say(client, payload["Talk to a person"], sender))
    assert "helpline" in person.lower() or "person" in person.lower()


def test_a_plain_rest_client_reading_only_text_gets_the_same_messages(client):
    a_week_after_the_sample_was_checked()
    web = say(client, DRINKING_NEAR_LS1)
    assert card_messages(web)
    # Stripping the cards leaves the words a plain REST client always had, message for message.
    words = [r for r in web if not r.get("custom")]
    assert all(set(r) <= {"recipient_id", "text", "buttons"} for r in words)


def test_a_confidential_place_card_never_gives_miles(client):
    answer = say(client, "is there a women only drug service near LS7 4AA")
    refuge = [c for c in card_messages(answer) if c["id"] == "sample-leeds-womens-group"]
    assert refuge, "the women's group (confidential address) is the answer here"
    assert refuge[0]["distance"].startswith(("within", "more than")) and not MILES.search(
        refuge[0]["distance"].replace("within 5 miles", "").replace("within 10 miles", ""))
    assert refuge[0]["address"] is None and refuge[0]["directions"] is None


def test_the_card_payloads_are_known_so_triage_passes_them_through():
    from waymark.inbound import KNOWN_PAYLOADS

    steps = cards.next_steps(True) + cards.next_steps(True, professional=True)
    assert {b["payload"] for b in steps} <= KNOWN_PAYLOADS
    assert WEBHOOK == "/webhooks/rest/webhook"


def test_a_professional_card_offers_the_referral_route(client, handover_time):
    handover_time("2026-11-25T11:00")
    sender = uuid.uuid4().hex
    found = card_messages(say(client, "im a social worker, my client needs help with drinking near LS1 4AP", sender))
    refer = next(b for b in found[0]["buttons"] if b["title"] == "How to refer")
    assert refer["payload"] == "/ask_referral_route"
    answer = texts(say(client, refer["payload"], sender))
    assert "refer" in answer.lower() and found[0]["name"] in answer

"""The handover's plain logic on its own: reading consent however it is given, the summary a
worker reads, the helpline chosen for the person and the hour, and an honest wait."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from handover import desk, helplines, summary
from handover.conversation import read_choice
from handover.models import Handover, create_tables


@pytest.mark.parametrize("text, expected", [
    ('/handover_consent{"choice": "yes"}', "yes"),
    ('/handover_consent{"choice": "edit"}', "edit"),
    ("Yes", "yes"), ("yeah", "yes"), ("ok.", "yes"), ("that's fine", "yes"),
    ("no", "no"), ("nah", "no"), ("don't share", "no"),
    ("change it", "edit"), ("cancel", "cancel"), ("i don't want a person now", "cancel"),
    ("where can i get clean needles in leeds", None), ("yes i need help with drinking in leeds", None),
    ('/handover_feedback{"got_help": "yes"}', None),  # another question's answer
    ('/handover_consent{not json', None),
])
def test_consent_is_read_from_buttons_and_plain_words(text, expected):
    assert read_choice(text, "handover_consent", "choice") == expected


@pytest.mark.parametrize("text, expected", [
    ("of course", "yes"), ("yeah thats right thanks", "yes"), ("no i dont want that shared", "no"),
    ("can they ring me instead", "callback"), ("call me back tomorrow", "callback"), ("ill wait", "wait"),
    ("can i change what it says", "edit"), ("my son is on heroin", None),
])
def test_more_of_the_ways_people_answer_the_handover_offer(text, expected):
    assert read_choice(text, "handover_consent", "choice") == expected


@pytest.mark.parametrize("text, expected", [
    ("yeah they were great", "yes"), ("it did thanks", "yes"), ("not really", "no"), ("no they didnt help", "no"),
    ("yes but i still need help with my drinking near leeds please", None),  # a new request, for the dialogue
])
def test_the_feedback_question_is_answered_in_a_few_words(text, expected):
    assert read_choice(text, "handover_feedback", "got_help") == expected


def test_the_summary_says_only_what_is_known_with_the_district_not_the_postcode():
    events = [
        {"event": "user", "text": "need help with drink near LS6 1AB", "parse_data": {"intent": {"name": "find_service"}}},
        {"event": "slot", "name": "last_service_id", "value": "sample-leeds-alcohol-service"},
        {"event": "user", "text": "can i get naloxone", "parse_data": {"intent": {"name": "ask_naloxone"}}},
        {"event": "slot", "name": "crisis_type", "value": "overdose"},
    ]
    facts = summary.facts_from({"persona": "family", "place": "LS6 1AB", "substance": "opioids"}, events)
    text = summary.summary_text(facts, ["Aire Alcohol Service (sample)"])
    assert text.startswith("URGENT: crisis reply sent (overdose).")
    assert "Asking for someone they care about" in text
    assert "Area: LS6." in text and "1AB" not in text
    assert "Substance: opioids." in text
    assert "Asked about: finding a local service, naloxone." in text
    assert "Already offered: Aire Alcohol Service (sample)." in text
    assert len(text) <= summary.MAX_LENGTH


def test_an_empty_conversation_still_gets_an_honest_summary():
    assert summary.summary_text(summary.Facts()) == "Asked to talk to a person. Nothing else said yet."


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=timezone.utc)


def test_the_helpline_fits_the_person_and_the_hour(db):
    family = helplines.choose(db, "family", _at("2026-11-25T11:00"))  # Wednesday morning
    assert family.service.id == "sample-helpline-families" and family.open_now
    adult = helplines.choose(db, "self", _at("2026-11-25T11:00"))
    assert adult.service.id == "sample-helpline-adults" and adult.voice_number == "0113 496 0900"
    # Wednesday 20:30: the family line has closed; an open line beats a closed one that fits better.
    late = helplines.choose(db, "family", _at("2026-11-25T20:30"))
    assert late.service.id == "sample-helpline-adults" and late.open_now
    # Saturday night: everything is closed; the soonest to open is chosen, with when.
    night = helplines.choose(db, "family", _at("2026-11-28T23:00"))
    assert not night.open_now and night.opens_at.hour == 10


def test_the_wait_estimate_is_a_stated_guess_until_there_are_real_waits(db):
    create_tables(db.get_bind())
    now = datetime(2030, 1, 9, 11, 0)  # far from other tests' handovers, whose real waits would count
    mine = Handover(sender_id=uuid.uuid4().hex, channel="rest", status="waiting", created_at=now, queued_at=now)
    ahead = Handover(sender_id=uuid.uuid4().hex, channel="rest", status="waiting", created_at=now,
                     queued_at=now - timedelta(minutes=3))
    urgent = Handover(sender_id=uuid.uuid4().hex, channel="rest", status="waiting", urgent=True, created_at=now,
                      queued_at=now + timedelta(minutes=1))
    db.add_all([mine, ahead, urgent])
    db.flush()
    guess = desk.estimate(db, mine, now)
    assert guess.ahead >= 2 and not guess.measured  # an urgent person goes ahead even when they came later
    for minutes in (4, 6, 20):
        db.add(Handover(sender_id=uuid.uuid4().hex, channel="rest", status="ended", created_at=now,
                        queued_at=now - timedelta(hours=1), claimed_at=now - timedelta(hours=1) + timedelta(minutes=minutes)))
    db.flush()
    measured = desk.estimate(db, mine, now)
    assert measured.measured and measured.minutes == 6 * (measured.ahead + 1)  # the median real wait, per person


def test_two_workers_cannot_both_claim(db):
    create_tables(db.get_bind())
    now = datetime(2026, 11, 25, 11, 0)
    handover = Handover(sender_id=uuid.uuid4().hex, channel="rest", status="waiting", created_at=now, queued_at=now)
    db.add(handover)
    db.flush()
    desk.claim(db, handover.id, "sam", now)
    with pytest.raises(desk.HandoverError, match="active with sam"):
        desk.claim(db, handover.id, "alex", now)

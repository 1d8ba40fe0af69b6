"""The journeys' wording and who-is-asking detection, as plain functions."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions import journey_words as words
from actions.context import detect_age, detect_persona

ACTIONS = Path(__file__).resolve().parent.parent / "actions"


@pytest.mark.parametrize("text, persona", [
    ("its for my son", "family"),
    ("my husband drinks every night", "family"),
    ("im worried about my best mate", "family"),
    ("i want help with my drinking", "self"),
    ("im on the gear", "self"),
    ("my drinking is out of control and my wife is worried", "self"),
    ("how do i refer a patient for detox", "professional"),
    ("im a gp receptionist", "professional"),
    ("one of our residents uses spice", "professional"),
    ("im 15 and my mum drinks", "young-person"),
    ("im a young carer", "young-person"),
    ("where can i get naloxone", None),
    ("LS1 4AP", None),
])
def test_detect_persona(text, persona):
    assert detect_persona(text) == persona


@pytest.mark.parametrize("text, age", [
    ("im 15", 15), ("I'm 16 and", 16), ("17 years old", 17), ("aged 42", 42),
    ("im 5 mins away", None), ("im 2 miles from leeds", None), ("LS11", None), ("i am 3 weeks clean", None),
])
def test_detect_age(text, age):
    assert detect_age(text) == age


def test_referral_route_says_who_how_what_and_eligibility():
    text = words.referral_route("Aire Alcohol Service (sample)", "0113 496 0200",
                                {"access:self-referral", "access:referral-phone", "access:referral-email"},
                                "Name, date of birth.", None, 18, None)
    assert "Refer by phone or by email on 0113 496 0200." in text
    assert "The person can ring them too." in text and "Include: Name, date of birth." in text
    assert "Ages 18 and over." in text
    professional_only = words.referral_route("Custody team", "0113 496 0170", {"access:referral-phone"},
                                             None, "Adults in custody.", None, None)
    assert "you need to refer" in professional_only and "Who it's for: Adults in custody." in professional_only


def test_client_text_fits_in_one_or_two_sms():
    text = words.client_text("Kirkgate Recovery Hub (sample)", "0113 496 0100", True,
                             "14 Vicar Lane, Leeds, LS1 7AA", "Mon–Fri 9am–5pm")
    assert "(sample)" not in text and "walk in" in text and len(text) <= 306


def test_directions_never_give_a_confidential_address():
    text = words.directions_reply("Women's group", None, None, "0113 496 0700", words.CONFIDENTIAL)
    assert "private" in text and "0113 496 0700" in text


def test_a_line_is_described_as_a_line_never_as_a_private_address():
    """Issue 19: "Drinkline keeps its address private to keep people safe"."""
    line = words.directions_reply("Drinkline", None, None, "0300 123 1110", words.LINE, None,
                                  "open 24 hours, every day")
    assert line == ("Drinkline is a phone line, so there's no address to visit. Ring 0300 123 1110. "
                    "Open 24 hours, every day.")
    both = words.directions_reply("FRANK", None, None, "0300 123 6600", words.LINE, "82111", "")
    assert "phone line" in both and "Ring 0300 123 6600 or text 82111." in both
    texts = words.directions_reply("Shout", None, None, None, words.LINE, "85258", "")
    assert texts.startswith("Shout is a text line") and "Text 85258." in texts
    unknown = words.directions_reply("Some service", None, None, "0113 496 0555")
    assert unknown.startswith("I don't have an address for Some service.") and "Ring 0113 496 0555" in unknown
    for text in (line, both, texts, unknown):
        assert "private" not in text and "safe" not in text


def test_carer_wording_follows_the_design_facts():
    adult = words.carer_intro("family")
    assert "free" in adult and "your needs" in adult and "doesn't want help" in adult
    assert "young carer's needs assessment" in words.carer_intro("young-person")
    assert "their council" in words.ASK_CARED_FOR_PLACE


def test_no_phone_numbers_are_hard_coded_in_journey_wording():
    """Numbers come from the directory: no digits that look like a phone number here."""
    phone = re.compile(r"\b0\d{2,4}[ ]?\d{3}[ ]?\d{3,4}\b|\b116 ?123\b|\b0800 ?1111\b")
    for path in ACTIONS.glob("*.py"):
        assert not phone.search(path.read_text(encoding="utf-8")), path.name


def test_person_first_language():
    # "clean needles" is about equipment; "clean" or "dirty" said of a person is not allowed.
    banned = re.compile(r"\b(addicts?|junkies?|alcoholics?|abusers?)\b"
                        r"|\b(get|getting|stay|staying|be|been|are|am|is|you're|i'm)\s+(clean|dirty)\b",
                        re.IGNORECASE)
    for path in list(ACTIONS.glob("*.py")) + list((ACTIONS.parent / "bot" / "domain").glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("#") or "clean_" in stripped or "_clean" in stripped:
                continue
            strings = re.findall(r'"([^"]*)"', stripped)
            for s in strings:
                assert not banned.search(s), f"{path.name}: {s}"


def test_helpline_reply_says_when_nobody_can_chat_here():
    nobody = words.helpline_reply("FRANK", "0300 123 6600", "82111", True, None, "open 24 hours, every day", False)
    assert nobody.startswith("Nobody can chat with you here right now. You can talk to a real person at FRANK.")
    assert "Ring 0300 123 6600 or text 82111." in nobody and nobody.endswith("Open 24 hours, every day.")
    here = words.helpline_reply("FRANK", "0300 123 6600", None, True, None, "open 24 hours, every day", True)
    assert "Nobody" not in here and "Ring 0300 123 6600." in here
    call = words.helpline_reply("FRANK", "0300 123 6600", None, True, None, "", False, on_voice=True)
    assert call.startswith("I can't put you through to a person right now.")
    closed = words.helpline_reply("Carers UK helpline", "0808 808 7777", None, False, "Monday at 9am",
                                  "Mon–Fri 9am–6pm", False)
    assert closed.endswith("They are closed now. They open Monday at 9am. Hours: Mon–Fri 9am–6pm.")

"""Crisis replies: action first, the right numbers (directory first, verified default
otherwise), SMS-sized, plain English."""
from __future__ import annotations

import re

import pytest
import textstat

from safety.replies import DEFAULT_LINES, crisis_reply
from safety.triage import CrisisType

ALL_TYPES = list(CrisisType)
KEYS = ("samaritans", "shout", "childline", "domestic_abuse", "nhs111", "nspcc")

# Numbers the directory might hold (Ofcom drama ranges, so nobody real is ever rung).
DIRECTORY = {
    "samaritans": "0113 496 0101",
    "shout": "07700 900123",
    "childline": "0161 496 0202",
    "domestic_abuse": "020 7946 0303",
    "nhs111": "0113 496 0111",
    "nspcc": "0161 496 0404",
}


@pytest.fixture(autouse=True, scope="module")
def _offline_syllables():
    """textstat looks English words up in NLTK's cmudict, which it tries to download.
    There is no network here (and tests must not use it), so count syllables with the
    pyphen hyphenation dictionary that textstat bundles and already falls back to."""
    import textstat.backend.counts._count_syllables as counting

    original = counting.get_cmudict
    counting.get_cmudict = lambda lang: {}
    try:
        yield
    finally:
        counting.get_cmudict = original


def _all_text(messages: list[str]) -> str:
    return " ".join(messages)


@pytest.mark.parametrize("crisis_type", ALL_TYPES)
def test_first_message_leads_with_the_action(crisis_type):
    messages = crisis_reply(crisis_type, {})
    assert messages and all(isinstance(m, str) and m.strip() for m in messages)
    assert messages[0].startswith("Call 999 now"), messages[0]


@pytest.mark.parametrize("crisis_type", ALL_TYPES)
def test_first_words_are_discreet_on_a_lock_screen(crisis_type):
    opening = " ".join(crisis_reply(crisis_type, {})[0].lower().split()[:6])
    for word in ("overdose", "drug", "heroin", "opioid", "naloxone", "methadone", "suicid",
                 "kill", "abuse", "self-harm", "self harm"):
        assert word not in opening, (word, opening)


def test_overdose_reply_follows_the_agreed_advice():
    text = _all_text(crisis_reply(CrisisType.OVERDOSE, DIRECTORY)).lower()
    assert "999" in text
    assert "what was taken" in text
    assert "recovery position" in text
    assert "cpr" in text and "not breathing" in text
    assert "naloxone" in text and "opioid" in text and "no harm" in text
    assert "stay with them" in text
    assert "wears off" in text and "ambulance" in text


def test_suicide_reply_gives_samaritans_and_shout_and_asks_gently():
    messages = crisis_reply(CrisisType.SUICIDE, {})
    text = _all_text(messages)
    assert "116 123" in text and "Samaritans" in text
    assert "SHOUT" in text and "85258" in text
    assert "999" in text
    assert "Are you safe right now?" in text
    assert "person" in messages[-1]


def test_child_reply_gives_childline_and_asks_for_no_proof():
    text = _all_text(crisis_reply(CrisisType.CHILD_AT_RISK, {}))
    assert "999" in text and "0800 1111" in text and "Childline" in text
    assert "do not need proof" in text


def test_child_reply_says_who_to_tell_an_adult_gets_the_nspcc():
    """Issue 20: "Just tell them what you know" didn't say who "them" is; adults worried about a
    child get the NSPCC helpline (DESIGN.md: 0808 800 5000). 999 stays first."""
    messages = crisis_reply(CrisisType.CHILD_AT_RISK, {})
    assert messages[0].startswith("Call 999 now if a child is in danger.")
    tell = next(m for m in messages if "Just tell them what you know" in m)
    assert tell.startswith("If you are an adult worried about a child, call the NSPCC helpline free on "
                           "0808 800 5000.")
    assert tell.index("NSPCC") < tell.index("Just tell them")


def test_domestic_abuse_reply_gives_the_national_helpline():
    text = _all_text(crisis_reply(CrisisType.DOMESTIC_ABUSE, {}))
    assert "999" in text and "0808 2000 247" in text
    assert "do not have to prove" in text


def test_numbers_from_the_directory_are_used_instead_of_the_defaults():
    suicide = _all_text(crisis_reply(CrisisType.SUICIDE, DIRECTORY))
    assert DIRECTORY["samaritans"] in suicide and "116 123" not in suicide
    assert DIRECTORY["shout"] in suicide and "85258" not in suicide
    assert DIRECTORY["nhs111"] in suicide
    child = _all_text(crisis_reply(CrisisType.CHILD_AT_RISK, DIRECTORY))
    assert DIRECTORY["childline"] in child and "0800 1111" not in child
    assert DIRECTORY["nspcc"] in child and "0808 800 5000" not in child
    abuse = _all_text(crisis_reply(CrisisType.DOMESTIC_ABUSE, DIRECTORY))
    assert DIRECTORY["domestic_abuse"] in abuse and "0808 2000 247" not in abuse


@pytest.mark.parametrize("lines", [None, {}, {"samaritans": ""}, {"samaritans": "   "},
                                   {"samaritans": None}, {"unrelated": "0113 496 0999"}])
def test_missing_numbers_fall_back_to_the_verified_defaults(lines):
    text = _all_text(crisis_reply(CrisisType.SUICIDE, lines))
    assert "116 123" in text and "85258" in text
    assert "{" not in text and "None" not in text


def test_one_missing_key_falls_back_while_the_others_come_from_the_directory():
    partial = {k: v for k, v in DIRECTORY.items() if k != "shout"}
    text = _all_text(crisis_reply(CrisisType.SUICIDE, partial))
    assert DIRECTORY["samaritans"] in text and "85258" in text


def test_a_broken_lines_mapping_still_gives_a_full_reply():
    class Broken(dict):
        def get(self, key, default=None):
            raise RuntimeError("directory unavailable")

    text = _all_text(crisis_reply(CrisisType.SUICIDE, Broken()))
    assert "116 123" in text and "85258" in text


def test_defaults_are_stored_with_the_date_they_were_verified():
    assert set(KEYS) <= set(DEFAULT_LINES)
    expected = {"samaritans": "116 123", "shout": "85258", "childline": "0800 1111",
                "domestic_abuse": "0808 2000 247", "nhs111": "111", "nspcc": "0808 800 5000"}
    for key, number in expected.items():
        assert DEFAULT_LINES[key].number == number
        assert DEFAULT_LINES[key].verified == "2026-11-23"


@pytest.mark.parametrize("crisis_type", ALL_TYPES)
def test_no_invented_numbers(crisis_type):
    """Every phone number in a reply is 999 or came from `lines` / the defaults."""
    allowed = {"999"} | set(DIRECTORY.values())
    text = _all_text(crisis_reply(crisis_type, DIRECTORY))
    found = re.findall(r"\d[\d ]*\d|\d", text)
    assert found
    for number in found:
        assert number.strip() in allowed, number


@pytest.mark.parametrize("crisis_type", ALL_TYPES)
@pytest.mark.parametrize("lines", [{}, DIRECTORY], ids=["defaults", "directory"])
def test_every_message_fits_an_sms_and_reads_easily(crisis_type, lines):
    for message in crisis_reply(crisis_type, lines):
        assert len(message) <= 300, (len(message), message)
        score = textstat.flesch_reading_ease(message)
        assert score >= 60, (score, message)


@pytest.mark.parametrize("crisis_type", ALL_TYPES)
def test_no_judgemental_words(crisis_type):
    text = _all_text(crisis_reply(crisis_type, {})).lower()
    for word in ("addict", "junkie", "abuser", "clean", "dirty", "druggie", "alcoholic"):
        assert not re.search(rf"\b{word}", text), word


def test_type_may_be_given_as_its_string_value():
    assert crisis_reply("overdose", {}) == crisis_reply(CrisisType.OVERDOSE, {})


def test_an_unknown_type_still_gets_the_emergency_line():
    messages = crisis_reply("not-a-type", {})  # type: ignore[arg-type]
    assert messages and messages[0].startswith("Call 999 now")

"""Issue 20 needs 1-3: the words are read right and the reply says the safety facts.

These are the moments people die (tolerance after a break, stopping drinking alone) or give
up (no idea how rehab is reached), so a wrong topic is a failure a person would notice.
"""
import pytest

from actions import risk_words
from understanding import risky_moments as rm


@pytest.mark.parametrize("text, expected", [
    ("getting out of prison next week, used to do a couple of bags a day", rm.OVERDOSE_RISK),
    ("just out of detox and thinking of using tonight", rm.OVERDOSE_RISK),
    ("been clean for 3 months but gonna score tonight", rm.OVERDOSE_RISK),
    ("is my tolerance lower after hospital", rm.OVERDOSE_RISK),
    ("just got out of prison and want to use tonight", rm.OVERDOSE_RISK),
    ("just got out of jail yesterday", rm.OVERDOSE_RISK),  # release is the moment, whatever else is said
    ("on release from hmp leeds, where do i get a script", rm.OVERDOSE_RISK),
    ("i was inside for 8 months", rm.OVERDOSE_RISK),
    ("relapsed after 2 years clean", rm.OVERDOSE_RISK),
    ("havent used for 6 weeks, is it ok to use my normal amount", rm.OVERDOSE_RISK),
    ("first time using since i got out", rm.OVERDOSE_RISK),
    ("i got released from work early", None),
    ("i have been sober for 2 years and want to help others", None),
    ("am i drinking too much? about 3 bottles of wine a week", rm.DRINK_CHECK),
    ("how many units is a pint", rm.DRINK_CHECK),
    ("i drink a bottle of vodka every day, can i just stop", rm.WITHDRAWAL),
    ("want to stop drinking tomorrow cold turkey", rm.WITHDRAWAL),
    ("how do i get into rehab", rm.REHAB),
    ("need a detox off the gear", rm.DETOX),
    ("where's the nearest needle exchange", None),
    ("", None),
])
def test_topic_from_the_words(text, expected):
    assert rm.topic(text) == expected


def test_every_topic_has_a_reply_with_its_safety_facts():
    assert "assessment" in risk_words.topic_reply(rm.DETOX) and "ring and ask how long" in risk_words.topic_reply(rm.DETOX)
    assert "funding" in risk_words.topic_reply(rm.REHAB) and "ring and ask how long" in risk_words.topic_reply(rm.REHAB)
    overdose = risk_words.topic_reply(rm.OVERDOSE_RISK)
    for fact in ("tolerance", "less", "don't use alone", "naloxone", "prison's drug team"):
        assert fact in overdose
    check = risk_words.topic_reply(rm.DRINK_CHECK, "0300 123 1110")
    for fact in ("14 units a week", "3 or more days", "2.3 units", "about 9", "Drinkline (0300 123 1110)", "GP", "alcohol service"):
        assert fact in check
    withdrawal = risk_words.topic_reply(rm.WITHDRAWAL)
    for fact in ("don't stop suddenly", "fits", "GP", "alcohol service", "NHS 111"):
        assert fact in withdrawal
    assert risk_words.topic_reply(None) is None


def test_drinkline_number_comes_from_the_directory_not_the_text():
    assert "Drinkline" in risk_words.drink_next_steps(None) and "0300" not in risk_words.drink_next_steps(None)

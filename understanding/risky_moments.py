"""Which of issue 20's topics a message is about, read from the words (whatever intent was guessed).

The trained intents (find_service, ask_prison_release, tell_relapse, ...) say roughly what
someone wants; these topics need the exact words: "getting out next week and I used to use a
gram" is an overdose-risk moment, "I'm on a bottle of vodka a day, can I just stop" is a
withdrawal-safety question. Plain and fast: a few regular expressions.
"""
from __future__ import annotations

import re
from typing import Optional

DETOX, REHAB, OVERDOSE_RISK, DRINK_CHECK, WITHDRAWAL = (
    "detox", "rehab", "overdose-risk", "drink-check", "alcohol-withdrawal")

_WITHDRAWAL = re.compile(
    r"\b(stop|quit|pack in|give up|come off)\w*\b.{0,40}\b(drink|drinking|booze|alcohol|vodka|cider|wine|beer|lager)"
    r"|\b(drink|drinking|booze)\b.{0,40}\b(every day|daily|all day|each day)\b.{0,60}\b(stop|quit|give up|pack in)"
    r"|\b(shakes|shaking|sweats)\b.{0,40}\b(without|when i (don'?t|stop)|if i (don'?t|stop))\b.{0,20}\b(drink|a drink)",
    re.IGNORECASE)
_DRINKS = r"(drink|drinks|drinking|wine|beer|pints?|cans?|lager|cider|vodka|gin|spirits|units?|glass(es)?|bottles?|shots?)"
_DRINK_CHECK = re.compile(
    r"\b(am i|do i|i think i|i might be|i'?m)\b.{0,20}\b(drink(ing)?|boozing)\b.{0,20}\b(too much|a lot|loads|a problem)"
    r"|\bhow many units\b|\bunits (a|per|in a) (week|day)\b|\bis (it|that) too much\b.{0,40}\b(drink|wine|beer|pints?)"
    # the amount first, then the question: "a bottle of wine every night, is that too much"
    r"|\b" + _DRINKS + r"\b.{0,60}\b(is (it|that|this)|thats|that's)( classed as)? (too much|a lot|a problem"
    r"|normal|bad|ok|okay|safe|dangerous)\b"
    r"|\bis (\d+|a|one|two|three|four|five|six|seven|eight|half a) .{0,20}\b" + _DRINKS + r"\b.{0,30}\b(too much"
    r"|a problem|a lot|normal|bad|ok|okay|safe)\b"
    r"|\b(am i|is (he|she)|are they|i'?m) (an |a )?(alcoholic|alki|alky|problem drinker|dependent on (drink|alcohol))\b"
    r"|\bhow (do|can|would) (i|you) (know|tell)\b.{0,40}\b(alcoholic|drinking too much|drink too much|a drink"
    r"( problem)?|alcohol problem|dependent)"
    r"|\b(have|got|do) i (got )?(a|an) (drink(ing)?|alcohol) (problem|issue)\b"
    r"|\bsay (i'?m|im|i am) (an )?alcoholic\b",
    re.IGNORECASE)
# Leaving prison is the risky moment in itself (issue 20 item 2): said whatever else the message says.
# HMP Leeds is still called Armley, HMP Manchester Strangeways.
_PRISON = r"(prison|jail|gaol|nick|hmp|hmyoi|yoi|custody|inside|strangeways|armley|the jail)"
_RELEASE = re.compile(
    r"\b(getting out|got out|get out|gets out|released|release|leaving|left|come out|came out|coming out|comes out|"
    r"just out|out of|due out|home from|back from|coming home from|comes home from)\b.{0,30}\b" + _PRISON + r"\b"
    r"|\b(on|out on) (licence|license|tag)\b"
    r"|\b(i was|he was|she was|they were|been|was) inside\b|\bon release\b|\brelease date\b"
    r"|\b(getting|being|gets|get|got|was|just|been) released\b(?! from (work|hospital|the ward))",
    re.IGNORECASE)
_RISKY_MOMENT = re.compile(
    r"\b(getting out|got out|get out|released|release|leaving|left|come out|came out|coming out|just out|discharged)\b"
    r".{0,30}\b(prison|jail|nick|inside|detox|rehab|hospital|ward)\b"
    r"|\b(after|been off|clean for|off it for|not used for|haven'?t used (for|in)|havent used|been clean|stayed clean|"
    r"relapsed after|sober for)\b.{0,30}\b(weeks?|months?|years?|a while|ages|break)\b"
    r"|\b\d+ (days?|weeks?|months?|years?) (clean|sober|off it|off the gear)\b"
    r"|\bfirst time (using|i'?ve used|since)\b|\bsince i got out\b|\bnormal (amount|dose)\b|\busual (amount|dose)\b"
    r"|\btolerance\b",
    re.IGNORECASE)
_DETOX = re.compile(r"\bdetox\w*\b|\b(come|coming|get|getting) off\b.{0,20}\b(safely|properly|with help)", re.IGNORECASE)
_REHAB = re.compile(r"\brehab\b|\bresidential\b", re.IGNORECASE)
_USING = re.compile(r"\b(use|using|used|score|scoring|scored|gear|heroin|smack|h\b|opiates?|methadone|bupe|subutex|"
                    r"script|bags?|grams?|dose|hit|drugs?|relapsed?|pills|spice|crack|fentanyl|nitazenes?)\b",
                    re.IGNORECASE)


def topic(text: Optional[str]) -> Optional[str]:
    """The issue-20 topic of this message, or None. Safety first: withdrawal and overdose risk win
    over a plain request for detox or rehab, because they change what must be said first."""
    if not text:
        return None
    if _WITHDRAWAL.search(text):
        return WITHDRAWAL
    if _RELEASE.search(text) or (_RISKY_MOMENT.search(text) and (_USING.search(text) or "tolerance" in text.lower())):
        return OVERDOSE_RISK
    if _DRINK_CHECK.search(text):
        return DRINK_CHECK
    if _REHAB.search(text):
        return REHAB
    if _DETOX.search(text):
        return DETOX
    return None


# Who the risky moment is about. A mother whose son "gets out of hmp leeds on friday" is not the
# one whose tolerance has dropped: she needs the same facts said about him, and naloxone for the
# house. Someone saying "I" about the moment itself is talking about themselves.
_SELF_MOMENT = re.compile(
    r"\b(i|im|i'm|i am|ive|i've|i was|i got|i get|me)\b.{0,20}\b(out|released|release|leaving|left|come|came|coming|"
    r"discharged|clean|off|sober|used|using|use|relapsed|inside|licence|license)\b", re.IGNORECASE)
_SOMEONE_ELSE = re.compile(r"\b(he|she|they|his|her|their|hes|he's|shes|she's|theyre|they're|him|them)\b"
                           r"|\bmy (son|daughter|partner|husband|wife|brother|sister|boyfriend|girlfriend|dad|mum|mam"
                           r"|client|patient|resident|friend|mate|nephew|niece|grandson|granddaughter|cousin|uncle"
                           r"|fella|other half|ex)\b", re.IGNORECASE)


def at_release(text: Optional[str]) -> bool:
    """Whether the moment is leaving prison (the release team's journey)."""
    return bool(text) and bool(_RELEASE.search(text))


def about_someone_else(text: Optional[str], persona: Optional[str]) -> bool:
    """Whether this risky moment is someone else's: a family member or a worker writing about
    "him", "her" or "them", and not about themselves."""
    if persona not in ("family", "professional") or not text:
        return False
    said = text.replace("’", "'")
    return bool(_SOMEONE_ELSE.search(said)) and not _SELF_MOMENT.search(said)


def with_alcohol(entities: list[dict], text: Optional[str]) -> list[dict]:
    """The entities, with alcohol as the substance when the message is a drink check or about
    stopping drinking and the model tagged no substance ("is 3 glasses of wine a night a
    problem"): the search that follows is for the alcohol service."""
    if topic(text) not in (DRINK_CHECK, WITHDRAWAL) or any(e.get("entity") == "substance" for e in entities):
        return entities
    return list(entities) + [{"entity": "substance", "value": "alcohol", "extractor": "risky_moments"}]


_DRINK_WORDS = re.compile(r"\b(drink\w*|drunk|alcohol\w*|booze|vodka|cider|wine|beer|lager)\b", re.IGNORECASE)


def about_drugs_or_drink(text: Optional[str]) -> bool:
    """Whether the words are about using drugs or drinking (not, say, only about a partner's violence)."""
    return bool(text) and bool(_USING.search(text) or _DRINK_WORDS.search(text))

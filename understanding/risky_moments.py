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
_DRINK_CHECK = re.compile(
    r"\b(am i|do i|i think i|i might be|i'?m)\b.{0,20}\b(drink(ing)?|boozing)\b.{0,20}\b(too much|a lot|loads|a problem)"
    r"|\bhow many units\b|\bunits (a|per|in a) (week|day)\b|\bis (it|that) too much\b.{0,40}\b(drink|wine|beer|pints?)",
    re.IGNORECASE)
# Leaving prison is the risky moment in itself (issue 20 item 2): said whatever else the message says.
_RELEASE = re.compile(
    r"\b(getting out|got out|get out|gets out|released|release|leaving|left|come out|came out|coming out|comes out|"
    r"just out|out of|due out)\b.{0,30}\b(prison|jail|nick|hmp|custody|inside)\b"
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

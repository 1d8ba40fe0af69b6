"""Issue 20, needs 4-7, read from the words: money and fares, blood-borne virus testing, domestic
abuse outside a crisis, and cuckooing.

Three of them are needs with listings (`money-advice`, `bbv-testing`, `domestic-abuse`): the model
is trained to tag them, and `NEED_WORDS` backs it up for the plain words it may miss
(`who_what_where.needs_in_words` uses them only when the model found no need at all).

Cuckooing (a home taken over by people dealing drugs) is a topic, not a need: what helps is the
police (101, or 999 in danger), Crimestoppers and the council's housing or antisocial-behaviour
team, none of which is a drug or alcohol listing to search for. So, like the risky moments
(`understanding/risky_moments.py`), its facts are said first from the words, whatever intent was
guessed, and the dialogue then answers the message as usual.

The crisis reply for domestic abuse ends "I can also help you find support near you."
`after_abuse_reply` keeps that promise: the next message, if it is a yes or a search that names
no other need, is a search for domestic abuse support.

Plain data in, plain data out; nothing here imports Rasa.
"""
from __future__ import annotations

import re
from typing import Any, Optional

MONEY, BBV, ABUSE = "money-advice", "bbv-testing", "domestic-abuse"
CUCKOOING = "cuckooing"
ABUSE_CRISIS = "domestic_abuse"  # safety.triage.CrisisType.DOMESTIC_ABUSE's value

# Only clear words: "i'm on universal credit and my son uses" is a family member, not a money question.
NEED_WORDS = [
    (re.compile(r"\b(domestic (abuse|violence)|dv (service|support|worker|team)|wom[ae]n'?s aid|idva|"
                r"abusive (partner|relationship|husband|wife|boyfriend|girlfriend|ex)|coercive control)\b", re.I),
     ABUSE),
    (re.compile(r"\b(hep(atitis)? ?[abc]|hiv|blood ?borne( virus(es)?)?|bbv|"
                r"(tested|test|testing|checked|check) for (hep|hiv|blood|viruses))\b", re.I),
     BBV),
    (re.compile(r"\b(money advice|debt advice|benefits? advice|food ?banks?|food parcels?|bus fares?|train fares?|"
                r"(bus|train|taxi) fare|fares? to (get|go|my|the)|"
                r"(help|advice|struggling|problems?) (with|wiv|w) (my )?(money|debts?|benefits|bills|fares?|childcare|"
                r"universal credit)|"
                r"(cant|can't|cannot|can not) afford (the|to get|a|my)? ?(bus|fare|train|taxi|food|childcare|"
                r"travel|to get there)|(cant|can't|cannot|can not) pay (for )?(the |my )?(bus|fares?|train|taxi|travel))\b",
                re.I),
     MONEY),
]

# What the model tags as a general treatment need in "is there a domestic abuse service": the
# word alone says nothing about drugs or alcohol, so the clear words around it decide.
_GENERIC_NEED = re.compile(r"^\s*(an?y? )?(services?|help|support|advice|someone|somewhere|place|team|clinic)\s*$",
                           re.IGNORECASE)


# Not affording the way there: the drug service named after it is where they can't get to
# ("i cant afford the bus to get to my appointments at the drug service"), so money is the need.
_FARE_TROUBLE = re.compile(
    r"\b(cant|can't|cannot|can not) (afford|pay)( for)? (the |my |a )?(bus|buses|fares?|train|taxi|travel|tram)"
    r"|\b(help|money) (with|for) (the |my )?(fares?|bus|buses|train|travel)\b", re.I)


def sharpen_need(entities: list[dict], text: str) -> list[dict]:
    """The entities, with a general "treatment" need read from a word like "service" replaced by
    the money, testing or domestic abuse need that the message's own words name; and treatment
    replaced by money when the words say they can't afford to get there."""
    needs = [e for e in entities if e.get("entity") == "need"]
    if not needs or not text:
        return entities
    fare = _FARE_TROUBLE.search(text.replace("’", "'"))
    if fare and {e.get("value") for e in needs} == {"treatment", MONEY}:  # "the [bus] ... [drug service]"
        return [e for e in entities if not (e.get("entity") == "need" and e.get("value") == "treatment")]
    if any(e.get("value") != "treatment" for e in needs):
        return entities
    if fare:
        kept = [e for e in entities if e.get("entity") != "need"]
        return kept + [{"entity": "need", "value": MONEY, "start": fare.start(), "end": fare.end(),
                        "extractor": "wider_topics"}]
    for entity in needs:
        start, end = entity.get("start"), entity.get("end")
        said = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        if not _GENERIC_NEED.match(said):
            return entities  # "drug service", "detox", "help with my drinking": treatment it is
    for pattern, code in NEED_WORDS:
        found = pattern.search(text)
        if found:
            kept = [e for e in entities if e.get("entity") != "need"]
            return kept + [{"entity": "need", "value": code, "start": found.start(), "end": found.end(),
                            "extractor": "wider_topics"}]
    return entities


# Journeys that answer whatever need was named: "i cant afford the bus to my appointments" is
# about money, not about waiting for an appointment.
NEED_OVER_INTENT = frozenset({"tell_waiting"})


def need_over_journey(parse: dict) -> dict:
    """The parse, rerouted to a search when it names one of these needs under an intent whose
    journey would not search for it."""
    intent = (parse.get("intent") or {}).get("name")
    named = {e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "need"}
    if intent not in NEED_OVER_INTENT or not named & {MONEY, BBV, ABUSE}:
        return parse
    acted = dict(parse)
    acted["waymark_rerouted_from"] = intent
    acted["intent"] = {"name": FIND_SERVICE, "confidence": 1.0}
    return acted


# Whose home: "my flat", "his house", "my brothers flat", "my nans place", "my neighbours flat".
_OWNER = (r"(my|his|her|their|our|the|me) ((mums?|mams?|moms?|dads?|nans?|nanas?|grans?|grandads?|brothers?|sisters?"
          r"|sons?|daughters?|uncles?|aunt(ie|y)?s?|cousins?|neighbours?|friends?|mates?|partners?|exs?|boyfriends?"
          r"|girlfriends?)('?s)? )?")
_HOME = r"(flat|house|home|place|gaff|bedsit)"
_WHO = r"(dealers?|gang|they|lads|people|men|someone|blokes|guys|youths|lot|mates|group)"
_DRUG_TRADE = r"(selling|dealing|deal|sell|drugs|crack|gear|trap)"
_CUCKOOING = re.compile(
    r"\bcuck(o)+(ing|ed)\b"
    r"|\b" + _WHO + r"\b.{0,40}\b(taken|took|take|taking|takin) (it )?over\b.{0,30}\b" + _HOME + r"\b"
    r"|\b" + _HOME + r"\b.{0,60}\b(taken|took|take|taking|takin) (it )?over\b.{0,20}\b" + _DRUG_TRADE
    + r"|\b(dealing|selling|sell|sells|sell drugs|deal drugs|dealin|deal)\b.{0,20}\b(from|out of|in)\b.{0,10}\b"
    + _OWNER + _HOME + r"\b"
    r"|\b(dealers?|gang)\b.{0,30}\b(moved|moving|move|staying|stay|living|live|stopping|squatting|sleeping) "
    r"(in|into|at)\b.{0,10}\b" + _OWNER + _HOME + r"\b"
    r"|\b" + _WHO + r"\b.{0,30}\b(moved|moving|staying|living|stopping|squatting) (in|into|at)\b"
    r".{0,10}\b" + _OWNER + _HOME + r"\b.{0,40}\b" + _DRUG_TRADE + r"\b"
    r"|\btrap ?house\b"
    r"|\b(using|use|used|took|taken) " + _OWNER + _HOME + r"\b.{0,40}\b(deal|sell|drugs|won'?t leave|wont leave)"
    r"|\b" + _WHO + r"\b.{0,20}\b(won'?t|wont|will not|refuse to) (leave|get out of|go from)\b.{0,10}\b" + _OWNER + _HOME + r"\b.{0,60}\b"
    + _DRUG_TRADE + r"\b"
    r"|\bcounty lines?\b.{0,60}\b" + _HOME + r"\b"
    r"|\b" + _HOME + r"\b.{0,60}\bcounty lines?\b",
    re.IGNORECASE)


def topic(text: Optional[str]) -> Optional[str]:
    """CUCKOOING when the message is about a home taken over by dealers, else None."""
    if text and not text.startswith("/") and _CUCKOOING.search(text.replace("’", "'")):
        return CUCKOOING
    return None


_YES = re.compile(r"^\s*(y|ye|yes|yeah|yea|yep|yup|ya|aye|ok|okay|sure|go on|please|yes please|yes pls|"
                  r"yeah please|pls|please do)\b[\s.!x]*$", re.IGNORECASE)
# Asking for what the reply offered: "find me somewhere", "whats near me", "local support"
_WANTS_LOCAL = re.compile(r"\b(near|nearby|local|around here|in my area|find|where)\b", re.IGNORECASE)
FIND_SERVICE = "find_service"
SEARCH_INTENTS = frozenset({"find_service", "inform_place", "affirm", "nlu_fallback"})


def _takes_up_the_offer(parse: dict, last_bot_metadata: Optional[dict[str, Any]],
                        crisis: str) -> Optional[tuple[Optional[str], bool]]:
    """(intent, said yes) when this message takes up the local support a crisis reply of this
    kind offered: a yes, a place, or a search that names no need; None otherwise."""
    if (last_bot_metadata or {}).get("crisis") != crisis:
        return None
    text = parse.get("text") or ""
    entities = parse.get("entities") or []
    if not text or text.startswith("/") or any(e.get("entity") == "need" for e in entities):
        return None
    intent = (parse.get("intent") or {}).get("name")
    from understanding.who_what_where import says_yes  # the words, or the model's affirm (issue 19)

    said_yes = bool(_YES.match(text)) or says_yes(parse)
    has_place = any(e.get("entity") == "place" for e in entities)
    if not (said_yes or has_place or (intent in SEARCH_INTENTS and _WANTS_LOCAL.search(text))):
        return None
    return intent, said_yes


def after_abuse_reply(parse: dict, last_bot_metadata: Optional[dict[str, Any]]) -> Optional[dict]:
    """The parse to act on after the domestic abuse crisis reply, or None to leave it alone.

    The reply offered "support near you". A yes, a place, or a search that names no other need is
    taken up as a search for domestic abuse support: the need is added, and a yes becomes a search
    (the form then asks where, if nobody said)."""
    taken = _takes_up_the_offer(parse, last_bot_metadata, ABUSE_CRISIS)
    if taken is None:
        return None
    intent, said_yes = taken
    acted = dict(parse)
    acted["entities"] = list(parse.get("entities") or []) + [
        {"entity": "need", "value": ABUSE, "extractor": "wider_topics"}]
    if said_yes or intent not in ("find_service", "inform_place"):
        acted["waymark_rerouted_from"] = intent
        acted["intent"] = {"name": FIND_SERVICE, "confidence": 1.0}
    return acted


CHILD_CRISIS = "child_at_risk"  # safety.triage.CrisisType.CHILD_AT_RISK's value
FAMILY_SUPPORT_INTENT = "ask_family_support"


def after_child_reply(parse: dict, last_bot_metadata: Optional[dict[str, Any]]) -> Optional[dict]:
    """The parse to act on after the child-at-risk crisis reply, or None to leave it alone.

    That reply ends "I can also help you find local support for the family". A grandmother who
    said "my granddaughter lives with us now because my son is using" and then gives her town
    is taking that up: family support near there (with the kinship carer's words), not the
    nearest drug service. A yes, a place, or a search that names no need, as for domestic abuse."""
    taken = _takes_up_the_offer(parse, last_bot_metadata, CHILD_CRISIS)
    if taken is None:
        return None
    intent, _ = taken
    acted = dict(parse)
    acted["waymark_rerouted_from"] = intent
    acted["intent"] = {"name": FAMILY_SUPPORT_INTENT, "confidence": 1.0}
    return acted

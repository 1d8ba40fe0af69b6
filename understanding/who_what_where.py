"""Who, what and where: acting on what a message says, whatever its intent's confidence.

What people ask this assistant is mostly WHO (persona, age), WHAT (a need, a substance) and
WHERE (a place). The intent classifier is the weakest part of the model: "my partner drinks
every day and i'm worried sick. we live in manchester M4" fell under the fallback threshold
although every entity in it was right. So, before the dialogue policies run, the assistant
asks this module what the message is (`act_on`), and a message with a place plus a need, a
substance or a persona becomes a search of the right kind:

* a young person (under 18) gets the young people's services,
* a family member gets family support (unless they named a need),
* anyone else gets the need they named, or treatment for the substance.

**Why a step in the engine, before the policies** (`waymark.assistant.Assistant`), and not
a rule or the fallback action: Rasa's own machinery then runs exactly as for a message the
classifier got right - the `need` slot's from-intent mappings, the `find_service_form`
(which asks where only if nobody said), and the journey's rules - so there is one way to
search, not a second one hidden in a fallback action; and the step sees the remembered slots
("is there anything for me as his mum", after "we're in bristol BS2"). It only rewrites the
parse (the original intent is kept under `waymark_rerouted_from`), so the tracker shows what
was decided and why. Nothing here imports Rasa: it is plain data in, plain data out, tested
in tests/test_who_what_where.py.

The same facts build the **clarifying question** for a message that is not understood
(`clarifying_question`, said by the thin `action_clarify`): "Is this about support for you,
as a family member, near M4?" [Yes] [Something else] [Talk to a person]. "Yes" (the button or
a typed yes) is the search that question described (`answer_to_clarification`).

`clean_entities` drops entities that must never be searched for: a `need` that is not a
taxonomy code (DIET once read "CLEEN" as a need), and an `age` read from a postcode ("ls 8")
or a time ("11.30").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional

from directory.taxonomy import NEEDS, SUBSTANCES

SELF, FAMILY, YOUNG, PRO = "self", "family", "young-person", "professional"
ADULT_AGE = 18
FALLBACK = "nlu_fallback"
# Intents whose own route already searches with the need the message carries (or answers a
# question that is not a search): left alone.
SEARCHING_INTENTS = frozenset({
    "find_service", "inform_place", "ask_naloxone", "ask_family_support", "ask_young_people",
    "ask_referral_route", "ask_advocacy", "ask_complaint", "ask_have_a_say", "ask_housing",
    "ask_prison_release", "ask_pregnancy", "ask_mental_health", "ask_employment", "tell_waiting",
    "tell_relapse", "ask_carer_info",
})
ANSWERING_INTENTS = frozenset({
    "ask_confidentiality", "ask_legal_advice", "request_client_text", "ask_human",
    "crisis", "ask_open_now", "ask_phone_number", "ask_directions", "EXTERNAL_appointment_reminder",
})
# A bare yes or no that answers nothing open is asked what they need (action_clarify).
YES_OR_NO_INTENT = FALLBACK
# Below this, even an answering intent gives way to a clear who/what/where.
CONFIDENT = 0.7
# Intents to search with, by who is asking (when no need was named).
INTENT_FOR_PERSONA = {YOUNG: "ask_young_people", FAMILY: "ask_family_support"}
CLARIFY_ACTIONS = frozenset({"action_clarify", "action_default_fallback"})
_YES = re.compile(r"^\s*(y|ye|yes|yeah|yea|yep|yup|ya|aye|ok|okay|k|sure|go on|please|yes please|yes pls|"
                  r"yeah please|that's it|thats it|that's right|thats right|correct|right)\b[\s.!x]*$",
                  re.IGNORECASE)
_POSTCODE_BEFORE = re.compile(r"\b[a-z]{1,2}\s?$", re.IGNORECASE)
_TIME_AROUND = re.compile(r"^[.:]\d|^\s?(am|pm)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Understood:
    """What one message (with what the conversation already knows) says: who, what, where."""

    intent: str
    confidence: float
    need: Optional[str] = None        # a taxonomy need code named in the message
    substance: Optional[str] = None   # a taxonomy substance code named in the message
    persona: Optional[str] = None     # from the message, else remembered
    persona_here: bool = False        # the message itself says who is asking
    place: Optional[str] = None       # from the message, else remembered
    place_here: bool = False          # the message itself names the place
    said_yes: bool = False            # the message is a bare yes ("yes please", "ok")
    said_no: bool = False             # ... or a bare no ("no thanks", "something else")

    @property
    def what(self) -> bool:
        return bool(self.need or self.substance or self.persona_here)


def _first(entities: list[dict], name: str, known: Optional[dict] = None) -> Optional[str]:
    for entity in entities:
        if entity.get("entity") == name:
            value = entity.get("value")
            if isinstance(value, str) and value and (known is None or value in known):
                return value
    return None


def _age_is_real(entity: dict, text: str) -> bool:
    value = str(entity.get("value", "")).strip()
    if not value.isdigit() or not 8 <= int(value) <= 99:
        return False
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
        if _POSTCODE_BEFORE.search(text[:start]) and not re.search(r"\b(i'?m|i am|aged?)\s?$", text[:start], re.I):
            return False  # "ls 8", "M 4": a postcode district, not an age
        if _TIME_AROUND.search(text[end:]) or re.search(r"\d[.:]$", text[:start]):
            return False  # "11.30", "10:15", "11 am": a time
    return True


def clean_entities(entities: list[dict], text: str) -> list[dict]:
    """The entities worth acting on: a need must be a taxonomy code, an age a real age."""
    kept = []
    for entity in entities or []:
        name = entity.get("entity")
        if name == "need" and entity.get("value") not in NEEDS:
            continue
        if name == "age" and not _age_is_real(entity, text or ""):
            continue
        if name == "place" and _verb_not_town(entity, text or ""):
            continue
        kept.append(entity)
    return kept


# Towns that are also everyday verbs in these messages: "lads using my flat to deal from" is not
# Deal in Kent. Kept when said as a place: "in deal", "near Deal".
_VERB_TOWNS = frozenset({"deal"})
_PLACE_BEFORE = re.compile(r"\b(in|near|nr|around|from|at|live|living|round)\s+$", re.IGNORECASE)


def _verb_not_town(entity: dict, text: str) -> bool:
    start, end = entity.get("start"), entity.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return str(entity.get("value") or "").strip().lower() in _VERB_TOWNS and " to deal" in text.lower()
    said = text[start:end]
    return said.lower() in _VERB_TOWNS and said.islower() and not _PLACE_BEFORE.search(text[:start])


_AS_FAMILY = re.compile(r"\bas (his|her|their|a|the) (mum|mam|mom|mother|dad|father|parent|wife|husband|partner|"
                        r"sister|brother|carer|son|daughter|friend|gran|nan|grandparent|girlfriend|boyfriend|fiance|"
                        r"fiancee|aunt|auntie|uncle|grandma|grandad|family member|relative)\b", re.IGNORECASE)
_SELF_USE_VERB = re.compile(r"\b(i|im|i'm|i am|ive|i've) (use|using|drink|drinking|smoke|smoking|take|taking|inject"
                            r"|injecting|on the|on a script|been using|been drinking|relapsed)\b"
                            r"|\bmy (own )?(drinking|use|using|habit|script|methadone|recovery)\b", re.IGNORECASE)


def _family_words(text: str) -> bool:
    from actions.context import _FAMILY, _lower

    return bool(_FAMILY.search(_lower(text)))


def _uses_self(text: str) -> bool:
    return bool(_SELF_USE_VERB.search(text.replace("’", "'")))


# Needs named in words the model may miss or misspell ("CLEEN NEEDELS"): a few, with room for typos.
NEED_WORDS_IN_TEXT = [
    (re.compile(r"\b(n[ei]{1,2}d+(?:le|el|al|il|l)s?|needle ?exchange|syring\w*|clean works|sharps bins?|nsp)\b", re.I),
     "needle-exchange"),
    (re.compile(r"\b(nal[aeio]x+[aeio]ne?|nyxoid|prenoxad)\b", re.I), "naloxone"),
]


# Issue 20, needs 4-6 (money and fares, hepatitis and HIV testing, domestic abuse): after the others.
from understanding.wider_topics import NEED_WORDS as _WIDER_NEED_WORDS  # noqa: E402

NEED_WORDS_IN_TEXT += _WIDER_NEED_WORDS


def needs_in_words(entities: list[dict], text: str) -> list[dict]:
    """The entities, with a need found in the words when the model found none."""
    if any(e.get("entity") == "need" for e in entities) or not text or text.startswith("/"):
        return entities
    for pattern, code in NEED_WORDS_IN_TEXT:
        found = pattern.search(text)
        if found:
            return entities + [{"entity": "need", "value": code, "start": found.start(), "end": found.end(),
                                "extractor": "who_what_where"}]
    return entities


def _persona_in(text: str, entities: list[dict]) -> Optional[str]:
    from actions.context import clean_persona, detect_age, detect_persona  # the words people use

    age = detect_age(text)
    if age is None:
        age_entity = _first(entities, "age")
        age = int(age_entity) if age_entity and age_entity.isdigit() else None
    if age is not None and age < ADULT_AGE:
        return YOUNG
    found = detect_persona(text, age)
    if found == SELF and (_AS_FAMILY.search(text) or (_family_words(text) and not _uses_self(text))):
        return FAMILY  # "support for me? my wife is drinking herself to death", "for me as his mum"
    if found:
        return found
    if _AS_FAMILY.search(text):
        return FAMILY
    for entity in entities:
        if entity.get("entity") == "persona":
            value = clean_persona(entity.get("value"))
            if value:
                return value
    return None


def understand(parse: dict, slots: Optional[dict] = None) -> Understood:
    """Who, what and where in a parse (Rasa's shape), with the remembered slots filling gaps."""
    slots = slots or {}
    intent = (parse.get("intent") or {})
    entities = parse.get("entities") or []
    text = parse.get("text") or ""
    persona_here = None if text.startswith("/") else _persona_in(text, entities)
    remembered = slots.get("persona") if slots.get("persona") in (SELF, FAMILY, YOUNG, PRO) else None
    place_here = _first(entities, "place")
    return Understood(
        intent=intent.get("name") or FALLBACK, confidence=float(intent.get("confidence") or 0.0),
        need=_first(entities, "need", NEEDS), substance=_first(entities, "substance", SUBSTANCES),
        persona=persona_here or remembered, persona_here=persona_here is not None,
        place=place_here or slots.get("place") or None, place_here=place_here is not None,
        said_yes=is_yes(text), said_no=is_no(text),
    )


def search_intent(u: Understood) -> str:
    """The journey a who/what/where search belongs to."""
    if u.persona == YOUNG and u.need in (None, "treatment", "family-support", "young-people"):
        return "ask_young_people"
    if u.need:
        return "find_service"
    return INTENT_FOR_PERSONA.get(u.persona or "", "find_service")


# A family member asking for support in their own right: "is there anything for me, his dad",
# "i need someone to talk to", "what about support for us". After a search for the person they
# worry about, this is family support, not the same search again (issue 20).
_FOR_THEMSELVES = re.compile(
    r"\b(for me|for myself|for us|me as (his|her|their)|for (the )?famil(y|ies)|i need (someone|somebody|some1) to talk to"
    r"|someone (for me )?to talk to|(im|i'm|i am) not coping|(i|i can'?t|i cant|cannot) cope|(support|help) for me"
    r"|at (my|the) end of my (rope|tether)|breaking point)\b", re.IGNORECASE)


def for_themselves(text: str) -> bool:
    """Whether the words ask for support for the writer (a family member) rather than for the
    person who uses."""
    return bool(_FOR_THEMSELVES.search((text or "").replace("’", "'")))


def _adult_said(text: str) -> bool:
    from actions.context import ADULT_AGE as adult, detect_age

    age = detect_age(text or "")
    return age is not None and age >= adult


def act_on(parse: dict, slots: Optional[dict] = None) -> Optional[str]:
    """The intent to act on instead of the classifier's, or None to keep it.

    A place (said now or remembered) plus a need, a substance or a persona said now is a
    search, whatever the intent and its confidence, unless the intent is one that already
    searches with them, or a confident question with its own answer ("will my gp find out").
    A family member asking for support for themselves gets family support, even after a search
    for the person they worry about; someone who says they are an adult is not sent to the
    young people's services.
    """
    slots = slots or {}
    u = understand(parse, slots)
    text = parse.get("text") or ""
    if text.startswith("/"):
        return None
    family = u.persona == FAMILY or (slots.get("persona") == FAMILY and u.persona == SELF)  # "for me", from his dad
    if (family and not u.need and for_themselves(text) and not _uses_self(text)
            and u.intent not in ("ask_family_support", "ask_carer_info", "crisis", "ask_human")):
        return "ask_family_support"
    if u.intent == "ask_young_people" and u.persona != YOUNG and _adult_said(text):
        return INTENT_FOR_PERSONA.get(u.persona or "", "find_service")  # "mum drinks all day and i'm 24"
    after_facts = for_topic(u, text)
    if after_facts is not None:
        return after_facts
    if not (u.place and u.what) or (parse.get("text") or "").startswith("/"):
        return None
    if not u.place_here and not (u.need or u.persona_here):
        return None  # a substance alone in a follow-up ("and coke?") is not a new search
    if u.intent in SEARCHING_INTENTS:
        if u.intent == "find_service" and u.persona == YOUNG and not u.need:
            return "ask_young_people"
        if (u.intent in ("find_service", "inform_place") and u.persona_here and u.persona == FAMILY
                and not u.need and not slots.get("need")):
            return "ask_family_support"  # a family member starting out: support in their own right
        return None
    if u.intent in ANSWERING_INTENTS and u.confidence >= CONFIDENT:
        return None
    return search_intent(u)


# After the facts for a moment read from the words (understanding.risky_moments, wider_topics),
# the journey that should answer, when the classifier's guess would answer something else.
_AFTER_CUCKOOING = frozenset({"ask_housing", "ask_referral_route", "ask_young_people"})
_NOT_AFTER_FACTS = frozenset({"crisis", "ask_human", "ask_confidentiality", "ask_legal_advice", "request_client_text"})


def for_topic(u: Understood, text: str) -> Optional[str]:
    """The intent to act on after a risky moment's or cuckooing's facts, or None.

    * "is 3 glasses of wine a night a problem" (a drink check) taken for the young people's or
      the family journey, by someone who did not say they are young or family: their own
      drinking, so the local alcohol service (the caller adds the substance).
    * "discharged from hospital today, i normally use 1g a day" not understood: the facts about
      tolerance, then the local service (or the prison release team after prison).
    * a home taken over by dealers with no need named: the facts, then an offer of local help
      (`action_clarify` words it), not a guess at a search."""
    from understanding import risky_moments, wider_topics

    if u.intent in _NOT_AFTER_FACTS:
        return None
    topic = risky_moments.topic(text)
    if topic in (risky_moments.DRINK_CHECK, risky_moments.WITHDRAWAL):
        if u.intent in ("ask_young_people", "ask_family_support", FALLBACK, "out_of_scope") \
                and u.persona not in (YOUNG, FAMILY):
            return "find_service"
        return None
    if topic == risky_moments.OVERDOSE_RISK:
        if u.intent in SEARCHING_INTENTS or (u.intent in ANSWERING_INTENTS and u.confidence >= CONFIDENT):
            return None
        return "ask_prison_release" if risky_moments.at_release(text) else search_intent(u)
    if wider_topics.topic(text) == wider_topics.CUCKOOING and not u.need:
        if u.intent in _AFTER_CUCKOOING and u.confidence >= CONFIDENT:
            return None  # "dealers took over my flat and i need somewhere to live": the housing journey
        return FALLBACK
    return None


def reroute(parse: dict, intent: str, entities: Optional[list[dict]] = None) -> dict:
    """A copy of the parse with `intent` to act on (and, for a clarification's yes, its entities)."""
    rerouted = dict(parse)
    rerouted["waymark_rerouted_from"] = (parse.get("intent") or {}).get("name")
    rerouted["intent"] = {"name": intent, "confidence": 1.0}
    if entities is not None:
        rerouted["entities"] = entities
    return rerouted


# --- the clarifying question --------------------------------------------------------------------

WHO_WORDS = {SELF: "for you", FAMILY: "for you, as a family member", YOUNG: "for you, as a young person",
             PRO: "for someone you work with"}
SUBSTANCE_WORDS = {"alcohol": "drinking", "opioids": "heroin or other opioids", "crack": "crack",
                   "cocaine": "cocaine", "cannabis": "cannabis", "benzodiazepines": "benzos",
                   "ketamine": "ketamine", "nps": "spice or other new drugs", "ghb": "G",
                   "stimulants": "speed or other stimulants", "prescription": "prescription drugs",
                   "chemsex": "chemsex"}
NEED_WORDS = {"treatment": "help with drugs or alcohol", "needle-exchange": "clean needles",
              "naloxone": "naloxone", "family-support": "support for family", "young-people": "help for young people",
              "carers-assessment": "a carer's assessment", "housing": "housing", "mental-health": "mental health support",
              "prison-release": "help after prison", "pregnancy": "help in pregnancy",
              "employment": "work and training", "advocacy": "an advocate", "mutual-aid": "a support group"}
NEED_WORDS.update({"money-advice": "help with money or fares", "bbv-testing": "hepatitis or HIV testing",
                   "domestic-abuse": "domestic abuse support"})  # issue 20, needs 4-6
# "Yes" and "Something else" send words, as someone would type them (on SMS they do): the
# engine step reads a yes or a no from the words, whatever the classifier made of them.
YES_PAYLOAD, DENY_PAYLOAD, PERSON_PAYLOAD = "yes", "something else", "/ask_human"
NOT_SURE = "Sorry, I'm not sure I understood."
OPEN_QUESTION = ("Sorry, I'm not sure what you'd like me to do. I can find drug and alcohol help near you, for you or "
                 "for someone you care about. What do you need, and where are you (a town or postcode)?")
ASK_WHAT = ("Tell me what you need and where you are, and I'll look. For example: help with drinking, Leeds.")
YES_TO_NOTHING = ("Sorry, I'm not sure what you're saying yes to. I can find drug and alcohol help near you, for you or "
                  "for someone you care about. What do you need, and where are you (a town or postcode)?")
SOMETHING_ELSE = ("OK. Tell me in a few words what you need, and a town or postcode, and I'll look. "
                  "Or you can talk to a person.")
START_BUTTONS = [
    {"title": "Help with drugs or alcohol", "payload": '/find_service{"need": "treatment"}'},
    {"title": "Support for me as family", "payload": "/ask_family_support"},
    {"title": "Talk to a person", "payload": PERSON_PAYLOAD},
]


def _name(code: Optional[str], words: dict, labels: dict) -> Optional[str]:
    if not code:
        return None
    return words.get(code) or labels.get(code, code).lower()


def describe(u: Understood) -> Optional[str]:
    """"support for you, as a family member, near M4", or None when nothing was understood."""
    if not (u.need or u.substance or u.persona or u.place_here):
        return None
    if u.need and u.need != "treatment":
        what = _name(u.need, NEED_WORDS, NEEDS)
    elif u.substance:
        what = f"help with {_name(u.substance, SUBSTANCE_WORDS, SUBSTANCES)}"
    elif u.persona in (FAMILY, YOUNG) or not u.need:
        what = "support"
    else:
        what = NEED_WORDS["treatment"]
    parts = [what]
    if u.persona:
        parts.append(WHO_WORDS[u.persona])
    if u.place:
        parts.append(f"near {u.place}")
    return ", ".join([" ".join(parts[:2])] + parts[2:]) if len(parts) > 1 else parts[0]


def clarifying_question(u: Understood) -> tuple[str, list[dict], Optional[str]]:
    """(text, buttons, the offer to remember for a yes) for a message not understood.

    A yes that answers nothing asked ("yes please" after a listing, or out of the blue) is
    not asked "is this about ...?" back: it is asked what they need."""
    if u.said_yes and not (u.need or u.substance or u.persona_here or u.place_here):
        return YES_TO_NOTHING, START_BUTTONS, None
    described = describe(u)
    if described is None:
        return OPEN_QUESTION, START_BUTTONS, None
    offer = {"intent": search_intent(u), "entities": [
        {"entity": name, "value": value} for name, value in
        (("need", u.need), ("substance", u.substance), ("place", u.place), ("persona", u.persona)) if value]}
    text = f"{NOT_SURE} Is this about {described}?"
    buttons = [{"title": "Yes", "payload": YES_PAYLOAD}, {"title": "Something else", "payload": DENY_PAYLOAD},
               {"title": "Talk to a person", "payload": PERSON_PAYLOAD}]
    return text, buttons, json.dumps(offer, sort_keys=True)


def is_yes(text: str) -> bool:
    return bool(_YES.match(text or ""))


def answer_to_clarification(parse: dict, offer: Any) -> Optional[dict]:
    """The parse to act on when the message says yes to a clarifying question's offer."""
    if not offer or not says_yes(parse):
        return None
    try:
        data = json.loads(offer) if isinstance(offer, str) else dict(offer)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("intent"), str):
        return None
    entities = [e for e in data.get("entities") or [] if isinstance(e, dict)]
    return reroute(parse, data["intent"], clean_entities(entities, ""))


# --- a yes or no to the question just asked -----------------------------------------------------

_NO = re.compile(r"^\s*(n|no|nah|nope|not now|not really|dont|don't|no need|no ta|no thanks?|something else|"
                 r"none of (those|them|these)|not that|thats not it|that's not it|wrong)"
                 r"(?:[\s,]+(no|thanks?|thank you|ta|cheers|i'?m ok|im good|i'?m fine|i'?m alright|not now|need|x|mate))*"
                 r"[\s.!]*$", re.IGNORECASE)
# A button that means "yes" (or "no") to the question it came with: typed words do the same.
YES_TO = {"/request_reminder": "request_reminder", "/request_client_text": "request_client_text"}
NO_TO = {"/decline_reminder": "decline_reminder"}


def is_no(text: str) -> bool:
    return bool(_NO.match(text or ""))


# The model's affirm and deny intents (issue 19) catch the yeses and noes the patterns above do
# not ("yes that would really help thanks", "no i dont think so"), when it is this sure of them.
YES_NO_CONFIDENCE = 0.6
AFFIRM, DENY = "affirm", "deny"


def _model_says(parse: dict, intent: str) -> bool:
    if parse.get("waymark_rerouted_from") == intent:  # already decided a yes or no this turn
        return True
    top = parse.get("intent") or {}
    return top.get("name") == intent and float(top.get("confidence") or 0.0) >= YES_NO_CONFIDENCE


def says_yes(parse: dict) -> bool:
    """A typed yes: the words, or the model's affirm intent (a button's payload is not typed)."""
    text = parse.get("text") or ""
    return not text.startswith("/") and (is_yes(text) or _model_says(parse, AFFIRM))


def says_no(parse: dict) -> bool:
    """A typed no: the words, or the model's deny intent."""
    text = parse.get("text") or ""
    return not text.startswith("/") and not is_yes(text) and (is_no(text) or _model_says(parse, DENY))


_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$", re.DOTALL)
_YES_TITLE = re.compile(r"^(yes|ok|okay)\b", re.IGNORECASE)
_NO_TITLE = re.compile(r"^(no|not now|something else)\b", re.IGNORECASE)


def _button_meaning(payload: Any) -> Optional[tuple[str, list[dict]]]:
    """(intent, entities) of a button's payload, "/request_reminder" or
    '/handover_feedback{"got_help": "yes"}'; None for anything else."""
    found = _PAYLOAD.match(payload) if isinstance(payload, str) else None
    if not found:
        return None
    entities: list[dict] = []
    if found.group(2):
        try:
            values = json.loads(found.group(2))
        except ValueError:
            return None
        if not isinstance(values, dict):
            return None
        entities = [{"entity": k, "value": v} for k, v in values.items() if isinstance(v, str)]
    return found.group(1), entities


def answer_to_offer(parse: dict, buttons: Optional[list[dict]]) -> Optional[tuple[str, Optional[list[dict]]]]:
    """(intent, entities) a typed yes or no means, given the buttons of the question just asked:
    the listed yes and no buttons first, then the first button whose title says yes ("Yes,
    remind me") or no ("No thanks", "Something else"). Entities are None where the parse's own
    are kept."""
    if not buttons:
        return None
    yes, no = says_yes(parse), says_no(parse)
    if not (yes or no):
        return None
    table, title = (YES_TO, _YES_TITLE) if yes else (NO_TO, _NO_TITLE)
    usable = [b for b in buttons if isinstance(b, dict)]
    listed = next((table[b.get("payload")] for b in usable if b.get("payload") in table), None)
    if listed:
        return listed, None
    for button in usable:
        meaning = _button_meaning(button.get("payload"))
        if meaning and title.match(str(button.get("title") or "")):
            return meaning[0], meaning[1] or None
    return None


# --- asking for a person ------------------------------------------------------------------------

# "can i talk to a real person", "is there someone i can speak to", "i want a human", "put me through
# to someone": the model took some of these for a search or a follow-up (issue 19: handover journeys
# were its weakest kind). Read from the words, the warm handover is offered whatever it guessed.
_PERSON = (r"(?:a |an |to a |some )?(?:real |actual |live |proper |human |kind )?(?:person|human|humans|someone|somebody|"
           r"some one|sum1|someone real|anyone|anybody|any one|advisor|adviser|worker|counsellor|operator|"
           r"member of staff|staff)")
_WANTS_PERSON = re.compile(
    rf"\b(?:talk|talking|speak|speaking|chat|chatting|txt|text|texting)\s+(?:to|with|2)\s+{_PERSON}\b(?! (?:there|at|from) )"
    r"|\b(?:real|actual|live|proper) (?:person|human|people|one)\b|\bhuman being\b|\bnot (?:a|to a) (?:bot|robot|machine)\b"
    r"|\b(?:want|need|get|give me|prefer|rather have|is there) (?:a |an )?(?:human|person)\b"
    r"|\bput me (?:through|thru)\b|\bpass me (?:to|on to|onto) (?:a |an )?(?:person|human|someone|somebody|worker)\b"
    r"|\b(?:someone|somebody|anyone|anybody|some one|a person|people) (?:i|to|2) (?:can |could )?(?:actually )?"
    r"(?:talk|speak|chat) (?:to|with)\b"
    r"|\b(?:someone|somebody|anyone|anybody|a person) (?:i|to|2) (?:can |could )?(?:actually )?(?:talk|speak|chat)\b",
    re.IGNORECASE)
# "my son won't talk to anyone", "he doesnt want to speak to someone": about someone else, not a request.
_WONT_TALK = re.compile(r"\b(?:won'?t|wont|will not|doesn'?t|doesnt|does not|didn'?t|didnt|refuses?|refused|never|"
                        r"can'?t get (?:him|her|them))(?: want)?(?: to| wanna)? (?:talk|speak|chat|open up)\b", re.IGNORECASE)
# "can i speak to someone there", "who do i talk to at the service": the listing's phone, not a handover.
_AT_THE_SERVICE = re.compile(r"\b(?:someone|somebody|anyone|a person|them) (?:there|at (?:the|that) (?:place|service|clinic|"
                             r"pharmacy|hub|centre|center))\b", re.IGNORECASE)


def wants_a_person(parse: dict) -> bool:
    """Whether the message asks, in words, to talk to a person (a button's payload is not words;
    a message naming a place is a search, whose reply offers a person too)."""
    text = (parse.get("text") or "").replace("\u2019", "'")
    if not text or text.startswith("/") or len(text.split()) > 25:
        return False
    if any(e.get("entity") == "place" for e in parse.get("entities") or []):
        return False
    intent = parse.get("intent") or {}
    if intent.get("name") == "crisis" and float(intent.get("confidence") or 0) >= CONFIDENT:
        return False
    return bool(_WANTS_PERSON.search(text)) and not _WONT_TALK.search(text) and not _AT_THE_SERVICE.search(text)


# --- a form the person does not answer is left ---------------------------------------------------

# Said to a form's question, these are not an answer: the form is left, and the dialogue
# answers the message as if no form were open.
NOT_AN_ANSWER = frozenset({
    "thank", "goodbye", "greet", "bot_challenge", "out_of_scope", "crisis", "ask_human",
    "ask_confidentiality", "ask_legal_advice", "request_client_text",
} | (SEARCHING_INTENTS - {"inform_place", "find_service"}))
QUESTIONS_AND_GOODBYES = frozenset({"thank", "goodbye", "greet", "bot_challenge", "out_of_scope", "crisis",
                                   "ask_human", "ask_confidentiality", "ask_legal_advice"})
LEFT_FORM = {
    "find_service_form": "OK, I'll leave the search for now.",
    "reminder_form": "OK, no reminder for now.",
    "carers_assessment_form": "OK, we can leave the carer's assessment for now.",
}
_PLACE_WORDS = re.compile(r"\b(in|near|nr|live|living|from|postcode)\b", re.I)
_POSTCODE = re.compile(r"^\s*[a-z]{1,2}\d[a-z\d]?(\s*\d[a-z]{2})?\s*$", re.IGNORECASE)
_DAY_WORDS = re.compile(r"\d|\b(mon|tue|wed|thu|fri|sat|sun|today|tomorrow|tmrw|tmw|next|week|month|jan|feb|mar|apr|"
                        r"may|jun|jul|aug|sep|sept|oct|nov|dec)", re.IGNORECASE)


def place_attempt(requested_slot: Optional[str], parse: dict) -> bool:
    """Whether a word or two the model took for small talk answers "where are you?": "Zzyzx" is a
    place the form can't find (it says so and asks again), not something to apologise for."""
    text = parse.get("text") or ""
    intent = (parse.get("intent") or {}).get("name")
    return (requested_slot in ("place", "cared_for_place") and intent == "out_of_scope" and not text.startswith("/")
            and 0 < len(text.split()) <= 2 and not (says_yes(parse) or says_no(parse)))


def leaves_form(loop: str, requested_slot: Optional[str], parse: dict) -> bool:
    """Whether a message leaves the form that asked for `requested_slot` instead of answering.

    The answer itself, a place for a "where" question, a day for a "when", is never a reason
    to leave; nor is a message the form can read as an unknown place ("Zzyzx": it says so and
    asks again). A yes, a no, thanks, another question or another journey is.
    """
    text = parse.get("text") or ""
    intent = (parse.get("intent") or {}).get("name") or FALLBACK
    if text.startswith("/") and intent in ("inform_persona", "inform_place", "inform_date"):
        return False
    if _POSTCODE.match(text) and requested_slot != "appointment_date":
        return False  # "ZZ9 9ZZ": the form says it doesn't know that place, and asks again
    if requested_slot == "persona":  # "who is it for?" can always be ignored: the form moves on
        return intent in QUESTIONS_AND_GOODBYES
    if loop == "reminder_form" or requested_slot == "appointment_date":
        if intent in ("inform_date", "request_reminder") or (_DAY_WORDS.search(text) and intent not in NOT_AN_ANSWER):
            return False
        return True
    if any(e.get("entity") == "place" for e in parse.get("entities") or []) and intent not in NOT_AN_ANSWER:
        return False
    if place_attempt(requested_slot, parse):
        return False
    if intent in NOT_AN_ANSWER or says_yes(parse) or says_no(parse):
        return True
    # A word or three is an attempt at a place ("Zzyzx": the form says it doesn't know it, and
    # asks again); a whole sentence with no place, no number and no "in"/"near" is something else.
    return (intent not in ("inform_place", "find_service") and len(text.split()) > 4
            and not re.search(r"\d", text) and not _PLACE_WORDS.search(text))

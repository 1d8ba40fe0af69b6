"""Who is asking, remembered for the conversation.

The same question gets a different right answer for a person who uses drugs, for someone
who cares about them, for a young person and for a professional. We recognise it from how
people write ("my son", "my client", "im 15"), keep it in the `persona` slot, and ask at
most once, lightly, and only where the answer depends on it.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import latest_intent, latest_text

SELF, FAMILY, YOUNG, PRO = "self", "family", "young-person", "professional"
PERSONAS = (SELF, FAMILY, YOUNG, PRO)
UNSAID = "not-said"  # we asked once and they did not say: never ask again
ADULT_AGE = 18

_PRO = re.compile(
    r"\b(my|our|a|the) (patients?|clients?|service users?|residents?|tenants?|caseload|detainees?|pupils?)\b"
    r"|\bone of (my|our) (students|pupils|clients|patients|residents|tenants|young people)\b"
    r"|\bi(?:'m| am|m) an? (?:(?:community|practice|school|mental health|district|specialist|hospital|prison|ward"
    r"|student|senior|trainee|a&e|ae|drug|drugs|alcohol|recovery|family support|youth|care|outreach|peer|"
    r"safeguarding|pastoral) )?(gp|nurse|doctor|receptionist|support worker|key ?worker|social worker"
    r"|housing officer|probation officer|hostel worker|outreach worker|paramedic|police officer|pcso"
    r"|custody sergeant|pharmacist|midwife|teacher|health visitor|care coordinator|youth worker|worker"
    r"|counsellor|psychologist|psychiatrist|healthcare assistant|hca|practice manager|hostel manager"
    r"|manager|team leader|lead|social work student|dsl|head teacher|headteacher|officer|volunteer)\b"
    r"|\b(i work (in|at|for|with)|for (my )?work|as a professional|take referrals|make a referral"
    r"|refer (a|my|our|someone|somebody)|referral (route|form|pathway)|custody suite|our hostel"
    r"|on behalf of (a|my|our) (client|patient|resident|service user|pupil|student|tenant))\b"
    r"|\b((i'?m|i am|im) (from|with)|calling from|ringing from|messaging from|writing from) (the |a |our )?(gp|hostel|housing|probation|police"
    r"|council|surgery|practice|hospital|school|college|charity|pharmacy|ward)\b"
)
# Frontline staff often start with their job, as a label: "probation officer here.", "custody sergeant, bloke in
# the cells...", "gp receptionist - patient wants...", "im the pharmacist at...", "support worker. client wants...".
# A job at the very start, or followed by "here", says who is writing; "my probation officer told me" does not.
_JOBS = (r"(?:(?:community|practice|school|mental health|district|specialist|hospital|prison|ward|student|senior|trainee|"
         r"a&e|ae|drug|drugs|alcohol|recovery|family support|youth|care|outreach|peer|safeguarding|pastoral|duty|custody|"
         r"police|gp|surgery|hostel|housing|homeless|probation|liaison|locum|charge|staff|night|support|substance misuse|"
         r"street|rough sleeper|criminal justice|nhs|council|pharmacy|dispensing) )*"
         r"(?:gp|nurse|doctor|receptionist|support worker|key ?worker|social worker|housing officer|probation officer|"
         r"probation worker|hostel worker|outreach worker|paramedic|police officer|pcso|custody sergeant|custody officer|"
         r"detention officer|pharmacist|pharmacy technician|dispenser|midwife|teacher|health visitor|care coordinator|"
         r"youth worker|counsellor|psychologist|psychiatrist|healthcare assistant|hca|practice manager|hostel manager|"
         r"hostel staff|project worker|navigator|case worker|caseworker|offender manager|liaison worker|sergeant|"
         r"social work student|dsl|head teacher|headteacher|link worker|worker)")
_JOB_LABEL = re.compile(
    rf"(?:^|[.!?;]\s+)(?:hi|hello|hiya|hey|morning|afternoon)?[\s,.!]*(?:i'?m |im |i am )?(?:an? |the )?{_JOBS}\b"
    r"(?:\s+here\b|\s*[,.:;\-–]|\s+and\b|\s*$|\s+(?:at|in|from|with|for) (?:a|an|the|our) (?:local )?"
    r"(?:gp|surgery|practice|hostel|pharmacy|chemist|hospital|ward|school|college|prison|probation|police|custody|"
    r"council|housing|charity|a&e|health centre|medical centre)\b)"
    rf"|\bi(?:'m| am|m) (?:an?|the|his|her|their) {_JOBS}\b"
    r"|\b(?:detainees?|in the cells|on my books|on my caseload|my caseload|in custody with us|in our custody|"
    r"at the (?:pharmacy )?counter|(?:work|working) (?:in|at|for) (?:police custody|a custody suite|the custody suite|"
    r"a hostel|the hostel|probation|a gp|the gp|a surgery|the surgery|a pharmacy|the pharmacy|a chemist))\b")
_YOUNG = re.compile(
    r"\b(young carer|at school|in year (?:[7-9]|1[0-3])|my teacher|sixth form|im a kid|i'm a kid"
    r"|im a teenager|i'm a teenager|under 18|under eighteen)\b"
)
_AGE = re.compile(
    r"\b(?:i(?:'m| am|m)|aged?|age is)\s+(\d{1,2})\b(?!\s*(?:mins?|minutes?|miles?|hours?|hrs?|days?"
    r"|weeks?|wks?|months?|years? (?:clean|sober|off|on|using|drinking)|pounds|quid|units?|pints?|cans?"
    r"|bottles?|grams?|g\b|mg|ml|bags?|%|percent))"
    r"|(?<!my )(?<!our )(?<!his )(?<!her )\b(\d{1,2})\s*(?:yo|y/o|yrs? old|years? old|year old)\b"  # not "my 16 year old son"
)
_SELF_USE = re.compile(
    r"\b(i|im|i'm|i am|ive|i've) (use|using|drink|drinking|smoke|smoking|take|taking|inject|injecting"
    r"|on the|on a script|been using|been drinking|relapsed|need (a detox|clean))\b"
    r"|\bmy (own )?(drinking|use|using|habit|script|methadone|recovery|key ?worker)\b"
)
# "Help for me", "its me": the person is asking for themselves, but that says nothing about who
# uses. Beside a relative ("is there anything for me, his dad", "my wife drinks, any support for
# me") it is a family member asking for support in their own right (issue 20), so these words
# count as "self" only when no relative is named.
_FOR_ME = re.compile(r"\b(for me|for myself|its me|it's me|it is me|just me|myself"
                     r"|(i|im|i'm|i am) need (help|some help))\b")
_FAMILY = re.compile(
    r"\b(my|our) (?:(?:little|big|younger|older|eldest|youngest|oldest|baby|twin|teenage|adult|grown up|only"
    r"|\d{1,2} ?(?:yo|year old|yr old|yr|year)) )?(son|sons|daughter|daughters|husband|wife|partner|boyfriend"
    r"|girlfriend|brother|sister|mum|mam|mom|mother|dad|father|parents?|child|children|kids?|friend|mate|best mate"
    r"|nephew|niece|grandson|granddaughter|grandchild|grandchildren|grandkids?|uncle|auntie|aunt|cousin|fiance"
    r"|fiancee|loved one|other half|flatmate|step ?son|step ?daughter|step ?dad|step ?mum|nan|nana|gran|granny"
    r"|grandma|grandad|grandpa|grandmother|grandfather|bf|gf|hubby|missus|misses|fella|ex|lad|boy|girl|eldest"
    r"|youngest|bro|sis|teenager|teen|in ?laws?|(?:son|daughter|mother|father|brother|sister)[ -]in[ -]law)(?:(?<!friend)(?<!mate)'?s)?\b"  # "my husbands on spice"; "my mates say" is not
    r"|\b(someone i care about|someone i love|for a friend|for a family member|i'?m a carer|i am a carer"
    r"|(i'?m|i am|im) (a|an|his|her|their|the) (mum|mam|dad|parent|partner|wife|husband|sister|brother|nan|nana|gran"
    r"|granny|grandma|grandad|grandparent|grandmother|grandfather|aunt|auntie|aunty|uncle|guardian|special guardian"
    r"|kinship carer|foster carer|step ?mum|step ?dad|carer|girlfriend|boyfriend)|as a (parent|grandparent|carer)"
    r"|as his (mum|dad|wife|partner)|as her (mum|dad|husband|partner)"
    r"|grandparents? (raising|bringing up|looking after|caring for)"
    r"|me,? (his|her|their) (mum|mam|mom|dad|mother|father|wife|husband|partner|sister|brother|nan|gran|grandma"
    r"|grandad|aunt|auntie|uncle))\b"
    # A relative named without "my", first thing: "mum drinks all day", "nan here", "dad's on the gear"
    r"|^(mum|mam|mom|dad|nan|nana|gran|grandma|grandad|husband|wife|partner)('?s)? (drinks|uses|is|has|takes|smokes"
    r"|here|on)\b"
)
_PARENT = re.compile(r"\bmy (mum|mam|mom|mother|dad|father|parents?|step ?dad|step ?mum)\b")


# A worker writing about someone under 18 ("a 15 year old", "one of my pupils", "a young person").
_YOUNG_CLIENT = re.compile(
    r"\b(young (person|people|persons)|teenager|teen|under 18|under eighteen|pupils?|school ?(kid|child|boy|girl)s?"
    r"|(1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen) ?(yo|y/o|yr old|year old|years old)|a child|child in care"
    r"|looked after child|in year (?:[7-9]|1[0-3])|(?:my|our|a|one of my|one of our) (?:year|yr) (?:[7-9]|1[0-3])s?)\b")


def about_young_person(text: str) -> bool:
    """Whether a professional's message is about a young person (their client, not themselves)."""
    return bool(_YOUNG_CLIENT.search(_lower(text)))


def _lower(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").lower().replace("’", "'"))


def detect_age(text: str) -> Optional[int]:
    match = _AGE.search(_lower(text))
    if not match:
        return None
    age = int(match.group(1) or match.group(2))
    return age if 8 <= age <= 99 else None


def detect_persona(text: str, age: Optional[int] = None) -> Optional[str]:
    """Who is asking, from the words alone; None when the message does not say."""
    t = _lower(text)
    if not t or t.startswith("/"):
        return None
    age = age if age is not None else detect_age(t)
    if _PRO.search(t) or _JOB_LABEL.search(t):
        return PRO
    if _YOUNG.search(t) or (age is not None and age < ADULT_AGE):
        return YOUNG
    if _SELF_USE.search(t):
        return SELF
    if _FAMILY.search(t):
        return FAMILY
    if _FOR_ME.search(t):
        return SELF
    return None


def clean_persona(value: Any) -> Optional[str]:
    if isinstance(value, list):
        value = next((v for v in value if v in PERSONAS), value[-1] if value else None)
    if value in PERSONAS:
        return value
    if isinstance(value, str):  # an unmapped entity such as "my stepson"
        return detect_persona(value)
    return None


def persona_of(tracker: Tracker) -> Optional[str]:
    """The remembered persona, or what the latest message says."""
    known = clean_persona(tracker.get_slot("persona"))
    if known:
        return known
    return detect_persona(latest_text(tracker), _age(tracker))


def _age(tracker: Tracker) -> Optional[int]:
    try:
        return int(tracker.get_slot("age")) if tracker.get_slot("age") is not None else None
    except (TypeError, ValueError):
        return None


def _entity_persona(tracker: Tracker) -> Optional[str]:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "persona":
            value = clean_persona(entity.get("value"))
            if value:
                return value
    return None


def context_events(tracker: Tracker) -> List[Dict[Text, Any]]:
    """Slot events for what the latest message tells us about who is asking.

    An explicit answer (inform_persona, a button) replaces what we thought; a passing
    mention only fills a gap, so a parent who later says "i drink too" is not turned into
    someone else mid-conversation. Being under 18, or writing as a professional, always
    counts: a child worried about a parent gets the young person's route.
    """
    text = latest_text(tracker)
    intent = latest_intent(tracker)
    events: List[Dict[Text, Any]] = []
    age = detect_age(text)
    if age is not None and age != _age(tracker):
        events.append(SlotSet("age", age))
    slot = tracker.get_slot("persona")
    current = slot if slot in PERSONAS else None
    explicit = _entity_persona(tracker)
    if intent == "ask_referral_route":
        explicit = PRO
    detected = detect_persona(text, age)
    if age is not None and age < ADULT_AGE:
        found, strong = YOUNG, True
    elif detected in (YOUNG, PRO):
        found, strong = detected, True
    else:
        found, strong = explicit or detected, explicit is not None and intent in ("inform_persona", "ask_referral_route")
    if found and found != current and (current is None or strong):
        events.append(SlotSet("persona", found))
    elif slot not in (None, UNSAID) and current is None and not found:
        events.append(SlotSet("persona", None))  # a value we cannot use
    return events


class ActionExtractContext(Action):
    """Custom slot mapping for `persona` and `age`: runs on every message, no directory."""

    def name(self) -> Text:
        return "action_extract_context"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        return context_events(tracker)


PERSONA_BUTTONS = [
    {"title": "For me", "payload": '/inform_persona{"persona": "self"}'},
    {"title": "For someone I care about", "payload": '/inform_persona{"persona": "family"}'},
    {"title": "I'm under 18", "payload": '/inform_persona{"persona": "young-person"}'},
    {"title": "For my work", "payload": '/inform_persona{"persona": "professional"}'},
]

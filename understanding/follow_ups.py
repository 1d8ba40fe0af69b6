"""Follow-up questions about the listing just given: "any others?", "what's the address",
"does it cost anything", "is it open on saturday", "do they do naloxone".

Read from the words, whatever intent the model guessed: short questions like these are where
it guesses worst (issue 19: "does it cost anything" was once taken for a crisis). Only asked
when a listing has been given (the dialogue checks), and never for a message that names a
new place: that is a new search. Plain and fast (a few regular expressions, microseconds).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

# The kinds, as the `follow_up` entity carries them (web chat card buttons send them too).
OTHERS, ADDRESS, PHONE, HOURS, COST, DIRECTIONS, FEATURES, OPEN_NOW, ABOUT = (
    "others", "address", "phone", "hours", "cost", "directions", "features", "open_now", "about")
LANGUAGE = "language"  # "do they speak polish", "can i get an interpreter there" (issue 20, need 9)
KINDS = (OTHERS, ADDRESS, PHONE, HOURS, COST, DIRECTIONS, FEATURES, OPEN_NOW, ABOUT, LANGUAGE)
INTENT = "EXTERNAL_listing_follow_up"
LONGEST = 14  # words: a longer message is a new request, not a follow-up

DAYS = {"mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
        "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
        "sun": 6, "sunday": 6}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FEATURE_WORDS = (
    (re.compile(r"\bnaloxone|nyxoid|prenoxad|overdose kit"), "naloxone"),
    (re.compile(r"\bneedle|\bsyringe|\bworks\b|\bpins?\b|\bclean kit"), "needle-exchange"),
    (re.compile(r"\bwom[ae]n|\bfemale|\bladies"), "women-only"),
    (re.compile(r"\bwalk ?ins?\b|\bwalk in\b|\bdrop ?in|\bwithout (an )?appointment|\b(need|have|got) (to (make|get|book) )?(an |a )?appointment|"
                r"\bappointment first|\bjust (turn|rock|show) up\b|\bturn up\b|\b(need|have) to book\b|\bbook (first|ahead)\b"),
     "walk-in"),
    (re.compile(r"\bself ?refer|\brefer (my ?self|me)\b|\bneed (a|my) gp\b|\bgp referral|\breferral\b|"
                r"\b(see|ask) (my |the |a )?(gp|doctor)\b|\bletter from\b|\bgp letter"), "self-referral"),
    (re.compile(r"\bkids?\b|\bchild|\bchildren|\bbaby|\bpram|\btoddler|\bbairns?\b"), "child-friendly"),
)

_PATTERNS = (
    (OTHERS, re.compile(r"\b(any|are there|got|have you got|is there|owt|summat) ?(others?|more|else|owt else)\b|"
                        r"\bother (ones?|options?|places?|services?|ones near)\b|\banother (one|option|place|service)\b|"
                        r"\b(anywhere|anything|somewhere|some where|someplace|any place|a place|one|ones?) "
                        r"(else|closer|nearer|different|near ?er)\b|\bwhat else\b|\b(next|second|third) "
                        r"(one|nearest|closest|option|place)\b|\bany ?more\b|\bnot that one\b|\bsomething closer\b|"
                        r"\bany (closer|nearer)\b|\banything (else|closer|nearer)\b|\balternatives?\b|"
                        r"\bshow me (more|others?|another)\b|\bmore (options?|places?|services?|ones|choices?)\b|"
                        r"\b(find|give|show|try|got|get) (me |us )?(another|a different)\b|\bdifferent (one|place|service|"
                        r"option)s?\b|\btoo far\b|\b(closer|nearer) (one|place|option|service)s?\b|\bsomewhere different\b|"
                        # texted shorthand: "only one?", "is that the only one", "more please", "wat else is there",
                        # "nothing closer?", "show me the rest", "give me a few more", "anythin else"
                        r"\b(the )?only one\b|\bonly (place|service|option)\b|^(and |ok |so )?(others?|more|next|next one|"
                        r"the rest)( please| pls| plz| then)?\??$|\bwhat about (others?|the others|other ones|"
                        r"anywhere else)\b|\bmore (please|pls|plz)\b|\b(wat|wot|what|whats|what's) else\b|"
                        r"\bnothing (closer|nearer|else)\b|\b(see|show|give|list|send) (me )?(the rest|a few more|some more|"
                        r"more|a couple more)\b|\banythin\'? else\b|\banyting else\b|\bany (other|more) (ones?|places?|services?|"
                        r"options?)\b|\bany ?where (closer|nearer|else)\b")),
    (LANGUAGE, re.compile(r"\b(speak|speaks|speaking|speakers?)\b(?! (to|with) (them|someone|somebody|a person|anyone|"
                          r"a worker|the))|\b(interpreters?|translators?|translate|languages?)\b")),
    (FEATURES, re.compile(r"\b(do|does|can|will|is|are) (they|it|you|that|there|them|the place|i)\b.*\b(naloxone|nyxoid|"
                          r"needles?|syringes?|works|pins|wom[ae]n|female|walk ?in|drop ?in|kids?|child|children|"
                          r"self ?refer|refer my ?self|referral|gp|doctor|letter|appointment|turn up|book|baby|pram|"
                          r"toddler|ladies|show up|rock up)")),
    # A feature said on its own: "walk in?", "women only?", "naloxone?", "drop in?"
    (FEATURES, re.compile(r"^(and |ok |so |what about |wot about )?(walk ?ins?|drop ?ins?|wom[ae]n only|women'?s only|"
                          r"female only|ladies only|naloxone|nyxoid|needles?|needle exchange|self ?referral|self refer|"
                          r"kids|child friendly)( then| though| there)?\??$")),
    (COST, re.compile(r"\b(cost|costs|costing|price|pay|paying|charge|charges|fee|fees|how much)\b|\bis (it|that) free\b|"
                      r"\bfree\?|\bis (it|that|this) (on the )?nhs\b|\bnhs\?")),
    (DIRECTIONS, re.compile(r"\bget there\b|\bdirections?\b|\bwhich bus\b|\bwhat bus\b|\bby bus\b|\bhow (do|can|would) i "
                            r"(get|find)\b(?! hold| in touch)|\bhow far\b|\bparking\b|\bnearest (bus|train|station|stop)\b|"
                            r"\b(bus|train|tram) (there|to it)\b|\bget the (bus|train|tram)\b")),
    (ADDRESS, re.compile(r"(?<!email )(?<!e-mail )\baddress\b|(?<!email )(?<!e-mail )\badd?res+\b|\baddy\b|\bwhere ?abouts\b|\bpost ?code\b|\bwhere (is|are|r) (it|they|that|them|u)\b|\bwheres (it|that)\b|"
                         r"\bwhat street\b|\bwhere exactly\b|\blocation\b")),
    (OPEN_NOW, re.compile(r"\b(open|opened) (now|rn|atm|right now|at the moment|yet|today|tonight)\b|\bstill open\b|"
                          r"\bare (they|u|you) open\b|\bis (it|that|the place) open\??$|\bopen (at the (minute|mo|moment))\b|"
                          r"\bcan i (go|pop|come|turn up|get) (down |in |over |round )?(now|today|tonight)\b")),
    (HOURS, re.compile(r"\bhours\b|\bopening\b|\bopen (on|at|this|tomorrow|tmrw|tmoz|tomoz|mon|tue|wed|thu|fri|sat|sun|weekends?|"
                       r"evenings?|late)|\bwhat time\b|\bwhen (is|are|do|does) (it|they|that|the place)\b|\bclos(e|es|ing)\b|"
                       r"\bweekends?\b|\bsaturday|\bsunday|\btimes\b|\bwhen\b.*\bopen\b|\bopen\??$|\b(which|what) days?\b|"
                       r"\bbank (holiday|hol)s?\b|\bwhen (can|could|should) i (go|come|pop|turn up|get there|visit|drop in)\b|"
                       r"\bhow late\b|\bshut\b")),
    # "their no" is a number; a bare "no" ("no i mean for me") is not
    (PHONE, re.compile(r"\b(phone|number|numbr|numba|numbers|nummber|numer|tel|ring|call|text|contact|email|e-mail|digits|"
                       r"fone|phne|mobile)\b|\bget hold of\b|\bget in touch\b|\bcontact (details|info)\b|"
                       r"\b(their|there|thier|the|ur|your|its|whats the|what's the|wats the) no\b|"
                       r"\b(reach|speak to|talk to) (them|someone there|the service)\b|\bhow (do|can) i book\b")),
)
_PLACE_WORDS = re.compile(r"\b(near|in|around|nr)\s+[a-z]{2,}\d|\b[a-z]{1,2}\d{1,2}[a-z]?\b", re.IGNORECASE)


@dataclass(frozen=True)
class FollowUp:
    kind: str
    day: Optional[str] = None       # "saturday", "weekend", "today", "tomorrow"
    feature: Optional[str] = None   # a feature code's tail: "naloxone", "women-only", ...


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w?' ]+", " ", (text or "").casefold().replace("\u2019", "'"))).strip()


def day_in(text: str) -> Optional[str]:
    words = _normal(text).replace("?", " ").split()
    if "weekend" in words or "weekends" in words:
        return "weekend"
    for word in words:
        if word in DAYS:
            return WEEKDAYS[DAYS[word]]
    if "tomorrow" in words or "tmrw" in words or "tmoz" in words or "tomoz" in words:
        return "tomorrow"
    if "today" in words or "tonight" in words:
        return "today"
    return None


def feature_in(text: str) -> Optional[str]:
    text = _normal(text)
    return next((code for pattern, code in FEATURE_WORDS if pattern.search(text)), None)


def follow_up(text: str) -> Optional[FollowUp]:
    """The follow-up a short message asks, or None (then it is not one). A postcode in it
    makes it a new search."""
    text = _normal(text)
    if not text or len(text.split()) > LONGEST or _PLACE_WORDS.search(text):
        return None
    for kind, pattern in _PATTERNS:
        if pattern.search(text):
            if kind == FEATURES:
                return FollowUp(FEATURES, feature=feature_in(text))
            if kind in (HOURS, OPEN_NOW):
                day = day_in(text)
                if kind == OPEN_NOW and day not in (None, "today"):
                    kind = HOURS
                return FollowUp(kind, day=day)
            return FollowUp(kind)
    return None


def about_words(text: str) -> bool:
    """"tell me about X", "what is X", "info on X": asking about a service by its name."""
    return bool(re.search(r"\b(tell me (about|more)|what is|whats|what's|info|information|details|more about|who (is|are)|"
                          r"heard of|know about|about)\b|\bwhat (does|do) .{1,40} do\b|\bwhat (do|can) (they|you) "
                          r"(do|offer)\b|\bwhat (is|are) .{1,30} (like|for)\b", _normal(text)))


# Intents the model is sure of that a follow-up's words must not override.
NOT_A_FOLLOW_UP = {"ask_human", "crisis", "goodbye", "request_reminder", "decline_reminder", "handover_consent",
                   "handover_feedback", "request_client_text", "tell_relapse", "tell_waiting"}


def entities_for(kind: str, found: Optional[FollowUp], service_id: Optional[str]) -> list[dict]:
    entities = [{"entity": "follow_up", "value": kind}]
    if found is not None and found.day:
        entities.append({"entity": "day", "value": found.day})
    if found is not None and found.feature:
        entities.append({"entity": "feature", "value": found.feature})
    if service_id:
        entities.append({"entity": "service", "value": service_id})
    return entities


# "where is X", asked about a service by name (the name is checked by the caller).
_WHERE_IS = re.compile(r"^(where|wheres|where's) (is|are|r|s)?\s?(the )?\w")

# How to refer to a service named in the message (the name is checked by the caller).
# ("refer a patient for alcohol detox" is a search for a detox route, not a question about a name.)
_REFER_TO = re.compile(r"\b(refer|referral|referred|referring)\b( (him|her|them|me|myself|someone|a client|my client))?"
                       r" (to|into)\b")

# Words of a search, not of a question about one service: "is there a women only service near LS7"
# names no service, though "women" is a word of one's name.
_SEARCHING = re.compile(r"\b(is there|are there|any|anywhere|somewhere|looking for|find|need|want|where can)\b")


def act_on(parse: dict, has_listing: bool, named_service_id: Optional[str] = None) -> Optional[tuple[str, list]]:
    """(intent, entities) when the message is a follow-up on the listing just given, or asks
    about a service by name; else None. A message that names a place is a new search."""
    text = parse.get("text") or ""
    if text.startswith("/"):
        return None
    intent = parse.get("intent") or {}
    if intent.get("name") in NOT_A_FOLLOW_UP and (intent.get("confidence") or 0) >= 0.6:
        return None
    found = follow_up(text)
    short = len(_normal(text).split()) <= LONGEST
    if named_service_id and found is None and short and feature_in(text) and not _SEARCHING.search(_normal(text)):
        found = FollowUp(FEATURES, feature=feature_in(text))  # "is headingley pharmacy still doing needles"
    if named_service_id and found is None and short and _WHERE_IS.search(_normal(text)):
        found = FollowUp(ADDRESS)  # "where is leeds carers assessments"
    if named_service_id and found is None and short and _REFER_TO.search(_normal(text)):
        found = FollowUp(FEATURES, feature="self-referral")  # "how do i refer to the leeds release team"
    if any(e.get("entity") == "place" for e in parse.get("entities") or []):
        # A new place is a new search; only a real question about a named service whose name
        # holds the place ("when is kirkgate chemist open", "what does harehills peer support do")
        # is not.
        if not (named_service_id and (found is not None or about_words(text))):
            return None
    if named_service_id:
        if found is not None:
            return INTENT, entities_for(found.kind, found, named_service_id)
        if about_words(text) or len(_normal(text).split()) <= 4:
            return INTENT, entities_for(ABOUT, None, named_service_id)
        return None
    if has_listing and found is not None:
        return INTENT, entities_for(found.kind, found, None)
    return None


# What a search can ask for beyond the need (issue 20 item 11): "a women only service in leeds",
# "anywhere i can just walk in", "somewhere open late", "open at the weekend near LS6".
WANTED = (
    (re.compile(r"\bwom[ae]n(s|'s)? only|\bjust for wom[ae]n|\bfor wom[ae]n\b|\bfemale only|\bladies only|\ball wom[ae]n"),
     "women-only"),
    (re.compile(r"\b(bring|take|with) (my |the |me )?(kids?|child|children|baby|toddler|pram)\b|\bchild ?friendly|"
                r"\bcreche\b|\b(kids?|children|baby|toddler) (with me|along|too)\b"),
     "child-friendly"),
    (re.compile(r"\bwalk ?in\b|\bdrop ?in\b|\bjust turn up\b|\bturn up\b|\bwithout (an )?appointment|"
                r"\bno appointment"), "walk-in"),
    (re.compile(r"\bself ?refer|\brefer (my ?self|me)\b|\bwithout (a |my )?(gp|doctor)|\bno (gp|doctor)"),
     "self-referral"),
    (re.compile(r"\bopen (now|rn|right now|today|at the moment)\b|\bstill open\b|\bopen tonight\b"), "open-now"),
    (re.compile(r"\b(open|opens|opening) (late|in the evenings?|evenings?|after work|after 5|after five|after six)\b|"
                r"\bevening (sessions?|clinic|opening)|\blate opening"), "evenings"),
    (re.compile(r"\b(open|opens|opening)( on| at)?( the| a)? (weekends?|saturdays?|sundays?)\b|\bweekend (sessions?|opening)"),
     "weekends"),
)


def wanted_in(text: str) -> tuple[str, ...]:
    """The features a search message asks for, in a fixed order ("women-only", "walk-in", ...)."""
    text = _normal(text)
    return tuple(code for pattern, code in WANTED if pattern.search(text))

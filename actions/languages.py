"""Languages (issue 20, need 9): "anyone who speaks polish?", "my english is not good".

A language asked for is read from the words (`asked_language`), because there is no entity
for it: a language name only counts when the words ask about speaking it ("speaks polish",
"in urdu", "a polish speaker", "polish interpreter"), so "my polish husband drinks" is not a
filter. The search then keeps the services whose listing gives that language
(`directory.search`'s language filter), and the reply says which language the listing gives.
Whatever is found, NHS-funded services can usually arrange an interpreter (DESIGN.md): ask
when you ring. Plain data in, plain text out; no channel, no dialogue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Language


@dataclass(frozen=True)
class Asked:
    """What the words ask for: a language (name and code), or both None when they ask for help
    with language without naming one ("interpreter", "my english is bad")."""

    name: Optional[str]
    code: Optional[str]


# Languages often asked for in England, with the ways people spell them: (name, ISO 639 code).
LANGUAGES = {
    "polish": ("Polish", "pl"), "polski": ("Polish", "pl"), "polsku": ("Polish", "pl"), "urdu": ("Urdu", "ur"),
    "punjabi": ("Punjabi", "pa"), "panjabi": ("Punjabi", "pa"), "arabic": ("Arabic", "ar"),
    "romanian": ("Romanian", "ro"), "portuguese": ("Portuguese", "pt"), "bengali": ("Bengali", "bn"),
    "bangla": ("Bengali", "bn"), "somali": ("Somali", "so"), "kurdish": ("Kurdish", "ku"),
    "farsi": ("Farsi", "fa"), "persian": ("Farsi", "fa"), "lithuanian": ("Lithuanian", "lt"),
    "latvian": ("Latvian", "lv"), "russian": ("Russian", "ru"), "ukrainian": ("Ukrainian", "uk"),
    "tigrinya": ("Tigrinya", "ti"), "mandarin": ("Mandarin", "zh"), "cantonese": ("Cantonese", "yue"),
    "chinese": ("Chinese", "zh"), "gujarati": ("Gujarati", "gu"), "hindi": ("Hindi", "hi"),
    "french": ("French", "fr"), "spanish": ("Spanish", "es"), "italian": ("Italian", "it"),
    "czech": ("Czech", "cs"), "slovak": ("Slovak", "sk"), "hungarian": ("Hungarian", "hu"),
    "bulgarian": ("Bulgarian", "bg"), "turkish": ("Turkish", "tr"), "pashto": ("Pashto", "ps"),
    "tamil": ("Tamil", "ta"), "welsh": ("Welsh", "cy"), "albanian": ("Albanian", "sq"),
    "amharic": ("Amharic", "am"), "vietnamese": ("Vietnamese", "vi"), "tagalog": ("Tagalog", "tl"),
    "bsl": ("British Sign Language", "bfi"), "british sign language": ("British Sign Language", "bfi"),
    "sign language": ("British Sign Language", "bfi"),
}
_NAMES = "|".join(sorted((re.escape(n) for n in LANGUAGES), key=len, reverse=True))
_SPEAK = r"(po|speaks?|speaking|speaker|speakers|spoke|talks?|talking|in|interpreter|interpreters|translator|translators|translate|translation|language|worker|workers|staff)"
# "speaks polish", "in urdu", "talk arabic"; or "polish speaking", "polish interpreter"
_NOT_LANGUAGE = r"(?!\s+(?:quarter|street|road|st|shops?|restaurants?|food|market|church|club|deli|bakery|community|centre|center|off))"
_ASKED = re.compile(r"\b" + _SPEAK + r"\s+(?:(?:a|an|the|some|any|only|just|good|little|bit|of)\s+){0,4}(" + _NAMES + r")\b" + _NOT_LANGUAGE +
                    r"|\b(" + _NAMES + r")\s*(?:-\s*)?(?:speaking|speakers?|interpreters?|translators?|language|"
                    r"workers?|staff|someone|person|people|only)\b"
                    r"|\b(bsl|british sign language|sign language)\b", re.I)
# Help with language without naming one.
_INTERPRETER = re.compile(r"\b(interpreter|interpret|translator|translat\w*|(my|me) english (is )?(not|no|isnt|isn't|bad|poor)"
                          r"|(no|not much|little|bad|poor) english|(dont|don't|do not|cant|can't) speak (good )?english"
                          r"|english (is )?not my first|speak (a )?little english|other languages?)\b", re.I)


def asked_language(text: str) -> Optional[Asked]:
    """The language the words ask for, or an unnamed language need, or None."""
    text = (text or "").replace("’", "'")
    if not text or text.startswith("/"):
        return None
    found = _ASKED.search(text)
    if found:
        word = next(g for g in found.groups()[1:] if g).lower()
        word = re.sub(r"\s+", " ", word)
        name, code = LANGUAGES[word]
        return Asked(name, code)
    if _INTERPRETER.search(text):
        return Asked(None, None)
    return None


INTERPRETER = "If you need an interpreter, ask when you ring. NHS-funded services can usually arrange one."


def languages_of(session: Session, service_ids: Iterable[str]) -> dict[str, list[str]]:
    """{service id: the languages its listing gives, other than English}, in listed order."""
    ids = list(dict.fromkeys(service_ids))
    out: dict[str, list[str]] = {}
    if not ids:
        return out
    for row in session.scalars(select(Language).where(Language.service_id.in_(ids)).order_by(Language.name)):
        name = (row.name or row.code or "").strip()
        if name and name.lower() not in ("english", "en") and name not in out.get(row.service_id, []):
            out.setdefault(row.service_id, []).append(name)
    return out


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def listed_languages(name: str, languages: list[str]) -> Optional[str]:
    """'The listing for Aire Alcohol Service says they speak Polish and Urdu.' or None."""
    if not languages:
        return None
    return f"The listing for {name} says they speak {_and(languages)}."


def not_spoken_reply(language: str, place_label: str) -> str:
    """Honestly, before the nearest listing: none near here lists the language asked for."""
    return f"I couldn't find a service near {place_label} whose listing says they speak {language}. {INTERPRETER}"


def follow_up_reply(name: str, asked: Optional[Asked], spoken: list[str], phone: Optional[str]) -> str:
    """ "do they speak polish?" about the listing just given: what its listing says, honestly."""
    ring = f"Ring {phone} and ask." if phone else "Ring them and ask."
    if asked is not None and asked.name:
        if asked.name in spoken:
            return f"Yes, the listing for {name} says they speak {asked.name}. {ring} {INTERPRETER}"
        return (f"The listing for {name} doesn't say they speak {asked.name}. {ring} {INTERPRETER} "
                f"Or ask me for a service that speaks {asked.name}.")
    said = f"The listing for {name} says they speak {_and(spoken)}. " if spoken else ""
    return f"{said}{INTERPRETER}"

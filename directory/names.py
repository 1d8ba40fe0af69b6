"""Services asked for by name, fuzzily: "when is kirkgate chemist open", "aire valley".

People name a place the way they remember it: part of the name, misspelt, "chemist" for
"pharmacy". A name matches when the words that tell it apart from other services (in no other
service's name, and not "recovery", "service", "Leeds"...) are in the message, each allowing a typo (`rapidfuzz`'s
ratio at least `WORD_SCORE`), and they make up at least half of the name's telling words.
Generic words alone ("is there a recovery service") never name a service.

Knows no dialogue or channel: it reads services and returns an id. Built once from the
directory and kept for `REFRESH_SECONDS` (about 2 ms for 50 services; a lookup, about 0.1 ms).
"""
from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Service

WORD_SCORE = 85
TYPO_LENGTH = 5  # "when are they open" once named Aire Alcohol Service: "are" is 86% like "aire"
REFRESH_SECONDS = 60.0
# Words many service names share: they never tell one service from another.
GENERIC = frozenset("""
a an and the of for in at on to with by
service services team project group network partnership centre center hub meeting forum
recovery drug drugs alcohol substance support help helpline line advice family families
people young adult adults care carers carer s assessments assessment specialist sample
leeds manchester bristol northern national local nhs council
""".split())
SAME_WORD = {"chemist": "pharmacy", "chemists": "pharmacy", "pharmacist": "pharmacy", "womens": "women",
             "womans": "women", "woman": "women", "centre": "center",
             "peoples": "people"}  # "Young People's": "anything for people like me" names no service
_WORD = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", (text or "").casefold()).replace("'", "").replace("\u2019", "")
    return [SAME_WORD.get(w, w) for w in _WORD.findall(text)]


# Everyday words that are also the one telling word of a name ("Families First Leeds"): alone
# they name nothing ("what happens at the first appointment"), only beside a word of the name.
EVERYDAY = frozenset("""
first new open home house side way step point life light real hope rights work voice release
together change better future fresh start time
""".split())
# Words left out when a name of generic words only is said in full ("leeds carers assessments").
_FILLER = frozenset({"a", "an", "and", "the", "of", "for", "in", "at", "on", "to", "with", "by", "s", "sample"})


@dataclass(frozen=True)
class NamedService:
    service_id: str
    name: str
    words: tuple[str, ...]   # the words of its name that are not generic
    telling: frozenset       # those of them no other service's name has
    all_words: tuple[str, ...] = ()  # every word of its name, in order, bar fillers


def name_words(name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w in words_of(name) if w not in GENERIC and len(w) > 2))


def _likeness(name_word: str, said: str) -> float:
    """How alike a word of a name and a word said are (0-100). A typo is allowed only in words of
    `TYPO_LENGTH` letters or more: "are" is not "Aire", nor "well" "Irwell"."""
    if name_word == said:
        return 100.0
    if min(len(name_word), len(said)) < TYPO_LENGTH:
        return 0.0
    return fuzz.ratio(name_word, said)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _said_in_full(name: tuple[str, ...], said: list[str]) -> bool:
    """The name's words, one after another, in what was said (plurals aside)."""
    if not name:
        return False
    wanted, words = [_singular(w) for w in name], [_singular(w) for w in said if w not in _FILLER]
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def _beside_the_name(word: str, service: NamedService, said: list[str]) -> bool:
    """An everyday word counts only next to its neighbour in the name: "families first"."""
    name = list(service.all_words)
    if word not in name:
        return True
    at = name.index(word)
    pairs = [tuple(name[i:i + 2]) for i in (at - 1, at) if 0 <= i and i + 1 < len(name)]
    return any(_said_in_full(pair, said) for pair in pairs)


def best_match(text: str, services: Iterable[NamedService]) -> Optional[NamedService]:
    """The service the message names, or None.

    A name is named when at least half of its words are in the message and either one of
    them is its own ("kirkgate") or all of them are ("aire" for Aire Alcohol Service). The
    name with more of its words said wins, then the one said in full (so "aire valley" is
    Aire Valley Recovery Partnership, not Aire Alcohol Service)."""
    everything = words_of(text)
    said = [w for w in everything if len(w) > 2]
    if not said:
        return None
    best, best_key = None, (0, False, 0.0)
    for service in services:
        if not service.words:
            # A name of generic words only ("Leeds Carers' Assessments", "Northern Family Line")
            # is named only when it is said in full, in order.
            if _said_in_full(service.all_words, everything):
                key = (len(service.all_words), True, 100.0)
                if key > best_key:
                    best, best_key = service, key
            continue
        scores = {word: max(_likeness(word, w) for w in said) for word in service.words}
        matched = [word for word, score in scores.items() if score >= WORD_SCORE]
        if not matched or len(matched) * 2 < len(service.words):
            continue
        whole = len(matched) == len(service.words)
        if not whole and not service.telling.intersection(matched):
            continue
        if len(matched) == 1 and not whole and len(matched[0]) < 5:
            continue  # one short word of a longer name is not enough ("moss")
        if len(matched) == 1 and matched[0] in EVERYDAY and not _beside_the_name(matched[0], service, everything):
            continue  # "the first appointment" is not Families First
        key = (len(matched), whole, sum(scores[w] for w in matched) / len(matched))
        if key > best_key:
            best, best_key = service, key
    return best


def named_services(session: Session) -> list[NamedService]:
    rows = session.execute(select(Service.id, Service.name)).all()
    words = {row.id: name_words(row.name) for row in rows}
    counts = Counter(w for ws in words.values() for w in ws)
    return [NamedService(row.id, row.name, words[row.id], frozenset(w for w in words[row.id] if counts[w] == 1),
                         tuple(w for w in words_of(row.name) if w not in _FILLER))
            for row in rows]


class NameIndex:
    """The directory's service names, read again at most every `REFRESH_SECONDS`."""

    def __init__(self, open_session: Callable[[], Session], clock: Callable[[], float] = time.monotonic):
        self._open_session, self._clock = open_session, clock
        self._services: list[NamedService] = []
        self._read_at: Optional[float] = None
        self._lock = threading.Lock()

    def services(self) -> list[NamedService]:
        with self._lock:
            if self._read_at is None or self._clock() - self._read_at > REFRESH_SECONDS:
                with self._open_session() as session:
                    self._services = named_services(session)
                self._read_at = self._clock()
            return self._services

    def find(self, text: str) -> Optional[NamedService]:
        return best_match(text, self.services())

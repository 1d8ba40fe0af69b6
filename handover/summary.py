"""The short summary a helpline worker reads in ten seconds, built from what the person has
already told the assistant, so they never have to tell their story again.

Works on events as plain dicts, so the same code serves a custom action (rasa_sdk's tracker)
and the app itself (Rasa's tracker store, e.g. when the assistant fails and the conversation
is queued without one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

PERSONA_WORDS = {
    "self": "themselves",
    "family": "someone they care about (family, friend or carer)",
    "young-person": "themselves, as a young person (under 18)",
    "professional": "a client (they are a professional)",
}
# What a person asked about, in a worker's words, from the assistant's intents.
ASKED_WORDS = {
    "find_service": "finding a local service",
    "ask_naloxone": "naloxone",
    "ask_family_support": "support for families",
    "ask_carer_info": "carer's assessment",
    "ask_young_people": "young people's services",
    "ask_confidentiality": "confidentiality",
    "ask_advocacy": "advocacy",
    "ask_legal_advice": "legal advice",
    "ask_complaint": "a complaint about a service",
    "ask_have_a_say": "having a say",
    "ask_housing": "housing",
    "ask_prison_release": "leaving prison",
    "ask_pregnancy": "pregnancy",
    "ask_mental_health": "mental health",
    "ask_employment": "work and training",
    "ask_referral_route": "how to refer someone",
    "tell_waiting": "a long wait for a service",
    "tell_relapse": "a relapse",
    "ask_open_now": "opening hours",
}
NEED_WORDS = {"needle-exchange": "clean needles", "carers-assessment": "carer's assessment",
              "family-support": "family support", "young-people": "young people's services",
              "mental-health": "mental health", "mutual-aid": "mutual aid"}
NEED_WORDS.update({"bbv-testing": "hepatitis or HIV testing", "money-advice": "money advice"})  # issue 20
_FULL_POSTCODE = re.compile(r"^\s*([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*\d[A-Za-z]{2}\s*$")
MAX_LENGTH = 400


@dataclass
class Facts:
    persona: Optional[str] = None
    place: Optional[str] = None
    substance: Optional[str] = None
    need: Optional[str] = None
    asked: list[str] = field(default_factory=list)
    offered_ids: list[str] = field(default_factory=list)
    urgent: bool = False
    crisis_type: Optional[str] = None


def area_of(place: Optional[str]) -> Optional[str]:
    """The district of a full postcode ("LS6 1AB" -> "LS6"); a district or town as it is."""
    if not place:
        return None
    match = _FULL_POSTCODE.match(place)
    return match.group(1).upper() if match else place.strip()[:16]


def facts_from(slots: dict, events: Iterable[dict]) -> Facts:
    facts = Facts(persona=slots.get("persona"), place=slots.get("place"), substance=slots.get("substance"),
                  need=slots.get("need"), urgent=bool(slots.get("urgent")), crisis_type=slots.get("crisis_type"))
    if facts.persona not in PERSONA_WORDS:
        facts.persona = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            words = ASKED_WORDS.get(intent or "")
            if words and words not in facts.asked:
                facts.asked.append(words)
        elif kind == "slot" and event.get("name") == "last_service_id" and event.get("value"):
            if event["value"] not in facts.offered_ids:
                facts.offered_ids.append(event["value"])
        elif kind == "slot" and event.get("name") == "crisis_type" and event.get("value"):
            facts.urgent, facts.crisis_type = True, event["value"]
    if facts.need and facts.need not in ("treatment",):
        need_words = NEED_WORDS.get(facts.need, facts.need.replace("-", " "))
        if need_words not in facts.asked:
            facts.asked.insert(0, need_words)
    return facts


def summary_text(facts: Facts, offered_names: Iterable[str] = ()) -> str:
    """One short paragraph, only what is known: a worker reads it in ten seconds."""
    parts = []
    if facts.urgent:
        parts.append(f"URGENT: crisis reply sent ({(facts.crisis_type or 'crisis').replace('_', ' ')}).")
    if facts.persona:
        parts.append(f"Asking for {PERSONA_WORDS[facts.persona]}.")
    if facts.place:
        parts.append(f"Area: {area_of(facts.place)}.")
    if facts.substance:
        parts.append(f"Substance: {facts.substance}.")
    if facts.asked:
        parts.append(f"Asked about: {', '.join(facts.asked[:5])}.")
    names = [n for n in offered_names if n]
    if names:
        parts.append(f"Already offered: {', '.join(names[:3])}.")
    if not parts:
        parts.append("Asked to talk to a person. Nothing else said yet.")
    text = " ".join(parts)
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1].rstrip() + "…"

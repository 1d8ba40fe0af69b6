"""Plain English, measured: every response template in the domain and every reply the
journey actions give (run against the seeded demo directory) must score at least 60 on the
Flesch reading ease scale. The lowest scorers are printed, so wording can be improved.

The crisis templates (bot/domain/crisis.yml, safety/) are reviewed separately by their owner.
"""
from __future__ import annotations

import itertools

import pytest
import textstat
import textstat.backend.counts._count_syllables as _syllables
import yaml

from support import ROOT

# textstat looks words up in NLTK's CMU dictionary, which it would download; nothing is
# downloaded here, so syllables are counted by its own fallback (Pyphen's hyphenation
# dictionary, installed with it). The measure is the same Flesch formula.
_syllables.get_cmudict = lambda lang: None

MINIMUM = 60.0
DOMAIN_DIR = ROOT / "bot" / "domain"
SKIP_DOMAIN_FILES = {"crisis.yml"}


def score(text: str) -> float:
    return textstat.flesch_reading_ease(text)


def domain_texts() -> list[tuple[str, str]]:
    found = []
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        if path.name in SKIP_DOMAIN_FILES:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            for variant in variants:
                if variant.get("text"):
                    found.append((f"{path.name}:{name}", variant["text"]))
    return found


def action_texts() -> list[tuple[str, str]]:
    """Run every journey action over the people and places it serves; collect what it says."""
    from test_actions_journeys import make_tracker, run, user  # same helpers as the action tests

    from actions import advocacy, carers, find_service, helplines, naloxone, persona, service_details, staff
    from actions import waiting, wider_needs, young_people
    from actions.context import PERSONAS, UNSAID
    from directory.taxonomy import NEEDS

    people = list(PERSONAS) + [UNSAID]
    runs = []
    for need, who, place in itertools.product(NEEDS, people, ["Leeds", "Manchester", "LS6"]):
        slots = {"need": need, "persona": who, "place": place, "substance": "opioids"}
        runs.append((f"find_service:{need}:{who}:{place}", find_service.ActionFindService(),
                     make_tracker(place, "inform_place", slots)))
        runs.append((f"intro:{need}", wider_needs.ActionJourneyIntro(), make_tracker("", "", {"need": need})))
        runs.append((f"ask_place:{need}:{who}", find_service.ActionAskPlace(), make_tracker("", "", slots)))
    for who in people:
        slots = {"persona": who, "cared_for_place": "Leeds", "last_service_id": "sample-leeds-recovery-hub"}
        runs += [
            (f"persona:{who}", persona.ActionAcknowledgePersona(), make_tracker("", "inform_persona", slots)),
            (f"carer_info:{who}", carers.ActionCarerInfo(), make_tracker("", "", slots)),
            (f"carers:{who}", carers.ActionFindCarersAssessment(), make_tracker("", "", slots)),
            (f"carers:{who}:nowhere", carers.ActionFindCarersAssessment(), make_tracker("", "", {**slots, "cared_for_place": "Ilkley"})),
            (f"confidential:{who}", young_people.ActionConfidentiality(), make_tracker("", "", slots)),
            (f"helpline:{who}", helplines.ActionOfferHelpline(), make_tracker("", "ask_human", slots)),
        ]
    for intent, service_id in itertools.product(["ask_open_now", "ask_phone_number", "ask_directions"],
                                                ["sample-leeds-recovery-hub", "sample-leeds-womens-group", None]):
        runs.append((f"details:{intent}:{service_id}", service_details.ActionServiceDetails(),
                     make_tracker("", intent, {"last_service_id": service_id})))
    waiting_tracker = make_tracker("LS1", "inform_place", {"place": "LS1"}, events=[user("wait", "tell_waiting")])
    runs += [
        ("naloxone_info", naloxone.ActionNaloxoneInfo(), make_tracker()),
        ("client_text", staff.ActionClientText(), make_tracker("", "", {"last_service_id": "sample-leeds-alcohol-service"})),
        ("complaint", advocacy.ActionComplaint(), make_tracker()),
        ("legal", advocacy.ActionLegalAdvice(), make_tracker()),
        ("waiting_intro", waiting.ActionWaitingIntro(), make_tracker()),
        ("waiting", find_service.ActionFindService(), waiting_tracker),
        ("relapse", waiting.ActionRelapse(), make_tracker()),
        ("no_reminder", waiting.ActionDeclineReminder(), make_tracker()),
        ("set_reminder", waiting.ActionSetReminder(), make_tracker("", "", {"appointment_date": "2030-01-11"})),
        ("reminder", waiting.ActionAppointmentReminder(), make_tracker()),
        ("ask_persona", find_service.ActionAskPersona(), make_tracker()),
        ("unknown_place", find_service.ActionFindService(), make_tracker("Narnia", "inform_place", {"place": "Narnia"})),
    ]
    texts = set()
    for label, action, tracker in runs:
        for message in run(action, tracker)[0]:
            if message.get("text"):
                texts.add((label.split(":")[0], message["text"]))
    return sorted(texts)


@pytest.fixture(scope="module")
def every_reply(seeded_directory) -> list[tuple[str, str, float]]:
    found = domain_texts() + action_texts()
    return sorted(((label, text, score(text)) for label, text in found), key=lambda r: r[2])


def test_there_are_replies_to_score(every_reply):
    assert len(every_reply) > 100


def test_every_reply_is_plain_english(every_reply):
    print("\nLowest Flesch reading ease scores:")
    for label, text, value in every_reply[:10]:
        print(f"  {value:5.1f}  {label}: {text[:110]}")
    too_hard = [(label, text, value) for label, text, value in every_reply if value < MINIMUM]
    assert not too_hard, "\n".join(f"{v:.1f} {label}: {t}" for label, t, v in too_hard)

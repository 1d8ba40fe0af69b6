"""The NLU training examples teach what people need, and strangers' messages are understood.

Model-free checks on nlu_data/*.yml:
* a need written with its value is a taxonomy code, and a persona's value is one Waymark knows,
  or the search would look for something the directory does not have;
* no example of an ordinary intent is worded as a crisis the triage patterns catch: the crisis
  classifier learns every such example as "not a crisis", so one would teach it to miss crises.

With the trained model (issue 19, "understood the first time"): messages written the way
strangers text, none of them a training example, get the intent they mean with a confidence
above the fallback threshold, so nobody is asked "did you mean...?" for a plain request.
These need the model retrained on the current nlu_data.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from directory.taxonomy import NEEDS
from safety.triage import triage_patterns

ROOT = Path(__file__).resolve().parent.parent
NLU_DATA = ROOT / "nlu_data"
PERSONAS = {"self", "family", "young-person", "professional"}
FALLBACK_THRESHOLD = 0.45  # config.yml, FallbackClassifier
# Older examples the triage patterns already treat as a crisis, to be reworded in their own file
# (issue 19); once they are, this set is emptied. Nothing new goes here.
ALREADY_REPORTED: set = set()  # (file, example) pairs known to read as a crisis: none
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\(([^)]*)\)|(\{[^}]*\}))")


def _examples():
    for path in sorted(NLU_DATA.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield path.name, item["intent"], line[2:]


def _plain(example: str) -> str:
    return ANNOTATION.sub(lambda m: m.group(1), example)


def test_every_need_and_persona_value_written_out_is_one_waymark_knows():
    wrong = []
    for name, intent, example in _examples():
        for match in ANNOTATION.finditer(example):
            if not match.group(3):
                continue
            entity = json.loads(match.group(3))
            value = entity.get("value")
            if entity.get("entity") == "need" and value not in NEEDS:
                wrong.append((name, intent, example))
            if entity.get("entity") == "persona" and value not in PERSONAS:
                wrong.append((name, intent, example))
    assert not wrong, wrong


def test_no_ordinary_example_is_worded_as_a_crisis():
    crises = [(name, intent, _plain(example)) for name, intent, example in _examples()
              if intent != "crisis" and (name, _plain(example)) not in ALREADY_REPORTED
              and triage_patterns(_plain(example))]
    assert not crises, crises


def test_the_new_examples_are_not_repeats():
    seen, repeats = set(), []
    for name, intent, example in _examples():
        key = " ".join(re.sub(r"[^\w]+", " ", _plain(example).casefold().replace("'", "")).split())
        if key in seen and name == "searches_as_texted.yml":
            repeats.append((intent, example))
        seen.add(key)
    assert not repeats, repeats


# Fresh messages, none of them a training example.
STRANGERS = [
    ("any drug services round LS9 i can just walk into", "find_service"),
    ("NEED CLEAN PINS M8", "find_service"),
    ("is there an alcohol service near bristol", "find_service"),
    ("what about sheffield", "inform_place"),
    ("im her nan", "inform_persona"),
    ("my lad is on the brown and im worn out, is there support for parents like me", "ask_family_support"),
    ("would i be a carer if my wife drinks and i do everything", "ask_carer_info"),
    ("im 15 and drink loads at weekends is there help for my age", "ask_young_people"),
    ("where do i pick up a naloxone kit for my flat", "ask_naloxone"),
    ("im sleeping rough in leeds and on the gear", "ask_housing"),
    ("got out of jail monday and need my script sorting", "ask_prison_release"),
    ("had a drink again after 4 months off", "tell_relapse"),
    ("theyve put me on a 6 week waiting list", "tell_waiting"),
]


@pytest.mark.parametrize("text, intent", STRANGERS)
def test_a_strangers_message_is_understood_the_first_time(client, text, intent):
    """What the person sees: an answer, not "I'm not sure I understood" (the model's intent, or
    the who/what/where step when the model is unsure, decides it)."""
    import uuid

    from support import say, texts
    from understanding import who_what_where as www

    answer = texts(say(client, text, uuid.uuid4().hex))
    assert www.NOT_SURE not in answer and www.OPEN_QUESTION not in answer, (text, intent, answer)
    assert "something went wrong" not in answer, (text, answer)


async def test_clean_pins_are_a_search_for_the_needle_exchange(assistant):
    parsed = await assistant.agent.parse_message("NEED CLEAN PINS M8")
    assert ("need", "needle-exchange") in [(e["entity"], e["value"]) for e in parsed["entities"]]

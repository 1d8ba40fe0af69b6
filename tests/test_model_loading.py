"""The quicker model load (`waymark/model_loading.py`) understands exactly as Rasa's own load.

The session's assistant was loaded the quick way; here the same model is loaded the way Rasa
loads it, and both read the same messages. Intents, confidences and entities must agree, or
people would be understood differently depending on how the server started.
"""
from __future__ import annotations

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from waymark.model_loading import _RASAS_OWN_LOAD

MESSAGES = [
    "I need help with my drinking near LS1 4AP",
    "my son uses crack and i dont know what to do",
    "where can i get naloxone in manchester",
    "can I talk to a real person",
    "whats the address",
    "hello",
    "im a probation officer, my client drinks heavily",
    "is it free",
    "my friend has taken too many pills",
    "needle exchange M4",
]


def _understood(parsed: dict) -> tuple:
    return (parsed["intent"]["name"], round(parsed["intent"]["confidence"], 5),
            [(e["entity"], e["value"]) for e in parsed["entities"]],
            [(r["name"], round(r["confidence"], 5)) for r in parsed.get("intent_ranking", [])[:3]])


@pytest.fixture(scope="module")
def rasas_own(settings):
    assert RasaModel.load.__func__ is _RASAS_OWN_LOAD  # the quick load is undone once loading ends
    return Agent.load(str(settings.model_path))


async def test_the_quick_load_understands_every_message_as_rasas_own_load(assistant, rasas_own):
    for text in MESSAGES:
        quick = _understood(await assistant.agent.parse_message(text))
        own = _understood(await rasas_own.parse_message(text))
        assert quick == own, text

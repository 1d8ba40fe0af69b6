"""Journey: naloxone. What it is, that anyone who may need it can get it, and then (after the
form knows where and, if it matters, who is asking) the nearest place that fits this person.
Overdose happening now is the crisis layer's job, not this journey's."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import journey_words as words


class ActionNaloxoneInfo(Action):
    def name(self) -> Text:
        return "action_naloxone_info"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.naloxone_intro())
        dispatcher.utter_message(text=words.NALOXONE_NOT_CRISIS)
        return []

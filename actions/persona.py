"""Journey: who is asking. The person tells us (or taps a button); we thank them, keep it for
the conversation, and offer the next steps that fit them."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import journey_words as words
from actions.context import PERSONA_BUTTONS, clean_persona, persona_of


class ActionAcknowledgePersona(Action):
    def name(self) -> Text:
        return "action_acknowledge_persona"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        persona = persona_of(tracker)
        if persona is None:
            dispatcher.utter_message(text=words.ASK_PERSONA, buttons=PERSONA_BUTTONS)
            return []
        dispatcher.utter_message(text=words.PERSONA_THANKS[persona],
                                 buttons=words.buttons(words.PERSONA_NEXT[persona]))
        if persona != clean_persona(tracker.get_slot("persona")):
            return [SlotSet("persona", persona)]
        return []


"""Journey: advocacy and rights. Complaints (where they go next), drug law and legal advice
(Release, from the directory). Local advocacy and user forums are found by
`action_find_service` after the journey's introduction."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import journey_words as words
from actions.common import directory_session
from directory.models import Service

LEGAL_LINE = "national-release"


class ActionComplaint(Action):
    def name(self) -> Text:
        return "action_complaint"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.COMPLAINT)
        return []


class ActionLegalAdvice(Action):
    def name(self) -> Text:
        return "action_legal_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        with directory_session() as session:
            line = session.get(Service, LEGAL_LINE)
            if line is not None and line.status == "active" and line.phones:
                notes = next((s.notes for s in line.schedules if s.notes), None)
                dispatcher.utter_message(
                    text=words.legal_reply(line.name, line.phones[0].number, line.description, notes),
                    buttons=words.buttons([("Local advocacy", "/ask_advocacy"), ("Talk to a person", "/ask_human")]))
                return []
        dispatcher.utter_message(text=words.NO_LEGAL_LINE,
                                 buttons=words.buttons([("Local advocacy", "/ask_advocacy")]))
        return []

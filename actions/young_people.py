"""Journey: young people. Confidentiality and its limits, said plainly, and Childline.
The search for a young people's service goes through `action_find_service` (its route
sends a young person to young people's services, never to adult ones)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

import timekeeping
from actions import journey_words as words
from actions.common import directory_session, latest_text
from actions.context import YOUNG, persona_of
from actions.find_service import childline_text
from actions.what_to_expect import BUTTONS as WHAT_TO_EXPECT_BUTTONS
from actions.what_to_expect import about_children, answer_for

PARENT_BUTTONS = [("Find help near me", '/find_service{"need": "treatment"}'), ("Talk to a person", "/ask_human")]


class ActionConfidentiality(Action):
    def name(self) -> Text:
        return "action_confidentiality"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        text = latest_text(tracker)
        persona = persona_of(tracker)
        if about_children(text) and persona != YOUNG:  # a parent's fear of losing their children
            dispatcher.utter_message(text=words.confidentiality_reply(persona, about_children=True),
                                     buttons=words.buttons(PARENT_BUTTONS))
            return []
        answer = answer_for(text)
        if answer is not None:  # what happens at the first visit, referral, stopping safely
            dispatcher.utter_message(text=answer, buttons=WHAT_TO_EXPECT_BUTTONS)
            return []
        dispatcher.utter_message(text=words.confidentiality_reply(persona))
        if persona == YOUNG:
            with directory_session() as session:
                line = childline_text(session, timekeeping.now())
            if line:
                dispatcher.utter_message(text=line, buttons=words.buttons([("Help near me", "/ask_young_people")]))
        return []

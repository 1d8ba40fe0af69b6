"""Journey: the assistant could not understand, or cannot help: say so honestly.

The honest answer is the right helpline's number, taken from the directory (so a changed
number is changed in one place), with whether it is open now, and a button to be passed to a
real person (the warm handover, `actions/handover.py`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

import timekeeping
from actions.common import directory_session, helpline_for, latest_intent
from actions.context import YOUNG, persona_of
from directory.models import Service
from directory import hours

OFFER_PERSON_BUTTON = {"title": "Talk to a person here", "payload": "/ask_human"}
NOT_UNDERSTOOD = "Sorry, I didn't understand that. I'm an automated assistant, so I may have missed what you meant."
CANNOT_HELP = "Sorry, I can't help with that. I'm an automated assistant that finds drug and alcohol help."


class ActionOfferHelpline(Action):
    def name(self) -> Text:
        return "action_offer_helpline"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = latest_intent(tracker)
        if intent in ("nlu_fallback", "inform_date"):  # a bare date with nothing asked for
            dispatcher.utter_message(text=NOT_UNDERSTOOD)
        elif intent == "out_of_scope":
            dispatcher.utter_message(text=CANNOT_HELP)
        now = timekeeping.now()
        with directory_session() as session:
            line = helpline_for(session, tracker.get_slot("substance"))
            if persona_of(tracker) == YOUNG:  # under 18: Childline first, if it is listed
                childline = session.get(Service, "national-childline")
                if childline is not None and childline.status == "active" and childline.phones:
                    line = childline
            if line is None:
                dispatcher.utter_message(text="If you need help now, ring NHS 111. In an emergency, ring 999.")
                return []
            when = "They are open now." if hours.is_open(line.schedules, now) else "They are closed now."
            dispatcher.utter_message(
                text=f"You can talk to a real person at {line.name}. Ring {line.phones[0].number}. "
                f"It is confidential. {when}",
                buttons=[OFFER_PERSON_BUTTON],
            )
            return [SlotSet("last_service_id", line.id)]

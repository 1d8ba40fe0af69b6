"""Journey: the assistant could not understand, or cannot help: say so honestly.

The honest answer is the right helpline's number, taken from the directory (so a changed
number is changed in one place), with its hours and whether it is open now. A button to be
passed to a real person here (the warm handover, `actions/handover.py`) is offered only when
a helpline marked for live handover is open to take the conversation; otherwise the reply says
nobody can chat here right now, so no button leads back to this same reply.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

import timekeeping
from actions import journey_words as words
from actions.common import directory_session, helpline_for, latest_intent
from actions.context import YOUNG, persona_of
from directory.models import Service
from directory import hours
from handover import helplines as live

OFFER_PERSON_BUTTON = {"title": "Talk to a person here", "payload": "/ask_human"}
NOT_UNDERSTOOD = "Sorry, I didn't understand that. I'm an automated assistant, so I may have missed what you meant."
CANNOT_HELP = "Sorry, I can't help with that. I'm an automated assistant that finds drug and alcohol help."
NO_LINE = "If you need help now, ring NHS 111. In an emergency, ring 999."
VOICE_CHANNEL = "twilio_voice"


def person_can_take_it_here(session: Session, tracker: Tracker) -> bool:
    """A helpline marked for live handover is open now (and, on a call, has a number to put
    the caller through to): only then does "Talk to a person here" lead somewhere new."""
    choice = live.choose(session, tracker.get_slot("persona"), timekeeping.as_utc(timekeeping.utc_now()))
    if choice is None or not choice.open_now:
        return False
    return tracker.get_latest_input_channel() != VOICE_CHANNEL or bool(choice.voice_number)


def _number(service: Service, kind: str):
    return next((p.number for p in service.phones if p.type == kind), None)


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
            here = person_can_take_it_here(session, tracker)
            buttons = [OFFER_PERSON_BUTTON] if here else []
            line = helpline_for(session, tracker.get_slot("substance"))
            if persona_of(tracker) == YOUNG:  # under 18: Childline first, if it is listed
                childline = session.get(Service, "national-childline")
                if childline is not None and childline.status == "active" and childline.phones:
                    line = childline
            if line is None:
                dispatcher.utter_message(text=NO_LINE if here else f"{words.NOBODY_HERE} {NO_LINE}",
                                         buttons=buttons)
                return []
            open_now = hours.is_open(line.schedules, now)
            opens = None if open_now else hours.next_opening(line.schedules, now)
            voice, text = _number(line, "voice"), _number(line, "text")
            if voice is None and text is None:
                voice = line.phones[0].number
            dispatcher.utter_message(
                text=words.helpline_reply(line.name, voice, text, open_now,
                                          hours.describe_time(opens, now) if opens else None,
                                          hours.weekly_summary(line.schedules), here,
                                          tracker.get_latest_input_channel() == VOICE_CHANNEL),
                buttons=buttons,
            )
            return [SlotSet("last_service_id", line.id)]

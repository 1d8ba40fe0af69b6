"""A message that isn't understood gets a clarifying question built from what was understood.

Thin: the question, its buttons and the offer a "yes" accepts are worked out by
`understanding.who_what_where` (plain, tested on its own); this action says them and
remembers the offer in the `clarify_offer` slot. The assistant's engine step reads that slot
when the next message is a yes (the button or typed), and acts on it as the search it offered.

`action_default_fallback` is the same action under Rasa's default name, so a dialogue state
no rule covers is answered with a question too, never with silence.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.helplines import ActionOfferHelpline
from understanding import who_what_where as www
from understanding import wider_topics

DANGER = "If you or someone else is in danger now, call 999."
# After the cuckooing facts (said first, from the words), what else this assistant can do: not a
# guess at what they meant ("Is this about help with crack?").
# (It opens with plain words: an SMS lock screen shows the first 40 characters.)
AFTER_CUCKOOING = ("I can find local support too, for you or someone close to you, if drugs or alcohol are "
                   "part of this. Tell me a town or postcode, or talk to a person.")


class ActionClarify(Action):
    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        parse = tracker.latest_message or {}
        intent = ((parse.get("intent") or {}).get("name")) or ""
        if www.says_no(parse):
            dispatcher.utter_message(text=www.SOMETHING_ELSE, buttons=www.START_BUTTONS)
            return [SlotSet("clarify_offer", None)]
        understood = www.understand(parse, {"place": tracker.get_slot("place"),
                                            "persona": tracker.get_slot("persona")})
        text, buttons, offer = www.clarifying_question(understood)
        if wider_topics.topic(parse.get("text")) == wider_topics.CUCKOOING:
            dispatcher.utter_message(text=AFTER_CUCKOOING, buttons=www.START_BUTTONS)
            return [SlotSet("clarify_offer", offer)]
        if text == www.OPEN_QUESTION:
            # Nothing understood at all: say so, give the right line to ring (and a person
            # here only while one can take it), then ask what they need.
            events = ActionOfferHelpline().run(dispatcher, tracker, domain)
            text, buttons = www.ASK_WHAT, www.START_BUTTONS[:-1]
        else:
            events = []
        if intent == "crisis":  # the model thought it might be a crisis; the patterns did not
            text = f"{text} {DANGER}"
        dispatcher.utter_message(text=text, buttons=buttons)
        return events + [SlotSet("clarify_offer", offer)]


class ActionDefaultFallback(ActionClarify):
    def name(self) -> Text:
        return "action_default_fallback"

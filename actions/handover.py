"""Journey: the person wants a real person. Offer a warm handover to the right helpline.

The action only gathers what the person already said and records the offer; choosing the
helpline, writing the summary and the consent answers live in the `handover` package.
"""
from __future__ import annotations

from datetime import timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

import timekeeping
from actions.common import directory_session
from actions.helplines import ActionOfferHelpline
from directory import hours
from handover import desk, helplines, summary, wording
from handover.conversation import any_time_text

VOICE_CHANNEL = "twilio_voice"


class ActionOfferHandover(Action):
    def name(self) -> Text:
        return "action_offer_handover"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        channel = tracker.get_latest_input_channel() or "rest"
        now = timekeeping.utc_now()
        with directory_session() as session:
            choice = helplines.choose(session, tracker.get_slot("persona"), timekeeping.as_utc(now))
            if choice is None or (channel == VOICE_CHANNEL and not (choice.open_now and choice.voice_number)):
                return ActionOfferHelpline().run(dispatcher, tracker, domain)  # nobody to put them to: a number
            if channel == VOICE_CHANNEL:  # a call is put through by the voice channel itself (<Dial>)
                dispatcher.utter_message(json_message={"handover": "voice_transfer"})
                return []
            facts = summary.facts_from(tracker.current_slot_values(), tracker.events)
            handover, text = desk.offer_with_summary(session, tracker.sender_id, channel, facts,
                                                     helpline_id=choice.service.id, now=now)
            if choice.open_now:
                handover.offer_kind = "handover"
                dispatcher.utter_message(text=wording.offer(choice.service.name, text),
                                         buttons=wording.CONSENT_BUTTONS)
            else:
                handover.offer_kind = "callback"
                opens = hours.describe_time(choice.opens_at, now.replace(tzinfo=timezone.utc)) if choice.opens_at else None
                dispatcher.utter_message(text=wording.offer_closed(choice.service.name, opens, text, any_time_text(session)),
                                         buttons=wording.CALLBACK_BUTTONS)
            return [SlotSet("last_service_id", choice.service.id)]

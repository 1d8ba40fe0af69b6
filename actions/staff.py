"""Journey: frontline staff. The referral route itself (who can refer, how, what to include,
eligibility) is added by `action_find_service` for a professional; this module gives the
short version a worker can text to their client."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import journey_words as words
from actions.common import directory_session
from actions.service_details import load_match
from waymark.settings import get_settings


class ActionClientText(Action):
    def name(self) -> Text:
        return "action_client_text"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        with directory_session() as session:
            match = load_match(session, tracker.get_slot("last_service_id"))
        if match is None:
            dispatcher.utter_message(text=words.NO_SERVICE_YET)
            return []
        dispatcher.utter_message(text=words.client_text_note(get_settings().public_url))
        dispatcher.utter_message(text=words.client_text(match.name, match.phone, match.walk_in, match.address,
                                                         match.hours))
        return []

"""Journey: find a local service for a need, a substance and a place."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import replies
from actions.common import directory_session, helpline_for, latest_text
from directory import geo, hours, search
from directory.taxonomy import NEEDS, SUBSTANCES
from waymark.settings import get_settings

# Adult services should not offer a young people's service to an adult, and vice versa.
AUDIENCE_FOR_NEED = {"treatment": "adult", "needle-exchange": "adult"}
OFFER_PERSON_BUTTON = {"title": "Talk to a person", "payload": "/ask_human"}


def _clean_code(value: Optional[str], known: dict) -> Optional[str]:
    if isinstance(value, list):  # several entities of one kind: use the first we know
        value = next((v for v in value if v in known), None)
    return value if value in known else None


class ActionFindService(Action):
    def name(self) -> Text:
        return "action_find_service"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        need = _clean_code(tracker.get_slot("need"), NEEDS) or "treatment"
        substance = _clean_code(tracker.get_slot("substance"), SUBSTANCES)
        place_text = tracker.get_slot("place") or latest_text(tracker)
        now = datetime.now(hours.LONDON)
        settings = get_settings()
        with directory_session() as session:
            place = geo.resolve_place(session, place_text)
            if place is None:
                dispatcher.utter_message(text=replies.unknown_place_reply(place_text))
                return [SlotSet("place", None)]
            query = search.SearchQuery(
                latitude=place.latitude,
                longitude=place.longitude,
                need=need,
                substance=substance if need == "treatment" else None,
                audience=AUDIENCE_FOR_NEED.get(need),
                limit=3,
            )
            matches = search.search(session, query, now=now, stale_after_days=settings.stale_after_days)
            if not matches:
                line = helpline_for(session, substance)
                dispatcher.utter_message(
                    text=replies.no_match_reply(need, place.label, line.name if line else None,
                                                line.phones[0].number if line else None),
                    buttons=[OFFER_PERSON_BUTTON],
                )
                return [SlotSet("place", place.label)]
        best = matches[0]
        dispatcher.utter_message(text=replies.service_reply(best, place.label, now))
        expect = replies.what_to_expect(best)
        if expect:
            dispatcher.utter_message(text=expect, buttons=[OFFER_PERSON_BUTTON])
        return [SlotSet("place", place.label), SlotSet("need", need)]


class ValidateFindServiceForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_find_service_form"

    async def extract_place(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Find a place in the message text itself, so 'near ls14ap' works even when the
        entity extractor missed it; when we asked for the place, take the text as the answer."""
        if tracker.get_slot("place"):
            return {}
        text = latest_text(tracker)
        with directory_session() as session:
            place = geo.resolve_place(session, text)
        if place is not None:
            return {"place": place.label}
        if tracker.get_slot("requested_slot") == "place" and text and not text.startswith("/"):
            return {"place": text}
        return {}

    def validate_place(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = slot_value[0] if isinstance(slot_value, list) else str(slot_value or "")
        with directory_session() as session:
            place = geo.resolve_place(session, text)
        if place is None:
            dispatcher.utter_message(text=replies.unknown_place_reply(text))
            return {"place": None}
        return {"place": place.label}

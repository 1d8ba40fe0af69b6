"""Journey: "is it open now", "what's the number again", "how do I get there", about the
service we last suggested (kept in the `last_service_id` slot)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

import timekeeping
from actions import journey_words as words
from actions.common import directory_session, latest_intent
from directory import search
from directory.models import Service
from waymark.settings import get_settings


def load_match(session: Session, service_id: Optional[str], now: Optional[datetime] = None) -> Optional[search.ServiceMatch]:
    """The service as a search result (address hidden if confidential), or None."""
    if not service_id:
        return None
    service = session.get(Service, service_id)
    if service is None:
        return None
    location = service.service_at_locations[0].location if service.service_at_locations else None
    return search.describe(service, location, 0.0, now or timekeeping.now(),
                           get_settings().stale_after_days)


def why_no_address(service: Service) -> str:
    """A confidential place keeps its address private; a national or helpline listing with no
    premises is a line; anything else just has no address on file."""
    locations = [sal.location for sal in service.service_at_locations if sal.location is not None]
    if any(search.attribute_code(a) == "feature:confidential-address" for loc in locations for a in loc.attributes):
        return words.CONFIDENTIAL
    codes = search.service_codes(service)
    if not locations and codes & {"feature:national", "need:helpline"}:
        return words.LINE
    return words.NO_ADDRESS


class ActionServiceDetails(Action):
    def name(self) -> Text:
        return "action_service_details"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        now = timekeeping.now()
        with directory_session() as session:
            match = load_match(session, tracker.get_slot("last_service_id"), now)
            if match is None:
                dispatcher.utter_message(text=words.NO_SERVICE_YET)
                return []
            events: List[Dict[Text, Any]] = []
            service = session.get(Service, match.service_id)
            if service.status != "active":
                successor = search.resolve_successor(session, service.id)
                dispatcher.utter_message(text=words.closed_reply(
                    match.name, service.status, successor.name if successor else None, service.alert))
                if successor is None:
                    return []
                # Answer the question about the service that took over, and talk about it from now on.
                service, match = successor, load_match(session, successor.id, now)
                events.append(SlotSet("last_service_id", successor.id))
            why = why_no_address(service)
        intent = latest_intent(tracker)
        if intent == "ask_open_now":
            text = words.open_now_reply(match.name, match.open_now, match.next_opens, now, match.hours)
        elif intent == "ask_directions":
            text = words.directions_reply(match.name, match.address, match.postcode, match.phone,
                                          why, match.text_number, match.hours)
        else:
            text = words.number_reply(match.name, match.phone, match.text_number)
        dispatcher.utter_message(text=text)
        return events

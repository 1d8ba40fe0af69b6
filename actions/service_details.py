"""Journey: "is it open now", "what's the number again", "how do I get there", about the
service we last suggested (kept in the `last_service_id` slot)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

import timekeeping
from actions import journey_words as words
from actions import cards, languages, listing_words, replies
from actions.common import directory_session, helpline_for, latest_entity, latest_intent, latest_text
from directory import hours, search
from directory.models import Service
from understanding import follow_ups
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


def listed(tracker: Tracker) -> List[tuple[str, float, Optional[str]]]:
    """The last search's services as (id, km, band), nearest first (see find_service.listing_events);
    an entry that is not one (a conversation stored by an older version) is skipped."""
    out = []
    for item in tracker.get_slot("listing_ids") or []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        try:
            out.append((item["id"], float(item.get("km") or 0), item.get("band") or None))
        except (TypeError, ValueError):
            continue
    return out


def day_asked(day: Optional[str], now: datetime) -> Optional[tuple[date, str]]:
    """(the date, how to say it) for the day a follow-up asked about: "weekend" is the coming
    Saturday (today, on a Saturday), with the label "weekend"."""
    today = now.astimezone(hours.LONDON).date()
    if day == "today":
        return today, "today"
    if day == "tomorrow":
        return today + timedelta(days=1), "tomorrow"
    if day == "weekend":
        return today + timedelta(days=(5 - today.weekday()) % 7), "weekend"
    if day in follow_ups.WEEKDAYS:
        n = follow_ups.WEEKDAYS.index(day)
        ahead = (n - today.weekday()) % 7
        return today + timedelta(days=ahead), ("today" if ahead == 0 else day.capitalize())
    return None


class ActionServiceDetails(Action):
    """Answers about the service last suggested, or one asked about by name (the `service`
    entity, from directory/names.py), and "any others?" from the last listing."""

    def name(self) -> Text:
        return "action_service_details"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        now = timekeeping.now()
        intent = latest_intent(tracker)
        kind = latest_entity(tracker, "follow_up") if intent == follow_ups.INTENT else None
        if kind == follow_ups.OTHERS:
            return self._others(dispatcher, tracker, now)
        named = latest_entity(tracker, "service")
        with directory_session() as session:
            match = load_match(session, named or tracker.get_slot("last_service_id"), now)
            if match is None:
                dispatcher.utter_message(text=words.NO_SERVICE_YET)
                return []
            events: List[Dict[Text, Any]] = []
            if named:
                events.append(SlotSet("last_service_id", named))
            service = session.get(Service, match.service_id)
            if service.status != "active":
                successor = search.resolve_successor(session, service.id)
                dispatcher.utter_message(text=words.closed_reply(
                    match.name, service.status, successor.name if successor else None, service.alert))
                if successor is None:
                    return events
                # Answer the question about the service that took over, and talk about it from now on.
                service, match = successor, load_match(session, successor.id, now)
                events.append(SlotSet("last_service_id", successor.id))
                if kind == follow_ups.ABOUT:
                    kind = None
            why = why_no_address(service)
            rows = list(service.schedules)
            spoken = (languages.languages_of(session, [service.id]).get(service.id, [])
                      if kind == follow_ups.LANGUAGE else [])
            fees = service.fees_description
        asked = day_asked(latest_entity(tracker, "day"), now) if kind == follow_ups.HOURS else None
        if kind == follow_ups.ABOUT:
            text = replies.about_reply(match, now)
        elif kind == follow_ups.ADDRESS and match.address:
            text = listing_words.address_reply(match.name, match.address, match.postcode)
        elif kind == follow_ups.LANGUAGE:
            text = languages.follow_up_reply(match.name, languages.asked_language(latest_text(tracker)), spoken,
                                             match.phone)
        elif kind == follow_ups.COST:
            text = listing_words.cost_reply(match.name, fees, match.phone)
        elif kind == follow_ups.FEATURES:
            feature = latest_entity(tracker, "feature")
            has = bool(feature) and bool(set(listing_words.FEATURE_CODES[feature]) & match.codes)
            text = listing_words.feature_reply(match.name, feature, has, match.phone)
        elif kind == follow_ups.HOURS and asked and asked[1] == "weekend":
            text = listing_words.weekend_reply(match.name, rows, asked[0], match.hours)
        elif kind == follow_ups.HOURS and asked:
            text = listing_words.day_reply(match.name, rows, asked[0], asked[1], match.hours)
        elif intent == "ask_open_now" or kind in (follow_ups.OPEN_NOW, follow_ups.HOURS):
            text = words.open_now_reply(match.name, match.open_now, match.next_opens, now, match.hours)
        elif intent == "ask_directions" or kind in (follow_ups.DIRECTIONS, follow_ups.ADDRESS):
            text = words.directions_reply(match.name, match.address, match.postcode, match.phone,
                                          why, match.text_number, match.hours)
        else:
            text = words.number_reply(match.name, match.phone, match.text_number)
        dispatcher.utter_message(text=text)
        return events

    @staticmethod
    def _others(dispatcher: CollectingDispatcher, tracker: Tracker, now: datetime) -> List[Dict[Text, Any]]:
        listing = listed(tracker)
        shown = int(tracker.get_slot("listing_shown") or 0)
        if not listing:
            dispatcher.utter_message(text=words.NO_SERVICE_YET)
            return []
        batch = listing[shown:shown + 3]
        way_in = None
        if not batch:
            batch, way_in = ActionServiceDetails._way_in(tracker, listing, now)
        if not batch:
            with directory_session() as session:
                given = [match.name for match in (load_match(session, sid, now) for sid, _, _ in listing[:shown])
                         if match is not None]
                line = helpline_for(session, tracker.get_slot("substance"))
                number = line.phones[0].number if line is not None else None
                text = listing_words.no_more_reply(given, line.name if line is not None else None, number)
            dispatcher.utter_message(text=text, buttons=[{"title": "Talk to a person", "payload": "/ask_human"}])
            return []
        lines, found = [], []
        with directory_session() as session:
            for sid, km, band in batch:
                match = load_match(session, sid, now)
                if match is None:
                    continue
                far = band or f"{replies.miles(km)} away"
                lines.append(listing_words.other_line(match.name, far, match.phone, replies.opening_line(match, now)))
                found.append(replace(match, distance_km=km, distance_band=band))
            custom = cards.listing(session, tracker, found, now)
        if way_in is not None:  # the listing was used up: the local service that arranges it
            dispatcher.utter_message(text=" ".join([way_in] + lines), custom=custom)
            return [SlotSet("listing_ids", [{"id": sid, "km": km, "band": band} for sid, km, band in listing + batch]),
                    SlotSet("listing_shown", len(listing) + len(batch)), SlotSet("last_service_id", batch[0][0])]
        more = max(0, len(listing) - shown - len(batch))
        dispatcher.utter_message(text=" ".join([listing_words.others_intro(len(lines), more)] + lines), custom=custom)
        return [SlotSet("listing_shown", shown + len(batch)), SlotSet("last_service_id", batch[0][0])]

    @staticmethod
    def _way_in(tracker: Tracker, listing: list, now: datetime) -> tuple[list, Optional[str]]:
        """"Any others?" after every detox unit, rehab or release team near there was given: the
        local drug and alcohol services, whose assessment is the way in to each (up to 2 not given)."""
        from actions.find_service import THROUGH_LOCAL_SERVICE, find_matches, need_of
        from actions.context import persona_of

        need = need_of(tracker)
        if need not in THROUGH_LOCAL_SERVICE or not tracker.get_slot("place"):
            return [], None
        from actions.common import resolve_said_place

        given = {sid for sid, _, _ in listing}
        with directory_session() as session:
            place = resolve_said_place(session, tracker.get_slot("place"))
            if place is None:
                return [], None
            matches = find_matches(session, place, "treatment", persona_of(tracker), tracker.get_slot("substance"), now)
        fresh = [(m.service_id, round(m.distance_km, 3), m.distance_band) for m in matches if m.service_id not in given]
        return (fresh[:2], listing_words.WAY_IN.get(need)) if fresh else ([], None)

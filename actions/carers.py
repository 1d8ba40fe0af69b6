"""Journey: families and carers. "Am I a carer?", what a carer's assessment is, and who to
ask: the council where the person being cared for lives, so we ask where that is.
Young carers get the young person's route."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

import timekeeping
from actions import journey_words as words
from actions import replies
from actions.common import (directory_session, latest_entity, latest_intent, latest_text, resolve_said_place,
                            validated_place)
from actions.context import YOUNG, persona_of
from actions.find_service import (NOT_A_PLACE_INTENTS, OFFER_PERSON_BUTTON, childline_text, find_matches,
                                  requested_before_latest_message)
from directory import hours, search
from directory.models import Service
from insights import record_demand
from waymark.settings import get_settings

CARERS_LINE = "national-carers-uk"

# Kinship carers (issue 20, need 12): "im raising my grandson his mum is on drugs", "we took in
# my sisters kids", "special guardianship". Someone else's child in their care, in their words.
# Brothers and sisters count too: an older sibling bringing up "my little brother" because mum uses.
_KIN_CHILD = (r"(gran?d ?(sons?|d?aughters?|child|children|kids?|babies|baby)|grandkids?|grandchildren|nieces?|nephews?"
              r"|(little|younger|baby|kid) (brothers?|sisters?|bro|sis)|siblings"
              r"|(sister|brother|son|daughter|friend|cousin)'?s (\d+ |two |three |four |little |young )?"
              r"(kids?|children|child|baby|boys?|girls?|little ones?|twins))")
_CARING = (r"(raising|raise|bringing up|bring up|brought up|looking after|look after|caring for|care for|"
           r"taken in|took in|taking in|take in|lives? with (me|us)|lived with (me|us)|living with (me|us)|"
           r"moved in with (me|us)|staying with (me|us)|guardian\w*|custody of|residency order|"
           r"child arrangements order)")
# "my nan has had my daughters 2 kids since she went back on the gear": having the children, for good
_HAVING = (r"\b(has|have|'ve|ive|weve|had) (had|got) (my|our|the|her|his) (\w+ )?" + _KIN_CHILD
           + r"[^.?!]{0,30}\b(since|for (years|months|ages|a year|\d+|two|three)|full time|permanently)\b")
_KINSHIP = re.compile(
    r"\b(kinship|special guardian\w*|sgo)\b"
    r"|\b" + _KIN_CHILD + r"\b[^.?!]{0,40}\b" + _CARING + r"\b"
    r"|\b" + _CARING + r"\b[^.?!]{0,40}\b" + _KIN_CHILD + r"\b"
    r"|\b(as|i'?m|i am) (a|an|the|their|his|her) (nan|nana|gran|granny|grandma|grandmother|grandad|grandpa"
    r"|grandfather|grandparents?|aunt|auntie|aunty|uncle)\b[^.?!]{0,40}\b" + _CARING + r"\b"
    r"|\bgrandparents?\b[^.?!]{0,20}\b" + _CARING + r"\b"
    r"|" + _HAVING, re.I)


def is_kinship_carer(text: str) -> bool:
    """True when the words say they are bringing up a relative's or friend's child."""
    return bool(_KINSHIP.search((text or "").replace("’", "'")))


def kinship_in_conversation(tracker: Tracker, messages: int = 4) -> bool:
    """True when one of the person's last few messages says they are bringing up a relative's
    child: "we're in leeds" comes after "my granddaughter lives with us now"."""
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][-messages:]
    return any(is_kinship_carer(text) for text in said) or is_kinship_carer(latest_text(tracker))


class ActionCarerInfo(Action):
    def name(self) -> Text:
        return "action_carer_info"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.carer_intro(persona_of(tracker), kinship=kinship_in_conversation(tracker)))
        return []


class ActionAskCaredForPlace(Action):
    def name(self) -> Text:
        return "action_ask_cared_for_place"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        if persona_of(tracker) == YOUNG:
            dispatcher.utter_message(text=words.ASK_PLACE_DEFAULT)
        elif kinship_in_conversation(tracker):  # the child lives with them: their own council
            dispatcher.utter_message(text=words.ASK_KINSHIP_PLACE)
        else:
            dispatcher.utter_message(text=words.ASK_CARED_FOR_PLACE)
        return []


class ValidateCarersAssessmentForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_carers_assessment_form"

    async def extract_cared_for_place(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        text = latest_text(tracker)
        if requested_before_latest_message(tracker) != "cared_for_place":
            # A kinship carer brings the child up at home: the place they give is where the
            # child lives, so it is not asked again ("raising my grandkids ... LS9").
            place = latest_entity(tracker, "place")
            return {"cared_for_place": place} if place and is_kinship_carer(text) else {}
        if not text or text.startswith("/") or latest_intent(tracker) in NOT_A_PLACE_INTENTS:
            return {}
        return {"cared_for_place": text}

    def validate_cared_for_place(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        return validated_place("cared_for_place", slot_value, dispatcher)


class ActionFindCarersAssessment(Action):
    def name(self) -> Text:
        return "action_find_carers_assessment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        persona = persona_of(tracker)
        place_text = tracker.get_slot("cared_for_place") or ""
        now = timekeeping.now()
        with directory_session() as session:
            place = resolve_said_place(session, place_text)
            if place is None:
                dispatcher.utter_message(text=replies.unknown_place_reply(place_text))
                return [SlotSet("cared_for_place", None)]
            if persona == YOUNG:  # young carers: the young people's service helps them ask
                matches = find_matches(session, place, "young-people", persona, None, now)
                if matches:
                    dispatcher.utter_message(text=replies.service_reply(matches[0], place.label, now))
                line = childline_text(session, now)
                if line:
                    dispatcher.utter_message(text=line, buttons=[OFFER_PERSON_BUTTON])
                return [SlotSet("last_service_id", matches[0].service_id)] if matches else []
            query = search.SearchQuery(latitude=place.latitude, longitude=place.longitude,
                                       need="carers-assessment", limit=1, max_distance_km=15)
            matches = search.search(session, query, now=now, stale_after_days=get_settings().stale_after_days)
            record_demand("carers-assessment", matched=bool(matches), area=place.label, persona=persona,
                          channel=tracker.get_latest_input_channel())  # anonymous counts; never raises
            line = session.get(Service, CARERS_LINE)
            line_ok = line is not None and line.status == "active" and line.phones
            if not matches:
                dispatcher.utter_message(
                    text=words.no_carers_team_reply(place.label, line.name if line_ok else None,
                                                    line.phones[0].number if line_ok else None),
                    buttons=[OFFER_PERSON_BUTTON])
                dispatcher.utter_message(text=words.NATIONS_NOTE)
                return []
            best = matches[0]
            dispatcher.utter_message(text=words.carers_assessment_reply(
                best.name, best.phone, place.label, replies.opening_line(best, now)))
            expect = replies.what_to_expect(best)
            if expect:
                dispatcher.utter_message(text=expect)
            if line_ok:
                dispatcher.utter_message(
                    text=f"{line.name} can also help you ask: {line.phones[0].number}. "
                    + ("They're open now." if hours.is_open(line.schedules, now) else "They're closed now."),
                    buttons=words.buttons([("Family support", "/ask_family_support"), ("Naloxone", "/ask_naloxone")]))
            return [SlotSet("last_service_id", best.service_id)]

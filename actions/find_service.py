"""Journey: find a local service for a need, a substance and a place.

Every journey that ends in "the nearest place that can help" comes through here, after the
`find_service_form` has made sure we know where. Who is asking changes what we search for
(a young person gets the young people's service, a parent gets a service that gives
naloxone to families) and what we add (a referral route for a professional).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

import timekeeping
from actions import journey_words as words
from actions import cards, languages, listing_words, replies
from actions import wider_needs_words as wider_words
from actions.common import (directory_session, helpline_for, latest_intent, latest_text, resolve_said_place,
                            validated_place)
from actions.context import (PERSONA_BUTTONS, PRO, UNSAID, YOUNG, about_young_person, clean_persona, detect_persona,
                             persona_of)
from directory import geo, hours, search
from directory.models import Service
from directory.taxonomy import NEEDS, SUBSTANCES
from insights import record_demand
from waymark.settings import get_settings

# Adult services should not offer a young people's service to an adult, and vice versa.
AUDIENCE_FOR_NEED = {"treatment": "adult", "needle-exchange": "adult", "family-support": "family"}
OFFER_PERSON_BUTTON = {"title": "Talk to a person", "payload": "/ask_human"}
# Needs whose right answer depends on who is asking: we ask once, lightly, if we don't know.
ASK_WHO_FOR = {"naloxone"}
# A child worried about a parent, or a young carer, gets the young person's route.
YOUNG_ROUTE = {"treatment", "family-support", "carers-assessment", "young-people"}
# Needs reached through the local drug and alcohol service's assessment: with none listed near
# the place, the search gives that service instead of nothing. Leaving prison too: with no release
# team listed near where they'll live, the local service is who keeps a script going and gives
# naloxone on release (issue 20 item 2: "give the local service").
THROUGH_LOCAL_SERVICE = {"detox", "rehab", "prison-release"}


def _clean_code(value: Optional[str], known: dict) -> Optional[str]:
    if isinstance(value, list):  # several entities of one kind: use the first we know
        value = next((v for v in value if v in known), None)
    return value if value in known else None


# Answers within a journey (where, who for) rather than the start of a new one.
FOLLOW_UP_INTENTS = {"inform_place", "inform_persona", "nlu_fallback"}


def journey_intent(tracker: Tracker) -> Optional[str]:
    """The intent that started the journey we are in ("tell_waiting", "find_service", ...)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name and name not in FOLLOW_UP_INTENTS:
                return name
    return None


def language_in_journey(tracker: Tracker) -> Optional[languages.Asked]:
    """A language asked for in this journey's messages ("anyone who speaks polish", then "LS6")."""
    for event in reversed(tracker.events or []):
        if event.get("event") != "user":
            continue
        asked = languages.asked_language(event.get("text") or "")
        if asked is not None:
            return asked
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name and name not in FOLLOW_UP_INTENTS:
            return None
    return None


def need_of(tracker: Tracker) -> str:
    return _clean_code(tracker.get_slot("need"), NEEDS) or "treatment"


def route(need: str, persona: Optional[str], young_client: bool = False) -> Tuple[str, Optional[str]]:
    """What to search for: (need code, audience code or None). A worker asking about a young
    person ("the referral route for a 15 year old") is given the young people's service."""
    if (persona == YOUNG or (persona == PRO and young_client)) and need in YOUNG_ROUTE:
        return "young-people", "young-person"
    if persona == PRO and need == "treatment":
        return need, "professional"
    return need, AUDIENCE_FOR_NEED.get(need)


def find_matches(session: Session, place: geo.Place, need: str, persona: Optional[str],
                 substance: Optional[str], now: datetime,
                 language: Optional[str] = None, young_client: bool = False) -> List[search.ServiceMatch]:
    search_need, audience = route(need, persona, young_client)
    settings = get_settings()

    def run(audience_code: Optional[str], with_substance: bool) -> List[search.ServiceMatch]:
        query = search.SearchQuery(
            latitude=place.latitude, longitude=place.longitude, need=search_need,
            substance=substance if with_substance and search_need == "treatment" else None,
            audience=audience_code, limit=10, language=language,
        )
        return search.search(session, query, now=now, stale_after_days=settings.stale_after_days)

    matches = run(audience, True)
    if not matches and audience == "professional":
        matches = run(None, True)
    if not matches and substance and search_need == "treatment":
        matches = run(audience, False)
    if not matches and search_need in THROUGH_LOCAL_SERVICE:
        # No detox unit or rehab listed near there: the local drug and alcohol service's
        # assessment is the way in to either (issue 20, need 1), so give that service.
        search_need = "treatment"
        matches = run(AUDIENCE_FOR_NEED["treatment"] if audience != "professional" else None, True) or \
            run(AUDIENCE_FOR_NEED["treatment"], False)
        if not substance:  # nothing said about what they use: a general service before a specialist one (chemsex)
            matches.sort(key=lambda m: sum(code.startswith("substance:") for code in m.codes) <= 4)
    if need == "family-support":  # support for the family first; the council's carers team is its own journey
        matches.sort(key=lambda m: "need:carers-assessment" in m.codes)
    if need == "naloxone" and matches:
        wanted = words.NALOXONE_FEATURE.get(persona or "", "feature:naloxone-clients")
        matches.sort(key=lambda m: wanted not in m.codes)  # stable: nearest that fits first
    return matches


def texts_since_search(tracker: Tracker) -> List[str]:
    """What the person wrote since the last search, latest first ("is there a women only
    service", then "LS6"), buttons left out."""
    found: List[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_find_service":
            break
        if event.get("event") == "user" and not str(event.get("text") or "").startswith("/"):
            found.append(str(event.get("text") or ""))
    return found


def asked_features(tracker: Tracker) -> Tuple[str, ...]:
    """The features the person asked this search to have."""
    from understanding.follow_ups import wanted_in

    found: List[str] = []
    for text in texts_since_search(tracker):
        found += [code for code in wanted_in(text) if code not in found]
    return tuple(found)


def features_met(session: Session, match: search.ServiceMatch, wanted: Tuple[str, ...],
                 now: datetime) -> Tuple[str, ...]:
    """Which of the wanted features this service has (listed codes, or its opening hours)."""
    rows = None
    met = []
    for code in wanted:
        if code in ("women-only", "child-friendly"):
            ok = f"feature:{code}" in match.codes
        elif code in ("walk-in", "self-referral"):
            ok = f"access:{code}" in match.codes
        elif code == "open-now":
            ok = bool(match.open_now)
        else:
            if rows is None:
                rows = list(session.get(Service, match.service_id).schedules)
            ok = hours.opens_evenings(rows) if code == "evenings" else \
                hours.opens_weekends(rows, now.astimezone(hours.LONDON).date())
        if ok:
            met.append(code)
    return tuple(met)


def prefer_features(session: Session, matches: List[search.ServiceMatch], wanted: Tuple[str, ...],
                    now: datetime) -> List[search.ServiceMatch]:
    """The matches with those that have more of the wanted features first, nearest first among equals."""
    if not wanted:
        return matches
    scored = [(len(features_met(session, m, wanted, now)), i, m) for i, m in enumerate(matches)]
    return [m for _, _, m in sorted(scored, key=lambda t: (-t[0], t[1]))]


def alternatives(matches: List[search.ServiceMatch], best: search.ServiceMatch,
                 limit: int = 2) -> List[search.ServiceMatch]:
    """Up to `limit` other options from other providers than the best one, nearest first; when
    the best is closed now, the nearest open one comes first (issue 19, item 5). A women-only
    place is an alternative only when the best match is one too: nobody asked for it here."""
    women_only = "feature:women-only"
    others = [m for m in matches[1:] if not (best.organization and m.organization == best.organization)
              and (women_only not in m.codes or women_only in best.codes)]  # not offered to anyone unasked
    if not best.open_now:
        open_now = next((m for m in others if m.open_now), None)
        if open_now is not None:
            others.remove(open_now)
            others.insert(0, open_now)
    return others[:limit]


def listing_events(matches: List[search.ServiceMatch], shown: List[search.ServiceMatch]) -> List[Dict[Text, Any]]:
    """Remember the listing for "any others?": what was shown first, then the rest nearest
    first, each as its id and distance. A confidential place keeps its band, never its distance."""
    ids = {m.service_id for m in shown}
    ordered = shown + [m for m in matches if m.service_id not in ids]
    return [SlotSet("listing_ids", [{"id": m.service_id, "km": round(m.distance_km, 3), "band": m.distance_band}
                                    for m in ordered]),
            SlotSet("listing_shown", len(shown))]


def referral_route_text(session: Session, match: search.ServiceMatch) -> str:
    service = session.get(Service, match.service_id)
    include = next((a.value for a in service.attributes
                    if a.taxonomy_term_id and a.taxonomy_term_id.endswith("feature:referral-include") and a.value),
                   None) if service else None
    return words.referral_route(
        match.name, match.phone, match.codes, include,
        service.eligibility_description if service else None,
        service.minimum_age if service else None, service.maximum_age if service else None,
    )


def childline_text(session: Session, now: datetime) -> Optional[str]:
    line = session.get(Service, "national-childline")
    if line is None or line.status != "active" or not line.phones:
        return None
    return words.childline_line(line.name, line.phones[0].number, hours.is_open(line.schedules, now))


def samaritans_text(session: Session) -> Optional[str]:
    line = session.get(Service, "national-samaritans")
    if line is None or line.status != "active" or not line.phones:
        return None
    return words.samaritans_line(line.name, line.phones[0].number)


def need_helpline(session: Session, need: str) -> Optional[Service]:
    """The national line for this need (domestic abuse), from the directory; None if there is none."""
    service_id = wider_words.NEED_HELPLINE.get(need)
    service = session.get(Service, service_id) if service_id else None
    return service if service is not None and service.status == "active" and service.phones else None


def abuse_helpline(session: Session) -> Optional[Tuple[str, str, bool]]:
    """(name, number, open 24/7) of the National Domestic Abuse Helpline, from the directory."""
    line = need_helpline(session, wider_words.ABUSE)
    if line is None:
        return None
    return line.name, line.phones[0].number, hours.weekly_summary(line.schedules) == hours.ALWAYS_OPEN


def intro_once(tracker: Tracker, need: str) -> Optional[str]:
    """The need's introduction, unless this conversation has already been told it."""
    text = wider_words.INTRO.get(need)
    if text and any(e.get("event") == "bot" and e.get("text") == text for e in tracker.events or []):
        return None
    return text


class ActionFindService(Action):
    def name(self) -> Text:
        return "action_find_service"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        need = need_of(tracker)
        persona = persona_of(tracker)
        substance = _clean_code(tracker.get_slot("substance"), SUBSTANCES)
        place_text = tracker.get_slot("place") or latest_text(tracker)
        now = timekeeping.now()
        events: List[Dict[Text, Any]] = []
        if persona and persona != clean_persona(tracker.get_slot("persona")):
            events.append(SlotSet("persona", persona))
        with directory_session() as session:
            place = resolve_said_place(session, place_text)
            if place is None:
                dispatcher.utter_message(text=replies.unknown_place_reply(place_text))
                return events + [SlotSet("place", None)]
            if journey_intent(tracker) == "tell_waiting":
                from actions.waiting import waiting_reply

                waiting_reply(dispatcher, session, place, now)
                return events + [SlotSet("place", place.label)]
            asked = language_in_journey(tracker)
            young = persona == PRO and any(about_young_person(t) for t in texts_since_search(tracker))
            matches = find_matches(session, place, need, persona, substance, now, language=asked.code,
                                   young_client=young) if asked and asked.code else []
            spoken = bool(matches)  # a service whose listing gives the language asked for
            if not matches:
                matches = find_matches(session, place, need, persona, substance, now, young_client=young)
            wanted = asked_features(tracker)
            matches = prefer_features(session, matches, wanted, now)
            record_demand(need, matched=bool(matches), substance=substance, area=place.label, persona=persona,
                          channel=tracker.get_latest_input_channel())  # anonymous counts; never raises
            self._say(dispatcher, intro_once(tracker, need))  # issue 20, needs 4-6
            if not matches:
                line = need_helpline(session, need) or helpline_for(session, substance)
                dispatcher.utter_message(
                    text=replies.no_match_reply(route(need, persona)[0], place.label, line.name if line else None,
                                                line.phones[0].number if line else None),
                    buttons=[OFFER_PERSON_BUTTON],
                )
                self._say(dispatcher, wider_words.NO_LOCAL.get(need))
                if persona == YOUNG:
                    self._say(dispatcher, childline_text(session, now))
                if asked:
                    self._say(dispatcher, languages.INTERPRETER)
                return events + [SlotSet("place", place.label)]
            best = matches[0]
            if asked and asked.name and not spoken:  # honest first: nobody listed speaks it
                dispatcher.utter_message(text=languages.not_spoken_reply(asked.name, place.label))
            first = replies.service_reply(best, place.label, now)
            listed = languages.languages_of(session, [best.service_id]).get(best.service_id, [])
            for extra in (languages.listed_languages(best.name, listed),
                          languages.INTERPRETER if asked and (spoken or not asked.name) else None):
                if extra:
                    first = f"{first} {extra}"
            dispatcher.utter_message(text=first, custom=cards.listing(session, tracker, [best], now))
            self._say(dispatcher, listing_words.wanted_reply(best.name, place.label, wanted,
                                                             features_met(session, best, wanted, now)))
            others = alternatives(matches, best)
            if others:
                dispatcher.utter_message(text=replies.alternatives_reply(others, best, now))
            follow_ups = self._follow_ups(session, best, need, persona, now)
        expect = replies.what_to_expect(best)
        if expect:
            dispatcher.utter_message(text=expect, buttons=[] if follow_ups else [OFFER_PERSON_BUTTON])
        for text, buttons in follow_ups:
            dispatcher.utter_message(text=text, buttons=buttons)
        return events + [SlotSet("place", place.label), SlotSet("need", need),
                         SlotSet("last_service_id", best.service_id)] + listing_events(matches, [best] + others)

    @staticmethod
    def _say(dispatcher: CollectingDispatcher, text: Optional[str]) -> None:
        if text:
            dispatcher.utter_message(text=text)

    @staticmethod
    def _follow_ups(session: Session, best: search.ServiceMatch, need: str, persona: Optional[str],
                    now: datetime) -> List[Tuple[str, list]]:
        """Extra messages for this journey and this person, each with its buttons."""
        out: List[Tuple[str, list]] = []
        if need == "naloxone":
            tip = words.NALOXONE_TIP.get(persona or "", words.NALOXONE_TIP["self"])
            out.append((f"{words.naloxone_fit(best, persona)} {tip}", []))
        elif need == "needle-exchange":
            extra = words.needle_exchange_extra(best)
            if extra:
                out.append((extra, []))
        elif need == "family-support" and persona != YOUNG:
            out.append((words.FAMILY_EXTRA, words.buttons([("Carer's assessment", "/ask_carer_info"),
                                                            ("Naloxone", "/ask_naloxone")])))
        elif need == "mental-health":
            line = samaritans_text(session)
            if line:
                out.append((line, []))
        elif need in wider_words.INTRO:  # issue 20, needs 4-6
            extra = wider_words.after_listing(need, abuse_helpline(session) if need == wider_words.ABUSE else None)
            if extra:
                out.append((extra, []))
        if persona == PRO:
            out.append((referral_route_text(session, best), []))
            out.append((words.OFFER_CLIENT_TEXT, words.buttons([("Yes, short version", "/request_client_text")])))
        elif persona == YOUNG:
            line = childline_text(session, now)
            if line:
                out.append((line, words.buttons([("Is it private?", "/ask_confidentiality")])))
        if out and not out[-1][1]:
            out[-1] = (out[-1][0], [OFFER_PERSON_BUTTON])
        return out


class ActionAskPlace(Action):
    """Asks where, in the words this journey needs (where they'll live after prison, ...)."""

    def name(self) -> Text:
        return "action_ask_place"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.ask_place(need_of(tracker), persona_of(tracker)))
        return []


class ActionAskPersona(Action):
    """Asks once, lightly, who it is for; every choice can be ignored."""

    def name(self) -> Text:
        return "action_ask_persona"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.ASK_PERSONA, buttons=PERSONA_BUTTONS)
        return []


# Intents that start another journey: while we are asking where, these are not an answer.
NOT_A_PLACE_INTENTS = {
    "ask_naloxone", "ask_carer_info", "ask_family_support", "ask_young_people", "ask_confidentiality",
    "ask_referral_route", "ask_open_now", "ask_phone_number", "ask_directions", "ask_advocacy",
    "ask_complaint", "ask_legal_advice", "ask_have_a_say", "ask_housing", "ask_prison_release",
    "ask_pregnancy", "ask_mental_health", "ask_employment", "tell_waiting", "tell_relapse",
    "ask_human", "greet", "goodbye", "thank", "bot_challenge", "out_of_scope", "crisis",
    "request_client_text",
}


def requested_before_latest_message(tracker: Tracker) -> Optional[str]:
    """The slot we had asked for when the person sent their latest message."""
    events = list(tracker.events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return None
    requested = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif event.get("event") == "active_loop" and not event.get("name"):
            requested = None
    return requested


class ValidateFindServiceForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_find_service_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        slots = [s for s in domain_slots if s != "persona"]
        asking = tracker.get_slot("requested_slot") == "persona"
        if asking or (need_of(tracker) in ASK_WHO_FOR and tracker.get_slot("persona") is None
                      and persona_of(tracker) is None):
            return ["persona"] + slots
        return slots

    async def extract_persona(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        if requested_before_latest_message(tracker) != "persona":
            return {}  # we have not asked yet: this message is not the answer
        return {"persona": persona_of(tracker) or UNSAID}

    def validate_persona(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        value = clean_persona(slot_value) or detect_persona(latest_text(tracker))
        return {"persona": value or UNSAID}

    async def extract_place(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Find a place in the message text itself, so 'near ls14ap' works even when the
        entity extractor missed it; when we asked for the place, take the text as the answer."""
        if tracker.get_slot("place"):
            return {}
        text = latest_text(tracker)
        with directory_session() as session:
            place = resolve_said_place(session, text)
        if place is not None:
            return {"place": place.label}
        if (requested_before_latest_message(tracker) == "place" and text and not text.startswith("/")
                and latest_intent(tracker) not in NOT_A_PLACE_INTENTS):
            return {"place": text}
        return {}

    def validate_place(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return validated_place("place", slot_value, dispatcher, tracker.get_slot("substance"))

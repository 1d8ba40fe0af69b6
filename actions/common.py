"""What every action needs: a directory session and the person's context from the tracker."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from directory.db import session_scope
from directory.models import Service
from waymark.settings import get_settings


@contextmanager
def directory_session() -> Iterator[Session]:
    with session_scope(get_settings().database_url) as session:
        yield session


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def latest_entity(tracker: Tracker, name: str) -> Optional[str]:
    """The value of the first `name` entity in the person's latest message, or None."""
    return next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                 if e.get("entity") == name), None)


# Who to suggest first: FRANK answers about any drug, Drinkline about alcohol.
HELPLINE_FOR_SUBSTANCE = {"alcohol": "national-drinkline"}
DEFAULT_HELPLINE = "national-frank"


def helpline_for(session: Session, substance: Optional[str]) -> Optional[Service]:
    """The national line to offer, from the directory; None if it has been taken out."""
    for service_id in (HELPLINE_FOR_SUBSTANCE.get(substance or ""), DEFAULT_HELPLINE):
        service = session.get(Service, service_id) if service_id else None
        if service is not None and service.status == "active" and service.phones:
            return service
    return None


def resolve_said_place(session: Session, text: str):
    """Where a place the person typed is: the postcode table's answer (a postcode, a district, a
    town), else a neighbourhood the places gazetteer knows the district of ("Headingley" is
    searched from LS6's centre, under its own name); None when neither knows it."""
    from directory import geo
    from understanding.spacy_pipeline import district_of

    place = geo.resolve_place(session, text)
    if place is not None:
        return place
    known = district_of(text)
    found = geo.resolve_place(session, known[1]) if known else None
    return geo.Place(known[0], found.latitude, found.longitude, "town") if found is not None else None


def validated_place(slot: str, slot_value, dispatcher, substance: Optional[str] = None) -> dict:
    """Form validation for any place slot: keep the place's label if the directory knows
    where it is. Otherwise say so politely and ask again (slot cleared): a real place the
    directory has no services near yet (a UK district, or a town people name) is told so, with
    the national line for the substance; anything else is asked for a postcode or town."""
    from actions import replies
    from directory import geo
    from understanding.spacy_pipeline import known_town

    text = slot_value[0] if isinstance(slot_value, list) else str(slot_value or "")
    with directory_session() as session:
        place = resolve_said_place(session, text)
        outside = None if place is not None else (geo.real_district(text) or known_town(text))
        line = helpline_for(session, substance) if outside else None
        number = line.phones[0].number if line is not None and line.phones else None
        line_name = line.name if line is not None else None
    if place is None:
        reply = replies.outside_area_reply(outside, line_name, number) if outside else \
            replies.unknown_place_reply(text)
        dispatcher.utter_message(text=reply)
        return {slot: None}
    return {slot: place.label}

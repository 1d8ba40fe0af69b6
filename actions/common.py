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


def validated_place(slot: str, slot_value, dispatcher) -> dict:
    """Form validation for any place slot: keep the place's label if the directory knows
    where it is, otherwise say so politely and ask again (slot cleared)."""
    from actions import replies
    from directory import geo

    text = slot_value[0] if isinstance(slot_value, list) else str(slot_value or "")
    with directory_session() as session:
        place = geo.resolve_place(session, text)
    if place is None:
        dispatcher.utter_message(text=replies.unknown_place_reply(text))
        return {slot: None}
    return {slot: place.label}

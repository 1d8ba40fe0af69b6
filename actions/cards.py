"""Service cards: the listing as structured data, beside the words (issue 25, item 1).

A listing message keeps its text exactly as before (SMS, voice and plain REST clients read
only that); the web chat also gets Rasa's `custom` payload, {"cards": [...]}, and draws each
card with a tap-to-call link, a text link, a directions link and the next steps as buttons.

Everything here comes from `directory.search.ServiceMatch`. A confidential place gets its
distance band ("within 5 miles") and no address or directions link, never a number of miles.
Directions are only a link (an OpenStreetMap search for the postcode): nothing is loaded from
another site. "Talk to a person" is offered only when a live-handover line is open, as
`actions.helplines.person_can_take_it_here` decides for the other replies.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List, Optional
from urllib.parse import quote

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions import replies
from directory import hours
from directory.search import ServiceMatch

OTHERS = {"title": "Another option", "payload": '/EXTERNAL_listing_follow_up{"follow_up": "others"}'}
HOURS = {"title": "Opening hours", "payload": '/EXTERNAL_listing_follow_up{"follow_up": "hours"}'}
# A professional gets the referral route for their area; anyone else, whether this service takes
# self-referrals (a family member asking "how to refer" is not made a professional by a button).
REFER_PRO = {"title": "How to refer", "payload": "/ask_referral_route"}
REFER_SELF = {"title": "How to refer", "payload": '/EXTERNAL_listing_follow_up{"follow_up": "features", "feature": "self-referral"}'}
PERSON = {"title": "Talk to a person", "payload": "/ask_human"}
DIRECTIONS = "https://www.openstreetmap.org/search?query={}"


def dial_link(number: Optional[str], scheme: str = "tel") -> Optional[str]:
    """A `tel:` link from the number as listed (digits, a leading + kept); None if no digits."""
    if not number:
        return None
    digits = re.sub(r"[^\d]", "", number)
    if not digits:
        return None
    return f"{scheme}:{'+' if number.strip().startswith('+') else ''}{digits}"


def directions_link(match: ServiceMatch) -> Optional[str]:
    """A map search for the postcode, only where the address may be given."""
    if not match.address or not match.postcode:
        return None
    return DIRECTIONS.format(quote(match.postcode))


def checked(match: ServiceMatch) -> str:
    """The same words as the text reply's "last checked"."""
    if match.stale and match.assured_date:
        return f"Last checked on {replies.checked_on(match.assured_date)}. Ring first."
    if match.stale:
        return "Not checked recently. Ring first."
    if match.assured_date:
        return f"Last checked {replies.checked_on(match.assured_date)}."
    return ""


def card(match: ServiceMatch, now: datetime, buttons: Optional[List[Dict[str, str]]] = None) -> Dict[str, Any]:
    """One service as a card. Plain JSON values only (the web page escapes every one)."""
    opens = None if match.open_now or match.next_opens is None else hours.describe_time(match.next_opens, now)
    return {
        "id": match.service_id,
        "name": match.name,
        "distance": replies.how_far(match),  # a band for a confidential place, never its miles
        "open_now": bool(match.open_now),
        "status": "Open now" if match.open_now else "Closed now",
        "opens": f"Opens {opens}" if opens else (None if match.open_now else "Ring to check when it is open"),
        "phone": match.phone,
        "tel": dial_link(match.phone),
        "text_number": match.text_number,
        "sms": dial_link(match.text_number, "sms"),
        "walk_in": bool(match.walk_in),
        "address": match.address,
        "postcode": match.postcode if match.address else None,
        "directions": directions_link(match),
        "hours": replies.hours_sentence(match.hours) or None,
        "checked": checked(match) or None,
        "sample": bool(match.is_sample),
        "buttons": list(buttons or []),
    }


def next_steps(person_here: bool, professional: bool = False) -> List[Dict[str, str]]:
    return [OTHERS, HOURS, REFER_PRO if professional else REFER_SELF] + ([PERSON] if person_here else [])


def listing(session: Session, tracker: Tracker, matches: List[ServiceMatch], now: datetime) -> Dict[str, Any]:
    """The `custom` payload for a listing message: a card for each match. The buttons go on the
    first card only: "Opening hours" and "How to refer" are about the service the conversation
    now talks about (`last_service_id`), which is the first one listed."""
    from actions.context import PRO, persona_of
    from actions.helplines import person_can_take_it_here

    steps = next_steps(person_can_take_it_here(session, tracker), persona_of(tracker) == PRO) if matches else []
    return {"cards": [card(m, now, steps if i == 0 else None) for i, m in enumerate(matches)]}

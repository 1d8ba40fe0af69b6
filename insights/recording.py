"""Recording demand from a conversation, without keeping anything about the person.

`record_demand` is called by the actions that search the directory. It cleans every value
down to a short code (a full postcode becomes its district: "LS6 1AA" -> "LS6"), adds one to
the day's count and never raises: a reply matters more than a statistic.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Optional

from sqlalchemy import and_, insert, update
from sqlalchemy.exc import IntegrityError

from directory.hours import LONDON
from directory.taxonomy import NEEDS, SUBSTANCES
from insights.models import NOT_SAID, UNKNOWN, DemandCount, create_tables

log = logging.getLogger(__name__)

# Who is asking: the conversation's persona codes (actions/context.py) and plain words.
PERSONAS = {
    "self": "self", "family": "family", "carer": "family", "family/carer": "family",
    "young-person": "young-person", "young person": "young-person",
    "professional": "professional",
}
# How they came in: the channel names the assistant is given, and our own words.
CHANNELS = {"rest": "web", "web": "web", "webchat": "web", "twilio_sms": "sms", "sms": "sms",
            "twilio_voice": "voice", "voice": "voice"}
OTHER_NEED = "other"
OTHER_CHANNEL = "other"
_FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$", re.IGNORECASE)
_TOWN = re.compile(r"^[A-Za-z][A-Za-z' .-]{0,38}[A-Za-z]$")
_ready: set[str] = set()


def clean_area(text: Optional[str]) -> str:
    """A postcode district ("LS6") or a town ("Leeds"); anything else becomes "unknown".

    A full postcode is cut to its district; a value with any other digits in it, or longer
    than a town name, is not kept at all."""
    value = re.sub(r"\s+", " ", (text or "").strip())
    if not value:
        return UNKNOWN
    full = _FULL_POSTCODE.search(value)
    if full:
        return full.group(1).upper()
    if _DISTRICT.match(value):
        return value.upper()
    if _TOWN.match(value):
        return value.title()
    return UNKNOWN


def clean_need(need: Optional[str]) -> str:
    return need if need in NEEDS else OTHER_NEED


def clean_substance(substance: Optional[str]) -> str:
    return substance if substance in SUBSTANCES else NOT_SAID


def clean_persona(persona: Optional[str]) -> str:
    return PERSONAS.get((persona or "").strip().lower(), UNKNOWN)


def clean_channel(channel: Optional[str]) -> str:
    return CHANNELS.get((channel or "").strip().lower(), OTHER_CHANNEL)


def uk_today() -> date:
    return datetime.now(LONDON).date()


def record_demand(need: Optional[str], *, matched: bool, substance: Optional[str] = None,
                  area: Optional[str] = None, persona: Optional[str] = None,
                  channel: Optional[str] = None, day: Optional[date] = None,
                  database_url: Optional[str] = None) -> bool:
    """Add one to today's count for this request. True when it was counted.

    Never raises: a failure is logged (with no values from the conversation) and the reply
    goes out as if nothing happened. It writes in its own short transaction, apart from the
    action's directory session, so a failure here cannot undo anything else."""
    try:
        from directory.db import engine_for
        from waymark.settings import get_settings

        url = database_url or get_settings().database_url
        key = dict(day=day or uk_today(), need=clean_need(need), substance=clean_substance(substance),
                   area=clean_area(area), persona=clean_persona(persona), channel=clean_channel(channel),
                   matched=bool(matched))
        engine = engine_for(url)
        if url not in _ready:
            create_tables(engine)
            _ready.add(url)
        _add_one(engine, key)
        return True
    except Exception as e:  # noqa: BLE001 - demand figures must never break a reply
        log.warning("Could not record demand (%s); the reply was not affected", type(e).__name__)
        return False


def _add_one(engine, key: dict) -> None:
    """Increment the count, inserting it the first time; two instances racing to insert the
    same new row both end up counted (the loser of the insert updates instead)."""
    where = and_(*(getattr(DemandCount, name) == value for name, value in key.items()))
    bump = update(DemandCount).where(where).values(requests=DemandCount.requests + 1)
    with engine.begin() as connection:
        if connection.execute(bump).rowcount:
            return
    try:
        with engine.begin() as connection:
            connection.execute(insert(DemandCount).values(**key, requests=1))
    except IntegrityError:
        with engine.begin() as connection:
            connection.execute(bump)

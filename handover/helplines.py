"""Which helpline takes this person now: a directory record, never a number typed in code.

Helplines that take conversations from Waymark carry the taxonomy term
`feature:live-handover`; their audiences (adult, family, young-person, professional) say who
they serve and their schedule says when a person is there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory import hours
from directory.models import Attribute, Service
from directory.taxonomy import term

LIVE_HANDOVER = "feature:live-handover"
AUDIENCE_FOR_PERSONA = {"self": "audience:adult", "family": "audience:family",
                        "young-person": "audience:young-person", "professional": "audience:professional"}


@dataclass
class HelplineChoice:
    service: Service
    open_now: bool
    opens_at: Optional[datetime]  # the next opening, when closed now

    @property
    def voice_number(self) -> Optional[str]:
        return voice_number(self.service)


def voice_number(service: Service) -> Optional[str]:
    """The number a call is put through to (a helpline may also list a text number)."""
    return next((p.number for p in service.phones if p.type == "voice"), None)


def _codes(service: Service) -> set[str]:
    return {a.taxonomy_term.code for a in service.attributes if a.taxonomy_term is not None}


def live_helplines(session: Session) -> list[Service]:
    term_id = term(LIVE_HANDOVER).id
    ids = select(Attribute.link_id).where(Attribute.taxonomy_term_id == term_id, Attribute.link_entity == "service")
    return list(session.scalars(
        select(Service).where(Service.id.in_(ids), Service.status == "active")
        .options(selectinload(Service.schedules), selectinload(Service.phones),
                 selectinload(Service.attributes).selectinload(Attribute.taxonomy_term))
        .order_by(Service.id)))


def choose(session: Session, persona: Optional[str], now: datetime) -> Optional[HelplineChoice]:
    """Open and serving this person first; then open for anyone; then the soonest to open."""
    wanted = AUDIENCE_FOR_PERSONA.get(persona or "", "audience:adult")
    choices = []
    for service in live_helplines(session):
        open_now = hours.is_open(service.schedules, now)
        opens_at = None if open_now else hours.next_opening(service.schedules, now)
        serves = wanted in _codes(service)
        choices.append((not open_now, not serves, opens_at or datetime.max.replace(tzinfo=now.tzinfo),
                        HelplineChoice(service, open_now, opens_at)))
    if not choices:
        return None
    choices.sort(key=lambda c: c[:3])
    return choices[0][3]

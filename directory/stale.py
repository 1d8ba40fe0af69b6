"""Stale listings: services nobody has confirmed for longer than the stale period.

ORUK's guidance is that a listing verified more than three months ago is stale
(`WAYMARK_STALE_AFTER_DAYS`, default 90). `waymark directory stale` lists them grouped by the
organisation that runs them, the group with the oldest listing first, and says whom to ask.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

import timekeeping
from directory.models import Organization, Service

LIVE = ("active", "temporarily closed")


@dataclass
class StaleListing:
    service_id: str
    name: str
    assured_date: Optional[date]
    ask: Optional[str]  # whom to ask: the assurer, a contact, the service or the organisation


@dataclass
class StaleGroup:
    organization_id: Optional[str]
    organization: str
    ask: Optional[str]
    listings: list[StaleListing] = field(default_factory=list)

    @property
    def oldest(self) -> date:
        return min((s.assured_date or date.min) for s in self.listings)


def _who_to_ask(service: Service) -> Optional[str]:
    if service.assurer_email:
        return service.assurer_email
    for contact in service.contacts:
        if contact.email:
            return f"{contact.name} <{contact.email}>" if contact.name else contact.email
    if service.email:
        return service.email
    return _org_contact(service.organization)


def _org_contact(org: Optional[Organization]) -> Optional[str]:
    if org is None:
        return None
    for contact in org.contacts:
        if contact.email:
            return f"{contact.name} <{contact.email}>" if contact.name else contact.email
    return org.email


def stale_listings(session: Session, days: int, today: Optional[date] = None) -> list[StaleGroup]:
    """Live services not verified within `days`, grouped by organisation, oldest first."""
    today = today or timekeeping.today()
    cutoff = today - timedelta(days=days)
    stmt = (
        select(Service)
        .where(Service.status.in_(LIVE),
               or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
        .options(selectinload(Service.contacts), selectinload(Service.organization)
                 .selectinload(Organization.contacts))
    )
    groups: dict[Optional[str], StaleGroup] = {}
    for service in session.scalars(stmt):
        org = service.organization
        key = org.id if org else None
        group = groups.get(key)
        if group is None:
            group = groups[key] = StaleGroup(key, org.name if org else "(no organisation)", _org_contact(org))
        group.listings.append(StaleListing(service.id, service.name, service.assured_date, _who_to_ask(service)))
    for group in groups.values():
        group.listings.sort(key=lambda s: (s.assured_date or date.min, s.name))
    return sorted(groups.values(), key=lambda g: (g.oldest, g.organization))


def format_report(groups: list[StaleGroup], days: int, today: date) -> str:
    if not groups:
        return f"No stale listings: every live service was checked in the last {days} days."
    total = sum(len(g.listings) for g in groups)
    lines = [f"{total} listing(s) not checked in the last {days} days, in {len(groups)} organisation(s):"]
    for group in groups:
        lines.append("")
        lines.append(f"{group.organization}" + (f" — ask {group.ask}" if group.ask else ""))
        for item in group.listings:
            when = (f"last checked {item.assured_date.isoformat()} ({(today - item.assured_date).days} days ago)"
                    if item.assured_date else "never checked")
            ask = f"; ask {item.ask}" if item.ask and item.ask != group.ask else ""
            lines.append(f"  - {item.name} [{item.service_id}]: {when}{ask}")
    return "\n".join(lines)

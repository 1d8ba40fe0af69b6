"""Repeated failures from one web chat address are merged into one queue item (issue 18).

When Waymark fails on a message, a conversation that fails twice within
`handover.desk.FAILURE_WINDOW` is queued for a helpline worker ("the person is stuck"). On
SMS and voice a conversation is a phone number, so that is one item per person. A web chat's
id, though, is whatever the browser sends: one address can fail in any number of
"conversations", one person reloading the page or a script sending new ids, and each one
failing twice put another item in the console. Those items are merged: while an address has
one waiting "failed twice" item, a further web chat from it that fails twice is counted on
that item instead of queued again, and the console says how many were merged
(`handover.wording.queued_because`).

What is never merged: a crisis (each is its own urgent item: a person in crisis must never be
hidden behind someone else's item) and a person who asked for a person (they asked; one
address may be a whole hostel or a mobile network's shared address). A merged person has
been given FRANK and 999 like every failure, and is not told a worker will look, because the
worker looks at the other conversation.

The address is a keyed hash (`channels.addresses`), never stored as it came. Rows are purged
with the handover rows and erased with the item they point to.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable, Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from handover.models import WAITING, Handover, HandoverAddressFailure


def record(session: Session, address_hash: str, now: datetime, window: timedelta) -> HandoverAddressFailure:
    """Count one failure from this address. After `window` without one, the address starts
    afresh: an item from an earlier burst is not merged into."""
    row = session.get(HandoverAddressFailure, address_hash)
    if row is None:
        row = HandoverAddressFailure(address_hash=address_hash, merged=0, failures=0, first_at=now, last_at=now)
        session.add(row)
    elif row.last_at < now - window:
        row.handover_id, row.merged, row.failures, row.first_at = None, 0, 0, now
    row.failures += 1
    row.last_at = now
    session.flush()
    return row


def item_to_merge_into(session: Session, row: HandoverAddressFailure, sender_id: str) -> Optional[Handover]:
    """The address's waiting item, if another conversation has one."""
    if row.handover_id is None:
        return None
    handover = session.get(Handover, row.handover_id)
    if handover is None or handover.status != WAITING or handover.sender_id == sender_id:
        return None
    return handover


def merge(row: HandoverAddressFailure) -> None:
    row.merged += 1


def remember_item(row: HandoverAddressFailure, handover: Handover) -> None:
    """This item is the address's one item: later ones from the address merge into it."""
    if row.handover_id != handover.id:
        row.handover_id, row.merged = handover.id, 0


def merged_counts(session: Session, handover_ids: Iterable[str]) -> dict[str, int]:
    """How many other web chats were merged into each item (items with none are left out)."""
    ids = [i for i in handover_ids if i]
    if not ids:
        return {}
    rows = session.execute(select(HandoverAddressFailure.handover_id, HandoverAddressFailure.merged)
                           .where(HandoverAddressFailure.handover_id.in_(ids), HandoverAddressFailure.merged > 0))
    return {handover_id: merged for handover_id, merged in rows}


def erase_for(session: Session, handover_ids: Iterable[str]) -> int:
    ids = list(handover_ids)
    if not ids:
        return 0
    return session.execute(delete(HandoverAddressFailure)
                           .where(HandoverAddressFailure.handover_id.in_(ids))).rowcount or 0


def purge_before(session: Session, cutoff: datetime) -> None:
    session.execute(delete(HandoverAddressFailure).where(HandoverAddressFailure.last_at < cutoff))

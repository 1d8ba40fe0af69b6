"""The handover's tables under Waymark's retention and "delete my data" (see waymark.privacy).

Queue rows, the lines said during a handover and callback requests are conversation data:
purged with the retention period once finished, and erased when the person asks. The audit of
what workers saw and did (the directory's `metadata` table) names only the handover id and the
worker, and is kept under its own rule, not purged here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handover import desk


def purge_handover(engine_or_url, cutoff: datetime) -> int:
    from waymark.privacy import as_engine, has_tables

    engine = as_engine(engine_or_url)
    if not has_tables(engine, "handover"):
        return 0
    with Session(engine, future=True) as session:
        removed = desk.purge_before(session, cutoff)
        session.commit()
    return removed


def erase_handover(engine_or_url, sender: str) -> int:
    from waymark.privacy import as_engine, has_tables, related_senders

    engine = as_engine(engine_or_url)
    if not has_tables(engine, "handover"):
        return 0
    with Session(engine, future=True) as session:
        removed = sum(desk.erase(session, s) for s in related_senders(sender))
        session.commit()
    return removed


def register() -> None:
    from waymark.privacy import register_eraser, register_purger

    register_purger("handover", purge_handover)
    register_eraser("handover", erase_handover)

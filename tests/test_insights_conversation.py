"""A real conversation through the assistant adds one to the anonymous demand counts."""
from __future__ import annotations

from sqlalchemy import func, select

from directory.db import session_scope
from insights.models import DemandCount
from insights.recording import flush, uk_today
from support import say, texts


def _count(url, **where) -> int:
    assert flush()
    with session_scope(url) as s:
        stmt = select(func.coalesce(func.sum(DemandCount.requests), 0))
        for name, value in where.items():
            stmt = stmt.where(getattr(DemandCount, name) == value)
        return s.scalar(stmt)


def test_asking_for_help_records_one_anonymous_demand_count(client, settings):
    where = dict(day=uk_today(), need="treatment", substance="alcohol", area="LS1", channel="web", matched=True)
    before = _count(settings.database_url, **where)
    replies = say(client, "I need help with my drinking near LS1 4AP")
    assert "Kirkgate Recovery Hub" in texts(replies)
    assert _count(settings.database_url, **where) == before + 1
    with session_scope(settings.database_url) as s:
        areas = set(s.scalars(select(DemandCount.area)))
    assert "LS1 4AP" not in areas and "LS14AP" not in areas

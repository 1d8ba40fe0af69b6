"""The one table Waymark keeps for commissioners: how often something was asked for.

A row is a count for one day (UK date) and one combination of need, substance, area
(postcode district or town, never a full postcode), who was asking and how they came in,
and whether the directory had something within reach. There is no conversation id, no
text, no time of day and no row id: a request only adds one to a count, so not even the
order in which people asked is kept.

Like the channels' tables it has its own declarative Base (the directory's tables are
migrated separately) and is created with `create_all` on the WAYMARK_DATABASE_URL engine at
start-up, by `waymark directory init` and by `waymark report`.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, String
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# Values a count is kept under when the conversation did not say.
NOT_SAID = "not-said"
UNKNOWN = "unknown"


class DemandCount(Base):
    """How many times, on one day, people asked for one need in one area, and so on."""

    __tablename__ = "insights_demand"
    day = Column(Date, primary_key=True)
    need = Column(String(32), primary_key=True)
    substance = Column(String(32), primary_key=True, default=NOT_SAID)
    area = Column(String(40), primary_key=True, default=UNKNOWN)
    persona = Column(String(16), primary_key=True, default=UNKNOWN)
    channel = Column(String(8), primary_key=True)
    matched = Column(Boolean, primary_key=True)
    requests = Column(Integer, nullable=False, default=0)


def create_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine)

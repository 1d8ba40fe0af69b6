"""Keeps the search table (models.SearchEntry) in step with the directory.

Every ORM flush that touches a service, a service-at-location, a location or an attribute
rewrites the search rows of the services concerned, inside the same transaction: an import,
an editor's change, a seed or a test that closes a service is searchable (or gone) at once,
and a rollback takes the search rows back with everything else. Writes that bypass the ORM
(bulk loads such as the benchmark's) call `rebuild` afterwards.

A long write (a feed import) runs inside `deferred(session)`: its flushes only note which
services and places they touched, and the search rows are rewritten once per batch
(`refresh_deferred`) and when the block ends, still inside the same transaction. Before, an
import of 1,000 services rewrote the rows on each of ~15,000 flushes: 48 s of 110 s under
cProfile (issue 21).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from itertools import chain
from typing import Iterable, Iterator, Optional

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from directory.models import (
    CELL_LAT,
    CELL_LON,
    Attribute,
    Location,
    SearchEntry,
    Service,
    ServiceAtLocation,
    geo_cell_for,
)
from directory.taxonomy import TAXONOMY_ID, term

WAYMARK_PREFIX = f"{TAXONOMY_ID}:"
CONFIDENTIAL = term("feature:confidential-address").id
CHUNK = 500  # ids per IN (...) list
ANY = "*"  # the code of the row every place has
LEADS = ("need:", "feature:")  # the codes a search can start from (see directory.search._lead)


def coarse_point(latitude: float, longitude: float) -> tuple[float, float]:
    """Where a confidential place is searched from: the middle of its grid square (about 5.6 by
    5.3 km; models.CELL_LAT, CELL_LON), never its own point. Every distance to it, and so
    every result and ranking, is the same for anywhere in the square: searches from many
    places can find the square, never the address (issue 22)."""
    row = math.floor((latitude + 90.0) / CELL_LAT)
    column = math.floor((longitude + 180.0) / CELL_LON)
    return (row + 0.5) * CELL_LAT - 90.0, (column + 0.5) * CELL_LON - 180.0


def codes_text(codes: Iterable[str]) -> str:
    """' need:treatment substance:alcohol ': spaces round every code, so that a filter is
    `codes LIKE '% need:treatment %'` and never matches part of a longer code."""
    return " " + " ".join(sorted(set(codes))) + " "


def _chunks(ids: list) -> Iterable[list]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def entries_for(connection: Connection, service_ids: list[str]) -> list[dict]:
    """The search rows the given services should have now (see models.SearchEntry)."""
    places = connection.execute(
        select(ServiceAtLocation.id, ServiceAtLocation.service_id, ServiceAtLocation.location_id,
               Service.status, Location.latitude, Location.longitude)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(service_ids),
               Location.latitude.is_not(None), Location.longitude.is_not(None))
    ).all()
    if not places:
        return []
    codes: dict[str, set[str]] = {}
    for link_id, term_id in connection.execute(
        select(Attribute.link_id, Attribute.taxonomy_term_id).where(
            Attribute.link_entity == "service", Attribute.link_id.in_(service_ids),
            Attribute.taxonomy_term_id.startswith(WAYMARK_PREFIX))
    ):
        codes.setdefault(link_id, set()).add(term_id[len(WAYMARK_PREFIX):])
    location_ids = sorted({p.location_id for p in places})
    confidential = set(connection.scalars(
        select(Attribute.link_id).where(Attribute.link_entity == "location",
                                        Attribute.link_id.in_(location_ids),
                                        Attribute.taxonomy_term_id == CONFIDENTIAL)))
    rows = []
    for p in places:
        own = sorted(codes.get(p.service_id, ()))
        hidden = p.location_id in confidential
        latitude, longitude = coarse_point(p.latitude, p.longitude) if hidden else (p.latitude, p.longitude)
        row = {"place_id": p.id, "service_id": p.service_id, "location_id": p.location_id,
               "status": p.status, "geo_cell": geo_cell_for(latitude, longitude),
               "latitude": latitude, "longitude": longitude, "codes": codes_text(own),
               "confidential": hidden}
        rows.extend(dict(row, code=code) for code in [ANY, *own] if code == ANY or code.startswith(LEADS))
    return rows


def refresh(connection: Connection, service_ids: Iterable[str]) -> None:
    """Rewrite the search rows of these services from the directory tables."""
    for chunk in _chunks(sorted({i for i in service_ids if i})):
        connection.execute(delete(SearchEntry).where(SearchEntry.service_id.in_(chunk)))
        rows = entries_for(connection, chunk)
        if rows:
            connection.execute(insert(SearchEntry), rows)


def rebuild(connection: Connection) -> int:
    """Rewrite the whole search table; returns the number of places (services at a location)."""
    connection.execute(delete(SearchEntry))
    service_ids = list(connection.scalars(select(Service.id).order_by(Service.id)))
    places = 0
    for chunk in _chunks(service_ids):
        rows = entries_for(connection, chunk)
        if rows:
            connection.execute(insert(SearchEntry), rows)
        places += sum(1 for row in rows if row["code"] == ANY)
    return places


def _value(obj, key: str) -> list:
    """The current and (if changed in this flush) previous value of an attribute, without
    loading anything: a moved link must refresh both the old and the new service."""
    state = inspect(obj)
    values = [state.dict.get(key)]
    history = state.attrs[key].history
    values.extend(history.deleted or ())
    if key not in state.dict and state.identity is not None and key == "id":
        values.append(state.identity[0])
    return [v for v in values if v is not None]


DEFERRED = "waymark.search_index.deferred"  # session.info key: (services, locations) noted, not yet refreshed


def _touched(session: Session) -> tuple[set[str], set[str]]:
    """The services and locations whose objects this flush writes."""
    services: set[str] = set()
    locations: set[str] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Service):
            services.update(_value(obj, "id"))
        elif isinstance(obj, ServiceAtLocation):
            services.update(_value(obj, "service_id"))
            locations.update(_value(obj, "location_id"))
        elif isinstance(obj, Location):
            locations.update(_value(obj, "id"))
        elif isinstance(obj, Attribute):
            entity: Optional[str] = inspect(obj).dict.get("link_entity")
            if entity == "service":
                services.update(_value(obj, "link_id"))
            elif entity == "location":
                locations.update(_value(obj, "link_id"))
    return services, locations


def _refresh_touched(session: Session, services: set[str], locations: set[str]) -> None:
    if not services and not locations:
        return
    connection = session.connection(bind_arguments={"mapper": SearchEntry})
    services = set(services)
    for chunk in _chunks(sorted(locations)):
        # The services at these places now, and those whose rows still name them (a place a
        # service has left): the search rows are not refreshed until now, so they still do.
        services.update(connection.scalars(
            select(ServiceAtLocation.service_id).where(ServiceAtLocation.location_id.in_(chunk))))
        services.update(connection.scalars(
            select(SearchEntry.service_id).where(SearchEntry.location_id.in_(chunk))))
    refresh(connection, services)


def after_flush(session: Session) -> None:
    """Session hook (registered in directory.models): refresh the services this flush touched,
    or, inside `deferred`, note them for `refresh_deferred`."""
    services, locations = _touched(session)
    pending = session.info.get(DEFERRED)
    if pending is not None:
        pending[0].update(services)
        pending[1].update(locations)
        return
    _refresh_touched(session, services, locations)


def refresh_deferred(session: Session) -> int:
    """Flush, then rewrite the search rows of everything noted since `deferred` began (or since
    the last call). Returns how many services and places were noted."""
    pending = session.info.get(DEFERRED)
    if pending is None:
        return 0
    session.flush()
    services, locations = set(pending[0]), set(pending[1])
    pending[0].clear()
    pending[1].clear()
    _refresh_touched(session, services, locations)
    return len(services) + len(locations)


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Within this block, flushes note what they touched and the search rows are rewritten in
    one go: at each `refresh_deferred(session)` and when the block ends without an error. On
    an error nothing is refreshed: the caller rolls the transaction back, search rows and all.
    Nested blocks share the outer one's notes."""
    if DEFERRED in session.info:
        yield
        return
    session.info[DEFERRED] = (set(), set())
    try:
        yield
        refresh_deferred(session)
    finally:
        session.info.pop(DEFERRED, None)


# Registered here, where the work is, rather than in `directory.models` (which this module
# imports). `directory.db`, through which every directory session gets its engine, imports
# this module, so no session can flush without them.
@event.listens_for(Session, "after_flush")
def _keep_search_entries(session: Session, _flush_context) -> None:
    after_flush(session)


@event.listens_for(Session, "before_commit")
def _no_commit_before_the_search_rows(session: Session) -> None:
    """A commit inside `deferred` writes the search rows it noted first."""
    refresh_deferred(session)

"""Nearest-service search: the one query the assistant, the staff page and the ORUK API share.

Plain SQL on any database (no PostGIS): a bounding box on the indexed latitude/longitude
narrows the candidates, taxonomy filters are EXISTS sub-queries on `attribute`, and the exact
great-circle distance orders what is left.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Optional, Sequence

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, lazyload, selectinload

from directory import hours
from directory.geo import haversine_km
from directory.models import Attribute, Location, Service, ServiceAtLocation, geo_cell_for
from directory.taxonomy import TAXONOMY_ID, TERMS, term

WAYMARK_PREFIX = f"{TAXONOMY_ID}:"

DEFAULT_MAX_DISTANCE_KM = 40.0
FIRST_RADIUS_KM = 5.0
ACTIVE = "active"


@dataclass
class SearchQuery:
    latitude: float
    longitude: float
    need: Optional[str] = None  # a code from taxonomy.NEEDS, e.g. "treatment"
    substance: Optional[str] = None  # a code from taxonomy.SUBSTANCES
    audience: Optional[str] = None  # a code from taxonomy.AUDIENCES
    self_referral: bool = False
    walk_in: bool = False
    women_only: bool = False
    open_at: Optional[datetime] = None  # only services open at this moment
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM
    limit: int = 10


@dataclass
class ServiceMatch:
    """One result, with everything a person needs to decide and to get in."""

    service_id: str
    name: str
    organization: Optional[str]
    description: Optional[str]
    distance_km: float
    phone: Optional[str]
    text_number: Optional[str]
    address: Optional[str]  # None when the address is confidential
    postcode: Optional[str]
    open_now: bool
    next_opens: Optional[datetime]
    hours: str
    self_referral: bool
    walk_in: bool
    application_process: Optional[str]
    assured_date: Optional[date]
    stale: bool
    alert: Optional[str]
    is_sample: bool
    codes: set[str] = field(default_factory=set)


def _has_term(code: str):
    return exists().where(
        and_(
            Attribute.link_entity == "service",
            Attribute.link_id == Service.id,
            Attribute.taxonomy_term_id == term(code).id,
        )
    )


def _filters(query: SearchQuery) -> list:
    filters = []
    if query.need:
        filters.append(_has_term(f"need:{query.need}"))
    if query.substance:
        filters.append(_has_term(f"substance:{query.substance}"))
    if query.audience:
        filters.append(_has_term(f"audience:{query.audience}"))
    if query.self_referral:
        filters.append(_has_term("access:self-referral"))
    if query.walk_in:
        filters.append(_has_term("access:walk-in"))
    if query.women_only:
        filters.append(_has_term("feature:women-only"))
    return filters


def is_stale(assured: Optional[date], today: date, stale_after_days: int) -> bool:
    return assured is None or (today - assured) > timedelta(days=stale_after_days)


def _in_cells(lat_min: float, lat_max: float, lon_min: float, lon_max: float):
    """Location.geo_cell within the box: one index range per grid row (see models.geo_cell_for)."""
    first, last = geo_cell_for(lat_min, lon_min), geo_cell_for(lat_max, lon_max)
    col_min, col_max = first % 10000, last % 10000
    ranges = [Location.geo_cell.between(row * 10000 + col_min, row * 10000 + col_max)
              for row in range(first // 10000, last // 10000 + 1)]
    return or_(*ranges) if len(ranges) > 1 else ranges[0]


def nearest_locations(
    session: Session,
    latitude: float,
    longitude: float,
    max_distance_km: float,
    filters: Sequence = (),
    statuses: Optional[Sequence[str]] = (ACTIVE,),
    exclude_confidential: bool = False,
) -> list[tuple[str, tuple[float, str]]]:
    """[(service_id, (distance_km, location_id))] within `max_distance_km`, nearest first, one
    entry per service (its nearest location). `filters` are extra WHERE clauses on Service;
    `statuses=None` means any status. The ORUK API excludes confidential locations, so their
    distance from a chosen point can never be probed.
    """
    lat_delta = max_distance_km / 111.0
    lon_delta = max_distance_km / (111.0 * max(0.1, math.cos(math.radians(latitude))))
    in_box = [
        _in_cells(latitude - lat_delta, latitude + lat_delta, longitude - lon_delta, longitude + lon_delta),
        Location.latitude.between(latitude - lat_delta, latitude + lat_delta),
        Location.longitude.between(longitude - lon_delta, longitude + lon_delta),
    ]
    conditions = list(filters)
    if statuses is not None:
        conditions.append(Service.status.in_(list(statuses)) if len(statuses) > 1 else Service.status == statuses[0])
    if exclude_confidential:
        conditions.append(~exists().where(and_(
            Attribute.link_entity == "location",
            Attribute.link_id == Location.id,
            Attribute.taxonomy_term_id == term("feature:confidential-address").id,
        )))
    joined = (
        select(Service.id, Location.id, Location.latitude, Location.longitude)
        .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
    )
    nearest: dict[str, tuple[float, str]] = {}

    def take(rows) -> None:
        for service_id, location_id, lat, lon in rows:
            distance = haversine_km(latitude, longitude, lat, lon)
            if distance <= max_distance_km and (
                service_id not in nearest or distance < nearest[service_id][0]
            ):
                nearest[service_id] = (distance, location_id)

    take(session.execute(joined.where(*in_box, *conditions)))
    return sorted(nearest.items(), key=lambda kv: kv[1][0])


def search(
    session: Session,
    query: SearchQuery,
    now: Optional[datetime] = None,
    stale_after_days: int = 90,
) -> list[ServiceMatch]:
    """Active services nearest to the query point, nearest first.

    The search looks within FIRST_RADIUS_KM first and widens up to max_distance_km only
    when fewer than `limit` services qualify there. Everything within the radius searched is
    ranked, so what comes back is exactly the nearest `limit`: a service further out can never
    be nearer than one found inside.
    """
    now = now or datetime.now(hours.LONDON)
    radius = min(FIRST_RADIUS_KM, query.max_distance_km)
    while True:
        ordered = nearest_locations(session, query.latitude, query.longitude, radius, _filters(query))
        wide_enough = radius >= query.max_distance_km
        if len(ordered) >= query.limit or wide_enough:
            results = _matches(session, query, ordered, now, stale_after_days)
            if len(results) >= query.limit or wide_enough:
                return results
        # Widen to where `limit` should be found if services are spread evenly (area grows
        # with the square of the radius), with a margin; at least double each time.
        found = max(len(ordered), 0.5)
        radius = min(max(radius * 2, radius * math.sqrt(1.5 * query.limit / found)), query.max_distance_km)


def _matches(session: Session, query: SearchQuery, ordered: list, now: datetime,
             stale_after_days: int) -> list[ServiceMatch]:
    results: list[ServiceMatch] = []
    # Load details in small batches, so an open-now filter can look past closed services.
    batch = query.limit if query.open_at is None else max(query.limit * 2, 10)
    for start in range(0, len(ordered), batch):
        chunk = ordered[start : start + batch]
        services = _load(session, [sid for sid, _ in chunk])
        locations = {
            loc.id: loc
            for loc in session.scalars(
                select(Location)
                .where(Location.id.in_([loc_id for _, (_, loc_id) in chunk]))
                .options(selectinload(Location.addresses),
                         selectinload(Location.attributes).options(lazyload(Attribute.taxonomy_term)))
            )
        }
        for service_id, (distance, location_id) in chunk:
            if query.open_at is not None and not hours.is_open(
                services[service_id].schedules, query.open_at
            ):
                continue
            match = describe(
                services[service_id], locations[location_id], distance, now, stale_after_days
            )
            results.append(match)
            if len(results) >= query.limit:
                return results
    return results


def _load(session: Session, ids: list[str]) -> dict[str, Service]:
    stmt = (
        select(Service)
        .where(Service.id.in_(ids))
        .options(
            selectinload(Service.phones),
            selectinload(Service.schedules),
            selectinload(Service.attributes).options(lazyload(Attribute.taxonomy_term)),
            selectinload(Service.organization),
        )
    )
    return {s.id: s for s in session.scalars(stmt)}


def attribute_code(attribute: Attribute) -> Optional[str]:
    """The taxonomy code of an attribute; Waymark's own are read from the term id, without
    loading the term."""
    term_id = attribute.taxonomy_term_id or ""
    if term_id.startswith(WAYMARK_PREFIX) and term_id[len(WAYMARK_PREFIX):] in TERMS:
        return term_id[len(WAYMARK_PREFIX):]
    return attribute.taxonomy_term.code if attribute.taxonomy_term is not None else None


def service_codes(service: Service) -> set[str]:
    return {code for code in map(attribute_code, service.attributes) if code}


def _phone(service: Service, kind: str) -> Optional[str]:
    for phone in service.phones:
        if (phone.type or "voice") == kind:
            return phone.number
    return None


def describe(
    service: Service,
    location: Optional[Location],
    distance_km: float,
    now: datetime,
    stale_after_days: int = 90,
) -> ServiceMatch:
    codes = service_codes(service)
    address = postcode = None
    if location is not None:
        location_codes = {code for code in map(attribute_code, location.attributes) if code}
        if "feature:confidential-address" not in location_codes and location.addresses:
            addr = location.addresses[0]
            postcode = addr.postal_code
            address = ", ".join(p for p in (addr.address_1, addr.city, addr.postal_code) if p)
    return ServiceMatch(
        service_id=service.id,
        name=service.name,
        organization=service.organization.name if service.organization else None,
        description=service.description,
        distance_km=distance_km,
        phone=_phone(service, "voice"),
        text_number=_phone(service, "text"),
        address=address,
        postcode=postcode,
        open_now=hours.is_open(service.schedules, now),
        next_opens=hours.next_opening(service.schedules, now),
        hours=hours.weekly_summary(service.schedules),
        self_referral="access:self-referral" in codes,
        walk_in="access:walk-in" in codes,
        application_process=service.application_process,
        assured_date=service.assured_date,
        stale=is_stale(service.assured_date, now.date(), stale_after_days),
        alert=service.alert,
        is_sample="feature:sample-data" in codes,
        codes=codes,
    )


def national_services(session: Session, need: Optional[str] = None) -> list[Service]:
    """Active national services (helplines), optionally for one need."""
    filters = [Service.status == ACTIVE, _has_term("feature:national")]
    if need:
        filters.append(_has_term(f"need:{need}"))
    stmt = (
        select(Service)
        .where(*filters)
        .options(selectinload(Service.phones), selectinload(Service.schedules),
                 selectinload(Service.attributes))
        .order_by(Service.name)
    )
    return list(session.scalars(stmt))


def successor_id(session: Session, service_id: str) -> Optional[str]:
    """The id recorded as this service's successor (attribute feature:successor), if any."""
    return session.scalar(
        select(Attribute.value).where(
            Attribute.link_entity == "service",
            Attribute.link_id == service_id,
            Attribute.taxonomy_term_id == term("feature:successor").id,
        )
    )


def resolve_successor(session: Session, service_id: str, max_hops: int = 10) -> Optional[Service]:
    """The service to offer when someone asks for `service_id`.

    Closed services are never offered; their successor is. An active service is itself; a
    closed or inactive one leads along its chain of successors to the first active service.
    None when the chain ends without one (or loops), or the service is unknown.
    """
    seen: set[str] = set()
    current: Optional[str] = service_id
    while current and current not in seen and len(seen) <= max_hops:
        seen.add(current)
        service = session.get(Service, current)
        if service is None:
            return None
        if service.status == ACTIVE:
            return service
        current = successor_id(session, current)
    return None

"""Nearest-service search: the one query the assistant, the staff page and the ORUK API share.

Plain SQL on any database (no PostGIS). The search table (models.SearchEntry, kept in step by
directory.search_index) has a row per service-at-location under each of the service's need and
feature codes, holding the grid cell, the point, the status and all its codes. A search reads
the rows of its need (or feature) in the grid squares around the point in key order, checks
the other filters on the same rows, and ranks what is left by exact great-circle distance.
Details for the few results are then read with four plain queries. The statements are built
once and reused: building one costs about as much as running it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date, datetime, timedelta
from typing import NamedTuple, Optional, Sequence

from sqlalchemy import and_, bindparam, exists, false, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, selectinload

import timekeeping
from directory import hours
from directory.geo import EARTH_RADIUS_KM
from directory.models import (
    Accessibility,
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchEntry,
    Service,
    geo_cell_for,
)
from directory.search_index import ANY
from directory.taxonomy import TAXONOMY_ID, TERMS, term

WAYMARK_PREFIX = f"{TAXONOMY_ID}:"

DEFAULT_MAX_DISTANCE_KM = 40.0
FIRST_RADIUS_KM = 5.0
# The widest search anyone may ask for, and the most results, whoever calls (the APIs refuse
# more with a 422; this is the second lock). A search box is one SQL clause per grid row, so
# an unbounded radius (1e308 km) once built millions of clauses and took the server down.
MAX_DISTANCE_KM = 100.0
MAX_LIMIT = 100
# 100 km each way is 2 * 100 / 111 / CELL_LAT = 36 grid rows; a little margin for rounding.
MAX_CELL_ROWS = 40
ACTIVE = "active"
# Features a person can ask for by name (SearchQuery.features); the rest are bookkeeping.
SEARCHABLE_FEATURES = ("naloxone-clients", "naloxone-families", "naloxone-training", "women-only",
                       "child-friendly")


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
    # Every one of these features, e.g. ("naloxone-families",) (see SEARCHABLE_FEATURES)
    features: Sequence[str] = ()
    language: Optional[str] = None  # listed by the service: a code ("pl") or a name ("Polish")
    accessibility: Optional[str] = None  # a word in the place's accessibility notes ("wheelchair")
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
    # For a confidential place: "within 5 miles" (then distance_km is that band's edge, not the
    # place's distance). Say this, never a number of miles.
    distance_band: Optional[str] = None


KM_PER_MILE = 1.609344
# How far away a confidential place is said to be (and ranked): the first band its distance
# (from the middle of its grid square, search_index.coarse_point) falls in, never a number.
DISTANCE_BANDS_MILES = (5, 10, 25)


def distance_band(distance_km: float) -> tuple[float, str]:
    """(the distance to rank by, the words) for a confidential place: "within 5 miles" is
    ranked as if 5 miles away, so its exact distance decides neither what is said nor the order."""
    for miles in DISTANCE_BANDS_MILES:
        if distance_km <= miles * KM_PER_MILE:
            return miles * KM_PER_MILE, f"within {miles} miles"
    return MAX_DISTANCE_KM, f"more than {DISTANCE_BANDS_MILES[-1]} miles away"


class UnknownFilter(ValueError):
    """A search asked for a need, substance, audience or feature the taxonomy does not have."""


def _code(group: str, value: str) -> str:
    code = f"{group}:{value}"
    if code not in TERMS or (group == "feature" and value not in SEARCHABLE_FEATURES):
        known = SEARCHABLE_FEATURES if group == "feature" else [c.split(":", 1)[1] for c in TERMS
                                                                 if c.startswith(group + ":")]
        raise UnknownFilter(f"There is no {group} called {value!r}. Known: {', '.join(known)}.")
    return code


def required_codes(query: SearchQuery) -> list[str]:
    """The Waymark codes a service must carry to match the query's filters."""
    codes = []
    if query.need:
        codes.append(_code("need", query.need))
    if query.substance:
        codes.append(_code("substance", query.substance))
    if query.audience:
        codes.append(_code("audience", query.audience))
    if query.self_referral:
        codes.append("access:self-referral")
    if query.walk_in:
        codes.append("access:walk-in")
    if query.women_only:
        codes.append("feature:women-only")
    for feature in query.features:
        feature = feature[len("feature:"):] if feature.startswith("feature:") else feature
        codes.append(_code("feature", feature))
    return list(dict.fromkeys(codes))


def is_stale(assured: Optional[date], today: date, stale_after_days: int) -> bool:
    return assured is None or (today - assured) > timedelta(days=stale_after_days)


class BadSearchArea(ValueError):
    """A point or a distance that is not a finite number (NaN, infinity)."""


def _cell_ranges(lat_min: float, lat_max: float, lon_min: float, lon_max: float) -> list[tuple[int, int]]:
    """The grid cells within the box: one range of cell numbers per grid row (see
    models.geo_cell_for: a cell is row * 10000 + column). Never more than MAX_CELL_ROWS rows,
    however large the box asked for: the rows kept are those nearest the box's middle."""
    if not all(map(math.isfinite, (lat_min, lat_max, lon_min, lon_max))):
        raise BadSearchArea("A search box needs finite coordinates.")
    lat_min, lat_max = max(-90.0, lat_min), min(90.0 - 1e-9, lat_max)
    lon_min, lon_max = max(-180.0, lon_min), min(180.0 - 1e-9, lon_max)
    if lat_min > lat_max or lon_min > lon_max:
        return []
    first, last = geo_cell_for(lat_min, lon_min), geo_cell_for(lat_max, lon_max)
    col_min, col_max = first % 10000, last % 10000
    row_min, row_max = first // 10000, last // 10000
    if row_max - row_min + 1 > MAX_CELL_ROWS:
        middle = (row_min + row_max) // 2
        row_min = middle - MAX_CELL_ROWS // 2
        row_max = row_min + MAX_CELL_ROWS - 1
    return [(row * 10000 + col_min, row * 10000 + col_max) for row in range(row_min, row_max + 1)]


def bounded_distance_km(max_distance_km: float) -> float:
    """The radius a search may use: finite, and at most MAX_DISTANCE_KM."""
    if not math.isfinite(max_distance_km):
        raise BadSearchArea("A search distance must be a finite number.")
    return min(max(max_distance_km, 0.0), MAX_DISTANCE_KM)


@lru_cache(maxsize=512)
def _candidate_statement(cell_rows: int, code_count: int, status_count: int, exclude_confidential: bool):
    """The box query with bound parameters, built once per shape: building a SQLAlchemy
    statement costs about as much as running this one, so searches reuse it (and SQLAlchemy's
    compiled form of it)."""
    entry = SearchEntry
    ranges = [entry.geo_cell.between(bindparam(f"cell_lo_{i}"), bindparam(f"cell_hi_{i}")) for i in range(cell_rows)]
    stmt = select(entry.service_id, entry.location_id, entry.latitude, entry.longitude, entry.codes,
                  entry.confidential).where(
        entry.code == bindparam("lead"),
        or_(*ranges) if len(ranges) > 1 else ranges[0],
        entry.latitude.between(bindparam("lat_lo"), bindparam("lat_hi")),
        entry.longitude.between(bindparam("lon_lo"), bindparam("lon_hi")),
    )
    if status_count == 1:
        stmt = stmt.where(entry.status == bindparam("status"))
    elif status_count > 1:
        stmt = stmt.where(entry.status.in_(bindparam("statuses", expanding=True)))
    if exclude_confidential:
        stmt = stmt.where(entry.confidential == false())
    for i in range(code_count):
        stmt = stmt.where(entry.codes.like(bindparam(f"code_{i}"), escape="/"))
    return stmt


def _lead(codes: Sequence[str]) -> tuple[str, list[str]]:
    """(the code whose search rows to read, the codes left to check on each row). A feature is
    rarer than a need; without either, every place's "*" row is read."""
    lead = next((c for prefix in ("feature:", "need:") for c in codes if c.startswith(prefix)), ANY)
    return lead, [c for c in codes if c != lead]


def _like_code(code: str) -> str:
    escaped = code.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"% {escaped} %"


class Candidate(NamedTuple):
    """A service's nearest qualifying location, before its details are read. For a
    confidential location distance_km is its band's edge (distance_band), the distance it is
    ranked by."""

    distance_km: float
    location_id: str
    codes: str  # SearchEntry.codes
    confidential: bool


def _candidates(
    connection: Connection,
    latitude: float,
    longitude: float,
    max_distance_km: float,
    codes: Sequence[str] = (),
    filters: Sequence = (),
    statuses: Optional[Sequence[str]] = (ACTIVE,),
    exclude_confidential: bool = False,
) -> list[tuple[str, Candidate]]:
    """[(service_id, Candidate)] within `max_distance_km` (at most MAX_DISTANCE_KM), nearest
    first (ties by id), one per service (its nearest location). Raises BadSearchArea for a
    point or distance that is not finite."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)) or not -90 <= latitude <= 90:
        raise BadSearchArea("A search point needs a finite latitude and longitude.")
    max_distance_km = bounded_distance_km(max_distance_km)
    lat_delta = max_distance_km / 111.0
    lon_delta = max_distance_km / (111.0 * max(0.1, math.cos(math.radians(latitude))))
    cells = _cell_ranges(latitude - lat_delta, latitude + lat_delta, longitude - lon_delta, longitude + lon_delta)
    if not cells:
        return []
    statuses = list(statuses) if statuses is not None else []
    lead, codes = _lead(codes)
    stmt = _candidate_statement(len(cells), len(codes), len(statuses), exclude_confidential)
    params = {"lead": lead, "lat_lo": latitude - lat_delta, "lat_hi": latitude + lat_delta,
              "lon_lo": longitude - lon_delta, "lon_hi": longitude + lon_delta}
    for i, (low, high) in enumerate(cells):
        params[f"cell_lo_{i}"], params[f"cell_hi_{i}"] = low, high
    for i, code in enumerate(codes):
        params[f"code_{i}"] = _like_code(code)
    if len(statuses) == 1:
        params["status"] = statuses[0]
    elif statuses:
        params["statuses"] = statuses
    if filters:  # the ORUK API's own conditions on Service: a one-off statement
        stmt = stmt.join(Service, Service.id == SearchEntry.service_id).where(*filters)
    # Haversine with the query point's terms worked out once (geo.haversine_km, inlined).
    p1, l1 = math.radians(latitude), math.radians(longitude)
    cos_p1 = math.cos(p1)
    sin, cos, asin, sqrt, radians = math.sin, math.cos, math.asin, math.sqrt, math.radians
    nearest: dict[str, Candidate] = {}
    for service_id, location_id, lat, lon, entry_codes, confidential in connection.execute(stmt, params).all():
        p2 = radians(lat)
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin((radians(lon) - l1) / 2) ** 2
        distance = 2 * EARTH_RADIUS_KM * asin(sqrt(a))
        if distance <= max_distance_km:
            if confidential:  # its point is already its square's middle; rank it by its band
                distance = distance_band(distance)[0]
            known = nearest.get(service_id)
            if known is None or distance < known.distance_km:
                nearest[service_id] = Candidate(distance, location_id, entry_codes, bool(confidential))
    return sorted(nearest.items(), key=lambda kv: (kv[1].distance_km, kv[0]))


def _connection(session: Session) -> Connection:
    """The session's connection, after flushing pending changes (as an ORM query would), so a
    search sees what this session has just written."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection(bind_arguments={"mapper": SearchEntry})


def nearest_locations(
    session: Session,
    latitude: float,
    longitude: float,
    max_distance_km: float,
    filters: Sequence = (),
    statuses: Optional[Sequence[str]] = (ACTIVE,),
    exclude_confidential: bool = False,
    codes: Sequence[str] = (),
) -> list[tuple[str, tuple[float, str]]]:
    """[(service_id, (distance_km, location_id))] within `max_distance_km`, nearest first, one
    entry per service (its nearest location). `filters` are extra WHERE clauses on Service;
    `codes` are Waymark codes every service must carry; `statuses=None` means any status. The
    ORUK API excludes confidential locations, so their distance from a chosen point can never
    be probed.
    """
    found = _candidates(_connection(session), latitude, longitude, max_distance_km, codes, filters,
                        statuses, exclude_confidential)
    return [(sid, (c.distance_km, c.location_id)) for sid, c in found]


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
    be nearer than one found inside. Raises UnknownFilter for a code the taxonomy lacks.
    """
    now = now or timekeeping.now()
    codes = required_codes(query)
    max_distance_km = bounded_distance_km(query.max_distance_km)
    if max_distance_km != query.max_distance_km or not 1 <= query.limit <= MAX_LIMIT:
        query = replace(query, max_distance_km=max_distance_km, limit=min(max(query.limit, 1), MAX_LIMIT))
    connection = _connection(session)
    radius = min(FIRST_RADIUS_KM, query.max_distance_km)
    while True:
        ordered = _candidates(connection, query.latitude, query.longitude, radius, codes)
        if query.language or query.accessibility:
            ordered = _spoken_and_accessible(connection, query, ordered)
        wide_enough = radius >= query.max_distance_km
        if not wide_enough:  # a confidential place ranked beyond this radius waits for a wider one
            ordered = [(sid, c) for sid, c in ordered if c.distance_km <= radius]
        if len(ordered) >= query.limit or wide_enough:
            results = _matches(connection, query, ordered, now, stale_after_days)
            if len(results) >= query.limit or wide_enough:
                return results
        # Widen to where `limit` should be found if services are spread evenly (area grows
        # with the square of the radius), with a margin; at least double each time.
        found = max(len(ordered), 0.5)
        radius = min(max(radius * 2, radius * math.sqrt(1.5 * query.limit / found)), query.max_distance_km)


def _spoken_and_accessible(connection: Connection, query: SearchQuery,
                           ordered: list[tuple[str, Candidate]]) -> list[tuple[str, Candidate]]:
    """The candidates whose service lists the language asked for, and whose (nearest) place
    mentions the accessibility word asked for. Rarely asked, so read from the ORUK tables."""
    if query.language:
        wanted = query.language.strip().lower()
        speaking: set[str] = set()
        for chunk in _chunks([sid for sid, _ in ordered]):
            speaking.update(connection.scalars(select(Language.service_id).where(
                Language.service_id.in_(chunk),
                or_(func.lower(Language.code) == wanted, func.lower(Language.name) == wanted))))
        ordered = [(sid, c) for sid, c in ordered if sid in speaking]
    if query.accessibility:
        word = query.accessibility.strip().lower()
        accessible: set[str] = set()
        for chunk in _chunks(sorted({c.location_id for _, c in ordered})):
            accessible.update(connection.scalars(select(Accessibility.location_id).where(
                Accessibility.location_id.in_(chunk),
                or_(func.lower(Accessibility.description).contains(word, autoescape=True),
                    func.lower(Accessibility.details).contains(word, autoescape=True)))))
        ordered = [(sid, c) for sid, c in ordered if c.location_id in accessible]
    return ordered


def _chunks(ids: list, size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _matches(connection: Connection, query: SearchQuery, ordered: list[tuple[str, Candidate]],
             now: datetime, stale_after_days: int) -> list[ServiceMatch]:
    results: list[ServiceMatch] = []
    # Read details in small batches, so an open-now filter can look past closed services.
    batch = query.limit if query.open_at is None else max(query.limit * 2, 10)
    for start in range(0, len(ordered), batch):
        chunk = ordered[start : start + batch]
        details = _details(connection, chunk)
        for service_id, candidate in chunk:
            service, phones, schedules, address = details[service_id]
            if query.open_at is not None and not hours.is_open(schedules, query.open_at):
                continue
            match = _match(service, phones, schedules, address, _split(candidate.codes),
                           candidate.distance_km, now, stale_after_days)
            if candidate.confidential:
                match.distance_band = distance_band(candidate.distance_km)[1]
            results.append(match)
            if len(results) >= query.limit:
                return results
    return results


def _split(codes: str) -> set[str]:
    return set(codes.split())


_IDS = bindparam("ids", expanding=True)
# Built once (see _candidate_statement): the details of a page of results, in four plain queries.
_SERVICES = (select(Service.id, Service.name, Service.description, Service.application_process,
                    Service.assured_date, Service.alert, Organization.name.label("organization"))
             .outerjoin(Organization, Organization.id == Service.organization_id)
             .where(Service.id.in_(_IDS)))
_PHONES = select(Phone.service_id, Phone.number, Phone.type).where(Phone.service_id.in_(_IDS))
_SCHEDULES = select(Schedule.service_id, Schedule.freq, Schedule.byday, Schedule.opens_at, Schedule.closes_at,
                    Schedule.valid_from, Schedule.valid_to).where(Schedule.service_id.in_(_IDS))
_ADDRESSES = (select(Address.location_id, Address.address_1, Address.city, Address.postal_code)
              .where(Address.location_id.in_(_IDS)))


def _details(connection: Connection, chunk: list[tuple[str, Candidate]]) -> dict:
    """{service_id: (service row, phone rows, schedule rows, address row or None)}."""
    ids = {"ids": [sid for sid, _ in chunk]}
    services = {row.id: row for row in connection.execute(_SERVICES, ids).all()}
    phones: dict[str, list] = {}
    for row in connection.execute(_PHONES, ids).all():
        phones.setdefault(row.service_id, []).append(row)
    schedules: dict[str, list] = {}
    for row in connection.execute(_SCHEDULES, ids).all():
        schedules.setdefault(row.service_id, []).append(row)
    public = [c.location_id for _, c in chunk if not c.confidential]
    addresses: dict[str, object] = {}
    if public:
        for row in connection.execute(_ADDRESSES, {"ids": public}).all():
            addresses.setdefault(row.location_id, row)  # a location's first address
    return {
        sid: (services[sid], phones.get(sid, []), schedules.get(sid, []),
              None if c.confidential else addresses.get(c.location_id))
        for sid, c in chunk
    }


def attribute_code(attribute: Attribute) -> Optional[str]:
    """The taxonomy code of an attribute; Waymark's own are read from the term id, without
    loading the term."""
    term_id = attribute.taxonomy_term_id or ""
    if term_id.startswith(WAYMARK_PREFIX) and term_id[len(WAYMARK_PREFIX):] in TERMS:
        return term_id[len(WAYMARK_PREFIX):]
    return attribute.taxonomy_term.code if attribute.taxonomy_term is not None else None


def service_codes(service: Service) -> set[str]:
    return {code for code in map(attribute_code, service.attributes) if code}


def _phone(phones: Sequence, kind: str) -> Optional[str]:
    for phone in phones:
        if (phone.type or "voice") == kind:
            return phone.number
    return None


def _match(service, phones: Sequence, schedules: Sequence, address, codes: set[str], distance_km: float,
           now: datetime, stale_after_days: int) -> ServiceMatch:
    """A result from a service's fields (an ORM object or a row), its phones, hours, the
    address to show (None when confidential or unknown) and its codes."""
    postcode = address.postal_code if address is not None else None
    text = (", ".join(p for p in (address.address_1, address.city, address.postal_code) if p)
            if address is not None else None)
    return ServiceMatch(
        service_id=service.id,
        name=service.name,
        organization=service.organization,
        description=service.description,
        distance_km=distance_km,
        phone=_phone(phones, "voice"),
        text_number=_phone(phones, "text"),
        address=text,
        postcode=postcode,
        open_now=hours.is_open(schedules, now),
        next_opens=hours.next_opening(schedules, now),
        hours=hours.weekly_summary(schedules),
        self_referral="access:self-referral" in codes,
        walk_in="access:walk-in" in codes,
        application_process=service.application_process,
        assured_date=service.assured_date,
        stale=is_stale(service.assured_date, now.date(), stale_after_days),
        alert=service.alert,
        is_sample="feature:sample-data" in codes,
        codes=codes,
    )


class _ServiceFields(NamedTuple):
    id: str
    name: str
    organization: Optional[str]
    description: Optional[str]
    application_process: Optional[str]
    assured_date: Optional[date]
    alert: Optional[str]


def describe(
    service: Service,
    location: Optional[Location],
    distance_km: float,
    now: datetime,
    stale_after_days: int = 90,
) -> ServiceMatch:
    """A loaded service as a search result (used for "tell me about the one you suggested")."""
    address = None
    if location is not None:
        location_codes = {code for code in map(attribute_code, location.attributes) if code}
        if "feature:confidential-address" not in location_codes and location.addresses:
            address = location.addresses[0]
    fields = _ServiceFields(service.id, service.name, service.organization.name if service.organization else None,
                            service.description, service.application_process, service.assured_date,
                            service.alert)
    return _match(fields, service.phones, service.schedules, address, service_codes(service), distance_km,
                  now, stale_after_days)


def _has_term(code: str):
    return exists().where(
        and_(
            Attribute.link_entity == "service",
            Attribute.link_id == Service.id,
            Attribute.taxonomy_term_id == term(code).id,
        )
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

"""Read queries behind the ORUK API: filtered, paged lists of services and service_at_locations."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Optional

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from directory.models import Attribute, Location, Schedule, Service, ServiceAtLocation, TaxonomyTerm
from directory.search import nearest_locations
from directory.taxonomy import term

CONFIDENTIAL = term("feature:confidential-address").id


@dataclass
class ServiceFilter:
    search: Optional[str] = None
    taxonomy_term_id: Optional[str] = None  # a term id, or one of Waymark's codes ("need:treatment")
    taxonomy_id: Optional[str] = None
    organization_id: Optional[str] = None
    modified_after: Optional[datetime] = None
    status: Optional[str] = None
    near: Optional[tuple[float, float, float]] = None  # latitude, longitude, max distance in km
    # The UK profile's filters (their words): "a minimum age of at least" minimum_age, "a maximum
    # age equal to or below" maximum_age; a service open on `day` (MO..SU) whose opening time is
    # at least start_time and closing time at most end_time, all on one of its opening-hours rows.
    minimum_age: Optional[int] = None
    maximum_age: Optional[int] = None
    day: Optional[str] = None
    start_time: Optional[time] = None
    end_time: Optional[time] = None


MAX_AGE = 120  # the age filters refuse more (422), as the editor does
DAY_CODES = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday",
             "SA": "saturday", "SU": "sunday"}


def day_code(text: str) -> Optional[str]:
    """'MO', 'mo', 'Monday' or 'mon' -> 'MO'; None for anything else."""
    word = (text or "").strip().lower()
    for code, name in DAY_CODES.items():
        if word in (code.lower(), name, name[:3]):
            return code
    return None


def _service_conditions(f: ServiceFilter) -> list:
    conditions = []
    if f.search:
        text = f.search.strip().lower()
        conditions.append(or_(func.lower(Service.name).contains(text, autoescape=True),
                              func.lower(Service.description).contains(text, autoescape=True)))
    if f.taxonomy_term_id:
        terms = select(TaxonomyTerm.id).where(or_(TaxonomyTerm.id == f.taxonomy_term_id,
                                                  TaxonomyTerm.code == f.taxonomy_term_id))
        conditions.append(exists().where(and_(Attribute.link_entity == "service", Attribute.link_id == Service.id,
                                              Attribute.taxonomy_term_id.in_(terms))))
    if f.taxonomy_id:
        terms = select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == f.taxonomy_id)
        conditions.append(exists().where(and_(Attribute.link_entity == "service", Attribute.link_id == Service.id,
                                              Attribute.taxonomy_term_id.in_(terms))))
    if f.organization_id:
        conditions.append(Service.organization_id == f.organization_id)
    if f.modified_after:
        moment = f.modified_after
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        conditions.append(Service.last_modified >= moment)
    if f.status:
        conditions.append(Service.status == f.status)
    if f.minimum_age is not None:  # no lower limit is 0
        conditions.append(func.coalesce(Service.minimum_age, 0) >= f.minimum_age)
    if f.maximum_age is not None:  # no upper limit is above any age asked for
        conditions.append(and_(Service.maximum_age.is_not(None), Service.maximum_age <= f.maximum_age))
    if f.day or f.start_time or f.end_time:
        hours = [Schedule.service_id == Service.id, Schedule.opens_at.is_not(None)]
        if f.day:
            hours.append(Schedule.byday.contains(f.day))
        if f.start_time:
            hours.append(Schedule.opens_at >= f.start_time)
        if f.end_time:
            hours.append(and_(Schedule.closes_at.is_not(None), Schedule.closes_at <= f.end_time))
        conditions.append(exists().where(and_(*hours)))
    return conditions


def _not_confidential():
    return ~exists().where(and_(Attribute.link_entity == "location", Attribute.link_id == Location.id,
                                Attribute.taxonomy_term_id == CONFIDENTIAL))


def _past_the_end(total: int, page: int, per_page: int) -> bool:
    """A page after the last: empty, and never asked of the database (an offset it may not hold)."""
    return (page - 1) * per_page >= max(total, 1)


def list_services(session: Session, f: ServiceFilter, page: int, per_page: int) -> tuple[int, list[Service]]:
    """(total matching, this page's services). Nearest first when `f.near` is set (confidential
    locations never count towards distance), otherwise by name."""
    conditions = _service_conditions(f)
    options = (selectinload(Service.organization),)
    if f.near:
        lat, lon, km = f.near
        ordered = nearest_locations(session, lat, lon, km, conditions, statuses=None, exclude_confidential=True)
        ids = [sid for sid, _ in ordered[(page - 1) * per_page: page * per_page]]
        by_id = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)).options(*options))}
        return len(ordered), [by_id[i] for i in ids if i in by_id]
    total = session.scalar(select(func.count()).select_from(Service).where(*conditions))
    if _past_the_end(total, page, per_page):
        return total, []
    stmt = (select(Service).where(*conditions).options(*options).order_by(Service.name, Service.id)
            .offset((page - 1) * per_page).limit(per_page))
    return total, list(session.scalars(stmt))


def list_service_at_locations(session: Session, f: ServiceFilter, page: int,
                              per_page: int) -> tuple[int, list[ServiceAtLocation]]:
    """Service-at-locations (never at a confidential location), nearest first when `f.near`."""
    conditions = [*_service_conditions(f), _not_confidential()]
    base = (select(ServiceAtLocation.id)
            .join(Service, Service.id == ServiceAtLocation.service_id)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(*conditions))
    if f.near:
        from directory.geo import haversine_km

        lat, lon, km = f.near
        rows = session.execute(base.add_columns(Location.latitude, Location.longitude)
                               .where(Location.latitude.is_not(None))).all()
        distances = sorted((haversine_km(lat, lon, r[1], r[2]), r[0]) for r in rows)
        ids_all = [sal_id for d, sal_id in distances if d <= km]
        total, ids = len(ids_all), ids_all[(page - 1) * per_page: page * per_page]
    else:
        total = session.scalar(select(func.count()).select_from(base.subquery()))
        if _past_the_end(total, page, per_page):
            return total, []
        ids = list(session.scalars(base.order_by(Service.name, ServiceAtLocation.id)
                                   .offset((page - 1) * per_page).limit(per_page)))
    stmt = (select(ServiceAtLocation).where(ServiceAtLocation.id.in_(ids))
            .options(selectinload(ServiceAtLocation.location),
                     selectinload(ServiceAtLocation.service).selectinload(Service.organization)))
    by_id = {sal.id: sal for sal in session.scalars(stmt)}
    return total, [by_id[i] for i in ids if i in by_id]

"""The Open Referral UK read API, mounted at /oruk (HSDS 3.0 shapes).

    GET  /oruk/                          version and profile
    GET  /oruk/services                  paged; search, taxonomy_term_id, taxonomy_id,
                                         organization_id, modified_after, status,
                                         postcode + proximity (metres)
    GET  /oruk/services/{id}             one service, everything nested
    GET  /oruk/service_at_locations      paged; same filters
    POST /oruk/services/{id}/report      "report a problem with this listing" (review queue)

Confidential addresses never appear: a location with feature:confidential-address is left
out of every response, and never counts towards a distance filter.
"""
from __future__ import annotations

import math
from datetime import datetime, time
from typing import Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, constr
from sqlalchemy.orm import Session

from directory import editing, oruk_export, oruk_queries
from directory.api_deps import database_session
from directory.geo import resolve_place
from directory.search import DEFAULT_MAX_DISTANCE_KM, MAX_DISTANCE_KM

router = APIRouter(prefix="/oruk", tags=["Open Referral UK"])
MAX_PER_PAGE = 100
# A page past the last one is an empty page (ORUK's `empty: true`), read without touching the
# database; beyond this a page number is refused with 422 (never an integer the database
# cannot hold: a 21-digit page once gave a 500).
MAX_PAGE = 1_000_000
MAX_PROXIMITY_METRES = MAX_DISTANCE_KM * 1000  # 100 km
STATUSES = ("active", "inactive", "defunct", "temporarily closed")


class ProblemReport(BaseModel):
    problem: constr(strip_whitespace=True, min_length=3, max_length=2000)  # type: ignore[valid-type]
    contact: Optional[constr(strip_whitespace=True, max_length=255)] = None  # type: ignore[valid-type]


class ReportReceived(BaseModel):
    status: str = "received"
    message: str = "Thank you. Someone who looks after the directory will check this listing."


def _page(total: int, page: int, per_page: int, contents: list[Any]) -> dict:
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


class Paging:
    """The ORUK paging parameters, shared by every list endpoint."""

    def __init__(self, page: int = Query(1, ge=1, le=MAX_PAGE),
                 per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        self.page, self.per_page = page, per_page


def listing_filter(
    search: Optional[str] = None,
    minimum_age: Optional[float] = Query(None, ge=0, le=oruk_queries.MAX_AGE, description="services whose minimum age is at least this"),
    maximum_age: Optional[float] = Query(None, ge=0, le=oruk_queries.MAX_AGE, description="services whose maximum age is at most this"),
    day: Optional[str] = Query(None, description="open on this day: MO, TU, WE, TH, FR, SA or SU"),
    start_time: Optional[time] = Query(None, description="opening at or after this time (HH:MM)"),
    end_time: Optional[time] = Query(None, description="closing at or before this time (HH:MM)"),
    taxonomy_term_id: Optional[str] = None,
    taxonomy_id: Optional[str] = None,
    organization_id: Optional[str] = None,
    modified_after: Optional[str] = None,
    status: Optional[str] = None,
    postcode: Optional[str] = None,
    proximity: Optional[float] = Query(None, gt=0, le=MAX_PROXIMITY_METRES,
                                       description="metres from the postcode's centre (at most 100 km)"),
    session: Session = database_session,
) -> oruk_queries.ServiceFilter:
    """The ORUK list filters, shared by /services and /service_at_locations."""
    moment = None
    if modified_after:
        try:
            moment = datetime.fromisoformat(modified_after.strip().replace("Z", "+00:00"))
        except ValueError:
            raise HTTPException(400, f"modified_after '{modified_after}' is not a date-time "
                                     "(e.g. 2026-11-01T00:00:00Z)") from None
    if status and status not in STATUSES:
        raise HTTPException(400, f"status must be one of: {', '.join(STATUSES)}")
    near = None
    if postcode:
        place = resolve_place(session, postcode)
        if place is None or place.kind == "town":
            raise HTTPException(400, f"postcode '{postcode}' is not one we know")
        km = proximity / 1000.0 if proximity is not None else DEFAULT_MAX_DISTANCE_KM
        if not 0 < km <= MAX_DISTANCE_KM:  # the Query bounds say so too; NaN fails both
            raise HTTPException(422, "proximity must be more than 0 and at most 100000 metres (100 km)")
        near = (place.latitude, place.longitude, km)
    elif proximity is not None:
        raise HTTPException(400, "proximity needs a postcode to measure from")
    code = oruk_queries.day_code(day) if day else None
    if day and code is None:
        raise HTTPException(422, f"day '{day}' is not a day: use MO, TU, WE, TH, FR, SA or SU")
    return oruk_queries.ServiceFilter(search=search, taxonomy_term_id=taxonomy_term_id, taxonomy_id=taxonomy_id,
                                      organization_id=organization_id, modified_after=moment, status=status,
                                      near=near, minimum_age=_age(minimum_age), maximum_age=_age(maximum_age),
                                      day=code, start_time=start_time, end_time=end_time)


def _age(value: Optional[float]) -> Optional[int]:
    return None if value is None else int(value)


@router.get("/")
def api_info() -> dict:
    # Absolute URLs (the profile says URI). openapi_url is the profile's own description of
    # these endpoints: the official validator walks the paths it lists.
    return {"version": oruk_export.ORUK_VERSION, "profile": oruk_export.ORUK_PROFILE,
            "openapi_url": oruk_export.ORUK_OPENAPI_URL}


@router.get("/services")
def list_services(f: oruk_queries.ServiceFilter = Depends(listing_filter), paging: Paging = Depends(),
                  session: Session = database_session) -> dict:
    total, services = oruk_queries.list_services(session, f, paging.page, paging.per_page)
    return _page(total, paging.page, paging.per_page, [oruk_export.service_list_item(s) for s in services])


@router.get("/services/{service_id}")
def get_service(service_id: str, session: Session = database_session) -> dict:
    service = oruk_export.load_full(session, service_id)
    if service is None:
        raise HTTPException(404, f"no service with id '{service_id}'")
    return oruk_export.service_full(session, service)


@router.get("/service_at_locations")
def list_service_at_locations(f: oruk_queries.ServiceFilter = Depends(listing_filter), paging: Paging = Depends(),
                              session: Session = database_session) -> dict:
    total, sals = oruk_queries.list_service_at_locations(session, f, paging.page, paging.per_page)
    return _page(total, paging.page, paging.per_page, [oruk_export.service_at_location_item(s) for s in sals])


@router.post("/services/{service_id}/report", status_code=202, response_model=ReportReceived)
def report_problem(service_id: str, report: ProblemReport, session: Session = database_session) -> ReportReceived:
    try:
        editing.report_problem(session, service_id, report.problem, report.contact)
    except editing.NotFound as e:
        raise HTTPException(404, str(e)) from None
    return ReportReceived()

"""The rest of the Open Referral UK profile's nine endpoints, mounted at /oruk beside api_oruk.

    GET  /oruk/taxonomies                   paged; search
    GET  /oruk/taxonomies/{id}              one taxonomy with its terms
    GET  /oruk/taxonomy_terms               paged; search, taxonomy_id, parent_id, top_only
    GET  /oruk/taxonomy_terms/{id}          one term (with its taxonomy)
    GET  /oruk/service_at_locations/{id}    one service at one place, everything nested

The list endpoints of services and service_at_locations (and GET /oruk/) are in api_oruk;
their UK-profile filters (minimum_age, maximum_age, day, start_time, end_time) too.

A service_at_location at a confidential address does not exist here: its id answers 404,
exactly like an id never used, and the lists never give it.

The profile's OpenAPI description gives the schema of a *service* (compiled/service.json,
which requires id, name and status) for GET /service_at_locations/{id}, while its examples
show a service_at_location (id, location, service). The answer is the service_at_location,
carrying the service's name and status too, so it validates against both.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from directory import oruk_export
from directory.api_deps import database_session
from directory.api_oruk import Paging, _page
from directory.models import Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

router = APIRouter(prefix="/oruk", tags=["Open Referral UK"])


def taxonomy_out(taxonomy: Taxonomy, terms: Optional[list[TaxonomyTerm]] = None) -> dict:
    out = oruk_export._fields(taxonomy, ("id", "name", "uri", "version"))
    out["description"] = taxonomy.description or ""
    if terms is not None:
        out["taxonomy_terms"] = [oruk_export.taxonomy_term(t) for t in terms]
    return out


def _like(text: str):
    return f"%{text.strip().lower()}%"


@router.get("/taxonomies")
def list_taxonomies(search: Optional[str] = None, paging: Paging = Depends(),
                    session: Session = database_session) -> dict:
    stmt = select(Taxonomy)
    if search and search.strip():
        stmt = stmt.where(or_(func.lower(Taxonomy.name).like(_like(search)),
                              func.lower(Taxonomy.description).like(_like(search))))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(Taxonomy.name, Taxonomy.id)
                           .offset((paging.page - 1) * paging.per_page).limit(paging.per_page))
    return _page(total, paging.page, paging.per_page, [taxonomy_out(t) for t in rows])


@router.get("/taxonomies/{taxonomy_id:path}")
def get_taxonomy(taxonomy_id: str, session: Session = database_session) -> dict:
    taxonomy = session.get(Taxonomy, taxonomy_id)
    if taxonomy is None:
        raise HTTPException(404, f"no taxonomy with id '{taxonomy_id}'")
    terms = list(session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id)
                                 .order_by(TaxonomyTerm.id)))
    return taxonomy_out(taxonomy, terms)


@router.get("/taxonomy_terms")
def list_taxonomy_terms(search: Optional[str] = None, taxonomy_id: Optional[str] = None,
                        parent_id: Optional[str] = None, top_only: bool = False,
                        paging: Paging = Depends(), session: Session = database_session) -> dict:
    stmt = select(TaxonomyTerm)
    if search and search.strip():
        stmt = stmt.where(or_(func.lower(TaxonomyTerm.name).like(_like(search)),
                              func.lower(TaxonomyTerm.code).like(_like(search)),
                              func.lower(TaxonomyTerm.description).like(_like(search))))
    if taxonomy_id:
        stmt = stmt.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    if parent_id:
        stmt = stmt.where(TaxonomyTerm.parent_id == parent_id)
    if top_only:
        stmt = stmt.where(TaxonomyTerm.parent_id.is_(None))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(TaxonomyTerm.id)
                           .offset((paging.page - 1) * paging.per_page).limit(paging.per_page))
    return _page(total, paging.page, paging.per_page, [oruk_export.taxonomy_term(t) for t in rows])


@router.get("/taxonomy_terms/{term_id:path}")
def get_taxonomy_term(term_id: str, session: Session = database_session) -> dict:
    found = session.get(TaxonomyTerm, term_id)
    if found is None:
        raise HTTPException(404, f"no taxonomy term with id '{term_id}'")
    taxonomy = session.get(Taxonomy, found.taxonomy_id) if found.taxonomy_id else None
    return oruk_export.taxonomy_term(found, taxonomy)


@router.get("/service_at_locations/{sal_id:path}")
def get_service_at_location(sal_id: str, session: Session = database_session) -> dict:
    sal = session.scalar(
        select(ServiceAtLocation).where(ServiceAtLocation.id == sal_id)
        .options(selectinload(ServiceAtLocation.location).selectinload(Location.addresses),
                 selectinload(ServiceAtLocation.location).selectinload(Location.accessibility),
                 selectinload(ServiceAtLocation.service).selectinload(Service.organization)))
    # A confidential place answers exactly as an unknown id does: nothing says it exists.
    if sal is None or sal.location is None or oruk_export.is_confidential(sal.location):
        raise HTTPException(404, f"no service_at_location with id '{sal_id}'")
    return oruk_export.service_at_location_full(session, sal)

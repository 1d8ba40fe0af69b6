"""The editing API for people who look after the directory, mounted at /editor.

    POST /editor/token                         name + password (form) -> bearer token (expires)
    POST /editor/services                      create a listing
    PATCH /editor/services/{id}                change fields and/or taxonomy codes
    POST /editor/services/{id}/verify          "still correct as of today" (sets assured_date)
    POST /editor/services/{id}/suspend         status "temporarily closed" (optional alert)
    POST /editor/services/{id}/reactivate      back to "active"
    POST /editor/services/{id}/close           status "defunct", recording a successor
    GET  /editor/reports?kind=report|classification|data|quarantine|all the open review queue
    POST /editor/reports/{id}/resolve          mark a review item done
    POST /editor/users                         (admin) add an editor account
    GET  /editor/feeds                         councils' feeds: last run, last good run, stale or not
    GET  /editor/feeds/runs?source=&limit=     the recorded syncs, newest first
    POST /editor/feeds/{source}/sync?full=     sync a feed from WAYMARK_FEEDS now (422: the feed is
                                               not one Waymark can take; 502: it could not be had
                                               whole; 409: a sync of it is running). Nothing is
                                               written unless the whole feed was read.

Every change is written to the audit table (`metadata`) with the editor's name. Handlers only
translate between HTTP and `directory.editing`, which holds the queries.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import List, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, confloat, conint, constr
from sqlalchemy.orm import Session

from directory import editing, feed_sync
from directory.api_deps import database_session
from directory.models import EditorAccount, Service
from directory.search import successor_id
from waymark.auth import NO_STORE, LoginThrottle, Token, login_throttle, require_role, sign_in

router = APIRouter(prefix="/editor", tags=["directory editing"])

MAX_AGE = 120
Text255 = constr(strip_whitespace=True, max_length=255)
LongText = constr(strip_whitespace=True, max_length=5000)


class PhoneIn(BaseModel):
    number: constr(strip_whitespace=True, min_length=3, max_length=64)  # type: ignore[valid-type]
    type: Literal["voice", "text", "fax", "cell", "video", "pager", "textphone"] = "voice"
    description: Optional[LongText] = None  # type: ignore[valid-type]


class LocationIn(BaseModel):
    name: Optional[Text255] = None  # type: ignore[valid-type]
    address_1: Optional[Text255] = None  # type: ignore[valid-type]
    city: Optional[Text255] = None  # type: ignore[valid-type]
    postcode: Optional[constr(strip_whitespace=True, max_length=16)] = None  # type: ignore[valid-type]
    latitude: Optional[confloat(ge=49.0, le=61.5)] = None  # type: ignore[valid-type]
    longitude: Optional[confloat(ge=-9.0, le=2.5)] = None  # type: ignore[valid-type]
    confidential: bool = False


class ServiceFields(BaseModel):
    name: Optional[constr(strip_whitespace=True, min_length=1, max_length=255)] = None  # type: ignore[valid-type]
    alternate_name: Optional[Text255] = None  # type: ignore[valid-type]
    organization_id: Optional[constr(max_length=64)] = None  # type: ignore[valid-type]
    description: Optional[LongText] = None  # type: ignore[valid-type]
    application_process: Optional[LongText] = None  # type: ignore[valid-type]
    eligibility_description: Optional[LongText] = None  # type: ignore[valid-type]
    fees_description: Optional[LongText] = None  # type: ignore[valid-type]
    interpretation_services: Optional[LongText] = None  # type: ignore[valid-type]
    minimum_age: Optional[conint(ge=0, le=MAX_AGE)] = None  # type: ignore[valid-type]
    maximum_age: Optional[conint(ge=0, le=MAX_AGE)] = None  # type: ignore[valid-type]
    email: Optional[Text255] = None  # type: ignore[valid-type]
    url: Optional[constr(strip_whitespace=True, max_length=512)] = None  # type: ignore[valid-type]
    alert: Optional[LongText] = None  # type: ignore[valid-type]

    class Config:
        extra = "forbid"


class ServiceCreate(ServiceFields):
    id: Optional[constr(strip_whitespace=True, min_length=1, max_length=64)] = None  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=255)  # type: ignore[valid-type]
    codes: List[str] = []
    phones: List[PhoneIn] = []
    location: Optional[LocationIn] = None


class ServiceUpdate(ServiceFields):
    codes: Optional[List[str]] = None


class SuspendIn(BaseModel):
    alert: Optional[LongText] = None  # type: ignore[valid-type]


class CloseIn(BaseModel):
    successor_id: Optional[constr(strip_whitespace=True, min_length=1, max_length=64)] = None  # type: ignore[valid-type]


class ResolveIn(BaseModel):
    resolution: Optional[LongText] = None  # type: ignore[valid-type]


class AccountIn(BaseModel):
    name: constr(strip_whitespace=True, min_length=1, max_length=128)  # type: ignore[valid-type]
    password: constr(min_length=10, max_length=72)  # type: ignore[valid-type]
    role: Literal["editor", "admin", "agent", "staff"] = "editor"
    email: Optional[Text255] = None  # type: ignore[valid-type]
    # What people see ("Sam from the helpline has joined"); never the login name.
    display_name: Optional[constr(strip_whitespace=True, max_length=64)] = None  # type: ignore[valid-type]


class AccountOut(BaseModel):
    id: str
    name: str
    role: str
    email: Optional[str]
    display_name: Optional[str] = None


class ServiceOut(BaseModel):
    id: str
    name: str
    status: str
    organization_id: Optional[str]
    assured_date: Optional[date]
    assurer_email: Optional[str]
    alert: Optional[str]
    codes: List[str]
    successor_id: Optional[str]


class ReviewItemOut(BaseModel):
    id: str
    kind: str
    service_id: str
    service_name: Optional[str]
    detail: str
    suggested: Optional[str]
    reporter_contact: Optional[str]
    status: str
    created_at: datetime
    created_by: str


class SyncRunOut(BaseModel):
    id: str
    source: str
    url: str
    full: bool
    modified_after: Optional[str]  # an incremental pull asked for services changed since then
    trigger: str
    status: str  # running, ok, failed, interrupted
    started_at: str
    finished_at: Optional[str]
    pages: int
    requests: int
    bytes_read: int
    records: int
    created: int
    updated: int
    unchanged: int
    retired: int
    quarantined: int
    refused: int
    error: Optional[str]


class FeedOut(BaseModel):
    source: str
    url: Optional[str]
    configured: bool  # in WAYMARK_FEEDS, so synced on the schedule while serving
    stale: bool  # no good sync within WAYMARK_FEED_STALE_HOURS
    hours_since_good_sync: Optional[float]
    last_run: Optional[SyncRunOut]
    last_good_run: Optional[SyncRunOut]


current_editor = require_role(*editing.EDITING_ROLES)
current_admin = require_role("admin")


def _who(account: EditorAccount) -> str:
    return f"editor:{account.name}"


def _out(session: Session, service: Service) -> ServiceOut:
    session.refresh(service)
    codes = sorted(a.taxonomy_term.code for a in service.attributes if a.taxonomy_term is not None)
    return ServiceOut(id=service.id, name=service.name, status=service.status, organization_id=service.organization_id,
                      assured_date=service.assured_date, assurer_email=service.assurer_email, alert=service.alert,
                      codes=codes, successor_id=successor_id(session, service.id))


class _Errors:
    """Turns the service layer's refusals into HTTP answers."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _tb):
        if isinstance(error, editing.NotFound):
            raise HTTPException(404, str(error)) from None
        if isinstance(error, editing.EditingError):
            raise HTTPException(400, str(error)) from None
        return False


@router.post("/token", response_model=Token)
def login(request: Request, response: Response, form: OAuth2PasswordRequestForm = Depends(),
          session: Session = database_session, throttle: LoginThrottle = Depends(login_throttle)) -> Token:
    """The same sign-in as /auth/token (kept for editors' scripts)."""
    response.headers.update(NO_STORE)
    return sign_in(request, form, session, throttle)


@router.post("/services", response_model=ServiceOut, status_code=201)
def create_service(body: ServiceCreate, account: EditorAccount = Depends(current_editor),
                   session: Session = database_session) -> ServiceOut:
    fields = body.dict(exclude={"id", "codes", "phones", "location"}, exclude_none=True)
    location = editing.LocationInput(**body.location.dict()) if body.location else None
    with _Errors():
        service = editing.create_service(session, fields, _who(account), codes=body.codes,
                                         phones=[p.dict() for p in body.phones], location=location,
                                         service_id=body.id)
    return _out(session, service)


@router.patch("/services/{service_id}", response_model=ServiceOut)
def update_service(service_id: str, body: ServiceUpdate, account: EditorAccount = Depends(current_editor),
                   session: Session = database_session) -> ServiceOut:
    changes = body.dict(exclude_unset=True)
    codes = changes.pop("codes", None)
    with _Errors():
        service = editing.update_service(session, service_id, changes, _who(account), codes=codes)
    return _out(session, service)


@router.post("/services/{service_id}/verify", response_model=ServiceOut)
def verify_service(service_id: str, account: EditorAccount = Depends(current_editor),
                   session: Session = database_session) -> ServiceOut:
    with _Errors():
        service = editing.verify_service(session, service_id, _who(account), email=account.email)
    return _out(session, service)


@router.post("/services/{service_id}/suspend", response_model=ServiceOut)
def suspend_service(service_id: str, body: SuspendIn = SuspendIn(), account: EditorAccount = Depends(current_editor),
                    session: Session = database_session) -> ServiceOut:
    with _Errors():
        service = editing.suspend_service(session, service_id, _who(account), alert=body.alert)
    return _out(session, service)


@router.post("/services/{service_id}/reactivate", response_model=ServiceOut)
def reactivate_service(service_id: str, account: EditorAccount = Depends(current_editor),
                       session: Session = database_session) -> ServiceOut:
    with _Errors():
        service = editing.reactivate_service(session, service_id, _who(account))
    return _out(session, service)


@router.post("/services/{service_id}/close", response_model=ServiceOut)
def close_service(service_id: str, body: CloseIn = CloseIn(), account: EditorAccount = Depends(current_editor),
                  session: Session = database_session) -> ServiceOut:
    with _Errors():
        service = editing.close_service(session, service_id, _who(account), successor_id=body.successor_id)
    return _out(session, service)


@router.get("/reports", response_model=List[ReviewItemOut])
def list_reports(kind: Literal["report", "classification", "data", "quarantine", "all"] = "report",
                 account: EditorAccount = Depends(current_editor),
                 session: Session = database_session) -> List[ReviewItemOut]:
    items = editing.open_review_items(session, kind=None if kind == "all" else kind)
    names = editing.service_names(session, [i.resource_id for i in items])
    return [ReviewItemOut(id=i.id, kind=i.kind, service_id=i.resource_id, service_name=names.get(i.resource_id),
                          detail=i.detail, suggested=i.suggested, reporter_contact=i.reporter_contact,
                          status=i.status, created_at=i.created_at, created_by=i.created_by) for i in items]


@router.post("/reports/{item_id}/resolve")
def resolve_report(item_id: str, body: ResolveIn = ResolveIn(), account: EditorAccount = Depends(current_editor),
                   session: Session = database_session) -> dict:
    with _Errors():
        item = editing.resolve_review_item(session, item_id, _who(account), body.resolution)
    return {"id": item.id, "status": item.status}


@router.post("/users", response_model=AccountOut, status_code=201)
def add_user(body: AccountIn, admin: EditorAccount = Depends(current_admin),
             session: Session = database_session) -> AccountOut:
    with _Errors():
        account = editing.add_account(session, body.name, body.password, body.role, email=body.email,
                                       who=_who(admin), display_name=body.display_name)
    return AccountOut(id=account.id, name=account.name, role=account.role, email=account.email,
                      display_name=account.display_name)


@router.get("/feeds", response_model=List[FeedOut])
def list_feeds(request: Request, account: EditorAccount = Depends(current_editor)) -> List[FeedOut]:
    return [FeedOut(**f) for f in feed_sync.feed_status(request.app.state.settings)]


@router.get("/feeds/runs", response_model=List[SyncRunOut])
def list_feed_runs(request: Request, source: Optional[constr(max_length=128)] = None,  # type: ignore[valid-type]
                   limit: int = Query(50, ge=1, le=500),
                   account: EditorAccount = Depends(current_editor)) -> List[SyncRunOut]:
    runs = feed_sync.recent_runs(request.app.state.settings.database_url, source, limit)
    return [SyncRunOut(**feed_sync.run_dict(r)) for r in runs]


@router.post("/feeds/{source}/sync", response_model=SyncRunOut)
def sync_feed(source: str, request: Request, full: bool = False,
              account: EditorAccount = Depends(current_editor)) -> SyncRunOut:
    """Sync one configured feed now and answer with its run. Only feeds in WAYMARK_FEEDS: the
    server never fetches an address an editor types."""
    settings = request.app.state.settings
    try:
        feeds = {f.name: f for f in feed_sync.configured_feeds(settings.feeds)}
    except (ValueError, feed_sync.SyncError) as e:
        raise HTTPException(500, f"WAYMARK_FEEDS is not right: {e}") from None
    feed = feeds.get(source)
    if feed is None:
        known = ", ".join(sorted(feeds)) or "none"
        raise HTTPException(404, f"no feed named '{source}' in WAYMARK_FEEDS (configured: {known})")
    try:
        run = feed_sync.sync(settings.database_url, feed.url, feed.name, full=full,
                             options=feed_sync.SyncOptions.from_settings(settings),
                             trigger=f"editor:{account.name}", who=_who(account))
    except feed_sync.SyncError as e:
        raise HTTPException(e.status, f"nothing was imported: {e.message}") from None
    return SyncRunOut(**feed_sync.run_dict(run))

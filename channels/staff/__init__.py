"""The staff lookup page: frontline staff find the right service and referral route, fast.

    GET  /staff                     the page (staff.html, staff.js, staff.css under /static)
    GET  /staff/api/choices         the filter choices (needs, substances, audiences, distances)
    POST /staff/api/search          area + need + filters -> listings with referral routes
    POST /staff/api/text            text listing details to a client (staff or admin account)

Searching is open, like the ORUK feed: it shows only what the public directory publishes.
Sending a text costs money and reaches a person, so it needs a signed-in account with the
staff role (`waymark users add NAME --role staff`), is rate limited per account and is
audited. "Report a problem with this listing" uses the public `POST /oruk/services/{id}/report`.
The router is thin: the lookup is in `lookup.py`, the texting in `texting.py`.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, confloat, conint, conlist, constr
from sqlalchemy.orm import Session

from channels.staff import lookup, texting
from channels.webchat import STATIC
from directory.api_deps import database_session
from directory.models import EditorAccount
from waymark.auth import require_role, who

router = APIRouter(tags=["staff lookup"])
MAX_LISTINGS_PER_TEXT = 3


class Choices(BaseModel):
    needs: dict[str, str]
    substances: dict[str, str]
    audiences: dict[str, str]
    distances_miles: list[int]
    default_miles: int


class Referral(BaseModel):
    who_can_refer: str
    ways: list[str]
    phone: Optional[str]
    email: Optional[str]
    form_url: Optional[str]
    include: Optional[str]
    eligibility: Optional[str]
    ages: Optional[str]
    self_referral: bool
    walk_in: bool
    what_to_expect: Optional[str]
    summary: str


class Listing(BaseModel):
    id: str
    name: str
    organization: Optional[str]
    description: Optional[str]
    distance_miles: Optional[float]  # none for a confidential place (distance_text: "Within 5 miles")
    distance_text: str
    address: Optional[str]
    phone: Optional[str]
    text_number: Optional[str]
    website: Optional[str]
    open_now: bool
    opening_text: str
    hours: str
    last_checked: Optional[date]
    last_checked_text: str
    stale: bool
    alert: Optional[str]
    is_sample: bool
    tags: list[str]
    referral: Referral
    sms_summary: str


class SearchAsk(BaseModel):
    area: constr(strip_whitespace=True, max_length=100) = ""  # type: ignore[valid-type]
    need: Optional[constr(max_length=40)] = None  # type: ignore[valid-type]
    substance: Optional[constr(max_length=40)] = None  # type: ignore[valid-type]
    audience: Optional[constr(max_length=40)] = None  # type: ignore[valid-type]
    open_now: bool = False
    self_referral: bool = False
    walk_in: bool = False
    women_only: bool = False
    language: Optional[constr(strip_whitespace=True, max_length=40)] = None  # type: ignore[valid-type]
    within_miles: confloat(gt=0, le=lookup.MAX_MILES) = lookup.DEFAULT_MILES  # type: ignore[valid-type]
    limit: conint(ge=1, le=lookup.MAX_RESULTS) = 10  # type: ignore[valid-type]


class SearchResults(BaseModel):
    place: str
    place_kind: str
    count: int
    summary: str  # what the page announces
    listings: list[Listing]
    national: list[Listing]  # national lines, when nothing local matches


class TextRequest(BaseModel):
    mobile: constr(strip_whitespace=True, max_length=40)  # type: ignore[valid-type]
    service_ids: conlist(constr(strip_whitespace=True, min_length=1, max_length=64,  # type: ignore[valid-type]
                                regex=r"^[^\x00-\x1f\x7f]+$"),  # no control characters (PostgreSQL refuses NUL)
                         min_items=1, max_items=MAX_LISTINGS_PER_TEXT)


class TextSent(BaseModel):
    status: str = "queued"
    message: str = texting.SENT
    texts: int


def _listing(item: lookup.Listing) -> Listing:
    fields = {name: getattr(item, name) for name in Listing.__fields__ if name != "referral"}
    return Listing(**fields, referral=Referral(**item.referral.__dict__))


def _code(value: Optional[str], allowed: dict[str, str], what: str) -> Optional[str]:
    value = (value or "").strip() or None
    if value is not None and value not in allowed:
        raise HTTPException(422, f"Sorry, \"{value[:40]}\" is not a {what} Waymark knows. "
                                 f"Choose one of: {', '.join(allowed)}.")
    return value


def _summary(outcome: lookup.SearchOutcome) -> str:
    count = len(outcome.listings)
    if count == 0:
        return (f"No local services match near {outcome.place_label} with these filters. "
                "Try fewer filters or a wider distance. National lines are shown below.")
    noun = "service" if count == 1 else "services"
    return f"{count} {noun} found near {outcome.place_label}, nearest first."


@router.get("/staff", include_in_schema=False)
async def staff_page() -> FileResponse:
    return FileResponse(STATIC / "staff.html", media_type="text/html")


@router.get("/staff/api/choices", response_model=Choices)
def staff_choices() -> Choices:
    return Choices(**lookup.choices(), distances_miles=list(lookup.DISTANCES_MILES),
                   default_miles=lookup.DEFAULT_MILES)


@router.post("/staff/api/search", response_model=SearchResults)
def staff_search(request: Request, ask: SearchAsk, session: Session = database_session) -> SearchResults:
    """POST, not GET: the area (often a full postcode) never appears in a URL or an access log."""
    area = ask.area
    if not area.strip():
        raise HTTPException(422, "Type an area first: a postcode like LS1 4AP, a district like LS1, or a town.")
    choices = lookup.choices()
    filters = lookup.Filters(
        area=area, need=_code(ask.need, choices["needs"], "need"),
        substance=_code(ask.substance, choices["substances"], "substance"),
        audience=_code(ask.audience, choices["audiences"], "group of people"),
        open_now=ask.open_now, self_referral=ask.self_referral, walk_in=ask.walk_in, women_only=ask.women_only,
        within_miles=ask.within_miles, limit=ask.limit, language=ask.language or None,
    )
    try:
        outcome = lookup.find(session, filters, request.app.state.settings.stale_after_days)
    except lookup.UnknownPlace as e:
        raise HTTPException(422, str(e)) from None
    return SearchResults(place=outcome.place_label, place_kind=outcome.place_kind, count=len(outcome.listings),
                         summary=_summary(outcome), listings=[_listing(x) for x in outcome.listings],
                         national=[_listing(x) for x in outcome.national])


@router.post("/staff/api/text", response_model=TextSent, status_code=202)
def text_details(
    request: Request,
    ask: TextRequest,
    account: EditorAccount = Depends(require_role("staff")),
    session: Session = database_session,
) -> TextSent:
    try:
        number = texting.uk_mobile(ask.mobile)
    except texting.BadNumber as e:
        raise HTTPException(422, str(e)) from None
    channels = getattr(request.app.state, "twilio", None)
    if channels is None:
        raise HTTPException(503, texting.NOT_SET_UP)
    if not texting.limiter_for(request.app.state).allow(f"account:{account.id}"):
        raise HTTPException(429, texting.TOO_MANY, headers={"Retry-After": "120"})
    try:
        listings = lookup.listings_by_id(session, list(dict.fromkeys(ask.service_ids)),
                                         request.app.state.settings.stale_after_days)
    except lookup.UnknownListing:
        raise HTTPException(404, "That listing is no longer in the directory. Please search again.") from None
    refused = texting.send_details(channels, number, [x.sms_summary for x in listings], [x.id for x in listings],
                                   who(account))
    if refused:
        raise HTTPException(409, refused)
    return TextSent(texts=len(texting.bodies_for([x.sms_summary for x in listings])))

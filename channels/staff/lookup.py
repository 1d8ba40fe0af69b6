"""What the staff page shows about a service: the search result plus the referral route.

Frontline staff need more than the nearest phone number: who can refer, how, what to put in
the referral, who the service is for, and whether the listing can be trusted today. This
module turns `directory.search` results (and the service record behind each) into that,
using the same words the assistant uses (`actions.replies`, `actions.journey_words`), so the
page and the chat never disagree. No SQL here: every query is a directory function.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional

from sqlalchemy.orm import Session

import timekeeping
from actions import journey_words, replies
from directory import editing, geo, search
from directory.models import Service
from directory.taxonomy import AUDIENCES, FEATURES, NEEDS, SUBSTANCES

KM_PER_MILE = 1.609344
DISTANCES_MILES = (1, 3, 5, 10, 25)
DEFAULT_MILES = 25
MAX_MILES = 62  # 99.8 km: no search may be wider than search.MAX_DISTANCE_KM (100 km)
MAX_RESULTS = 25
REFERRAL_WAYS = {
    "access:referral-phone": "phone",
    "access:referral-form": "form",
    "access:referral-email": "email",
}
# Features worth a tag on the card; the rest (successor, sample-data...) are shown elsewhere or not at all.
SHOWN_FEATURES = ("women-only", "child-friendly", "naloxone-clients", "naloxone-families", "naloxone-training")


class UnknownPlace(ValueError):
    """The area typed is not a postcode, district or town the directory knows."""


class UnknownListing(LookupError):
    """No open service has this id (or it closed without a successor)."""


@dataclass
class Filters:
    area: str
    need: Optional[str] = None
    substance: Optional[str] = None
    audience: Optional[str] = None
    open_now: bool = False
    self_referral: bool = False
    walk_in: bool = False
    women_only: bool = False
    within_miles: float = DEFAULT_MILES
    limit: int = 10
    language: Optional[str] = None  # a language the listing gives, by name or code (issue 20, need 9)


@dataclass
class ReferralRoute:
    who_can_refer: str
    ways: list[str]  # "phone", "form", "email"
    phone: Optional[str]
    email: Optional[str]
    form_url: Optional[str]
    include: Optional[str]
    eligibility: Optional[str]
    ages: Optional[str]
    self_referral: bool
    walk_in: bool
    what_to_expect: Optional[str]
    summary: str  # the assistant's one-paragraph version


@dataclass
class Listing:
    id: str
    name: str
    organization: Optional[str]
    description: Optional[str]
    distance_miles: Optional[float]  # None for a confidential place: distance_text gives its band
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
    referral: ReferralRoute
    walk_in: bool = False
    sms_summary: str = field(default="", repr=False)


@dataclass
class SearchOutcome:
    place_label: str
    place_kind: str
    listings: list[Listing]
    national: list[Listing]


def unknown_place_message(text: str) -> str:
    """A polite, specific answer for an area we can't place."""
    shown = " ".join(text.split())[:60]
    full = geo.FULL_POSTCODE.search(text)
    if full:
        code = f"{full.group(1).upper()} {full.group(2).upper()}"
        return (f"Sorry, {code} is not in Waymark's postcode list, and nor is its district "
                f"{full.group(1).upper()}. Try the name of the town, or a nearby postcode.")
    district = geo.DISTRICT.search(text)
    if district and any(c.isdigit() for c in district.group(1)):
        return (f"Sorry, the postcode district {district.group(1).upper()} is not in Waymark's postcode list. "
                "Try the name of the town, or a nearby postcode.")
    return (f"Sorry, I don't know where \"{shown}\" is. Try a postcode like LS1 4AP, "
            "a postcode district like LS1, or a town name like Leeds.")


def choices() -> dict[str, dict[str, str]]:
    """The filter choices, from the taxonomy, so the page never offers a code search ignores."""
    return {"needs": dict(NEEDS), "substances": dict(SUBSTANCES), "audiences": dict(AUDIENCES)}


def find(session: Session, filters: Filters, stale_after_days: int, now: Optional[datetime] = None) -> SearchOutcome:
    """Services for the staff page, nearest first. Raises UnknownPlace."""
    place = geo.resolve_place(session, filters.area)
    if place is None:
        raise UnknownPlace(unknown_place_message(filters.area))
    now = now or timekeeping.now()
    query = search.SearchQuery(
        latitude=place.latitude, longitude=place.longitude, need=filters.need, substance=filters.substance,
        audience=filters.audience, self_referral=filters.self_referral, walk_in=filters.walk_in,
        women_only=filters.women_only, open_at=now if filters.open_now else None,
        max_distance_km=filters.within_miles * KM_PER_MILE, limit=filters.limit, language=filters.language or None,
    )
    matches = search.search(session, query, now=now, stale_after_days=stale_after_days)
    listings = [listing_for(session, match, now) for match in matches]
    national: list[Listing] = []
    if not listings:
        national = [listing_without_distance(service, now, stale_after_days)
                    for service in search.national_services(session, filters.need or None)]
        if not national and filters.need:
            national = [listing_without_distance(service, now, stale_after_days)
                        for service in search.national_services(session, "treatment")]
    return SearchOutcome(place.label, place.kind, listings, national)


def listings_by_id(session: Session, ids: list[str], stale_after_days: int,
                   now: Optional[datetime] = None) -> list[Listing]:
    """The open listings for these ids, in order. A closed service gives its successor
    (closed services are never offered). Raises UnknownListing."""
    now = now or timekeeping.now()
    found: list[Listing] = []
    for service_id in ids:
        service = search.resolve_successor(session, service_id)
        if service is None:
            raise UnknownListing(service_id)
        found.append(listing_without_distance(service, now, stale_after_days))
    return found


def listing_for(session: Session, match: search.ServiceMatch, now: datetime) -> Listing:
    service = editing.load_service(session, match.service_id)
    return _listing(match, service, now)


def listing_without_distance(service: Service, now: datetime, stale_after_days: int) -> Listing:
    """A listing without a distance (a helpline, or a service picked by id)."""
    location = service.service_at_locations[0].location if service.service_at_locations else None
    match = search.describe(service, location, 0.0, now, stale_after_days)
    listing = _listing(match, service, now)
    listing.distance_miles = None
    listing.distance_text = "National service" if "feature:national" in match.codes else ""
    return listing


def _valued(service: Service, code: str) -> Optional[str]:
    return next((a.value for a in service.attributes
                 if a.taxonomy_term_id and a.taxonomy_term_id.endswith(code) and a.value), None)


def _ages(minimum: Optional[int], maximum: Optional[int]) -> Optional[str]:
    if minimum and maximum:
        return f"Ages {minimum} to {maximum}"
    if minimum:
        return f"Ages {minimum} and over"
    if maximum:
        return f"Up to age {maximum}"
    return None


def who_can_refer(codes: set[str], ways: list[str]) -> str:
    if "access:self-referral" in codes and ways:
        return "Anyone. The person can refer themselves, or you can refer them with their consent."
    if "access:self-referral" in codes:
        return "The person can get in touch themselves. You can help them make the call."
    if ways:
        return "Professionals. The person can't refer themselves: you need to refer them."
    return "Ring the service to ask how to refer."


def last_checked_text(assured: Optional[date], stale: bool) -> str:
    """The assistant's words: old listings say 'ring first'."""
    if stale and assured:
        return f"Last checked on {replies.checked_on(assured)} — ring first."
    if stale:
        return "Not checked recently — ring first."
    return f"Last checked on {replies.checked_on(assured)}." if assured else ""


def _listing(match: search.ServiceMatch, service: Service, now: datetime) -> Listing:
    codes = match.codes
    ways = [word for code, word in REFERRAL_WAYS.items() if code in codes]
    include = _valued(service, "feature:referral-include")
    ages = _ages(service.minimum_age, service.maximum_age)
    referral = ReferralRoute(
        who_can_refer=who_can_refer(codes, ways), ways=ways, phone=match.phone,
        email=service.email,
        form_url=service.url if "form" in ways and service.url else None,
        include=include, eligibility=service.eligibility_description, ages=ages,
        self_referral=match.self_referral, walk_in=match.walk_in, what_to_expect=match.application_process,
        summary=journey_words.referral_route(match.name, match.phone, codes, include,
                                             service.eligibility_description, service.minimum_age,
                                             service.maximum_age),
    )
    miles = match.distance_km / KM_PER_MILE
    tags = [FEATURES[code] for code in SHOWN_FEATURES if f"feature:{code}" in codes]
    tags += [f"Speaks {lang.name or lang.code}" for lang in service.languages
             if (lang.name or lang.code) and (lang.name or lang.code).lower() not in ("english", "en")]
    listing = Listing(
        id=match.service_id, name=match.name, organization=match.organization, description=match.description,
        distance_miles=None if match.distance_band else round(miles, 1),
        distance_text=(match.distance_band[0].upper() + match.distance_band[1:] if match.distance_band
                       else f"{replies.miles(match.distance_km)} away"),
        address=match.address, phone=match.phone, text_number=match.text_number, website=service.url,
        open_now=match.open_now, opening_text=replies.opening_line(match, now), hours=match.hours,
        last_checked=match.assured_date, last_checked_text=last_checked_text(match.assured_date, match.stale),
        stale=match.stale, alert=match.alert, is_sample=match.is_sample, tags=tags, referral=referral,
        walk_in=match.walk_in,
    )
    listing.sms_summary = client_text(listing)
    return listing


def client_text(listing: Listing) -> str:
    """What the client gets by text: how to get in, where, when, what happens, and how fresh it is."""
    parts = [journey_words.client_text(listing.name, listing.phone, listing.walk_in, listing.address, listing.hours)]
    if listing.referral.what_to_expect:
        parts.append(f"What to expect: {listing.referral.what_to_expect.rstrip('.')}.")
    if listing.stale:
        parts.append("Ring first to check these details.")
    return " ".join(parts)

"""Directory records in Open Referral UK / HSDS 3.0 JSON shape, for the read API.

Absent values are left out (HSDS fields are optional unless required, and never null);
required text that we do not hold is given as "" so responses validate against the schema.
Confidential locations (attribute feature:confidential-address) are never written out: not
their address, not their coordinates, not even their name. The audit trail (`metadata`) is
not published either: it can hold a confidential address's old value and editors' names.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any, Iterable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import (
    Attribute,
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
)
from directory.taxonomy import term

CONFIDENTIAL = term("feature:confidential-address").id
HSDS_VERSION = "3.0"
# What GET /oruk/ declares: the UK profile of HSDS 3.0 (the official validator picks the profile
# by this version and walks the paths of the OpenAPI description that openapi_url names).
ORUK_VERSION = "HSDS-UK-3.0"
ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile"
ORUK_OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"

SERVICE_ONE_TO_ONE = ("id", "organization_id", "name", "alternate_name", "description", "url", "email",
                      "status", "interpretation_services", "application_process", "fees_description",
                      "accreditations", "eligibility_description", "minimum_age", "maximum_age",
                      "assured_date", "assurer_email", "alert", "last_modified")


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def _fields(obj: Any, names: Iterable[str]) -> dict:
    out = {}
    for name in names:
        value = getattr(obj, name)
        if value is not None and value != "":
            out[name] = _value(value)
    return out


def _number(text: Optional[str]) -> Optional[float]:
    try:
        number = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return int(number) if number is not None and number == int(number) else number


def phone(p: Phone) -> dict:
    out = _fields(p, ("id", "service_id", "location_id", "organization_id", "contact_id",
                      "service_at_location_id", "number", "type", "description"))
    extension = _number(p.extension)
    if extension is not None:
        out["extension"] = extension
    return out


def schedule(s: Schedule) -> dict:
    # HSDS 3.0 gives timezone as a number (UTC offset); ours are Europe/London wall-clock times.
    return _fields(s, ("id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
                       "dtstart", "until", "count", "wkst", "freq", "interval", "byday", "byweekno",
                       "bymonthday", "byyearday", "description", "opens_at", "closes_at", "schedule_link",
                       "attending_type", "notes"))


def taxonomy_term(t, taxonomy: Optional[Taxonomy] = None) -> dict:
    out = _fields(t, ("id", "code", "name", "parent_id", "taxonomy", "taxonomy_id", "language", "term_uri"))
    out["description"] = t.description or ""
    if taxonomy is not None:
        detail = _fields(taxonomy, ("id", "name", "uri", "version"))
        detail["description"] = taxonomy.description or ""
        out["taxonomy_detail"] = detail
    return out


def attribute(a: Attribute, taxonomies: dict[str, Taxonomy]) -> dict:
    out = _fields(a, ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"))
    if a.taxonomy_term is not None:
        out["taxonomy_term"] = taxonomy_term(a.taxonomy_term, taxonomies.get(a.taxonomy_term.taxonomy_id or ""))
    return out


def organization(o: Organization) -> dict:
    out = _fields(o, ("id", "name", "alternate_name", "email", "website", "legal_status", "uri"))
    out["description"] = o.description or ""
    return out


def contact(c: Contact, phones: list[Phone]) -> dict:
    out = _fields(c, ("id", "organization_id", "service_id", "service_at_location_id", "location_id", "name",
                      "title", "department", "email"))
    out["phones"] = [phone(p) for p in phones]
    return out


def is_confidential(location: Optional[Location]) -> bool:
    return location is not None and any(a.taxonomy_term_id == CONFIDENTIAL for a in location.attributes)


def location_one_to_one(loc: Location) -> dict:
    return _fields(loc, ("id", "location_type", "url", "organization_id", "name", "description",
                         "latitude", "longitude"))


def location_full(session: Session, loc: Location, taxonomies: dict[str, Taxonomy]) -> dict:
    out = location_one_to_one(loc)
    out["addresses"] = []
    for a in loc.addresses:
        address = _fields(a, ("id", "location_id", "attention", "address_2", "region", "address_type"))
        for required in ("address_1", "city", "state_province", "postal_code", "country"):
            address[required] = getattr(a, required) or ""
        address.setdefault("address_type", "physical")
        out["addresses"].append(address)
    out["accessibility"] = [_fields(x, ("id", "location_id", "description", "details", "url"))
                            for x in loc.accessibility]
    out["phones"] = [phone(p) for p in session.scalars(
        select(Phone).where(Phone.location_id == loc.id, Phone.service_id.is_(None)).order_by(Phone.id))]
    out["attributes"] = [attribute(a, taxonomies) for a in loc.attributes]
    return out


def _taxonomies(session: Session) -> dict[str, Taxonomy]:
    return {t.id: t for t in session.scalars(select(Taxonomy))}


def service_list_item(service: Service) -> dict:
    """One-to-one fields and the organisation: the shape of /services list contents."""
    out = _fields(service, SERVICE_ONE_TO_ONE)
    if service.fees_description:
        out["fees"] = service.fees_description  # the UK profile's name for it
    if service.organization is not None:
        out["organization"] = organization(service.organization)
    return out


def service_full(session: Session, service: Service) -> dict:
    """Everything about one service, nested (the shape of GET /services/{id})."""
    taxonomies = _taxonomies(session)
    out = service_list_item(service)
    service_phones = [p for p in service.phones if p.service_at_location_id is None]
    out["phones"] = [phone(p) for p in sorted(service_phones, key=lambda p: p.id)]
    out["schedules"] = [schedule(s) for s in service.schedules if s.service_at_location_id is None]
    out["languages"] = [_fields(x, ("id", "service_id", "location_id", "phone_id", "name", "code", "note"))
                        for x in service.languages]
    out["cost_options"] = [_fields(x, ("id", "service_id", "valid_from", "valid_to", "option", "currency",
                                       "amount", "amount_description")) for x in service.cost_options]
    contacts = [c for c in service.contacts if c.service_at_location_id is None]
    contact_phones = _phones_by(session, "contact_id", [c.id for c in contacts])
    out["contacts"] = [contact(c, contact_phones.get(c.id, [])) for c in contacts]
    out["attributes"] = [attribute(a, taxonomies) for a in service.attributes]
    sals = []
    for sal in service.service_at_locations:
        if is_confidential(sal.location):
            continue
        item = _fields(sal, ("id", "service_id", "location_id", "description"))
        item["phones"] = [phone(p) for p in service.phones if p.service_at_location_id == sal.id]
        item["schedules"] = [schedule(s) for s in service.schedules if s.service_at_location_id == sal.id]
        if sal.location is not None:
            item["location"] = location_full(session, sal.location, taxonomies)
        sals.append(item)
    out["service_at_locations"] = sals
    return out


def _phones_by(session: Session, column: str, ids: list[str]) -> dict[str, list[Phone]]:
    if not ids:
        return {}
    out: dict[str, list[Phone]] = {}
    for p in session.scalars(select(Phone).where(getattr(Phone, column).in_(ids)).order_by(Phone.id)):
        out.setdefault(getattr(p, column), []).append(p)
    return out


def load_full(session: Session, service_id: str) -> Optional[Service]:
    stmt = (
        select(Service)
        .where(Service.id == service_id)
        .options(
            selectinload(Service.organization),
            selectinload(Service.phones),
            selectinload(Service.schedules),
            selectinload(Service.languages),
            selectinload(Service.cost_options),
            selectinload(Service.contacts),
            selectinload(Service.attributes),
            selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location)
            .selectinload(Location.addresses),
        )
    )
    return session.scalar(stmt)


def service_at_location_item(sal: ServiceAtLocation) -> dict:
    """A service_at_location with its location and service (one-to-one fields)."""
    out = _fields(sal, ("id", "service_id", "location_id", "description"))
    if sal.location is not None:
        out["location"] = location_one_to_one(sal.location)
    if sal.service is not None:
        out["service"] = service_list_item(sal.service)
    return out


def service_at_location_full(session: Session, sal: ServiceAtLocation) -> dict:
    """One service at one (not confidential) place, everything nested: the service_at_location
    with its phones, hours and full location, and the full service it belongs to. It also
    carries the service's name and status: the UK profile's OpenAPI gives a service's schema
    (which requires them) for GET /service_at_locations/{id}."""
    service = load_full(session, sal.service_id)
    out = _fields(sal, ("id", "service_id", "location_id", "description"))
    out["name"], out["status"] = service.name, service.status
    out["phones"] = [phone(p) for p in sorted(service.phones, key=lambda p: p.id)
                     if p.service_at_location_id == sal.id]
    out["schedules"] = [schedule(s) for s in service.schedules if s.service_at_location_id == sal.id]
    out["location"] = location_full(session, sal.location, _taxonomies(session))
    nested = service_full(session, service)
    nested.pop("service_at_locations", None)  # the place this answer is about is above
    out["service"] = nested
    return out

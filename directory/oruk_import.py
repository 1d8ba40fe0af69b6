"""Importing services from an Open Referral UK (HSDS 3.0) feed or the simple CSV template.

    waymark directory import PATH [--format oruk|csv] [--source NAME] [--full-feed]

Accepted JSON: one fully nested service (the shape of `GET /services/{id}`), a list of them,
or a page object whose `contents` holds them. Fields we do not store are ignored, never fatal.

How an import behaves:
- **Validate first, then write.** Every record is checked and converted before anything is
  written; a malformed record rejects the whole file with a message naming the record and
  the field (`FeedError`). The caller runs the import in one transaction, so a failure while
  writing leaves the database exactly as it was too.
- **Update in place.** Records are matched by id. Keys present in a record (even as null)
  are applied; keys absent are left as they were, so importing a list page of one-to-one
  fields never wipes phones or hours. Every changed field is written to `metadata` (resource,
  field, previous and new value, who, when); new records get one "create" row, removed child
  records a "delete" row.
- **Classification.** Waymark's taxonomy codes come from the feed's terms where they map,
  otherwise from keyword rules (`directory/classify.py`). When the needs were only guessed
  from the description, or none were found, a `review_item` (kind "classification") is opened
  for an editor. Doubtful data (coordinates outside the UK, an unknown organisation id) opens
  a `review_item` of kind "data".
- **Full feed.** With `full_feed=True`, services this *source* delivered before but that are
  missing now are marked `inactive` (never deleted). `feed_record` remembers which source
  delivered which service, so other feeds, the national lines and the sample area are safe.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Text, Time, select
from sqlalchemy.orm import Session

import timekeeping
from directory import classify
from directory.geo import resolve_place
from directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    FeedRecord,
    Language,
    Location,
    Metadata,
    Organization,
    Phone,
    ReviewItem,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.seed import ensure_taxonomy
from directory.taxonomy import TAXONOMY_ID, TERMS, term

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
BYDAY = re.compile(r"^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$")
UK_BOUNDS = (49.0, 61.5, -9.0, 2.5)
COUNTRY_NAMES = {"UK": "GB", "UNITED KINGDOM": "GB", "ENGLAND": "GB", "GREAT BRITAIN": "GB",
                 "WALES": "GB", "SCOTLAND": "GB", "NORTHERN IRELAND": "GB"}
ID_NAMESPACE = uuid.UUID("6b1f7d0e-3c44-4b8e-9a55-7d3f5b1e2a10")
IMPORT_LABEL = "import"  # attribute.label of attributes an import owns (editors' are left alone)


class FeedError(ValueError):
    """A record that cannot be imported. Nothing from its file is written."""

    def __init__(self, record: str, field_name: Optional[str], message: str):
        self.record, self.field_name, self.message = record, field_name, message
        where = f"{record}, field '{field_name}'" if field_name else record
        super().__init__(f"{where}: {message}")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    field_changes: int = 0
    flagged: list[str] = field(default_factory=list)  # service ids with a new review item

    def __str__(self) -> str:
        text = (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.field_changes} field changes recorded")
        if self.retired:
            text += f", {self.retired} missing from the feed marked inactive"
        if self.flagged:
            text += f"; {len(self.flagged)} flagged for review (waymark directory review)"
        return text


# ---------------------------------------------------------------------------------------
# Reading files


def read_records(path: Path, fmt: str = "oruk") -> list[dict]:
    """The service records in a file, as ORUK-shaped dicts (CSV rows are converted)."""
    path = Path(path)
    if fmt == "csv":
        from directory.csv_template import read_csv

        return read_csv(path)
    if fmt != "oruk":
        raise FeedError(str(path), None, f"unknown format '{fmt}' (use oruk or csv)")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise FeedError(str(path), None, f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:  # Python's parser gives up on a few thousand nested brackets
        raise FeedError(str(path), None, "nested too deeply to be a service feed") from None
    return records_from_json(data)


def records_from_json(data: Any) -> list[dict]:
    if isinstance(data, dict) and "contents" in data:
        data = data["contents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FeedError("file", None, "expected a service object, a list of services or a page with 'contents'")
    return data


# ---------------------------------------------------------------------------------------
# Validation: turn raw records into checked, typed values before anything is written


def _column_types(model) -> dict[str, Any]:
    return {c.name: c.type for c in model.__table__.columns}


class _Checker:
    def __init__(self, label: str):
        self.label = label

    def fail(self, path: str, message: str):
        raise FeedError(self.label, path, message)

    def obj(self, value: Any, path: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {type(value).__name__}")
        return value

    def array(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {type(value).__name__}")
        return value

    def convert(self, value: Any, col_type: Any, path: str) -> Any:
        """One value, converted to what the column holds; raises FeedError when it can't be."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (dict, list)):
            self.fail(path, f"expected a single value, got {type(value).__name__}")
        if isinstance(col_type, Boolean):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "y", "1"):
                return True
            if text in ("false", "no", "n", "0"):
                return False
            self.fail(path, f"'{value}' is not yes/no")
        if isinstance(col_type, Integer):
            number = self._number(value, path)
            if number != int(number):
                self.fail(path, f"'{value}' is not a whole number")
            return int(number)
        if isinstance(col_type, Float):  # before Numeric: Float is a kind of Numeric
            return self._number(value, path)
        if isinstance(col_type, Numeric):  # money: pence are enough
            return round(self._number(value, path), 2)
        if isinstance(col_type, DateTime):
            try:
                moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                self.fail(path, f"'{value}' is not a date and time (e.g. 2026-11-23T10:30:00Z)")
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        if isinstance(col_type, Date):
            text = str(value).strip()
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                self.fail(path, f"'{value}' is not a date (YYYY-MM-DD)")
        if isinstance(col_type, Time):
            text = str(value).strip().upper().rstrip("Z")
            text = re.sub(r"[+-]\d\d:?\d\d$", "", text)  # an offset: hours are local wall-clock
            try:
                return time.fromisoformat(text if len(text) != 4 else "0" + text)
            except ValueError:
                self.fail(path, f"'{value}' is not a time of day (HH:MM)")
        if isinstance(col_type, (String, Text)):
            if isinstance(value, bool):
                value = "true" if value else "false"
            text = str(value).strip()
            length = getattr(col_type, "length", None)
            if length and len(text) > length:
                self.fail(path, f"is {len(text)} characters long; at most {length} fit")
            return text
        return value  # pragma: no cover - every column type is handled above

    def _number(self, value: Any, path: str) -> float:
        if isinstance(value, bool):
            self.fail(path, f"'{value}' is not a number")
        try:
            return float(str(value).strip())
        except ValueError:
            self.fail(path, f"'{value}' is not a number")

    def fields(self, model, record: dict, path: str, names: Iterable[str],
               rename: Optional[dict] = None) -> dict:
        """The columns of `model` that `record` mentions (present keys only), converted."""
        types = _column_types(model)
        out: dict[str, Any] = {}
        for name in names:
            source = (rename or {}).get(name, name)
            if source in record:
                out[name] = self.convert(record[source], types[name], f"{path}{source}")
        return out

    def ident(self, record: dict, path: str, required: bool = False) -> Optional[str]:
        value = record.get("id")
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{path}id", "is missing")
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.fail(f"{path}id", "must be a string")
        text = str(value).strip()
        if len(text) > 64:
            self.fail(f"{path}id", f"is {len(text)} characters long; at most 64 fit")
        return text


SERVICE_FIELDS = ("name", "alternate_name", "description", "url", "email", "status",
                  "interpretation_services", "application_process", "fees_description",
                  "accreditations", "eligibility_description", "minimum_age", "maximum_age",
                  "assured_date", "assurer_email", "alert", "last_modified")
ORGANIZATION_FIELDS = ("name", "alternate_name", "description", "email", "website", "legal_status", "uri")
PHONE_FIELDS = ("number", "extension", "type", "description")
SCHEDULE_FIELDS = ("valid_from", "valid_to", "dtstart", "until", "count", "wkst", "freq", "interval",
                   "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at",
                   "closes_at", "schedule_link", "attending_type", "notes")
LANGUAGE_FIELDS = ("name", "code", "note")
COST_FIELDS = ("valid_from", "valid_to", "option", "currency", "amount", "amount_description")
CONTACT_FIELDS = ("name", "title", "department", "email")
LOCATION_FIELDS = ("location_type", "name", "description", "url", "latitude", "longitude")
ADDRESS_FIELDS = ("attention", "address_1", "address_2", "city", "region", "state_province",
                  "postal_code", "country", "address_type")
ACCESSIBILITY_FIELDS = ("description", "details", "url")
TERM_FIELDS = ("code", "name", "description", "taxonomy", "language", "term_uri")


@dataclass
class Child:
    """One child record: its id as given (may be None) and its converted values."""

    given_id: Optional[str]
    values: dict
    kind: str
    extra: dict = field(default_factory=dict)


@dataclass
class LocationSpec:
    sal_id: Optional[str]
    sal_values: dict
    sal_phones: list[Child]
    sal_schedules: list[Child]
    location_id: Optional[str]
    values: dict
    addresses: list[Child]
    accessibility: list[Child]
    attributes: list[dict]  # raw attribute dicts (validated)
    phones: list[Child]


@dataclass
class ParsedService:
    label: str
    id: str
    values: dict
    present: set[str]  # which nested collections the record mentions
    organization: Optional[tuple[str, dict]] = None
    organization_id: Optional[str] = None
    phones: list[Child] = field(default_factory=list)
    schedules: list[Child] = field(default_factory=list)
    languages: list[Child] = field(default_factory=list)
    cost_options: list[Child] = field(default_factory=list)
    contacts: list[Child] = field(default_factory=list)
    attributes: list[dict] = field(default_factory=list)
    locations: list[LocationSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _label(record: Any, index: int) -> str:
    if isinstance(record, dict) and record.get("_label"):
        return str(record["_label"])
    if isinstance(record, dict):
        ident, name = record.get("id"), record.get("name")
        bits = [f"id '{ident}'" if ident else None, f"name '{name}'" if isinstance(name, str) else None]
        inner = ", ".join(b for b in bits if b)
        return f"record {index + 1}" + (f" ({inner})" if inner else "")
    return f"record {index + 1}"


def _phone(c: _Checker, raw: Any, path: str) -> Child:
    raw = c.obj(raw, path)
    values = c.fields(Phone, raw, f"{path}.", PHONE_FIELDS)
    number = (values.get("number") or "").strip().strip('"').strip("'").strip()
    if not number:
        c.fail(f"{path}.number", "is missing")
    values["number"] = number
    values["type"] = (values.get("type") or "voice").lower()
    return Child(c.ident(raw, f"{path}."), values, "phone")


def _schedule(c: _Checker, raw: Any, path: str) -> Child:
    raw = c.obj(raw, path)
    values = c.fields(Schedule, raw, f"{path}.", SCHEDULE_FIELDS)
    if values.get("freq"):
        values["freq"] = values["freq"].upper()
        if values["freq"] not in ("WEEKLY", "MONTHLY", "DAILY"):
            c.fail(f"{path}.freq", f"'{values['freq']}' is not WEEKLY or MONTHLY")
    if values.get("byday"):
        days = [d.strip().upper() for d in values["byday"].split(",") if d.strip()]
        bad = [d for d in days if not BYDAY.match(d)]
        if bad:
            c.fail(f"{path}.byday", f"'{bad[0]}' is not a day code (MO, TU, WE, TH, FR, SA, SU)")
        values["byday"] = ",".join(days)
    if values.get("wkst"):
        values["wkst"] = values["wkst"].upper()[:2]
    if values.get("closes_at") and not values.get("opens_at"):
        c.fail(f"{path}.opens_at", "is missing while closes_at is given")
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        c.fail(f"{path}.valid_to", "is before valid_from")
    return Child(c.ident(raw, f"{path}."), values, "schedule")


def _attribute(c: _Checker, raw: Any, path: str) -> dict:
    raw = c.obj(raw, path)
    term_raw = c.obj(raw.get("taxonomy_term"), f"{path}.taxonomy_term")
    term_id = c.ident(term_raw, f"{path}.taxonomy_term.") if term_raw else None
    if term_id is None and raw.get("taxonomy_term_id") is not None:
        term_id = c.convert(raw.get("taxonomy_term_id"), String(64), f"{path}.taxonomy_term_id")
    if term_id is None and not term_raw.get("code"):
        c.fail(f"{path}.taxonomy_term", "is missing (an attribute links a taxonomy term)")
    term_values = c.fields(TaxonomyTerm, term_raw, f"{path}.taxonomy_term.", TERM_FIELDS)
    parent = term_raw.get("parent_id")
    detail = c.obj(term_raw.get("taxonomy_detail"), f"{path}.taxonomy_term.taxonomy_detail")
    return {
        "id": c.ident(raw, f"{path}."),
        "term_id": term_id,
        "term": term_values,
        "term_raw": {"id": term_id, "code": term_values.get("code"), "name": term_values.get("name")},
        "parent_id": str(parent)[:64] if parent else None,
        "taxonomy_detail": (c.ident(detail, f"{path}.taxonomy_term.taxonomy_detail."),
                            c.fields(Taxonomy, detail, f"{path}.taxonomy_term.taxonomy_detail.",
                                     ("name", "description", "uri", "version"))) if detail else None,
        "link_type": c.convert(raw.get("link_type"), String(64), f"{path}.link_type"),
        "value": c.convert(raw.get("value"), Text(), f"{path}.value"),
    }


def parse_record(record: Any, index: int) -> ParsedService:
    label = _label(record, index)
    c = _Checker(label)
    if not isinstance(record, dict):
        c.fail("", f"expected an object, got {type(record).__name__}")
    sid = c.ident(record, "", required=True)
    values = c.fields(Service, record, "", SERVICE_FIELDS)
    if "fees_description" not in values and record.get("fees"):
        values["fees_description"] = c.convert(record["fees"], Text(), "fees")
    if not values.get("name"):
        c.fail("name", "is missing")
    if "status" in values:
        status = (values["status"] or "active").lower()
        if status not in STATUSES:
            c.fail("status", f"'{values['status']}' is not one of {', '.join(STATUSES)}")
        values["status"] = status
    for age in ("minimum_age", "maximum_age"):
        if values.get(age) is not None and not 0 <= values[age] <= 130:
            c.fail(age, f"{values[age]} is not an age")
    parsed = ParsedService(label=label, id=sid, values=values,
                           present={k for k in ("phones", "schedules", "languages", "cost_options",
                                                "contacts", "attributes", "service_at_locations")
                                    if k in record})
    org = record.get("organization")
    if org is not None:
        org = c.obj(org, "organization")
        org_id = c.ident(org, "organization.", required=True)
        org_values = c.fields(Organization, org, "organization.", ORGANIZATION_FIELDS)
        if not org_values.get("name"):
            c.fail("organization.name", "is missing")
        parsed.organization = (org_id, org_values)
    if record.get("organization_id") is not None:
        parsed.organization_id = c.convert(record["organization_id"], String(64), "organization_id")
    parsed.phones = [_phone(c, p, f"phones[{i}]") for i, p in enumerate(c.array(record.get("phones"), "phones"))]
    parsed.schedules = [_schedule(c, s, f"schedules[{i}]")
                        for i, s in enumerate(c.array(record.get("schedules"), "schedules"))]
    for i, raw in enumerate(c.array(record.get("languages"), "languages")):
        raw = c.obj(raw, f"languages[{i}]")
        parsed.languages.append(Child(c.ident(raw, f"languages[{i}]."),
                                      c.fields(Language, raw, f"languages[{i}].", LANGUAGE_FIELDS), "language"))
    for i, raw in enumerate(c.array(record.get("cost_options"), "cost_options")):
        raw = c.obj(raw, f"cost_options[{i}]")
        values_ = c.fields(CostOption, raw, f"cost_options[{i}].", COST_FIELDS)
        if values_.get("currency"):
            values_["currency"] = values_["currency"].upper()[:3]
        parsed.cost_options.append(Child(c.ident(raw, f"cost_options[{i}]."), values_, "cost_option"))
    for i, raw in enumerate(c.array(record.get("contacts"), "contacts")):
        raw = c.obj(raw, f"contacts[{i}]")
        phones = [_phone(c, p, f"contacts[{i}].phones[{j}]")
                  for j, p in enumerate(c.array(raw.get("phones"), f"contacts[{i}].phones"))]
        parsed.contacts.append(Child(c.ident(raw, f"contacts[{i}]."),
                                     c.fields(Contact, raw, f"contacts[{i}].", CONTACT_FIELDS), "contact",
                                     extra={"phones": phones}))
    parsed.attributes = [_attribute(c, a, f"attributes[{i}]")
                         for i, a in enumerate(c.array(record.get("attributes"), "attributes"))]
    for i, raw in enumerate(c.array(record.get("service_at_locations"), "service_at_locations")):
        path = f"service_at_locations[{i}]"
        raw = c.obj(raw, path)
        loc_raw = c.obj(raw.get("location"), f"{path}.location")
        loc_values = c.fields(Location, loc_raw, f"{path}.location.", LOCATION_FIELDS)
        if loc_values.get("location_type"):
            loc_values["location_type"] = loc_values["location_type"].lower()
            if loc_values["location_type"] not in LOCATION_TYPES:
                c.fail(f"{path}.location.location_type",
                       f"'{loc_values['location_type']}' is not one of {', '.join(LOCATION_TYPES)}")
        lat, lon = loc_values.get("latitude"), loc_values.get("longitude")
        if (lat is None) != (lon is None):
            c.fail(f"{path}.location.latitude", "latitude and longitude must be given together")
        if lat is not None and not (UK_BOUNDS[0] <= lat <= UK_BOUNDS[1] and UK_BOUNDS[2] <= lon <= UK_BOUNDS[3]):
            parsed.notes.append(f"{path}.location: coordinates {lat}, {lon} are not in the UK; "
                                "they were left out, so this place is not found by distance")
            loc_values["latitude"] = loc_values["longitude"] = None
        addresses = []
        for j, a in enumerate(c.array(loc_raw.get("addresses"), f"{path}.location.addresses")):
            a = c.obj(a, f"{path}.location.addresses[{j}]")
            a_values = c.fields(Address, a, f"{path}.location.addresses[{j}].",
                                [f for f in ADDRESS_FIELDS if f != "country"])
            country = a.get("country")
            if country:
                code = COUNTRY_NAMES.get(str(country).strip().upper(), str(country).strip().upper())
                if len(code) != 2:
                    c.fail(f"{path}.location.addresses[{j}].country", f"'{country}' is not a two-letter country code")
                a_values["country"] = code
            if a_values.get("address_type"):
                a_values["address_type"] = a_values["address_type"].lower()
            addresses.append(Child(c.ident(a, f"{path}.location.addresses[{j}]."), a_values, "address"))
        accessibility = []
        for j, a in enumerate(c.array(loc_raw.get("accessibility"), f"{path}.location.accessibility")):
            a = c.obj(a, f"{path}.location.accessibility[{j}]")
            accessibility.append(Child(c.ident(a, f"{path}.location.accessibility[{j}]."),
                                       c.fields(Accessibility, a, f"{path}.location.accessibility[{j}].",
                                                ACCESSIBILITY_FIELDS), "accessibility"))
        parsed.locations.append(LocationSpec(
            sal_id=c.ident(raw, f"{path}."),
            sal_values=c.fields(ServiceAtLocation, raw, f"{path}.", ("description",)),
            sal_phones=[_phone(c, p, f"{path}.phones[{j}]")
                        for j, p in enumerate(c.array(raw.get("phones"), f"{path}.phones"))],
            sal_schedules=[_schedule(c, s, f"{path}.schedules[{j}]")
                           for j, s in enumerate(c.array(raw.get("schedules"), f"{path}.schedules"))],
            location_id=c.ident(loc_raw, f"{path}.location.") if loc_raw else None,
            values=loc_values,
            addresses=addresses,
            accessibility=accessibility,
            attributes=[_attribute(c, a, f"{path}.location.attributes[{j}]")
                        for j, a in enumerate(c.array(loc_raw.get("attributes"), f"{path}.location.attributes"))],
            phones=[_phone(c, p, f"{path}.location.phones[{j}]")
                    for j, p in enumerate(c.array(loc_raw.get("phones"), f"{path}.location.phones"))],
        ))
    return parsed


def parse_records(records: list) -> list[ParsedService]:
    """Check every record; raises FeedError for the first problem, before any write."""
    parsed, seen = [], {}
    for index, record in enumerate(records):
        item = parse_record(record, index)
        if item.id in seen:
            raise FeedError(item.label, "id", f"'{item.id}' is used twice (also by {seen[item.id]})")
        seen[item.id] = item.label
        parsed.append(item)
    return parsed


# ---------------------------------------------------------------------------------------
# Writing


def _derived_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "|".join(parts)))


def _comparable(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


def _text(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (date, time, datetime)):
        return value.isoformat()
    return str(value)


class _Writer:
    def __init__(self, session: Session, who: str, now: datetime):
        self.session, self.who, self.now = session, who, now
        self.changes = 0
        self.used: dict[str, set[str]] = {}  # ids written in this run, per table
        self.seen_here: set[tuple[str, str]] = set()  # (table, feed id) seen in the current service

    def audit(self, resource_type: str, resource_id: str, action: str,
              field_name: Optional[str] = None, previous: Any = None, new: Any = None) -> None:
        self.session.add(Metadata(
            resource_id=resource_id, resource_type=resource_type, last_action_date=self.now,
            last_action_type=action, field_name=field_name, previous_value=_text(previous),
            replacement_value=_text(new), updated_by=self.who))
        self.changes += 1

    def assign(self, obj: Any, values: dict, resource_type: str) -> bool:
        changed = False
        for name, new in values.items():
            old = getattr(obj, name)
            if _comparable(old) != _comparable(new):
                self.audit(resource_type, obj.id, "update", name, old, new)
                setattr(obj, name, new)
                changed = True
        return changed

    def upsert(self, model, ident: str, values: dict, resource_type: str, **owner) -> tuple[Any, bool]:
        obj = self.session.get(model, ident)
        if obj is None:
            obj = model(id=ident, **owner, **values)
            self.session.add(obj)
            self.audit(resource_type, ident, "create")
            return obj, True
        changed = self.assign(obj, {**owner, **values}, resource_type)
        return obj, changed

    def child_id(self, model, given: Optional[str], owner_key: str, kind: str, index: int,
                 owner_column: str, owner_value: str) -> Optional[str]:
        """An id for an owned child: the feed's own when it is free, otherwise a stable one
        derived from the owner. None means the record repeats one already written for this
        service at another level (HSDS repeats a phone under the service, its locations and
        contacts): it is kept once, where it first appears."""
        table = model.__tablename__
        used = self.used.setdefault(table, set())
        if given is None:
            ident = _derived_id(owner_key, kind, str(index))
        else:
            if (table, given) in self.seen_here:
                return None
            self.seen_here.add((table, given))
            ident = given
            existing = self.session.get(model, ident)
            if ident in used or (existing is not None and getattr(existing, owner_column) != owner_value):
                ident = _derived_id(owner_key, given)
        used.add(ident)
        return ident

    def sync(self, model, owner_column: str, owner_value: str, children: list[Child], resource_type: str,
             owner_key: str, extra_owner: Optional[dict] = None, scope=None) -> tuple[list[tuple[Child, Any]], bool]:
        """Make the children of one owner exactly `children` (by id), auditing every change."""
        extra_owner = extra_owner or {}
        stmt = select(model).where(getattr(model, owner_column) == owner_value)
        if scope is not None:
            stmt = stmt.where(scope)
        existing = {obj.id: obj for obj in self.session.scalars(stmt)}
        kept, changed = [], False
        for index, child in enumerate(children):
            ident = self.child_id(model, child.given_id, owner_key, resource_type, index, owner_column, owner_value)
            if ident is None:
                continue
            obj, did = self.upsert(model, ident, child.values, resource_type,
                                   **{owner_column: owner_value}, **extra_owner)
            changed |= did
            kept.append((child, obj))
        keep_ids = {o.id for _, o in kept}
        for ident, obj in existing.items():
            if ident not in keep_ids:
                self.audit(resource_type, ident, "delete")
                self.session.delete(obj)
                changed = True
        return kept, changed


def _open_review(session: Session, kind: str, service_id: str, detail: str, suggested: Optional[str],
                 who: str, now: datetime) -> bool:
    """File a review item unless the same one was filed before (open or already resolved)."""
    stmt = select(ReviewItem).where(ReviewItem.kind == kind, ReviewItem.resource_id == service_id)
    for item in session.scalars(stmt):
        if kind == "classification" and item.status == "open" and item.created_by == who:
            # One open classification question per service, kept up to date.
            if item.detail != detail or item.suggested != suggested:
                item.detail, item.suggested = detail, suggested
            return False
        if (item.suggested or "") == (suggested or "") and item.detail == detail:
            return False  # an editor already looked at exactly this
    session.add(ReviewItem(kind=kind, resource_type="service", resource_id=service_id, detail=detail,
                           suggested=suggested, status="open", created_at=now, created_by=who))
    return True


def _resolve_reviews(session: Session, kind: str, service_id: str, who: str, now: datetime, why: str) -> None:
    stmt = select(ReviewItem).where(ReviewItem.kind == kind, ReviewItem.resource_id == service_id,
                                    ReviewItem.status == "open", ReviewItem.created_by == who)
    for item in session.scalars(stmt):
        item.status, item.resolved_at, item.resolved_by, item.resolution = "resolved", now, who, why


def _ensure_term(session: Session, w: _Writer, attr: dict, known_terms: set[str]) -> Optional[str]:
    """The taxonomy_term id an attribute links to, creating the feed's term if it is new."""
    exact = classify.term_code(attr["term_raw"])
    if exact:
        return term(exact).id
    term_id = attr["term_id"] or _derived_id("term", attr["term"].get("code") or "")
    if term_id in known_terms or session.get(TaxonomyTerm, term_id) is not None:
        known_terms.add(term_id)
        return term_id
    taxonomy_id = None
    if attr["taxonomy_detail"] and attr["taxonomy_detail"][0]:
        taxonomy_id, detail = attr["taxonomy_detail"]
        if session.get(Taxonomy, taxonomy_id) is None:
            session.add(Taxonomy(id=taxonomy_id, name=detail.get("name") or taxonomy_id,
                                 description=detail.get("description"), uri=detail.get("uri"),
                                 version=detail.get("version")))
            session.flush()
    values = dict(attr["term"])
    values["name"] = values.get("name") or values.get("code") or term_id
    parent = attr["parent_id"]
    if parent and (parent in known_terms or session.get(TaxonomyTerm, parent) is not None):
        values["parent_id"] = parent
    session.add(TaxonomyTerm(id=term_id, taxonomy_id=taxonomy_id, **values))
    session.flush()
    w.audit("taxonomy_term", term_id, "create")
    known_terms.add(term_id)
    return term_id


def _sync_attributes(session: Session, w: _Writer, link_entity: str, link_id: str, desired: list[dict]) -> bool:
    """Attributes the import owns (label 'import…') become `desired`; editors' are kept."""
    existing = {a.id: a for a in session.scalars(
        select(Attribute).where(Attribute.link_entity == link_entity, Attribute.link_id == link_id))}
    changed = False
    wanted_ids = set()
    for spec in desired:
        ident = spec["id"]
        if ident in existing and not (existing[ident].label or "").startswith(IMPORT_LABEL):
            continue  # an editor's attribute with the same id: theirs wins
        clash = session.get(Attribute, ident) if ident not in existing else None
        if clash is not None:
            ident = _derived_id(link_entity, link_id, ident)
        wanted_ids.add(ident)
        values = {k: spec[k] for k in ("taxonomy_term_id", "link_type", "value")}
        if ident in existing:
            # The label only says which import made it; our own terms read back from a feed
            # (even our own published one) keep the label they were first given.
            changed |= w.assign(existing[ident], values, "attribute")
        else:
            session.add(Attribute(id=ident, link_id=link_id, link_entity=link_entity, label=spec["label"], **values))
            w.audit("attribute", ident, "create", "taxonomy_term_id", None, spec["taxonomy_term_id"])
            changed = True
    for ident, attr in existing.items():
        if ident not in wanted_ids and (attr.label or "").startswith(IMPORT_LABEL):
            w.audit("attribute", ident, "delete", "taxonomy_term_id", attr.taxonomy_term_id, None)
            session.delete(attr)
            changed = True
    return changed


def _attribute_specs(session: Session, w: _Writer, link_id: str, attrs: list[dict], known: set[str]) -> tuple[list[dict], set[str]]:
    specs, codes = [], set()
    for i, attr in enumerate(attrs):
        term_id = _ensure_term(session, w, attr, known)
        exact = classify.term_code(attr["term_raw"])
        if exact:
            codes.add(exact)
        link_type = attr["link_type"]
        if exact and (not link_type or link_type == "link_type"):
            link_type = term(exact).link_type
        specs.append({"id": attr["id"] or _derived_id(link_id, "attribute", term_id),
                      "taxonomy_term_id": term_id, "link_type": link_type, "value": attr["value"],
                      "label": f"{IMPORT_LABEL}:feed"})
    return specs, codes


def _apply_service(session: Session, w: _Writer, item: ParsedService, source: str, known_terms: set[str],
                   report: ImportReport, org_ids_in_file: set[str]) -> None:
    sid = item.id
    before = w.changes
    w.seen_here = set()
    service = session.get(Service, sid)
    created = service is None
    values = dict(item.values)
    # Organization
    org_id = None
    if item.organization:
        org_id, org_values = item.organization
        w.upsert(Organization, org_id, org_values, "organization")
    elif item.organization_id:
        if item.organization_id in org_ids_in_file or session.get(Organization, item.organization_id):
            org_id = item.organization_id
        else:
            item.notes.append(f"organization_id '{item.organization_id}' is not known; the service "
                              "was imported without an organisation")
    if org_id:
        values["organization_id"] = org_id
    if created:
        values.setdefault("status", "active")
        service = Service(id=sid, **values)
        session.add(service)
        session.flush()
        w.audit("service", sid, "create")
    else:
        w.assign(service, values, "service")
    # Children owned by the service (only collections the record mentions are touched)
    if "phones" in item.present:
        w.sync(Phone, "service_id", sid, item.phones, "phone", sid, scope=Phone.service_at_location_id.is_(None))
    if "schedules" in item.present:
        w.sync(Schedule, "service_id", sid, item.schedules, "schedule", sid,
               scope=Schedule.service_at_location_id.is_(None))
    if "languages" in item.present:
        w.sync(Language, "service_id", sid, item.languages, "language", sid, scope=Language.location_id.is_(None))
    if "cost_options" in item.present:
        w.sync(CostOption, "service_id", sid, item.cost_options, "cost_option", sid)
    if "contacts" in item.present:
        contacts, _ = w.sync(Contact, "service_id", sid, item.contacts, "contact", sid,
                             scope=Contact.service_at_location_id.is_(None))
        session.flush()
        for child, contact in contacts:
            w.sync(Phone, "contact_id", contact.id, child.extra["phones"], "phone", contact.id)
    # Locations
    if "service_at_locations" in item.present:
        sal_children = []
        for n, spec in enumerate(item.locations):
            loc_id = spec.location_id or _derived_id(sid, "location", str(n))
            loc_values = dict(spec.values)
            loc_values.setdefault("location_type", "physical")
            if org_id:
                loc_values["organization_id"] = org_id
            if loc_values.get("latitude") is None:
                point = _point_from_postcode(session, spec.addresses)
                if point:
                    loc_values["latitude"], loc_values["longitude"] = point
                elif loc_values["location_type"] == "physical":
                    item.notes.append(f"location '{loc_id}' has no coordinates and its postcode is not "
                                      "known, so it is not found by distance")
            if loc_id not in w.used.setdefault("location", set()):
                w.upsert(Location, loc_id, loc_values, "location")
                session.flush()
                w.sync(Address, "location_id", loc_id, spec.addresses, "address", loc_id)
                w.sync(Accessibility, "location_id", loc_id, spec.accessibility, "accessibility", loc_id)
                w.sync(Phone, "location_id", loc_id, spec.phones, "phone", loc_id,
                       scope=Phone.service_id.is_(None))
                loc_specs, _ = _attribute_specs(session, w, loc_id, spec.attributes, known_terms)
                _sync_attributes(session, w, "location", loc_id, loc_specs)
                w.used["location"].add(loc_id)
            sal_children.append(Child(spec.sal_id, {**spec.sal_values, "location_id": loc_id}, "service_at_location",
                                      extra={"spec": spec}))
        sals, _ = w.sync(ServiceAtLocation, "service_id", sid, sal_children, "service_at_location", sid)
        session.flush()
        for child, sal in sals:
            spec = child.extra["spec"]
            w.sync(Phone, "service_at_location_id", sal.id, spec.sal_phones, "phone", sal.id,
                   extra_owner={"service_id": sid})
            w.sync(Schedule, "service_at_location_id", sal.id, spec.sal_schedules, "schedule", sal.id,
                   extra_owner={"service_id": sid})
    # Classification
    specs, exact_codes = _attribute_specs(session, w, sid, item.attributes, known_terms)
    if "attributes" not in item.present and not created:
        # Keep the feed attributes we had; only re-derive our own codes.
        specs = [{"id": a.id, "taxonomy_term_id": a.taxonomy_term_id, "link_type": a.link_type,
                  "value": a.value, "label": a.label}
                 for a in session.scalars(select(Attribute).where(
                     Attribute.link_entity == "service", Attribute.link_id == sid,
                     Attribute.label == f"{IMPORT_LABEL}:feed"))]
        exact_codes = {TERMS_BY_ID[s["taxonomy_term_id"]] for s in specs if s["taxonomy_term_id"] in TERMS_BY_ID}
    service_now = service
    result = classify.classify(
        service_now.name,
        [service_now.description, service_now.eligibility_description, service_now.application_process],
        feed_terms=[a["term_raw"] for a in item.attributes] if "attributes" in item.present
        else [{"code": c} for c in exact_codes],
        minimum_age=service_now.minimum_age, maximum_age=service_now.maximum_age,
    )
    linked = {s["taxonomy_term_id"] for s in specs}
    for code, why in sorted(result.codes.items()):
        if term(code).id not in linked:
            specs.append({"id": _derived_id(sid, "waymark", code), "taxonomy_term_id": term(code).id,
                          "link_type": term(code).link_type, "value": None,
                          "label": f"{IMPORT_LABEL}:{'keyword' if 'words' in why or 'age' in why else 'feed'}"})
    _sync_attributes(session, w, "service", sid, specs)
    reviewer = f"import:{source}"
    if result.confident:
        _resolve_reviews(session, "classification", sid, reviewer, w.now, "classified from the feed's terms")
    elif _open_review(session, "classification", sid, f"Check the classification: {result.reason}.",
                      " ".join(sorted(result.codes)) or None, reviewer, w.now):
        report.flagged.append(sid)
    for note in item.notes:
        if _open_review(session, "data", sid, note, None, reviewer, w.now) and sid not in report.flagged:
            report.flagged.append(sid)
    # Bookkeeping
    record = session.get(FeedRecord, (source, sid))
    if record is None:
        session.add(FeedRecord(source=source, service_id=sid, last_seen_at=w.now))
    else:
        record.last_seen_at = w.now
    if created:
        report.created += 1
    elif w.changes > before:
        report.updated += 1
    else:
        report.unchanged += 1
    if w.changes > before and "last_modified" not in item.values:
        service.last_modified = w.now
    session.flush()


TERMS_BY_ID = {t.id: code for code, t in TERMS.items()}


def _point_from_postcode(session: Session, addresses: list[Child]) -> Optional[tuple[float, float]]:
    for address in addresses:
        postcode = address.values.get("postal_code")
        if postcode:
            place = resolve_place(session, postcode)
            if place is not None and place.kind in ("postcode", "district"):
                return place.latitude, place.longitude
    return None


def import_records(
    session: Session,
    records: list,
    source: str,
    who: Optional[str] = None,
    full_feed: bool = False,
    progress: Optional[Callable[[int, int], None]] = None,
    now: Optional[datetime] = None,
) -> ImportReport:
    """Validate all `records`, then write them. Raises FeedError before writing anything if one
    is malformed. The caller owns the transaction (commit on success, roll back on error)."""
    parsed = parse_records(records)
    now = now or timekeeping.now().astimezone(timezone.utc)
    who = who or f"import:{source}"
    writer = _Writer(session, who, now)
    report = ImportReport()
    ensure_taxonomy(session)
    known_terms = set(session.scalars(select(TaxonomyTerm.id)))
    org_ids = {p.organization[0] for p in parsed if p.organization}
    total = len(parsed)
    for done, item in enumerate(parsed, start=1):
        _apply_service(session, writer, item, source, known_terms, report, org_ids)
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)
    if full_feed:
        in_feed = {p.id for p in parsed}
        stmt = (select(Service).join(FeedRecord, FeedRecord.service_id == Service.id)
                .where(FeedRecord.source == source, Service.status.in_(("active", "temporarily closed"))))
        for service in session.scalars(stmt):
            if service.id not in in_feed:
                writer.audit("service", service.id, "retire", "status", service.status, "inactive")
                service.status = "inactive"
                service.last_modified = now
                report.retired += 1
    report.field_changes = writer.changes
    session.flush()
    return report


def import_path(session: Session, path: Path, fmt: str = "oruk", source: Optional[str] = None,
                who: Optional[str] = None, full_feed: bool = False,
                progress: Optional[Callable[[int, int], None]] = None) -> ImportReport:
    path = Path(path)
    records = read_records(path, fmt)
    return import_records(session, records, source or default_source(path), who, full_feed, progress)


def default_source(path: Path) -> str:
    """A feed's name when none is given: the file name without its extension."""
    return f"file:{Path(path).stem}"[:128]


__all__ = ["FeedError", "ImportReport", "import_path", "import_records", "parse_records", "read_records",
           "TAXONOMY_ID"]

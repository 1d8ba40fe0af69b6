"""Importing services from an Open Referral UK (HSDS 3.0) feed or the simple CSV template.

    waymark directory import PATH [--format oruk|csv] [--source NAME] [--full-feed]

Accepted JSON: one fully nested service (the shape of `GET /services/{id}`), a list of them,
or a page object whose `contents` holds them. Fields we do not store are ignored, never fatal.

How an import behaves (real feeds are imported as they come, issue 21):
- **Validate first, then write.** Every record is checked and converted before anything is
  written. A file that is not a feed at all (not JSON, no services, the older HSDS-UK 1.0
  shape) is refused whole (`FeedError`) and nothing is written. The caller runs the import in
  one transaction, so a failure while writing leaves the database exactly as it was too.
- **One record at a time.** A bad field is left out and said so in a review note (kind
  "data"): a web address or email that is not one, a phone number that cannot be one, an age
  or a date that is not one, opening hours that cannot be read. A record whose status is not
  one of HSDS's, or that is otherwise unreadable, is *quarantined*: not imported (a listing
  already there stays as it was), and put in the review queue (kind "quarantine") with the
  reason and the record as sent. A record is *refused* only when it has no id or no name (or
  repeats an id): the summary names it. The summary counts what was imported, quarantined
  and refused.
- **Feeds' conventions.** -1 or empty ages mean no limit; HTML text becomes plain text
  (`feed_normalise`); phone numbers are written the UK way; fields outside the profile
  (`pc_metadata`, camelCase `serviceId`) are ignored, and the summary names them.
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
- **A batch at a time.** Services are written 200 at a time (`_Writer`): what a batch already
  has is loaded in about thirty queries, the batch is written with autoflush off and flushed
  once, and its search rows are rewritten once (`search_index.deferred`). 1,000 real-shaped
  services took 56 s (load 2.8; 98,000 statements, 15,000 flushes) and take about 8 s now
  (load 2.5; ~300 statements): `benchmarks/directory_import.py`, part of `make bench`.
"""
from __future__ import annotations

import json
import re
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Text, Time, insert, select
from sqlalchemy.orm import Session

import timekeeping
from directory import classify, feed_normalise, search_index
from directory.csv_template import read_csv
from directory.feed_errors import FeedError
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
    new_id,
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


class Refused(FeedError):
    """A record that is not a listing at all (no id, no name): refused, the rest imported."""


@dataclass
class Rejected:
    """A record not imported: refused (no id or name) or quarantined for an editor."""

    label: str
    id: Optional[str]
    reason: str
    raw: Any = None

    def __str__(self) -> str:
        return self.reason if self.reason.startswith(self.label) else f"{self.label}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    field_changes: int = 0
    flagged: list[str] = field(default_factory=list)  # service ids with a new review item
    quarantined: list[Rejected] = field(default_factory=list)
    refused: list[Rejected] = field(default_factory=list)
    left_out: int = 0  # fields and child records left out of imported records (each with a note)
    ignored_fields: dict[str, int] = field(default_factory=dict)  # field outside the profile: records

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        text = (f"{self.imported} imported ({self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged), {len(self.quarantined)} quarantined, {len(self.refused)} refused; "
                f"{self.field_changes} field changes recorded")
        if self.retired:
            text += f", {self.retired} missing from the feed marked inactive"
        if self.left_out:
            text += f"; {self.left_out} bad fields left out, each with a review note"
        if self.flagged:
            text += f"; {len(self.flagged)} flagged for review (waymark directory review)"
        return text

    def details(self, limit: int = 20) -> list[str]:
        """Lines for an operator: why each record was refused or quarantined, what was ignored."""
        lines = [f"refused: {r}" for r in self.refused[:limit]]
        if len(self.refused) > limit:
            lines.append(f"refused: ... and {len(self.refused) - limit} more")
        lines += [f"quarantined (waymark directory review --kind quarantine): {q}" for q in self.quarantined[:limit]]
        if len(self.quarantined) > limit:
            lines.append(f"quarantined: ... and {len(self.quarantined) - limit} more")
        if self.ignored_fields:
            top = sorted(self.ignored_fields.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
            lines.append("ignored (not in the profile): " + ", ".join(f"{k} ({n} records)" for k, n in top))
        return lines


# ---------------------------------------------------------------------------------------
# Reading files


def read_records(path: Path, fmt: str = "oruk") -> list[dict]:
    """The service records in a file, as ORUK-shaped dicts (CSV rows are converted)."""
    path = Path(path)
    if fmt == "csv":
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


# Keys only the older HSDS-UK 1.0 (Open Referral UK v1) shape has: its page object is
# Spring's (content, totalElements), its services carry these collections.
V1_PAGE_KEYS = {"content", "totalElements", "totalPages"}
V1_SERVICE_KEYS = {"regular_schedules", "holiday_schedules", "service_taxonomys", "eligibilitys", "fundings",
                   "reviews", "physical_addresses"}
V1_MESSAGE = ("this is an HSDS-UK 1.0 (Open Referral UK version 1) feed; Waymark imports HSDS-UK 3.0 "
              "(ORUK version 3) and HSDS 3.0. Ask the publisher for their version 3 feed (its GET / says "
              "version \"HSDS-UK-3.0\")")


def _is_v1(data: Any) -> bool:
    if isinstance(data, dict) and (V1_PAGE_KEYS <= set(data) or str(data.get("version", "")).strip().upper()
                                   in ("HSDS-UK-1.0", "1.0", "V1")):
        return True
    items = data.get("content") if isinstance(data, dict) and isinstance(data.get("content"), list) else data
    items = items if isinstance(items, list) else [items]
    sample = [r for r in items[:50] if isinstance(r, dict)]
    return bool(sample) and sum(1 for r in sample if V1_SERVICE_KEYS & set(r)) * 2 >= len(sample)


def records_from_json(data: Any) -> list[dict]:
    if _is_v1(data):
        raise FeedError("file", None, V1_MESSAGE)
    if isinstance(data, dict) and "contents" in data:
        data = data["contents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FeedError("file", None, "expected a service object, a list of services or a page with 'contents'")
    if not data:
        raise FeedError("file", None, "holds no services")
    return data


# ---------------------------------------------------------------------------------------
# Validation: turn raw records into checked, typed values before anything is written


def _column_types(model) -> dict[str, Any]:
    return {c.name: c.type for c in model.__table__.columns}


URL_FIELDS = {"url", "website", "uri", "term_uri", "schedule_link"}
EMAIL_FIELDS = {"email", "assurer_email"}


class _Checker:
    def __init__(self, label: str):
        self.label = label
        self.notes: list[str] = []  # what was left out of the record, and why (review notes)
        self.left_out = 0
        self.broken: set[str] = set()  # collections left out whole (the listing keeps its own)

    def fail(self, path: str, message: str):
        raise FeedError(self.label, path, message)

    def leave_out(self, path: str, message: str, what: Optional[str] = None) -> None:
        what = what or path
        self.notes.append(f"{path}: {message}; " + ("it was" if what == path else f"{what} was") + " left out")
        self.left_out += 1

    def keep(self, what: str, parse: Callable, *args) -> Any:
        """A part of the record (a phone, a location...), or None when it cannot be read: then
        it is left out with a note, and the rest of the record is imported."""
        try:
            return parse(*args)
        except Refused:
            raise
        except FeedError as e:
            self.leave_out(e.field_name or what, e.message, what)
            return None

    def each(self, items: list, path: str, parse: Callable) -> list:
        out = []
        for i, raw in enumerate(items):
            item = self.keep(f"{path}[{i}]", parse, self, raw, f"{path}[{i}]")
            if item is not None:
                out.append(item)
        return out

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
            self.leave_out(path, f"expected a list, got {type(value).__name__}")
            self.broken.add(path)
            return []
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
               rename: Optional[dict] = None, strict: bool = False) -> dict:
        """The columns of `model` that `record` mentions (present keys only), converted. HTML
        text becomes plain text; a value that cannot be what its column holds (or a web
        address or email that is not one) is left out with a note."""
        types = _column_types(model)
        out: dict[str, Any] = {}
        for name in names:
            source = (rename or {}).get(name, name)
            if source not in record:
                continue
            value = record[source]
            if isinstance(value, str) and name not in URL_FIELDS and name not in EMAIL_FIELDS:
                value = feed_normalise.html_to_text(value)
            try:
                value = self.convert(value, types[name], f"{path}{source}")
            except FeedError as e:
                if strict:
                    raise
                self.leave_out(e.field_name, e.message)
                continue
            if value is not None and name in URL_FIELDS:
                checked = feed_normalise.web_address(value)
                if checked is None:
                    self.leave_out(f"{path}{source}", f"'{value}' is not a web address")
                    continue
                value = checked
            if value is not None and name in EMAIL_FIELDS:
                checked = feed_normalise.email_address(value)
                if checked is None:
                    self.leave_out(f"{path}{source}", f"'{value}' is not an email address")
                    continue
                value = checked
            out[name] = value
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
    left_out: int = 0
    ignored: list[str] = field(default_factory=list)  # the record's fields outside the profile


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
    written = feed_normalise.phone_number(number)
    if written is None:
        c.fail(f"{path}.number", f"'{number}' is not a phone number")
    values["number"] = written[0]
    if written[1] and not values.get("extension"):
        values["extension"] = written[1][:16]
    values["type"] = (values.get("type") or "voice").lower()
    return Child(c.ident(raw, f"{path}."), values, "phone")


def _schedule(c: _Checker, raw: Any, path: str) -> Child:
    raw = c.obj(raw, path)
    # Strict: hours with one unreadable time are left out whole, never kept half-read (a
    # dated row without opens_at would say "closed all day").
    values = c.fields(Schedule, raw, f"{path}.", SCHEDULE_FIELDS, strict=True)
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


KNOWN_SERVICE_KEYS = set(SERVICE_FIELDS) | {
    "id", "_label", "fees", "organization", "organization_id", "phones", "schedules", "languages", "cost_options",
    "contacts", "attributes", "service_at_locations",
    # HSDS 3.0 / UK profile fields Waymark does not keep (not "unknown": just not stored)
    "service_areas", "funding", "program", "program_id", "required_documents", "capacities", "metadata",
    "wait_time", "licenses", "service_capacities", "organization_identifiers"}
NO_LIMIT = ("", "-1", "-1.0")  # what live feeds write for an age without a limit


def _language(c: _Checker, raw: Any, path: str) -> Child:
    raw = c.obj(raw, path)
    return Child(c.ident(raw, f"{path}."), c.fields(Language, raw, f"{path}.", LANGUAGE_FIELDS), "language")


def _cost_option(c: _Checker, raw: Any, path: str) -> Child:
    raw = c.obj(raw, path)
    values = c.fields(CostOption, raw, f"{path}.", COST_FIELDS)
    if values.get("currency"):
        values["currency"] = values["currency"].upper()[:3]
    return Child(c.ident(raw, f"{path}."), values, "cost_option")


def _contact(c: _Checker, raw: Any, path: str) -> Child:
    raw = c.obj(raw, path)
    phones = c.each(c.array(raw.get("phones"), f"{path}.phones"), f"{path}.phones", _phone)
    return Child(c.ident(raw, f"{path}."), c.fields(Contact, raw, f"{path}.", CONTACT_FIELDS), "contact",
                 extra={"phones": phones})


def _organization(c: _Checker, raw: Any, path: str) -> tuple[str, dict]:
    org = c.obj(raw, path)
    org_id = c.ident(org, f"{path}.", required=True)
    values = c.fields(Organization, org, f"{path}.", ORGANIZATION_FIELDS)
    if not values.get("name"):
        c.fail(f"{path}.name", "is missing")
    return org_id, values


def _address(c: _Checker, a: Any, path: str) -> Child:
    a = c.obj(a, path)
    values = c.fields(Address, a, f"{path}.", [f for f in ADDRESS_FIELDS if f != "country"])
    country = a.get("country")
    if country:
        code = COUNTRY_NAMES.get(str(country).strip().upper(), str(country).strip().upper())
        if len(code) != 2:
            c.leave_out(f"{path}.country", f"'{country}' is not a two-letter country code")
        else:
            values["country"] = code
    if values.get("address_type"):
        values["address_type"] = values["address_type"].lower()
    return Child(c.ident(a, f"{path}."), values, "address")


def _accessibility(c: _Checker, a: Any, path: str) -> Child:
    a = c.obj(a, path)
    return Child(c.ident(a, f"{path}."), c.fields(Accessibility, a, f"{path}.", ACCESSIBILITY_FIELDS),
                 "accessibility")


def _service_at_location(c: _Checker, raw: Any, path: str, notes: list[str]) -> LocationSpec:
    raw = c.obj(raw, path)
    loc_raw = c.obj(raw.get("location"), f"{path}.location")
    loc_values = c.fields(Location, loc_raw, f"{path}.location.", LOCATION_FIELDS)
    if loc_values.get("location_type"):
        loc_values["location_type"] = loc_values["location_type"].lower()
        if loc_values["location_type"] not in LOCATION_TYPES:
            c.leave_out(f"{path}.location.location_type",
                        f"'{loc_values['location_type']}' is not one of {', '.join(LOCATION_TYPES)}")
            del loc_values["location_type"]
    lat, lon = loc_values.get("latitude"), loc_values.get("longitude")
    if (lat is None) != (lon is None):
        c.leave_out(f"{path}.location.latitude", "latitude and longitude must be given together",
                    "the place's coordinates")
        loc_values.pop("latitude", None), loc_values.pop("longitude", None)
        lat = lon = None
    if lat is not None and not (UK_BOUNDS[0] <= lat <= UK_BOUNDS[1] and UK_BOUNDS[2] <= lon <= UK_BOUNDS[3]):
        notes.append(f"{path}.location: coordinates {lat}, {lon} are not in the UK; "
                     "they were left out, so this place is not found by distance")
        loc_values["latitude"] = loc_values["longitude"] = None
    lpath = f"{path}.location"
    return LocationSpec(
        sal_id=c.ident(raw, f"{path}."),
        sal_values=c.fields(ServiceAtLocation, raw, f"{path}.", ("description",)),
        sal_phones=c.each(c.array(raw.get("phones"), f"{path}.phones"), f"{path}.phones", _phone),
        sal_schedules=c.each(c.array(raw.get("schedules"), f"{path}.schedules"), f"{path}.schedules", _schedule),
        location_id=c.ident(loc_raw, f"{lpath}.") if loc_raw else None,
        values=loc_values,
        addresses=c.each(c.array(loc_raw.get("addresses"), f"{lpath}.addresses"), f"{lpath}.addresses", _address),
        accessibility=c.each(c.array(loc_raw.get("accessibility"), f"{lpath}.accessibility"),
                             f"{lpath}.accessibility", _accessibility),
        attributes=c.each(c.array(loc_raw.get("attributes"), f"{lpath}.attributes"), f"{lpath}.attributes",
                          _attribute),
        phones=c.each(c.array(loc_raw.get("phones"), f"{lpath}.phones"), f"{lpath}.phones", _phone),
    )


def parse_record(record: Any, index: int) -> ParsedService:
    """One record, checked. Raises Refused (no id, no name), FeedError for a record to
    quarantine; anything else wrong is left out, with a note in `notes`."""
    label = _label(record, index)
    c = _Checker(label)
    if not isinstance(record, dict):
        raise Refused(label, None, f"expected an object, got {type(record).__name__}")
    try:
        sid = c.ident(record, "", required=True)
    except FeedError as e:
        raise Refused(label, e.field_name, e.message) from None
    raw_name = record.get("name")
    try:
        name = c.convert(feed_normalise.html_to_text(raw_name) if isinstance(raw_name, str) else raw_name,
                         String(255), "name")
    except FeedError as e:
        raise Refused(label, "name", e.message) from None
    if not name:
        raise Refused(label, "name", "is missing")
    record = dict(record)
    for age in ("minimum_age", "maximum_age"):
        if age in record and (record[age] is None or str(record[age]).strip() in NO_LIMIT):
            record[age] = None  # no limit
    values = c.fields(Service, record, "", [f for f in SERVICE_FIELDS if f != "name"])
    values["name"] = name
    if "fees_description" not in values and record.get("fees"):
        fees = c.fields(Service, {"fees_description": record["fees"]}, "", ("fees_description",))
        values.update(fees)
    if "status" in values:
        status = (values["status"] or "active").lower()
        if status not in STATUSES:
            c.fail("status", f"'{values['status']}' is not one of {', '.join(STATUSES)}")
        values["status"] = status
    for age in ("minimum_age", "maximum_age"):
        if values.get(age) is not None and not 0 <= values[age] <= 130:
            c.leave_out(age, f"{values[age]} is not an age")
            del values[age]
    parsed = ParsedService(label=label, id=sid, values=values, present=set())
    org = record.get("organization")
    if org is not None:
        parsed.organization = c.keep("organization", _organization, c, org, "organization")
    if record.get("organization_id") is not None:
        parsed.organization_id = c.keep("organization_id", c.convert, record["organization_id"], String(64),
                                        "organization_id")
    parsed.phones = c.each(c.array(record.get("phones"), "phones"), "phones", _phone)
    parsed.schedules = c.each(c.array(record.get("schedules"), "schedules"), "schedules", _schedule)
    parsed.languages = c.each(c.array(record.get("languages"), "languages"), "languages", _language)
    parsed.cost_options = c.each(c.array(record.get("cost_options"), "cost_options"), "cost_options", _cost_option)
    parsed.contacts = c.each(c.array(record.get("contacts"), "contacts"), "contacts", _contact)
    parsed.attributes = c.each(c.array(record.get("attributes"), "attributes"), "attributes", _attribute)
    sals = c.array(record.get("service_at_locations"), "service_at_locations")
    parsed.locations = c.each(sals, "service_at_locations",
                              lambda c_, raw, path: _service_at_location(c_, raw, path, parsed.notes))
    # Only collections the record mentions (and that could be read) are replaced.
    parsed.present = {k for k in ("phones", "schedules", "languages", "cost_options", "contacts", "attributes",
                                  "service_at_locations") if k in record and k not in c.broken}
    parsed.notes[:0] = c.notes
    parsed.left_out = c.left_out
    parsed.ignored = sorted(k for k in record if k not in KNOWN_SERVICE_KEYS)
    return parsed


def _raw_id(record: Any) -> Optional[str]:
    ident = record.get("id") if isinstance(record, dict) else None
    return str(ident).strip()[:64] if isinstance(ident, (str, int)) and str(ident).strip() else None


def parse_records(records: list) -> tuple[list[ParsedService], list[Rejected], list[Rejected]]:
    """Check every record, before any write: (to import, to quarantine, refused)."""
    parsed, quarantined, refused, seen = [], [], [], {}
    for index, record in enumerate(records):
        try:
            item = parse_record(record, index)
        except Refused as e:
            refused.append(Rejected(e.record, _raw_id(record), str(e)))
            continue
        except FeedError as e:
            quarantined.append(Rejected(e.record, _raw_id(record), str(e), record))
            continue
        if item.id in seen:
            refused.append(Rejected(item.label, None, f"{item.label}, field 'id': '{item.id}' is used twice "
                                                      f"(also by {seen[item.id]})"))
            continue
        seen[item.id] = item.label
        parsed.append(item)
    return parsed, quarantined, refused


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


# Which columns name a child's owner, per table: `_Writer.children` answers "the phones of this
# service" from what it has loaded and written, without a query per service.
OWNER_COLUMNS: dict[Any, tuple[str, ...]] = {
    Phone: ("service_id", "location_id", "contact_id", "service_at_location_id"),
    Schedule: ("service_id", "service_at_location_id"),
    Language: ("service_id",),
    CostOption: ("service_id",),
    Contact: ("service_id", "service_at_location_id"),
    Address: ("location_id",),
    Accessibility: ("location_id",),
    ServiceAtLocation: ("service_id",),
    Attribute: ("link_id",),
    ReviewItem: ("resource_id",),
}
# The rows that point at a row by foreign key: a row this import creates has none in the
# database yet, so asking for them needs no query.
FK_CHILDREN: dict[Any, tuple[tuple[Any, str], ...]] = {
    Service: ((Phone, "service_id"), (Schedule, "service_id"), (Language, "service_id"),
              (CostOption, "service_id"), (Contact, "service_id"), (ServiceAtLocation, "service_id")),
    Location: ((Address, "location_id"), (Accessibility, "location_id"), (Phone, "location_id")),
    Contact: ((Phone, "contact_id"),),
    ServiceAtLocation: ((Phone, "service_at_location_id"), (Schedule, "service_at_location_id"),
                        (Contact, "service_at_location_id")),
}
# Ids per IN (...) list: SQLite before 3.32 took at most 999 parameters a statement, later ones
# 32,766 (PostgreSQL has no such limit for these).
CHUNK = 2000 if sqlite3.sqlite_version_info >= (3, 32) else 900
# What goes with a row the feed no longer has: a place's own phones, hours and contacts, a
# contact's phones. (Before, a service-at-location with phones of its own that left the feed
# failed the whole import on its foreign keys, on every later import of that feed.)
DEPENDENTS: dict[Any, tuple[tuple[Any, str, str], ...]] = {
    ServiceAtLocation: ((Phone, "service_at_location_id", "phone"), (Schedule, "service_at_location_id", "schedule"),
                        (Contact, "service_at_location_id", "contact")),
    Contact: ((Phone, "contact_id", "phone"),),
}


def _chunks(values: Iterable) -> Iterable[list]:
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _key(obj: Any) -> Any:
    return (obj.source, obj.service_id) if isinstance(obj, FeedRecord) else obj.id


class _Writer:
    """Writes one import's rows, and remembers what it loaded and wrote.

    The import runs with autoflush off and flushes once per batch of services, so a query
    would not see rows written since the last flush. The writer answers instead: `get` (a row
    by its key, None when it is known not to exist), `children` (the rows a parent owns) and
    `add`/`delete` keep those answers right, and `preload` fills them for a whole batch in
    about twenty queries. Before (autoflush on, a query per lookup), importing 1,000 services
    ran ~98,000 statements and ~15,000 flushes: 56 s on this machine at load 2.8."""

    def __init__(self, session: Session, who: str, now: datetime):
        self.session, self.who, self.now = session, who, now
        self.changes = 0
        self.used: dict[str, set[str]] = {}  # ids written in this run, per table
        self.seen_here: set[tuple[str, str]] = set()  # (table, feed id) seen in the current service
        self.audit_rows: list[dict] = []
        self.forget()

    def forget(self) -> None:
        """Drop what the writer remembers (after a flush: the database has it all), so memory
        stays bounded however long the feed."""
        self.known: dict[tuple[Any, Any], Any] = {}  # (model, key) -> object, or None: not there
        self.index: dict[tuple[Any, str], dict[Any, dict[Any, Any]]] = {}  # (model, column) -> value -> key -> obj
        self.loaded: dict[tuple[Any, str], set[Any]] = {}  # owners whose rows are all in `index`
        self.removed: set[int] = set()  # id() of objects deleted since the last flush
        self.deleted_keys: set[tuple[Any, Any]] = set()  # (model, key) deleted since the last flush

    # -- lookups --------------------------------------------------------------------------

    def _register(self, obj: Any) -> None:
        model = type(obj)
        self.known[(model, _key(obj))] = obj
        for column in OWNER_COLUMNS.get(model, ()):
            value = getattr(obj, column)
            if value is not None:
                self.index.setdefault((model, column), {}).setdefault(value, {})[_key(obj)] = obj

    def _unindex(self, obj: Any, column: str, value: Any) -> None:
        bucket = self.index.get((type(obj), column), {}).get(value)
        if bucket is not None:
            bucket.pop(_key(obj), None)

    def get(self, model, key: Any) -> Any:
        known = self.known.get((model, key), self)
        if known is not self:
            return known
        obj = self.session.get(model, key)  # the identity map, or one SELECT (no autoflush)
        if obj is not None and id(obj) in self.removed:
            obj = None
        if obj is not None:
            self._register(obj)
        else:
            self.known[(model, key)] = None
        return obj

    def prefetch(self, model, keys: Iterable[Any]) -> None:
        """Load the rows of `model` with these ids (those not known yet) in a few queries."""
        wanted = {k for k in keys if k is not None and (model, k) not in self.known}
        for chunk in _chunks(wanted):
            for obj in self.session.scalars(select(model).where(model.id.in_(chunk))):
                if id(obj) not in self.removed:
                    self._register(obj)
        for k in wanted:
            self.known.setdefault((model, k), None)

    def load_children(self, model, column: str, values: Iterable[Any]) -> None:
        """Load every row of `model` whose `column` is one of `values` (those not loaded yet)."""
        loaded = self.loaded.setdefault((model, column), set())
        wanted = {v for v in values if v is not None} - loaded
        for chunk in _chunks(wanted):
            for obj in self.session.scalars(select(model).where(getattr(model, column).in_(chunk))):
                if id(obj) not in self.removed and (model, _key(obj)) not in self.known:
                    self._register(obj)  # a row already known is indexed as it is now, not as stored
        loaded.update(wanted)

    def children(self, model, column: str, value: Any, scope: Optional[Callable[[Any], bool]] = None) -> list:
        """The rows of `model` whose `column` is `value` now, written or not (and `scope(row)`)."""
        self.load_children(model, column, [value])
        rows = list(self.index.get((model, column), {}).get(value, {}).values())
        return [r for r in rows if scope is None or scope(r)]

    # -- writes ---------------------------------------------------------------------------

    def add(self, obj: Any) -> Any:
        """Add a new row (its key known to be free: `get` said None)."""
        model = type(obj)
        self.session.add(obj)
        self.removed.discard(id(obj))
        self._register(obj)
        if (model, _key(obj)) not in self.deleted_keys:
            for child, column in FK_CHILDREN.get(model, ()):
                self.loaded.setdefault((child, column), set()).add(_key(obj))
        return obj

    def delete(self, obj: Any) -> None:
        self.session.delete(obj)
        self.removed.add(id(obj))
        model = type(obj)
        self.known[(model, _key(obj))] = None
        self.deleted_keys.add((model, _key(obj)))
        for column in OWNER_COLUMNS.get(model, ()):
            self._unindex(obj, column, getattr(obj, column))

    def audit(self, resource_type: str, resource_id: str, action: str,
              field_name: Optional[str] = None, previous: Any = None, new: Any = None) -> None:
        """One row of the audit trail (`metadata`), written with the batch (`write_audit`)."""
        self.audit_rows.append(dict(
            id=new_id(), resource_id=resource_id, resource_type=resource_type, last_action_date=self.now,
            last_action_type=action, field_name=field_name, previous_value=_text(previous),
            replacement_value=_text(new), updated_by=self.who))
        self.changes += 1

    def write_audit(self) -> None:
        """The audit rows noted so far, in one INSERT: nothing reads them during an import, and
        as ORM objects they were half of everything a first import flushed (12,061 of 26,233
        for 1,000 services, ~1.8 s)."""
        if self.audit_rows:
            self.session.execute(insert(Metadata), self.audit_rows)
            self.audit_rows = []

    def assign(self, obj: Any, values: dict, resource_type: str) -> bool:
        changed = False
        owners = OWNER_COLUMNS.get(type(obj), ())
        for name, new in values.items():
            old = getattr(obj, name)
            if _comparable(old) != _comparable(new):
                self.audit(resource_type, obj.id, "update", name, old, new)
                if name in owners:
                    self._unindex(obj, name, old)
                setattr(obj, name, new)
                if name in owners:
                    self._register(obj)
                changed = True
        return changed

    def upsert(self, model, ident: str, values: dict, resource_type: str, **owner) -> tuple[Any, bool]:
        obj = self.get(model, ident)
        if obj is None:
            obj = self.add(model(id=ident, **owner, **values))
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
            existing = self.get(model, ident)
            if ident in used or (existing is not None and getattr(existing, owner_column) != owner_value):
                ident = _derived_id(owner_key, given)
        used.add(ident)
        return ident

    def sync(self, model, owner_column: str, owner_value: str, children: list[Child], resource_type: str,
             owner_key: str, extra_owner: Optional[dict] = None,
             scope: Optional[Callable[[Any], bool]] = None) -> tuple[list[tuple[Child, Any]], bool]:
        """Make the children of one owner exactly `children` (by id), auditing every change.
        `scope(row)` narrows the owner's rows (a service's own phones, not its places')."""
        extra_owner = extra_owner or {}
        existing = {obj.id: obj for obj in self.children(model, owner_column, owner_value, scope)}
        # The ids a child without one of its own gets, looked up in one query.
        self.prefetch(model, [_derived_id(owner_key, resource_type, str(i))
                              for i, child in enumerate(children) if child.given_id is None])
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
                self.remove(obj, resource_type)
                changed = True
        return kept, changed

    def remove(self, obj: Any, resource_type: str) -> None:
        """Delete a row the feed no longer has, with the rows that belong to it (DEPENDENTS),
        each with a "delete" audit row."""
        for model, column, kind in DEPENDENTS.get(type(obj), ()):
            for child in self.children(model, column, obj.id):
                self.remove(child, kind)
        self.audit(resource_type, obj.id, "delete")
        self.delete(obj)

    # -- a batch ----------------------------------------------------------------------------

    def preload(self, items: list["ParsedService"], source: str, extra_reviews: Iterable[str] = ()) -> None:
        """Everything these services' import will look at, in a few queries per table: the
        services, organisations and places by id, the rows they own, their review items and
        feed records, and the ids the feed gives its children."""
        sids = [p.id for p in items]
        location_ids, given = set(), {}
        for p in items:
            for n, spec in enumerate(p.locations):
                location_ids.add(spec.location_id or _derived_id(p.id, "location", str(n)))
        for p in items:
            children = [(Phone, p.phones), (Schedule, p.schedules), (Language, p.languages),
                        (CostOption, p.cost_options), (Contact, p.contacts)]
            children += [(Phone, c.extra["phones"]) for c in p.contacts]
            for spec in p.locations:
                children += [(Phone, spec.sal_phones), (Schedule, spec.sal_schedules), (Address, spec.addresses),
                             (Accessibility, spec.accessibility), (Phone, spec.phones),
                             (ServiceAtLocation, [Child(spec.sal_id, {}, "service_at_location")])]
                given.setdefault(Attribute, set()).update(a["id"] for a in spec.attributes)
            given.setdefault(Attribute, set()).update(a["id"] for a in p.attributes)
            # The ids of Waymark's own classification attributes (see _apply_service).
            given[Attribute].update(_derived_id(p.id, "waymark", code) for code in TERMS)
            for model, rows in children:
                given.setdefault(model, set()).update(c.given_id for c in rows)
        self.prefetch(Service, sids)
        self.prefetch(Organization, {p.organization[0] for p in items if p.organization}
                      | {p.organization_id for p in items if p.organization_id})
        self.prefetch(Location, location_ids)
        for model, ids in given.items():
            self.prefetch(model, ids)
        for model in (Phone, Schedule, Language, CostOption, Contact, ServiceAtLocation):
            self.load_children(model, "service_id", sids)
        for model in (Address, Accessibility, Phone):
            self.load_children(model, "location_id", location_ids)
        self.load_children(Attribute, "link_id", set(sids) | location_ids)
        contacts = [k for (model, k), obj in self.known.items() if model is Contact and obj is not None]
        self.load_children(Phone, "contact_id", contacts)
        places = [k for (model, k), obj in self.known.items() if model is ServiceAtLocation and obj is not None]
        self.load_children(Phone, "service_at_location_id", places)
        self.load_children(Schedule, "service_at_location_id", places)
        self.load_children(Contact, "service_at_location_id", places)
        self.load_children(ReviewItem, "resource_id", set(sids) | set(extra_reviews))
        for chunk in _chunks(sids):
            for record in self.session.scalars(select(FeedRecord).where(FeedRecord.source == source,
                                                                        FeedRecord.service_id.in_(chunk))):
                self._register(record)
        for sid in sids:
            self.known.setdefault((FeedRecord, (source, sid)), None)


def _open_review(w: _Writer, kind: str, service_id: str, detail: str, suggested: Optional[str],
                 who: str, now: datetime) -> bool:
    """File a review item unless the same one was filed before (open or already resolved)."""
    for item in w.children(ReviewItem, "resource_id", service_id, lambda r: r.kind == kind):
        if kind == "classification" and item.status == "open" and item.created_by == who:
            # One open classification question per service, kept up to date.
            if item.detail != detail or item.suggested != suggested:
                item.detail, item.suggested = detail, suggested
            return False
        if (item.suggested or "") == (suggested or "") and item.detail == detail:
            return False  # an editor already looked at exactly this
    w.add(ReviewItem(id=new_id(), kind=kind, resource_type="service", resource_id=service_id, detail=detail,
                     suggested=suggested, status="open", created_at=now, created_by=who))
    return True


def _resolve_reviews(w: _Writer, kind: str, service_id: str, who: str, now: datetime, why: str) -> None:
    for item in w.children(ReviewItem, "resource_id", service_id,
                           lambda r: r.kind == kind and r.status == "open" and r.created_by == who):
        item.status, item.resolved_at, item.resolved_by, item.resolution = "resolved", now, who, why


def _ensure_term(session: Session, w: _Writer, attr: dict, known_terms: set[str]) -> Optional[str]:
    """The taxonomy_term id an attribute links to, creating the feed's term if it is new."""
    exact = classify.term_code(attr["term_raw"])
    if exact:
        return term(exact).id
    term_id = attr["term_id"] or _derived_id("term", attr["term"].get("code") or "")
    if term_id in known_terms or w.get(TaxonomyTerm, term_id) is not None:
        known_terms.add(term_id)
        return term_id
    taxonomy_id = None
    if attr["taxonomy_detail"] and attr["taxonomy_detail"][0]:
        taxonomy_id, detail = attr["taxonomy_detail"]
        if w.get(Taxonomy, taxonomy_id) is None:
            w.add(Taxonomy(id=taxonomy_id, name=detail.get("name") or taxonomy_id,
                           description=detail.get("description"), uri=detail.get("uri"),
                           version=detail.get("version")))
    values = dict(attr["term"])
    values["name"] = values.get("name") or values.get("code") or term_id
    parent = attr["parent_id"]
    if parent and (parent in known_terms or w.get(TaxonomyTerm, parent) is not None):
        values["parent_id"] = parent
    w.add(TaxonomyTerm(id=term_id, taxonomy_id=taxonomy_id, **values))
    w.audit("taxonomy_term", term_id, "create")
    known_terms.add(term_id)
    return term_id


def _sync_attributes(session: Session, w: _Writer, link_entity: str, link_id: str, desired: list[dict]) -> bool:
    """Attributes the import owns (label 'import…') become `desired`; editors' are kept."""
    existing = {a.id: a for a in w.children(Attribute, "link_id", link_id, lambda a: a.link_entity == link_entity)}
    w.prefetch(Attribute, [spec["id"] for spec in desired if spec["id"] not in existing])
    changed = False
    wanted_ids = set()
    for spec in desired:
        ident = spec["id"]
        if ident in existing and not (existing[ident].label or "").startswith(IMPORT_LABEL):
            continue  # an editor's attribute with the same id: theirs wins
        clash = w.get(Attribute, ident) if ident not in existing else None
        if clash is not None:
            ident = _derived_id(link_entity, link_id, ident)
        wanted_ids.add(ident)
        values = {k: spec[k] for k in ("taxonomy_term_id", "link_type", "value")}
        if ident in existing:
            # The label only says which import made it; our own terms read back from a feed
            # (even our own published one) keep the label they were first given.
            changed |= w.assign(existing[ident], values, "attribute")
        else:
            w.add(Attribute(id=ident, link_id=link_id, link_entity=link_entity, label=spec["label"], **values))
            w.audit("attribute", ident, "create", "taxonomy_term_id", None, spec["taxonomy_term_id"])
            changed = True
    for ident, attr in existing.items():
        if ident not in wanted_ids and (attr.label or "").startswith(IMPORT_LABEL):
            w.audit("attribute", ident, "delete", "taxonomy_term_id", attr.taxonomy_term_id, None)
            w.delete(attr)
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
    """Write one service and everything it owns. Nothing is flushed here: the import flushes
    a batch at a time, and the writer (`w`) answers every lookup meanwhile."""
    sid = item.id
    before = w.changes
    w.seen_here = set()
    service = w.get(Service, sid)
    created = service is None
    values = dict(item.values)
    # Organization
    org_id = None
    if item.organization:
        org_id, org_values = item.organization
        w.upsert(Organization, org_id, org_values, "organization")
    elif item.organization_id:
        if item.organization_id in org_ids_in_file or w.get(Organization, item.organization_id):
            org_id = item.organization_id
        else:
            item.notes.append(f"organization_id '{item.organization_id}' is not known; the service "
                              "was imported without an organisation")
    if org_id:
        values["organization_id"] = org_id
    if created:
        values.setdefault("status", "active")
        service = w.add(Service(id=sid, **values))
        w.audit("service", sid, "create")
    else:
        w.assign(service, values, "service")
    # Children owned by the service (only collections the record mentions are touched)
    if "phones" in item.present:
        w.sync(Phone, "service_id", sid, item.phones, "phone", sid, scope=lambda p: p.service_at_location_id is None)
    if "schedules" in item.present:
        w.sync(Schedule, "service_id", sid, item.schedules, "schedule", sid,
               scope=lambda s: s.service_at_location_id is None)
    if "languages" in item.present:
        w.sync(Language, "service_id", sid, item.languages, "language", sid, scope=lambda x: x.location_id is None)
    if "cost_options" in item.present:
        w.sync(CostOption, "service_id", sid, item.cost_options, "cost_option", sid)
    if "contacts" in item.present:
        contacts, _ = w.sync(Contact, "service_id", sid, item.contacts, "contact", sid,
                             scope=lambda c: c.service_at_location_id is None)
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
                w.sync(Address, "location_id", loc_id, spec.addresses, "address", loc_id)
                w.sync(Accessibility, "location_id", loc_id, spec.accessibility, "accessibility", loc_id)
                w.sync(Phone, "location_id", loc_id, spec.phones, "phone", loc_id, scope=lambda p: p.service_id is None)
                loc_specs, _ = _attribute_specs(session, w, loc_id, spec.attributes, known_terms)
                _sync_attributes(session, w, "location", loc_id, loc_specs)
                w.used["location"].add(loc_id)
            sal_children.append(Child(spec.sal_id, {**spec.sal_values, "location_id": loc_id}, "service_at_location",
                                      extra={"spec": spec}))
        sals, _ = w.sync(ServiceAtLocation, "service_id", sid, sal_children, "service_at_location", sid)
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
                 for a in w.children(Attribute, "link_id", sid, lambda a: a.link_entity == "service"
                                     and a.label == f"{IMPORT_LABEL}:feed")]
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
    _resolve_reviews(w, "quarantine", sid, reviewer, w.now, "imported from a later copy of the feed")
    if result.confident:
        _resolve_reviews(w, "classification", sid, reviewer, w.now, "classified from the feed's terms")
    elif _open_review(w, "classification", sid, f"Check the classification: {result.reason}.",
                      " ".join(sorted(result.codes)) or None, reviewer, w.now):
        report.flagged.append(sid)
    for note in item.notes:
        if _open_review(w, "data", sid, note, None, reviewer, w.now) and sid not in report.flagged:
            report.flagged.append(sid)
    # Bookkeeping
    record = w.get(FeedRecord, (source, sid))
    if record is None:
        w.add(FeedRecord(source=source, service_id=sid, last_seen_at=w.now))
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


TERMS_BY_ID = {t.id: code for code, t in TERMS.items()}


def _point_from_postcode(session: Session, addresses: list[Child]) -> Optional[tuple[float, float]]:
    for address in addresses:
        postcode = address.values.get("postal_code")
        if postcode:
            place = resolve_place(session, postcode)
            if place is not None and place.kind in ("postcode", "district"):
                return place.latitude, place.longitude
    return None


BATCH = 200  # services written per flush (and per progress report)


def import_records(
    session: Session,
    records: list,
    source: str,
    who: Optional[str] = None,
    full_feed: bool = False,
    progress: Optional[Callable[[int, int], None]] = None,
    now: Optional[datetime] = None,
    batch: int = BATCH,
) -> ImportReport:
    """Check all `records`, then write them: each record is imported (bad fields left out, with
    notes), quarantined or refused (see the module's docstring). Raises FeedError, before
    writing anything, when no record at all can be imported. The caller owns the transaction
    (commit on success, roll back on error).

    Writing goes `batch` services at a time: what the batch already has in the database is
    loaded in a few queries, the services are written with autoflush off, then one flush
    writes the batch and the search rows of the services it changed are rewritten once
    (search_index.deferred). 1,000 real-shaped services (tests/oruk_feeds.py): 56 s before,
    8 s after on this 2-core machine (benchmarks/directory_import.py). The result is the same
    whatever the batch size (tests/test_directory_import_batches.py). `progress(done, total)`
    is called after each batch."""
    if not records:
        raise FeedError("file", None, "holds no services")
    parsed, quarantined, refused = parse_records(records)
    if not parsed and not quarantined:
        reasons = "; ".join(str(r) for r in refused[:3])
        raise FeedError("file", None, f"none of its {len(records)} records has an id and a name, so it is not "
                                      f"a feed of services ({reasons})")
    now = now or timekeeping.now().astimezone(timezone.utc)
    who = who or f"import:{source}"
    writer = _Writer(session, who, now)
    report = ImportReport(quarantined=quarantined, refused=refused)
    for item in parsed:
        report.left_out += item.left_out
        for name in item.ignored:
            report.ignored_fields[name] = report.ignored_fields.get(name, 0) + 1
    ensure_taxonomy(session)
    reviewer = f"import:{source}"
    known_terms = set(session.scalars(select(TaxonomyTerm.id)))
    org_ids = {p.organization[0] for p in parsed if p.organization}
    total = len(parsed)
    with search_index.deferred(session), session.no_autoflush:
        writer.load_children(ReviewItem, "resource_id", [q.id or q.label[:64] for q in quarantined])
        for q in quarantined:
            _open_review(writer, "quarantine", q.id or q.label[:64], f"Not imported: {q}", _as_sent(q.raw),
                         reviewer, now)
        for start in range(0, total, max(1, batch)):
            items = parsed[start:start + max(1, batch)]
            writer.preload(items, source)
            for item in items:
                _apply_service(session, writer, item, source, known_terms, report, org_ids)
            writer.write_audit()
            search_index.refresh_deferred(session)  # flushes the batch, then its search rows
            writer.forget()
            if progress:
                progress(start + len(items), total)
        if full_feed:
            # A record quarantined or refused is still in the feed: its listing is not retired.
            in_feed = {p.id for p in parsed} | {r.id for r in quarantined + refused if r.id}
            stmt = (select(Service).join(FeedRecord, FeedRecord.service_id == Service.id)
                    .where(FeedRecord.source == source, Service.status.in_(("active", "temporarily closed"))))
            for service in session.scalars(stmt).all():
                if service.id not in in_feed:
                    writer.audit("service", service.id, "retire", "status", service.status, "inactive")
                    service.status = "inactive"
                    service.last_modified = now
                    report.retired += 1
        writer.write_audit()
    report.field_changes = writer.changes
    session.flush()
    return report


def _as_sent(raw: Any, limit: int = 20000) -> str:
    """A quarantined record as the feed sent it, for the editor (cut to `limit` characters)."""
    text = json.dumps(raw, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + " ..."


def import_path(session: Session, path: Path, fmt: str = "oruk", source: Optional[str] = None,
                who: Optional[str] = None, full_feed: bool = False,
                progress: Optional[Callable[[int, int], None]] = None) -> ImportReport:
    path = Path(path)
    records = read_records(path, fmt)
    return import_records(session, records, source or default_source(path), who, full_feed, progress)


def default_source(path: Path) -> str:
    """A feed's name when none is given: the file name without its extension."""
    return f"file:{Path(path).stem}"[:128]


__all__ = ["FeedError", "ImportReport", "Refused", "Rejected", "import_path", "import_records", "parse_records", "read_records",
           "TAXONOMY_ID"]

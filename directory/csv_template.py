"""The spreadsheet template for small agencies: one row per service at a location.

Rows are turned into ORUK-shaped records and imported exactly like a feed
(`directory/oruk_import.py`), so validation, audit, classification and review all apply.
A service with two sites has two rows with the same `service_id`; the service's own columns
are read from its first row. The columns are documented in README.md ("Importing services")
and shown in `directory/sample_data/import_template.csv`.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from directory.feed_errors import FeedError
from directory.taxonomy import TERMS

COLUMNS = [
    "service_id", "service_name", "organization_id", "organization_name", "description",
    "status", "needs", "substances", "audiences", "access", "features", "eligibility",
    "minimum_age", "maximum_age", "application_process", "referral_include", "phone",
    "text_number", "email", "website", "location_id", "location_name", "address_1",
    "address_2", "city", "postcode", "latitude", "longitude", "confidential_address", "hours",
    "assured_date", "assurer_email", "contact_name", "contact_email", "alert",
]
REQUIRED = ("service_id", "service_name")
CODE_COLUMNS = {"needs": "need", "substances": "substance", "audiences": "audience",
                "access": "access", "features": "feature"}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
HOURS_PART = re.compile(
    r"^(?P<days>[A-Za-z]{2}(?:\s*[-,]\s*[A-Za-z]{2})*)\s+(?P<opens>\d{1,2}:\d\d)\s*-\s*(?P<closes>\d{1,2}:\d\d)$")
YES = ("yes", "y", "true", "1")


def _error(row: int, sid: str, column: str, message: str):
    return FeedError(f"row {row}" + (f" (service '{sid}')" if sid else ""), column, message)


def parse_hours(text: str, row: int, sid: str) -> list[dict]:
    """'MO-FR 09:00-17:00; SA 10:00-13:00' or '24/7' -> HSDS weekly schedules."""
    text = (text or "").strip()
    if not text:
        return []
    if text.lower() in ("24/7", "24 hours", "always"):
        return [{"freq": "WEEKLY", "byday": ",".join(DAYS), "opens_at": "00:00", "closes_at": "00:00",
                 "description": "Open 24 hours, every day"}]
    schedules = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = HOURS_PART.match(part)
        if not match:
            raise _error(row, sid, "hours", f"'{part}' is not like 'MO-FR 09:00-17:00' (parts separated by ';')")
        days: list[str] = []
        for piece in re.split(r"\s*,\s*", match["days"].upper()):
            ends = [d.strip() for d in piece.split("-")]
            if any(d not in DAYS for d in ends):
                raise _error(row, sid, "hours", f"'{piece}' is not a day code (MO TU WE TH FR SA SU)")
            if len(ends) == 2:
                start, stop = DAYS.index(ends[0]), DAYS.index(ends[1])
                days.extend(DAYS[start:stop + 1] if start <= stop else DAYS[start:] + DAYS[:stop + 1])
            else:
                days.append(ends[0])
        schedules.append({"freq": "WEEKLY", "byday": ",".join(dict.fromkeys(days)),
                          "opens_at": match["opens"], "closes_at": match["closes"]})
    return schedules


def _codes(row: dict, line: int, sid: str) -> list[str]:
    codes = []
    for column, prefix in CODE_COLUMNS.items():
        for raw in re.split(r"[;,]", row.get(column) or ""):
            code = raw.strip().lower().replace(" ", "-")
            if not code:
                continue
            full = code if code.startswith(f"{prefix}:") else f"{prefix}:{code}"
            if full not in TERMS:
                known = ", ".join(c.split(":", 1)[1] for c in TERMS if c.startswith(prefix + ":"))
                raise _error(line, sid, column, f"'{raw.strip()}' is not one of: {known}")
            codes.append(full)
    return codes


def _term(code: str, value: str | None = None, ident: str | None = None) -> dict:
    attribute = {"taxonomy_term": {"id": f"waymark:{code}", "code": code, "name": TERMS[code].name},
                 "link_type": TERMS[code].link_type}
    if value:
        attribute["value"] = value
    if ident:
        attribute["id"] = ident
    return attribute


def read_csv(path: Path) -> list[dict]:
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    try:
        fieldnames, rows = reader.fieldnames, list(reader)
    except csv.Error as e:  # a NUL byte, a field past csv's size limit, ...
        raise _error(reader.line_num, "", "file", f"cannot be read as CSV ({e})") from None
    header = [h.strip() for h in (fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise _error(1, "", missing[0], f"the header has no '{missing[0]}' column (expected columns: "
                     f"{', '.join(COLUMNS)})")
    records: dict[str, dict] = {}
    for line, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        sid = row.get("service_id", "")
        for column in REQUIRED:
            if not row.get(column):
                raise _error(line, sid, column, "is empty")
        record = records.get(sid)
        if record is None:
            record = _service(row, line, sid)
            records[sid] = record
        record["service_at_locations"].extend(_location(row, line, sid, len(record["service_at_locations"])))
    return list(records.values())


def _service(row: dict, line: int, sid: str) -> dict:
    record: dict = {
        "_label": f"row {line} (service '{sid}')",
        "id": sid,
        "name": row["service_name"],
        "description": row.get("description") or None,
        "eligibility_description": row.get("eligibility") or None,
        "application_process": row.get("application_process") or None,
        "minimum_age": row.get("minimum_age") or None,
        "maximum_age": row.get("maximum_age") or None,
        "email": row.get("email") or None,
        "url": row.get("website") or None,
        "alert": row.get("alert") or None,
        "assured_date": row.get("assured_date") or None,
        "assurer_email": row.get("assurer_email") or None,
        "phones": [],
        "schedules": parse_hours(row.get("hours", ""), line, sid),
        "contacts": [],
        "service_at_locations": [],
    }
    if row.get("status"):
        record["status"] = row["status"].lower()
    if row.get("organization_name") or row.get("organization_id"):
        if not row.get("organization_name"):
            raise _error(line, sid, "organization_name", "is empty while organization_id is given")
        record["organization"] = {"id": row.get("organization_id") or f"{sid}-organization",
                                  "name": row["organization_name"]}
    if row.get("phone"):
        record["phones"].append({"id": f"{sid}-phone", "number": row["phone"], "type": "voice"})
    if row.get("text_number"):
        record["phones"].append({"id": f"{sid}-text", "number": row["text_number"], "type": "text"})
    if row.get("contact_name") or row.get("contact_email"):
        record["contacts"].append({"id": f"{sid}-contact", "name": row.get("contact_name") or None,
                                   "email": row.get("contact_email") or None})
    codes = _codes(row, line, sid)
    attributes = [_term(code) for code in dict.fromkeys(codes)]
    if row.get("referral_include"):
        attributes.append(_term("feature:referral-include", row["referral_include"], f"{sid}-referral-include"))
    record["attributes"] = attributes  # always: the sheet is the whole truth about its codes
    return record


def _location(row: dict, line: int, sid: str, index: int) -> list[dict]:
    if not any(row.get(c) for c in ("address_1", "postcode", "latitude", "longitude", "location_id")):
        return []
    if bool(row.get("latitude")) != bool(row.get("longitude")):
        raise _error(line, sid, "latitude" if not row.get("latitude") else "longitude",
                     "give both latitude and longitude, or neither (the postcode is then used)")
    for column in ("latitude", "longitude"):
        if row.get(column):
            try:
                float(row[column])
            except ValueError:
                raise _error(line, sid, column, f"'{row[column]}' is not a number") from None
    confidential = (row.get("confidential_address") or "").lower()
    if confidential and confidential not in YES + ("no", "n", "false", "0"):
        raise _error(line, sid, "confidential_address", f"'{row['confidential_address']}' is not yes or no")
    loc_id = row.get("location_id") or f"{sid}-location-{index + 1}"
    location: dict = {
        "id": loc_id,
        "location_type": "physical",
        "name": row.get("location_name") or row["service_name"],
        "addresses": [{
            "id": f"{loc_id}-address",
            "address_1": row.get("address_1") or None,
            "address_2": row.get("address_2") or None,
            "city": row.get("city") or None,
            "postal_code": row.get("postcode") or None,
            "country": "GB",
            "address_type": "physical",
        }],
    }
    if row.get("latitude"):
        location["latitude"], location["longitude"] = row["latitude"], row["longitude"]
    if confidential in YES:
        location["attributes"] = [_term("feature:confidential-address", ident=f"{loc_id}-confidential")]
    return [{"id": f"{sid}-at-{loc_id}"[:64], "location": location}]

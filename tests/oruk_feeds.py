"""Feeds shaped like councils' live ORUK v3 feeds (issue 21), generated for tests: HTML
descriptions with entities, scripts and lists; -1 and empty ages; extension fields
(`pc_metadata`, `pc_targetAudience`) and camelCase keys (`serviceId`); phone numbers written
every way; web addresses without a scheme; and a few records broken the ways real ones are
(no name, an unknown status, a bad email, a phone "tbc", hours "9am", no location at all).

`council_feed(n)` returns (the page object, what a correct import should make of it).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

NAMESPACE = uuid.UUID("21f00d21-0000-4000-8000-000000000021")
SCRIPT = "<script>window.tracker('service-view')</script><style>p { color: red }</style>"


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(map(str, parts))))


@dataclass
class Expected:
    ids: list[str] = field(default_factory=list)  # every record's id (or None)
    refused: list[int] = field(default_factory=list)  # record numbers (1-based)
    quarantined: list[str] = field(default_factory=list)  # ids
    no_limit_ages: list[str] = field(default_factory=list)  # ids whose ages were -1 or empty
    bad_email: list[str] = field(default_factory=list)
    bad_url: list[str] = field(default_factory=list)
    schemeless_url: list[str] = field(default_factory=list)
    bad_phone: list[str] = field(default_factory=list)
    bad_hours: list[str] = field(default_factory=list)
    no_location: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.ids) - len(self.refused) - len(self.quarantined)


PHONES = ["0117 922 {n:04d}", "+44 117 922 {n:04d}", "01179 22{n:04d}", "(0117) 922{n:04d}", "0044 117 922 {n:04d}",
          "07700 900{n:03d}"]


def service(i: int, expected: Expected) -> dict:
    sid = _id("service", i)
    org = _id("organization", i % 40)
    record = {
        "id": sid,
        "serviceId": str(1000 + i),
        "name": f"Bristol Community Support {i}",
        "description": (f"<h1>About Us</h1>\n\n<p>Project {i} works with young people &amp; families in "
                        f"Bristol&nbsp;&ndash; drug, alcohol and housing advice.</p>\n<ul><li>Drop-in on "
                        f"Mondays</li><li>Text or call us</li></ul>{SCRIPT if i % 3 == 0 else ''}"),
        "status": "active",
        "email": f"help{i}@example.org",
        "url": f"https://www.example.org/services/{i}",
        "minimum_age": 16,
        "maximum_age": 25,
        "pc_metadata": {"lastReviewed": "2026-01-01", "source": "Bristol ORUK", "flags": [i]},
        "pc_targetAudience": "Young people" if i % 2 else "Adults",
        "organization": {"id": org, "name": f"Bristol Charity {i % 40}",
                         "description": "<p>A registered charity &#8211; since 1987.</p>",
                         "pc_orgType": "charity"},
        "phones": [{"id": _id("phone", i), "number": PHONES[i % len(PHONES)].format(n=i % 1000)}],
        "schedules": [{"id": _id("schedule", i), "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
                       "opens_at": "09:00", "closes_at": "17:00"}],
        "service_at_locations": [{
            "id": _id("sal", i),
            "location": {"id": _id("location", i), "location_type": "physical", "name": f"Centre {i}",
                         "latitude": 51.45 + (i % 50) / 1000, "longitude": -2.59 - (i % 30) / 1000,
                         "addresses": [{"id": _id("address", i), "address_1": f"{i} Stokes Croft",
                                        "city": "Bristol", "state_province": "Bristol",
                                        "postal_code": "BS1 3QY", "country": "GB"}]},
        }],
        "attributes": [{"id": _id("attribute", i),
                        "taxonomy_term": {"id": _id("term", i % 5), "name": ["Housing", "Alcohol", "Drugs",
                                                                            "Families", "Advice"][i % 5],
                                          "taxonomy": "Bristol categories"}}],
    }
    expected.ids.append(sid)
    if i % 4 == 0:  # "no limit", as live feeds write it
        record["minimum_age"], record["maximum_age"] = -1, (-1 if i % 8 == 0 else "")
        expected.no_limit_ages.append(sid)
    if i % 7 == 3:
        record["email"] = f"help{i} at example dot org"
        expected.bad_email.append(sid)
    if i % 11 == 5:
        record["url"] = "http//www.example.org/broken"
        expected.bad_url.append(sid)
    elif i % 11 == 6:
        record["url"] = f"www.example.org/plain/{i}"
        expected.schemeless_url.append(sid)
    if i % 13 == 7:
        record["phones"].append({"id": _id("phone-tbc", i), "number": "tbc"})
        expected.bad_phone.append(sid)
    if i % 17 == 9:
        record["schedules"].append({"id": _id("schedule-bad", i), "byday": "SA", "opens_at": "9am",
                                    "closes_at": "noon"})
        expected.bad_hours.append(sid)
    if i % 5 == 2:
        del record["service_at_locations"]
        expected.no_location.append(sid)
    if i % 50 == 49:  # a name left empty
        record["name"] = "  "
        expected.refused.append(i + 1)
    elif i % 97 == 96:  # a status the standard does not have
        record["status"] = "open"
        expected.quarantined.append(sid)
    return record


def council_feed(n: int = 300) -> tuple[dict, Expected]:
    expected = Expected()
    contents = [service(i, expected) for i in range(n)]
    page = {"total_items": n, "total_pages": 1, "page_number": 1, "size": n, "first_page": True,
            "last_page": True, "empty": False, "contents": contents}
    return page, expected


def reshuffled(page: dict) -> list[dict]:
    """The same council's feed a month later, changed in every way an update can change one:
    services renamed, closed or gone; phones dropped, added, and one id given to two services;
    a place moved to the service next to it (so two services share it, within one batch and
    across batches); a place's coordinates and address changed, another made confidential;
    contacts with their own phones; hours at a place; attributes dropped (the feed's terms
    are then kept) or emptied; a service's places all removed. For tests that compare two ways
    of importing it (tests/test_directory_import_batches.py)."""
    import copy

    records = copy.deepcopy(page["contents"])
    out = []
    for i, record in enumerate(records):
        if i % 23 == 22:
            continue  # gone from the feed
        if i % 6 == 1 and record["name"].strip():
            record["name"] += " (new name)"
            record["description"] = "<p>Now also <b>alcohol</b> treatment &amp; needle exchange.</p>"
        if i % 9 == 4:
            record["status"] = "inactive"
        if i % 8 == 3:
            record["phones"] = []
        elif i % 8 == 5:
            record["phones"].append({"id": _id("phone-extra", i), "number": "0161 496 0" + f"{i % 1000:03d}",
                                     "type": "text"})
        if i % 15 == 7:
            record["phones"].append({"id": _id("phone", i - 1), "number": "0113 496 0500"})  # another's id
        if i % 10 == 2:
            record["contacts"] = [{"id": _id("contact", i), "name": f"Duty worker {i}", "email": f"duty{i}@example.org",
                                   "phones": [{"id": _id("contact-phone", i), "number": "020 7946 0" + f"{i:03d}"[-3:]}]}]
        sals = record.get("service_at_locations")
        if sals:
            location = sals[0]["location"]
            if i % 7 == 0 and i + 1 < len(records) and records[i + 1].get("service_at_locations"):
                sals[0]["location"] = copy.deepcopy(records[i + 1]["service_at_locations"][0]["location"])
            elif i % 7 == 1:
                location["latitude"] += 0.01
                location["addresses"][0]["address_1"] = f"{i} Gloucester Road"
            elif i % 7 == 2:
                location["attributes"] = [{"id": _id("confidential", i),
                                           "taxonomy_term": {"code": "feature:confidential-address",
                                                             "name": "Confidential address"}}]
            elif i % 7 == 3:
                sals[0]["schedules"] = [{"id": _id("sal-hours", i), "freq": "WEEKLY", "byday": "SA",
                                         "opens_at": "10:00", "closes_at": "13:00"}]
                sals[0]["phones"] = [{"id": _id("sal-phone", i), "number": "0117 496 0" + f"{i % 1000:03d}"}]
            elif i % 7 == 4:
                record["service_at_locations"] = []
        if i % 11 == 8:
            del record["attributes"]
        elif i % 11 == 9:
            record["attributes"] = []
        out.append(record)
    return out

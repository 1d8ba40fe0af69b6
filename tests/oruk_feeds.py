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

"""The /oruk feed walked the way Open Referral UK's official validator walks it (issue 21):
`GET /`, then every path of the UK profile's openapi.json; on each paged list the first, a
middle and the last page; every id listed there fetched on its `/{id}` endpoint; every body
validated against the profile's schemas (and HSDS 3.0's, where HSDS has the path), read in
place from ../shared/data/oruk-uk-profile with every $ref resolved locally.

Formats are checked as a validator does for uri, email and date-time (a relative openapi_url
once failed). `uuid` is not: Waymark's ids are readable slugs ("sample-leeds-recovery-hub"),
which the official validator accepted when issue 21 was measured.
"""
from __future__ import annotations

import json
import math
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker, RefResolver
from sqlalchemy import select

from directory.db import session_scope
from directory.models import Address, Attribute, Location, Schedule, Service, ServiceAtLocation
from support import ROOT, running_in_ci

PROFILE_DIR = ROOT.parent / "shared" / "data" / "oruk-uk-profile"
PROFILE_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
HSDS_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
CONFIDENTIAL = "waymark:feature:confidential-address"

FORMATS = FormatChecker(formats=())


def _no_fetching(url: str):
    raise AssertionError(f"a $ref to {url} has no local file: nothing may be fetched at test time")


NOTHING_FETCHED = {"http": _no_fetching, "https": _no_fetching}


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not re.search(r"\s", value)


@FORMATS.checks("email")
def _is_email(value) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


class Spec:
    """One OpenAPI description and its schema folder, $refs resolved to the local files."""

    def __init__(self, folder: Path, base: str, openapi: Path):
        self.openapi = json.loads(openapi.read_text())
        store = {}
        for path in (folder / "schema").rglob("*.json"):
            doc = json.loads(path.read_text())
            relative = path.relative_to(folder / "schema").as_posix()
            store[base + relative] = doc
            if "/" not in relative:  # HSDS keeps its compiled schemas beside the others
                store.setdefault(base + "compiled/" + relative, doc)
        self.openapi_uri = openapi.resolve().as_uri()
        store[self.openapi_uri] = self.openapi
        self.store, self.base = store, base
        self.resolver = RefResolver(base_uri=self.openapi_uri, referrer=self.openapi, store=store,
                                    handlers=NOTHING_FETCHED)

    def has(self, path: str) -> bool:
        """The path is described, and its schemas are here (the HSDS 3.0 folder holds only
        the compiled ones: its taxonomy schemas are not checked)."""
        if path not in self.openapi["paths"]:
            return False
        refs = re.findall(r'"\$ref": "(https?://[^"]+)"', json.dumps(self.openapi["paths"][path]))
        return all(ref in self.store for ref in refs)

    def errors(self, path: str, body) -> list[str]:
        schema = self.openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        validator = Draft202012Validator(schema, resolver=self.resolver, format_checker=FORMATS)
        found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
        if "{" not in path and path != "/" and isinstance(body, dict):
            page = self.resolver.resolve("#/components/schemas/Page")[1]
            found += [f"page field '{k}' is missing" for k in page["properties"] if k not in body]
        return found

    def errors_against(self, relative: str, body) -> list[str]:
        schema = self.store[self.base + relative]
        resolver = RefResolver(base_uri=self.base + relative, referrer=schema, store=self.store,
                               handlers=NOTHING_FETCHED)
        validator = Draft202012Validator(schema, resolver=resolver, format_checker=FORMATS)
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]


@pytest.fixture(scope="module")
def profile() -> Spec:
    if not (PROFILE_DIR / "schema" / "openapi.json").is_file():
        if running_in_ci():
            pytest.fail(f"The ORUK UK profile must be at {PROFILE_DIR} in CI")
        pytest.skip(f"The ORUK UK profile was not found at {PROFILE_DIR} (it sits beside the repository)")
    return Spec(PROFILE_DIR, PROFILE_BASE, PROFILE_DIR / "schema" / "openapi.json")


@pytest.fixture(scope="module")
def hsds(hsds_dir) -> Spec:
    return Spec(hsds_dir, HSDS_BASE, hsds_dir / "openapi.json")


@pytest.fixture
def api(fresh_directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    return TestClient(create_app(Settings(database_url=fresh_directory)))


class Walk:
    """The validator's walk, recording every check instead of stopping at the first failure."""

    def __init__(self, api, specs: list[Spec], list_params: dict):
        self.api, self.specs, self.list_params = api, specs, list_params
        self.passed, self.failed, self.bodies, self.warnings = 0, [], [], []

    def check(self, label: str, ok: bool, why: str = "") -> None:
        if ok:
            self.passed += 1
        else:
            self.failed.append(f"{label}: {why}")

    def get(self, path: str, url: str, params: dict | None = None):
        response = self.api.get("/oruk" + url, params=params)
        self.check(f"GET {url} {params or ''}", response.status_code == 200, f"status {response.status_code}")
        if response.status_code != 200:
            return None
        body = response.json()
        self.bodies.append(json.dumps(body))
        for spec in self.specs:
            if spec.has(path):
                errors = spec.errors(path, body)
                self.check(f"GET {url} {params or ''} against {spec.base}", not errors, "; ".join(errors[:5]))
        return body

    def run(self, profile: Spec) -> None:
        root = self.get("/", "/")
        self.check("GET / version", root is not None and root.get("version") == "HSDS-UK-3.0", str(root))
        for path in profile.openapi["paths"]:
            if path == "/" or "{id}" in path:
                continue
            first = self.get(path, path, {**self.list_params})
            if first is None:
                continue
            pages = sorted({1, max(1, math.ceil(first["total_pages"] / 2)), first["total_pages"]})
            bodies = [first] + [self.get(path, path, {**self.list_params, "page": n}) for n in pages if n != 1]
            ids = []
            for n, body in zip(pages, bodies):
                if body is None:
                    continue
                self.check(f"{path} page {n} says its number", body["page_number"] == n, str(body["page_number"]))
                if body["empty"] or not body["contents"]:
                    self.warnings.append(f"{path} page {n} is empty")
                ids += [item["id"] for item in body["contents"]]
            detail = path + "/{id}"
            if profile.has(detail):
                for ident in ids:
                    body = self.get(detail, f"{path}/{ident}")
                    if body is not None:
                        self.check(f"{path}/{ident} is the one asked for", body["id"] == ident, body["id"])
                        if path == "/service_at_locations":
                            errors = profile.errors_against("compiled/service_at_location.json", body)
                            self.check(f"{path}/{ident} as a service_at_location", not errors, "; ".join(errors[:5]))


def _secrets(url: str) -> tuple[list[str], list[str]]:
    """Postcodes and coordinates of every confidential location, and the
    ids of the service_at_locations there."""
    with session_scope(url) as s:
        ids = s.scalars(select(Attribute.link_id).where(Attribute.link_entity == "location",
                                                        Attribute.taxonomy_term_id == CONFIDENTIAL)).all()
        addresses = s.scalars(select(Address).where(Address.location_id.in_(ids))).all()
        places = s.scalars(select(Location).where(Location.id.in_(ids))).all()
        sals = s.scalars(select(ServiceAtLocation.id).where(ServiceAtLocation.location_id.in_(ids))).all()
        secrets = [a.postal_code for a in addresses]
        secrets += [f'"{key}": {json.dumps(getattr(p, key))}' for p in places for key in ("latitude", "longitude")
                    if getattr(p, key) is not None]
        return secrets, list(sals)


@pytest.mark.parametrize("list_params", [{}, {"per_page": 4}], ids=["default-pages", "pages-of-4"])
def test_the_feed_passes_the_validators_walk_100_percent(api, profile, hsds, fresh_directory, list_params):
    walk = Walk(api, [profile, hsds], list_params)
    walk.run(profile)
    print(f"validator-style walk {list_params or 'default paging'}: {walk.passed} checks passed, "
          f"{len(walk.failed)} failed; warnings: {walk.warnings or 'none'}")
    assert walk.failed == [], "\n".join(walk.failed)
    # Every one of the nine endpoints was reached, and the walk was not trivially short.
    assert walk.passed > (60 if list_params else 40)
    secrets, confidential_sals = _secrets(fresh_directory)
    assert secrets and confidential_sals  # the sample area has a refuge-style group
    blob = "\n".join(walk.bodies)
    for secret in secrets:  # a coordinate as a whole number, not the start of another
        assert re.search(re.escape(secret) + r"(?![0-9])", blob) is None, secret
    for ident in confidential_sals:
        assert ident not in blob
        # Its id answers exactly like an id never used.
        hidden = api.get(f"/oruk/service_at_locations/{ident}")
        never = api.get("/oruk/service_at_locations/no-such-place")
        assert hidden.status_code == never.status_code == 404
        assert hidden.json()["detail"].replace(ident, "X") == never.json()["detail"].replace("no-such-place", "X")


def test_root_gives_absolute_profile_and_openapi_urls(api):
    body = api.get("/oruk/").json()
    assert body["version"] == "HSDS-UK-3.0"
    for key in ("profile", "openapi_url"):
        parts = urlsplit(body[key])
        assert parts.scheme == "https" and parts.netloc, body[key]
    assert body["openapi_url"].endswith("/openapi.json")


def test_taxonomies_and_terms_list_waymarks_own_codes(api):
    taxonomies = api.get("/oruk/taxonomies").json()
    assert "waymark" in [t["id"] for t in taxonomies["contents"]]
    waymark = api.get("/oruk/taxonomies/waymark").json()
    codes = {t["code"] for t in waymark["taxonomy_terms"]}
    assert {"need:treatment", "need:needle-exchange", "audience:family"} <= codes
    term = api.get("/oruk/taxonomy_terms/waymark:need:needle-exchange").json()
    assert term["code"] == "need:needle-exchange" and term["taxonomy_detail"]["id"] == "waymark"
    some = api.get("/oruk/taxonomy_terms", params={"search": "needle", "per_page": 100}).json()
    assert "waymark:need:needle-exchange" in [t["id"] for t in some["contents"]]
    only_waymark = api.get("/oruk/taxonomy_terms", params={"taxonomy_id": "waymark", "per_page": 100}).json()
    assert only_waymark["total_items"] == len(waymark["taxonomy_terms"])
    assert api.get("/oruk/taxonomies/nothing").status_code == 404
    assert api.get("/oruk/taxonomy_terms/nothing").status_code == 404


def test_a_service_at_location_is_the_service_there_in_full(api):
    listed = api.get("/oruk/service_at_locations", params={"search": "pharmacy"}).json()["contents"]
    assert listed
    item = listed[0]
    body = api.get(f"/oruk/service_at_locations/{item['id']}").json()
    assert body["service_id"] == item["service_id"] and body["location"]["id"] == item["location_id"]
    assert body["service"]["id"] == item["service_id"] and body["name"] == body["service"]["name"]
    assert body["location"]["addresses"] and body["location"]["addresses"][0]["postal_code"]


def _ids(api, path="/oruk/services", **params):
    response = api.get(path, params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    key = "id" if path.endswith("/services") else "service_id"
    return {item[key] for item in response.json()["contents"]}


def test_age_filters_follow_the_profiles_words(api, fresh_directory):
    with session_scope(fresh_directory) as s:
        ages = {sid: (lo, hi) for sid, lo, hi in s.execute(select(Service.id, Service.minimum_age,
                                                                  Service.maximum_age))}
    everyone = _ids(api)
    adults = _ids(api, minimum_age=18)
    assert adults and adults < everyone
    assert all((ages[sid][0] or 0) >= 18 for sid in adults)
    young = _ids(api, maximum_age=25)
    assert young and all(ages[sid][1] is not None and ages[sid][1] <= 25 for sid in young)
    assert _ids(api, "/oruk/service_at_locations", minimum_age=18) <= adults
    for bad in ("-1", "121", "nan", "inf", "1e308", "eighteen"):
        assert api.get("/oruk/services", params={"minimum_age": bad}).status_code == 422, bad
        assert api.get("/oruk/service_at_locations", params={"maximum_age": bad}).status_code == 422, bad


def test_opening_day_and_time_filters(api, fresh_directory):
    with session_scope(fresh_directory) as s:
        rows = s.execute(select(Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at)
                         .where(Schedule.opens_at.is_not(None))).all()
    saturday = {r.service_id for r in rows if r.byday and "SA" in r.byday}
    assert saturday and _ids(api, day="SA") == saturday
    assert _ids(api, day="saturday") == saturday and _ids(api, day="sat") == saturday
    early = {r.service_id for r in rows if r.opens_at.strftime("%H:%M") >= "09:00" and r.closes_at
             and r.closes_at.strftime("%H:%M") <= "17:00"}
    assert _ids(api, start_time="09:00", end_time="17:00") == early
    monday_morning = {r.service_id for r in rows if r.byday and "MO" in r.byday and r.opens_at.hour >= 9}
    assert _ids(api, day="MO", start_time="09:00") == monday_morning
    assert _ids(api, "/oruk/service_at_locations", day="SA") <= saturday
    assert api.get("/oruk/services", params={"day": "someday"}).status_code == 422
    assert api.get("/oruk/services", params={"start_time": "25:00"}).status_code == 422
    assert api.get("/oruk/services", params={"end_time": "teatime"}).status_code == 422


def test_postcode_and_proximity_with_bounds(api):
    near = _ids(api, postcode="LS1 4AP", proximity=2000)
    assert "sample-leeds-recovery-hub" in near
    assert near <= _ids(api, postcode="LS1 4AP", proximity=20000)
    assert _ids(api, "/oruk/service_at_locations", postcode="LS1 4AP", proximity=2000) <= near
    for bad in ("-5", "0"):  # (NaN and huge distances: issue 22 bounds them)
        assert api.get("/oruk/services", params={"postcode": "LS1 4AP", "proximity": bad}).status_code in (400, 422)
    assert api.get("/oruk/services", params={"proximity": 100}).status_code == 400  # no postcode to measure from


def test_the_walk_passes_after_importing_a_real_shaped_council_feed(api, profile, hsds, fresh_directory):
    """What a council's feed brings in (HTML, -1 ages, odd phones and web addresses, records
    without a place) is published in the profile's shape too."""
    from directory import oruk_import
    from oruk_feeds import council_feed

    page, expected = council_feed(120)
    with session_scope(fresh_directory) as s:
        assert oruk_import.import_records(s, page["contents"], source="bristol").imported == expected.imported
    walk = Walk(api, [profile, hsds], {"per_page": 20})
    walk.run(profile)
    print(f"validator-style walk after a council feed: {walk.passed} checks passed, {len(walk.failed)} failed")
    assert walk.failed == [], "\n".join(walk.failed)
    assert walk.passed > 100

"""The ORUK read API at /oruk: every response validates against Open Referral's HSDS 3.0
schemas (read in place, $refs resolved across the schema files), filters and paging work,
confidential addresses never appear, and an import comes back out as the same data."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, RefResolver
from sqlalchemy import select

from directory import oruk_import
from directory.db import session_scope
from directory.models import Address, Attribute, Location, ServiceAtLocation
from support import ROOT

COMPILED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
EXAMPLE_ID = "ac148810-d857-441c-9679-408f346de14b"


class HSDS:
    """Validates a response against the schema the HSDS OpenAPI description gives for a path.

    The OpenAPI file refers to the compiled schemas by their published URLs; a resolver store
    maps each of those URLs to the file of that name in the local schema folder."""

    def __init__(self, folder: Path):
        self.openapi = json.loads((folder / "openapi.json").read_text())
        store = {}
        for path in (folder / "schema").glob("*.json"):
            doc = json.loads(path.read_text())
            for uri in (COMPILED + path.name, SCHEMA_BASE + path.name, path.resolve().as_uri()):
                store[uri] = doc
        self.openapi_uri = (folder / "openapi.json").resolve().as_uri()
        store[self.openapi_uri] = self.openapi
        self.resolver = RefResolver(base_uri=self.openapi_uri, referrer=self.openapi, store=store)

    def schema_for(self, path: str) -> dict:
        return self.openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    def validate(self, path: str, body: dict) -> None:
        schema = self.schema_for(path)
        Draft202012Validator(schema, resolver=self.resolver).validate(body)
        if path in ("/services", "/service_at_locations"):
            # The page fields must be there, not just well-typed when present.
            page = self.resolver.resolve("#/components/schemas/Page")[1]
            assert set(page["properties"]) <= set(body), set(page["properties"]) - set(body)


@pytest.fixture(scope="module")
def hsds(hsds_dir) -> HSDS:
    return HSDS(hsds_dir)


@pytest.fixture
def api(fresh_directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    # No `with`: the app's start-up (which loads the Rasa model) is not needed for these routes.
    return TestClient(create_app(Settings(database_url=fresh_directory)))


def _confidential(url: str) -> tuple[list[str], list[str]]:
    """Postcodes and latitudes of every confidential location, and the services there."""
    with session_scope(url) as s:
        ids = s.scalars(select(Attribute.link_id).where(
            Attribute.link_entity == "location",
            Attribute.taxonomy_term_id == "waymark:feature:confidential-address")).all()
        addresses = s.scalars(select(Address).where(Address.location_id.in_(ids))).all()
        services = s.scalars(select(ServiceAtLocation.service_id).where(ServiceAtLocation.location_id.in_(ids))).all()
        latitudes = [str(loc.latitude) for loc in s.scalars(select(Location).where(Location.id.in_(ids)))]
        return [a.postal_code for a in addresses] + latitudes, list(services)


def test_root_says_version_and_profile(api, hsds):
    body = api.get("/oruk/").json()
    hsds.validate("/", body)
    assert body["version"] == "HSDS-UK-3.0" and body["profile"].startswith("https://")


def test_services_pages_validate_and_cover_everything(api, hsds):
    first = api.get("/oruk/services", params={"per_page": 5}).json()
    hsds.validate("/services", first)
    assert first["page_number"] == 1 and first["first_page"] and not first["last_page"]
    assert first["size"] == 5 and first["total_pages"] == -(-first["total_items"] // 5)
    seen = []
    for page in range(1, first["total_pages"] + 1):
        body = api.get("/oruk/services", params={"per_page": 5, "page": page}).json()
        hsds.validate("/services", body)
        seen += [s["id"] for s in body["contents"]]
    assert body["last_page"] and len(seen) == len(set(seen)) == first["total_items"]
    beyond = api.get("/oruk/services", params={"per_page": 5, "page": first["total_pages"] + 1}).json()
    assert beyond["empty"] and beyond["contents"] == []


def test_every_service_validates_in_full_and_confidential_addresses_never_appear(api, hsds, fresh_directory):
    secrets, confidential_services = _confidential(fresh_directory)
    assert secrets and confidential_services  # the sample area has a refuge-style group
    everything = api.get("/oruk/services", params={"per_page": 100}).json()
    assert everything["last_page"]  # one page of at most 100 holds the whole sample directory
    texts = [json.dumps(everything)]
    for item in everything["contents"]:
        body = api.get(f"/oruk/services/{item['id']}").json()
        hsds.validate("/services/{id}", body)
        texts.append(json.dumps(body))
        if item["id"] in confidential_services:
            assert body["service_at_locations"] == []
    sals = api.get("/oruk/service_at_locations", params={"per_page": 100}).json()
    hsds.validate("/service_at_locations", sals)
    assert not {s["service_id"] for s in sals["contents"]} & set(confidential_services)
    texts.append(json.dumps(sals))
    for params in ({"postcode": "LS7 3AA", "proximity": 3000}, {"postcode": "LS7"}):
        texts.append(json.dumps(api.get("/oruk/services", params=params).json()))
        texts.append(json.dumps(api.get("/oruk/service_at_locations", params=params).json()))
    blob = "\n".join(texts)
    for secret in secrets:
        assert secret not in blob


def test_service_not_found(api):
    response = api.get("/oruk/services/no-such-service")
    assert response.status_code == 404


def test_filters(api, hsds):
    def ids(**params):
        body = api.get("/oruk/services", params={"per_page": 100, **params}).json()
        hsds.validate("/services", body)
        return [s["id"] for s in body["contents"]]

    needle = ids(taxonomy_term_id="need:needle-exchange")
    assert "sample-leeds-pharmacy-nsp" in needle and "sample-leeds-alcohol-service" not in needle
    assert ids(taxonomy_term_id="waymark:need:needle-exchange") == needle
    assert ids(taxonomy_id="waymark") and ids(taxonomy_id="nothing") == []
    assert "sample-leeds-pharmacy-nsp" in ids(search="needle exchange")
    assert set(ids(organization_id="sample-org-pennine")) >= {"sample-leeds-pharmacy-nsp"}
    assert ids(modified_after="2999-01-01T00:00:00Z") == []
    assert len(ids(modified_after="2000-01-01T00:00:00Z")) == len(ids())
    near = api.get("/oruk/services", params={"postcode": "LS1 4AP", "proximity": 2000}).json()
    hsds.validate("/services", near)
    assert near["contents"] and "sample-leeds-recovery-hub" in [s["id"] for s in near["contents"]]
    assert not any("Manchester" in s["name"] for s in near["contents"])
    manchester = ids(postcode="M1", proximity=5000)
    assert manchester and not any(i.startswith("sample-leeds") for i in manchester)
    assert api.get("/oruk/services", params={"postcode": "ZZ9 9ZZ"}).status_code == 400
    assert api.get("/oruk/services", params={"proximity": 100}).status_code == 400
    assert api.get("/oruk/services", params={"modified_after": "yesterday"}).status_code == 400


def test_report_a_problem_goes_to_the_review_queue(api, fresh_directory):
    response = api.post("/oruk/services/sample-leeds-alcohol-service/report",
                        json={"problem": "The phone number rings out; I think they moved.",
                              "contact": "07700 900123"})
    assert response.status_code == 202 and "Thank you" in response.json()["message"]
    assert api.post("/oruk/services/nope/report", json={"problem": "wrong"}).status_code == 404
    assert api.post("/oruk/services/sample-leeds-alcohol-service/report", json={"problem": ""}).status_code == 422
    from directory import editing

    with session_scope(fresh_directory) as s:
        [item] = editing.open_review_items(s, kind="report")
        assert item.resource_id == "sample-leeds-alcohol-service" and "rings out" in item.detail


STORED_SERVICE_FIELDS = ("id", "name", "alternate_name", "description", "url", "email", "status",
                         "interpretation_services", "application_process", "fees_description", "accreditations",
                         "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email",
                         "alert", "last_modified")


def test_import_round_trip_official_example(api, hsds, hsds_dir, fresh_directory):
    original = json.loads((hsds_dir / "examples" / "service_full.json").read_text())
    with session_scope(fresh_directory) as s:
        oruk_import.import_records(s, [copy.deepcopy(original)], source="example")
    body = api.get(f"/oruk/services/{EXAMPLE_ID}").json()
    hsds.validate("/services/{id}", body)
    for name in STORED_SERVICE_FIELDS:  # text is stored trimmed of stray spaces
        expected = original[name].strip() if isinstance(original[name], str) else original[name]
        assert body[name] == expected, name
    assert {k: body["organization"][k] for k in ("id", "name", "description", "email", "website")} == \
        {k: original["organization"][k] for k in ("id", "name", "description", "email", "website")}
    phone = body["phones"][0]
    assert (phone["id"], phone["number"], phone["extension"], phone["type"]) == (
        original["phones"][0]["id"], "01234 234567", 100, "voice")  # written the UK way
    for key in ("id", "byday", "opens_at", "closes_at", "freq", "valid_from", "description", "notes"):
        assert body["schedules"][0][key] == original["schedules"][0][key], key
    assert body["languages"][0] == {**original["languages"][0], "service_id": EXAMPLE_ID}
    cost = body["cost_options"][0]
    assert (cost["option"], cost["amount"], cost["currency"]) == ("Under 18s and Over 60s", 35, "GBP")
    sal = body["service_at_locations"][0]
    assert sal["id"] == original["service_at_locations"][0]["id"]
    location, source_location = sal["location"], original["service_at_locations"][0]["location"]
    assert {k: location[k] for k in ("id", "name", "description", "location_type")} == \
        {k: source_location[k] for k in ("id", "name", "description", "location_type")}
    address, source_address = location["addresses"][0], source_location["addresses"][0]
    assert {k: address[k] for k in source_address} == source_address
    assert location["accessibility"][0]["details"] == source_location["accessibility"][0]["details"]
    assert body["contacts"][0]["name"] == "Ann Persona"
    feed_term = next(a for a in body["attributes"] if a["taxonomy_term"]["id"] == "3f7b145d-84af-42d7-8fae-eaca714b02b2")
    assert feed_term["taxonomy_term"]["taxonomy_detail"]["id"] == "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
    # What the API serves imports back as exactly the same data: nothing changes.
    with session_scope(fresh_directory) as s:
        again = oruk_import.import_records(s, [body], source="example")
        assert (again.unchanged, again.field_changes) == (1, 0)
    assert api.get(f"/oruk/services/{EXAMPLE_ID}").json() == body


def test_import_round_trip_csv_template(api, hsds, fresh_directory):
    template = ROOT / "directory" / "sample_data" / "import_template.csv"
    with session_scope(fresh_directory) as s:
        oruk_import.import_path(s, template, fmt="csv", source="template")
    bodies = [api.get(f"/oruk/services/{sid}").json() for sid in ("template-armley-drop-in", "template-family-group")]
    for body in bodies:
        hsds.validate("/services/{id}", body)
    drop_in, family = bodies
    assert [p["number"] for p in drop_in["phones"]] == ["0113 496 0910", "07700 900910"]
    assert [s["location"]["id"] for s in drop_in["service_at_locations"]] == ["template-armley-hall",
                                                                             "template-bramley-room"]
    assert family["service_at_locations"] == []  # its room is a confidential address
    with session_scope(fresh_directory) as s:
        # (The family group's published record lacks its confidential site by design, so only
        # the drop-in can come back unchanged.)
        again = oruk_import.import_records(s, [drop_in], source="template")
        assert (again.unchanged, again.field_changes) == (1, 0)
    with session_scope(fresh_directory) as s:
        assert s.get(Location, "template-moss-room") is not None  # kept, just never published

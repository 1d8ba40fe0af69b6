"""Fuzzing the directory's public API (no model needed): the ORUK read API's query parameters
and ids, and report-a-problem with any body and content type. Never a 500; a refused report
adds nothing to the review queue, an accepted one adds exactly one item."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fuzzing import ANY_TEXT, CONTENT_TYPES, JSON, TEXT, bounded
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

PARAMETERS = ["page", "per_page", "search", "taxonomy_term_id", "taxonomy_id", "organization_id",
              "modified_after", "status", "postcode", "proximity", "unknown"]
VALUES = st.one_of(TEXT, st.integers(min_value=-(2**70), max_value=2**70).map(str),
                   st.floats().map(str), st.sampled_from(["LS1 4AP", "M1", "2026-11-23", "active", "0", "-1",
                                                          "need:treatment", "1e309", "2026-13-45T25:61"]))
KNOWN_SERVICE = "sample-leeds-alcohol-service"


@pytest.fixture(scope="module")
def api(settings, tmp_path_factory):
    """The app on a directory of this module's own, without loading the model: the ORUK
    routes need only the database (the lifespan, which loads the model, is not run)."""
    from fastapi.testclient import TestClient

    from directory import seed
    from directory.db import create_schema, engine_for, session_scope
    from waymark.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz-api') / 'directory.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
    client = TestClient(create_app(settings.with_changes(database_url=url)), raise_server_exceptions=False)
    client.database_url = url
    return client


@bounded(80)
@given(path=st.sampled_from(["/oruk/services", "/oruk/service_at_locations"]),
       params=st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=6))
def test_oruk_listing_parameters_never_crash(api, path, params):
    response = api.get(path, params=params)
    assert response.status_code < 500, (params, response.text[:300])
    if response.status_code == 200:
        page = response.json()
        assert len(page["contents"]) <= page["size"] or page["size"] == 0


@bounded(40)
@given(service_id=st.one_of(TEXT.filter(lambda s: s.strip()), st.just(KNOWN_SERVICE),
                           st.text(min_size=3000, max_size=4000)))  # long, but a URL a client can send
def test_oruk_service_ids_never_crash(api, service_id):
    response = api.get("/oruk/services/" + quote(service_id, safe=""))
    assert response.status_code in (200, 404, 413, 422), (service_id[:80], response.text[:300])


def _reports(url: str) -> int:
    from directory.db import session_scope
    from directory.models import ReviewItem

    with session_scope(url) as session:
        return session.execute(select(func.count()).select_from(ReviewItem)).scalar()


REPORT_BODIES = st.one_of(
    st.fixed_dictionaries({"problem": ANY_TEXT}, optional={"contact": st.one_of(ANY_TEXT, JSON)}).map(json.dumps),
    JSON.map(json.dumps),
    st.text(max_size=300),  # malformed JSON
    st.just('{"problem": "the number is wrong"'),
).map(lambda text: text.encode("utf-8")) | st.binary(max_size=300)  # and bytes that are not UTF-8


@bounded(60)
@given(service=st.sampled_from([KNOWN_SERVICE, "nope", "national-frank"]), body=REPORT_BODIES,
       content_type=CONTENT_TYPES)
def test_report_a_problem_never_crashes_and_writes_all_or_nothing(api, service, body, content_type):
    before = _reports(api.database_url)
    headers = {"content-type": content_type} if content_type else {}
    response = api.post(f"/oruk/services/{service}/report", content=body, headers=headers)
    assert response.status_code in (202, 400, 404, 413, 422), (body[:200], response.text[:300])
    assert _reports(api.database_url) == before + (1 if response.status_code == 202 else 0)
    if response.status_code >= 400:
        assert response.json()["detail"]  # says what was wrong

"""Every number a client can send is bounded and finite (issue 22, item 1 and the 500s of item 8).

`GET /oruk/services?postcode=LS1 4AP&proximity=1e308` once grew the server to 22 GB and the
kernel killed it: the search built one SQL clause per grid row of a box 1e308 metres wide. Now
each API refuses an out-of-range number with 422 before any work, and the search itself never
builds more than MAX_CELL_ROWS clauses, whoever calls it. No model is loaded here.
"""
from __future__ import annotations


import pytest
from sqlalchemy import event

from directory import search

OUT_OF_RANGE = ["1e308", "1e9", "1e7", "100001", "nan", "NaN", "inf", "-inf", "Infinity", "-1", "0",
                "999999999999999999999"]
HUGE_PAGES = ["999999999999999999999", "1e308", "nan", "inf", "-1", "0", "1000001", "99999999999"]


@pytest.fixture(scope="module")
def api(settings, tmp_path_factory):
    from fastapi.testclient import TestClient

    from directory import seed
    from directory.db import create_schema, engine_for, session_scope
    from handover.models import create_tables
    from waymark.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('bounds') / 'directory.db'}"
    create_schema(engine_for(url))
    create_tables(engine_for(url))  # the live updates read the handover tables (no lifespan here)
    with session_scope(url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
    client = TestClient(create_app(settings.with_changes(database_url=url)), raise_server_exceptions=False)
    client.database_url = url
    return client


class StatementLog:
    """The SQL statements (and their parameter counts) a block of code sends."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _many):
        self.statements.append((statement, len(parameters or ())))


@pytest.mark.parametrize("path", ["/oruk/services", "/oruk/service_at_locations"])
@pytest.mark.parametrize("proximity", OUT_OF_RANGE)
def test_an_out_of_range_proximity_is_refused_before_any_search(api, path, proximity):
    response = api.get(path, params={"postcode": "LS1 4AP", "proximity": proximity})
    assert response.status_code == 422, response.text[:300]


@pytest.mark.parametrize("path", ["/oruk/services", "/oruk/service_at_locations"])
def test_the_widest_proximity_allowed_is_100_km(api, path):
    assert api.get(path, params={"postcode": "LS1 4AP", "proximity": 100000}).status_code == 200
    assert api.get(path, params={"postcode": "LS1 4AP", "proximity": 100000.5}).status_code == 422


@pytest.mark.parametrize("path", ["/oruk/services", "/oruk/service_at_locations"])
@pytest.mark.parametrize("page", HUGE_PAGES)
def test_a_huge_or_impossible_page_number_is_refused(api, path, page):
    assert api.get(path, params={"page": page}).status_code == 422
    assert api.get(path, params={"page": page, "postcode": "LS1 4AP", "proximity": 5000}).status_code == 422


@pytest.mark.parametrize("path", ["/oruk/services", "/oruk/service_at_locations"])
def test_a_page_past_the_end_is_an_empty_page_read_without_an_offset(api, path):
    """ORUK's answer to a page after the last: `empty: true` (the same with a distance filter)."""
    from directory.db import engine_for

    for params in ({}, {"postcode": "LS1 4AP", "proximity": 5000}):
        with StatementLog(engine_for(api.database_url)) as log:
            body = api.get(path, params={**params, "per_page": 100, "page": 1000000}).json()
        assert body["empty"] and body["contents"] == [] and body["total_pages"] < 1000000
        assert not any("OFFSET" in sql.upper() for sql, _ in log.statements)


@pytest.mark.parametrize("per_page", ["101", "500", "0", "-1", "nan", "1e308", "999999999999999999999"])
def test_per_page_is_at_most_100(api, per_page):
    assert api.get("/oruk/services", params={"per_page": per_page}).status_code == 422
    assert api.get("/oruk/services", params={"per_page": 100}).status_code == 200


@pytest.mark.parametrize("miles", [1e308, float("nan"), float("inf"), -1, 0, 63, 1e9])
def test_the_staff_search_distance_is_bounded(api, miles):
    import json

    body = json.dumps({"area": "LS1 4AP", "need": "treatment", "within_miles": miles})  # NaN/Infinity literals
    response = api.post("/staff/api/search", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text[:300]


@pytest.mark.parametrize("limit", [0, 26, 10**21, -1])
def test_the_staff_search_limit_is_bounded(api, limit):
    response = api.post("/staff/api/search", json={"area": "LS1 4AP", "limit": limit})
    assert response.status_code == 422


@pytest.mark.parametrize("after", ["999999999999999999999", "-1", "nan", "1e308"])
def test_the_live_update_position_is_bounded(api, after):
    response = api.get("/webhooks/rest/conversations/someone/updates", params={"after": after, "max_seconds": 1})
    assert response.status_code == 422


@pytest.mark.parametrize("seconds", ["nan", "inf", "1e308", "-1", "0"])
def test_the_live_update_duration_is_bounded(api, seconds):
    response = api.get("/webhooks/rest/conversations/someone/updates", params={"max_seconds": seconds})
    assert response.status_code == 422


def test_a_huge_last_event_id_is_not_a_server_error(api):
    with api.stream("GET", "/webhooks/rest/conversations/someone/updates", params={"max_seconds": 0.01},
                    headers={"Last-Event-ID": "999999999999999999999"}) as response:
        assert response.status_code == 200
        assert "retry" in response.read().decode()


@pytest.mark.parametrize("age", [-1, 121, 10**21, 1e308])
def test_editor_ages_are_0_to_120(age):
    from pydantic import ValidationError

    from directory.api_editor import ServiceFields

    with pytest.raises(ValidationError):
        ServiceFields(minimum_age=age)
    with pytest.raises(ValidationError):
        ServiceFields(maximum_age=age)
    assert ServiceFields(minimum_age=0, maximum_age=120).maximum_age == 120


@pytest.mark.parametrize("dates", [{"to": "0001-01-01"}, {"from": "0001-01-01", "to": "0001-01-02"},
                                   {"to": "9999-12-31", "from": "9999-12-30"}])
def test_report_dates_at_the_ends_of_the_calendar_are_refused_not_500(dates):
    from insights import queries

    with pytest.raises(queries.ReportError):
        queries.date_range(dates.get("from"), dates.get("to"))


def test_static_files_with_a_nul_byte_are_not_found_not_500(api):
    assert api.get("/static/a%00b").status_code == 404
    assert api.get("/console/static/a%00b").status_code == 404
    assert api.get("/static/chat.js").status_code == 200


# --- the search itself, whoever calls it (defence in depth) --------------------------------------


def test_the_grid_rows_are_capped_however_large_the_box():
    assert len(search._cell_ranges(-1e308, 1e308, -1e308, 1e308)) <= search.MAX_CELL_ROWS
    assert len(search._cell_ranges(-90, 90, -180, 180)) <= search.MAX_CELL_ROWS
    with pytest.raises(search.BadSearchArea):
        search._cell_ranges(float("nan"), 1, 1, 2)


@pytest.mark.parametrize("radius_km", [1e308, 1e9, 1e7, float(10**21)])
def test_a_direct_search_with_an_enormous_radius_builds_bounded_sql(db, radius_km):
    query = search.SearchQuery(latitude=53.797, longitude=-1.548, need="treatment",
                               max_distance_km=radius_km, limit=10**9)
    with StatementLog(db.get_bind().engine) as log:
        results = search.search(db, query)
        found = search.nearest_locations(db, 53.797, -1.548, radius_km)
    assert results and found  # it still answers, from within MAX_DISTANCE_KM
    assert all(m.distance_km <= search.MAX_DISTANCE_KM for m in results)
    assert all(d <= search.MAX_DISTANCE_KM for _, (d, _) in found)
    assert log.statements
    for sql, parameters in log.statements:
        assert len(sql) < 20_000 and parameters < 200, (len(sql), parameters)
        assert sql.upper().count("BETWEEN") <= search.MAX_CELL_ROWS + 2


@pytest.mark.parametrize("bad", [dict(latitude=float("nan")), dict(longitude=float("inf")),
                                 dict(max_distance_km=float("nan")), dict(max_distance_km=float("inf")),
                                 dict(latitude=1e308)])
def test_a_direct_search_with_a_point_or_radius_that_is_not_finite_is_refused(db, bad):
    query = search.SearchQuery(**{"latitude": 53.797, "longitude": -1.548, **bad})
    with pytest.raises(search.BadSearchArea):
        search.search(db, query)

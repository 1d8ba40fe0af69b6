"""The reports API and page at /reports: admins only, every view audited, JSON and CSV."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from directory import editing
from directory.db import session_scope
from directory.models import Metadata
from insights import record_demand
from insights.recording import flush

PASSWORD = "correct horse battery"
DAY = date(2026, 11, 18)
RANGE = {"from": "2026-11-16", "to": "2026-11-22"}


@pytest.fixture
def api(fresh_directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    with session_scope(fresh_directory) as s:
        for name, role in (("alex", "admin"), ("sam", "editor"), ("ash", "agent"), ("kit", "staff")):
            editing.add_account(s, name, PASSWORD, role)
    for _ in range(8):
        record_demand("naloxone", matched=False, area="LS6 1AA", persona="family", channel="rest",
                      day=DAY, database_url=fresh_directory)
    for _ in range(7):
        record_demand("treatment", matched=True, area="Leeds", persona="self", channel="twilio_sms",
                      day=DAY, database_url=fresh_directory)
    record_demand("housing", matched=False, area="M1", day=DAY, database_url=fresh_directory)
    assert flush()
    return TestClient(create_app(Settings(database_url=fresh_directory)))


def signed_in(api, name) -> dict:
    response = api.post("/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_reports_need_an_admin(api):
    others = [signed_in(api, name) for name in ("sam", "ash", "kit")]  # editor, agent, staff
    for path in ("/reports/api/demand", "/reports/api/demand.csv", "/reports/api/"):
        assert api.get(path, params=RANGE).status_code == 401
        assert api.get(path, headers={"Authorization": "Bearer made-up"}).status_code == 401
        for headers in others:
            refused = api.get(path, params=RANGE, headers=headers)
            assert refused.status_code == 403 and "admin" in refused.json()["detail"]


def test_an_admin_gets_json_with_small_counts_hidden_and_every_view_audited(api, fresh_directory):
    admin = signed_in(api, "alex")
    response = api.get("/reports/api/demand", params=RANGE, headers=admin)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["from"], body["to"], body["min_count"]) == ("2026-11-16", "2026-11-22", 5)
    rows = {(r["area"], r["need"]): r for r in body["rows"]}
    assert rows[("LS6", "Take-home naloxone")]["unmet"] == 8
    assert rows[("M1", "Housing and homelessness")]["requests"] == "fewer than 5"
    # M1's one request could be worked out from the weekly total, so the next smallest row hides too.
    assert rows[("Leeds", "Drug and alcohol treatment")]["requests"] == "hidden"
    assert "1AA" not in response.text
    unmet = api.get("/reports/api/unmet", params=RANGE, headers=admin).json()
    assert [r["area"] for r in unmet["rows"]][0] == "LS6"
    handovers = api.get("/reports/api/handovers", params=RANGE, headers=admin).json()
    assert handovers["rows"] == [] and handovers["empty"] == "No handovers recorded."
    with session_scope(fresh_directory) as s:
        views = s.scalars(select(Metadata).where(Metadata.resource_type == "report")).all()
        assert [(m.resource_id, m.last_action_type, m.updated_by, m.replacement_value) for m in views] == [
            ("demand", "viewed", "admin:alex", "2026-11-16 to 2026-11-22"),
            ("unmet", "viewed", "admin:alex", "2026-11-16 to 2026-11-22"),
            ("handovers", "viewed", "admin:alex", "2026-11-16 to 2026-11-22")]


def test_an_admin_gets_csv(api, fresh_directory):
    response = api.get("/reports/api/weekly.csv", params=RANGE, headers=signed_in(api, "alex"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="waymark-weekly-2026-11-16-2026-11-22.csv"' in response.headers["content-disposition"]
    assert response.text.splitlines() == ["Week starting,Requests,Nothing within reach", "2026-11-16,16,9",
                                          "Total of the figures shown,16,9"]
    with session_scope(fresh_directory) as s:
        assert s.scalar(select(Metadata).where(Metadata.resource_type == "report",
                                               Metadata.resource_id == "weekly")).updated_by == "admin:alex"


def test_bad_dates_and_unknown_reports_get_a_polite_answer_and_no_audit(api, fresh_directory):
    admin = signed_in(api, "alex")
    bad = api.get("/reports/api/demand", params={"from": "last tuesday"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["detail"] == "The 'from' date must look like 2026-11-01."
    backwards = api.get("/reports/api/demand.csv", params={"from": "2026-12-01", "to": "2026-11-01"}, headers=admin)
    assert backwards.status_code == 422 and "after the 'to' date" in backwards.json()["detail"]
    unknown = api.get("/reports/api/everything", headers=admin)
    assert unknown.status_code == 404 and "Try one of: demand, unmet" in unknown.json()["detail"]
    with session_scope(fresh_directory) as s:
        assert s.scalars(select(Metadata).where(Metadata.resource_type == "report")).all() == []


def test_the_page_is_served_with_no_inline_code(api):
    page = api.get("/reports")
    assert page.status_code == 200 and "<h1>Waymark reports</h1>" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text and "style=" not in page.text
    assert '<script src="/reports/assets/reports.js">' in page.text
    assert api.get("/reports/assets/reports.js").headers["content-type"].startswith("text/javascript")
    assert api.get("/reports/assets/reports.css").status_code == 200
    assert api.get("/reports/assets/..%2Fapi.py").status_code == 404

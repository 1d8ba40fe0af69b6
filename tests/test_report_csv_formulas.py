"""Report CSVs never carry a live spreadsheet formula (issue 22, item 7): an imported
organisation name `=HYPERLINK("http://evil.example/",…)` reached /reports/api/stale.csv as a
formula. Any cell that starts with =, +, -, @, a tab or a carriage return gets a leading '."""
from __future__ import annotations

import csv
import io

import pytest

from directory import editing
from directory.db import session_scope
from directory.models import Organization, Service
from insights import export
from insights.queries import Column, Report

PASSWORD = "correct horse battery"
EVIL = '=HYPERLINK("http://evil.example/","Click for details")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(start):
    report = Report("t", "T", "", [Column("name", start + "label"), Column("n", "Count", "number")],
                    [{"name": start + "1+1", "n": 3}, {"name": "plain", "n": -2}])
    rows = list(csv.reader(io.StringIO(export.to_csv(report), newline="")))
    kept = start.replace("\r", "\n")  # a line break inside a cell is written as \n (and quoted)
    assert rows[0][0] == "'" + kept + "label"
    assert rows[1] == ["'" + kept + "1+1", "3"]
    assert rows[2] == ["plain", "-2"]  # a number Waymark counted is written as it is


def test_the_stale_report_csv_from_the_api_has_no_live_formula(fresh_directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    with session_scope(fresh_directory) as s:
        editing.add_account(s, "alex", PASSWORD, "admin")
        s.add(Organization(id="org-evil", name=EVIL))
        s.add(Service(id="svc-evil", organization_id="org-evil", name="@SUM(1+1)", status="active",
                      assured_date=None))  # never checked: stale whatever the date
    api = TestClient(create_app(Settings(database_url=fresh_directory)))
    token = api.post("/auth/token", data={"username": "alex", "password": PASSWORD}).json()["access_token"]
    response = api.get("/reports/api/stale.csv", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    assert "'" + EVIL in cells
    assert not any(cell.startswith(export.FORMULA_STARTS) for cell in cells), cells

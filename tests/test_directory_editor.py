"""The editing API at /editor: accounts from `waymark users add`, expiring bearer tokens stored
only as hashes, create/update/verify/suspend/close with successors, the review queue, and an
audit row with the editor's name for every change."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

import timekeeping
from directory import editing, search
from directory.db import engine_for, session_scope
from directory.models import EditorAccount, EditorToken, Metadata, Service
from support import ROOT

PASSWORD = "correct horse battery"


@pytest.fixture
def api(fresh_directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    with session_scope(fresh_directory) as s:
        editing.add_account(s, "sam", PASSWORD, "editor", email="sam@example.org")
        editing.add_account(s, "alex", PASSWORD, "admin")
    return TestClient(create_app(Settings(database_url=fresh_directory)))


def _login(api, name="sam", password=PASSWORD) -> dict:
    response = api.post("/editor/token", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _audit(url, resource_id, who):
    with session_scope(url) as s:
        return [(m.last_action_type, m.field_name, m.previous_value, m.replacement_value)
                for m in s.scalars(select(Metadata).where(Metadata.resource_id == resource_id,
                                                          Metadata.updated_by == who)
                                   .order_by(Metadata.last_action_date))]


def test_users_add_command_reads_the_password_from_stdin(fresh_directory):
    env = {**os.environ, "WAYMARK_DATABASE_URL": fresh_directory}
    waymark = str(Path(sys.executable).parent / "waymark")
    ok = subprocess.run([waymark, "users", "add", "jo", "--role", "admin"], input=PASSWORD + "\n",
                        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "Added admin 'jo'" in ok.stdout
    short = subprocess.run([waymark, "users", "add", "kim"], input="short\n", cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    with session_scope(fresh_directory) as s:
        account = s.scalar(select(EditorAccount).where(EditorAccount.name == "jo"))
        assert account.role == "admin" and account.password_hash.startswith("$2")
        assert PASSWORD not in account.password_hash
        assert editing.authenticate(s, "jo", PASSWORD) is not None
        assert editing.authenticate(s, "jo", "wrong password!") is None


def test_login_tokens_expire_and_are_stored_only_as_hashes(api, fresh_directory):
    assert api.post("/editor/token", data={"username": "sam", "password": "nope nope nope"}).status_code == 401
    assert api.post("/editor/token", data={"username": "nobody", "password": PASSWORD}).status_code == 401
    assert api.get("/editor/reports").status_code == 401
    assert api.get("/editor/reports", headers={"Authorization": "Bearer made-up"}).status_code == 401
    response = api.post("/editor/token", data={"username": "sam", "password": PASSWORD}).json()
    token = response["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/editor/reports", headers=headers).status_code == 200
    with session_scope(fresh_directory) as s:
        stored = s.scalars(select(EditorToken)).all()
        assert [t.token_hash for t in stored] == [hashlib.sha256(token.encode()).hexdigest()]
        stored[0].expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    with engine_for(fresh_directory).connect() as conn:
        dump = "\n".join(str(row) for row in conn.exec_driver_sql("SELECT * FROM editor_token"))
        assert token not in dump
    assert api.get("/editor/reports", headers=headers).status_code == 401


def test_create_update_verify_suspend_with_audit(api, fresh_directory):
    headers = _login(api)
    created = api.post("/editor/services", headers=headers, json={
        "id": "editor-made-service",
        "name": "Holbeck Alcohol Clinic (sample)",
        "organization_id": "sample-org-aire",
        "description": "A weekly alcohol clinic.",
        "codes": ["need:treatment", "substance:alcohol", "audience:adult"],
        "phones": [{"number": "0113 496 0990"}],
        "location": {"address_1": "1 Holbeck Lane", "city": "Leeds", "postcode": "LS11 9AA",
                     "latitude": 53.785, "longitude": -1.560},
    })
    assert created.status_code == 201, created.text
    assert created.json()["codes"] == ["audience:adult", "need:treatment", "substance:alcohol"]
    public = api.get("/oruk/services/editor-made-service").json()
    assert public["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "LS11 9AA"
    assert api.post("/editor/services", headers=headers,
                    json={"name": "X", "codes": ["need:spa-day"]}).status_code == 400
    assert api.post("/editor/services", headers=headers, json={"name": "X", "colour": "red"}).status_code == 422

    updated = api.patch("/editor/services/editor-made-service", headers=headers,
                        json={"description": "A weekly alcohol clinic, Tuesdays.", "alert": "Moving in March",
                              "codes": ["need:treatment", "substance:alcohol"]})
    assert updated.status_code == 200 and updated.json()["alert"] == "Moving in March"
    assert "audience:adult" not in updated.json()["codes"]
    verified = api.post("/editor/services/editor-made-service/verify", headers=headers).json()
    assert verified["assured_date"] == timekeeping.today().isoformat() and verified["assurer_email"] == "sam@example.org"
    suspended = api.post("/editor/services/editor-made-service/suspend", headers=headers,
                         json={"alert": "Closed for refurbishment until 1 March"}).json()
    assert suspended["status"] == "temporarily closed"
    assert api.patch("/editor/services/no-such", headers=headers, json={"alert": "x"}).status_code == 404

    audit = _audit(fresh_directory, "editor-made-service", "editor:sam")
    assert ("create", None, None, None) in audit
    assert ("update", "description", "A weekly alcohol clinic.", "A weekly alcohol clinic, Tuesdays.") in audit
    assert ("update", "alert", None, "Moving in March") in audit
    assert ("verify", "assured_date", None, timekeeping.today().isoformat()) in audit
    assert ("suspend", "status", "active", "temporarily closed") in audit


def test_close_with_successor_and_search_offers_the_successor(api, fresh_directory):
    headers = _login(api)
    closed = api.post("/editor/services/sample-leeds-alcohol-service/close", headers=headers,
                      json={"successor_id": "sample-leeds-recovery-hub"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "defunct" and closed.json()["successor_id"] == "sample-leeds-recovery-hub"
    assert api.post("/editor/services/sample-leeds-families/close", headers=headers,
                    json={"successor_id": "sample-leeds-families"}).status_code == 400
    assert api.post("/editor/services/sample-leeds-families/close", headers=headers,
                    json={"successor_id": "nowhere"}).status_code == 400
    public = api.get("/oruk/services/sample-leeds-alcohol-service").json()
    successor = [a for a in public["attributes"] if a["taxonomy_term"]["code"] == "feature:successor"]
    assert successor[0]["value"] == "sample-leeds-recovery-hub"
    assert ("close", "status", "active", "defunct") in _audit(fresh_directory, "sample-leeds-alcohol-service",
                                                              "editor:sam")
    with session_scope(fresh_directory) as s:
        assert search.resolve_successor(s, "sample-leeds-alcohol-service").id == "sample-leeds-recovery-hub"
        offered = search.search(s, search.SearchQuery(53.797, -1.548, need="treatment", substance="alcohol"))
        assert "sample-leeds-alcohol-service" not in {m.service_id for m in offered}


def test_reports_queue_and_roles(api, fresh_directory):
    api.post("/oruk/services/sample-leeds-families/report", json={"problem": "They only open on Mondays now."})
    headers = _login(api)
    [report] = api.get("/editor/reports", headers=headers).json()
    assert report["service_name"] == "Families First Leeds (sample)" and "Mondays" in report["detail"]
    assert report["reporter_contact"] is None and report["status"] == "open"
    assert api.post(f"/editor/reports/{report['id']}/resolve", headers=headers,
                    json={"resolution": "Hours updated"}).json()["status"] == "resolved"
    assert api.get("/editor/reports", headers=headers).json() == []
    assert api.get("/editor/reports", params={"kind": "all"}, headers=headers).status_code == 200
    assert ("resolve", "status", "open", "resolved") in _audit(fresh_directory, report["id"], "editor:sam")
    # Adding accounts is for admins only.
    new_user = {"name": "robin", "password": PASSWORD, "role": "editor"}
    assert api.post("/editor/users", headers=headers, json=new_user).status_code == 403
    assert api.post("/editor/users", headers=_login(api, "alex"), json=new_user).status_code == 201
    _login(api, "robin")


def test_resolve_successor_follows_chains_and_stops_at_loops(fresh_directory):
    with session_scope(fresh_directory) as s:
        editing.close_service(s, "sample-leeds-families", "test", successor_id="sample-leeds-young-people")
        editing.close_service(s, "sample-leeds-young-people", "test", successor_id="sample-leeds-recovery-hub")
        assert search.resolve_successor(s, "sample-leeds-families").id == "sample-leeds-recovery-hub"
        assert search.resolve_successor(s, "sample-leeds-recovery-hub").id == "sample-leeds-recovery-hub"
        assert search.resolve_successor(s, "no-such-service") is None
        editing.close_service(s, "sample-leeds-pharmacy-nsp", "test")  # closed, nothing replaces it
        assert search.resolve_successor(s, "sample-leeds-pharmacy-nsp") is None
        # A loop (A -> B -> A) ends without an open service instead of spinning.
        a, b = s.get(Service, "sample-leeds-alcohol-service"), s.get(Service, "sample-leeds-hostel-outreach")
        editing.close_service(s, a.id, "test", successor_id=b.id)
        b.status = "defunct"
        editing._set_valued_term(s, b, "feature:successor", a.id, "test")
        s.flush()
        assert search.resolve_successor(s, a.id) is None
        with pytest.raises(editing.EditingError):
            editing.close_service(s, "sample-leeds-advocacy", "test", successor_id=a.id)

"""Signing in (waymark/auth.py): roles decide what each account may do, wrong passwords are
throttled, and no other website can make a signed-in browser change anything."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from directory import editing
from directory.db import session_scope
from directory.models import Metadata
from waymark.auth import MAX_FAILURES, LoginThrottle

PASSWORD = "correct horse battery"


@pytest.fixture
def api(fresh_directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    with session_scope(fresh_directory) as s:
        for name, role in (("ed", "editor"), ("ad", "admin"), ("ag", "agent"), ("st", "staff")):
            editing.add_account(s, name, PASSWORD, role)
    client = TestClient(create_app(Settings(database_url=fresh_directory)))
    client.database_url = fresh_directory
    return client


def _headers(api, name: str) -> dict:
    response = api.post("/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_sign_in_says_who_and_which_role(api):
    response = api.post("/auth/token", data={"username": "ag", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["role"] == "agent"
    me = api.get("/auth/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"})
    assert me.json() == {"name": "ag", "role": "agent"}
    assert api.get("/auth/me").status_code == 401
    with session_scope(api.database_url) as s:
        assert s.scalar(select(Metadata).where(Metadata.last_action_type == "sign_in",
                                               Metadata.updated_by == "agent:ag")) is not None


def test_agents_and_staff_cannot_change_listings_or_add_accounts(api):
    for name in ("ag", "st"):
        headers = _headers(api, name)
        refused = api.post("/editor/services/sample-leeds-recovery-hub/verify", headers=headers)
        assert refused.status_code == 403, refused.text
        assert "role" in refused.json()["detail"]
        assert api.post("/editor/users", headers=headers,
                        json={"name": "x", "password": PASSWORD, "role": "admin"}).status_code == 403
    editor = _headers(api, "ed")
    assert api.post("/editor/users", headers=editor,
                    json={"name": "x", "password": PASSWORD, "role": "agent"}).status_code == 403
    admin = _headers(api, "ad")
    added = api.post("/editor/users", headers=admin, json={"name": "newagent", "password": PASSWORD, "role": "agent"})
    assert added.status_code in (200, 201), added.text
    assert _headers(api, "newagent")


def test_wrong_passwords_are_throttled_then_politely_refused(api):
    for _ in range(MAX_FAILURES):
        assert api.post("/auth/token", data={"username": "ed", "password": "guess guess guess"}).status_code == 401
    blocked = api.post("/auth/token", data={"username": "ed", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "wait 15 minutes" in blocked.json()["detail"]
    # The older editor sign-in shares the same throttle: no way round it.
    assert api.post("/editor/token", data={"username": "ed", "password": PASSWORD}).status_code == 429
    # Someone else at another name is unaffected by name, but this address is now blocked too.
    assert api.post("/auth/token", data={"username": "ad", "password": PASSWORD}).status_code == 429


def test_throttle_forgets_after_the_window_and_on_success():
    throttle = LoginThrottle(max_failures=2, window=60)
    throttle.failed("ip:a", "name:x", now=0)
    throttle.failed("ip:a", "name:x", now=1)
    assert throttle.blocked("name:x", now=30)
    assert not throttle.blocked("name:x", now=62)
    throttle.failed("name:y", now=100)
    throttle.succeeded("name:y")
    throttle.failed("name:y", now=101)
    assert not throttle.blocked("name:y", now=102)


def test_posts_from_another_website_are_refused(api):
    headers = _headers(api, "ed")
    foreign = api.post("/editor/services/sample-leeds-recovery-hub/verify",
                       headers={**headers, "Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert "other websites" in foreign.json()["detail"]
    opaque = api.post("/auth/token", data={"username": "ed", "password": PASSWORD}, headers={"Origin": "null"})
    assert opaque.status_code == 403
    same = api.post("/editor/services/sample-leeds-recovery-hub/verify",
                    headers={**headers, "Origin": "http://testserver"})
    assert same.status_code == 200, same.text

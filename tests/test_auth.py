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
    # The lifetime in seconds, which browsers count on their own clock (a PC set to the wrong
    # date must neither drop nor keep a sign-in by its own idea of the date).
    assert response.json()["expires_in"] == editing.TOKEN_MINUTES * 60
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


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _throttled(api) -> FakeClock:
    clock = FakeClock()
    api.app.state.login_throttle = LoginThrottle(clock=clock)
    return clock


def _at(api, address: str):
    """The same app, as seen from another address."""
    from fastapi.testclient import TestClient

    return TestClient(api.app, client=(address, 50000))


def test_wrong_passwords_are_throttled_then_politely_refused(api):
    clock = _throttled(api)
    for _ in range(MAX_FAILURES):
        assert api.post("/auth/token", data={"username": "ed", "password": "guess guess guess"}).status_code == 401
    blocked = api.post("/auth/token", data={"username": "ed", "password": PASSWORD})
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "1"
    assert "wait 1 seconds" in blocked.json()["detail"] and "reset-password" in blocked.json()["detail"]
    # The older editor sign-in shares the same throttle: no way round it.
    assert api.post("/editor/token", data={"username": "ed", "password": PASSWORD}).status_code == 429
    clock.now += 1.5
    assert api.post("/auth/token", data={"username": "ed", "password": PASSWORD}).status_code == 200


def test_each_further_wrong_password_waits_twice_as_long(api):
    clock = _throttled(api)
    waits = []
    for _ in range(MAX_FAILURES + 6):
        response = api.post("/auth/token", data={"username": "ed", "password": "guess guess guess"})
        if response.status_code == 429:
            waits.append(int(response.headers["retry-after"]))
            clock.now += waits[-1]
            response = api.post("/auth/token", data={"username": "ed", "password": "guess guess guess"})
        assert response.status_code == 401
    assert waits == [1, 2, 4, 8, 16, 32], waits


def test_failing_at_a_workers_name_from_elsewhere_never_locks_the_worker_out(api):
    """Issue 22: five wrong passwords for a name, from any address, locked the real worker out
    for 15 minutes. Now the throttle is per name and address together."""
    _throttled(api)
    attacker, worker = _at(api, "203.0.113.9"), _at(api, "198.51.100.7")
    for _ in range(MAX_FAILURES * 3):
        attacker.post("/auth/token", data={"username": "ag", "password": "guess guess guess"})
    assert attacker.post("/auth/token", data={"username": "ag", "password": PASSWORD}).status_code == 429
    assert worker.post("/auth/token", data={"username": "ag", "password": PASSWORD}).status_code == 200


def test_throttle_forgets_after_the_window_and_on_success():
    throttle = LoginThrottle(max_failures=2, window=60)
    throttle.failed("pair:a|x", now=0)
    throttle.failed("pair:a|x", now=1)
    assert throttle.blocked("pair:a|x", now=1.5) and not throttle.blocked("pair:a|x", now=2.5)
    throttle.failed("pair:a|x", now=3)
    assert throttle.wait("pair:a|x", now=3) == 2  # the delay doubles
    assert not throttle.blocked("pair:a|x", now=70)
    throttle.failed("pair:a|y", now=100)
    throttle.failed("pair:a|y", now=100)
    throttle.succeeded("pair:a|y")
    throttle.failed("pair:a|y", now=101)
    assert not throttle.blocked("pair:a|y", now=101)


def test_one_address_trying_many_names_is_slowed_too():
    throttle = LoginThrottle(max_failures=2, window=60)
    for i in range(8):  # one wrong password at each of eight names
        throttle.failed("ip:a", f"pair:a|n{i}", now=i)
    assert throttle.blocked("ip:a", "pair:a|new", now=7.5)
    assert not throttle.blocked("ip:b", "pair:b|new", now=7.5)


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

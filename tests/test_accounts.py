"""Worker accounts after the probe (issue 22, item 3): people see a display name, never the
login name; an admin can reset a password and deactivate an account from the command line
(the 429 tells people to ask an admin). The throttle's own tests are in tests/test_auth.py.
No model is loaded here."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from directory import editing
from directory.db import engine_for, session_scope
from waymark.app import create_app
from waymark.settings import Settings

PASSWORD = "a-long-enough-password"
WAYMARK = str(Path(sys.executable).parent / "waymark")


@pytest.fixture
def client(fresh_directory):
    from handover.models import create_tables

    create_tables(engine_for(fresh_directory))
    with session_scope(fresh_directory) as session:
        editing.add_account(session, "agent1", PASSWORD, "agent", display_name="Sam")
        editing.add_account(session, "agent2", PASSWORD, "agent")  # no display name
    client = TestClient(create_app(Settings(database_url=fresh_directory)))
    client.database_url = fresh_directory
    return client


def _bearer(client, name: str) -> dict:
    response = client.post("/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _waiting(url: str, sender: str) -> str:
    from handover.models import Handover

    with session_scope(url) as session:
        session.add(Handover(id=f"h-{sender}", sender_id=sender, channel="rest", status="waiting",
                             summary="Wants help with drinking", consent="yes", urgent=False))
    return f"h-{sender}"


def _person_sees(client, sender: str) -> str:
    response = client.get(f"/webhooks/rest/conversations/{sender}/updates", params={"max_seconds": 0.01})
    return "\n".join(line for line in response.text.splitlines() if line.startswith("data: "))


@pytest.mark.parametrize("login, shown", [("agent1", "Sam"), ("agent2", "Someone")])
def test_people_see_the_display_name_never_the_login_name(client, login, shown):
    sender = f"web-{login}"
    handover = _waiting(client.database_url, sender)
    headers = _bearer(client, login)
    assert client.post(f"/console/api/handovers/{handover}/claim", headers=headers).status_code == 200
    reply = client.post(f"/console/api/handovers/{handover}/messages", headers=headers, json={"text": "Hi, I'm here."})
    assert reply.status_code == 201
    seen = _person_sees(client, sender)
    assert f"{shown} from the helpline has joined" in seen
    assert login not in seen and login not in json.dumps(reply.json())
    lines = [json.loads(line[len("data: "):]) for line in seen.splitlines()]
    assert [line["name"] for line in lines if line["who"] == "agent"] == ["Sam" if shown == "Sam" else None]


def test_a_text_from_a_worker_names_them_by_display_name(client, monkeypatch):
    from handover import relay
    from handover.models import Handover

    sent = []
    monkeypatch.setattr(relay, "_queue_text", lambda session, twilio, handover, text, buttons: sent.append(text))
    with session_scope(client.database_url) as session:
        handover = Handover(id="h-sms", sender_id="sms:abc", channel=relay.SMS_CHANNEL, status="active",
                            consent="yes", urgent=False)
        session.add(handover)
        session.flush()
        relay.deliver(session, None, handover, "agent", "Hello", author_name="Sam")
        relay.deliver(session, None, handover, "agent", "Hello", author_name=None)
    assert sent == ["Waymark helpline, Sam: Hello", "Waymark helpline: Hello"]


def test_the_display_name_is_never_the_login_name(db):
    with pytest.raises(editing.EditingError, match="login name"):
        editing.add_account(db, "sam", PASSWORD, "agent", display_name=" SAM ")
    account = editing.add_account(db, "sam.k", PASSWORD, "agent", display_name="  Sam   K ")
    assert account.display_name == "Sam K"


def test_an_admin_adds_accounts_with_a_display_name_through_the_api(client, fresh_directory):
    with session_scope(fresh_directory) as session:
        editing.add_account(session, "admin1", PASSWORD, "admin")
    added = client.post("/editor/users", headers=_bearer(client, "admin1"),
                        json={"name": "agent9", "password": PASSWORD, "role": "agent", "display_name": "Alex"})
    assert added.status_code == 201 and added.json()["display_name"] == "Alex"


@pytest.mark.parametrize("command", ["reset-password", "deactivate", "display-name"])
def test_the_account_commands_exist_and_explain_themselves(command):
    result = subprocess.run([WAYMARK, "users", command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and f"usage: waymark users {command}" in result.stdout
    assert "name" in result.stdout


def _waymark(monkeypatch, url: str, *argv: str, stdin: str = "") -> int:
    from waymark import cli

    monkeypatch.setenv("WAYMARK_DATABASE_URL", url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(list(argv))


def test_reset_password_signs_the_account_out_and_the_new_password_works(client, monkeypatch, capsys):
    old = _bearer(client, "agent1")
    assert _waymark(monkeypatch, client.database_url, "users", "reset-password", "agent1",
                    stdin="a-brand-new-password\n") == 0
    assert "signed out" in capsys.readouterr().out
    assert client.get("/auth/me", headers=old).status_code == 401
    assert client.post("/auth/token", data={"username": "agent1", "password": PASSWORD}).status_code == 401
    assert client.post("/auth/token", data={"username": "agent1", "password": "a-brand-new-password"}).status_code == 200
    assert _waymark(monkeypatch, client.database_url, "users", "reset-password", "agent1", stdin="short\n") == 1
    assert _waymark(monkeypatch, client.database_url, "users", "reset-password", "nobody",
                    stdin="a-brand-new-password\n") == 1


def test_deactivate_stops_sign_in_and_signs_out_now(client, monkeypatch):
    old = _bearer(client, "agent2")
    assert _waymark(monkeypatch, client.database_url, "users", "deactivate", "agent2") == 0
    assert client.get("/auth/me", headers=old).status_code == 401
    assert client.post("/auth/token", data={"username": "agent2", "password": PASSWORD}).status_code == 401
    assert _waymark(monkeypatch, client.database_url, "users", "display-name", "agent1", "Sam R") == 0
    with session_scope(client.database_url) as session:
        from directory.models import EditorAccount
        from sqlalchemy import select

        assert session.scalar(select(EditorAccount.display_name).where(EditorAccount.name == "agent1")) == "Sam R"

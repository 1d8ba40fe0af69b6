"""Oversized and too-fast requests get a clear, polite answer and change nothing."""
from __future__ import annotations

import uuid

from support import ROOT, WEBHOOK

from waymark.limits import RateLimiter


def test_rate_limiter_allows_a_burst_then_refills():
    limiter = RateLimiter(per_minute=60, burst=3)
    assert [limiter.allow("a", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=0.0)  # others are not affected
    assert limiter.allow("a", now=1.1)  # one token a second


def test_oversized_body_is_refused_before_reaching_the_assistant(client, assistant):
    sender = uuid.uuid4().hex
    body = ('{"sender": "%s", "message": "' % sender + "x" * 70_000 + '"}').encode()
    response = client.post(WEBHOOK, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    from support import run_async

    assert not run_async(assistant.has_conversation(sender))


def test_one_conversation_flooding_gets_a_polite_429(client):
    sender = uuid.uuid4().hex
    codes = [client.post(WEBHOOK, json={"sender": sender, "message": "hi"}).status_code for _ in range(15)]
    assert codes[0] == 200 and 429 in codes
    refused = client.post(WEBHOOK, json={"sender": sender, "message": "hi"})
    assert refused.status_code == 429 and "wait a few seconds" in refused.json()["detail"]
    assert "999" in refused.json()["detail"] and "116 123" in refused.json()["detail"]  # (issue 18)


OVERDOSE = "my friend has taken an overdose and is not breathing"


def test_a_crisis_is_never_refused_for_rate_in_its_conversation(client, monkeypatch):
    # A limiter that never refills, so the test does not depend on the machine's speed.
    monkeypatch.setattr(client.app.state, "conversation_limiter", RateLimiter(per_minute=1e-9, burst=10), raising=False)
    sender = uuid.uuid4().hex
    codes = [client.post(WEBHOOK, json={"sender": sender, "message": "hi"}).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]  # this conversation is over its limit
    response = client.post(WEBHOOK, json={"sender": sender, "message": OVERDOSE})
    assert response.status_code == 200, response.text
    assert response.json()[0]["text"].startswith("Call 999")
    slashed = client.post(WEBHOOK, json={"sender": sender, "message": f"/ {OVERDOSE}"})
    assert slashed.status_code == 200 and slashed.json()[0]["text"].startswith("Call 999")


def test_one_address_flooding_gets_a_polite_429_with_security_headers(settings, assistant):

    from fastapi.testclient import TestClient

    from waymark.app import create_app

    strict = settings.with_changes(requests_per_minute_per_ip=40)  # bursts of 10
    with TestClient(create_app(strict, assistant)) as client:
        codes = [client.get("/").status_code for _ in range(12)]
        assert codes[:10] == [200] * 10 and codes[-1] == 429
        refused = client.get("/")
        assert "wait a few seconds" in refused.json()["detail"]
        assert "999" in refused.json()["detail"] and "116 123" in refused.json()["detail"]
        assert "frame-ancestors" in refused.headers["content-security-policy"]
        assert client.get("/healthz").status_code == 200  # probes are never limited


def test_a_crisis_from_an_address_over_its_limit_is_still_answered_first(settings, assistant):

    from fastapi.testclient import TestClient

    from waymark.app import create_app

    strict = settings.with_changes(requests_per_minute_per_ip=1)  # bursts of 10, then one a minute
    with TestClient(create_app(strict, assistant)) as client:
        assert [client.get("/").status_code for _ in range(11)][-1] == 429
        crisis = client.post(WEBHOOK, json={"sender": uuid.uuid4().hex, "message": OVERDOSE})
        assert crisis.status_code == 200 and crisis.json()[0]["text"].startswith("Call 999")
        # Anything else from the address is refused, with 999 and Samaritans.
        chat = client.post(WEBHOOK, json={"sender": uuid.uuid4().hex, "message": "where can I get clean needles"})
        assert chat.status_code == 429
        assert "999" in chat.json()["detail"] and "116 123" in chat.json()["detail"]


# --- JSON nesting and import file size (issue 7) ------------------------------------------------

def test_json_depth_counts_brackets_outside_strings_only():
    from waymark.limits import json_depth_exceeds

    assert not json_depth_exceeds(b'{"a": [[1], {"b": 2}]}', 3)
    assert json_depth_exceeds(b'{"a": [[1], {"b": [2]}]}', 3)
    assert not json_depth_exceeds(b'{"message": "[[[[[[{{{{\\"[[[["}', 1)  # text, not nesting
    assert json_depth_exceeds(b"[" * 40, 32) and not json_depth_exceeds(b"[" * 32 + b"]" * 32, 32)


def _deep(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels


def test_deeply_nested_json_gets_a_polite_400_and_reaches_nothing(client, assistant):
    from support import run_async

    sender = uuid.uuid4().hex
    body = '{"sender": "%s", "message": "hi", "extra": %s}' % (sender, _deep(5000))
    for headers in ({"content-type": "application/json"}, {}):  # FastAPI parses a body with no type as JSON
        response = client.post(WEBHOOK, content=body.encode(), headers=headers)
        assert response.status_code == 400, response.text
        assert "nested too deeply" in response.json()["detail"] and "simpler JSON" in response.json()["detail"]
    assert not run_async(assistant.has_conversation(sender))
    # Ordinary nesting is fine, and brackets typed in a message are just text.
    assert client.post(WEBHOOK, json={"sender": sender, "message": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[hi"}
                       ).status_code == 200


def test_deep_json_to_report_a_problem_queues_nothing(client):
    from sqlalchemy import func, select

    from directory.db import session_scope
    from directory.models import ReviewItem
    from waymark.settings import get_settings

    def queued():
        with session_scope(get_settings().database_url) as session:
            return session.execute(select(func.count()).select_from(ReviewItem)).scalar()

    before = queued()
    body = '{"problem": "The number is wrong", "contact": %s}' % _deep(200)
    response = client.post("/oruk/services/sample-leeds-alcohol-service/report", content=body.encode(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 400 and "nested too deeply" in response.json()["detail"]
    assert queued() == before


def test_an_import_file_over_the_limit_is_refused_and_nothing_is_written(fresh_directory, tmp_path, monkeypatch,
                                                                         capsys):
    from sqlalchemy import func, select

    from directory.db import session_scope
    from directory.models import Postcode, Service
    from waymark import cli

    def counts():
        with session_scope(fresh_directory) as session:
            return [session.execute(select(func.count()).select_from(m)).scalar() for m in (Service, Postcode)]

    before = counts()
    monkeypatch.setenv("WAYMARK_DATABASE_URL", fresh_directory)
    monkeypatch.setenv("WAYMARK_MAX_IMPORT_BYTES", "1000")
    template = ROOT / "directory" / "sample_data" / "import_template.csv"
    postcodes = ROOT / "directory" / "sample_data" / "sample_postcodes.csv"
    for argv in (["directory", "import", str(template), "--format", "csv"],
                 ["directory", "import-postcodes", str(postcodes)]):
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert "nothing was imported" in err and "larger than the 1,000 bytes" in err, err
        assert "WAYMARK_MAX_IMPORT_BYTES" in err
    assert counts() == before
    monkeypatch.setenv("WAYMARK_MAX_IMPORT_BYTES", "100000")  # within the limit it imports
    assert cli.main(["directory", "import", str(template), "--format", "csv"]) == 0
    assert counts()[0] > before[0]

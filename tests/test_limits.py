"""Oversized and too-fast requests get a clear, polite answer and change nothing."""
from __future__ import annotations

import uuid

from support import WEBHOOK

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
    assert "wait a few seconds" in refused.json()["detail"]


def test_one_address_flooding_gets_a_polite_429_with_security_headers(settings, assistant):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from waymark.app import create_app

    strict = replace(settings, requests_per_minute_per_ip=40)  # bursts of 10
    with TestClient(create_app(strict, assistant)) as client:
        codes = [client.get("/").status_code for _ in range(12)]
        assert codes[:10] == [200] * 10 and codes[-1] == 429
        refused = client.get("/")
        assert "wait a few seconds" in refused.json()["detail"]
        assert "frame-ancestors" in refused.headers["content-security-policy"]
        assert client.get("/healthz").status_code == 200  # probes are never limited

"""Stock Rasa 3.6's REST contract (issue 25, item 3): a client written for Rasa talks to Waymark.

Rasa's own console client (`rasa.core.channels.console`, from the installed rasa package: the
blocking send and the streaming one that `rasa shell` uses by default) against a real
`waymark serve`, as a peer would call it; the health check; `metadata` kept in the conversation;
and the one documented difference, a message with no sender, refused with a clear message.
"""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from rasa.core.channels import console
from support import free_port, start_waymark, stop_waymark, wait_healthy

from channels.rest import NO_SENDER

SEARCH = "I need help with my drinking near LS1 4AP"


@pytest.fixture(scope="module")
def server(seeded_directory, tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("rest-contract") / "serve.log", "w")
    proc = start_waymark(port, output=log)
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_waymark([proc])
        log.close()


def post(url: str, body: dict) -> tuple[int, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_channel_health_check_answers_as_stock_rasa(server):
    with urllib.request.urlopen(f"{server}/webhooks/rest/", timeout=10) as r:
        assert r.status == 200
        assert json.load(r) == {"status": "ok"}


def test_rasas_console_client_gets_the_same_answer_blocking_and_streamed(server):
    async def both():
        blocking = await console.send_message_receive_block(server, "", "console-block", SEARCH)
        streamed = [reply async for reply in console._send_message_receive_stream(server, "", "console-stream", SEARCH)]
        return blocking, streamed

    blocking, streamed = asyncio.run(both())
    assert "Kirkgate Recovery Hub" in blocking[0]["text"]
    assert [r.get("text") for r in streamed] == [r.get("text") for r in blocking]
    assert all(r["recipient_id"] == "console-stream" for r in streamed)


def test_the_stream_sends_one_json_object_per_line(server):
    request = urllib.request.Request(f"{server}/webhooks/rest/webhook?stream=true",
                                     data=json.dumps({"sender": "lines", "message": "hello"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        assert r.headers["Content-Type"].startswith("application/x-ndjson")
        lines = [line for line in r.read().decode().split("\n") if line]
    replies = [json.loads(line) for line in lines]
    assert replies and all(isinstance(reply, dict) and reply.get("text") for reply in replies)


def test_a_refusal_is_an_ordinary_error_in_stream_mode_too(server):
    status, body = post(f"{server}/webhooks/rest/webhook?stream=true", {"sender": "sms:3f2a9c", "message": "hi"})
    assert status == 422 and "not a web chat" in body["detail"]


@pytest.mark.parametrize("body", [{"message": "hello"}, {"sender": "", "message": "hello"}])
def test_a_message_without_a_sender_is_refused_with_a_clear_reason(server, body):
    status, answer = post(f"{server}/webhooks/rest/webhook", body)
    assert status == 422
    assert answer["detail"] == NO_SENDER


def test_metadata_is_kept_with_the_conversation(client, assistant):
    sender = "with-metadata"
    replies = client.post("/webhooks/rest/webhook", json={
        "sender": sender, "message": SEARCH, "metadata": {"client": "kiosk-3", "language": "en"}}).json()
    assert "Kirkgate Recovery Hub" in replies[0]["text"]
    tracker = asyncio.run(assistant.agent.tracker_store.retrieve(sender))
    said = [e for e in tracker.events if e.type_name == "user"]
    assert said[-1].input_channel == "rest"
    assert said[-1].metadata.get("client") == "kiosk-3"


def test_metadata_that_is_not_an_object_is_refused(client):
    answer = client.post("/webhooks/rest/webhook", json={"sender": "bad-metadata", "message": "hi", "metadata": "x"})
    assert answer.status_code == 422

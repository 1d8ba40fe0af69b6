"""A local stand-in for Twilio: its Messages REST API on 127.0.0.1, and signed webhooks.

`TwilioStub` is a real HTTP server (a threaded http.server) answering
POST /2010-04-01/Accounts/{AccountSid}/Messages.json the way Twilio does (201 and a message
resource), checking HTTP basic auth, and recording every message. It can be told to fail
(500) to test the outbox's retries. `signed_post` signs a webhook with twilio's own
RequestValidator, as Twilio would.
"""
from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "stub-auth-token-for-tests"
FROM_NUMBER = "+447700900001"
PUBLIC_URL = "http://testserver"


@dataclass
class SentMessage:
    to: str
    body: str
    sender: str
    status_callback: Optional[str]
    sid: str


class TwilioStub:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[SentMessage] = []
        self.requests = 0
        self.fail_with: Optional[int] = None  # an HTTP status to answer every request with
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "TwilioStub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with stub._lock:
                    stub.requests += 1
                    failing = stub.fail_with
                expected = "Basic " + base64.b64encode(f"{stub.account_sid}:{stub.auth_token}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                if self.path != f"/2010-04-01/Accounts/{stub.account_sid}/Messages.json":
                    return self._answer(404, {"code": 20404, "message": "Not found", "status": 404})
                if failing:
                    return self._answer(failing, {"code": 20500, "message": "Internal error", "status": failing})
                if not form.get("To") or not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
                    return self._answer(400, {"code": 21604, "message": "A 'To' and 'Body' are required", "status": 400})
                sid = "SM" + uuid.uuid4().hex
                with stub._lock:
                    stub.messages.append(SentMessage(form["To"], form["Body"], form.get("From") or form.get("MessagingServiceSid"),
                                                     form.get("StatusCallback"), sid))
                self._answer(201, {"sid": sid, "account_sid": stub.account_sid, "to": form["To"],
                                   "from": form.get("From"), "body": form["Body"], "status": "queued",
                                   "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01"})

        return Handler

    def to(self, number: str) -> list[SentMessage]:
        with self._lock:
            return [m for m in self.messages if m.to == number]

    def wait_for(self, number: str, count: int = 1, timeout: float = 30.0) -> list[SentMessage]:
        """Wait until `count` messages have reached `number`; return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.to(number)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"{number} got {len(self.to(number))} message(s), expected {count}: {self.to(number)}")


def sign(url: str, params: dict, auth_token: str = AUTH_TOKEN) -> str:
    return RequestValidator(auth_token).compute_signature(url, params)


def signed_post(client, path: str, params: dict, auth_token: str = AUTH_TOKEN, signature: Optional[str] = None):
    """POST a form to the app as Twilio would, signed against the public URL."""
    signature = sign(PUBLIC_URL + path, params, auth_token) if signature is None else signature
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def sms_params(number: str, body: Optional[str], **extra) -> dict:
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT_SID, "From": number,
              "To": FROM_NUMBER, "NumMedia": "0", **extra}
    if body is not None:
        params["Body"] = body
    return params


def twilio_settings(settings, stub_url: str, **overrides):
    values = dict(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN, twilio_from_number=FROM_NUMBER,
                  twilio_api_base_url=stub_url, public_url=PUBLIC_URL,
                  secret_key="test-secret-key-not-for-production")
    return settings.with_changes(**{**values, **overrides})


def open_app(settings, assistant, stub, **overrides):
    """A second app on the session's one loaded model, with Twilio pointed at the stub, fast
    polling and backoff. Tests move time with `timekeeping` (one clock for every app). The caller
    closes it (`__exit__`)."""
    from fastapi.testclient import TestClient

    from waymark.app import create_app

    client = TestClient(create_app(twilio_settings(settings, stub.url, **overrides), assistant))
    client.__enter__()
    channels = client.app.state.twilio
    channels.poll_seconds = 0.05
    channels.outbox.base_delay = 0.2
    return client

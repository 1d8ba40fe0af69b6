"""Proxies and slow clients (issue 22, item 9), against a real uvicorn server as `waymark serve`
configures it (waymark.serving): X-Forwarded-For is believed only from WAYMARK_TRUSTED_PROXIES
(none by default), so a client can't name its own address to get past the per-address limits;
and a client must send its headers and its body in time. The model is not loaded (no lifespan).
Deadlines are short here; the socket waits are long, so nothing depends on the machine's speed."""
from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from support import free_port

from waymark.serving import uvicorn_options
from waymark.settings import Settings


class Server:
    def __init__(self, settings: Settings):
        from waymark.app import create_app

        self.port = free_port()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, lifespan="off",
                                log_level="warning", **uvicorn_options(settings))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_):
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)


def _get(server: Server, path: str, headers: dict) -> int:
    with server.connect() as s:
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
                 *(f"{k}: {v}" for k, v in headers.items())]
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


def _until_closed(s: socket.socket) -> bytes:
    reply = b""
    while chunk := s.recv(65536):  # the socket's own timeout (30 s) would fail the test
        reply += chunk
    return reply


@pytest.fixture
def base(fresh_directory):
    from directory.db import engine_for
    from handover.models import create_tables

    create_tables(engine_for(fresh_directory))  # the live updates read them (no lifespan here)
    return Settings(database_url=fresh_directory, requests_per_minute_per_ip=4, header_timeout_seconds=0.5,
                    body_timeout_seconds=0.5, trusted_proxies="")


def test_by_default_nobody_is_trusted_to_name_the_clients_address(base):
    options = uvicorn_options(base)
    assert options["proxy_headers"] is False and options["forwarded_allow_ips"] == ""
    with Server(base) as server:
        codes = [_get(server, "/oruk/", {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(14)]
    assert codes[0] == 200 and 429 in codes  # one client, however many addresses it claims


def test_a_listed_proxy_is_believed(base):
    trusted = base.with_changes(trusted_proxies="127.0.0.1")
    options = uvicorn_options(trusted)
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == "127.0.0.1"
    with Server(trusted) as server:
        codes = [_get(server, "/oruk/", {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(14)]
    assert codes == [200] * 14  # each one a different client behind the proxy


def test_a_client_that_is_slow_with_its_headers_is_disconnected(base):
    with Server(base) as server, server.connect() as s:
        s.sendall(b"GET /oruk/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # ...and nothing more
        assert _until_closed(s) == b""


def test_a_client_that_is_slow_with_its_body_gets_408_and_is_disconnected(base):
    with Server(base) as server:
        for path, kind in (("/staff/api/search", "application/json"),
                           ("/oruk/services/sample-leeds-recovery-hub/report", "application/json"),
                           ("/auth/token", "application/x-www-form-urlencoded")):
            with server.connect() as s:
                s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {kind}\r\n"
                          "Content-Length: 200\r\n\r\n{\"area\"".encode())  # 200 promised, 7 sent
                reply = _until_closed(s)
            assert reply.startswith(b"HTTP/1.1 408"), (path, reply[:200])
        assert _get(server, "/oruk/", {}) == 200  # everyone else is served as usual


def test_the_body_deadline_never_cuts_a_live_stream_short(base):
    """A stream outlives the body deadline: once the (empty) body is in, the deadline is off."""
    with Server(base) as server, server.connect() as s:
        s.sendall(b"GET /webhooks/rest/conversations/someone/updates?max_seconds=2 HTTP/1.1\r\n"
                  b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        reply = _until_closed(s)
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"0\r\n\r\n"), reply[-200:]  # ended cleanly

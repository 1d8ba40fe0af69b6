"""The directory database goes away while Waymark is serving (for real: PostgreSQL reached
through a TCP relay of the test's own, which is then shut, so every connection is cut and
new ones are refused, as when the database host goes down). The person still gets a way to
a human, a crisis still gets its numbers, /healthz goes red with a reason, and once the
database is back everything carries on."""
from __future__ import annotations

import socket
import threading
import uuid
from contextlib import contextmanager

import pytest
from support import WEBHOOK, texts

FRANK = "0300 123 6600"


class Relay:
    """Forwards 127.0.0.1:<port> to PostgreSQL; `down()` closes the port and every connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def up(self) -> "Relay":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def down(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by down()
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._open.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture(scope="module")
def relayed_directory(postgres_url):
    """The demo directory on PostgreSQL, reached only through a relay the test can shut."""
    from directory import seed
    from directory.db import create_schema, engine_for, session_scope

    create_schema(engine_for(postgres_url))
    with session_scope(postgres_url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
    relay = Relay(("127.0.0.1", 5432)).up()
    name = postgres_url.rsplit("/", 1)[1]
    yield relay, f"postgresql://postgres@127.0.0.1:{relay.port}/{name}"
    relay.down()
    engine_for(postgres_url).dispose()


@contextmanager
def app_on(settings, assistant, url, monkeypatch):
    """A second app on the session's one model, with its directory at `url` (the custom
    actions read the URL from the environment, so it is set there too)."""
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.assistant import Assistant

    monkeypatch.setenv("WAYMARK_DATABASE_URL", url)
    on_relay = Assistant(assistant.agent, assistant.actions, url)
    with TestClient(create_app(settings.with_changes(database_url=url), on_relay)) as client:
        yield client


def _say(client, sender, text):
    response = client.post(WEBHOOK, json={"sender": sender, "message": text})
    assert response.status_code == 200, response.text  # never a 500
    return texts(response.json())


def test_directory_database_down_gives_a_helpline_and_a_red_probe_then_recovers(settings, assistant,
                                                                                 relayed_directory, monkeypatch):
    relay, url = relayed_directory
    sender = uuid.uuid4().hex
    with app_on(settings, assistant, url, monkeypatch) as client:
        assert client.get("/healthz").status_code == 200
        assert "Kirkgate Recovery Hub" in _say(client, sender, "I need help with my drinking near LS1 4AP")

        relay.down()
        try:
            probe = client.get("/healthz")
            assert probe.status_code == 503
            assert probe.json()["checks"]["database"] is False
            assert "directory database does not answer" in probe.json()["reasons"]["database"]
            assert "127.0.0.1" not in probe.text  # no addresses on a public probe

            reply = _say(client, sender, "what about in Manchester instead")
            assert "something went wrong" in reply and FRANK in reply and "999" in reply
            crisis = _say(client, uuid.uuid4().hex, "I want to kill myself")
            assert "116 123" in crisis  # Samaritans, from the verified defaults
        finally:
            relay.up()

        assert client.get("/healthz").status_code == 200
        assert "Manchester" in _say(client, sender, "what about in Manchester instead")


def test_directory_on_a_closed_port_at_start_up_is_a_clear_error(settings, assistant):
    from fastapi.testclient import TestClient

    from support import free_port

    from waymark.app import create_app
    from waymark.health import DatabaseNotReady

    url = f"postgresql://postgres@127.0.0.1:{free_port()}/waymark"
    with pytest.raises(DatabaseNotReady, match="Cannot reach the directory database"):
        with TestClient(create_app(settings.with_changes(database_url=url), assistant)):
            pass

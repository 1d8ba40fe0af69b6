"""Redis, the lock store of several instances, dies while Waymark is serving (for real: a
redis-server of the test's own, killed with SIGKILL). Nobody gets a 500 or silence: a crisis
is still answered first, anyone else is asked politely to try again, with a person to ring;
once Redis is back, conversations carry on."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager

import pytest
from support import WEBHOOK, free_port, running_in_ci, texts

from waymark.assistant import StoreNotReachable, lock_store_for

FRANK = "0300 123 6600"


def _outside_the_moved_clock() -> dict:
    """Redis is an outside server, like the machine's own Redis and PostgreSQL: in a calendar
    run (tests/run_calendar.py) it runs on the real clock. Under libfaketime, redis-server's
    allocator recurses into clock_gettime and the server never answers."""
    return {name: value for name, value in os.environ.items()
            if name != "LD_PRELOAD" and not name.startswith("FAKETIME")}


def _start_redis(port: int) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        if running_in_ci():
            pytest.fail("redis-server must be installed in CI")
        pytest.skip("redis-server is not installed")
    proc = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no",
                             "--daemonize", "no", "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=_outside_the_moved_clock())
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return proc
        except redis.exceptions.ConnectionError:
            assert proc.poll() is None, "redis-server exited at start-up"
            assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
            time.sleep(0.05)


def _kill(proc: subprocess.Popen) -> None:
    proc.kill()  # SIGKILL: Redis gets no chance to say goodbye
    proc.wait(timeout=10)


@pytest.fixture
def redis_server():
    port = free_port()
    procs = [_start_redis(port)]

    class Server:
        url = f"redis://127.0.0.1:{port}/0"

        def kill(self):
            _kill(procs[-1])

        def restart(self):
            procs.append(_start_redis(port))

    yield Server()
    for proc in procs:
        if proc.poll() is None:
            _kill(proc)


@contextmanager
def locks_in(assistant, url: str):
    """The session's one model, with its conversation locks in this Redis."""
    agent = assistant.agent
    working = agent.lock_store
    agent.lock_store = lock_store_for(url)
    try:
        yield
    finally:
        agent.lock_store = working


def _post(client, sender: str, text: str):
    response = client.post(WEBHOOK, json={"sender": sender, "message": text})
    assert response.status_code == 200, response.text  # never a 500
    return texts(response.json())


def test_redis_dying_while_serving_gets_a_polite_retry_and_crisis_still_comes_first(client, assistant,
                                                                                   redis_server):
    sender = uuid.uuid4().hex
    with locks_in(assistant, redis_server.url):
        assert "Kirkgate Recovery Hub" in _post(client, sender, "I need help with my drinking near LS1 4AP")

        redis_server.kill()
        reply = _post(client, sender, "what about in Manchester instead")
        assert "try again in a few minutes" in reply and FRANK in reply and "999" in reply
        crisis = _post(client, uuid.uuid4().hex, "my friend has taken too much heroin and isn't breathing")
        assert "999" in crisis and "try again" not in crisis  # the crisis reply, not the apology

        redis_server.restart()
        assert "Manchester" in _post(client, sender, "what about in Manchester instead")


def test_with_redis_down_at_start_up_the_lock_store_says_so_clearly(redis_server):
    redis_server.kill()
    with pytest.raises(StoreNotReachable, match="Cannot reach the Redis lock store at redis://127.0.0.1"):
        lock_store_for(redis_server.url)

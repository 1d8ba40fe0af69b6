"""The scale path, for real: two app instances share a PostgreSQL tracker store and a Redis
lock store. Interleaved conversations, and bursts from one person to both instances at once,
must each get exactly one answer per message, handled one at a time and in order."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support import free_port, running_in_ci, start_waymark, stop_waymark, wait_healthy

pytestmark = pytest.mark.scale
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


def _answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def tracker_database():
    if not (_answers("127.0.0.1", 5432) and _answers("127.0.0.1", 6379)):
        if running_in_ci():
            pytest.fail("PostgreSQL and Redis must answer on 127.0.0.1 in CI")
        pytest.skip("PostgreSQL/Redis not running on 127.0.0.1")
    import psycopg2

    name = f"waymark_scale_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(f"{POSTGRES}/test")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES}/{name}"
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _post(port: int, sender: str, text: str) -> list:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def two_instances(tracker_database, seeded_directory):
    env = {**os.environ, "WAYMARK_TRACKER_STORE_URL": tracker_database,
           "WAYMARK_LOCK_STORE_URL": REDIS, "WAYMARK_LOG_LEVEL": "WARNING"}
    ports = [free_port(), free_port()]
    procs = [start_waymark(port, env) for port in ports]
    try:
        for port, proc in zip(ports, procs):
            wait_healthy(port, proc, timeout=300)
        yield ports
    finally:
        stop_waymark(procs)


def _tracker_events(database_url: str, sender: str) -> list[dict]:
    import psycopg2

    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
        return [{"event": t, **json.loads(d)} for t, d in cur.fetchall()]


def test_two_instances_share_conversations_without_losing_or_mixing_turns(two_instances, tracker_database):
    _converse_and_burst(*two_instances, tracker_database)


def test_one_command_serves_with_a_worker_per_core(tracker_database, seeded_directory, tmp_path):
    """`waymark serve --workers 2`: two processes with a model each behind one port, sharing
    the conversations like two instances do."""
    env = {**os.environ, "WAYMARK_TRACKER_STORE_URL": tracker_database,
           "WAYMARK_LOCK_STORE_URL": REDIS, "WAYMARK_LOG_LEVEL": "WARNING"}
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    proc = start_waymark(port, env, output=log, workers=2)
    try:
        wait_healthy(port, proc, timeout=300)
        workers = subprocess.run(["pgrep", "-f", "multiprocessing.spawn", "-P", str(proc.pid)],
                                 capture_output=True, text=True).stdout.split()
        assert len(workers) == 2, workers
        _converse_and_burst(port, port, tracker_database)
    finally:
        stop_waymark([proc])
        log.close()


@pytest.mark.parametrize("stores, told", [
    ({"WAYMARK_LOCK_STORE_URL": "memory"}, "WAYMARK_LOCK_STORE_URL=redis://"),
    ({"WAYMARK_LOCK_STORE_URL": REDIS, "WAYMARK_TRACKER_STORE_URL": "memory"}, "shared conversation history"),
])
def test_several_workers_refuse_stores_only_one_process_can_see(stores, told):
    done = subprocess.run([str(Path(sys.executable).parent / "waymark"), "serve", "--workers", "2",
                           "--port", str(free_port())], env={**os.environ, **stores},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert told in done.stderr


def _converse_and_burst(a: int, b: int, tracker_database: str) -> None:
    """Interleaved conversations alternating between a and b, then one person's burst to both:
    every message answered once, in order, with its conversation's context."""
    conversations = [f"scale-{i}-{uuid.uuid4().hex[:6]}" for i in range(12)]
    script = ["hello", "i want help with my drinking", "LS1 4AP", "thanks"]
    replies: dict[str, list] = {c: [] for c in conversations}
    lock = threading.Lock()

    def converse(index: int, sender: str) -> None:
        for turn, text in enumerate(script):
            port = (a, b)[(index + turn) % 2]  # every conversation alternates between instances
            answer = _post(port, sender, text)
            with lock:
                replies[sender].append(answer)

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(lambda args: converse(*args), enumerate(conversations)))

    for sender in conversations:
        assert len(replies[sender]) == len(script)
        assert all(replies[sender]), f"a message to {sender} got no reply"
        assert "Kirkgate Recovery Hub" in replies[sender][2][0]["text"]  # context kept across instances
        events = _tracker_events(tracker_database, sender)
        said = [e["text"] for e in events if e["event"] == "user"]
        assert said == script  # complete, each once, in order

    # A burst: one person sends several messages to BOTH instances at the same moment.
    sender = f"burst-{uuid.uuid4().hex[:6]}"
    burst = ["hello", "thanks", "hello", "thanks", "hello", "thanks"]
    with ThreadPoolExecutor(max_workers=len(burst)) as pool:
        answers = list(pool.map(lambda i: _post((a, b)[i % 2], sender, burst[i]), range(len(burst))))
    assert all(len(x) == 1 for x in answers), "every message gets exactly one reply"
    events = _tracker_events(tracker_database, sender)
    turns = [e for e in events if e["event"] in ("user", "bot")]
    assert sorted(e["text"] for e in turns if e["event"] == "user") == sorted(burst)
    # Handled one at a time: each message's reply comes before the next message is read.
    kinds = [e["event"] for e in turns]
    assert kinds == ["user", "bot"] * len(burst), kinds


def test_unreachable_stores_fail_at_start_up_with_a_clear_message():
    from waymark.assistant import StoreNotReachable, lock_store_for, tracker_store_for

    with pytest.raises(StoreNotReachable, match="Redis lock store"):
        lock_store_for("redis://127.0.0.1:1/0")
    with pytest.raises(StoreNotReachable, match="tracker store database"):
        tracker_store_for("postgresql://postgres@127.0.0.1:1/nothing")

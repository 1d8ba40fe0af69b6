"""While `waymark serve` runs, the feeds in WAYMARK_FEEDS are synced on a schedule (issue 21):
a real server process against the local feed server (tests/feed_server.py). Two instances on
one directory sync a feed once between them (the database lease), and stopping the server in
the middle of a sync is prompt, records the run as stopped and changes nothing."""
from __future__ import annotations

import os
import time

from sqlalchemy import func, select

from directory import feed_sync
from directory.db import session_scope
from directory.models import FeedSyncRun, Service
from feed_server import FeedServer
from oruk_feeds import council_feed
from support import free_port, start_waymark, stop_waymark, wait_healthy


def _env(url, tmp_path, feed):
    return {**os.environ, "WAYMARK_DATABASE_URL": url, "WAYMARK_FEEDS": f"bristol={feed.url}",
            "WAYMARK_TRACKER_STORE_URL": f"sqlite:///{tmp_path}/conversations.db",
            "WAYMARK_LOCK_STORE_URL": "memory", "WAYMARK_LOG_LEVEL": "WARNING"}


def _runs(url):
    with session_scope(url) as s:
        return [(r.status, r.trigger, r.error) for r in s.scalars(select(FeedSyncRun).order_by(FeedSyncRun.started_at))]


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.5)


def test_two_servers_sync_a_configured_feed_once_between_them(fresh_directory, tmp_path):
    page, expected = council_feed(60)
    with FeedServer(page["contents"]) as feed:
        env = _env(fresh_directory, tmp_path, feed)
        logs = [open(tmp_path / f"serve-{n}.log", "w") for n in range(2)]
        procs = [start_waymark(free_port(), env=env, output=log) for log in logs]
        try:
            for proc in procs:
                wait_healthy(int(proc.args[proc.args.index("--port") + 1]), proc)
            _wait(lambda: any(r[0] == "ok" for r in _runs(fresh_directory)), 120, "a scheduled sync")
            time.sleep(3)  # time for the other instance to have tried as well
            assert [r[:2] for r in _runs(fresh_directory)] == [("ok", "schedule")]
            assert feed.requested("/oruk/services?page=1") == 1  # the feed was read once, not twice
        finally:
            stop_waymark(procs)
            for log in logs:
                log.close()
    with session_scope(fresh_directory) as s:
        assert s.scalar(select(func.count()).select_from(Service).where(Service.id.in_(expected.ids))) == \
            expected.imported


def test_stopping_the_server_mid_sync_is_prompt_and_changes_nothing(fresh_directory, tmp_path):
    page, _ = council_feed(60)
    with FeedServer(page["contents"], slow_step=0.3) as feed:
        feed.fail(("page", 1), "slow")  # minutes to send: the sync is still reading it when we stop
        env = _env(fresh_directory, tmp_path, feed)
        with open(tmp_path / "serve.log", "w") as log:
            port = free_port()
            proc = start_waymark(port, env=env, output=log)
            try:
                wait_healthy(port, proc)
                _wait(lambda: feed.requested("page=1") >= 1, 120, "the sync asking for page 1")
                time.sleep(1)
            finally:
                stopping = time.monotonic()
                stop_waymark([proc])
                took = time.monotonic() - stopping
    assert proc.returncode is not None and took < 25, f"the server took {took:.1f} s to stop"
    [(status, trigger, error)] = _runs(fresh_directory)
    assert (status, trigger) == ("failed", "schedule") and "the server is shutting down" in error
    assert feed_sync.lease_holder(fresh_directory, feed_sync.lease_name("bristol")) is None
    with session_scope(fresh_directory) as s:
        assert s.scalar(select(func.count()).select_from(Service).where(Service.name.like("Bristol%"))) == 0

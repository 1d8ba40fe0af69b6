"""Keeping the directory current from a council's feed URL (issue 21, item 3): `waymark
directory sync`, against a real HTTP server in the test (tests/feed_server.py) serving
real-shaped pages (tests/oruk_feeds.py) in every fault case the issue names: a paged feed, a
slow page, a 500, a page of malformed JSON, a feed that shrinks, and a huge page, a stalled one,
a redirect loop, a feed that changes while it is read. A failed or partial pull changes nothing
(every table is compared); every run is recorded; one instance syncs at a time."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

import timekeeping
from directory import editing, feed_sync, oruk_import
from directory.db import session_scope
from directory.models import FeedRecord, FeedSyncRun, Phone, Service, ServiceAtLocation
from feed_server import FeedServer
from oruk_feeds import council_feed
from support import ROOT
from test_directory_import_batches import _everything

FAST = feed_sync.SyncOptions(timeout=2.0, page_timeout=2.0, deadline=60.0, retries=2, backoff=0.05,
                             max_backoff=1.5, max_page_bytes=1_000_000, per_page=50)
# For the broken pages: a second to connect and between bytes, and for a whole page.
QUICK = replace(FAST, timeout=1.0, page_timeout=1.0)
START = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def council():
    page, expected = council_feed(120)
    return page["contents"], expected


@pytest.fixture
def directory(fresh_directory):
    timekeeping.travel(START)
    return fresh_directory


def _runs(url, source="bristol"):
    with session_scope(url) as s:
        runs = s.scalars(select(FeedSyncRun).where(FeedSyncRun.source == source).order_by(FeedSyncRun.started_at)).all()
        for r in runs:
            s.expunge(r)
        return runs


def _directory_tables(url):
    return {k: v for k, v in _everything(url).items()}


def _sync(url, feed, full=False, options=FAST, **kw):
    return feed_sync.sync(url, feed.url, "bristol", full=full, options=options, **kw)


def test_a_paged_feed_is_synced_whole_as_importing_it_would(directory, council, tmp_path):
    records, expected = council
    with FeedServer(records) as feed:  # the profile's list pages: one-to-one fields only
        run = _sync(directory, feed, full=True)
        assert feed.requested("/oruk/services?page=") == 3  # 120 services, 50 a page
        assert feed.requested("/oruk/services/") == 120  # and each service whole
    assert (run.status, run.pages, run.records) == ("ok", 3, 120)
    assert run.created == expected.imported and run.refused == len(expected.refused)
    assert run.quarantined == len(expected.quarantined) and run.requests == 3 + 120
    with session_scope(directory) as s:
        sample = s.get(Service, expected.ids[1])
        assert sample.phones and sample.schedules and sample.service_at_locations  # from /services/{id}
        assert s.scalar(select(func.count()).select_from(FeedRecord).where(FeedRecord.source == "bristol")) == \
            expected.imported
    # Exactly what importing the same records from a file makes of them.
    from directory import seed
    from directory.db import create_schema, engine_for

    other = f"sqlite:///{tmp_path}/imported.db"
    create_schema(engine_for(other))
    with session_scope(other) as s:
        seed.seed_national(s)
        seed.seed_sample(s)
    with session_scope(other) as s:
        got = [dict(r, last_modified="2026-11-01T09:00:00Z") for r in records]
        oruk_import.import_records(s, got, "bristol", who="sync:bristol", full_feed=True)
    from directory import oruk_export

    def published(url):
        with session_scope(url) as s:
            return {sid: oruk_export.service_full(s, oruk_export.load_full(s, sid))
                    for sid in expected.ids if s.get(Service, sid) is not None}

    mine, theirs = published(directory), published(other)
    assert len(mine) == expected.imported and mine == theirs
    assert _directory_tables(directory)["search_entry"] == _directory_tables(other)["search_entry"]


def test_a_sync_from_waymarks_own_feed_brings_every_listing_across(directory, tmp_path):
    """Waymark's /oruk feed (the profile's shape: list pages of one-to-one fields, every service
    whole at /services/{id}) synced into an empty directory: every listing arrives, the same."""
    from fastapi import FastAPI

    from directory import api_oruk, oruk_export
    from directory.db import create_schema, engine_for
    from support import serving_in_a_thread
    from waymark.settings import Settings

    app = FastAPI()
    app.state.settings = Settings(database_url=directory)
    app.include_router(api_oruk.router)
    copy = f"sqlite:///{tmp_path}/copy.db"
    create_schema(engine_for(copy))
    with serving_in_a_thread(app, "Waymark's ORUK feed") as port:
        run = feed_sync.sync(copy, f"http://127.0.0.1:{port}/oruk", "waymark-demo", full=True, options=FAST)

    def published(url):
        with session_scope(url) as s:
            return {sid: oruk_export.service_full(s, oruk_export.load_full(s, sid)) for sid in s.scalars(select(Service.id))}

    mine, copied = published(directory), published(copy)
    assert run.status == "ok" and run.records == run.created == len(mine) and set(copied) == set(mine)
    for sid, service in mine.items():
        other = copied[sid]
        for key in ("name", "description", "status", "email", "url", "minimum_age", "maximum_age", "assured_date"):
            assert other.get(key) == service.get(key), (sid, key)
        assert [(p["location"]["latitude"], p["location"]["longitude"]) for p in other["service_at_locations"]] == \
            [(p["location"]["latitude"], p["location"]["longitude"]) for p in service["service_at_locations"]]
        hours = (lambda listing: sorted((h.get("byday"), h.get("opens_at"), h.get("closes_at"), h.get("valid_from"))
                                        for h in listing["schedules"]))
        assert hours(other) == hours(service), sid
        # Every code the feed gave is kept (the import may add codes it reads in the text).
        assert {a["taxonomy_term_id"] for a in service["attributes"]} <= {a["taxonomy_term_id"] for a in other["attributes"]}


def test_the_next_sync_asks_only_for_changes_and_retires_nothing(directory, council):
    records, expected = council
    with FeedServer(records) as feed:
        _sync(directory, feed, full=True)
        timekeeping.travel(START + timedelta(hours=6))
        changed = [r for r in records if r["name"].strip()][:5]
        for r in changed:
            feed.state.modified[r["id"]] = "2026-12-01T14:00:00Z"
            r["name"] += " (renamed)"
        try:
            run = _sync(directory, feed)
        finally:
            for r in changed:
                r["name"] = r["name"].replace(" (renamed)", "")
        asked = [p for p in feed.state.requests if "modified_after=" in p]
        assert asked and "modified_after=2026-12-01T09%3A00%3A0" in asked[0]  # the last start, less an hour
    assert (run.status, run.full, run.records, run.updated, run.retired) == ("ok", False, 5, 5, 0)
    with session_scope(directory) as s:
        assert s.get(Service, changed[0]["id"]).name.endswith("(renamed)")
        assert s.scalar(select(func.count()).select_from(Service).where(
            Service.id.in_(expected.ids), Service.status == "active")) == expected.imported


def test_a_full_sync_of_a_feed_that_shrinks_a_little_retires_what_went(directory, council):
    records, expected = council
    with FeedServer(records) as feed:
        _sync(directory, feed, full=True)
        gone = [r["id"] for r in records[:6] if r["name"].strip()]
        feed.state.records = [r for r in records if r["id"] not in gone]
        run = _sync(directory, feed, full=True)
    assert run.status == "ok" and run.retired == len(gone)
    with session_scope(directory) as s:
        assert {s.get(Service, g).status for g in gone} == {"inactive"}


def test_a_feed_that_shrinks_too_far_is_refused_unless_allowed(directory, council):
    records, expected = council
    with FeedServer(records) as feed:
        _sync(directory, feed, full=True)
        before = _directory_tables(directory)
        feed.state.records = records[:20]
        with pytest.raises(feed_sync.FeedRefused, match=r"the feed gave 20 services where 'bristol' has \d+ live"):
            _sync(directory, feed, full=True)
        assert _directory_tables(directory) == before
        assert _runs(directory)[-1].status == "failed" and "--allow-shrink" in _runs(directory)[-1].error
        run = _sync(directory, feed, full=True, options=replace(FAST, allow_shrink=True))
    assert run.status == "ok" and run.retired > 80


@pytest.mark.parametrize("fault, error, refused", [
    ("500", r"page 2 \(.*\): the server answered 500 Internal Server Error \(3 tries\)", False),
    ("malformed", r"page 2 \(.*\) is not valid JSON: line 1, column \d+", True),
    ("html", r"page 2 \(.*\) is not valid JSON \(the server said it is text/html\)", True),
    ("slow", r"page 2 \(.*\): the answer took longer than 1 s to arrive \(3 tries\)", False),
    ("stall", r"page 2 \(.*\): no answer within 1 s \(ReadTimeout\) \(3 tries\)", False),
    ("huge", r"page 2 \(.*\) is larger than 1,000,000 bytes", True),
    ("huge-declared", r"page 2 \(.*\) is 3,000,000 bytes; at most 1,000,000", True),
    ("loop", r"page 2 \(.*\) redirects in a loop \(more than 5 redirects\)", True),
    ("empty", r"page 2 \(.*\) is empty, but the feed says it has 3 pages of 120 services", False),
    ("moved", r"the feed changed while it was read: page 1 said 120 services on 3 pages, page 2 says 120 on 4 "
              r"twice running", False),
    ("v1", r"page 2 .*HSDS-UK 1.0", True),
])
def test_a_broken_page_fails_the_run_clearly_and_changes_nothing(directory, council, fault, error, refused):
    records, _ = council
    with FeedServer(records) as feed:
        _sync(directory, feed, full=True)  # a directory with the feed in it already
        feed.state.records = [dict(r, name=r["name"] + " v2") if r["name"].strip() else r for r in records]
        timekeeping.travel(START + timedelta(hours=7))
        before = _directory_tables(directory)
        feed.fail(("page", 2), fault)
        started = time.monotonic()
        with pytest.raises(feed_sync.SyncError, match=error) as caught:
            _sync(directory, feed, full=True, options=QUICK)
        took = time.monotonic() - started
    assert isinstance(caught.value, feed_sync.FeedRefused) is refused  # 422 for the editors' API, else 502
    assert took < 20, f"the {fault} page took {took:.1f} s to give up on"
    assert _directory_tables(directory) == before  # nothing half-written: not a row, not a search entry
    last = _runs(directory)[-1]
    assert last.status == "failed" and last.error == caught.value.message and last.finished_at is not None


def test_a_page_that_fails_now_and_then_is_tried_again(directory, council):
    records, expected = council
    with FeedServer(records) as feed:
        feed.fail(("page", 2), "500", times=2)
        feed.fail(("page", 3), "503-retry-after", times=1)
        feed.fail(("service", expected.ids[3]), "500", times=1)
        run = _sync(directory, feed, full=True)
        assert feed.requested("page=2") == 3 and feed.requested("page=3") == 2
        assert feed.requested(f"/services/{expected.ids[3]}") == 2
    assert run.status == "ok" and run.created == expected.imported


def test_a_feed_that_changes_once_while_it_is_read_is_read_again(directory, council):
    records, expected = council
    with FeedServer(records) as feed:
        feed.fail(("page", 2), "moved", times=1)
        run = _sync(directory, feed, full=True)
        assert feed.requested("page=1&") == 2
    assert run.status == "ok" and run.created == expected.imported


def test_a_service_that_cannot_be_had_whole_fails_the_run(directory, council):
    records, expected = council
    before = _directory_tables(directory)
    with FeedServer(records) as feed:
        feed.fail(("service", expected.ids[60]), "malformed")
        with pytest.raises(feed_sync.FeedRefused, match=f"service '{expected.ids[60]}' .* is not valid JSON"):
            _sync(directory, feed, full=True)
    assert _directory_tables(directory) == before


def test_broken_records_on_a_good_page_are_not_a_broken_page(directory, council):
    records, expected = council
    with FeedServer(records, nested_lists=True) as feed:  # Bristol-style pages: everything nested
        run = _sync(directory, feed, full=True)
        assert feed.requested("/oruk/services/") == 0  # nothing to fetch whole
    assert run.status == "ok" and run.refused == len(expected.refused) and run.quarantined == len(expected.quarantined)
    assert run.report.refused and "field 'name': is missing" in str(run.report.refused[0])


def test_a_bad_address_is_refused_before_anything(directory):
    for url in ("ftp://example.org/oruk", "not a url", "file:///etc/passwd"):
        with pytest.raises(feed_sync.FeedRefused, match="is not an http"):
            feed_sync.sync(directory, url, "x", options=FAST)
    assert _runs(directory, "x") == []


def test_one_sync_of_a_feed_at_a_time(directory, council):
    records, _ = council
    with FeedServer(records, slow_step=0.004) as feed:
        feed.fail(("page", 1), "slow", times=1)  # the first sync is busy for a while
        slow = replace(FAST, page_timeout=30.0, timeout=5.0)
        outcome = {}
        first = threading.Thread(target=lambda: outcome.setdefault("run", _sync(directory, feed, full=True, options=slow)))
        first.start()
        deadline = time.monotonic() + 10
        while not feed_sync.lease_holder(directory, feed_sync.lease_name("bristol")) and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(feed_sync.SyncBusy, match="another sync of 'bristol' is running"):
            _sync(directory, feed, full=True)
        first.join(60)
    assert outcome["run"].status == "ok"
    assert feed_sync.lease_holder(directory, feed_sync.lease_name("bristol")) is None  # let go


def test_a_lease_left_by_a_process_that_died_runs_out(directory):
    assert feed_sync.acquire_lease(directory, "feed-sync:x", "dead-host:1:a", 60)
    assert not feed_sync.acquire_lease(directory, "feed-sync:x", "other:2:b", 60)
    timekeeping.travel(START + timedelta(seconds=61))
    assert feed_sync.acquire_lease(directory, "feed-sync:x", "other:2:b", 60)


def _settings(url, feed, **changes):
    from waymark.settings import Settings

    return Settings(database_url=url, feeds=f"bristol={feed.url}", **changes)


def test_the_schedule_syncs_each_feed_when_due_on_one_instance_at_a_time(directory, council):
    records, _ = council
    with FeedServer(records) as feed:
        settings = _settings(directory, feed)
        outcomes = []
        instances = [threading.Thread(target=lambda: outcomes.extend(
            feed_sync.sync_due_feeds(settings, options=FAST))) for _ in range(2)]
        for t in instances:
            t.start()
        for t in instances:
            t.join(60)
        assert len(outcomes) == 1 and outcomes[0][1].status == "ok" and outcomes[0][1].full  # never synced: in full
        assert feed_sync.sync_due_feeds(settings, options=FAST) == []  # nothing due straight after
        timekeeping.travel(START + timedelta(hours=6, minutes=1))
        [(_, run)] = feed_sync.sync_due_feeds(settings, options=FAST)
        assert run.status == "ok" and not run.full and run.modified_after is not None
        timekeeping.travel(START + timedelta(hours=24, minutes=1))
        [(_, run)] = feed_sync.sync_due_feeds(settings, options=FAST)
        assert run.full  # once a day, in full
        feed.fail(("page", 1), "500")
        timekeeping.travel(START + timedelta(hours=30, minutes=2))
        [(_, error)] = feed_sync.sync_due_feeds(settings, options=FAST)
        assert isinstance(error, feed_sync.FeedUnavailable)
        timekeeping.travel(START + timedelta(hours=30, minutes=20))
        assert feed_sync.sync_due_feeds(settings, options=FAST) == []  # a failed feed waits half an hour
        feed.heal()
        timekeeping.travel(START + timedelta(hours=30, minutes=33))
        [(_, run)] = feed_sync.sync_due_feeds(settings, options=FAST)
        assert run.status == "ok"


def test_while_serving_the_schedule_runs_in_the_background_and_stops_with_the_server(directory, council):
    records, _ = council
    with FeedServer(records) as feed:
        settings = _settings(directory, feed)

        async def serve_briefly():
            task = asyncio.create_task(feed_sync.sync_on_schedule(settings, check_every=0.2))
            for _ in range(600):  # a minute at most
                await asyncio.sleep(0.1)
                if any(r.status == "ok" for r in _runs(directory)):
                    break
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(serve_briefly())
    [run] = _runs(directory)
    assert run.status == "ok" and run.trigger == "schedule"


def test_stale_feeds_are_flagged(directory, council):
    records, _ = council
    with FeedServer(records) as feed:
        settings = _settings(directory, feed)
        assert "bristol" in feed_sync.stale_feeds_report(settings) and "never synced" in feed_sync.stale_feeds_report(settings)
        _sync(directory, feed, full=True)
        assert "all 1 synced successfully" in feed_sync.stale_feeds_report(settings)
        feed.fail(("page", 1), "500")
        timekeeping.travel(START + timedelta(hours=25))
        with pytest.raises(feed_sync.FeedUnavailable):
            _sync(directory, feed)
        report = feed_sync.stale_feeds_report(settings)
        assert "1 feed(s) with no good sync in the last 24 hours" in report
        assert "last good sync 2026-12-01T10:00:" in report and "(25 hours ago)" in report
        assert "500 Internal Server Error" in report


def _waymark(*args, env):
    return subprocess.run([str(Path(sys.executable).parent / "waymark"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_the_sync_commands(fresh_directory, council):
    records, expected = council
    with FeedServer(records) as feed:
        env = {**os.environ, "WAYMARK_DATABASE_URL": fresh_directory, "WAYMARK_FEEDS": f"bristol={feed.url}"}
        ok = _waymark("directory", "sync", feed.url, "--source", "bristol", "--full", env=env)
        assert ok.returncode == 0, ok.stderr
        assert "page 2 of 2: 120 services" in ok.stdout and "services in full: 120/120" in ok.stdout  # 100 a page
        assert f"{expected.imported}/{expected.imported} services" in ok.stdout  # the import's progress
        assert "Read 120 service(s) on 2 page(s)" in ok.stdout and f"{expected.imported} imported" in ok.stdout
        by_name = _waymark("directory", "sync", "bristol", env=env)  # a configured feed, by its name
        assert by_name.returncode == 0 and "changes since" in by_name.stdout
        feed.fail(("page", 2), "malformed")
        bad = _waymark("directory", "sync", "bristol", "--full", "--retries", "0", env=env)
        assert bad.returncode == 1
        assert "nothing was imported: page 2 (" in bad.stderr and "is not valid JSON" in bad.stderr
        assert "Traceback" not in bad.stderr
        due = _waymark("directory", "sync", "--configured", env=env)
        assert due.returncode == 0 and "is due" in due.stdout  # synced just now (the failure is younger than 30 min)
        runs = _waymark("directory", "syncs", env=env)
        assert runs.returncode == 0 and runs.stdout.count(" bristol [") == 3
        assert "[failed] full" in runs.stdout and "is not valid JSON" in runs.stdout
        stale = _waymark("directory", "stale", env={**env, "WAYMARK_FEED_STALE_HOURS": "0"})
        assert "feed(s) with no good sync in the last 0 hours" in stale.stdout and "bristol" in stale.stdout
    for command in (("directory", "sync"), ("directory", "syncs")):
        helped = _waymark(*command, "--help", env=env)
        assert helped.returncode == 0 and "usage: waymark directory" in helped.stdout


@pytest.fixture
def editor_api(directory):
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.settings import Settings

    with session_scope(directory) as s:
        editing.add_account(s, "sam", "correct horse battery", "editor")

    def make(feed_url):
        client = TestClient(create_app(Settings(database_url=directory, feeds=f"bristol={feed_url}")))
        token = client.post("/editor/token", data={"username": "sam", "password": "correct horse battery"})
        return client, {"Authorization": f"Bearer {token.json()['access_token']}"}

    return make


def test_editors_see_the_runs_and_can_sync_a_configured_feed(directory, council, editor_api, monkeypatch):
    records, expected = council
    monkeypatch.setattr(feed_sync.SyncOptions, "from_settings", classmethod(lambda cls, settings, **kw: FAST))
    with FeedServer(records) as feed:
        api, auth = editor_api(feed.url)
        assert api.get("/editor/feeds").status_code == 401
        [listed] = api.get("/editor/feeds", headers=auth).json()
        assert listed["source"] == "bristol" and listed["stale"] and listed["last_run"] is None
        done = api.post("/editor/feeds/bristol/sync?full=true", headers=auth)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "ok" and done.json()["created"] == expected.imported
        assert done.json()["trigger"] == "editor:sam"
        feed.fail(("page", 1), "malformed")
        refused = api.post("/editor/feeds/bristol/sync", headers=auth)
        assert refused.status_code == 422 and "nothing was imported: page 1" in refused.json()["detail"]
        feed.fail(("page", 1), "500")
        unavailable = api.post("/editor/feeds/bristol/sync", headers=auth)
        assert unavailable.status_code == 502 and "500 Internal Server Error" in unavailable.json()["detail"]
        assert api.post("/editor/feeds/elsewhere/sync", headers=auth).status_code == 404
        runs = api.get("/editor/feeds/runs?source=bristol", headers=auth).json()
        assert [r["status"] for r in runs] == ["failed", "failed", "ok"]
        [listed] = api.get("/editor/feeds", headers=auth).json()
        assert not listed["stale"] and listed["last_run"]["status"] == "failed"
        assert listed["last_good_run"]["created"] == expected.imported

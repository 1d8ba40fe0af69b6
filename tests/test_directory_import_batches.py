"""Imports write a batch of services at a time (issue 21, item 4: 1,000 services in under 30 s).

The import loads what a batch already has in a few queries, writes it with autoflush off and
rewrites the search rows once per batch (directory.search_index.deferred). These tests hold it
to the same result as writing one service at a time, whatever the batch size, over a feed that
changes in every way an update can (tests/oruk_feeds.py `reshuffled`); to a search table exactly
as a full rebuild makes it; to nothing half-written when a later batch fails; and to a number of
queries that grows with the batches, not with the services."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from directory import oruk_import, search_index
from directory.db import engine_for, session_scope
from directory.models import Location, SearchEntry, Service
from oruk_feeds import council_feed, reshuffled

TABLES = ("service", "organization", "location", "address", "phone", "schedule", "attribute", "language",
          "contact", "accessibility", "cost_option", "service_at_location", "taxonomy", "taxonomy_term",
          "feed_record", "search_entry", "metadata", "review_item")


def _everything(url) -> dict:
    """Every row of every table an import writes; the random ids of audit rows and review
    items left out (they are uuid4s, different in every run)."""
    out = {}
    with engine_for(url).connect() as conn:
        for table in TABLES:
            result = conn.exec_driver_sql(f"SELECT * FROM {table}")
            columns = list(result.keys())
            rows = []
            for row in result.fetchall():
                values = dict(zip(columns, row))
                if table in ("metadata", "review_item"):
                    values.pop("id")
                rows.append(tuple(sorted((k, str(v)) for k, v in values.items())))
            out[table] = sorted(rows)
    return out


@pytest.fixture(scope="module")
def feeds():
    page, _ = council_feed(90)
    return [page["contents"], reshuffled(page), page["contents"]]


def _import_all(url, feeds, batch):
    from datetime import datetime, timezone

    reports = []
    for day, records in enumerate(feeds, start=1):
        with session_scope(url) as s:
            reports.append(str(oruk_import.import_records(
                s, records, source="bristol", full_feed=True, batch=batch,
                now=datetime(2026, 12, day, 10, 0, tzinfo=timezone.utc))))
    return reports


def test_every_batch_size_writes_exactly_what_one_service_at_a_time_writes(tmp_path, feeds):
    from directory.db import create_schema

    results = {}
    for batch in (1, 7, 1000):
        url = f"sqlite:///{tmp_path}/batch-{batch}.db"
        create_schema(engine_for(url))
        reports = _import_all(url, feeds, batch)
        results[batch] = (reports, _everything(url))
    one_at_a_time = results[1]
    assert "updated" in one_at_a_time[0][1] and "missing from the feed marked inactive" in one_at_a_time[0][1]
    for batch in (7, 1000):
        assert results[batch][0] == one_at_a_time[0], f"batch {batch}: different summaries"
        for table in TABLES:
            assert results[batch][1][table] == one_at_a_time[1][table], f"batch {batch}: table {table} differs"


def test_the_search_table_is_what_a_full_rebuild_makes(fresh_directory, feeds):
    _import_all(fresh_directory, feeds[:2], batch=25)
    imported = _everything(fresh_directory)["search_entry"]
    with engine_for(fresh_directory).begin() as conn:
        search_index.rebuild(conn)
    assert _everything(fresh_directory)["search_entry"] == imported
    with session_scope(fresh_directory) as s:  # and it says what the feed says
        closed = [r["id"] for i, r in enumerate(feeds[1]) if r.get("status") == "inactive"]
        assert closed and all(s.get(Service, sid).status == "inactive" for sid in closed if s.get(Service, sid))
        statuses = {e.service_id: e.status for e in s.scalars(select(SearchEntry).where(
            SearchEntry.service_id.in_(closed)))}
        assert statuses and set(statuses.values()) == {"inactive"}


def test_a_failure_in_a_later_batch_leaves_nothing_half_written(fresh_directory, feeds, monkeypatch):
    _import_all(fresh_directory, feeds[:1], batch=10)
    before = _everything(fresh_directory)
    calls = []
    real = oruk_import._apply_service

    def failing(session, w, item, *args):
        calls.append(item.id)
        if len(calls) == 35:  # in the fourth batch: three batches are flushed by now
            raise RuntimeError("the database went away")
        return real(session, w, item, *args)

    monkeypatch.setattr(oruk_import, "_apply_service", failing)
    with pytest.raises(RuntimeError):
        with session_scope(fresh_directory) as s:
            oruk_import.import_records(s, feeds[1], source="bristol", full_feed=True, batch=10)
    assert len(calls) == 35
    assert _everything(fresh_directory) == before  # search rows, audit trail and review queue too


def test_queries_grow_with_batches_not_services(fresh_directory):
    page, expected = council_feed(400)
    selects = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    engine = engine_for(fresh_directory)
    event.listen(engine, "before_cursor_execute", count)
    try:
        with session_scope(fresh_directory) as s:
            report = oruk_import.import_records(s, page["contents"], source="bristol", full_feed=True, batch=200)
        first = len(selects)
        selects.clear()
        with session_scope(fresh_directory) as s:
            again = oruk_import.import_records(s, reshuffled(page), source="bristol", full_feed=True, batch=200)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert report.created == expected.imported and again.updated > 100
    # About 30 queries a batch of 200 (before: ~20 a service, and 98,000 statements for 1,000).
    assert first < 90, f"{first} SELECTs to import 400 services"
    assert len(selects) < 120, f"{len(selects)} SELECTs to update 400 services"


def test_a_commit_inside_a_deferred_block_writes_its_search_rows_first(fresh_directory):
    with session_scope(fresh_directory) as s:
        entry = s.scalars(select(SearchEntry).where(SearchEntry.confidential.is_(False))).first()
        location = s.get(Location, entry.location_id)
        with search_index.deferred(s):
            location.latitude += 0.5
            s.flush()  # noted, not refreshed yet
            rows = s.scalars(select(SearchEntry.latitude).where(SearchEntry.location_id == location.id)).all()
            assert rows and all(abs(lat - (location.latitude - 0.5)) < 1e-9 for lat in rows)
            s.commit()
    with session_scope(fresh_directory) as s:
        moved = s.get(Location, location.id)
        rows = s.scalars(select(SearchEntry).where(SearchEntry.location_id == moved.id)).all()
        assert rows and all(abs(e.latitude - moved.latitude) < 1e-9 for e in rows)

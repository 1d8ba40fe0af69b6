"""The directory on PostgreSQL (the scale path), against the real server on 127.0.0.1:5432:
migrations, seeding, imports (and all-or-nothing rejection), search, successors and the ORUK
API. Skipped when no server answers, except on CI (CI=true), where it must run."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from directory import editing, oruk_import, search, seed
from directory.db import create_schema, engine_for, session_scope
from directory.models import Metadata, Service
from support import ROOT
from test_directory_migrations import _differences

pytestmark = pytest.mark.scale


@pytest.fixture(scope="module")
def pg_directory(postgres_url):
    create_schema(engine_for(postgres_url))
    with session_scope(postgres_url) as s:
        seed.seed_national(s)
        seed.seed_sample(s)
    return postgres_url


def test_migrations_match_the_models_on_postgres(pg_directory):
    engine = engine_for(pg_directory)
    assert engine.dialect.name == "postgresql"
    create_schema(engine)  # again: nothing to do
    assert _differences(engine) == []


def test_search_and_successor_on_postgres(pg_directory):
    with session_scope(pg_directory) as s:
        results = search.search(s, search.SearchQuery(53.797, -1.548, need="needle-exchange"))
        assert results and results[0].distance_km <= results[-1].distance_km
        assert "sample-leeds-pharmacy-nsp" in {r.service_id for r in results}
        editing.close_service(s, "sample-leeds-mutual-aid", "test", successor_id="sample-leeds-recovery-hub")
    with session_scope(pg_directory) as s:
        assert search.resolve_successor(s, "sample-leeds-mutual-aid").id == "sample-leeds-recovery-hub"


def test_search_table_and_feature_filter_on_postgres(pg_directory):
    """The search table is filled by the migrations and seed, and follows a closure at once."""
    with session_scope(pg_directory) as s:
        families = search.search(s, search.SearchQuery(53.797, -1.548, need="naloxone", features=["naloxone-families"]))
        assert "sample-leeds-families" in {r.service_id for r in families}
        assert "sample-leeds-pharmacy-nsp" not in {r.service_id for r in families}  # naloxone for clients only
        editing.close_service(s, "sample-leeds-families", "test")
        after = search.search(s, search.SearchQuery(53.797, -1.548, need="naloxone", features=["naloxone-families"]))
        assert "sample-leeds-families" not in {r.service_id for r in after} and after
    with session_scope(pg_directory) as s:
        editing.reactivate_service(s, "sample-leeds-families", "test")
        again = search.search(s, search.SearchQuery(53.797, -1.548, need="family-support"))
        assert "sample-leeds-families" in {r.service_id for r in again}


def test_import_update_and_rejection_on_postgres(pg_directory, hsds_dir, tmp_path):
    record = json.loads((hsds_dir / "examples" / "service_full.json").read_text())
    with session_scope(pg_directory) as s:
        assert oruk_import.import_records(s, [record], source="pg-example").created == 1
    record["name"] = "Community Counselling (renamed)"
    with session_scope(pg_directory) as s:
        assert oruk_import.import_records(s, [record], source="pg-example", who="pg-test").updated == 1
    with session_scope(pg_directory) as s:
        change = s.scalar(select(Metadata).where(Metadata.updated_by == "pg-test", Metadata.field_name == "name"))
        assert change.replacement_value == "Community Counselling (renamed)"
        before = s.scalar(select(func.count()).select_from(Metadata))
    not_a_feed = [{"id": "pg-nameless-1"}, {"id": "pg-nameless-2", "name": " "}]
    with pytest.raises(oruk_import.FeedError, match="none of its 2 records"):
        with session_scope(pg_directory) as s:
            oruk_import.import_records(s, not_a_feed, source="pg-example")
    with session_scope(pg_directory) as s:
        assert s.scalar(select(func.count()).select_from(Metadata)) == before
    mixed = [dict(record, id="pg-new-one"), dict(record, id="pg-bad", status="closed")]
    with session_scope(pg_directory) as s:
        report = oruk_import.import_records(s, mixed, source="pg-example")
        assert report.created == 1 and [q.id for q in report.quarantined] == ["pg-bad"]
    with session_scope(pg_directory) as s:
        assert s.get(Service, "pg-new-one") is not None and s.get(Service, "pg-bad") is None
    with session_scope(pg_directory) as s:
        template = ROOT / "directory" / "sample_data" / "import_template.csv"
        assert oruk_import.import_path(s, template, fmt="csv", source="pg-template").created == 2


def test_oruk_api_on_postgres(pg_directory, hsds_dir):
    from fastapi.testclient import TestClient

    from test_directory_oruk_api import HSDS
    from waymark.app import create_app
    from waymark.settings import Settings

    hsds = HSDS(hsds_dir)
    api = TestClient(create_app(Settings(database_url=pg_directory)))
    page = api.get("/oruk/services", params={"postcode": "LS1 4AP", "proximity": 3000}).json()
    hsds.validate("/services", page)
    assert page["contents"]
    full = api.get("/oruk/services/sample-leeds-recovery-hub").json()
    hsds.validate("/services/{id}", full)
    assert api.get("/oruk/services", params={"modified_after": "2999-01-01T00:00:00Z"}).json()["empty"]
    sals = api.get("/oruk/service_at_locations", params={"taxonomy_term_id": "need:treatment"}).json()
    hsds.validate("/service_at_locations", sals)


def test_a_feed_sync_on_postgres(postgres_url):
    """A sync's import, its run records and its lease on PostgreSQL; a broken page changes nothing."""
    from dataclasses import replace

    from directory import feed_sync
    from feed_server import FeedServer
    from oruk_feeds import council_feed
    from test_directory_sync import FAST

    create_schema(engine_for(postgres_url))
    page, expected = council_feed(120)
    with FeedServer(page["contents"]) as feed:
        run = feed_sync.sync(postgres_url, feed.url, "pg-feed", full=True, options=FAST)
        assert run.status == "ok" and run.created == expected.imported
        with session_scope(postgres_url) as s:
            before = s.scalar(select(func.count()).select_from(Metadata))
        feed.fail(("page", 3), "malformed")
        with pytest.raises(feed_sync.FeedRefused, match="page 3 .* is not valid JSON"):
            feed_sync.sync(postgres_url, feed.url, "pg-feed", full=True, options=replace(FAST, retries=0))
    with session_scope(postgres_url) as s:
        assert s.scalar(select(func.count()).select_from(Metadata)) == before
        assert [r.status for r in feed_sync.recent_runs(postgres_url, "pg-feed")] == ["failed", "ok"]
    assert feed_sync.acquire_lease(postgres_url, "feed-sync:pg", "a", 60)
    assert not feed_sync.acquire_lease(postgres_url, "feed-sync:pg", "b", 60)
    feed_sync.release_lease(postgres_url, "feed-sync:pg", "a")
    assert feed_sync.acquire_lease(postgres_url, "feed-sync:pg", "b", 60)

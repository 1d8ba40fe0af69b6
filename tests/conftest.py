"""Shared fixtures: a seeded directory in a temporary SQLite file, and ONE loaded assistant.

Loading a Rasa model takes ~20 s and ~1 GB, so the whole session shares one. The directory
URL is set in the environment before anything reads settings, so the custom actions (which
open their own sessions) use the same temporary database as the tests.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from support import ROOT, running_in_ci  # noqa: F401 - re-exported for fixtures below

_TMP = Path(tempfile.mkdtemp(prefix="waymark-tests-"))
os.environ["WAYMARK_DATABASE_URL"] = f"sqlite:///{_TMP / 'directory.db'}"
os.environ["WAYMARK_TRACKER_STORE_URL"] = "memory"
# The whole suite comes from one address; tests of the per-address limit build their own app.
os.environ["WAYMARK_RATE_LIMIT_PER_IP"] = "1000000"
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture(autouse=True)
def one_clock_put_back():
    """Every test starts and ends on the wall clock: a test that moves the product's one clock
    (`timekeeping`) cannot leave another test in its moved time."""
    import timekeeping

    timekeeping.reset()
    yield
    timekeeping.reset()


@pytest.fixture(scope="session")
def settings():
    from waymark.settings import get_settings

    return get_settings()


@pytest.fixture(scope="session")
def seeded_directory(settings) -> str:
    """The demo directory (national lines + sample area), seeded once per test session."""
    from directory import seed
    from directory.db import create_schema, engine_for, session_scope

    create_schema(engine_for(settings.database_url))
    with session_scope(settings.database_url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
    return settings.database_url


@pytest.fixture(scope="module")
def stub():
    """A local stand-in for Twilio's REST API (tests/twilio_stub.py), one per test module."""
    from twilio_stub import TwilioStub

    with TwilioStub() as running:
        yield running


@pytest.fixture
def db(seeded_directory):
    """A session on the seeded directory; changes made in a test are rolled back."""
    from sqlalchemy.orm import Session

    from directory.db import engine_for

    connection = engine_for(seeded_directory).connect()
    transaction = connection.begin()
    session = Session(bind=connection, future=True)
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture(scope="session")
def assistant(settings, seeded_directory):
    from waymark.assistant import Assistant

    if not settings.model_path.exists():
        pytest.fail(f"No trained model at {settings.model_path}: run the tests with `make test`.")
    return Assistant.load(settings)


@pytest.fixture(scope="session")
def client(settings, assistant):
    from fastapi.testclient import TestClient

    from waymark.app import create_app

    with TestClient(create_app(settings, assistant)) as test_client:
        yield test_client


# --- the directory's import, API and editing tests (issue 3) ---------------------------------

# Open Referral's HSDS 3.0 schemas and examples live beside the repository, never inside it.
HSDS_DIR = ROOT.parent / "shared" / "data" / "hsds-3.0"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def hsds_dir() -> Path:
    """The HSDS 3.0 folder (schema/, examples/), read in place. Skips only off CI."""
    if not (HSDS_DIR / "schema").is_dir() or not (HSDS_DIR / "examples").is_dir():
        if running_in_ci():
            pytest.fail(f"HSDS 3.0 schemas and examples must be at {HSDS_DIR} in CI")
        pytest.skip(f"HSDS 3.0 schemas/examples not found at {HSDS_DIR} (they sit beside the repository)")
    return HSDS_DIR


@pytest.fixture
def fresh_directory(tmp_path) -> str:
    """A directory database of this test's own (national lines + sample area), for tests
    that change listings; returns its URL."""
    from directory import seed
    from directory.db import create_schema, engine_for, session_scope

    url = f"sqlite:///{tmp_path / 'directory.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
    return url


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL database of this test run's own on 127.0.0.1:5432, dropped afterwards.

    Skips when the server does not answer, except on CI (CI=true), where it fails."""
    import socket
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
        import psycopg2

        admin = psycopg2.connect(f"{POSTGRES_SERVER}/test", connect_timeout=5)
    except Exception as e:  # noqa: BLE001 - any failure means "no server here"
        if running_in_ci():
            pytest.fail(f"PostgreSQL must answer on 127.0.0.1:5432 in CI: {e}")
        pytest.skip(f"PostgreSQL not answering on 127.0.0.1:5432: {e}")
    admin.autocommit = True
    name = f"waymark_directory_{uuid.uuid4().hex[:10]}"
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread, which the asyncio tests must not find there."""
    items.sort(key=lambda item: "/browser/" in str(item.fspath))


# --- the warm handover (issue 5) ---------------------------------------------------------------


@pytest.fixture
def handover_time():
    """Stop the product's one clock (`timekeeping`), which decides whether a helpline is open:
    `handover_time("2026-11-25T11:00")` (naive UTC) is a Wednesday morning, when the sample
    helplines are open. Call it again to move time on; the clock is put back after the test."""
    from datetime import datetime

    import timekeeping

    def at(iso: str) -> datetime:
        moment = datetime.fromisoformat(iso)
        timekeeping.freeze(moment)
        return moment

    return at

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


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread, which the asyncio tests must not find there."""
    items.sort(key=lambda item: "/browser/" in str(item.fspath))

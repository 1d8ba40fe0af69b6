"""Engine and session for the directory database (SQLite by default, PostgreSQL at scale)."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, inspect, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from directory import search_index  # noqa: F401  (keeps the search rows on every flush)
from directory.models import Base


def sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
    """Settings for every SQLite connection Waymark opens (directory and conversations)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Readers never wait for the writer, and a commit appends to the log instead of rewriting
    # pages and syncing twice: several worker processes can share one file. With WAL, NORMAL
    # keeps the file consistent; a power cut may lose only the last moment's commits.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros, not just unlinked: a person's erased
    # conversation can't be read back out of the file (see waymark.privacy.wipe_sqlite_log).
    cursor.execute("PRAGMA secure_delete=ON")
    # SQLite's default page cache is 2 MB; a directory of tens of thousands of services
    # is ~100 MB, and a distance search touches pages all over it. A larger cache and
    # memory-mapped reads make searches 4-5x faster (benchmarks/directory_search.py).
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB per connection, at most
    cursor.execute("PRAGMA mmap_size=268435456")  # 256 MB
    cursor.close()


# A pool of open connections, as SQLAlchemy 2.0 does for SQLite files: 1.4's default opened
# the file and ran the pragmas for every session, ~10% of the server's CPU per message under
# load (py-spy, benchmarks/conversations.py).
SQLITE_POOL = dict(poolclass=QueuePool, pool_size=5, max_overflow=10, connect_args={"check_same_thread": False})


def make_engine(url: str, future: bool = True) -> Engine:
    """Waymark's engine for a database URL. `future=False` only for Rasa's SQL tracker store,
    whose code is written for SQLAlchemy 1.4's legacy engine."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=future, hide_parameters=True, **SQLITE_POOL)
        event.listen(engine, "connect", sqlite_pragmas)
        return engine
    # hide_parameters: a database error's text (and so a log line) never carries the values
    # bound to the statement, which may be what someone wrote.
    return create_engine(url, future=future, pool_pre_ping=True, hide_parameters=True)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def create_schema(engine: Engine) -> None:
    """Bring the directory's tables up to date: `alembic upgrade head` on this engine.

    A database made before migrations existed (tables created straight from the models, no
    alembic_version) is adopted: missing tables and the location.geo_cell column are added,
    then it is stamped at the first revision and upgraded like any other."""
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config(connection)
        tables = set(inspect(connection).get_table_names())
        if "service" in tables and "alembic_version" not in tables:
            _adopt(connection)
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")


def _adopt(connection) -> None:
    from directory.models import Location, geo_cell_for

    Base.metadata.create_all(connection)  # only creates what is missing
    columns = {c["name"] for c in inspect(connection).get_columns("location")}
    if "geo_cell" not in columns:
        connection.execute(text("ALTER TABLE location ADD COLUMN geo_cell INTEGER"))
        rows = connection.execute(select(Location.id, Location.latitude, Location.longitude)).all()
        for location_id, lat, lon in rows:
            connection.execute(update(Location).where(Location.id == location_id)
                               .values(geo_cell=geo_cell_for(lat, lon)))
    connection.execute(text("DROP INDEX IF EXISTS ix_location_lat_lon"))  # replaced by the grid index
    indexes = {i["name"] for i in inspect(connection).get_indexes("location")}
    for index in Location.__table__.indexes:
        if index.name not in indexes:
            index.create(connection)


@lru_cache(maxsize=8)
def _session_factory(engine: Engine) -> sessionmaker:
    """One factory per engine: `sessionmaker` builds a Session subclass, and SQLAlchemy sets
    up event dispatch for every new class (py-spy: about 4% of a short chat turn)."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back everything on any error."""
    session = _session_factory(engine_for(url))()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

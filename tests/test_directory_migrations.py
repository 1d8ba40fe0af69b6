"""Alembic migrations: `create_schema` (and so `waymark directory init`) runs `upgrade head`,
the migrated schema matches directory/models.py exactly, and a database made before migrations
is adopted without losing data."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from directory.db import alembic_config, create_schema, make_engine
from directory.models import Base, geo_cell_for
from support import ROOT


def _head() -> str:
    """The newest migration's revision: what `create_schema` must leave a database at."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _other_packages_tables() -> set[str]:
    """Tables that share the database but belong to other packages (created with create_all)."""
    from channels.models import Base as ChannelsBase
    from handover.models import Base as HandoverBase
    from insights.models import Base as InsightsBase

    return {name for base in (ChannelsBase, HandoverBase, InsightsBase) for name in base.metadata.tables}


def _differences(engine) -> list:
    others = _other_packages_tables()
    with engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    def theirs(difference) -> bool:
        kind, item = difference[0], difference[1]
        table = item.name if kind == "remove_table" else getattr(getattr(item, "table", None), "name", None)
        return kind in ("remove_table", "remove_index") and table in others

    return [d for d in found if not theirs(d)]


def test_migrations_build_exactly_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    create_schema(engine)
    create_schema(engine)  # running again is harmless
    assert _differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()


def test_a_database_from_before_migrations_is_adopted(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:  # make it look like the schema before this work
        conn.execute(text("DROP INDEX ix_location_geo_cell"))
        conn.execute(text("ALTER TABLE location DROP COLUMN geo_cell"))
        conn.execute(text("CREATE INDEX ix_location_lat_lon ON location (latitude, longitude)"))
        for table in ("review_item", "feed_record", "editor_token", "editor_account"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("INSERT INTO location (id, location_type, latitude, longitude) "
                          "VALUES ('old-place', 'physical', 53.8, -1.55)"))
    create_schema(engine)
    assert _differences(engine) == []
    with engine.connect() as conn:
        cell = conn.execute(text("SELECT geo_cell FROM location WHERE id = 'old-place'")).scalar()
        assert cell == geo_cell_for(53.8, -1.55)
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
    assert "review_item" in inspect(engine).get_table_names()


def test_directory_init_command_runs_the_migrations(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "WAYMARK_DATABASE_URL": url}
    result = subprocess.run([str(Path(sys.executable).parent / "waymark"), "directory", "init"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    assert "alembic_version" in inspect(engine).get_table_names() and _differences(engine) == []

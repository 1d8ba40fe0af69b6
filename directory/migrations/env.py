"""Alembic environment for the directory database.

`directory.db.create_schema(engine)` runs the migrations programmatically, passing its own
connection in `config.attributes["connection"]`; the `alembic` command line uses
WAYMARK_DATABASE_URL (or sqlalchemy.url if set in alembic.ini).
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from directory.models import Base

config = context.config
target_metadata = Base.metadata


def _directory_objects_only(obj, name, type_, reflected, compare_to) -> bool:
    """The channels, handover and insights tables share this database but are not the
    directory's: autogenerate must never propose dropping them."""
    return not (type_ == "table" and reflected and compare_to is None)


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        compare_type=True,
        include_object=_directory_objects_only,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    from waymark.settings import get_settings

    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    if config.config_file_name:  # the alembic command line: log what it does
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    from directory.db import make_engine

    engine = make_engine(_url())
    with engine.begin() as connection:
        _configure(connection)
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

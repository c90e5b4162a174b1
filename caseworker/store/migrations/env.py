"""Alembic environment, driven from code by ``caseworker.store.migrate`` (no alembic.ini).

The caller passes an open connection in ``config.attributes["connection"]``; the migrations
run on it, inside the caller's transaction. Without one, an engine is built from the
``sqlalchemy.url`` main option. SQLite gets ``render_as_batch`` so that later revisions can
alter tables (SQLite rebuilds the table; note that a rebuild of ``audit_event`` drops its
triggers, so such a revision must create them again).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import caseworker.store.models  # noqa: F401  (registers every table on SQLModel.metadata)
from caseworker.store.db import make_engine
from caseworker.store.migrate import include_name

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the connection we were given, or on a fresh engine from the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass a connection in config.attributes or set sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    """Write the SQL to standard output instead (``alembic upgrade --sql``), e.g. for a DBA."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

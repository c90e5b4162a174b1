"""Engine factory: SQLite by default (WAL, foreign keys, busy timeout, writers served in turn
by :mod:`caseworker.store.sqlite_writers`), or any SQLAlchemy URL.

The engine is built from configuration when asked for, never at import time, so that
importing the app does not import SQLAlchemy before the first paint.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

#: How long a SQLite writer waits for another process's lock before giving up (ms).
BUSY_TIMEOUT_MS = 5000


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or reached; the message says why in plain words."""


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for memory or other databases.

    A URI filename (``sqlite:///file:/srv/cw.db?mode=ro&uri=true``) names the file after
    ``file:``; read as a plain name it would be a folder called ``file:`` in the working directory.
    """
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:") and str(parsed.query.get("uri", "")).lower() in ("true", "1"):
        if parsed.query.get("mode") == "memory":
            return None
        return Path(unquote(urlsplit(database).path))
    return Path(database)


def make_engine(url: str) -> Engine:
    """Build an engine for ``url``. PostgreSQL URLs use psycopg 3 unless a driver is named."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() == "postgresql"
        and parsed.get_driver_name() in ("", "psycopg2")
        and "+" not in url.split("://", 1)[0]
    ):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        if path is not None:
            from caseworker.store.sqlite_writers import connection_factory

            connect_args["factory"] = connection_factory(path, BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(parsed, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every SQLite test
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(parsed, pool_pre_ping=True)


def close_engine(engine: Engine) -> None:
    """Close every pooled connection; on a SQLite file, checkpoint the write-ahead log first.

    Called when the app quits (and by commands that are done with the store), so a clean exit
    leaves only the database file: SQLite removes its ``-wal`` and ``-shm`` files when the last
    connection closes after a full checkpoint. A busy database (another process still writing)
    is left for that process to checkpoint; nothing is lost either way.
    """
    if engine.dialect.name == "sqlite":
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001 - best effort: the data is safe in the WAL regardless
            pass
    engine.dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

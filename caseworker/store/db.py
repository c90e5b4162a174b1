"""Engine factory: SQLite by default (WAL, foreign keys, busy timeout, writers served in turn
by :mod:`caseworker.store.sqlite_writers`), or any SQLAlchemy URL.

The engine is built from configuration when asked for, never at import time, so that
importing the app does not import SQLAlchemy before the first paint.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

#: How long a SQLite writer waits for another process's lock before giving up (ms).
BUSY_TIMEOUT_MS = 5000

#: SQLite's page cache (KiB) of the connection the inbox reads through
#: (:attr:`caseworker.store.context.Store.inbox_engine`); every other connection keeps SQLite's
#: default of 2,000. One inbox page at 1,000,000 cases reads about 1,200 pages of 4 KiB (200
#: cases, their residents, the flag probes): with the default cache every refresh of the same
#: page reads them all again from the operating system (measured at 1,000,000 cases: 'my
#: cases' 8.8 ms of CPU with 2,000 KiB, 5.0 ms with this). Given to every connection, the
#: caches filled over a working day with the pages of each case opened (a long day of 500
#: cases ended 1.17-1.28x the memory it had after 10); the inbox's own connection holds the
#: inbox's pages. Filled only as pages are read (issue 17).
PAGE_CACHE_KIB = 16384


#: SQLite's own page cache per connection (KiB): what every connection but the inbox's keeps.
SQLITE_DEFAULT_CACHE_KIB = 2000

_BULK_CACHE = "bulk_page_cache"


def bulk_page_cache(conn: Connection) -> None:
    """Give a SQLite connection a page cache of :data:`PAGE_CACHE_KIB` until it goes back to the
    pool (then SQLite's default again, the pages freed): a bulk write (a tracker import) keeps the
    index pages it inserts into in memory (measured with 200,000 rows: 25.8 s of CPU with the
    default cache, 19.2 s with this one). Nothing on other databases."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        conn.info[_BULK_CACHE] = True


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


def make_engine(url: str, page_cache_kib: int | None = None) -> Engine:
    """Build an engine for ``url``. PostgreSQL URLs use psycopg 3 unless a driver is named.

    ``page_cache_kib`` (a SQLite file only): each connection's page cache in KiB, instead of
    SQLite's default 2,000; its pool then keeps one connection, handed back to each read in
    turn (a second read at the same moment gets a connection of its own, closed after it).
    """
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
        pool_args: dict = {}
        if path is not None and page_cache_kib is not None:
            pool_args = {"pool_size": 1, "pool_use_lifo": True}
        engine = create_engine(parsed, connect_args=connect_args, **pool_args)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every SQLite test
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                if page_cache_kib is not None:
                    cursor.execute(f"PRAGMA cache_size=-{page_cache_kib}")
            cursor.close()

        @event.listens_for(engine, "checkin")
        def _cache_back(dbapi_connection, record) -> None:
            # a bulk write's larger cache (bulk_page_cache) ends with it: the pages are freed
            if record.info.pop(_BULK_CACHE, False) and dbapi_connection is not None:
                cursor = dbapi_connection.cursor()
                cursor.execute(f"PRAGMA cache_size=-{page_cache_kib or SQLITE_DEFAULT_CACHE_KIB}")
                cursor.close()

        return engine
    options = " ".join(filter(None, [str(parsed.query.get("options", "")), SESSION_OPTIONS]))
    engine = create_engine(parsed, connect_args={"options": options})
    _ping_when_idle(engine)
    return engine


#: PostgreSQL settings of each of the app's sessions (libpq ``options``; settings any role may
#: make for itself, nothing the server's administrator has to change):
#:
#: - no parallel query: the app's reads are an officer's screens, where starting worker
#:   processes costs more than they save (measured at 1,000,000 cases under load 5: the search
#:   for a common surname 48-55 ms with two workers, 22-32 ms without), and on a shared server
#:   each officer's query would hold three;
#: - a plan for each statement's own values (``force_custom_plan``): psycopg prepares a
#:   statement run five times, and after five more PostgreSQL may keep one generic plan for
#:   every value, which for a search term or an officer can be far from the right one (measured
#:   at 1,000,000 cases: the inbox's search for "CM" 443 ms on the generic plan, 40 ms planned
#:   for its value; planning an inbox statement costs about a millisecond).
SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_custom_plan"


#: A pooled server connection unused for longer than this (seconds) is pinged before use.
PING_AFTER_S = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it has lain idle past :data:`PING_AFTER_S`.

    SQLAlchemy's ``pool_pre_ping`` pings before every transaction: one more round trip on each
    save, which under a busy team's load costs as much as any statement of the save (each round
    trip waits for the server, then for the client to be scheduled again). A connection that
    was used seconds ago is known to be alive; one idle longer (the server restarted, a
    firewall dropped it) is pinged, and a dead one is replaced before the save starts, so the
    officer never sees the dropped connection.
    """
    from sqlalchemy import exc

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_S:
            return  # a new connection, or one used moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure: the pool replaces the connection
            raise exc.DisconnectionError("an idle connection to the server was lost") from error


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
def read_scope(engine: Engine) -> Iterator[Session]:
    """A session for reading only. On PostgreSQL each statement runs in its own snapshot
    (autocommit), which spares the two round trips of BEGIN and COMMIT around a screen's
    reads: under a busy machine each round trip waits for the server and then for the client
    to be scheduled again. Elsewhere (SQLite: no round trips) a :func:`session_scope`."""
    if engine.dialect.name != "postgresql":
        with session_scope(engine) as session:
            yield session
        return
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        with Session(bind=connection, expire_on_commit=False) as session:
            yield session


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

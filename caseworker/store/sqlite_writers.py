"""Writers to one SQLite file take turns through a lock file, so a busy team is served in turn.

SQLite lets one writer at a time in. A writer that finds the file locked waits in SQLite's
busy handler, which sleeps 1, 2, 5 ... then 100 ms between tries: a save that has waited a
while looks only every 100 ms, while a newcomer looks after 1 ms and usually goes first.
With five officers saving at once that starves the unlucky ones for seconds (measured: p99
2.1 s, and some saves past the 5 s busy timeout). Here a connection about to write first
takes an exclusive ``flock`` on ``<database>-writers`` (beside the ``-wal`` file), looking
every 2 ms, and lets go at commit or rollback: every waiting writer looks equally often and
none waits behind a 100 ms sleep. SQLite's own locking still decides correctness; this only
orders the queue. Past the busy timeout the writer goes on without the lock file and SQLite
decides. Readers never touch the lock file. Platforms without ``fcntl`` (Windows) skip it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

#: Statements that take SQLite's write lock (compared upper-case, after leading blanks).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "CREATE", "DROP", "ALTER")
#: How often a waiting writer looks at the lock file (seconds).
POLL_S = 0.002


def lock_path(database: Path) -> Path:
    """The lock file writers to ``database`` take turns through."""
    return database.with_name(database.name + "-writers")


def connection_factory(database: Path, wait_s: float) -> type[sqlite3.Connection]:
    """A ``sqlite3.Connection`` class whose writes queue on the lock file of ``database``.

    Args:
        database: the SQLite file.
        wait_s: the longest a writer waits for its turn (the busy timeout) before going on
            without it.
    """
    path = str(lock_path(database))

    class QueuedConnection(sqlite3.Connection):
        _lock_fd: int | None = None
        _holding = False

        def cursor(self, factory=None):  # noqa: ANN001 - sqlite3's signature
            return super().cursor(factory or QueuedCursor)

        def take_turn(self) -> None:
            """Wait (at most ``wait_s``) for the lock file, once per transaction."""
            if self._holding or fcntl is None:
                return
            if self._lock_fd is None:
                try:
                    self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
                except OSError:
                    self._lock_fd = -1  # read-only folder: SQLite alone decides
            if self._lock_fd < 0:
                return
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    self._holding = True
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        return
                    time.sleep(POLL_S)

        def end_turn(self) -> None:
            if self._holding:
                self._holding = False
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self.end_turn()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self.end_turn()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self.end_turn()
                if self._lock_fd is not None and self._lock_fd >= 0:
                    os.close(self._lock_fd)
                self._lock_fd = None

    class QueuedCursor(sqlite3.Cursor):
        def execute(self, sql, parameters=()):  # noqa: ANN001 - sqlite3's signature
            if sql.lstrip()[:15].upper().startswith(_WRITES):
                self.connection.take_turn()
                try:
                    return super().execute(sql, parameters)
                finally:
                    if not self.connection.in_transaction:  # a write outside a transaction is done
                        self.connection.end_turn()
            return super().execute(sql, parameters)

        def executemany(self, sql, seq_of_parameters):  # noqa: ANN001
            if sql.lstrip()[:15].upper().startswith(_WRITES):
                self.connection.take_turn()
                try:
                    return super().executemany(sql, seq_of_parameters)
                finally:
                    if not self.connection.in_transaction:
                        self.connection.end_turn()
            return super().executemany(sql, seq_of_parameters)

    return QueuedConnection

"""Writers to one SQLite file take turns through its lock file (``store.sqlite_writers``).

A connection holds ``<database>-writers`` from its first write until commit or rollback;
reading never takes it. Checked with a third party's non-blocking ``flock``, as another
caseworker process would see it.
"""

from __future__ import annotations

import fcntl
import os

import pytest
from sqlalchemy import text

from caseworker.store.db import make_engine
from caseworker.store.sqlite_writers import lock_path


def someone_else_can_write(path) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    engine.dispose()


def test_a_writer_holds_the_turn_until_it_commits(engine, tmp_path):
    lock = lock_path(tmp_path / "q.db")
    with engine.connect() as c:
        c.execute(text("SELECT count(*) FROM note")).scalar()
        assert someone_else_can_write(lock), "reading does not take the turn"
        c.execute(text("INSERT INTO note (body) VALUES ('first')"))
        assert not someone_else_can_write(lock), "a writer in its transaction holds the turn"
        c.commit()
        assert someone_else_can_write(lock), "committing gives the turn up"
        c.execute(text("UPDATE note SET body = 'second'"))
        assert not someone_else_can_write(lock)
        c.rollback()
        assert someone_else_can_write(lock), "rolling back gives the turn up"


def test_a_writer_waits_for_its_turn_then_goes_on(engine, tmp_path):
    """Held by another process for longer than the wait: the write still goes ahead (SQLite decides)."""
    from caseworker.store.sqlite_writers import connection_factory

    lock = lock_path(tmp_path / "q.db")
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        import sqlite3

        con = sqlite3.connect(tmp_path / "q.db", factory=connection_factory(tmp_path / "q.db", 0.05))
        con.execute("INSERT INTO note (body) VALUES ('waited')")
        con.commit()
        assert con.execute("SELECT body FROM note").fetchall() == [("waited",)]
        con.close()
    finally:
        os.close(fd)

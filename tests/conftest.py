"""Shared fixtures: an isolated home for every test, and a fresh database on each backend.

``db_url`` runs a test on SQLite (a real file) and, when ``CASEWORKER_TEST_PG_URL`` names a
PostgreSQL server, on PostgreSQL too, in a database created for that test alone (the
URL's user must be allowed to CREATE DATABASE). ``scripts/pg-test-server start`` prints a
suitable URL; ``.ci/run`` always sets one, so CI runs every store test on both backends.
Without the variable the PostgreSQL cases are not generated at all (not skipped).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_URL_ENV = "CASEWORKER_TEST_PG_URL"

#: Test modules that need the PostgreSQL server: not collected at all without it.
collect_ignore = [] if os.environ.get(PG_URL_ENV) else ["test_team_mode_pg.py"]

BACKENDS = ["sqlite"]
if os.environ.get(PG_URL_ENV):
    BACKENDS.append(pytest.param("postgres", marks=pytest.mark.postgres))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the config and data folders into ``tmp_path`` and drop the app's overrides."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the log folder (caseworker.failures)
    for name in ("CASEWORKER_DATABASE_URL", "CASEWORKER_TODAY", "CASEWORKER_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A URL for a new SQLite file in ``tmp_path`` (the app's Pilot tests run on SQLite)."""
    return f"sqlite:///{tmp_path / 'caseworker.db'}"


@pytest.fixture(scope="session")
def pg_admin():
    """A session-wide AUTOCOMMIT engine on the server named by CASEWORKER_TEST_PG_URL."""
    from caseworker.store.db import make_engine

    engine = make_engine(os.environ[PG_URL_ENV])
    yield engine.execution_options(isolation_level="AUTOCOMMIT")
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database: a SQLite file in ``tmp_path``, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'caseworker.db'}"
        return
    from sqlalchemy.engine import make_url

    admin = request.getfixturevalue("pg_admin")
    name = f"cw_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(os.environ[PG_URL_ENV]).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            drop_team_roles(connection, name)


def drop_team_roles(connection, database: str) -> None:
    """Drop the group roles the migrations made for ``database`` (roles outlive the database)."""
    from caseworker.store.team import role_names_for

    roles = role_names_for(database)
    for role in (roles.administrator, roles.supervisor, roles.officer, roles.owner):
        connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def engine(db_url: str):
    """``open_store(db_url)``: an engine on a database migrated to the newest revision."""
    from caseworker.store.migrate import open_store

    store = open_store(db_url)
    yield store
    store.dispose()


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The officers' machines are set to Tokyo (UTC+9, no summer time); child processes inherit
    it. A refusal's "changed ... at" must still be in UK time."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()

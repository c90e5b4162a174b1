"""Helpers shared by the test modules: a store on a fixed day, the app, Pilot settling, the
notifications the app posted, and the environment for running ``python -m caseworker``.

Imported as ``from helpers import ...``: pytest puts this folder on ``sys.path`` (it has a
conftest.py and no __init__.py), also when the suite runs against an installed wheel.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.notifications import Notify
from textual.worker import WorkerCancelled

import caseworker
from caseworker.clock import Clock
from caseworker.config import Settings

if TYPE_CHECKING:
    import pytest
    import sqlalchemy as sa
    from textual.pilot import Pilot

    from caseworker.app import CaseworkerApp
    from caseworker.store.context import Store
    from caseworker.store.services import DomainError

#: Where the ``caseworker`` package under test was imported from: the checkout, or site-packages
#: when the suite runs against the installed wheel.
PACKAGE_ROOT = Path(caseworker.__file__).resolve().parents[1]


#: A refusal because someone else saved the record first (services.base.changed_meanwhile):
#: groups are who changed it, by name ("Alice Able"), and when ("00:30 on 15 Jul 2025", UK time).
CHANGED = re.compile(r"was changed by (.+?) at (\d\d:\d\d on \d\d \w\w\w \d{4}) after you opened it")


def officer_names(engine: sa.Engine) -> dict[str, str]:
    """Every officer's name by login, as stored: what a refusal names them by."""
    from sqlalchemy import text

    with engine.connect() as connection:
        return {login: name for login, name in connection.execute(text("SELECT login, name FROM officer"))}


def settings(url: str, **values: Any) -> Settings:
    """Settings for the database at ``url``; no configuration file is read."""
    return Settings(database_url=url, config_path=Path("unused-config.toml"), **values)


def make_store(url: str, today: date | Clock, engine: sa.Engine | None = None, **values: Any) -> Store:
    """A store on ``url`` whose clock says ``today`` (or is the clock given): on ``engine`` when
    given, else on a new engine migrated to the newest revision (``open_store``). ``values`` are
    further settings."""
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    clock = today if isinstance(today, Clock) else Clock.at(today)
    return Store(engine if engine is not None else open_store(url), settings(url, **values), clock)


def make_app(url: str, login: str, today: date, **values: Any) -> CaseworkerApp:
    """The real app on the database at ``url``, for ``login``, on ``today``."""
    from caseworker.app import CaseworkerApp

    return CaseworkerApp(settings(url, **values), clock=Clock.at(today), login=login)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and their results land (a save, then the reload it triggers).

    A worker superseded by a newer one in its group (an exclusive reload) is cancelled; that is fine.
    """
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def go(pilot: Pilot, key: str):
    """Press ``key`` (e.g. a screen's function key), let the screen load, and return it."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen


class Notices(list[str]):
    """The messages of the notifications the app posted, in order.

    Pass it as ``app.run_test(message_hook=notices)``: Textual calls the hook with every
    message; a notification is a :class:`textual.notifications.Notify` message.
    """

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.append(message.notification.message)


def race(saves: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Run the saves at the same moment, each on a thread of its own (and so its own database
    connection) named by its key; returns each one's result, or what it raised, by key."""
    barrier = threading.Barrier(len(saves))
    outcome: dict[str, object] = {}

    def run(name: str, save: Callable[[], object]) -> None:
        barrier.wait()
        try:
            outcome[name] = save()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever was raised
            outcome[name] = exc

    threads = [threading.Thread(target=run, args=(name, save), name=name) for name, save in saves.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a save hung"
    return {name: outcome[name] for name in saves}


def refused(call: Callable[[], object], field: str, says: str) -> DomainError:
    """``call`` is refused by the services: a DomainError naming ``field`` and saying ``says``."""
    from caseworker.store.services import DomainError

    try:
        call()
    except DomainError as error:
        assert error.refusal.field == field, error
        assert says in str(error), error
        return error
    raise AssertionError(f"not refused: expected a refusal naming {field!r}")


def cli_database(path: Path, monkeypatch: pytest.MonkeyPatch, today: date) -> Path:
    """Point the command line at the SQLite file ``path`` (``CASEWORKER_DATABASE_URL``) with
    ``today`` as its today (``CASEWORKER_TODAY``); returns ``path``."""
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("CASEWORKER_TODAY", today.isoformat())
    return path


def sqlite_rows(path: Path, sql: str) -> list[tuple]:
    """The rows ``sql`` reads from the SQLite file ``path``, through a connection of its own."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def caseworker_env(**values: str) -> dict[str, str]:
    """This process's environment for a ``python -m caseworker`` child, importing the same
    ``caseworker`` as the tests do (never the checkout when the wheel is under test)."""
    return {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), **values}

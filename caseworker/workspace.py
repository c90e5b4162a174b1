"""The workspace: the open store and the officer at the keyboard.

Opened in a worker thread after the first paint, because opening the store imports
SQLAlchemy, runs any pending migrations and may wait on a busy database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseworker.clock import Clock
from caseworker.config import Settings

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.context import Store
    from caseworker.store.services import CurrentOfficer
    from caseworker.store.services.due_dates import Recomputed


@dataclass
class Workspace:
    """Everything a screen needs to read and write: the store and who is working."""

    store: Store
    officer: CurrentOfficer
    notice: str = ""  # e.g. that the database was upgraded, and where its backup copy went
    recomputed: Recomputed | None = None  # what opening it recomputed (due-date inputs changed)

    @property
    def login(self) -> str:
        """The current officer's login (the actor of every change)."""
        return self.officer.login


def first_page(settings: Settings, clock: Clock, login: str | None, limit: int):
    """The officer's first page of open cases and their count, read from a SQLite file before
    SQLAlchemy is imported (:func:`caseworker.store.queries.inbox_sql.read_first_page`), or None
    when it cannot be read that way (a server database, a schema other than this code's, an
    officer not there yet, due dates about to be recomputed).

    The working days left are counted with the bank holidays kept in the data folder
    (:mod:`caseworker.holiday_cache`), so that the ``holidays`` package is not imported here
    when that file is current; it is written here when it is not.
    """
    from caseworker.store.queries.inbox_sql import read_first_page, schema_head, sqlite_file

    path = sqlite_file(settings.database_url)
    if path is None:
        return None
    from caseworker import holiday_cache
    from caseworker.config import data_dir
    from caseworker.identity import os_account
    from caseworker.rules.calendar import WorkingCalendar, holiday_table
    from caseworker.store.due_inputs import due_inputs_for, due_inputs_years

    today = clock.today()
    first, last = due_inputs_years(today)
    try:
        known = holiday_cache.bank_holidays(data_dir(), settings.region, first, last)
    except OSError:  # no data folder to keep them in: read from the package this time
        known = holiday_table(settings.region, first, last)
    cal = WorkingCalendar(settings.region, settings.closure_days, known=known)
    inputs = due_inputs_for(cal, settings, today)
    return read_first_page(path, login or os_account(), today, cal, inputs, limit, schema_head())


def open_workspace(
    settings: Settings,
    clock: Clock,
    login: str | None = None,
    show_first_page: Callable[[object], None] | None = None,
    limit: int = 200,
) -> Workspace:
    """Open the store (upgrading it if needed) and identify the current officer.

    With ``show_first_page``, first read the officer's first ``limit`` open cases straight from
    a SQLite file (:func:`first_page`) and hand them to it (from this thread), so the inbox
    fills while SQLAlchemy loads; a failure there only means the list waits for the store.
    """
    if show_first_page is not None:
        try:
            page = first_page(settings, clock, login, limit)
            if page is not None:
                show_first_page(page)
        except Exception:  # noqa: BLE001 - the store, opened next, reports any real problem
            pass
    from caseworker.store import services
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    said: list[str] = []
    store = Store(open_store(settings.database_url, on_upgrade=said.append), settings, clock)
    officer = services.current_officer(store, login)
    from caseworker.store.services.due_dates import ensure_due_dates_current

    # Before anything is shown: due dates computed from other inputs (a bank holiday added,
    # a closure day, a policy file edited) are recomputed, so every screen shows the same date.
    recomputed = ensure_due_dates_current(store, officer.login)
    import caseworker.store.queries.inbox  # noqa: F401  (warm the read models here, off the UI thread)

    return Workspace(store, officer, " ".join(said), recomputed)


def recompute_if_calendar_changed(workspace: Workspace) -> Recomputed | None:
    """The due dates that moved when the workspace was opened (recomputed then, before the
    first list was shown), handed over once; then a check in case the inputs changed since."""
    from caseworker.store.services.due_dates import ensure_due_dates_current

    done, workspace.recomputed = workspace.recomputed, None
    if done is None:
        done = ensure_due_dates_current(workspace.store, workspace.login)
    return done

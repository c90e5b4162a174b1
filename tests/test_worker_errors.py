"""Every error in a worker reaches the officer, worded by caseworker.failures (Pilot, real SQLite).

The database is really broken under the running app (a table removed, the file overwritten),
never mocked: the reports screen's build, which once failed silently, then says why in its
status line and in an error dialog, and the app keeps running.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import make_app, settle
from test_case_screen import TODAY, acknowledged_case, store  # noqa: F401 - the fixture
from textual.widgets import Static

from caseworker import keys
from caseworker.screens.dialogs.messages import ErrorScreen
from caseworker.screens.reports import ReportsScreen

REPORTS_KEY = next(k.key for k in keys.keys_for("global") if k.id == "go.reports")


def shown_text(screen) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static))


def db_path(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite:///"))


@pytest.mark.asyncio
async def test_a_report_build_failing_on_a_removed_table_is_shown(url, store):  # noqa: F811
    acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press(REPORTS_KEY)
        await settle(pilot)
        reports = app.screen
        assert isinstance(reports, ReportsScreen) and reports.report is not None

        with sqlite3.connect(db_path(url)) as con:  # another program damages the database
            con.execute("DROP TABLE stage")
        await pilot.press("r")
        await settle(pilot)

        assert isinstance(app.screen, ErrorScreen)
        dialog = shown_text(app.screen)
        assert "The report could not be built" in dialog
        assert "An unexpected error (OperationalError) stopped this" in dialog
        assert "Details are in" in dialog and "Traceback" not in dialog
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is reports
        status = str(reports.query_one("#status", Static).render())
        assert status.startswith("The report could not be built: An unexpected error (OperationalError)")


@pytest.mark.asyncio
async def test_a_damaged_database_file_is_named_as_damaged(url, store):  # noqa: F811
    acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press(REPORTS_KEY)
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        app.workspace.store.engine.dispose()  # the next read opens the file afresh, as after a restart
        path = db_path(url)
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            extra.unlink(missing_ok=True)
        path.write_bytes(b"this is not a database " * 400)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "The database file is damaged" in shown_text(app.screen)

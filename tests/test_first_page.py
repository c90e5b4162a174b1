"""Start-up reads the inbox's first page before SQLAlchemy is imported, through the one SQL
statement the read model uses too (issue 17, Deliver 2): the same rows as the general query,
nothing shown when it could differ from what the store will show, and the app showing those
rows while the store is still opening.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from caseworker.clock import Clock
from caseworker.config import Settings

TODAY = date(2025, 12, 19)


def settings(url: str, **extra) -> Settings:
    return Settings(database_url=url, config_path=Path("unused.toml"), **extra)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from caseworker.store.demo import build_demo

    path = tmp_path_factory.mktemp("first-page") / "demo.db"
    build_demo(f"sqlite:///{path}", cases=400, today=TODAY, seed=7)
    return path


def _store(path: Path):
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{path}"
    return Store(open_store(url), settings(url), Clock.at(TODAY))


def _first_page(path: Path, login: str, cfg: Settings | None = None, limit: int = 200):
    from caseworker.workspace import first_page

    return first_page(cfg or settings(f"sqlite:///{path}"), Clock.at(TODAY), login, limit)


def _logins(path: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT login FROM officer WHERE active ORDER BY login")]
    finally:
        con.close()


def test_the_first_page_read_with_sqlite3_is_the_read_models_first_page(demo, monkeypatch):
    import caseworker.store.queries.inbox as qi

    store = _store(demo)
    try:
        seen = 0
        for login in _logins(demo):
            flt = qi.InboxFilter(officer_login=login)
            shared = qi.inbox_page(store, flt, None, 50), qi.inbox_count(store, flt)
            with monkeypatch.context() as m:  # the general query, built with SQLAlchemy
                m.setattr(qi, "_mine_only", lambda _flt: False)
                general = qi.inbox_page(store, flt, None, 50), qi.inbox_count(store, flt)
            early = _first_page(demo, login, limit=50)
            assert shared == general
            assert early == shared
            seen += shared[1]
            if shared[1] > 50:  # the next page follows on from where the early one stopped
                nxt = qi.inbox_page(store, flt, early[0].next_after, 50)
                assert nxt.rows[0].case_id not in {r.case_id for r in early[0].rows}
        assert seen > 50  # the demo gives the officers open cases, so the comparison means something
    finally:
        store.engine.dispose()


def test_nothing_is_read_early_when_it_could_differ(demo):
    assert _first_page(demo, "nobody-here") is None  # not an officer (the store will say so)
    closed = settings(f"sqlite:///{demo}", closure_days={date(2025, 12, 22): "Christmas shutdown"})
    assert _first_page(demo, _logins(demo)[0], closed) is None  # due dates about to be recomputed
    assert _first_page(demo.with_name("missing.db"), "root") is None  # no file: nothing created
    assert not demo.with_name("missing.db").exists()
    from caseworker.workspace import first_page

    pg = settings("postgresql+psycopg://someone@localhost/db")
    assert first_page(pg, Clock.at(TODAY), "root", 10) is None  # only a SQLite file is read early


def test_nothing_is_read_early_from_a_database_at_another_schema_revision(demo, tmp_path):
    import shutil
    import sqlite3

    from caseworker.store import migrate
    from caseworker.store.queries.inbox_sql import schema_head

    assert schema_head() == migrate.SCHEMA_HEAD  # read from migrate.py's text, without importing it
    login = _logins(demo)[0]
    assert _first_page(demo, login) is not None
    older = tmp_path / "older.db"
    shutil.copy(demo, older)
    con = sqlite3.connect(older)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0003'")  # to be upgraded when opened
    con.close()
    assert _first_page(older, login) is None
    con = sqlite3.connect(older)
    with con:
        con.execute("DROP TABLE alembic_version")  # not a caseworker database at all
    con.close()
    assert _first_page(older, login) is None


def test_reading_the_first_page_imports_neither_sqlalchemy_nor_holidays(demo, isolated_home):
    code = (
        "import sys; from datetime import date; from pathlib import Path; "
        "from caseworker.config import Settings; from caseworker.clock import Clock; "
        "from caseworker.workspace import first_page; "
        f"r = first_page(Settings(database_url='sqlite:///{demo}', config_path=Path('x.toml')), "
        f"Clock.at(date(2025, 12, 19)), {_logins(demo)[0]!r}, 20); "
        "print(r is not None, any(m.split('.')[0] in ('sqlalchemy', 'sqlmodel') for m in sys.modules), "
        "'holidays' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # The first start reads the bank holidays from the package and keeps them in the data folder;
    # the next start reads them from there.
    assert first.split() == ["True", "False", "True"]
    assert list((isolated_home / "data" / "caseworker").glob("bank-holidays-england-and-wales.json"))
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert again.split() == ["True", "False", "False"]


def test_the_first_page_is_read_early_without_a_data_folder(demo, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("where the data folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # the folder cannot be made
    login = _logins(demo)[0]
    page = _first_page(demo, login)
    assert page is not None and page[1] > 0


async def test_the_inbox_shows_the_first_page_while_the_store_is_still_opening(demo, monkeypatch):
    from caseworker.app import CaseworkerApp
    from caseworker.store import migrate

    login = max(_logins(demo), key=lambda x: (_first_page(demo, x) or (None, 0))[1])
    expected, total = _first_page(demo, login)
    release = threading.Event()
    real_open = migrate.open_store

    def held_open(*args, **kwargs):  # the store stays "opening" until the test has looked
        release.wait(30)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(migrate, "open_store", held_open)
    app = CaseworkerApp(settings(f"sqlite:///{demo}"), clock=Clock.at(TODAY), login=login)
    async with app.run_test(size=(160, 50)) as pilot:
        try:
            await _shown_early(app, pilot, expected, total, login, release)
        finally:
            release.set()


async def _shown_early(app, pilot, expected, total, login, release) -> None:
    table = app.screen.query_one(DataTable)
    for _ in range(200):  # until the worker has handed the page over (Pilot pauses, no sleeps)
        await pilot.pause(0.05)
        if table.row_count:
            break
    assert app.workspace is None
    assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [r.reference for r in expected.rows]
    status = str(app.screen.query_one("#status", Static).render())
    assert f"{len(expected.rows):,} of {total:,} case(s) shown" in status
    release.set()
    for _ in range(3):
        with contextlib.suppress(Exception):
            await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.workspace is not None and app.workspace.login == login
    assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [r.reference for r in expected.rows]


async def test_garbage_collection_turned_off_for_start_up_comes_back_on(demo):
    # `caseworker` turns cycle collection off while it starts (commands/open_app.py); the app
    # turns it back on once the inbox's first page is shown.
    import gc

    from caseworker.app import CaseworkerApp

    login = _logins(demo)[0]
    gc.disable()
    try:
        app = CaseworkerApp(settings(f"sqlite:///{demo}"), clock=Clock.at(TODAY), login=login)
        async with app.run_test(size=(160, 50)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if "inbox_filled" in app.timings:
                    break
            assert "inbox_filled" in app.timings
            assert gc.isenabled()
            with contextlib.suppress(Exception):
                await app.workers.wait_for_complete()
    finally:
        gc.enable()

"""The inbox, driven by keyboard with Textual's Pilot against a real SQLite file: j/k and Enter,
search, each filter, paging past the first 200 rows, F1/? help and the command palette.

Today is Wed 10 Dec 2025. Acknowledgements are due 5 working days after receipt (Code 6.2), so a
complaint received Wed 3 Dec is due today (0 left), one received Thu 4 Dec is due Thu 11 Dec
(1 working day left), Mon 8 Dec -> Mon 15 Dec (3 left), and Mon 1 Dec -> Mon 8 Dec (overdue by 2).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import make_app, settle
from textual.widgets import DataTable, Input

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import Role
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.screens.inbox import SEARCH_DEBOUNCE

TODAY = date(2025, 12, 10)


def settings(url: str) -> Settings:
    return Settings(database_url=url, config_path=Path("unused.toml"))


@pytest.fixture
def cases(url: str) -> dict[str, object]:
    """Four complaints for alice with known deadlines (see the module docstring), keyed by resident."""
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    store = Store(open_store(url), settings(url), Clock.at(TODAY))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    refs = {}
    for resident, received, summary in [
        ("Mrs Jane Smith", date(2025, 12, 3), "Mould in the bedroom"),
        ("Mr Ali Khan", date(2025, 12, 4), "Roof leak over the stairs"),
        ("Ms Eve Perry", date(2025, 12, 8), "Noise from the flat above"),
        ("Mr Tom Ode", date(2025, 12, 1), "Missed repair appointment"),
    ]:
        person = sv.add_resident(store, "alice", resident, address="1 Street")
        refs[resident] = sv.log_case(
            store, "alice", person, NewCase(CaseType.COMPLAINT, received, "phone", "Repairs", "Repairs", summary)
        )
    store.engine.dispose()
    return refs


def residents(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[COL_RESIDENT]) for i in range(table.row_count)]


def cursor_case(app) -> int:
    table = app.screen.query_one(DataTable)
    return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


COL_RESIDENT = 4


async def test_rows_come_soonest_deadline_first_and_j_k_enter_open_the_case(url, cases):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert residents(app) == ["Mr Tom Ode", "Mrs Jane Smith", "Mr Ali Khan", "Ms Eve Perry"]
        await pilot.press("j", "j")
        assert cursor_case(app) == cases["Mr Ali Khan"].id
        await pilot.press("k")
        assert cursor_case(app) == cases["Mrs Jane Smith"].id
        await pilot.press("enter")
        await settle(pilot)
        from caseworker.screens.case import CaseScreen

        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case_id == cases["Mrs Jane Smith"].id


async def test_search_by_resident_and_text_then_escape_clears(url, cases):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#search", Input)
        await pilot.press(*"Perry")
        await pilot.pause(2 * SEARCH_DEBOUNCE)  # Pilot's pause past the screen's own debounce timer
        await settle(pilot)
        assert residents(app) == ["Ms Eve Perry"]
        search = app.screen.query_one("#search", Input)
        search.value = ""
        await pilot.press(*"roof")
        await pilot.pause(2 * SEARCH_DEBOUNCE)
        await settle(pilot)
        assert residents(app) == ["Mr Ali Khan"]
        await pilot.press("escape")
        await pilot.pause(2 * SEARCH_DEBOUNCE)  # the cleared search reloads after the same debounce
        await settle(pilot)
        assert len(residents(app)) == 4


async def test_two_letters_say_that_names_and_text_need_three(url, cases):
    """Two letters find the start of a reference only (the search indexes take three): the
    status line says so, so "Pe" finding nothing does not read as "no such resident"."""
    from textual.widgets import Static

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#status", Static)
        assert "3 or more letters" not in str(status.render())
        await pilot.press("slash", *"Pe")
        await pilot.pause(2 * SEARCH_DEBOUNCE)
        await settle(pilot)
        assert residents(app) == []
        assert "No reference starts with “Pe”. · names and text need 3 or more letters" in str(status.render())
        await pilot.press("r")
        await pilot.pause(2 * SEARCH_DEBOUNCE)
        await settle(pilot)
        assert residents(app) == ["Ms Eve Perry"]
        assert "3 or more letters" not in str(status.render())


async def test_keys_arriving_in_one_burst_after_slash_all_go_into_the_search(url, cases):
    """Typed over a slow remote session, '/Perry' can arrive at once: every key after the slash
    is the search's, none an inbox command ('v' would change the view, 'n' open a new case)."""
    from textual import events

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        view_before = app.screen.view
        for key, char in [("slash", "/"), *((c, c) for c in "nvso")]:
            app.post_message(events.Key(key, char))  # queued together: no pause between them
        await pilot.pause(2 * SEARCH_DEBOUNCE)
        await settle(pilot)
        from caseworker.screens.inbox import InboxScreen

        assert isinstance(app.screen, InboxScreen)  # 'n' did not open the new-case form
        assert app.screen.query_one("#search", Input).value == "nvso"
        assert app.screen.view == view_before and not app.screen.overdue
        # the next key adds to them: the search does not select what it holds when it takes
        # the focus (the burst is already in it by then), so the key does not replace it
        await pilot.press("x")
        assert app.screen.query_one("#search", Input).value == "nvsox"


async def test_overdue_and_due_soon_filters_and_clear(url, cases):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert residents(app) == ["Mr Tom Ode"]
        await pilot.press("o", "w")  # overdue off, due within 2 working days (or overdue) on
        await settle(pilot)
        assert residents(app) == ["Mr Tom Ode", "Mrs Jane Smith", "Mr Ali Khan"]
        await pilot.press("s", "s")  # Stage 1, then Stage 2: none of these is at Stage 2
        await settle(pilot)
        assert residents(app) == []
        await pilot.press("c")
        await settle(pilot)
        assert len(residents(app)) == 4


async def test_paging_loads_the_next_page_as_the_cursor_nears_the_end(url):
    from caseworker.screens.inbox import PAGE
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    store = Store(open_store(url), settings(url), Clock.at(TODAY))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    person = sv.add_resident(store, "alice", "Mr Many Cases", address="1 Street")
    total = PAGE + 30
    for _ in range(total):
        sv.log_case(
            store, "alice", person, NewCase(CaseType.COMPLAINT, date(2025, 12, 8), "phone", "Repairs", "Repairs", "x")
        )
    store.engine.dispose()

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == PAGE
        for _ in range(PAGE - 30):
            await pilot.press("j")
        await settle(pilot)
        assert table.row_count == total
        assert len(set(table.rows)) == total


async def test_question_mark_shows_the_inbox_keys(url, cases):
    from caseworker.screens.dialogs.messages import HelpScreen

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for words in ("Search by reference", "Show only overdue cases", "Log a complaint"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_palette_opens_a_case_by_reference(url, cases):
    from caseworker.screens.case import CaseScreen

    target = cases["Ms Eve Perry"]
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*target.reference)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case_id == target.id


async def test_a_clean_quit_leaves_no_wal_or_shm_files(url, cases):
    db = Path(url.removeprefix("sqlite:///"))
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert Path(f"{db}-wal").exists()  # WAL mode while the app works
        await pilot.press("ctrl+q")
    app.close_store()
    assert db.exists()
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()

"""The reports screen, pushed from a minimal App over a small fixture database.

Fixture (policy hoc-2024, 1,000 homes; today Fri 1 May 2026):
  P  recv Mon 02 Jun 2025, ack Wed 04 Jun, due Wed 18 Jun, responded Tue 17 Jun: in time.
  Q  recv Mon 07 Jul 2025, ack Mon 07 Jul, due Mon 21 Jul, responded Tue 22 Jul: late.
  R  recv Mon 02 Jun 2025, ack Mon 02 Jun, due Mon 16 Jun, responded Wed 18 Jun: late.
  S  recv Mon 03 Jun 2024 (year 2024-25), not yet acknowledged.
So 2025-26 has 3 Stage 1 complaints (CH01 3.00), 3 responses, 1 in time (CH02 33.3%), and
the cases outside timescale are Q and R; 2024-25 has 1 complaint received.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import settle
from textual.app import App
from textual.widgets import DataTable, Static

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.messages import OpenCase
from caseworker.rules.lifecycle import CaseType, Decision, Definition, NewCase
from caseworker.screens.reports import CasesScreen, ReportsScreen, bar
from caseworker.store import services as sv
from caseworker.store.context import Store

TODAY = date(2026, 5, 1)
DEF = Definition("issues", "outcomes", "responsible")


@pytest.fixture
def store(tmp_path):
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path / 'screen.db'}"
    engine = open_store(url)
    settings = Settings(database_url=url, config_path=Path("unused.toml"), homes=1000)

    def at(day: date) -> Store:
        return Store(engine, settings, Clock.at(day))

    sv.current_officer(at(date(2024, 6, 1)), "admin")
    resident = sv.add_resident(at(date(2024, 6, 1)), "admin", "Ms Example")
    refs = {}

    def case(letter, received, acked=None, responded=None):
        ref = sv.log_case(
            at(received),
            "admin",
            resident,
            NewCase(CaseType.COMPLAINT, received, "phone", "Repairs", "Damp", f"case {letter}"),
        )
        refs[letter] = ref.reference
        if acked:
            sv.acknowledge(at(acked), "admin", ref.id, None, acked, DEF)
        if responded:
            sv.respond(
                at(responded),
                "admin",
                ref.id,
                None,
                responded,
                Decision.UPHELD,
                "reasons",
                no_remedy=True,
                no_actions=True,
            )

    case("P", date(2025, 6, 2), date(2025, 6, 4), date(2025, 6, 17))
    case("Q", date(2025, 7, 7), date(2025, 7, 7), date(2025, 7, 22))
    case("R", date(2025, 6, 2), date(2025, 6, 2), date(2025, 6, 18))
    case("S", date(2024, 6, 3))
    yield at(TODAY), refs
    engine.dispose()


class Host(App):
    """A minimal app that pushes the reports screen."""

    def __init__(self, store: Store, year: int | None = None) -> None:
        super().__init__()
        self.store, self.year = store, year
        self.chosen: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(ReportsScreen(self.store, self.year))

    def on_open_case(self, message: OpenCase) -> None:
        self.chosen.append(message.reference)


def row_index(table: DataTable, label: str) -> int:
    for i in range(table.row_count):
        key = table.coordinate_to_cell_key((i, 0)).row_key
        if str(table.get_cell(key, "label")).strip() == label:
            return i
    raise AssertionError(f"no row {label!r}")


def value_of(table: DataTable, label: str) -> str:
    key = table.coordinate_to_cell_key((row_index(table, label), 0)).row_key
    return str(table.get_cell(key, "value")).strip()


async def test_figures_charts_drill_and_years(store):
    st, refs = store
    app = Host(st, 2025)
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        assert screen.year == 2025
        table = screen.query_one("#figures", DataTable)
        assert value_of(table, "Stage 1 complaints received") == "3"
        assert value_of(table, "CH01 Stage 1: per 1,000 homes") == "3.00"
        assert value_of(table, "CH02 Stage 1: % within timescale") == "33.3%"
        assert "2025-26" in str(screen.query_one("#year", Static).content)
        charts = str(screen.query_one("#charts", Static).content)
        assert "CH02" in charts and "█" in charts

        # Enter on "Stage 1 outside timescale" lists Q and R; escape goes back.
        table.move_cursor(row=row_index(table, "Stage 1 outside timescale"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        cases = app.screen.query_one("#cases", DataTable)
        assert sorted(str(cases.get_row_at(i)[1]) for i in range(cases.row_count)) == sorted([refs["Q"], refs["R"]])
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        # Enter on a case in the list asks the App to open it (OpenCase); the list stays for the next one.
        table.move_cursor(row=row_index(table, "Stage 1 within timescale"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert app.chosen == [refs["P"]]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        # [ shows the year before; ] comes back; the year after has not started.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.year == 2024
        assert "2024-25" in str(screen.query_one("#year", Static).content)
        assert value_of(table, "Stage 1 complaints received") == "1"
        await pilot.press("right")
        await settle(pilot)
        assert screen.year == 2025
        assert value_of(table, "Stage 1 complaints received") == "3"
        await pilot.press("right")
        await settle(pilot)
        assert screen.year == 2026  # the year holding today, 1 May 2026
        await pilot.press("right")
        await settle(pilot)
        assert screen.year == 2026  # 2027-28 has not started


async def test_the_current_year_is_shown_when_none_is_chosen(store):
    st, _ = store
    st = Store(st.engine, st.settings, Clock.at(date(2026, 3, 31)))
    app = Host(st)
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        assert app.screen.year == 2025
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.year == 2025  # 2026-27 has not started on 31 March 2026


async def test_a_failed_build_is_reported_not_raised(store, tmp_path):
    from sqlalchemy import create_engine

    st, _ = store
    broken = Store(create_engine(f"sqlite:///{tmp_path / 'empty.db'}"), st.settings, st.clock)  # no tables
    app = Host(broken)
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        assert "could not be built" in str(app.screen.query_one("#status", Static).content)


def test_bar():
    assert bar(0, 10) == "" and bar(None, 10) == ""
    assert bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 8) == "████"
    assert bar(1, 16, 8) == "▌"

"""The one case list (caseworker.widgets.case_list) on its own and in the inbox, with Pilot.

- columns share out the terminal's width: a growing column widens to its longest cell
  ("Face-to-face meetings only" whole at 100 columns) and keeps its least width when narrow;
- j/k move, Enter posts OpenCase for the row's case, a heading row's Enter goes on to the screen;
- the cursor stays on the same case when the rows come back in another order;
- the inbox reloads on coming back only if a case it lists changed (issue 14), and on `r`.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import make_app, settle
from rich.text import Text
from test_case_screen import TODAY, acknowledged_case, store  # noqa: F401 - the fixture
from textual.app import App, ComposeResult

from caseworker.messages import OpenCase
from caseworker.widgets.case_list import CaseList, Column, ListRow, case_row, fit_widths

COLUMNS = (Column("Reference", 10), Column("What", 18, grow=True), Column("Officer", 8, grow=True))


def test_spare_width_goes_to_growing_columns_up_to_their_longest_cell() -> None:
    # room 60: least widths 10 + 18 + 8 = 36, spare 24; "What" wants 26 (+8), "Officer" 12 (+4)
    assert fit_widths(COLUMNS, [9, 26, 12], 60) == [10, 26, 12]
    # room 40: spare 4 shared between the growing columns that want more
    assert fit_widths(COLUMNS, [9, 26, 12], 40) == [10, 20, 10]
    # room 45: spare 9; "Officer" is satisfied at 12, the rest goes to "What"
    assert fit_widths(COLUMNS, [9, 26, 12], 45) == [10, 23, 12]
    # narrower than the least widths: every column keeps its least width (the table scrolls)
    assert fit_widths(COLUMNS, [9, 26, 12], 20) == [10, 18, 8]
    # a fixed column never grows, whatever its cells
    assert fit_widths(COLUMNS, [30, 5, 5], 100) == [10, 18, 8]


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[tuple[int | None, str | None]] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield CaseList(COLUMNS, id="list")

    def on_open_case(self, message: OpenCase) -> None:
        self.opened.append((message.case_id, message.reference))

    def on_data_table_row_selected(self, message) -> None:
        self.selected.append(str(message.row_key.value))


ROWS = [
    ListRow((Text("▼ OVERDUE", style="bold"),), "group:overdue"),
    case_row(11, "CMP-11", "Face-to-face meetings only", "Alice Adams"),
    case_row(12, "CMP-12", "Large print", "Bob"),
    ListRow(("MPE-3", "Smith [/] Jones", "–"), "r:3", reference="MPE-3"),
]


def widths(table: CaseList) -> list[int]:
    return [c.width for c in table.columns.values()]


@pytest.mark.asyncio
async def test_columns_fit_the_terminal_and_enter_opens_the_case() -> None:
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(CaseList)
        table.show(ROWS)
        await pilot.pause()
        assert widths(table) == [10, 26, 11]  # whole, not "Face-to-face meeti"
        assert str(table.get_row("r:3")[1]) == "Smith [/] Jones"  # literal, never markup
        table.focus()
        await pilot.press("j")
        assert table.highlighted_case == 11
        await pilot.press("enter")
        await pilot.press("j", "j", "enter")
        await pilot.press("k", "k", "k", "enter")  # the heading: not a case
        await pilot.pause()
        assert app.opened == [(11, None), (None, "MPE-3")]
        assert app.selected == ["group:overdue"]
        assert table.shows(11) and table.shows(12) and not table.shows(3)

        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert widths(table) == [10, 18, 8]  # narrow: least widths, nothing lost but the cut


@pytest.mark.asyncio
async def test_a_page_added_at_the_end_scrolls_to_its_last_row() -> None:
    # The list does not measure its cells (every column has a width): its scrollable size still
    # counts every row and the columns' widths with their padding, and the last row is reachable.
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(CaseList)
        table.show([case_row(i, f"CMP-{i}", "Damp", "Alice") for i in range(1, 21)])
        await pilot.pause()
        table.extend([case_row(i, f"CMP-{i}", "Damp and mould in the back bedroom", "Alice") for i in range(21, 41)])
        await pilot.pause()
        padding = 2 * table.cell_padding * len(COLUMNS)
        assert table.virtual_size.height == 40 + 1  # the rows and the heading
        assert table.virtual_size.width == sum(widths(table)) + padding
        table.move_cursor(row=39, animate=False)  # the last row: scrolled into view
        await pilot.pause()
        assert table.highlighted_case == 40
        assert table.scroll_y == table.max_scroll_y > 0
        assert table.max_scroll_y == 41 - table.scrollable_content_region.height


@pytest.mark.asyncio
async def test_the_cursor_stays_on_its_case_when_the_rows_come_back_reordered() -> None:
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(CaseList)
        table.show(ROWS)
        table.move_cursor(row=2)
        assert table.highlighted_case == 12
        table.show([ROWS[2], ROWS[3], ROWS[0], ROWS[1]])
        await pilot.pause()
        assert table.highlighted_case == 12 and table.cursor_row == 0
        table.show(ROWS)
        assert table.highlighted_case == 12 and table.cursor_row == 2
        table.show([ROWS[0], ROWS[1], ROWS[3]])  # case 12 left the list: the cursor stays at the same place
        await pilot.pause()
        assert table.cursor_row == 2 and table.highlighted_key == "r:3"


@pytest.mark.asyncio
async def test_the_inbox_reloads_on_coming_back_only_when_a_case_changed(url, store):  # noqa: F811
    from caseworker.rules.lifecycle import CaseType, NewCase
    from caseworker.screens.case import CaseScreen
    from caseworker.screens.inbox import InboxScreen
    from caseworker.store import services as sv

    first = acknowledged_case(store)
    second = acknowledged_case(store, received=date(2025, 12, 2), on=date(2025, 12, 4))
    bob = sv.add_resident(store, "bob", "Mr Ray Quinn", address="3 Low Road")
    bobs = sv.log_case(store, "bob", bob, NewCase(CaseType.COMPLAINT, date(2025, 12, 5), "phone", "Repairs", "R", "S"))
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        table = inbox.query_one(CaseList)
        assert table.shows(first.id) and table.shows(second.id) and not table.shows(bobs.id)
        loads: list[int] = []
        original = inbox.load

        def counting() -> None:
            loads.append(1)
            original()

        inbox.load = counting
        table.move_cursor(row=table.get_row_index(str(second.id)))

        # open a case and come back with nothing changed: no reload
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == second.id
        await pilot.press("escape")
        await settle(pilot)
        assert loads == []

        # a change to a listed case while its screen is open: one reload on coming back, cursor kept
        await pilot.press("enter")
        await settle(pilot)
        app.run_db(sv.add_action, app.workspace.store, "alice", second.id, "Send photos", "alice", date(2025, 12, 12))
        await settle(pilot)
        assert app.case_changes == [second.id]
        await pilot.press("escape")
        await settle(pilot)
        assert loads == [1]
        assert table.highlighted_case == second.id

        # a case the inbox does not list yet is given to alice from the case screen: the inbox
        # reloads on coming back and lists it (a change to a case not shown may bring it in)
        await pilot.press("enter")
        await settle(pilot)
        app.run_db(sv.reassign_open_cases, app.workspace.store, "admin", "bob", "alice", "Bob is away")
        await settle(pilot)
        assert app.case_changes[-1] == bobs.id
        await pilot.press("escape")
        await settle(pilot)
        assert loads == [1, 1] and table.shows(bobs.id)
        assert table.highlighted_case == second.id

        # r reloads whatever happened
        await pilot.press("r")
        await settle(pilot)
        assert loads == [1, 1, 1]

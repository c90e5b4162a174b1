"""The inbox's key path: what a held arrow key costs (issue 17), checked for behaviour, not time.

- a table with a row cursor draws again only the rows the cursor left and came to, and what it
  shows after any run of moves is what a table drawn from scratch shows;
- full garbage collections wait for the keyboard to rest (``caseworker.collector``): a due one
  runs once no input has come for a second, never while keys are coming, and every key or
  mouse event the app gets counts as input.
"""

from __future__ import annotations

import gc
import time

from helpers import make_app, settle
from test_case_screen import TODAY, acknowledged_case, open_case, store  # noqa: F401 - the fixture
from textual.app import App, ComposeResult

from caseworker import collector
from caseworker.collector import IdleCollector
from caseworker.widgets.table import Table


class Host(App):
    def compose(self) -> ComposeResult:
        yield Table(id="t", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(Table)
        for label in ("Reference", "Resident", "Left"):
            table.add_column(label, key=label)
        for i in range(100):
            table.add_row(f"CMP-{i:04d}", f"Resident [{i}]", str(i % 7), key=str(i))
        table.focus()


def _shown(table: Table) -> list[list]:
    return [list(table.render_line(y)) for y in range(table.size.height)]


async def test_cursor_moves_show_what_a_table_drawn_afresh_shows() -> None:
    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(Table)
        before = _shown(table)
        for key in ("down", "down", "down", "pagedown", "up", "end", "home", "down"):
            await pilot.press(key)
            shown = _shown(table)  # through the cache, lines drawn at earlier cursor places kept
            table._clear_caches()
            assert shown == _shown(table), f"after {key}"
        # home and end scroll without moving the cursor: it is where the last down put it
        assert table.cursor_row == 14 and shown != before


async def test_a_cell_updated_is_drawn_again() -> None:
    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(Table)
        await pilot.press("down")
        table.update_cell("3", "Resident", "Someone Else")
        await pilot.pause()
        assert "Someone Else" in "".join(s.text for s in table.render_line(4))


class FilledBeforeLayout(App):
    """A table filled and its cursor moved while it has no size (hidden here; the reports
    screen's figures when the report came before the screen's first layout), the cursor on the
    first figure under its section's heading on row 0."""

    def compose(self) -> ComposeResult:
        yield Table(id="t", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(Table)
        table.display = False
        table.add_column("Reference", key="Reference")
        for i in range(100):
            table.add_row(f"CMP-{i:04d}", key=str(i))
        table.move_cursor(row=1)


async def test_a_cursor_moved_before_the_table_has_a_size_leaves_the_rows_above_it_shown() -> None:
    """Scrolled into view once laid out, not against a window of no height (which put row 1 at
    the top and hid row 0); a cursor beyond the window is still brought into view."""
    app = FilledBeforeLayout()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(Table)
        assert table.size.height == 0  # no size while the cursor was scrolled into view
        table.display = True
        await pilot.pause()
        assert (table.cursor_row, table.scroll_y) == (1, 0)
        assert "CMP-0000" in "".join(s.text for s in table.render_line(1))
        table.move_cursor(row=50)
        await pilot.pause()
        assert table.scroll_y > 0 and table.cursor_row == 50


def _gen1_collections(n: int) -> None:
    for _ in range(n):
        gc.collect(1)  # each counts towards the next full collection


def test_a_due_full_collection_waits_for_the_keyboard_to_rest() -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        idle = IdleCollector(idle_seconds=60)
        gc.collect()
        _gen1_collections(collector.DUE)
        assert not idle.check()  # keys may still be coming: not yet
        assert gc.get_count()[2] >= collector.DUE
        idle.last_input = time.monotonic() - 61
        assert idle.check()
        assert idle.collections == 1
        assert gc.get_count()[2] == 0
        assert not idle.check()  # nothing due any more
        _gen1_collections(collector.DUE - 1)
        assert not idle.check()  # not due yet, however long idle
        idle.input_seen()
        _gen1_collections(1)
        assert not idle.check()  # due, but a key has just come
    finally:
        if not was_enabled:
            gc.disable()


def test_a_screen_closed_collects_at_once_if_a_full_collection_is_due() -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        idle = IdleCollector(idle_seconds=60)
        gc.collect()
        _gen1_collections(collector.DUE - 1)
        assert not idle.collect_if_due()  # not due: nothing
        _gen1_collections(1)
        idle.input_seen()
        assert idle.collect_if_due()  # due: now, though a key has just come (the screen is closed)
        assert gc.get_count()[2] == 0 and idle.collections == 1
    finally:
        if not was_enabled:
            gc.disable()


def test_nothing_is_collected_while_collection_is_off() -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    _gen1_collections(collector.DUE)
    gc.disable()
    try:
        idle = IdleCollector(idle_seconds=0)
        assert not idle.check()
        assert idle.collections == 0
    finally:
        if was_enabled:
            gc.enable()


def test_after_start_up_freezes_and_leaves_full_collections_to_the_rests() -> None:
    threshold, was_enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()
    try:
        collector.after_start_up()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (threshold[0], threshold[1], collector.FULL_AFTER)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        if not was_enabled:
            gc.disable()


async def test_the_app_counts_keys_as_input_for_the_collector(url: str, store) -> None:  # noqa: F811 - the fixture
    acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.collector.last_input = 0.0
        await pilot.press("down")
        assert time.monotonic() - app.collector.last_input < 60


async def test_closing_a_case_collects_once_the_inbox_is_drawn_if_one_is_due(url: str, store) -> None:  # noqa: F811 - the fixture
    case = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.collector.idle_seconds = 3600  # only the closing may collect in this test
        await open_case(pilot, case.id)
        before = app.collector.collections
        _gen1_collections(collector.DUE)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "InboxScreen"
        assert app.collector.collections == before + 1

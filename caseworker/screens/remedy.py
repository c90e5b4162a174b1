"""The Remedy screen (F5): two tabs, the calculator (:mod:`caseworker.screens.remedy_calculator`)
and the remedies on record (:mod:`caseworker.screens.remedy_records`); this module holds the
layout, the keys and which tab each key works on.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input, Static, TabbedContent, TabPane

from caseworker import inert, keys
from caseworker.screens.base import BaseScreen
from caseworker.screens.remedy_calculator import RemedyCalculator
from caseworker.screens.remedy_records import RemedyRecords
from caseworker.widgets.footer import Footer

CALC_ACTIONS = {"add_line", "remove_line", "clear_calculation", "save_offer"}
RECORD_ACTIONS = {"move", "cycle_state", "open_case"}


class RemedyScreen(BaseScreen):
    """The remedy calculator and the remedies on record."""

    TITLE = "Remedy calculator"
    HELP_SCOPE = "remedy"
    HELP = (
        "Calculator: choose the guidance set (the one in force today is chosen for you), then add items with "
        "their quantity or amount and a note, or choose a redress band and an amount in it. The breakdown, "
        "total and rationale update as you type; a problem names the field. Ctrl+S saves the calculation as "
        "an offer on a case with what will happen and by when (7.3). Remedies on record (Ctrl+T): a accepted, "
        "d declined, p paid, c completed."
    )
    BINDINGS = keys.bindings("remedy", "list")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    DEFAULT_CSS = """
    RemedyScreen TabbedContent { height: 1fr; }
    RemedyScreen TabPane { padding: 0; }
    RemedyScreen #calc-body { height: 1fr; }
    RemedyScreen #inputs { width: 1fr; padding: 0 1; }
    RemedyScreen.-narrow #inputs { width: 36; }
    RemedyScreen #guidance-choice { height: auto; }
    RemedyScreen #guidance-note { color: $warning; height: auto; }
    RemedyScreen #guidance-source { text-wrap: nowrap; text-overflow: ellipsis; }
    RemedyScreen #result { width: 1fr; padding: 0 1; border-left: solid $primary; }
    RemedyScreen .label { padding-top: 1; text-style: bold; }
    RemedyScreen .note { color: $text-muted; }
    RemedyScreen #qty-row { height: auto; }
    RemedyScreen #qty-row Input { width: 1fr; }
    RemedyScreen #breakdown { height: auto; max-height: 12; }
    RemedyScreen #total { text-style: bold; padding: 1 0 0 0; }
    RemedyScreen #problem { color: $warning; height: auto; }
    RemedyScreen #problem.error { color: $error; text-style: bold; }
    RemedyScreen #rationale-box { height: 1fr; }
    RemedyScreen #record-filter { height: 1; padding: 0 1; background: $boost; }
    RemedyScreen #remedies { height: 1fr; }
    RemedyScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="calc", id="tabs"):
            with TabPane("Calculator", id="calc"):
                yield RemedyCalculator(self.HELP, id="calc-body")
            with TabPane("Remedies on record", id="record"):
                yield RemedyRecords(id="record-body")
        yield Static("", id="status")
        yield Footer(compact=True)

    @property
    def calculator(self) -> RemedyCalculator:
        """The calculator pane."""
        return self.query_one(RemedyCalculator)

    @property
    def records(self) -> RemedyRecords:
        """The remedies on record pane."""
        return self.query_one(RemedyRecords)

    def __init__(self) -> None:
        super().__init__()
        self._came_from = self.app.current_mode  # the mode F5 was pressed in (this screen is built on the way)
        self._carried = ""  # the case reference last carried into the calculator

    def on_mount(self) -> None:
        self.query_one("#case", Input).focus()
        self.app.mode_change_signal.subscribe(self, self._mode_changed)
        self._carry_case()

    def _mode_changed(self, mode: str) -> None:
        if mode != "remedy":
            self._came_from = mode
        else:
            self._carry_case()

    def _carry_case(self) -> None:
        """Coming here from a case (F5 on the case screen): work out a remedy for that case,
        unless the officer has typed another reference into the calculator."""
        from caseworker.screens.case import CaseScreen

        try:
            top = self.app.get_screen_stack(self._came_from)[-1]
        except (KeyError, IndexError):
            return
        detail = top.detail if isinstance(top, CaseScreen) else None
        if detail is None:
            return
        typed = self.query_one("#case", Input).value.strip()
        if typed and typed != self._carried:
            return
        self._carried = detail.header.reference
        self.calculator.set_case(self._carried)

    def load(self) -> None:
        """Fetch the remedies on record, and say what today is."""
        ws = self.workspace
        if ws is None:
            return
        self.records.load()
        self.query_one("#status", Static).update(inert.text(f"today {ws.store.today():%a %d %b %Y}"))

    def on_remedy_calculator_offer_saved(self, event: RemedyCalculator.OfferSaved) -> None:
        event.stop()
        self.records.load()

    # -- the calculator's keys ---------------------------------------------------------------

    def action_add_line(self) -> None:
        self.calculator.add_line()

    def action_remove_line(self) -> None:
        self.calculator.remove_line()

    def action_clear_calculation(self) -> None:
        self.calculator.clear()

    def action_save_offer(self) -> None:
        self.calculator.save_offer()

    # -- the record's keys -------------------------------------------------------------------

    def action_move(self, target: str) -> None:
        self.records.move(target)

    def action_cycle_state(self) -> None:
        self.records.cycle_state()

    def action_open_case(self) -> None:
        self.records.open_case()

    # -- tabs and keys -----------------------------------------------------------------------

    def _tab(self) -> str:
        found = self.query("#tabs")
        return found.first(TabbedContent).active if found else "calc"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Calculator keys on the calculator tab, tracking keys on the record tab."""
        if action in CALC_ACTIONS:
            found = self.query(RemedyCalculator)
            guidance = found.first().guidance if found else None
            if action in ("add_line", "remove_line") and guidance is not None and not guidance.items:
                return False
            return self._tab() == "calc"
        if action in RECORD_ACTIONS:
            return self._tab() == "record"
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_bindings()
        if self._tab() == "record":
            self.query_one("#remedies", DataTable).focus()

    def action_switch_tab(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "record" if tabs.active == "calc" else "calc"
        if tabs.active == "record":
            self.query_one("#remedies", DataTable).focus()
        else:
            self.query_one("#case", Input).focus()
        self.refresh_bindings()

    def _table(self) -> DataTable:
        focused = self.focused
        if isinstance(focused, DataTable):
            return focused
        return self.query_one("#remedies" if self._tab() == "record" else "#breakdown", DataTable)

    def action_cursor_down(self) -> None:
        self._table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._table().action_cursor_up()

"""Adjustments register: disclosed disabilities, agreed reasonable adjustments and contact
restrictions across residents, reviews overdue first then due (5.10, 5.14, 5.15).

Each change is a form (``screens/dialogs/register_forms.py``) that checks as you type with the
registers' own guards and shows the rule's message and Code paragraph; the service checks again
when saving. The add forms reach any resident through the resident picker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.screens.base import BaseScreen
from caseworker.screens.dialogs.fields import Choice
from caseworker.screens.dialogs.register_forms import (
    ADJUSTMENT_KINDS,  # noqa: F401  (re-exported)
    AdjustmentForm,
    DisabilityForm,
    RestrictionForm,
    review_form,
)
from caseworker.widgets.case_list import CaseList, Column, ListRow
from caseworker.widgets.footer import Footer

# -- the register ------------------------------------------------------------------------

COLUMNS = (
    Column("Review", 8),
    Column("Review date", 11),
    Column("Resident", 18, grow=True),
    Column("Type", 11),
    Column("What", 18, grow=True),
    Column("Detail", 14, grow=True),
    Column("Since", 11),
    Column("Open cases", 11, grow=True),
)
MAX_ROWS = 1000  # register rows shown at once (a DataTable fills at ~5,000 rows a second)
KIND_LABEL = {"disability": "Disability", "adjustment": "Adjustment", "restriction": "Restriction"}
FILTERS = ("all", "due", "active")
FILTER_LABEL = {"all": "everything", "due": "reviews overdue or due", "active": "in force"}


def review_text(review: str, active: bool) -> Text:
    """The review state, coloured: OVERDUE red, due amber, ended dim."""
    if not active:
        return Text("ended", style="dim")
    if review == "overdue":
        return Text("OVERDUE", style="bold red")
    if review == "due":
        return Text("due", style="bold dark_orange")
    return Text("")


def _cases_text(refs: tuple[str, ...]) -> str:
    """The resident's open cases: the first, and how many more."""
    if not refs:
        return "–"
    return refs[0] + (f" +{len(refs) - 1}" if len(refs) > 1 else "")


class AdjustmentsScreen(BaseScreen):
    """The register of disabilities, adjustments and restrictions, reviews due first."""

    TITLE = "Adjustments register"
    HELP_SCOPE = "adjustments"
    HELP = (
        "Disclosed disabilities, agreed reasonable adjustments (5.10) and contact restrictions (5.14, 5.15) "
        "across residents. Reviews overdue come first (red), then those due within 14 days (amber). "
        "r records a review of the highlighted adjustment or restriction; a, d and x add an adjustment, a "
        "disability or a restriction for any resident: the form starts with the highlighted row's resident; "
        "search for another or add a new one there."
    )
    BINDINGS = keys.bindings("adjustments", "list")
    DEFAULT_CSS = """
    AdjustmentsScreen #summary { height: 1; padding: 0 1; background: $boost; }
    AdjustmentsScreen DataTable { height: 1fr; }
    AdjustmentsScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._register = None
        self._rows: dict[str, Any] = {}
        self.filter = "all"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        table = CaseList(COLUMNS, id="register")
        table.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield table
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(CaseList).focus()

    # -- loading -----------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the register."""
        if self.workspace is None:
            return
        from caseworker.store.queries.register import register

        self.run_db(register, self.workspace.store, done=self._show, group="register")

    def _show(self, reg) -> None:
        self._register = reg
        wanted = [r for r in reg.rows if self._wanted(r)]
        rows = wanted[:MAX_ROWS]
        self._rows = {f"{r.kind}:{r.item_id}": r for r in rows}
        listed = []
        for key, r in self._rows.items():
            dim = "" if r.active else "dim"
            cells = (
                review_text(r.review, r.active),
                Text(f"{r.review_date:%d %b %Y}" if r.review_date else "–", style=dim),
                Text(r.resident, style=dim),
                Text(KIND_LABEL.get(r.kind, r.kind), style=dim),
                Text(r.what, style=dim),
                Text(r.detail, style=dim),
                Text(f"{r.since:%d %b %Y}", style=dim),
                Text(_cases_text(r.open_cases), style=dim),
            )
            # Enter opens the resident's first open case (a row with none says so: the screen's handler)
            listed.append(ListRow(cells, key, reference=r.open_cases[0] if r.open_cases else None))
        self.query_one(CaseList).show(listed)  # the cursor stays on its row
        self.query_one("#summary", Static).update(
            inert.text(
                f"Reviews: {reg.overdue} overdue · {reg.due} due within 14 days · showing {FILTER_LABEL[self.filter]}"
            )
        )
        if not reg.rows:
            status = "Nothing recorded yet: press a, d or x to add one for any resident (find them by name or case)"
        else:
            status = f"{len(wanted):,} of {len(reg.rows):,} item(s)"
            if len(wanted) > len(rows):
                status += f", the first {len(rows):,} shown (reviews overdue and due come first; f filters)"
        self.query_one("#status", Static).update(inert.text(status + f" · today {reg.today:%a %d %b %Y}"))

    def _wanted(self, r) -> bool:
        if self.filter == "due":
            return r.review in ("overdue", "due")
        if self.filter == "active":
            return r.active
        return True

    def _current_key(self) -> str | None:
        return self.query_one(CaseList).highlighted_key

    def current(self):
        """The highlighted register row, or None."""
        key = self._current_key()
        return self._rows.get(key) if key else None

    # -- actions -----------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_case()

    def action_open_case(self) -> None:
        row = self.current()
        if row is None or self.workspace is None:
            return
        if not row.open_cases:
            self.notify(f"{row.resident} has no open case.", timeout=4)
            return
        self.query_one(CaseList).open_highlighted()

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        if self._register is not None:
            self._show(self._register)

    def action_refresh(self) -> None:
        self.load()

    def _resident(self) -> Choice | None:
        """The highlighted row's resident, to start the form with (None: the form searches)."""
        row = self.current()
        return Choice(str(row.resident_id), row.resident) if row else None

    def _changed(self, what: str) -> Callable[[Any], None]:
        def done(result) -> None:
            if result is not None:
                self.notify(what, timeout=4)
                self.load()

        return done

    def action_add_adjustment(self) -> None:
        if self.workspace is not None:
            self.app.push_screen(AdjustmentForm(self._resident()), self._changed("Adjustment recorded."))

    def action_add_disability(self) -> None:
        if self.workspace is not None:
            self.app.push_screen(DisabilityForm(self._resident()), self._changed("Disability recorded."))

    def action_add_restriction(self) -> None:
        if self.workspace is not None:
            self.app.push_screen(RestrictionForm(self._resident()), self._changed("Restriction recorded."))

    def action_review(self) -> None:
        ws = self.workspace
        row = self.current()
        if ws is None:
            return
        if row is None:
            self.notify("Highlight an adjustment or a restriction to review.", timeout=4)
            return
        if row.kind not in ("adjustment", "restriction"):
            self.notify("A disclosed disability has no review date; review the adjustments agreed for it.", timeout=5)
            return
        if not row.active:
            self.notify(f"This {row.kind} has ended; record a new one if it is needed again.", timeout=5)
            return
        due = f"; review was due {row.review_date:%a %d %b %Y}" if row.review_date else ""
        intro = f"{KIND_LABEL[row.kind]} for {row.resident}: {row.what}{due}."
        self.app.push_screen(review_form(row, ws.store, ws.login, intro), self._changed("Review recorded."))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()


__all__ = ["AdjustmentsScreen"]

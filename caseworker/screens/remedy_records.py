"""The remedies on record: every remedy offered, tracked through accepted or declined, paid
and completed (section 7), with a filter by state and Enter to open the case.

Each move is confirmed first (it cannot be undone) and runs in a worker; a move someone else
made first is refused naming who and when, and the list is fetched again.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from caseworker import inert
from caseworker.rules.money import format_pounds
from caseworker.rules.remedy_record import kind_label
from caseworker.screens.base import WorkerMixin
from caseworker.screens.dialogs.remedy_forms import MoveRemedyForm
from caseworker.widgets.case_list import CaseList, Column, ListRow

STATES = (None, "offered", "accepted", "paid", "declined", "completed")
STATE_STYLE = {
    "offered": "bold dark_orange",
    "accepted": "bold",
    "paid": "green",
    "completed": "green",
    "declined": "dim",
}
RECORD_COLUMNS = (
    Column("Reference", 12),
    Column("State", 9),
    Column("Amount", 10),
    Column("By when", 11),
    Column("Kind", 17, grow=True),
    Column("What will happen", 24, grow=True),
    Column("Resident", 16, grow=True),
    Column("Since", 11),
)


class RemedyRecords(WorkerMixin, Vertical):
    """The remedies on record pane: a filter line and the table of remedies."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state_filter: str | None = None
        self._remedies: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="record-filter")
        yield CaseList(RECORD_COLUMNS, id="remedies")

    def load(self) -> None:
        """Fetch the remedies on record."""
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.remedies import remedies_list

        self.run_db(remedies_list, ws.store, self.state_filter, done=self._show_record, group="remedies")

    def _show_record(self, rows) -> None:
        self._remedies = {str(r.remedy_id): r for r in rows}
        listed = [
            ListRow(
                (
                    r.reference,
                    Text(r.state, style=STATE_STYLE.get(r.state, "")),
                    Text(format_pounds(r.amount_pence) if r.amount_pence is not None else "–", justify="right"),
                    Text(f"{r.by_when:%d %b %Y}", style="bold red" if r.overdue else ""),
                    kind_label(r.kind),
                    r.description,
                    r.resident,
                    f"{r.state_on:%d %b %Y}",
                ),
                str(r.remedy_id),
                r.case_id,
            )
            for r in rows
        ]
        self.query_one("#remedies", CaseList).show(listed)  # the cursor stays on its remedy
        label = self.state_filter or "every state"
        overdue = sum(r.overdue for r in rows)
        self.query_one("#record-filter", Static).update(
            inert.text(
                f"Remedies on record: {len(rows)} in {label}"
                + (f" · {overdue} past their date" if overdue else "")
                + " · f: filter by state"
            )
        )

    def _current_remedy(self):
        key = self.query_one("#remedies", CaseList).highlighted_key
        return self._remedies.get(key) if key else None

    def move(self, target: str) -> None:
        """Ask the date (and, when paid, the payment reference), then move the highlighted remedy."""
        ws = self.workspace
        row = self._current_remedy()
        if ws is None or row is None:
            return
        from caseworker.rules import registers
        from caseworker.rules.facts import RemedyKind, RemedyState

        refusal = registers.check_remedy_move(RemedyKind(row.kind), RemedyState(row.state), RemedyState(target))
        if refusal is not None:
            self.notify(str(refusal), title="Not allowed", severity="error", timeout=8)
            return

        def moved(state: str | None) -> None:
            if state:
                self.notify(f"{row.reference}: remedy {state}.", timeout=4)
            self.load()  # moved, or perhaps moved by someone else meanwhile: show it as it is now

        self.app.push_screen(MoveRemedyForm(row, target, ws.store.today()), moved)

    def cycle_state(self) -> None:
        self.state_filter = STATES[(STATES.index(self.state_filter) + 1) % len(STATES)]
        self.load()

    def open_case(self) -> None:
        self.query_one("#remedies", CaseList).open_highlighted()

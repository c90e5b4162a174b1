"""Deadlines: the countdown board grouped overdue / today / next 2 working days / this week /
later; for supervisors the counts per officer and a filter to one officer; beside it the
non-working days in force for the coming three months (bank holidays of the region and
closure days)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys, labels
from caseworker.screens.base import BaseScreen
from caseworker.widgets.case_list import CaseList, Column, ListRow, case_row
from caseworker.widgets.countdown import due_text, flag_text, left_text
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

#: Rows shown per group (the heading still counts them all).
GROUP_LIMIT = 200
COLUMNS = (
    Column("Reference", 13),
    Column("Resident", 16, grow=True),
    Column("Due", 17),
    Column("Left", 5),
    Column("Officer", 11, grow=True),
    Column("St", 2),
    Column("Flags", 5),
    Column("Status", 14, grow=True),
)
GROUP_STYLE = {
    "overdue": "bold white on dark_red",
    "today": "bold white on red3",
    "next 2 working days": "bold black on dark_orange",
    "this week": "bold",
    "later": "bold",
}
OFFICER_COLUMNS = (
    ("Officer", 24),
    ("Overdue", 8),
    ("Today", 6),
    ("Next 2 WD", 9),
    ("This week", 9),
    ("Later", 6),
    ("Total", 6),
)


REGION_NAME = {"england-and-wales": "England and Wales", "scotland": "Scotland", "northern-ireland": "Northern Ireland"}
GROUP_LABEL = {
    "overdue": "OVERDUE",
    "today": "TODAY",
    "next 2 working days": "NEXT 2 WD",
    "this week": "THIS WEEK",
    "later": "LATER",
}


def _heading(group) -> list[Text]:
    """A group's heading row: its name, how many cases, and the due dates it covers."""
    style = GROUP_STYLE.get(group.name, "bold")
    shown = len(group.rows)
    count = (
        f"{group.total:,}, {shown} shown"
        if shown < group.total
        else f"{group.total} case{'s' if group.total != 1 else ''}"
    )
    first, last = group.first, group.last
    if first is None and last is not None:
        span = f"to {last:%a %d %b}"
    elif last is None and first is not None:
        span = f"from {first:%a %d %b}"
    elif first == last and first is not None:
        span = f"{first:%a %d %b}"
    elif first is not None and last is not None and first <= last:
        span = f"{first:%d %b}–{last:%d %b}"
    else:
        span = ""
    return [
        Text(f"▼ {GROUP_LABEL.get(group.name, group.name.upper())}", style=style),
        Text(count, style="bold"),
        Text(span, style="bold"),
    ]


class DeadlinesScreen(BaseScreen):
    """The countdown board and the calendar in force."""

    TITLE = "Deadlines"
    HELP_SCOPE = "deadlines"
    HELP = (
        "Every open case with a deadline, grouped: overdue, due today, due in the next 2 working days, the "
        "rest of this week, later. 'Left' is working days left. Supervisors see everyone's cases with counts "
        "per officer below; o shows one officer at a time. The side panel lists the non-working days in force "
        "(bank holidays of the region and closure days) for the next 3 months."
    )
    BINDINGS = keys.bindings("deadlines", "list")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    DEFAULT_CSS = """
    DeadlinesScreen #filter { height: 1; padding: 0 1; background: $boost; }
    DeadlinesScreen #main { height: 1fr; }
    DeadlinesScreen #left { width: 1fr; }
    DeadlinesScreen #board { height: 1fr; }
    DeadlinesScreen #officers-title { height: 1; padding: 0 1; text-style: bold; }
    DeadlinesScreen #officers { height: auto; max-height: 35%; }
    DeadlinesScreen #calendar { width: 40; border-left: solid $primary; padding: 0 1; }
    DeadlinesScreen #calendar-title { text-style: bold; height: auto; }
    DeadlinesScreen #days { height: 1fr; }
    DeadlinesScreen.-narrow #calendar { display: none; width: 1fr; border-left: none; }
    DeadlinesScreen.-narrow.calendar-shown #calendar { display: block; }
    DeadlinesScreen.-narrow.calendar-shown #left { display: none; }
    DeadlinesScreen.-wide.calendar-hidden #calendar { display: none; }
    DeadlinesScreen .solo { display: none; }
    DeadlinesScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.officer: str | None = None  # filter: one officer's login, or None for the whole view
        self._counts: tuple = ()  # OfficerCounts of everyone, for the table and the o cycle
        self._board = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="filter")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                board = CaseList(COLUMNS, id="board", zebra_stripes=False)
                board.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
                yield board
                yield Static("Cases per officer (Enter: show only theirs)", id="officers-title", classes="solo")
                yield Table(id="officers", cursor_type="row", zebra_stripes=True, classes="solo")
            with Vertical(id="calendar"):
                yield Static("Non-working days", id="calendar-title")
                yield Table(id="days", cursor_type="row", show_header=False)
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        board = self.query_one("#board", CaseList)
        officers = self.query_one("#officers", DataTable)
        for label, width in OFFICER_COLUMNS:
            officers.add_column(label, width=width, key=label)
        days = self.query_one("#days", DataTable)
        days.add_column("Date", width=15, key="date")
        days.add_column("Why", width=22, key="why")
        board.focus()
        self.set_interval(60, self._tick)

    # -- loading -----------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the board (and everyone's counts, and the calendar) in one worker."""
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.board import deadline_board, non_working_days

        store, supervises = ws.store, self.supervises
        who = self.officer if supervises else ws.login

        def fetch():
            board = deadline_board(store, who, limit=GROUP_LIMIT)
            counts = board.by_officer
            if supervises and who is not None:
                counts = deadline_board(store, None, limit=0).by_officer
            return board, counts, non_working_days(store, months=3)

        self.run_db(fetch, done=self._show, group="board")

    def _show(self, result) -> None:
        board, counts, days = result
        self.refresh_bindings()
        self._board, self._counts = board, counts
        rows: list[ListRow] = []
        for group in board.groups:
            rows.append(ListRow(tuple(_heading(group)), f"group:{group.name}"))
            for r in group.rows:
                rows.append(
                    case_row(
                        r.case_id,
                        r.reference,
                        r.resident,
                        due_text(r.next_due, r.due_kind),
                        left_text(r.days_left, r.rag),
                        r.officer_name or "–",
                        str(r.stage),
                        flag_text(r.flags),
                        labels.listed_status(r.status, r.due_kind),
                    )
                )
            if not group.total:
                rows.append(ListRow((Text("  none", style="dim"),), f"none:{group.name}"))
        with self.app.batch_update():
            self.query_one("#board", CaseList).show(rows)  # the cursor stays on its case
            self._show_officers()
            self._show_days(days)
        self._show_filter()
        total = sum(g.total for g in board.groups)
        self.query_one("#status", Static).update(
            inert.text(f"{total:,} open case(s) with a deadline · today {board.today:%a %d %b %Y}")
        )

    def _show_officers(self) -> None:
        shown = self.supervises
        for w in self.query(".solo"):
            w.display = shown
        if not shown:
            return
        table = self.query_one("#officers", DataTable)
        current = self._current_key(table)
        table.clear()
        for o in self._counts:
            mark = "▶ " if o.login and o.login == self.officer else ""
            label = f"{mark}{o.name or o.login}" if o.login else "(unassigned)"
            cells = [
                Text(str(n), justify="right", style=("bold red" if i < 2 and n else "")) for i, n in enumerate(o.counts)
            ]
            table.add_row(
                inert.cell(label, "bold" if mark else ""),
                *cells,
                Text(str(o.total), justify="right"),
                key=o.login or "-",
            )
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))

    def _show_days(self, days) -> None:
        table = self.query_one("#days", DataTable)
        table.clear()
        for day, why in days:
            table.add_row(f"{day:%a %d %b %Y}", why, key=day.isoformat())
        if not days:
            table.add_row(Text("none", style="dim"), "", key="none")
        ws = self.workspace
        region = ws.store.calendar.region if ws else ""
        region = REGION_NAME.get(region, region.replace("-", " "))
        self.query_one("#calendar-title", Static).update(
            inert.text(
                f"Non-working days, next 3 months\nBank holidays ({region}) and closure days; weekends not listed"
            )
        )

    def _show_filter(self) -> None:
        ws = self.workspace
        if not self.supervises:
            text = f"Your cases ({ws.officer.display_name})" if ws else "Your cases"
        elif self.officer is None:
            text = "Everyone's open cases · o: one officer at a time"
        else:
            name = next((o.name for o in self._counts if o.login == self.officer), self.officer)
            text = f"{name} only · o: next officer"
        self.query_one("#filter", Static).update(inert.text(text))

    def _tick(self) -> None:
        """Once a minute: if the date has changed, reload (the countdowns are per day)."""
        ws = self.workspace
        if ws is not None and self._board is not None and ws.store.today() != self._board.today:
            self.load()

    @staticmethod
    def _current_key(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -- actions -------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "officers":
            login = event.row_key.value
            if login and login != "-":
                self.officer = None if self.officer == login else login
                self.query_one("#board", DataTable).focus()
                self.load()
            return

    def action_open_case(self) -> None:
        self.query_one("#board", CaseList).open_highlighted()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The officer filter is for supervisors."""
        if action == "cycle_officer" and self.workspace is not None:
            return self.supervises
        return True

    def action_cycle_officer(self) -> None:
        if not self.supervises:
            self.notify("Only supervisors see other officers' deadlines; this board shows your cases.", timeout=4)
            return
        logins = [o.login for o in self._counts if o.login]
        if not logins:
            self.notify("No officer has an open case with a deadline.", timeout=4)
            return
        if self.officer not in logins:
            self.officer = logins[0] if self.officer is None else None
        else:
            i = logins.index(self.officer) + 1
            self.officer = logins[i] if i < len(logins) else None
        self.load()

    def action_toggle_calendar(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("calendar-shown")
            target = "#days" if self.has_class("calendar-shown") else "#board"
        else:
            self.toggle_class("calendar-hidden")
            target = "#board"
        self.query_one(target, DataTable).focus()

    def action_refresh(self) -> None:
        self.load()

    def _table(self) -> DataTable:
        focused = self.focused
        return focused if isinstance(focused, DataTable) else self.query_one("#board", DataTable)

    def action_cursor_down(self) -> None:
        self._table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._table().action_cursor_up()


__all__ = ["DeadlinesScreen"]

"""Service requests (F9): the register of requests for a service (Code 1.4), oldest open first,
with their age in working days so they are monitored and reviewed; record one, close one, or
raise a complaint from one while it stays open (1.5)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input, Static

from caseworker import keys
from caseworker.messages import OpenCase
from caseworker.screens.base import BaseScreen
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

COLUMNS = (
    ("Reference", 10),
    ("Age", 4),
    ("Received", 11),
    ("Resident", 20),
    ("Area", 24),
    ("Owner", 11),
    ("Status", 15),
    ("Complaints", 11),
    ("Asked for", 34),
)
#: Age in working days from which an open request is shown amber, then red, for review.
AMBER_AGE, RED_AGE = 10, 20


class ServiceRequestsScreen(BaseScreen):
    """The service request register."""

    TITLE = "Service requests"
    HELP_SCOPE = "requests"
    HELP = (
        "Requests for a service (a repair, a missed bin) are not complaints, but they are recorded, monitored "
        "and reviewed (Code 1.4). 'Age' is working days since the request was received: amber from "
        f"{AMBER_AGE}, red from {RED_AGE}. A resident may complain while a request is still open: raise the "
        "complaint with r and the request stays open (Code 1.5)."
    )
    BINDINGS = keys.bindings("requests", "list")
    DEFAULT_CSS = """
    ServiceRequestsScreen #filters { height: 1; padding: 0 1; background: $boost; }
    ServiceRequestsScreen #sr-search { display: none; }
    ServiceRequestsScreen #sr-search.shown { display: block; }
    ServiceRequestsScreen DataTable { height: 1fr; }
    ServiceRequestsScreen #detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $primary; }
    ServiceRequestsScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.show_closed = False
        self.search_text = ""
        self._rows: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="filters")
        yield Input(
            placeholder="Search reference, resident, area or text… (Enter: to the list, Esc: clear)", id="sr-search"
        )
        table = Table(id="requests", cursor_type="row", zebra_stripes=True)
        table.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield table
        yield Static("", id="detail")
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        table.focus()

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the register for the current filter (the cursor stays on the same request)."""
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.service_requests import service_requests

        self.query_one("#filters", Static).update(
            ("Open and closed requests" if self.show_closed else "Open requests, oldest first")
            + (f" · search “{self.search_text}”" if self.search_text else "")
        )
        self.run_db(
            service_requests,
            ws.store,
            include_closed=self.show_closed,
            search=self.search_text,
            done=self._loaded,
            group="requests",
        )

    def _current_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _loaded(self, rows: list) -> None:
        keep = self._current_key()
        self._rows = rows
        table = self.query_one(DataTable)
        with self.app.batch_update():
            table.clear()
            for r in rows:
                rag = "bold red" if r.age_days >= RED_AGE else "bold dark_orange" if r.age_days >= AMBER_AGE else ""
                status = "open" if r.status == "open" else f"closed {r.closed_on:%d/%m/%y}" if r.closed_on else "closed"
                table.add_row(
                    Text(r.reference),
                    Text(str(r.age_days), style=rag if r.status == "open" else "dim", justify="right"),
                    Text(f"{r.received:%d %b %Y}"),
                    Text(r.resident),
                    Text(r.service_area),
                    Text(r.owner or "–"),
                    Text(status),
                    Text(", ".join(r.complaints) or "–"),
                    Text(" ".join(r.description.split())),
                    key=str(r.id),
                )
        if keep is not None and any(str(r.id) == keep for r in rows):
            table.move_cursor(row=table.get_row_index(keep))
        open_count = sum(r.status == "open" for r in rows)
        overdue = sum(r.status == "open" and r.age_days >= RED_AGE for r in rows)
        self.query_one("#status", Static).update(
            f"{len(rows):,} request(s) shown, {open_count:,} open, {overdue:,} open for {RED_AGE}+ working days"
            if rows
            else "No service requests match. n records one."
        )
        self._show_detail()

    def _selected(self):
        key = self._current_key()
        return next((r for r in self._rows if str(r.id) == key), None) if key else None

    def _show_detail(self) -> None:
        r = self._selected()
        box = self.query_one("#detail", Static)
        if r is None:
            box.update("")
            return
        text = Text.assemble(
            (f"{r.reference} ", "bold"),
            (r.resident, "bold"),
            f" · {r.service_area} · received ",
            f"{r.received:%a %d %b %Y} · owner {r.owner or '–'}\n",
        )
        text.append(" ".join(r.description.split()))
        if r.outcome:
            text.append("\nClosed: ", style="bold")
            text.append(r.outcome)
        if r.complaints:
            text.append("\nComplaints raised from it: ", style="bold")
            text.append(", ".join(r.complaints))
        box.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_complaint()

    # -- actions -------------------------------------------------------------------------------

    def _after(self, outcome) -> None:
        if outcome is not None:
            self.load()

    def action_new_request(self) -> None:
        from caseworker.screens.dialogs.service_requests import NewServiceRequestDialog

        self.app.push_screen(NewServiceRequestDialog(), self._after)

    def action_close_request(self) -> None:
        r = self._selected()
        if r is None:
            self.notify("Choose a request first.", timeout=3)
            return
        if r.status != "open":
            self.notify(f"{r.reference} is already closed.", timeout=4)
            return
        from caseworker.screens.dialogs.service_requests import (
            CloseServiceRequestDialog,
        )

        self.app.push_screen(CloseServiceRequestDialog(r), self._after)

    def action_raise_complaint(self) -> None:
        r = self._selected()
        if r is None:
            self.notify("Choose a request first.", timeout=3)
            return
        from caseworker.screens.dialogs.service_requests import RaiseComplaintDialog

        def raised(ref) -> None:
            if ref is not None:
                self.load()
                self.post_message(OpenCase(ref.id))

        self.app.push_screen(RaiseComplaintDialog(r), raised)

    def action_open_complaint(self) -> None:
        r = self._selected()
        if r is None or not r.complaints:
            self.notify("No complaint has been raised from this request: r raises one.", timeout=4)
            return
        self.post_message(OpenCase(reference=r.complaints[-1]))

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.load()

    def action_search(self) -> None:
        search = self.query_one("#sr-search", Input)
        search.add_class("shown")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        if text != self.search_text:
            self.search_text = text
            self.set_timer(0.15, lambda: self.load() if self.search_text == text else None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def key_escape(self) -> None:
        search = self.query_one("#sr-search", Input)
        if search.has_focus:
            search.value = ""
            search.remove_class("shown")
            self.query_one(DataTable).focus()

    def action_refresh(self) -> None:
        self.load()

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

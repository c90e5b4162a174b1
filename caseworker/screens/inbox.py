"""Inbox: my open cases by next deadline (team and all for supervisors), with working days
left coloured red/amber/green, flags, filters and search. Pages in SQL (keyset), 200 rows at
a time, fetching the next page as the cursor nears the end, so 100,000 cases stay instant."""

from __future__ import annotations

from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input, Static

from caseworker import inert, keys, labels
from caseworker.messages import FirstPageShown, OpenCase, ShowError
from caseworker.screens.base import BaseScreen
from caseworker.widgets.case_list import CaseList, Column, ListRow, case_row
from caseworker.widgets.footer import Footer

PAGE = 200
#: Seconds of quiet typing before the search runs (one query per pause, not per keystroke).
SEARCH_DEBOUNCE = 0.15
#: Most important first, so an 80-column terminal still shows the deadline and the days left;
#: the resident, status, officer and type widen when the terminal has room.
COLUMNS = (
    Column("Reference", 12),
    Column("Left", 5),
    Column("Next deadline", 17),
    Column("Flags", 5),
    Column("Resident", 22, grow=True),
    Column("St", 3),
    Column("Status", 15, grow=True),
    Column("Officer", 11, grow=True),
    Column("Type", 9, grow=True),
)
STATUS_CYCLE = (None, "awaiting-acknowledgement", "open", "responded", "closed", "withdrawn", "not-accepted")
VIEWS = ("mine", "team", "all")


class InboxScreen(BaseScreen):
    """The first screen: the officer's open cases by next deadline."""

    TITLE = "Inbox"
    HELP_SCOPE = "inbox"
    HELP = (
        "Your open cases (supervisors: v shows the team's open cases, then all cases, closed ones too), "
        "soonest deadline first; the line above the list says which cases and filters are shown. "
        "'Left' is working days left: red means overdue or due "
        "today, amber within 2 working days. Flags: A adjustments agreed, R contact restriction, "
        "V vulnerable, ! overdue outstanding action. After the due date, 'ack' marks an acknowledgement "
        "and 'Omb' an Ombudsman order or recommendation to comply with."
    )
    BINDINGS = keys.bindings("inbox", "list")
    #: The list has the focus from the start, so the first frame's footer already shows the
    #: inbox's keys (Textual otherwise focuses nothing until mounted, and the footer's first
    #: keys were only Help, Quit and Search, the rest a frame or more later).
    AUTO_FOCUS = "#cases"
    #: #filter-text names its colour: since the inbox became the first screen (DEFAULT_MODE), the
    #: colour it inherited came out as its own $boost background (the line was invisible).
    DEFAULT_CSS = """
    InboxScreen #filter-text { height: 1; padding: 0 1; background: $boost; color: $foreground; }
    InboxScreen #search { display: none; }
    InboxScreen #search.shown { display: block; }
    InboxScreen DataTable { height: 1fr; }
    InboxScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.view = "mine"
        self.stage: int | None = None
        self.status: str | None = None
        self.overdue = False
        self.soon = False
        self.awaiting = False  # supervisors: only cases with an extension request awaiting approval
        self.search_text = ""
        self._rows: list = []
        self._next_after = None
        self._loading_more = False
        self._total: int | None = None
        self._today: date | None = None
        self._skipped_in_batch = False
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._filters_text(), id="filter-text")  # in the first frame, before the store opens
        # not selecting its text when it takes the focus: keys typed in one burst after '/' are
        # already in it then (see on_key), and the next key would replace them
        yield Input(
            placeholder="Search reference, resident or text… (Enter: to the list, Esc: clear)",
            id="search",
            select_on_focus=False,
        )
        table = CaseList(COLUMNS, id="cases")
        table.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield table
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_interval(60, self._tick)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown for the first time (start-up): Textual would style every widget of the screen
        again, just after styling each as it was mounted (about a tenth of the work before the
        first frame); the styles are already current, so that is skipped once. Every later
        return to the inbox (from a case, another screen) is styled again as Textual does.
        Runs before Textual's own handler (``Screen._on_screen_resume``) for the same event."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        """Draw the screen, but not while the App holds updates back (``App.batch_update``).

        The inbox is the first screen: Textual composes and lays it out inside the batch that
        starts the App, and a frame drawn then is thrown away (``App._display`` writes nothing
        during a batch) while the compositor counts it as shown. The frame the terminal got
        first was then only what changed since: the title, the status line and the footer,
        without the column headings. Skipped here, the first frame written is the whole screen,
        and it is drawn once, not twice. A repaint is asked for, so that whatever was skipped
        is drawn once the batch ends (cleared again if a frame is drawn before that).
        """
        if self.app._batch_count and self.app.screen is self:
            self._skipped_in_batch = True
            self._repaint_required = True
            return
        super()._compositor_refresh()
        if self._skipped_in_batch:
            self._skipped_in_batch = False
            self._repaint_required = False

    # -- loading -----------------------------------------------------------------------

    def _filter(self):
        from caseworker.store.queries.inbox import InboxFilter

        ws = self.workspace
        mine = self.view == "mine" and not self.awaiting  # supervisors see the team's requests awaiting approval
        officer = ws.login if (mine or not ws.officer.supervises) else None
        include_closed = self.view == "all" or self.status in ("closed", "withdrawn", "not-accepted", "responded")
        return InboxFilter(
            officer_login=officer,
            stage=self.stage,
            status=self.status,
            overdue=self.overdue,
            due_within=2 if self.soon else None,
            search=self.search_text,
            include_closed=include_closed,
            awaiting_approval=self.awaiting,
        )

    def load(self) -> None:
        """Fetch the first page (and the count) for the current filters."""
        if self.workspace is None:
            return
        from caseworker.store.queries.inbox import inbox_first_page

        flt, store = self._filter(), self.workspace.store
        self._show_filters()
        self.run_db(inbox_first_page, store, flt, PAGE, done=self._first_page, group="inbox")

    def show_first_page(self, result) -> None:
        """The officer's first page read before the store opened (``CaseworkerApp._painted``):
        shown at once if the list is still the default one, and read again by :meth:`load`
        once the store is open."""
        if self.view == "mine" and self._filter_is_default():
            self._show_filters()
            self._fill(result, self.app.clock.today())  # type: ignore[attr-defined]

    def _filter_is_default(self) -> bool:
        return not (self.stage or self.status or self.overdue or self.soon or self.awaiting or self.search_text)

    def _first_page(self, result) -> None:
        assert self.workspace is not None  # the first page is read from it
        self._fill(result, self.workspace.store.today())

    def _fill(self, result, today: date) -> None:
        page, total = result
        self._rows = list(page.rows)
        self._next_after = page.next_after
        self._total = total
        self._today = today
        self.query_one(CaseList).show(self._list_rows(self._rows))  # the cursor stays on its case
        self._show_status()
        self.post_message(FirstPageShown())

    @staticmethod
    def _list_rows(rows) -> list[ListRow]:
        # Imported here, not with the screen: the countdown loads the calendar rules, which the
        # first frame does not need (it is drawn before any case is read).
        from caseworker.widgets.countdown import due_text, flag_text, left_text

        return [
            case_row(
                r.case_id,
                r.reference,
                left_text(r.days_left, r.rag),
                due_text(r.next_due, r.due_kind),
                flag_text(r.flags),
                r.resident,
                str(r.stage),
                labels.listed_status(r.status, r.due_kind),
                r.officer_name or "–",
                labels.case_type(r.case_type),
            )
            for r in rows
        ]

    def _more(self) -> None:
        if self._loading_more or self._next_after is None or self.workspace is None:
            return
        from caseworker.store.queries.inbox import inbox_page

        self._loading_more = True
        flt, store, after = self._filter(), self.workspace.store, self._next_after
        self.run_db(
            _page_listed,
            inbox_page,
            store,
            flt,
            after,
            PAGE,
            done=self._more_page,
            group="inbox-more",
            failed=self._more_failed,
        )

    def _more_page(self, result) -> None:
        page, listed = result
        self._loading_more = False
        self._rows.extend(page.rows)
        self._next_after = page.next_after
        with self.app.batch_update():
            self.query_one(CaseList).extend(listed)
        self._show_status()

    def _more_failed(self, exc: Exception) -> None:
        self._loading_more = False
        self.post_message(ShowError(exc))

    def _tick(self) -> None:
        """Once a minute: if the date has changed, recount working days left from the stored due dates."""
        ws = self.workspace
        if ws is None or self._today is None or ws.store.today() == self._today:
            return
        self.load()

    # -- status lines ----------------------------------------------------------------------

    def _show_filters(self) -> None:
        self.query_one("#filter-text", Static).update(self._filters_text())

    def _filters_text(self):
        """The filters line: the view, the stage and every filter on, as literal text (the typed
        search among them). Before the store opens the view is the officer's own cases."""
        ws = self.workspace
        parts = [
            {"mine": "My cases", "team": "Team: all open cases", "all": "All cases"}[self.view]
            if ws and ws.officer.supervises
            else "My cases"
        ]
        parts.append(f"Stage {self.stage}" if self.stage else "Both stages")
        if self.status:
            parts.append(labels.status(self.status))
        if self.overdue:
            parts.append("overdue only")
        if self.soon:
            parts.append("due within 2 working days")
        if self.awaiting:
            parts.append("extension awaiting approval")
        if self.search_text:
            parts.append(f"search “{self.search_text}”")
        return inert.text(" · ".join(parts))  # the typed search, literally

    def _show_status(self) -> None:
        shown = len(self._rows)
        total = self._total if self._total is not None else shown
        # no SQLAlchemy: shown before the store opens
        from caseworker.store.queries.inbox_sql import COUNT_AT_MOST, MIN_INDEXED

        if total > COUNT_AT_MOST:  # counted no further (a count reads every case it counts)
            text = f"{shown:,} of more than {COUNT_AT_MOST:,} cases shown"
        else:
            text = f"{shown:,} of {total:,} case(s) shown" if total else "No cases match."
        short = 0 < len(self.search_text) < MIN_INDEXED  # finds the start of a reference only
        if short and not total:
            text = f"No reference starts with “{self.search_text}”."
        if total and shown < total:
            text += " · more load as you scroll"
        if short:
            text += f" · names and text need {MIN_INDEXED} or more letters"  # fits 80 columns
        if self._today:
            text += f" · today {self._today:%a %d %b %Y}"
        self.query_one("#status", Static).update(inert.text(text))

    # -- events and actions ------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._rows) - 40:
            self._more()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            event.stop()
            text = event.value.strip()
            if text != self.search_text:
                self.search_text = text
                self.set_timer(SEARCH_DEBOUNCE, partial_reload(self, text))

    def on_key(self, event: events.Key) -> None:
        """Keys typed in one burst (a paste, a slow remote session) reach the list together, before
        the app runs the search key's binding. So the search key is taken here, in the order the
        keys came, and a printable key that reaches the screen while the search has the focus
        (it was sent to the list before the focus moved) goes into the search, not to an inbox
        command ('v' would change the view, 'n' open a new case)."""
        if not event.is_printable or not event.character:
            return
        search = self.query_one("#search", Input)
        if self.focused is search:  # set at once; search.has_focus waits for the Focus event
            event.stop()
            event.prevent_default()
            search.insert_text_at_cursor(event.character)
            return
        active = self.active_bindings.get(event.key)
        if active is not None and active.node is self and active.binding.action == "search":
            event.stop()
            event.prevent_default()
            self.action_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def key_escape(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            search.value = ""
            search.remove_class("shown")
            self.query_one(DataTable).focus()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("shown")
        # At once, not by search.focus() (which waits its turn behind keys already queued): keys
        # typed in one burst after '/' (a paste, a slow remote session) are the search's.
        self.set_focus(search)

    def action_open_case(self) -> None:
        self.query_one(CaseList).open_highlighted()

    def action_new_case(self) -> None:
        try:
            from caseworker.screens.dialogs.log_case import LogCaseDialog
        except ImportError as exc:
            self.post_message(ShowError(exc, title="Logging a case is not available"))
            return

        def logged(ref) -> None:
            if ref is not None:
                self.load()
                self.post_message(OpenCase(ref.id))

        self.app.push_screen(LogCaseDialog(), logged)

    def action_cycle_view(self) -> None:
        ws = self.workspace
        if ws is None or not ws.officer.supervises:
            self.notify("Only supervisors see the team's cases; this is your own list.", timeout=4)
            return
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.load()

    def action_cycle_stage(self) -> None:
        self.stage = {None: 1, 1: 2, 2: None}[self.stage]
        self.load()

    def action_cycle_status(self) -> None:
        self.status = STATUS_CYCLE[(STATUS_CYCLE.index(self.status) + 1) % len(STATUS_CYCLE)]
        self.load()

    def action_toggle_overdue(self) -> None:
        self.overdue = not self.overdue
        self.load()

    def action_toggle_soon(self) -> None:
        self.soon = not self.soon
        self.load()

    def action_toggle_awaiting(self) -> None:
        """Only cases with an extension past the cap awaiting a supervisor's approval (the supervisors' queue)."""
        self.awaiting = not self.awaiting
        self.load()

    def action_clear_filters(self) -> None:
        self.stage, self.status, self.overdue, self.soon, self.awaiting = None, None, False, False, False
        search = self.query_one("#search", Input)
        search.value = ""
        search.remove_class("shown")
        self.search_text = ""
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()


def _page_listed(read, *args):
    """In the worker: the next page (``read(*args)``) with its rows already laid out as the list
    shows them, so that the UI thread only adds them (the officer may be holding an arrow key
    while the page arrives: every millisecond here was a key press waiting).

    Returns:
        (the page, its :class:`ListRow` rows).
    """
    page = read(*args)
    return page, InboxScreen._list_rows(page.rows)


def partial_reload(screen: InboxScreen, text: str):
    """A debounced reload: only if the search text is still ``text`` when the timer fires."""

    def fire() -> None:
        if screen.search_text == text:
            screen.load()

    return fire


__all__ = ["InboxScreen"]

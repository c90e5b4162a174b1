"""The supervisor's queue (F10): extension requests past the cap awaiting approval, Stage 2
cases awaiting an officer, and Ombudsman orders not yet complied with (rule 14, SPEC screen 10).

A supervisor who does not hold the case approves (a) or declines (d) the highlighted request,
saying why; the record keeps who, when and why. Enter opens the case of the highlighted row
(Tab moves between the lists). Officers see why the queue is not theirs.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.inert import cell
from caseworker.screens.base import BaseScreen
from caseworker.screens.dialogs.form import Field, FormDialog
from caseworker.widgets.case_list import CaseList, Column, ListRow, case_row
from caseworker.widgets.countdown import left_text
from caseworker.widgets.footer import Footer

WHY_NOT = "Only supervisors and administrators decide extension requests and allocate Stage 2 cases"
REQUEST_COLUMNS = (
    Column("Reference", 13),
    Column("Resident", 22, grow=True),
    Column("Stage", 5),
    Column("Asked by", 18, grow=True),
    Column("Past cap", 8),
    Column("Good reason", 40, grow=True),
    Column("Holder", 18, grow=True),
    Column("Due", 11),
    Column("Left", 9),
)
STAGE2_COLUMNS = (
    Column("Reference", 13),
    Column("Resident", 22, grow=True),
    Column("Requested", 11),
    Column("Stage 1 officer", 20, grow=True),
    Column("Due", 11),
    Column("Left", 9),
)
ORDER_COLUMNS = (
    Column("Reference", 13),
    Column("Kind", 14, grow=True),
    Column("What", 60, grow=True),
    Column("Due", 11),
    Column("Left", 9),
)


def _cell(value: object) -> Text:
    """Stored text shown literally in a table cell (never markup, controls as marks)."""
    return cell(value)


class DecisionDialog(FormDialog[str]):
    """Ask why a request is approved or declined (required: the record keeps it); dismissed with
    the reason, or None (Esc; asked first once something is typed)."""

    SAVES = False
    SAVE_LABEL = "Save"

    def __init__(self, title: str, summary: str) -> None:
        self.FORM_TITLE, self.INTRO = title, summary
        super().__init__()

    def fields(self):
        return (
            Field(
                "why",
                "Why",
                required=True,
                placeholder="e.g. survey date confirmed with the contractor",
                help="Required: the record keeps who decided, when and why.",
            ),
        )

    def result(self, outcome, values) -> str:
        return values["why"]


class QueueScreen(BaseScreen):
    """Extension requests awaiting approval and Stage 2 cases awaiting an officer (supervisors)."""

    TITLE = "Supervisor's queue"
    HELP_SCOPE = "queue"
    HELP = (
        "Extension requests past the cap, oldest first: a approves, d declines (you say why; nobody decides a "
        "request on a case they hold or asked for). The clock keeps running until you decide. Below: Stage 2 "
        "cases awaiting an officer (allocate them on the Stage 2 screen, F6). Enter opens the case."
    )
    BINDINGS = keys.bindings("queue", "list")
    DEFAULT_CSS = """
    QueueScreen .title { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    QueueScreen #requests { height: 2fr; }
    QueueScreen #stage2 { height: 1fr; }
    QueueScreen #orders { height: 1fr; }
    QueueScreen #why { display: none; height: auto; margin: 2 4; padding: 1 2; border: thick $warning; }
    QueueScreen.officer-only #why { display: block; }
    QueueScreen.officer-only .title, QueueScreen.officer-only DataTable { display: none; }
    QueueScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._requests: dict[str, object] = {}
        self._orders: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WHY_NOT + ".", id="why", markup=False)
        yield Static("Extension requests awaiting approval", id="requests-title", classes="title")
        requests = CaseList(REQUEST_COLUMNS, id="requests")
        requests.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield requests
        yield Static("Stage 2 cases awaiting an officer", id="stage2-title", classes="title")
        yield CaseList(STAGE2_COLUMNS, id="stage2")
        yield Static("Ombudsman orders not yet complied with", id="orders-title", classes="title")
        yield CaseList(ORDER_COLUMNS, id="orders")
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#requests", DataTable).focus()

    def load(self) -> None:
        """Fetch the waiting requests and the Stage 2 cases awaiting an officer."""
        ws = self.workspace
        if ws is None:
            return
        if not self.supervises:
            self.add_class("officer-only")
            self.query_one("#why", Static).update(
                inert.text(
                    f"{WHY_NOT}.\n\nYou are signed in as {ws.officer.display_name}, an {ws.officer.role.value}. To ask for "
                    "an extension past the cap, press x on the case: the request comes here for a supervisor."
                )
            )
            self.query_one("#status", Static).update(WHY_NOT)
            return
        self.remove_class("officer-only")
        self.run_db(_load, ws.store, done=self._show, group="queue")

    def _show(self, data) -> None:
        requests, stage2, orders = data
        self._requests = {str(r.request_id): r for r in requests}
        self._orders = {f"order:{o.order_id}": o.case_id for o in orders}
        with self.app.batch_update():
            self.query_one("#requests", CaseList).show(
                ListRow(
                    (
                        r.reference,
                        r.resident,
                        str(r.stage),
                        r.requested_by_name,
                        f"{r.working_days} WD",
                        r.good_reason,
                        r.holder_name or "–",
                        f"{r.next_due:%a %d %b}" if r.next_due else "–",
                        left_text(r.days_left, r.rag),
                    ),
                    str(r.request_id),
                    r.case_id,
                )
                for r in requests
            )
            self.query_one("#stage2", CaseList).show(
                case_row(
                    c.case_id,
                    c.reference,
                    c.resident,
                    f"{c.requested:%d %b %Y}" if c.requested else "–",
                    c.stage1_officer_name or "–",
                    f"{c.next_due:%a %d %b}" if c.next_due else "–",
                    left_text(c.days_left, c.rag),
                )
                for c in stage2
            )
            self.query_one("#orders", CaseList).show(
                ListRow(
                    (o.reference, o.kind, o.description, f"{o.due:%a %d %b}", left_text(o.days_left, o.rag)),
                    f"order:{o.order_id}",
                    o.case_id,
                )
                for o in orders
            )
        self.query_one("#orders-title", Static).update(
            inert.text(f"Ombudsman orders not yet complied with: {len(orders)}")
        )
        self.query_one("#requests-title", Static).update(
            inert.text(f"Extension requests awaiting approval: {len(requests)}")
        )
        self.query_one("#stage2-title", Static).update(inert.text(f"Stage 2 cases awaiting an officer: {len(stage2)}"))
        ws = self.workspace
        self.query_one("#status", Static).update(
            inert.text(
                "a approve · d decline · Enter open the case · F6 allocate Stage 2"
                + (f" · today {ws.store.today():%a %d %b %Y}" if ws else "")
            )
        )

    def _request(self):
        table = self.query_one("#requests", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._requests.get(key)

    def _decide(self, approve: bool) -> None:
        ws = self.workspace
        if ws is None or not self.supervises:
            self.notify(WHY_NOT + ".", severity="warning")
            return
        request = self._request()
        if request is None:
            self.notify("There is no extension request waiting.", timeout=4)
            return
        word = "Approve" if approve else "Decline"
        summary = (
            f"{request.reference}, Stage {request.stage}: {request.working_days} working days past the cap, "
            f"asked for by {request.requested_by_name}.\nGood reason: {request.good_reason}\n"
            + ("Approving moves the due date." if approve else "Declining leaves the due date as it is.")
        )

        def decided(why: str | None) -> None:
            if why is None:
                return
            from caseworker.store import services as sv

            self.run_db(
                sv.decide_extension,
                ws.store,
                ws.login,
                request.request_id,
                approve,
                why,
                version=request.version,
                done=lambda ref: self._decided(ref.reference, approve),
                group="decide",
            )

        self.app.push_screen(DecisionDialog(f"{word} the extension on {request.reference}", summary), decided)

    def _decided(self, reference: str, approved: bool) -> None:
        inert.notify(self, f"Extension on {reference} {'approved' if approved else 'declined'}.", timeout=6)
        self.load()

    def action_approve(self) -> None:
        self._decide(True)

    def action_decline(self) -> None:
        self._decide(False)

    def action_refresh(self) -> None:
        self.load()

    def action_open_case(self) -> None:
        focused = self.focused
        (focused if isinstance(focused, CaseList) else self.query_one("#requests", CaseList)).open_highlighted()

    def action_cursor_down(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else self.query_one("#requests", DataTable)
        table.action_cursor_down()

    def action_cursor_up(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else self.query_one("#requests", DataTable)
        table.action_cursor_up()


def _load(store) -> tuple[list, list, list]:
    """In a worker: waiting requests, Stage 2 cases with no officer yet, Ombudsman orders open."""
    from caseworker.store.queries.allocation import allocation
    from caseworker.store.queries.approvals import extension_requests, ombudsman_orders_open

    return (
        extension_requests(store, pending_only=True),
        [c for c in allocation(store).cases if not c.stage2_officer],
        ombudsman_orders_open(store),
    )

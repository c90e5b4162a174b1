"""Ombudsman and learning: cases taken to the Ombudsman (their findings, orders and
recommendations with compliance dates, complaint-handling failure orders), and the
service-improvement register with root causes and themes on complaints (Code section 9).

Every change is a small form (:class:`~caseworker.screens.dialogs.form.FormDialog`) saved by the services in a thread worker;
an order still to comply with is also a deadline in its case officer's inbox.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.rules import account as rules
from caseworker.rules.account import (
    FINDING_LABELS,
    FINDINGS,
    IMPROVEMENT_STATUS_LABELS,
    IMPROVEMENT_STATUSES,
    ORDER_KIND_LABELS,
    ORDER_KINDS,
)
from caseworker.screens.base import BaseScreen
from caseworker.widgets.case_list import CaseList, Column, ListRow
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

OMBUDSMAN_COLUMNS = (
    Column("Case", 11),
    Column("Ombudsman", 16, grow=True),
    Column("Dates / due", 20),
    Column("Finding, order or recommendation", 40, grow=True),
)

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.queries.account import DeterminationRow, ImprovementInfo


class AccountScreen(BaseScreen):
    """Cases taken to the Ombudsman, and the service-improvement register."""

    TITLE = "Ombudsman and learning"
    HELP = (
        "Cases taken to the Housing Ombudsman or the Local Government and Social Care Ombudsman (the case's "
        "service area decides which), with the finding on each element, orders and recommendations with their "
        "compliance dates, and complaint-handling failure orders. An order not yet complied with is a deadline in "
        "the case officer's inbox. Below: the service-improvement register (what changed, which complaints "
        "prompted it, owner, status). Tab moves between the two lists; enter opens the case."
    )
    HELP_SCOPE = "account"
    BINDINGS = keys.bindings("account", "list")
    DEFAULT_CSS = """
    AccountScreen .heading { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    AccountScreen #ombudsman { height: 2fr; }
    AccountScreen #improvements { height: 1fr; }
    AccountScreen #account-status { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, tuple] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Cases taken to the Ombudsman · o record · f finding · d order · c complied · m dates · h failure order",
            classes="heading",
            markup=False,
        )
        yield CaseList(OMBUDSMAN_COLUMNS, id="ombudsman", zebra_stripes=False)
        yield Static(
            "Service improvements · i add · u update · l root cause and themes on a complaint",
            classes="heading",
            markup=False,
        )
        yield Table(id="improvements", cursor_type="row", zebra_stripes=True)
        yield Static("", id="account-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        om = self.query_one("#ombudsman", CaseList)
        imp = self.query_one("#improvements", DataTable)
        imp.add_column("Status", width=18)
        imp.add_column("Owner", width=14)
        imp.add_column("What changed")
        imp.add_column("Complaints")
        om.focus()  # BaseScreen.on_mount (called by Textual too) loads when the workspace is open

    def load(self) -> None:
        """Read both lists in a thread."""
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.account import improvements, ombudsman_register

        def both(store):
            return ombudsman_register(store), improvements(store)

        self.run_db(both, ws.store, done=self._show, group="account")

    def _show(self, result: tuple[list[DeterminationRow], list[ImprovementInfo]]) -> None:
        cases, register = result
        today = self.workspace.store.today() if self.workspace else date.today()
        imp = self.query_one("#improvements", DataTable)
        self._rows.clear()
        rows: list[ListRow] = []
        for d in cases:
            i = d.info
            key = f"om:{i.id}"
            self._rows[key] = ("case", d)
            dates = (
                f"determined {i.determined_on:%d %b %y}" if i.determined_on else f"referred {i.referred_on:%d %b %y}"
            )
            rows.append(
                ListRow(
                    (
                        Text(d.reference, style="bold"),
                        Text(f"{i.ombudsman.upper()} {i.reference}"),
                        Text(dates),
                        Text(f"{len(i.findings)} findings, {len(i.orders)} orders/recommendations"),
                    ),
                    key,
                    i.case_id,
                )
            )
            for f in i.findings:
                self._rows[f"f:{f.id}"] = ("case", d)
                finding = Text(f"  {FINDING_LABELS.get(f.finding, f.finding)}: {f.element}")
                rows.append(ListRow(("", "", "", finding), f"f:{f.id}", i.case_id))
            for o in i.orders:
                self._rows[f"o:{o.id}"] = ("order", d, o)
                if o.completed_on:
                    state, style = f"complied {o.completed_on:%d %b %y}", "green"
                else:
                    state, style = f"due {o.due:%a %d %b %y}", "bold red" if o.due < today else ""
                order = Text(f"  {ORDER_KIND_LABELS.get(o.kind, o.kind)}: {o.description}")
                rows.append(ListRow(("", "", Text(state, style=style), order), f"o:{o.id}", i.case_id))
            if i.chfo_on:
                self._rows[f"h:{i.id}"] = ("case", d)
                failure = Text(f"  Complaint-handling failure order: {i.chfo_details}")
                rows.append(ListRow(("", "", Text(f"{i.chfo_on:%d %b %Y}"), failure), f"h:{i.id}", i.case_id))
        if not cases:
            none = Text("No case has been taken to the Ombudsman yet: o records one.", style="dim")
            rows.append(ListRow(("", "", "", none), "none"))
        with self.app.batch_update():
            self.query_one("#ombudsman", CaseList).show(rows)  # the cursor stays on its row
            imp.clear()
            for r in register:
                self._rows[f"i:{r.id}"] = ("improvement", r)
                imp.add_row(
                    Text(f"{IMPROVEMENT_STATUS_LABELS.get(r.status, r.status)} {r.status_on:%d %b %Y}"),
                    Text(r.owner),
                    Text(r.what_changed),
                    Text(", ".join(r.case_references)),
                    key=f"i:{r.id}",
                )
            if not register:
                imp.add_row("", "", Text("No service improvements recorded yet: i adds one.", style="dim"), "")
        open_orders = sum(1 for d in cases for o in d.info.orders if o.completed_on is None)
        self.query_one("#account-status", Static).update(
            inert.text(
                f"{len(cases)} cases taken to the Ombudsman · {open_orders} orders or recommendations to comply with · "
                f"{len(register)} service improvements"
            )
        )

    # -- what is highlighted -----------------------------------------------------------------

    def _highlighted(self, table_id: str):
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return self._rows.get(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _need(self, table_id: str, kind: str, what: str):
        row = self._highlighted(table_id)
        if row is None or (kind == "case" and row[0] not in ("case", "order")) or (kind != "case" and row[0] != kind):
            self.notify(f"Highlight {what} first.", severity="warning", timeout=4)
            return None
        return row

    def _form(self, title: str, fields, save, intro: str = "", check=None) -> None:
        from caseworker.screens.dialogs.form import FormDialog

        def done(result) -> None:
            self.load()

        self.app.push_screen(FormDialog(title, fields, intro=intro, save=save, check=check), done)

    # -- the Ombudsman ---------------------------------------------------------------------

    def action_record(self) -> None:
        """Record that a case went to the Ombudsman."""
        from caseworker.screens.dialogs.account_forms import ombudsman_form

        ws = self.workspace
        if ws is None:
            return
        self.app.push_screen(ombudsman_form(ws.store, ws.login), lambda _: self.load())

    def action_finding(self) -> None:
        """The Ombudsman's finding on one element of the highlighted case."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        row, ws = self._need("ombudsman", "case", "a case taken to the Ombudsman"), self.workspace
        if row is None or ws is None:
            return
        d = row[1]
        store, login = ws.store, ws.login
        fields = [
            Field("element", "Element", required=True, placeholder="what part of the complaint, e.g. the damp repairs"),
            Field(
                "finding",
                "Finding",
                "select",
                required=True,
                default=FINDINGS[0][0],
                options=tuple((label, key) for key, label in FINDINGS),
            ),
        ]

        def save(v):
            return sv.record_finding(store, login, d.info.id, v["element"], v["finding"])

        self._form(
            f"{d.reference}: the Ombudsman's finding",
            fields,
            save,
            check=lambda v: rules.check_finding(v["element"], v["finding"]),
        )

    def action_order(self) -> None:
        """An order or recommendation on the highlighted case, with its compliance date."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        row, ws = self._need("ombudsman", "case", "a case taken to the Ombudsman"), self.workspace
        if row is None or ws is None:
            return
        d = row[1]
        store, login = ws.store, ws.login
        fields = [
            Field(
                "kind",
                "Kind",
                "select",
                required=True,
                default=ORDER_KINDS[0][0],
                options=tuple((label, key) for key, label in ORDER_KINDS),
            ),
            Field("description", "What", required=True, placeholder="what the Ombudsman ordered or recommended"),
            Field("due", "Comply by", "date", required=True),
        ]

        def save(v):
            return sv.add_order(store, login, d.info.id, v["kind"], v["description"], v["due"])

        self._form(
            f"{d.reference}: an order or recommendation",
            fields,
            save,
            "Until it is complied with, it is a deadline in the case officer's inbox and on the board.",
            lambda v: rules.check_order(v["kind"], v["description"], v["due"]),
        )

    def action_complied(self) -> None:
        """Record that the highlighted order was complied with, and the evidence."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        row, ws = self._need("ombudsman", "order", "an order or recommendation"), self.workspace
        if row is None or ws is None:
            return
        _, d, o = row
        store, login = ws.store, ws.login
        fields = [
            Field("completed_on", "Complied on", "date", required=True),
            Field("evidence", "Evidence", required=True, placeholder="what was sent to the Ombudsman to show it"),
        ]

        def save(v):
            return sv.complete_order(store, login, o.id, v["completed_on"], v["evidence"], version=o.version)

        self._form(
            f"{d.reference}: complied with",
            fields,
            save,
            o.description,
            lambda v: rules.check_order_completion(v["completed_on"], v["evidence"], store.today()),
        )

    def action_dates(self) -> None:
        """Record or correct the highlighted case's information and determination dates."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        row, ws = self._need("ombudsman", "case", "a case taken to the Ombudsman"), self.workspace
        if row is None or ws is None:
            return
        i = row[1].info
        store, login = ws.store, ws.login
        fields = [
            Field(k, label, "date", default=getattr(i, k).isoformat() if getattr(i, k) else "")
            for k, label in (
                ("info_requested_on", "Info requested"),
                ("info_sent_on", "Info sent"),
                ("determined_on", "Determination"),
            )
        ]

        def save(v):
            return sv.record_ombudsman_dates(store, login, i.id, **v)

        self._form(
            f"{row[1].reference}: the Ombudsman's dates", fields, save, "Earlier dates stay in the case history."
        )

    def action_failure_order(self) -> None:
        """A complaint-handling failure order made on the highlighted case."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        row, ws = self._need("ombudsman", "case", "a case taken to the Ombudsman"), self.workspace
        if row is None or ws is None:
            return
        i = row[1].info
        store, login = ws.store, ws.login
        fields = [
            Field("on", "Made on", "date", required=True),
            Field(
                "details", "What it found", required=True, placeholder="e.g. delay in giving the Ombudsman information"
            ),
        ]

        def save(v):
            return sv.record_failure_order(store, login, i.id, v["on"], v["details"])

        self._form(f"{row[1].reference}: complaint-handling failure order", fields, save)

    # -- learning --------------------------------------------------------------------------

    def action_learning(self) -> None:
        """Root cause and themes on a complaint (Code 9.1, 9.2); the highlighted case's reference to start with."""
        from caseworker.screens.dialogs.account_forms import learning_form

        ws = self.workspace
        if ws is None:
            return
        row = self._highlighted("ombudsman")
        reference = row[1].reference if row and row[0] in ("case", "order") else ""
        self.app.push_screen(learning_form(ws.store, ws.login, reference), lambda _: self.load())

    def action_improvement(self) -> None:
        """Add a service improvement to the register."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        ws = self.workspace
        if ws is None:
            return
        store, login = ws.store, ws.login
        fields = [
            Field("what", "What changed", required=True, placeholder="the change to the service"),
            Field("area", "Service area", placeholder="e.g. Repairs (optional)"),
            Field("owner", "Owner", required=True, placeholder="who owns it"),
            Field(
                "status",
                "Status",
                "select",
                required=True,
                default=IMPROVEMENT_STATUSES[0][0],
                options=tuple((label, key) for key, label in IMPROVEMENT_STATUSES),
            ),
            Field("on", "Status date", "date", required=True),
            Field("cases", "Complaints", placeholder="references of the complaints that prompted it, comma-separated"),
        ]

        def save(v):
            return sv.add_improvement(
                store,
                login,
                v["what"],
                v["owner"],
                v["status"],
                v["on"],
                service_area=v["area"],
                case_references=v["cases"].split(","),
            )

        def check(v):
            return rules.check_improvement(v["what"], v["owner"], v["status"], v["on"], store.today())

        self._form("Add a service improvement (Code 9.1)", fields, save, check=check)

    def action_update_improvement(self) -> None:
        """Move the highlighted improvement on: planned, in progress, done."""
        from caseworker.screens.dialogs.form import Field
        from caseworker.store import services as sv

        row, ws = self._need("improvements", "improvement", "a service improvement"), self.workspace
        if row is None or ws is None:
            return
        r = row[1]
        store, login = ws.store, ws.login
        fields = [
            Field(
                "status",
                "Status",
                "select",
                required=True,
                default=r.status,
                options=tuple((label, key) for key, label in IMPROVEMENT_STATUSES),
            ),
            Field("on", "Status date", "date", required=True),
            Field("cases", "Complaints", default=", ".join(r.case_references), placeholder="comma-separated"),
        ]

        def save(v):
            return sv.update_improvement(
                store, login, r.id, v["status"], v["on"], case_references=v["cases"].split(","), version=r.version
            )

        self._form(f"Update: {r.what_changed}", fields, save)

    # -- moving about ---------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on an improvement does nothing (u updates it); the Ombudsman list opens cases itself

    def action_open_case(self) -> None:
        """Open the case of the highlighted Ombudsman row."""
        om = self.query_one("#ombudsman", CaseList)
        if om.has_focus:
            om.open_highlighted()

    def action_cursor_down(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else self.query_one("#ombudsman", DataTable)
        table.action_cursor_down()

    def action_cursor_up(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else self.query_one("#ombudsman", DataTable)
        table.action_cursor_up()

"""Stage 2 allocation (supervisors and administrators): escalated cases awaiting an officer
and those assigned, each officer's open workload; assign or reassign one or several cases.

The officer picker lists every active officer with their workload; an officer who may not
take a chosen case (the Stage 1 officer, 6.13) is greyed out with the reason and cannot be
chosen. The service checks again, so no path gives a Stage 2 case to its Stage 1 officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from caseworker import inert, keys, labels
from caseworker.screens.base import BaseScreen
from caseworker.widgets.case_list import CaseList, Column, case_row
from caseworker.widgets.countdown import due_text, left_text
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

WHY_NOT = "Only supervisors and administrators allocate Stage 2 cases (Code 6.13)"
COLUMNS = (
    Column("✓", 2),
    Column("Reference", 14),
    Column("Resident", 20, grow=True),
    Column("Status", 14, grow=True),
    Column("Requested", 11),
    Column("Stage 1", 10, grow=True),
    Column("Stage 2", 12, grow=True),
    Column("Due", 15),
    Column("Left", 5),
)
MAX_ROWS = 1000  # cases shown (those awaiting an officer come first)
OFFICER_COLUMNS = (("Officer", 26), ("Role", 13), ("Open cases", 10), ("At Stage 2", 10))


@dataclass(frozen=True)
class Choice:
    """An officer in the picker: eligible for every chosen case, or why not."""

    login: str
    name: str
    role: str
    open_cases: int
    stage2_open: int
    eligible: bool
    reason: str  # why not, naming the case(s); "" when eligible


def choices_for(
    store, case_ids: list[int], loads, refs: dict[int, str] | None = None
) -> tuple[list[Choice], dict[int, int]]:
    """In a worker: every active officer's eligibility for all of ``case_ids``, and the cases' versions.

    The versions are read here, when the supervisor decides, so that a case changed while the
    picker is open is refused on saving (optimistic concurrency) rather than silently overwritten.
    """
    from caseworker.store import services as sv
    from caseworker.store.queries.allocation import eligibility

    by_login = {o.login: o for o in loads}
    versions = {cid: sv.current_version(store, cid) for cid in case_ids}
    verdicts: dict[str, list] = {}
    order: list[tuple[str, str, str]] = []
    for cid in case_ids:
        for e in eligibility(store, cid):
            if e.login not in verdicts:
                verdicts[e.login] = []
                order.append((e.login, e.name, e.role))
            verdicts[e.login].append((cid, e))
    out = []
    for login, name, role in order:
        load = by_login.get(login)
        several = len(case_ids) > 1 and refs
        reasons = [
            (f"{refs.get(cid, cid)}: " if several and refs else "") + e.reason
            for cid, e in verdicts[login]
            if not e.eligible
        ]
        out.append(
            Choice(
                login=login,
                name=name,
                role=role,
                open_cases=load.open_cases if load else 0,
                stage2_open=load.stage2_open if load else 0,
                eligible=not reasons,
                reason="; ".join(dict.fromkeys(reasons)),
            )
        )
    return out, versions


class OfficerPicker(ModalScreen[tuple[str, str] | None]):
    """Choose the Stage 2 officer; ineligible officers are shown greyed out with the reason.

    When any of the cases already has an officer (a reassignment) the picker asks why first:
    the record keeps the reason and shows from whom to whom. Dismissed with (login, reason).
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("picker")
    DEFAULT_CSS = """
    OfficerPicker { align: center middle; }
    OfficerPicker > Vertical { width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    OfficerPicker .title { text-style: bold; }
    OfficerPicker .intro { color: $text-muted; padding-bottom: 1; }
    OfficerPicker OptionList { height: auto; max-height: 1fr; }
    OfficerPicker .keys { color: $text-muted; }
    """

    def __init__(self, references: list[str], choices: list[Choice], holders: dict[str, int]) -> None:
        super().__init__()
        self._refs, self._choices, self._holders = references, choices, holders

    def compose(self) -> ComposeResult:
        refs = ", ".join(self._refs[:6]) + (f" and {len(self._refs) - 6} more" if len(self._refs) > 6 else "")
        with Vertical():
            yield Static(inert.text(f"Assign Stage 2 of {refs}"), classes="title")
            yield Static(
                "The Stage 2 officer can never be the officer who handled Stage 1 (Code 6.13); "
                "greyed-out officers cannot be chosen.",
                classes="intro",
            )
            options = []
            for c in self._choices:
                line = Text()
                line.append(c.name or c.login, style="bold" if c.eligible else "")
                line.append(f"  {c.role} · {c.open_cases} open, {c.stage2_open} at Stage 2")
                held = self._holders.get(c.login, 0)
                if held:
                    line.append(f" · already holds {held} of these", style="italic")
                if not c.eligible:
                    line.append(f"\n    not eligible: {c.reason}", style="italic")
                options.append(Option(inert.sanitise(line), id=c.login, disabled=not c.eligible))
            if self._holders:
                yield Static("Reason for reassigning (required: the record keeps it)", classes="intro")
                yield Input(placeholder="e.g. officer on long-term leave", id="reason")
            yield OptionList(*options, id="officers")
            yield Static(
                ("Type the reason · Tab to the list · " if self._holders else "")
                + "↑↓ choose · Enter assign · Esc cancel",
                classes="keys",
            )

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        first = next((i for i, c in enumerate(self._choices) if c.eligible), None)
        if first is not None:
            ol.highlighted = first
        (self.query_one("#reason", Input) if self._holders else ol).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = next((c for c in self._choices if c.login == event.option_id), None)
        if choice is None or not choice.eligible:
            return
        reason = self.query_one("#reason", Input).value.strip() if self._holders else ""
        if self._holders and not reason:
            self.notify(
                "Say why the case is being reassigned first (the record keeps the reason).",
                severity="warning",
                timeout=5,
            )
            self.query_one("#reason", Input).focus()
            return
        self.dismiss((choice.login, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AllocationScreen(BaseScreen):
    """Stage 2 cases and officers' workloads; assign or reassign (supervisors)."""

    TITLE = "Stage 2 allocation"
    HELP_SCOPE = "allocation"
    HELP = (
        "Stage 2 cases, those awaiting an officer first, and every active officer's open workload. "
        "space marks cases; g assigns the marked cases (or the highlighted one) to an officer. The Stage 1 "
        "officer of a case is shown greyed out with the reason and cannot be chosen (Code 6.13). " + WHY_NOT + "."
    )
    BINDINGS = keys.bindings("allocation", "list")
    DEFAULT_CSS = """
    AllocationScreen #summary { height: 1; padding: 0 1; background: $boost; }
    AllocationScreen #cases { height: 2fr; }
    AllocationScreen #officers-title { height: 1; padding: 0 1; text-style: bold; }
    AllocationScreen #officers { height: 1fr; }
    AllocationScreen #why { display: none; height: auto; margin: 2 4; padding: 1 2; border: thick $warning; }
    AllocationScreen.officer-only #why { display: block; }
    AllocationScreen.officer-only #summary, AllocationScreen.officer-only #cases,
    AllocationScreen.officer-only #officers-title, AllocationScreen.officer-only #officers { display: none; }
    AllocationScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._data = None
        self._cases: dict[str, object] = {}
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield Static(WHY_NOT + ".", id="why", markup=False)
        cases = CaseList(COLUMNS, id="cases")
        cases.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield cases
        yield Static("Officers' open workload", id="officers-title")
        yield Table(id="officers", cursor_type="row", zebra_stripes=True)
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        cases = self.query_one("#cases", CaseList)
        officers = self.query_one("#officers", DataTable)
        for label, width in OFFICER_COLUMNS:
            officers.add_column(label, width=width, key=label)
        cases.focus()

    # -- loading -----------------------------------------------------------------------

    def load(self) -> None:
        """Fetch Stage 2 cases and workloads (or explain why this screen is not the officer's)."""
        ws = self.workspace
        if ws is None:
            return
        if not self.supervises:
            self.add_class("officer-only")
            self.query_one("#why", Static).update(
                inert.text(
                    f"{WHY_NOT}.\n\nYou are signed in as {ws.officer.display_name}, an {ws.officer.role.value}. "
                    "Ask a supervisor to allocate or reassign a Stage 2 case."
                )
            )
            self.query_one("#status", Static).update(WHY_NOT)
            self.refresh_bindings()
            return
        self.remove_class("officer-only")
        from caseworker.store.queries.allocation import allocation

        self.run_db(allocation, ws.store, done=self._show, group="allocation")

    def _show(self, data) -> None:
        self._data = data
        live = {c.case_id for c in data.cases[:MAX_ROWS]}
        self.marked &= live
        self._cases = {str(c.case_id): c for c in data.cases[:MAX_ROWS]}
        rows = [
            case_row(
                c.case_id,
                self._mark_cell(c.case_id),
                c.reference,
                c.resident,
                labels.status(c.status),
                f"{c.requested:%d %b %Y}",
                c.stage1_officer_name or "–",
                c.stage2_officer_name if c.stage2_officer_name else Text("awaiting", style="bold dark_orange"),
                due_text(c.next_due, c.due_kind),
                left_text(c.days_left, c.rag),
            )
            for c in data.cases[:MAX_ROWS]
        ]
        with self.app.batch_update():
            self.query_one("#cases", CaseList).show(rows)  # the cursor stays on its case
            officers = self.query_one("#officers", DataTable)
            officers.clear()
            for o in data.officers:
                officers.add_row(
                    Text(o.name or o.login),
                    o.role,
                    Text(str(o.open_cases), justify="right"),
                    Text(str(o.stage2_open), justify="right"),
                    key=o.login,
                )
        self._summarise()

    def _mark_cell(self, case_id: int) -> Text:
        return Text("✓", style="bold green") if case_id in self.marked else Text("")

    def _summarise(self) -> None:
        data = self._data
        if data is None:
            return
        awaiting = sum(1 for c in data.cases if not c.stage2_officer)
        shown = f" · first {MAX_ROWS:,} shown" if len(data.cases) > MAX_ROWS else ""
        self.query_one("#summary", Static).update(
            inert.text(
                f"Stage 2 cases: {awaiting:,} awaiting an officer, {len(data.cases) - awaiting:,} assigned{shown}"
                + (f" · {len(self.marked)} marked" if self.marked else "")
            )
        )
        ws = self.workspace
        self.query_one("#status", Static).update(
            inert.text(
                "space mark · g assign the marked or highlighted case(s)"
                + (f" · today {ws.store.today():%a %d %b %Y}" if ws else "")
            )
        )

    def _current_key(self) -> str | None:
        return self.query_one("#cases", CaseList).highlighted_key

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Officers see none of the allocation keys."""
        if action in ("toggle_mark", "assign", "clear_marks", "open_case", "refresh") and self.workspace is not None:
            return self.supervises
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on an officer's workload row does nothing (cases open from their list)

    def action_open_case(self) -> None:
        self.query_one("#cases", CaseList).open_highlighted()

    def action_toggle_mark(self) -> None:
        key = self._current_key()
        if key is None:
            return
        cid = int(key)
        self.marked ^= {cid}
        table = self.query_one("#cases", DataTable)
        table.update_cell(key, "✓", self._mark_cell(cid))
        table.action_cursor_down()
        self._summarise()

    def action_clear_marks(self) -> None:
        table = self.query_one("#cases", DataTable)
        for cid in self.marked:
            if str(cid) in self._cases:
                table.update_cell(str(cid), "✓", Text(""))
        self.marked.clear()
        self._summarise()

    def action_refresh(self) -> None:
        self.load()

    def action_assign(self) -> None:
        ws = self.workspace
        if ws is None or self._data is None:
            return
        if not self.supervises:
            self.notify(WHY_NOT, severity="warning")
            return
        ids = sorted(self.marked) if self.marked else ([int(self._current_key())] if self._current_key() else [])
        if not ids:
            self.notify("There is no Stage 2 case to assign.", timeout=4)
            return
        cases = [self._cases[str(i)] for i in ids]
        refs = [c.reference for c in cases]
        holders: dict[str, int] = {}
        for c in cases:
            if c.stage2_officer:
                holders[c.stage2_officer] = holders.get(c.stage2_officer, 0) + 1
        store, login, loads = ws.store, ws.login, self._data.officers

        def picked(chosen: tuple[str, str] | None, versions: dict[int, int]) -> None:
            if chosen is None:
                return
            officer, reason = chosen
            from caseworker.store import services as sv

            name = next((o.name for o in loads if o.login == officer), officer)
            if len(ids) == 1:
                self.run_db(
                    sv.assign,
                    store,
                    login,
                    ids[0],
                    versions[ids[0]],
                    officer,
                    reason,
                    done=lambda ref: self._assigned([ref.reference], name),
                    group="assign",
                )
            else:
                self.run_db(
                    sv.bulk_assign,
                    store,
                    login,
                    [(i, versions[i]) for i in ids],
                    officer,
                    reason,
                    done=lambda done: self._assigned([r.reference for r in done], name),
                    group="assign",
                )

        def chosen(result) -> None:
            choices, versions = result
            self.app.push_screen(OfficerPicker(refs, choices, holders), lambda officer: picked(officer, versions))

        self.run_db(
            choices_for, store, ids, loads, {c.case_id: c.reference for c in cases}, done=chosen, group="eligibility"
        )

    def _assigned(self, refs: list[str], officer: str) -> None:
        inert.notify(self, f"Stage 2 of {', '.join(refs)} assigned to {officer}.", title="Assigned", timeout=6)
        self.marked.clear()
        self.load()

    def _table(self) -> DataTable:
        focused = self.focused
        return focused if isinstance(focused, DataTable) else self.query_one("#cases", DataTable)

    def action_cursor_down(self) -> None:
        self._table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._table().action_cursor_up()


__all__ = ["WHY_NOT", "AllocationScreen", "OfficerPicker", "choices_for"]

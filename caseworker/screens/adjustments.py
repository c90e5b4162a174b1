"""Adjustments register: disclosed disabilities, agreed reasonable adjustments and contact
restrictions across residents, reviews overdue first then due (5.10, 5.14, 5.15).

Each change is a small form that checks as you type with the registers' own guards and
shows the rule's message and Code paragraph; the service checks again when saving.
:class:`QuickForm` is that small form (in ``screens/dialogs/quick_form.py``); the remedy screen
uses it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.rules import registers
from caseworker.screens.base import BaseScreen
from caseworker.screens.dialogs.quick_form import (  # re-exported: the old home of the form
    FormField,
    Problem,
    QuickForm,
    parse_day,
)
from caseworker.screens.dialogs.register_forms import ReviewForm
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

# -- the register ------------------------------------------------------------------------

ADJUSTMENT_KINDS = (
    "Large print",
    "Easy read",
    "Interpreter",
    "British Sign Language (BSL) interpreter",
    "Braille",
    "Audio",
    "Preferred channel: phone",
    "Preferred channel: email",
    "Preferred channel: letter",
    "Advocate present",
    "Extra time to respond",
    "Home visit",
    "Named contact",
    "Text relay",
)
COLUMNS = (
    ("Review", 8),
    ("Review date", 11),
    ("Resident", 18),
    ("Type", 11),
    ("What", 18),
    ("Detail", 14),
    ("Since", 11),
    ("Open cases", 11),
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
        "disability or a restriction for the highlighted row's resident."
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
        table = Table(id="register", cursor_type="row", zebra_stripes=True)
        table.HELP = self.HELP  # type: ignore[attr-defined]
        yield table
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        table.focus()

    # -- loading -----------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the register."""
        if self.workspace is None:
            return
        from caseworker.store.queries.register import register

        self.run_db(register, self.workspace.store, done=self._show, group="register")

    def _show(self, reg) -> None:
        self._register = reg
        table = self.query_one(DataTable)
        current = self._current_key()
        wanted = [r for r in reg.rows if self._wanted(r)]
        rows = wanted[:MAX_ROWS]
        self._rows = {}
        with self.app.batch_update():
            table.clear()
            for r in rows:
                key = f"{r.kind}:{r.item_id}"
                self._rows[key] = r
                dim = "" if r.active else "dim"
                table.add_row(
                    review_text(r.review, r.active),
                    Text(f"{r.review_date:%d %b %Y}" if r.review_date else "–", style=dim),
                    Text(r.resident, style=dim),
                    Text(KIND_LABEL.get(r.kind, r.kind), style=dim),
                    Text(r.what, style=dim),
                    Text(r.detail, style=dim),
                    Text(f"{r.since:%d %b %Y}", style=dim),
                    Text(_cases_text(r.open_cases), style=dim),
                    key=key,
                )
            if current in self._rows:
                table.move_cursor(row=table.get_row_index(current))
        self.query_one("#summary", Static).update(
            inert.text(
                f"Reviews: {reg.overdue} overdue · {reg.due} due within 14 days · showing {FILTER_LABEL[self.filter]}"
            )
        )
        if not reg.rows:
            status = "Nothing recorded yet: press a, d or x to add (you will be asked for a case reference)"
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
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

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
        from caseworker.store.queries.case import case_id_for_reference

        def opened(case_id) -> None:
            if case_id is not None:
                self.app.open_case(case_id)  # type: ignore[attr-defined]

        self.run_db(case_id_for_reference, self.workspace.store, row.open_cases[0], done=opened, group="open")

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        if self._register is not None:
            self._show(self._register)

    def action_refresh(self) -> None:
        self.load()

    def _resident(self) -> tuple[int | None, str]:
        row = self.current()
        return (row.resident_id, row.resident) if row else (None, "")

    def _changed(self, what: str) -> Callable[[Any], None]:
        def done(result) -> None:
            if result is not None:
                self.notify(what, timeout=4)
                self.load()

        return done

    def _resident_fields(self, resident_id: int | None) -> list[FormField]:
        """Without a highlighted resident, the form asks for a case of theirs."""
        if resident_id is not None:
            return []
        return [FormField("case", "Case reference", placeholder="a case of the resident, e.g. MKCC-2025-0001")]

    @staticmethod
    def _resident_id(store, resident_id: int | None, values: dict) -> int:
        """In the worker: the resident id, from the highlighted row or the case reference typed."""
        if resident_id is not None:
            return resident_id
        from caseworker.store import services as sv
        from caseworker.store.queries.case import case_detail

        ref = values.get("case", "")
        if not ref:
            raise sv.DomainError("give a case reference of the resident", "", "case")
        detail = case_detail(store, reference=ref)
        if detail is None:
            raise sv.DomainError(f"there is no case {ref!r}", "", "case")
        return detail.resident.id

    def _needs_case(self, resident_id: int | None, values: dict):
        if resident_id is None and not values.get("case"):
            return Problem("give a case reference of the resident", "", "case")
        return None

    def action_add_adjustment(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store import services as sv

        rid, name = self._resident()
        store, login = ws.store, ws.login

        def check(v):
            return self._needs_case(rid, v) or registers.check_adjustment(v["kind"], v["review_date"], store.today())

        def save(v):
            return sv.add_adjustment(
                store, login, self._resident_id(store, rid, v), v["kind"], v["review_date"], details=v["details"]
            )

        fields = self._resident_fields(rid) + [
            FormField("kind", "Adjustment", placeholder="e.g. Large print (→ completes)", suggestions=ADJUSTMENT_KINDS),
            FormField("details", "Details", placeholder="what exactly was agreed (optional)"),
            FormField("review_date", "Review date", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        intro = (
            f"For {name}. " if name else ""
        ) + "Adjustments are agreed with the resident and kept under active review (5.10)."
        self.app.push_screen(
            QuickForm("Record a reasonable adjustment", fields, intro=intro, check=check, save=save),
            self._changed("Adjustment recorded."),
        )

    def action_add_disability(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store import services as sv

        rid, name = self._resident()
        store, login = ws.store, ws.login

        def check(v):
            return self._needs_case(rid, v) or registers.check_disability(
                v["description"], v["disclosed_on"], store.today()
            )

        def save(v):
            return sv.record_disability(
                store, login, self._resident_id(store, rid, v), v["description"], v["disclosed_on"]
            )

        fields = self._resident_fields(rid) + [
            FormField("description", "Disability", placeholder="as the resident described it"),
            FormField("disclosed_on", "Disclosed on", "date", value=store.today().isoformat()),
        ]
        intro = (
            f"For {name}. " if name else ""
        ) + "Record what the resident disclosed; agree adjustments with them (5.10)."
        self.app.push_screen(
            QuickForm("Record a disclosed disability", fields, intro=intro, check=check, save=save),
            self._changed("Disability recorded."),
        )

    def action_add_restriction(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store import services as sv

        rid, name = self._resident()
        store, login = ws.store, ws.login

        def check(v):
            return self._needs_case(rid, v) or registers.check_restriction(
                v["restriction"], v["evidence"], v["authorised_by"], v["review_date"], store.today()
            )

        def save(v):
            return sv.add_restriction(
                store,
                login,
                self._resident_id(store, rid, v),
                v["restriction"],
                v["evidence"],
                v["authorised_by"],
                v["review_date"],
            )

        fields = self._resident_fields(rid) + [
            FormField(
                "restriction", "Restriction", placeholder="e.g. contact by email only, to a single named officer"
            ),
            FormField("evidence", "Evidence", placeholder="the behaviour and where it is recorded"),
            FormField("authorised_by", "Authorised by", placeholder="name and role of who authorised it"),
            FormField("review_date", "Review date", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        intro = (
            (f"For {name}. " if name else "") + "Restrictions must be proportionate, evidenced, authorised and "
            "reviewed; the resident can still complain (5.14, 5.15)."
        )
        self.app.push_screen(
            QuickForm("Record a contact restriction", fields, intro=intro, check=check, save=save),
            self._changed("Restriction recorded."),
        )

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
        from caseworker.store import services as sv

        store, login = ws.store, ws.login

        def check(v):
            return registers.check_review(
                row.kind, v["outcome"], v["next_review"], v["decision"] == "end", store.today()
            )

        def save(v):
            end = v["decision"] == "end"
            return sv.record_review(
                store,
                login,
                row.kind,
                row.item_id,
                v["outcome"],
                None if end else v["next_review"],
                end=end,
                version=row.version,
            )

        fields = [
            FormField("outcome", "Outcome", placeholder="what was discussed and decided"),
            FormField(
                "decision", "Decision", "choice", choices=(("Keep it (review again)", "keep"), ("End it", "end"))
            ),
            FormField("next_review", "Next review", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        due = f"; review was due {row.review_date:%a %d %b %Y}" if row.review_date else ""
        intro = f"{KIND_LABEL[row.kind]} for {row.resident}: {row.what}{due}."
        self.app.push_screen(
            ReviewForm(
                f"Review {'an' if row.kind == 'adjustment' else 'a'} {row.kind}",
                fields,
                intro=intro,
                check=check,
                save=save,
            ),
            self._changed("Review recorded."),
        )

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()


__all__ = ["AdjustmentsScreen", "FormField", "Problem", "QuickForm", "ReviewForm", "parse_day"]

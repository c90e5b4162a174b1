"""Adjustments register: disclosed disabilities, agreed reasonable adjustments and contact
restrictions across residents, reviews overdue first then due (5.10, 5.14, 5.15).

Each change is a small form that checks as you type with the registers' own guards and
shows the rule's message and Code paragraph; the service checks again when saving.
:class:`QuickForm` is that small form; the remedy screen uses it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from caseworker import keys
from caseworker.screens.base import BaseScreen, WorkerMixin

# -- a small form ------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One field of a :class:`QuickForm`.

    ``kind`` is "text", "date" (typed as YYYY-MM-DD or DD/MM/YYYY; the form hands on a
    ``date`` or None) or "choice" (``choices`` of (label, value)).
    """

    name: str
    label: str
    kind: str = "text"
    placeholder: str = ""
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    suggestions: tuple[str, ...] = ()


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(text: str) -> date | None:
    """A date typed as YYYY-MM-DD or DD/MM/YYYY; None when empty.

    Raises:
        ValueError: not a date, with what to type instead.
    """
    text = text.strip()
    if not text:
        return None
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _UK.fullmatch(text)
        if not m:
            raise ValueError(f"{text!r} is not a date: type YYYY-MM-DD or DD/MM/YYYY")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None


@dataclass(frozen=True)
class Problem:
    """Why a form cannot be saved yet: message, Code paragraph, field name."""

    message: str
    code_ref: str = ""
    field: str = ""

    def __str__(self) -> str:
        return self.message + (f" (Code {self.code_ref})" if self.code_ref else "")


def _problem(refusal: Any) -> Problem | None:
    """A rules Refusal (or anything with message/code_ref/field) as a Problem."""
    if refusal is None:
        return None
    return Problem(refusal.message, getattr(refusal, "code_ref", ""), getattr(refusal, "field", ""))


class QuickForm(WorkerMixin, ModalScreen[Any]):
    """A small modal form: fields, a live check after every keystroke, and a save run in a worker.

    ``check(values)`` returns a refusal-like object (message, code_ref, field) or None;
    ``save(values)`` runs in a thread and its result is what the form is dismissed with. A
    refusal from the save is shown in the form, which stays open. Escape dismisses with None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
    ]
    DEFAULT_CSS = """
    QuickForm { align: center middle; }
    QuickForm > Vertical { width: 90%; max-width: 96; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 0 1; }
    QuickForm .title { text-style: bold; padding: 0 0 1 0; }
    QuickForm .intro { color: $text-muted; padding: 0 0 1 0; }
    QuickForm VerticalScroll { height: auto; max-height: 1fr; }
    QuickForm .row { height: auto; }
    QuickForm .label { width: 22; padding: 1 1 0 0; }
    QuickForm .row Input, QuickForm .row Select { width: 1fr; }
    QuickForm #problem { padding: 0 0 0 0; color: $warning; height: auto; }
    QuickForm #problem.refused { color: $error; text-style: bold; }
    QuickForm .keys { color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        *,
        intro: str = "",
        check: Callable[[dict[str, Any]], Any] | None = None,
        save: Callable[[dict[str, Any]], Any] | None = None,
        save_label: str = "save",
    ) -> None:
        super().__init__()
        self._title, self._fields, self._intro = title, fields, intro
        self._check, self._save, self._save_label = check, save, save_label
        self._saving = False
        self._tried = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, classes="title", markup=False)
            if self._intro:
                yield Static(self._intro, classes="intro", markup=False)
            with VerticalScroll():
                for f in self._fields:
                    with Horizontal(classes="row"):
                        yield Static(f.label, classes="label", id=f"label-{f.name}", markup=False)
                        if f.kind == "choice":
                            yield Select(list(f.choices), value=f.value or f.choices[0][1], allow_blank=False,
                                         id=f"field-{f.name}")
                        else:
                            suggester = SuggestFromList(f.suggestions, case_sensitive=False) if f.suggestions else None
                            yield Input(value=f.value, placeholder=f.placeholder, id=f"field-{f.name}", suggester=suggester)
            yield Static("", id="problem", markup=False)
            yield Static(f"Ctrl+S {self._save_label} · Enter next field (on the last: {self._save_label}) · Esc cancel",
                         classes="keys")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self._fields[0].name}").focus()
        self._refresh()

    # -- values and the live check ------------------------------------------------------

    def widget_for(self, name: str):
        """The input or select of field ``name`` (None if there is no such field)."""
        found = self.query(f"#field-{name}")
        return found.first() if found else None

    def raw(self, name: str) -> str:
        """What is typed (or chosen) in field ``name``."""
        w = self.widget_for(name)
        if isinstance(w, Select):
            return "" if w.value is Select.NULL else str(w.value)
        return w.value if w is not None else ""

    def values(self) -> tuple[dict[str, Any], Problem | None]:
        """The parsed values, and the first field that could not be parsed."""
        out: dict[str, Any] = {}
        bad: Problem | None = None
        for f in self._fields:
            w = self.widget_for(f.name)
            if w is not None and w.disabled:
                out[f.name] = None if f.kind == "date" else ""
                continue
            text = self.raw(f.name)
            if f.kind == "date":
                try:
                    out[f.name] = parse_day(text)
                except ValueError as exc:
                    out[f.name] = None
                    bad = bad or Problem(f"{f.label}: {exc}", "", f.name)
            else:
                out[f.name] = text.strip()
        return out, bad

    def problem(self) -> Problem | None:
        """The first reason the form cannot be saved, or None."""
        values, bad = self.values()
        if bad:
            return bad
        if self._check is None:
            return None
        try:
            return _problem(self._check(values))
        except Exception as exc:  # noqa: BLE001 - a check that fails is shown, not raised
            return Problem(str(exc))

    def _refresh(self, refused: Problem | None = None) -> Problem | None:
        problem = refused or self.problem()
        for f in self._fields:
            w = self.widget_for(f.name)
            if w is not None and not w.disabled:
                w.set_class(problem is not None and problem.field == f.name and (self._tried or bool(self.raw(f.name))),
                            "-invalid")
            if f.kind == "date":
                label = self.query_one(f"#label-{f.name}", Static)
                try:
                    day = parse_day(self.raw(f.name))
                except ValueError:
                    day = None
                label.update(f.label + (f"\n{day:%a %d %b %Y}" if day else ""))
        box = self.query_one("#problem", Static)
        box.set_class(refused is not None or self._tried, "refused")
        box.update(f"⚠ {problem}" if problem else "✓ Ready to " + self._save_label)
        self.on_values_changed()
        return problem

    def on_values_changed(self) -> None:
        """Hook for subclasses: called after every change (e.g. to disable a field)."""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._refresh()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        widgets = [w for w in (self.widget_for(f.name) for f in self._fields) if w is not None and not w.disabled]
        if event.input is widgets[-1] or event.input not in widgets:
            self.action_submit()
        else:
            widgets[widgets.index(event.input) + 1].focus()

    # -- actions ------------------------------------------------------------------------

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if self._saving:
            return
        self._tried = True
        problem = self._refresh()
        if problem is not None:
            w = self.widget_for(problem.field) if problem.field else None
            if w is not None and not w.disabled:
                w.focus()
            return
        values, _ = self.values()
        if self._save is None:
            self.dismiss(values)
            return
        self._saving = True
        self.query_one("#problem", Static).update("Saving…")
        self.run_db(self._save, values, done=self._saved, failed=self._refused, group="form")

    def _saved(self, result: Any) -> None:
        self._saving = False
        self.dismiss(result)

    def _refused(self, exc: Exception) -> None:
        self._saving = False
        refusal = getattr(exc, "refusal", None)
        if refusal is None:
            self.app.show_error(exc)  # type: ignore[attr-defined]
            self._refresh()
            return
        problem = _problem(refusal)
        self._refresh(problem)
        w = self.widget_for(problem.field) if problem and problem.field else None
        if w is not None and not w.disabled:
            w.focus()


# -- the register ------------------------------------------------------------------------

ADJUSTMENT_KINDS = (
    "Large print", "Easy read", "Interpreter", "British Sign Language (BSL) interpreter", "Braille", "Audio",
    "Preferred channel: phone", "Preferred channel: email", "Preferred channel: letter", "Advocate present",
    "Extra time to respond", "Home visit", "Named contact", "Text relay",
)
COLUMNS = (("Review", 8), ("Review date", 11), ("Resident", 18), ("Type", 11), ("What", 18), ("Detail", 14),
           ("Since", 11), ("Open cases", 11))
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
    HELP = ("Disclosed disabilities, agreed reasonable adjustments (5.10) and contact restrictions (5.14, 5.15) "
            "across residents. Reviews overdue come first (red), then those due within 14 days (amber). "
            "r records a review of the highlighted adjustment or restriction; a, d and x add an adjustment, a "
            "disability or a restriction for the highlighted row's resident.")
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
        table = DataTable(id="register", cursor_type="row", zebra_stripes=True)
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
        from caseworker.store.queries import register

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
                    Text(r.resident, style=dim), Text(KIND_LABEL.get(r.kind, r.kind), style=dim),
                    Text(r.what, style=dim), Text(r.detail, style=dim), Text(f"{r.since:%d %b %Y}", style=dim),
                    Text(_cases_text(r.open_cases), style=dim), key=key,
                )
            if current in self._rows:
                table.move_cursor(row=table.get_row_index(current))
        self.query_one("#summary", Static).update(
            f"Reviews: {reg.overdue} overdue · {reg.due} due within 14 days · showing {FILTER_LABEL[self.filter]}")
        if not reg.rows:
            status = "Nothing recorded yet: press a, d or x to add (you will be asked for a case reference)"
        else:
            status = f"{len(wanted):,} of {len(reg.rows):,} item(s)"
            if len(wanted) > len(rows):
                status += f", the first {len(rows):,} shown (reviews overdue and due come first; f filters)"
        self.query_one("#status", Static).update(status + f" · today {reg.today:%a %d %b %Y}")

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
        from caseworker.store.queries import case_id_for_reference

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
        from caseworker.store.queries import case_detail

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
        from caseworker.rules import registers
        from caseworker.store import services as sv

        rid, name = self._resident()
        store, login = ws.store, ws.login

        def check(v):
            return self._needs_case(rid, v) or registers.check_adjustment(v["kind"], v["review_date"], store.today())

        def save(v):
            return sv.add_adjustment(store, login, self._resident_id(store, rid, v), v["kind"], v["review_date"], details=v["details"])

        fields = self._resident_fields(rid) + [
            FormField("kind", "Adjustment", placeholder="e.g. Large print (→ completes)", suggestions=ADJUSTMENT_KINDS),
            FormField("details", "Details", placeholder="what exactly was agreed (optional)"),
            FormField("review_date", "Review date", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        intro = (f"For {name}. " if name else "") + "Adjustments are agreed with the resident and kept under active review (5.10)."
        self.app.push_screen(QuickForm("Record a reasonable adjustment", fields, intro=intro, check=check, save=save),
                             self._changed("Adjustment recorded."))

    def action_add_disability(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store import services as sv

        rid, name = self._resident()
        store, login = ws.store, ws.login

        def check(v):
            if p := self._needs_case(rid, v):
                return p
            if not v["description"]:
                return Problem("describe the disability disclosed", "5.10", "description")
            if v["disclosed_on"] is None:
                return Problem("give the date it was disclosed", "5.10", "disclosed_on")
            if v["disclosed_on"] > store.today():
                return Problem("the date disclosed is in the future", "5.10", "disclosed_on")
            return None

        def save(v):
            return sv.record_disability(store, login, self._resident_id(store, rid, v), v["description"], v["disclosed_on"])

        fields = self._resident_fields(rid) + [
            FormField("description", "Disability", placeholder="as the resident described it"),
            FormField("disclosed_on", "Disclosed on", "date", value=store.today().isoformat()),
        ]
        intro = (f"For {name}. " if name else "") + "Record what the resident disclosed; agree adjustments with them (5.10)."
        self.app.push_screen(QuickForm("Record a disclosed disability", fields, intro=intro, check=check, save=save),
                             self._changed("Disability recorded."))

    def action_add_restriction(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.rules import registers
        from caseworker.store import services as sv

        rid, name = self._resident()
        store, login = ws.store, ws.login

        def check(v):
            return self._needs_case(rid, v) or registers.check_restriction(
                v["restriction"], v["evidence"], v["authorised_by"], v["review_date"], store.today())

        def save(v):
            return sv.add_restriction(store, login, self._resident_id(store, rid, v), v["restriction"], v["evidence"],
                                      v["authorised_by"], v["review_date"])

        fields = self._resident_fields(rid) + [
            FormField("restriction", "Restriction", placeholder="e.g. contact by email only, to a single named officer"),
            FormField("evidence", "Evidence", placeholder="the behaviour and where it is recorded"),
            FormField("authorised_by", "Authorised by", placeholder="name and role of who authorised it"),
            FormField("review_date", "Review date", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        intro = ((f"For {name}. " if name else "") + "Restrictions must be proportionate, evidenced, authorised and "
                 "reviewed; the resident can still complain (5.14, 5.15).")
        self.app.push_screen(QuickForm("Record a contact restriction", fields, intro=intro, check=check, save=save),
                             self._changed("Restriction recorded."))

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
        ref = "5.10" if row.kind == "adjustment" else "5.15"

        def check(v):
            end = v["decision"] == "end"
            if not v["outcome"]:
                return Problem("record the outcome of the review", ref, "outcome")
            if not end and v["next_review"] is None:
                return Problem("give the next review date, or end it", ref, "next_review")
            if not end and v["next_review"] <= store.today():
                return Problem("the next review date must be after today", ref, "next_review")
            return None

        def save(v):
            end = v["decision"] == "end"
            return sv.record_review(store, login, row.kind, row.item_id, v["outcome"], None if end else v["next_review"],
                                    end=end)

        fields = [
            FormField("outcome", "Outcome", placeholder="what was discussed and decided"),
            FormField("decision", "Decision", "choice", choices=(("Keep it (review again)", "keep"), ("End it", "end"))),
            FormField("next_review", "Next review", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        due = f"; review was due {row.review_date:%a %d %b %Y}" if row.review_date else ""
        intro = f"{KIND_LABEL[row.kind]} for {row.resident}: {row.what}{due}."
        self.app.push_screen(ReviewForm(f"Review {'an' if row.kind == 'adjustment' else 'a'} {row.kind}", fields, intro=intro, check=check, save=save),
                             self._changed("Review recorded."))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()


class ReviewForm(QuickForm):
    """The review form: the next review date is needed only when the item is kept."""

    def on_values_changed(self) -> None:
        ending = self.raw("decision") == "end"
        nxt = self.widget_for("next_review")
        if nxt is not None and nxt.disabled != ending:
            nxt.disabled = ending


__all__ = ["AdjustmentsScreen", "FormField", "Problem", "QuickForm", "parse_day"]

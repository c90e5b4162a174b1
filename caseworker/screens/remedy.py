"""Remedy: the calculator over the guidance sets (inputs, itemised breakdown, total and
rationale, recalculated as you type) and the remedies on record, tracked through accepted
or declined, paid and completed (section 7).

Saving asks for the case, what will happen and by when (7.3) and stores the offer with its
amount, guidance set, calculation basis and rationale. The calculator itself is pure and
runs on the UI thread; every database call runs in a worker.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from caseworker import inert, keys
from caseworker.rules.remedies import (
    BandChoice,
    Calculation,
    Guidance,
    LineInput,
    RemedyError,
    format_pounds,
    guidance_for,
    guidance_keys,
    load_guidance,
    parse_pounds,
)
from caseworker.screens.base import BaseScreen
from caseworker.screens.dialogs.quick_form import FormField, Problem, QuickForm
from caseworker.screens.dialogs.remedy_forms import Confirm
from caseworker.widgets.table import Table

FIELD_LABEL = {
    "item": "Item",
    "quantity": "Quantity",
    "amount": "Amount",
    "note": "Note",
    "band": "Band",
    "band_amount": "Band amount",
    "band_reason": "Reason",
    "lines": "Items",
    "date": "Guidance",
}
FIELD_WIDGET = {
    "item": "#item",
    "quantity": "#quantity",
    "amount": "#amount",
    "note": "#note",
    "band": "#band",
    "band_amount": "#band_amount",
    "band_reason": "#band_reason",
}
UNIT_SHORT = {"day": " d", "week": " wk", "each": "", "amount": "", "band": ""}
STATES = (None, "offered", "accepted", "paid", "declined", "completed")
STATE_STYLE = {
    "offered": "bold dark_orange",
    "accepted": "bold",
    "paid": "green",
    "completed": "green",
    "declined": "dim",
}
RECORD_COLUMNS = (
    ("Reference", 12),
    ("State", 9),
    ("Amount", 10),
    ("By when", 11),
    ("Kind", 9),
    ("What will happen", 24),
    ("Resident", 16),
    ("Since", 11),
)
CALC_ACTIONS = {"add_line", "remove_line", "clear_calculation", "save_offer"}
RECORD_ACTIONS = {"move", "cycle_state", "open_case"}


def _guidance_label(g: Guidance) -> str:
    if g.effective_from and g.effective_to:
        when = f"{g.effective_from:%d %b %Y} to {g.effective_to:%d %b %Y}"
    elif g.effective_from:
        when = f"from {g.effective_from:%d %b %Y}"
    elif g.effective_to:
        when = f"up to {g.effective_to:%d %b %Y}"
    else:
        when = "any date"
    return f"{g.name} ({when})"


class RemedyScreen(BaseScreen):
    """The remedy calculator and the remedies on record."""

    TITLE = "Remedy calculator"
    HELP_SCOPE = "remedy"
    HELP = (
        "Calculator: choose the guidance set (the one in force today is chosen for you), then add items with "
        "their quantity or amount and a note, or choose a redress band and an amount in it. The breakdown, "
        "total and rationale update as you type; a problem names the field. Ctrl+S saves the calculation as "
        "an offer on a case with what will happen and by when (7.3). Remedies on record (Ctrl+T): a accepted, "
        "d declined, p paid, c completed."
    )
    BINDINGS = keys.bindings("remedy", "list")
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    DEFAULT_CSS = """
    RemedyScreen TabbedContent { height: 1fr; }
    RemedyScreen TabPane { padding: 0; }
    RemedyScreen #calc-body { height: 1fr; }
    RemedyScreen #inputs { width: 1fr; padding: 0 1; }
    RemedyScreen.-narrow #inputs { width: 36; }
    RemedyScreen #guidance-note { text-wrap: nowrap; text-overflow: ellipsis; }
    RemedyScreen #result { width: 1fr; padding: 0 1; border-left: solid $primary; }
    RemedyScreen .label { padding-top: 1; text-style: bold; }
    RemedyScreen .note { color: $text-muted; }
    RemedyScreen #qty-row { height: auto; }
    RemedyScreen #qty-row Input { width: 1fr; }
    RemedyScreen #breakdown { height: auto; max-height: 12; }
    RemedyScreen #total { text-style: bold; padding: 1 0 0 0; }
    RemedyScreen #problem { color: $warning; height: auto; }
    RemedyScreen #problem.error { color: $error; text-style: bold; }
    RemedyScreen #rationale-box { height: 1fr; }
    RemedyScreen #record-filter { height: 1; padding: 0 1; background: $boost; }
    RemedyScreen #remedies { height: 1fr; }
    RemedyScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.guidance: Guidance | None = None
        self.lines: list[LineInput] = []
        self.calc: Calculation | None = None  # the calculation to save (None while there is a problem)
        self.problem: RemedyError | None = None
        self.state_filter: str | None = None
        self._remedies: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="calc", id="tabs"):
            with TabPane("Calculator", id="calc"), Horizontal(id="calc-body"):
                with VerticalScroll(id="inputs"):
                    yield Static("Guidance", classes="label")
                    yield Select(
                        [(inert.cell(_guidance_label(load_guidance(k))), k) for k in guidance_keys()],
                        allow_blank=False,
                        id="guidance",
                    )
                    yield Static("", id="guidance-note", classes="note", markup=False)
                    with Vertical(id="items-box"):
                        yield Static("Add an item", classes="label")
                        yield Select([], prompt="Choose an item…", id="item")
                        yield Static("", id="item-note", classes="note", markup=False)
                        with Horizontal(id="qty-row"):
                            yield Input(placeholder="how many", id="quantity")
                            yield Input(placeholder="£ amount", id="amount")
                        yield Input(placeholder="note", id="note")
                        yield Static("Enter or Ctrl+N adds the line; Ctrl+R removes one.", classes="note")
                    with Vertical(id="band-box"):
                        yield Static("Redress band", classes="label")
                        yield Select([], prompt="Choose a band…", id="band")
                        yield Static("", id="band-note", classes="note", markup=False)
                        yield Input(placeholder="£ amount in the band", id="band_amount")
                        yield Input(
                            placeholder="why this amount (needed outside the band or in an open band)", id="band_reason"
                        )
                with Vertical(id="result"):
                    breakdown = Table(id="breakdown", cursor_type="row")
                    breakdown.HELP = self.HELP  # type: ignore[attr-defined]
                    yield breakdown
                    yield Static("", id="total")
                    yield Static("", id="problem", markup=False)
                    with VerticalScroll(id="rationale-box"):
                        yield Static("", id="rationale", markup=False)
            with TabPane("Remedies on record", id="record"):
                yield Static("", id="record-filter")
                yield Table(id="remedies", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        breakdown = self.query_one("#breakdown", DataTable)
        for label, width in (("#", 1), ("Amount", 10), ("Item", 24), ("Quantity × rate", 16)):
            breakdown.add_column(label, width=width, key=label)
        remedies = self.query_one("#remedies", DataTable)
        for label, width in RECORD_COLUMNS:
            remedies.add_column(label, width=width, key=label)
        try:
            key = guidance_for(self.app.clock.today()).key  # type: ignore[attr-defined]
        except RemedyError:
            key = guidance_keys()[0]
        self.query_one("#guidance", Select).value = key
        self._set_guidance(key)
        self.query_one("#guidance", Select).focus()

    # -- the calculator -------------------------------------------------------------------

    def _set_guidance(self, key: str) -> None:
        g = load_guidance(key)
        if self.guidance is not None and self.guidance.key == g.key:
            return
        if self.lines:
            self.notify("The lines were cleared: they belonged to the other guidance set.", timeout=4)
        self.guidance, self.lines = g, []
        today = self.app.clock.today()  # type: ignore[attr-defined]
        note = "" if g.applies_on(today) else f"Not the guidance in force on {today:%d %b %Y}. "
        self.query_one("#guidance-note", Static).update(inert.text(note + f"Source: {g.source}"))
        items = self.query_one("#item", Select)
        items.set_options([(inert.cell(f"{i.label} · {i.rate_text}"), i.key) for i in g.items])
        bands = self.query_one("#band", Select)
        bands.set_options([(inert.cell(f"{b.finding}: {b.impact} · {b.range_text}"), b.key) for b in g.bands])
        self.refresh_bindings()
        self.query_one("#items-box").display = bool(g.items)
        self.query_one("#band-box").display = bool(g.bands)
        for name in ("quantity", "amount", "note", "band_amount", "band_reason"):
            self.query_one(f"#{name}", Input).value = ""
        self._item_changed()
        self._band_changed()
        self.recompute()

    def _item(self):
        value = self.query_one("#item", Select).value
        return None if value is Select.NULL or self.guidance is None else self.guidance.item(str(value))

    def _band_key(self) -> str | None:
        value = self.query_one("#band", Select).value
        return None if value is Select.NULL else str(value)

    def _item_changed(self) -> None:
        item = self._item()
        qty, amount, note = (self.query_one(f"#{n}", Input) for n in ("quantity", "amount", "note"))
        if item is None:
            self.query_one("#item-note", Static).update("")
            qty.disabled = amount.disabled = note.disabled = True
            return
        note.disabled = False
        fixed = item.unit != "amount"
        qty.disabled, amount.disabled = not fixed, fixed
        if fixed:
            amount.value = ""
            qty.placeholder = "how many " + {"day": "days", "week": "weeks", "each": "times"}[item.unit]
        else:
            qty.value = ""
        note.placeholder = item.note_label + (" (required)" if item.needs_reason else " (optional)")
        self.query_one("#item-note", Static).update(
            inert.text(
                f"{item.rate_text} · {item.status}"
                + ("; check before relying on it" if item.status == "secondary" else "")
            )
        )

    def _band_changed(self) -> None:
        key = self._band_key()
        band = self.guidance.band(key) if key and self.guidance else None
        for n in ("band_amount", "band_reason"):
            self.query_one(f"#{n}", Input).disabled = band is None
        text = "" if band is None else f"{band.range_text}. {band.description} [{band.status}]"
        self.query_one("#band-note", Static).update(inert.text(text))

    def _draft(self) -> LineInput | None:
        """The line being typed, or None; raises RemedyError naming the field that cannot be read."""
        item = self._item()
        if item is None:
            return None
        qty_text = self.query_one("#quantity", Input).value.strip()
        amount_text = self.query_one("#amount", Input).value.strip()
        note = self.query_one("#note", Input).value
        if item.unit == "amount":
            try:
                amount = parse_pounds(amount_text)
            except ValueError as exc:
                raise RemedyError("amount", f"{item.label}: {exc}") from None
            return LineInput(item.key, 1, amount, note)
        noun = {"day": "days", "week": "weeks", "each": "times"}[item.unit]
        if not qty_text:
            raise RemedyError("quantity", f"{item.label}: enter how many {noun}")
        try:
            quantity = int(qty_text.replace(",", ""))
        except ValueError:
            raise RemedyError(
                "quantity", f"{item.label}: the quantity must be a whole number of {noun}, not {qty_text!r}"
            ) from None
        return LineInput(item.key, quantity, None, note)

    def _band(self) -> BandChoice | None:
        key = self._band_key()
        if key is None:
            return None
        band = self.guidance.band(key) if self.guidance else None
        text = self.query_one("#band_amount", Input).value.strip()
        if not text:
            raise RemedyError("band_amount", f"enter the amount ({band.range_text if band else 'in the band'})")
        try:
            amount = parse_pounds(text)
        except ValueError as exc:
            raise RemedyError("band_amount", str(exc)) from None
        return BandChoice(key, amount, self.query_one("#band_reason", Input).value)

    def recompute(self) -> None:
        """Recalculate from the inputs: breakdown, total, rationale, and the first problem with its field."""
        from caseworker.rules.remedies import calculate

        g = self.guidance
        if g is None:
            return
        problem: RemedyError | None = None
        draft = band = None
        try:
            draft = self._draft()
        except RemedyError as exc:
            problem = exc
        try:
            band = self._band()
        except RemedyError as exc:
            problem = problem or exc
        lines = self.lines + ([draft] if draft is not None else [])
        calc: Calculation | None = None
        try:
            calc = calculate(g, lines, band)
        except RemedyError as exc:
            problem = problem or exc
        shown = calc
        if shown is None and self.lines:
            try:
                shown = calculate(g, self.lines, None)
            except RemedyError:
                shown = None
        self.calc = calc if problem is None else None
        self.problem = problem
        self._show(shown, has_draft=draft is not None and problem is None)

    def _show(self, calc: Calculation | None, has_draft: bool) -> None:
        table = self.query_one("#breakdown", DataTable)
        current = self._current_key(table)
        table.clear()
        if calc is not None:
            n = len(self.lines)
            for i, line in enumerate(calc.lines):
                if line.unit == "band":
                    key, mark = "band", "B"
                elif i < n:
                    key, mark = f"line:{i}", str(i + 1)
                else:
                    key, mark = "draft", "+"
                style = "italic" if key == "draft" else ""
                if line.unit == "band":
                    how = "in band" if "in the band" in line.basis else "outside band"
                elif line.unit == "amount":
                    how = "entered"
                else:
                    how = f"{line.quantity}{UNIT_SHORT[line.unit]} × {format_pounds(line.rate_pence or 0)}"
                table.add_row(
                    Text(mark, style=style),
                    Text(format_pounds(line.amount_pence), style=style, justify="right"),
                    Text(line.label, style=style),
                    Text(how, style=style),
                    key=key,
                )
            if current is not None and current in table.rows:  # unless that line is gone
                table.move_cursor(row=table.get_row_index(current))
        total = self.query_one("#total", Static)
        box = self.query_one("#problem", Static)
        p = self.problem
        if p is not None and p.field == "lines":
            box.update(inert.text("Choose an item (or a band) to start." if not self.lines else f"⚠ {p.message}"))
            box.remove_class("error")
        elif p is not None:
            label = FIELD_LABEL.get(p.field, p.field)
            if p.field == "note" and self._item() is not None:
                label = self._item().note_label
            box.update(inert.text(f"⚠ {label}: {p.message}"))
            box.add_class("error")
        else:
            box.update(
                inert.text(
                    "✓ Ctrl+S saves this as an offer on a case"
                    + (" (the line being typed is included)" if has_draft else "")
                )
            )
            box.remove_class("error")
        if self.calc is not None:
            total.update(inert.text(f"Total {format_pounds(self.calc.total_pence)}"))
            self.query_one("#rationale", Static).update(inert.text(self.calc.rationale))
        else:
            total.update(f"Total so far {format_pounds(calc.total_pence)}" if calc is not None else "Total –")
            self.query_one("#rationale", Static).update(inert.text(calc.rationale if calc is not None else ""))
        for field, selector in FIELD_WIDGET.items():
            w = self.query_one(selector)
            w.set_class(p is not None and p.field == field and not w.disabled and self._touched(field), "-invalid")

    def _touched(self, field: str) -> bool:
        """Mark a field in error only once something has been typed in the line or band it belongs to."""
        if field in ("band_amount", "band_reason", "band"):
            return True
        return any(self.query_one(f"#{n}", Input).value for n in ("quantity", "amount", "note")) or field == "item"

    # -- calculator events ------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        sid = event.select.id
        if sid == "guidance" and event.value is not Select.NULL:
            self._set_guidance(str(event.value))
            return
        if sid == "item":
            self._item_changed()
        elif sid == "band":
            self._band_changed()
        self.recompute()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recompute()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in ("quantity", "amount", "note"):
            self.action_add_line()
        else:
            self.focus_next()

    def action_add_line(self) -> None:
        if self._item() is None:
            self.notify("Choose an item first.", timeout=3)
            self.query_one("#item", Select).focus()
            return
        self.recompute()
        p = self.problem
        if p is not None and p.field in ("item", "quantity", "amount", "note"):
            self.notify(f"{FIELD_LABEL.get(p.field, p.field)}: {p.message}", severity="error", timeout=6)
            selector = FIELD_WIDGET.get(p.field)
            if selector:
                self.query_one(selector).focus()
            return
        try:
            draft = self._draft()
        except RemedyError:
            return
        if draft is None:
            return
        self.lines.append(draft)
        for n in ("quantity", "amount", "note"):
            self.query_one(f"#{n}", Input).value = ""
        self.query_one("#item", Select).clear()
        self._item_changed()
        self.recompute()
        self.query_one("#item", Select).focus()

    def action_remove_line(self) -> None:
        table = self.query_one("#breakdown", DataTable)
        key = self._current_key(table) if self.focused is table else None
        if key == "band":
            self.query_one("#band", Select).clear()
            self._band_changed()
        elif key and key.startswith("line:"):
            del self.lines[int(key.split(":")[1])]
        elif key == "draft":
            self.query_one("#item", Select).clear()
            self._item_changed()
        elif self.lines:
            self.lines.pop()
        else:
            self.notify("There is no line to remove.", timeout=3)
            return
        self.recompute()

    def action_clear_calculation(self) -> None:
        self.lines = []
        for n in ("quantity", "amount", "note", "band_amount", "band_reason"):
            self.query_one(f"#{n}", Input).value = ""
        self.query_one("#item", Select).clear()
        self.query_one("#band", Select).clear()
        self._item_changed()
        self._band_changed()
        self.recompute()

    def action_save_offer(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        self.recompute()
        calc = self.calc
        if calc is None:
            p = self.problem
            msg = p.message if p is not None else "nothing to save"
            if p is not None and p.field != "lines":
                msg = f"{FIELD_LABEL.get(p.field, p.field)}: {msg}"
            self.notify(f"The calculation cannot be saved yet: {msg}", severity="error", timeout=6)
            return
        from caseworker.rules import registers
        from caseworker.rules.facts import RemedyKind
        from caseworker.store import services as sv
        from caseworker.store.queries.case import case_id_for_reference

        store, login = ws.store, ws.login
        money = format_pounds(calc.total_pence)

        def check(v):
            if not v["case"]:
                return Problem("give the reference of the case the offer is made on", "", "case")
            return registers.check_remedy_offer(
                RemedyKind.FINANCIAL, v["what"], v["by_when"], calc.total_pence, store.today()
            )

        def save(v):
            case_id = case_id_for_reference(store, v["case"])
            if case_id is None:
                raise sv.DomainError(f"there is no case {v['case']!r}", "", "case")
            remedy_id = sv.offer_remedy(
                store,
                login,
                case_id,
                RemedyKind.FINANCIAL,
                v["what"],
                v["by_when"],
                amount_pence=calc.total_pence,
                guidance_key=calc.guidance_key,
                calculation_basis=calc.basis,
                rationale=calc.rationale,
            )
            return v["case"].upper(), remedy_id

        def saved(result) -> None:
            if result is None:
                return
            ref, _ = result
            self.notify(f"Offer of {money} saved on {ref}.", title="Remedy offered", timeout=6)
            self.load()

        fields = [
            FormField("case", "Case reference", placeholder="e.g. MKCC-2025-0001"),
            FormField(
                "what",
                "What will happen",
                value=f"Pay {money} compensation",
                placeholder="what the landlord will do (7.3)",
            ),
            FormField("by_when", "By when", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
        ]
        intro = calc.rationale + " Say what will happen and by when (7.3)."
        self.app.push_screen(
            QuickForm(
                "Save as an offer on a case", fields, intro=intro, check=check, save=save, save_label="save the offer"
            ),
            saved,
        )

    # -- remedies on record ----------------------------------------------------------------

    def load(self) -> None:
        """Fetch the remedies on record."""
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.remedies import remedies_list

        self.run_db(remedies_list, ws.store, self.state_filter, done=self._show_record, group="remedies")

    def _show_record(self, rows) -> None:
        table = self.query_one("#remedies", DataTable)
        current = self._current_key(table)
        self._remedies = {str(r.remedy_id): r for r in rows}
        with self.app.batch_update():
            table.clear()
            for r in rows:
                by_when = Text(f"{r.by_when:%d %b %Y}", style="bold red" if r.overdue else "")
                table.add_row(
                    r.reference,
                    Text(r.state, style=STATE_STYLE.get(r.state, "")),
                    Text(format_pounds(r.amount_pence) if r.amount_pence is not None else "–", justify="right"),
                    by_when,
                    r.kind,
                    r.description,
                    r.resident,
                    f"{r.state_on:%d %b %Y}",
                    key=str(r.remedy_id),
                )
            if current in self._remedies:
                table.move_cursor(row=table.get_row_index(current))
        label = self.state_filter or "every state"
        overdue = sum(r.overdue for r in rows)
        self.query_one("#record-filter", Static).update(
            inert.text(
                f"Remedies on record: {len(rows)} in {label}"
                + (f" · {overdue} past their date" if overdue else "")
                + " · f: filter by state"
            )
        )
        ws = self.workspace
        self.query_one("#status", Static).update(f"today {ws.store.today():%a %d %b %Y}" if ws else "")

    def _current_remedy(self):
        key = self._current_key(self.query_one("#remedies", DataTable))
        return self._remedies.get(key) if key else None

    def action_move(self, target: str) -> None:
        ws = self.workspace
        row = self._current_remedy()
        if ws is None or row is None:
            return
        from caseworker.rules import registers
        from caseworker.rules.facts import RemedyKind, RemedyState
        from caseworker.store import services as sv

        refusal = registers.check_remedy_move(RemedyKind(row.kind), RemedyState(row.state), RemedyState(target))
        if refusal is not None:
            self.notify(str(refusal), title="Not allowed", severity="error", timeout=8)
            return
        store, login = ws.store, ws.login
        money = f" {format_pounds(row.amount_pence)}" if row.amount_pence else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_db(
                    sv.move_remedy,
                    store,
                    login,
                    row.remedy_id,
                    target,
                    version=row.version,
                    done=lambda _: self._moved(row, target),
                    failed=self._not_moved,
                    group="move",
                )

        self.app.push_screen(
            Confirm(
                f"Mark the{money} {row.kind} remedy on {row.reference} ({row.description}) as "
                f"{target} today? This is kept in the case history and cannot be undone."
            ),
            answered,
        )

    def _not_moved(self, exc: Exception) -> None:
        """Show why (e.g. another officer moved it first: who and when) and the remedy as it is now."""
        self.app.show_error(exc)  # type: ignore[attr-defined]
        self.load()

    def _moved(self, row, target: str) -> None:
        self.notify(f"{row.reference}: remedy {target}.", timeout=4)
        self.load()

    def action_cycle_state(self) -> None:
        self.state_filter = STATES[(STATES.index(self.state_filter) + 1) % len(STATES)]
        self.load()

    def action_open_case(self) -> None:
        row = self._current_remedy()
        if row is not None:
            self.app.open_case(row.case_id)  # type: ignore[attr-defined]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "remedies":
            self.action_open_case()

    # -- tabs and keys ---------------------------------------------------------------------

    def _tab(self) -> str:
        found = self.query("#tabs")
        return found.first(TabbedContent).active if found else "calc"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Calculator keys on the calculator tab, tracking keys on the record tab."""
        if action in CALC_ACTIONS:
            if action in ("add_line", "remove_line") and self.guidance is not None and not self.guidance.items:
                return False
            return self._tab() == "calc"
        if action in RECORD_ACTIONS:
            return self._tab() == "record"
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_bindings()
        if self._tab() == "record":
            self.query_one("#remedies", DataTable).focus()

    def action_switch_tab(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "record" if tabs.active == "calc" else "calc"
        if tabs.active == "record":
            self.query_one("#remedies", DataTable).focus()
        else:
            self.query_one("#guidance", Select).focus()
        self.refresh_bindings()

    @staticmethod
    def _current_key(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _table(self) -> DataTable:
        focused = self.focused
        if isinstance(focused, DataTable):
            return focused
        return self.query_one("#remedies" if self._tab() == "record" else "#breakdown", DataTable)

    def action_cursor_down(self) -> None:
        self._table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._table().action_cursor_up()


__all__ = ["Confirm", "RemedyScreen"]

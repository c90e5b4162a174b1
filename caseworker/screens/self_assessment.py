"""The Code self-assessment for one financial year: every provision of sections 1 to 9 with
what was saved for it and the evidence measured from the record.

Enter on a provision edits it (complies yes / partly / no, evidence, commentary), saved for
that provision and year; enter on a measured line lists the cases behind it, and enter there
opens the case. ``a`` approves the assessment (supervisors), ``l`` records the Ombudsman's
annual letter, ``g`` the governing body's response, ``x`` exports the whole report and the
self-assessment. Everything is read and saved in thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.messages import ShowError
from caseworker.reporting.period import Period
from caseworker.screens.base import WorkerMixin
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.reporting.assessment import SelfAssessment
    from caseworker.store.context import Store

COMPLIES_STYLE = {"yes": "green", "partly": "dark_orange", "no": "bold red", "": "dim"}


def export_folder():
    """Where the screens write exported reports: ``reports`` in the user's data folder."""
    from caseworker.config import data_dir

    return data_dir() / "reports"


def export_year(store: Store, year: int) -> list:
    """Build the whole report for the financial year ``year`` and write every format; the paths written."""
    from caseworker.reporting.assessment import year_report
    from caseworker.reporting.files import export_year as write

    return write(year_report(store, Period.financial_year(year)), export_folder())


def said_where(paths: list) -> str:
    """``Wrote 6 files to /home/…/reports: complaints-report-2025-26.md, …``."""
    if not paths:
        return "Nothing was written."
    return f"Wrote {len(paths)} files to {paths[0].parent}: " + ", ".join(p.name for p in paths)


class SelfAssessmentScreen(WorkerMixin, Screen):
    """Every provision of the Code with its assessment, evidence and commentary for one year."""

    TITLE = "Self-assessment"
    HELP = (
        "The Complaint Handling Code self-assessment for one financial year (Code 8.1). Each provision shows "
        "whether we comply (yes / partly / no), the evidence measured from the record, and the evidence and "
        "commentary typed for it. Enter on a provision edits it; enter on a measured line lists the cases "
        "behind it. A supervisor approves the assessment with a; saving a provision afterwards withdraws the "
        "approval. The titles are our own short summaries, not the Code's text."
    )
    HELP_SCOPE = "assessment"
    BINDINGS = keys.bindings("assessment", "list")
    DEFAULT_CSS = """
    SelfAssessmentScreen #sa-year { height: auto; padding: 0 1; background: $boost; text-style: bold; }
    SelfAssessmentScreen #provisions { height: 1fr; }
    SelfAssessmentScreen #sa-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, year: int, store: Store | None = None) -> None:
        super().__init__()
        self.year = year
        self._store = store
        self.assessment: SelfAssessment | None = None
        self._keys: dict[str, tuple[str, str]] = {}

    @property
    def store(self) -> Store | None:
        """The store given, or the open workspace's."""
        if self._store is not None:
            return self._store
        ws = self.workspace
        return ws.store if ws is not None else None

    @property
    def login(self) -> str:
        """The officer at the keyboard ("" when unknown)."""
        ws = self.workspace
        return ws.login if ws is not None else ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="sa-year", markup=False)
        yield Table(id="provisions", cursor_type="row", zebra_stripes=False)
        yield Static("", id="sa-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#provisions", DataTable)
        table.add_column("No.", width=5)
        table.add_column("Complies", width=17)
        table.add_column("Provision and evidence", key="text")
        table.focus()
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Build the assessment again in a thread."""
        period = Period.financial_year(self.year)
        self.query_one("#sa-year", Static).update(
            inert.text(
                f"Self-assessment {period.label} · Enter: edit / cases behind a figure · a approve · l annual letter · "
                "g governing body · x export"
            )
        )
        self.query_one("#provisions", DataTable).loading = True
        store = self.store
        if store is None:
            return
        from caseworker.reporting.assessment import self_assessment

        self.run_db(self_assessment, store, period, done=self._show, failed=self._failed, group="assessment")

    def _failed(self, exc: Exception) -> None:
        self.query_one("#provisions", DataTable).loading = False
        from caseworker.failures import for_officer

        self.query_one("#sa-status", Static).update(
            inert.text(f"The self-assessment could not be built: {for_officer(exc)}")
        )
        self.post_message(ShowError(exc, title="Self-assessment"))

    def _show(self, sa: SelfAssessment) -> None:
        from caseworker.reporting.render_account import complies_text

        self.assessment = sa
        table = self.query_one("#provisions", DataTable)
        table.loading = False
        row = table.cursor_row
        self._keys.clear()
        with self.app.batch_update():
            table.clear()
            section = None
            for r in sa.rows:
                p = r.provision
                if p.section != section:
                    section = p.section
                    table.add_row(
                        "",
                        "",
                        Text(f"Section {section}: {sa.sections.get(section, '')}", style="bold reverse"),
                        key=f"s:{section}",
                    )
                key = f"p:{p.number}"
                self._keys[key] = ("edit", p.number)
                table.add_row(
                    p.number,
                    Text(complies_text(r.complies), style=COMPLIES_STYLE.get(r.complies, "")),
                    Text(p.title, style="bold"),
                    key=key,
                )
                for m in r.measures:
                    key = f"m:{p.number}:{m.key}"
                    self._keys[key] = ("drill", m.drill)
                    table.add_row("", "▸ cases" if m.drill else "", Text(f"  {m.label}: {m.text}"), key=key)
                for label, text in (("Evidence", r.evidence), ("Commentary", r.commentary)):
                    if text:
                        key = f"{label[0].lower()}:{p.number}"
                        self._keys[key] = ("edit", p.number)
                        table.add_row("", "", Text(f"  {label}: {' '.join(text.split())}", style="italic"), key=key)
        if table.row_count:
            table.move_cursor(row=min(max(row, 1), table.row_count - 1))
        counts = sa.counts()
        approved = (
            f"approved by {sa.approved_by} on {sa.approved_at:%d %b %Y}"
            if sa.approved_by and sa.approved_at
            else "not yet approved"
        )
        self.query_one("#sa-status", Static).update(
            inert.text(
                f"{len(sa.rows)} provisions: yes {counts['yes']}, partly {counts['partly']}, no {counts['no']}, "
                f"not yet assessed {counts['']} · {approved} · measured as at {sa.as_of:%d %b %Y}"
            )
        )

    # -- actions ---------------------------------------------------------------------------

    def _highlighted(self) -> tuple[str, str] | None:
        table = self.query_one("#provisions", DataTable)
        if not table.row_count:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return self._keys.get(key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Enter: edit the highlighted provision, or list the cases behind a measured line."""
        what = self._highlighted()
        if what is None or self.assessment is None:
            return
        kind, value = what
        if kind == "edit":
            self._edit(value)
        elif not value:
            self.notify("This line is not about cases, so there is no list behind it.", timeout=3)
        else:
            from caseworker.screens.reports import CasesScreen

            refs = self.assessment.cases_for(value)
            title = f"{self.assessment.period.label}: {len(refs)} case{'s' if len(refs) != 1 else ''}"
            self.app.push_screen(CasesScreen(title, refs))

    def _edit(self, number: str) -> None:
        from caseworker.rules.account import COMPLIES
        from caseworker.screens.dialogs.form import Field, FormDialog
        from caseworker.store import services as sv

        sa, store, login = self.assessment, self.store, self.login
        if sa is None or store is None or not login:
            return
        r = sa.row(number)
        fields = [
            Field(
                "complies",
                "Complies",
                "select",
                default=r.complies,
                options=(("Not yet assessed", ""), *((label, key) for key, label in COMPLIES)),
            ),
            Field("evidence", "Evidence", default=r.evidence, placeholder="policies, documents, where to find them"),
            Field("commentary", "Commentary", default=r.commentary, placeholder="what we do, and what we will change"),
        ]
        measured = "; ".join(f"{m.label}: {m.text}" for m in r.measures)
        intro = f"{number} {r.provision.title}." + (f" Measured from the record: {measured}." if measured else "")
        year = self.year

        def save(v):
            return sv.save_provision(
                store, login, year, number, v["complies"], v["evidence"], v["commentary"], version=r.version
            )

        self.app.push_screen(
            FormDialog(f"Self-assessment {sa.period.label}: provision {number}", fields, intro=intro, save=save),
            self._saved("Saved."),
        )

    def _saved(self, message: str):
        def done(result) -> None:
            if result is not None or message:
                self.reload()

        return done

    def action_approve(self) -> None:
        """A supervisor approves the year's self-assessment."""
        store, login = self.store, self.login
        if store is None or not login:
            return
        if not self.supervises:
            self.notify(
                "Only a supervisor or administrator approves the self-assessment (Code 8.2).",
                severity="warning",
                timeout=6,
            )
            return
        from caseworker.store import services as sv

        def done(_):
            inert.notify(
                self, f"Self-assessment {Period.financial_year(self.year).label} approved by {login}.", timeout=5
            )
            self.reload()

        # the account as shown: if someone recorded a part of it since, the approval is refused
        version = self.assessment.account_version if self.assessment is not None else None
        self.run_db(
            sv.approve_self_assessment, store, login, self.year, version=version, done=done, group="assessment-save"
        )

    def action_letter(self) -> None:
        """Record the Ombudsman's annual letter: when it came and its key points."""
        self._year_form("letter")

    def action_governing_body(self) -> None:
        """Record the governing body's response to the report."""
        self._year_form("response")

    def _year_form(self, which: str) -> None:
        from caseworker.screens.dialogs.form import Field, FormDialog
        from caseworker.store import services as sv

        store, login, year = self.store, self.login, self.year
        if store is None or not login:
            return
        version = self.assessment.account_version if self.assessment is not None else None
        label = Period.financial_year(year).label
        if which == "letter":
            fields = [
                Field("on", "Received", "date", required=True),
                Field("text", "Key points", required=True, placeholder="the letter's key points, as text"),
            ]
            title, intro = (
                f"The Ombudsman's annual letter for {label}",
                "Its key points go into the annual report (8.1); they are kept as text.",
            )

            def save(v):
                return sv.record_annual_letter(store, login, year, v["on"], v["text"], version=version)
        else:
            fields = [
                Field("on", "Given on", "date", required=True),
                Field("text", "Response", required=True, placeholder="the governing body's response"),
            ]
            title, intro = (
                f"The governing body's response to the {label} report",
                "Published alongside the report (8.2).",
            )

            def save(v):
                return sv.record_governing_body_response(store, login, year, v["on"], v["text"], version=version)

        self.app.push_screen(FormDialog(title, fields, intro=intro, save=save), self._saved("Saved."))

    def action_export(self) -> None:
        """Write the whole report and the self-assessment to files, and say where."""
        store = self.store
        if store is None:
            return
        self.notify("Writing the report…", timeout=2)
        self.run_db(export_year, store, self.year, done=self._exported, group="assessment-export")

    def _exported(self, paths) -> None:
        message = said_where(paths)
        self.query_one("#sa-status", Static).update(message)
        inert.notify(self, message, title="Exported", timeout=12)

    def action_back(self) -> None:
        """Escape: back to the reports."""
        self.app.pop_screen()

    def action_cursor_down(self) -> None:
        self.query_one("#provisions", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#provisions", DataTable).action_cursor_up()

"""The Code self-assessment for one financial year: every provision of sections 1 to 9 with
what was saved for it and the evidence measured from the record.

Enter on a provision edits it (complies yes / partly / no, evidence, commentary), saved for
that provision and year; enter on a measured line lists the cases behind it, and enter there
opens the case. ``a`` approves the assessment (supervisors, after a confirmation that says
what is still missing), ``l`` records the Ombudsman's annual letter, ``g`` the governing body's
response (both forms start from what is on record, which the screen shows above the list),
``x`` exports the whole report and the self-assessment. Everything is read and saved in thread
workers, and the screen reads the year again after every save, refused or not.
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
    from caseworker.store.queries.account import AccountInfo

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


def approval_text(account: AccountInfo | None) -> str:
    """``approved by Sue Stone on 12 Mar 2026`` (the day in UK time), or ``not yet approved``."""
    if account is None or not account.approved_by or account.approved_at is None:
        return "not yet approved"
    from caseworker.clock import local

    return f"approved by {account.approved_by_name or account.approved_by} on {local(account.approved_at):%d %b %Y}"


def recorded_parts(account: AccountInfo | None) -> Text:
    """The year's annual letter and governing body's response as recorded, one line each
    (the text's lines joined; a line too long for the screen ends in an ellipsis), inert."""
    a = account

    def day(on) -> str:
        return f"{on:%d %b %Y}" if on is not None else "(date not recorded)"

    if a is not None and a.letter_key_points:
        letter = f"Annual letter: received {day(a.letter_received_on)}: {' '.join(a.letter_key_points.split())}"
    else:
        letter = "Annual letter: not yet recorded (l)"
    if a is not None and a.governing_body_response:
        text = " ".join(a.governing_body_response.split())
        response = f"Governing body: response of {day(a.response_on)}: {text}"
    else:
        response = "Governing body: response not yet recorded (g)"
    shown = inert.text(f"{letter}\n{response}")
    shown.no_wrap, shown.overflow = True, "ellipsis"
    return shown


def not_assessed(sa: SelfAssessment) -> int:
    """How many of the year's provisions are not yet assessed."""
    return sa.counts()[""]


def approval_question(sa: SelfAssessment) -> str:
    """What the supervisor is asked before approving: what is still missing, and what approving keeps."""
    label = sa.period.label
    parts = []
    missing = not_assessed(sa)
    if missing:
        parts.append(f"{missing} of {len(sa.rows)} provisions are not yet assessed")
    a = sa.account
    if a is None or not a.letter_key_points:
        parts.append("the Ombudsman's annual letter is not recorded")
    if a is None or not a.governing_body_response:
        parts.append("the governing body's response is not recorded")
    gaps = (parts[0][:1].upper() + "; ".join(parts)[1:] + ".") if parts else "Every provision is assessed."
    again = (
        f" It is already {approval_text(a)}: approving again records you and today instead."
        if a is not None and a.approved_by
        else ""
    )
    return (
        f"Approve the {label} self-assessment? {gaps}{again} Your name and today's date are kept with the "
        "approval (Code 8.2); changing a provision afterwards withdraws it."
    )


class SelfAssessmentScreen(WorkerMixin, Screen):
    """Every provision of the Code with its assessment, evidence and commentary for one year."""

    TITLE = "Self-assessment"
    HELP = (
        "The Complaint Handling Code self-assessment for one financial year (Code 8.1). Each provision shows "
        "whether we comply (yes / partly / no), the evidence measured from the record, and the evidence and "
        "commentary typed for it. Enter on a provision edits it; enter on a measured line lists the cases "
        "behind it. A supervisor approves the assessment with a, after a question saying what is still missing; "
        "changing a provision afterwards withdraws the approval (its form says so before you save). l and g "
        "record the Ombudsman's annual letter and the governing body's response, starting from what is on "
        "record (shown above the list). The titles are our own short summaries, not the Code's text."
    )
    HELP_SCOPE = "assessment"
    BINDINGS = keys.bindings("assessment", "list")
    DEFAULT_CSS = """
    SelfAssessmentScreen #sa-year { height: auto; padding: 0 1; background: $boost; text-style: bold; }
    SelfAssessmentScreen #sa-account { height: auto; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    SelfAssessmentScreen #provisions { height: 1fr; }
    SelfAssessmentScreen #sa-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, year: int, store: Store | None = None) -> None:
        super().__init__()
        self.year = year
        self._store = store
        self.assessment: SelfAssessment | None = None
        self._keys: dict[str, tuple[str, str]] = {}
        self._approval = ""  # the approval as last shown ("" before the first showing)

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
        yield Static("", id="sa-account", markup=False)
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
        approved = approval_text(sa.account)
        self.query_one("#sa-account", Static).update(recorded_parts(sa.account))
        before, self._approval = self._approval, approved
        if before and before != "not yet approved" and approved == "not yet approved":
            inert.notify(
                self,
                f"The self-assessment was changed after it was {before}: that approval is withdrawn and it must be "
                "approved again (Code 8.2).",
                severity="warning",
                timeout=10,
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
        """Read the year's approval as it is now (another officer may have approved it since the
        screen was read), then open the provision's form saying what saving a change withdraws."""
        from caseworker.store.queries.account import year_account

        sa, store = self.assessment, self.store
        if sa is None or store is None or not self.login:
            return

        def read(store_, year):
            return year_account(store_, year)[0]

        def opened(account: AccountInfo) -> None:
            if approval_text(account) != self._approval:
                self.reload()  # the status line follows what the form says
            self._open_provision(sa, number, account)

        self.run_db(read, store, self.year, done=opened, group="assessment-approval")

    def _open_provision(self, sa: SelfAssessment, number: str, a: AccountInfo) -> None:
        from caseworker.rules.account import COMPLIES
        from caseworker.screens.dialogs.form import Field, FormDialog
        from caseworker.store import services as sv

        store, login = self.store, self.login
        if store is None or not login or self.app.screen is not self:
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
        if a.approved_by and a.approved_at is not None:
            from caseworker.clock import local

            intro += (
                f" Saving a change withdraws {a.approved_by_name or a.approved_by}'s approval of "
                f"{local(a.approved_at):%d %b %Y} (Code 8.2): the self-assessment must then be approved again."
            )
        year = self.year

        def save(v):
            return sv.save_provision(
                store, login, year, number, v["complies"], v["evidence"], v["commentary"], version=r.version
            )

        self.app.push_screen(
            FormDialog(f"Self-assessment {sa.period.label}: provision {number}", fields, intro=intro, save=save),
            self._form_closed,
        )

    def _form_closed(self, _result=None) -> None:
        """A form closed, saved or not (a refused save may mean someone else saved): read the year again."""
        self.reload()

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
        sa = self.assessment
        if sa is None:
            self.notify("The self-assessment is still being read.", timeout=3)
            return
        from caseworker.screens.dialogs.remedy_forms import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                self._approve(sa)

        self.app.push_screen(Confirm(approval_question(sa)), answered)

    def _approve(self, sa: SelfAssessment) -> None:
        from caseworker.store import services as sv

        store, login = self.store, self.login
        ws = self.workspace
        name = ws.officer.name if ws is not None and ws.officer.name else login

        def done(_):
            inert.notify(self, f"Self-assessment {sa.period.label} approved by {name}.", timeout=5)
            self.reload()

        def refused(exc: Exception) -> None:
            self.post_message(ShowError(exc, title="Self-assessment not approved"))
            self.reload()  # show the year as it is now (someone may have recorded a part of it)

        # the account as shown: if someone recorded a part of it since, the approval is refused
        self.run_db(
            sv.approve_self_assessment,
            store,
            login,
            self.year,
            version=sa.account_version,
            done=done,
            failed=refused,
            group="assessment-save",
        )

    def action_letter(self) -> None:
        """Record the Ombudsman's annual letter: when it came and its key points."""
        self._year_form("letter")

    def action_governing_body(self) -> None:
        """Record the governing body's response to the report."""
        self._year_form("response")

    def _year_form(self, which: str) -> None:
        from caseworker.screens.dialogs.account_forms import YearPartForm
        from caseworker.store.queries.account import AccountInfo

        store, login, sa = self.store, self.login, self.assessment
        if store is None or not login:
            return
        if sa is None:
            self.notify("The self-assessment is still being read.", timeout=3)
            return
        account = sa.account or AccountInfo(self.year, version=sa.account_version)
        self.app.push_screen(YearPartForm(which, account, store.today(), refused=self.reload), self._form_closed)

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

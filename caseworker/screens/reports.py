"""Reports: the annual complaints performance figures (Code 8.1) and the regulator's measures
CH01 and CH02 for a chosen financial year, with bar charts drawn in Unicode blocks.

The figures list in a DataTable; enter on a figure that stands for cases (for example
"Stage 1 outside timescale: 14") opens the list of those cases, and enter there opens the
case. Left/right or ``[``/``]`` change the year. The report is built in a thread worker and
handed back with ``call_from_thread``; nothing here touches the database directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.messages import ShowError
from caseworker.reporting.figures import flatten
from caseworker.reporting.period import Period, financial_year_of
from caseworker.screens.base import WorkerMixin
from caseworker.widgets.case_list import CaseList, Column, ListRow
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from decimal import Decimal

    from caseworker.reporting.model import AnnualReport, Figure
    from caseworker.store.context import Store

#: The earliest financial year offered.
FIRST_YEAR = 2000
_EIGHTHS = " ▏▎▍▌▋▊▉"
BAR_WIDTH = 24


def bar(value: Decimal | float | None, top: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of Unicode blocks, ``value`` out of ``top`` over ``width`` cells."""
    if not value or not top or value <= 0:
        return ""
    cells = min(float(value) / float(top), 1.0) * width
    full = int(cells)
    part = _EIGHTHS[int((cells - full) * 8)]
    return "█" * full + (part if part != " " else "")


def charts(report: AnnualReport) -> Text:
    """The report's charts as text: CH02 and complaints received by quarter, service areas, outcomes."""
    from caseworker.reporting.figures import num, pct

    out = Text()
    styles = {1: "bold blue", 2: "bold dark_orange"}

    def heading(title: str) -> None:
        if out.plain:
            out.append("\n")
        out.append(f"{title}\n", style="bold underline")

    labels = list(dict.fromkeys(q.quarter.label for q in report.quarters))
    by_q = {(q.quarter.label, q.stage): q for q in report.quarters}
    heading("CH02: % within the Code's timescales")
    for ql in labels:
        for n in (1, 2):
            q = by_q[(ql, n)]
            out.append(f"{ql if n == 1 else '':<3}S{n} ")
            out.append(f"{bar(q.ch02, 100):<{BAR_WIDTH}}", style=styles[n])
            out.append(f" {pct(q.ch02)}\n")
    heading("Complaints received")
    top = max((q.received for q in report.quarters), default=0)
    for ql in labels:
        for n in (1, 2):
            q = by_q[(ql, n)]
            out.append(f"{ql if n == 1 else '':<3}S{n} ")
            out.append(f"{bar(q.received, top):<{BAR_WIDTH}}", style=styles[n])
            out.append(f" {num(q.received)}\n")
    if report.by_service_area:
        heading("Stage 1 by service area")
        top = max(c.count for c in report.by_service_area)
        for c in report.by_service_area[:10]:
            name = c.label if len(c.label) <= 14 else c.label[:13] + "…"
            out.append(f"{name:<15}")
            out.append(f"{bar(c.count, top, BAR_WIDTH - 8):<{BAR_WIDTH - 8}}", style=styles[1])
            out.append(f" {num(c.count)}\n")
    heading("Outcomes (Stage 1 / Stage 2)")
    s1, s2 = report.stages
    top = max([c.count for c in s1.outcomes + s2.outcomes] + [1])
    for a, b in zip(s1.outcomes, s2.outcomes, strict=False):
        out.append(f"{a.label:<14}")
        out.append(f"{bar(a.count, top, 10):<10}", style=styles[1])
        out.append(f" {a.count:<4}")
        out.append(f"{bar(b.count, top, 10):<10}", style=styles[2])
        out.append(f" {b.count}\n")
    return out


class CasesScreen(ModalScreen[None]):
    """The cases behind one figure (or a self-assessment line): Enter opens a case over the list
    (``OpenCase`` by reference, up to the App), Escape goes back."""

    BINDINGS = keys.bindings("reports-cases", "list")
    DEFAULT_CSS = """
    CasesScreen { align: center middle; }
    CasesScreen > Vertical { width: 60; max-width: 90%; height: 80%; border: thick $primary; background: $surface; }
    CasesScreen #cases-title { text-style: bold; padding: 0 1; height: auto; }
    CasesScreen #cases { height: 1fr; }
    CasesScreen #cases-hint { color: $text-muted; padding: 0 1; height: 1; }
    """

    def __init__(self, title: str, references: list[str]) -> None:
        super().__init__()
        self._title, self._references = title, references

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(inert.text(self._title), id="cases-title")
            yield CaseList((Column("#", 5), Column("Reference", 20, grow=True)), id="cases")
            yield Static("Enter: open the case · Esc: back to the figures", id="cases-hint")

    def on_mount(self) -> None:
        cases = self.query_one("#cases", CaseList)
        cases.show(ListRow((str(i), ref), ref, reference=ref) for i, ref in enumerate(self._references, 1))
        cases.focus()

    def action_cursor_down(self) -> None:
        self.query_one("#cases", CaseList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#cases", CaseList).action_cursor_up()


class ReportsScreen(WorkerMixin, Screen):
    """The annual report for a chosen financial year: figures, charts, and the cases behind them."""

    TITLE = "Reports"
    HELP = (
        "The annual complaints performance report (Code 8.1) and the regulator's measures CH01 (complaints "
        "per 1,000 homes) and CH02 (% responded to within the Code's timescales) for one financial year. "
        "Left/right or [ and ] change the year. Enter on a figure lists the cases behind it; enter on a "
        "case opens it; escape goes back. s opens the Code self-assessment for the year; x writes the whole "
        "8.1 report (Markdown, CSV, HTML and Word) and the self-assessment to files and says where. "
        "`caseworker report --year YEAR --format md,csv,html,docx --out DIR` writes the same."
    )
    HELP_SCOPE = "reports"
    BINDINGS = keys.bindings("reports", "list")
    DEFAULT_CSS = """
    ReportsScreen #year { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ReportsScreen #main { height: 1fr; }
    ReportsScreen #figures { width: 1fr; height: 1fr; }
    ReportsScreen #chart-pane { width: 52; border-left: solid $primary; padding: 0 1; }
    ReportsScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    class Loaded(Message):
        """A report was built (posted on the UI thread)."""

        def __init__(self, report: AnnualReport) -> None:
            super().__init__()
            self.report = report

    def __init__(self, store: Store | None = None, year: int | None = None) -> None:
        super().__init__()
        self._store = store
        self._year = year
        self.report: AnnualReport | None = None
        self._rows: dict[str, Figure] = {}

    # -- where the data comes from -------------------------------------------------------

    @property
    def store(self) -> Store | None:
        """The store given, or the app's open workspace's store."""
        if self._store is not None:
            return self._store
        workspace = getattr(self.app, "workspace", None)
        return getattr(workspace, "store", None)

    @property
    def last_year(self) -> int:
        """The latest financial year that has started."""
        store = self.store
        if store is None:
            from datetime import date

            return financial_year_of(date.today())
        return financial_year_of(store.today())

    @property
    def year(self) -> int:
        """The financial year shown (named by the year it starts in)."""
        if self._year is None:
            self._year = self.last_year
        return self._year

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="year", markup=False)
        with Horizontal(id="main"):
            yield Table(id="figures", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="chart-pane"):
                yield Static("", id="charts")
        yield Static("", id="status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#figures", DataTable)
        # Value first: the numbers stay in view however long the labels are or narrow the terminal.
        table.add_column("Value", key="value", width=11)
        table.add_column("", key="drill", width=1)
        table.add_column("Figure", key="label")
        table.focus()
        when_ready = getattr(self.app, "when_ready", None)
        if self._store is None and when_ready is not None:
            when_ready(self.refresh_report)
        else:
            self.refresh_report()

    # -- loading -------------------------------------------------------------------------

    def refresh_report(self) -> None:
        """Build the report for the year shown, in a thread."""
        period = Period.financial_year(self.year)
        self.query_one("#year", Static).update(
            inert.text(
                f"Financial year {period.label}: {period.start.day} {period.start:%b %Y} to {period.end.day} "
                f"{period.end:%b %Y}    ←/→ change year · Enter: the cases behind a figure"
            )
        )
        self.query_one("#status", Static).update(inert.text(f"Building the report for {period.label}…"))
        self.query_one("#figures", DataTable).loading = True
        self.run_db(
            self._build,
            period,
            done=lambda report: self.post_message(self.Loaded(report)),
            failed=self._failed("built"),
            group="reports",
        )

    def _build(self, period: Period) -> AnnualReport:
        """In the worker: the report for ``period`` (never touching widgets here)."""
        from caseworker.reporting.build import annual_report

        store = self.store
        if store is None:
            raise RuntimeError("the database is not open yet")
        return annual_report(store, period)

    def on_reports_screen_loaded(self, message: Loaded) -> None:
        """Show a newly built report (stale ones, for a year no longer shown, are dropped)."""
        report = message.report
        if report.period != Period.financial_year(self.year):
            return
        self.report = report
        table = self.query_one("#figures", DataTable)
        table.loading = False
        table.focus()  # the loading overlay may have taken focus: arrows and Enter work on the figures at once
        row = table.cursor_row
        table.clear()
        self._rows.clear()
        section = None
        with self.app.batch_update():
            for i, figure in enumerate(flatten(report)):
                if figure.section != section:
                    section = figure.section
                    table.add_row("", "", Text(section, style="bold reverse"), key=f"section-{i}")
                key = f"figure-{i}"
                self._rows[key] = figure
                table.add_row(
                    Text(figure.text, justify="right"),
                    "▸" if figure.drill else "",
                    Text(f"  {figure.label}"),
                    key=key,
                )
            self.query_one("#charts", Static).update(inert.sanitise(charts(report)))
        if table.row_count:
            table.move_cursor(row=min(max(row, 1), table.row_count - 1))
        self.query_one("#status", Static).update(
            inert.text(
                f"{report.organisation} · {report.homes:,} homes · produced {report.generated_on:%d %b %Y}"
                f" · actions as at {report.as_of:%d %b %Y}"
            )
        )

    def _failed(self, doing: str):
        """A failed build or export: said in the status line, and shown as every failure is
        (``ShowError``: the words of ``caseworker.failures``)."""

        def failed(error: Exception) -> None:
            self.query_one("#figures", DataTable).loading = False
            from caseworker.failures import for_officer

            self.query_one("#status", Static).update(
                inert.text(f"The report could not be {doing}: {for_officer(error, log=False)}")
            )
            self.post_message(ShowError(error, title=f"The report could not be {doing}"))

        return failed

    # -- actions -------------------------------------------------------------------------

    def action_year(self, step: int) -> None:
        """Show the previous (-1) or next (+1) financial year."""
        year = self.year + step
        if year > self.last_year:
            self.notify(f"{Period.financial_year(year).label} has not started yet", timeout=3)
            return
        if year < FIRST_YEAR:
            return
        self._year = year
        self.refresh_report()

    def action_refresh(self) -> None:
        """Build the report again."""
        self.refresh_report()

    def action_self_assessment(self) -> None:
        """The Code self-assessment for the year shown."""
        from caseworker.screens.self_assessment import SelfAssessmentScreen

        self.app.push_screen(SelfAssessmentScreen(self.year, store=self._store))

    def action_export(self) -> None:
        """Write the whole report for the year shown (and its self-assessment) to files, and say where."""
        store = self.store
        if store is None:
            self.notify("The database is not open yet.", timeout=3)
            return
        self.query_one("#status", Static).update(
            inert.text(f"Writing the {Period.financial_year(self.year).label} report…")
        )
        from caseworker.screens.self_assessment import export_year, said_where

        year = self.year
        self.run_db(
            lambda: said_where(export_year(store, year)),
            done=self._exported,
            failed=self._failed("written"),
            group="reports-export",
        )

    def _exported(self, message: str) -> None:
        self.query_one("#status", Static).update(message)
        inert.notify(self, message, title="Exported", timeout=12)

    def action_back(self) -> None:
        """Escape: back to the screen below, if there is one."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_cursor_down(self) -> None:
        self.query_one("#figures", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#figures", DataTable).action_cursor_up()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a figure: the list of cases behind it."""
        if event.data_table.id != "figures":
            return
        event.stop()
        self._drill(str(event.row_key.value))

    def action_drill(self) -> None:
        """Enter when the table does not have focus: drill into the highlighted figure."""
        table = self.query_one("#figures", DataTable)
        if table.row_count:
            self._drill(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _drill(self, key: str) -> None:
        figure = self._rows.get(key)
        if figure is None or self.report is None:
            return
        if not figure.drill:
            self.notify(f"{figure.label}: this figure has no list of cases", timeout=3)
            return
        references = self.report.cases_for(figure.drill)
        title = (
            f"{figure.label} ({self.report.period.label}): {len(references)} case{'s' if len(references) != 1 else ''}"
        )
        self.app.push_screen(CasesScreen(title, references))

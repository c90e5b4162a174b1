"""Issue 10's "Done when" lines, literally: whatever people type or import is shown as text,
never markup, a terminal command, a formula or a crash. Real SQLite files, the real CLI
(``main`` and subprocesses) and the real app driven by Pilot."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import caseworker_env, cli_database, settle
from test_cli import HEADER, TODAY, write_csv
from textual.widgets import DataTable, Input, Static

from caseworker import inert
from caseworker.cli import main
from caseworker.screens.inbox import SEARCH_DEBOUNCE

HYPERLINK = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A SQLite database named by CASEWORKER_DATABASE_URL, today fixed at Fri 19 Dec 2025."""
    return cli_database(tmp_path / "caseworker.db", monkeypatch, TODAY)


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "caseworker", *argv], env=caseworker_env(), capture_output=True, timeout=120
    )


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _tracker(tmp_path: Path, *residents: str) -> Path:
    rows = [
        f"T-{n:03d},{_csv_cell(name)},1 High St,,,2025-12-15,phone,Repairs,Leak,1,Amara Okafor,2025-12-16,,,,,,"
        for n, name in enumerate(residents, 1)
    ]
    return write_csv(tmp_path / "tracker.csv", rows)


def _set(db: Path, sql: str, *params) -> None:
    """Write as an older version (or another program) could have: straight into the file."""
    con = sqlite3.connect(db)
    with con:
        con.execute(sql, params)
    con.close()


def _app(db: Path, login: str = "aokafor"):  # the tracker's "Amara Okafor"
    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import Settings

    return CaseworkerApp(
        Settings(database_url=f"sqlite:///{db}", config_path=Path("x")), clock=Clock.at(TODAY), login=login
    )


def _plain(widget) -> str:
    return str(widget.render())


# -- Done when: "[/]" typed into the inbox search and "[/" into a date field -------------------


async def test_typed_markup_in_the_search_and_a_date_field_is_shown_and_explained(db, tmp_path):
    from caseworker.screens.dialogs.actions import AcknowledgeDialog

    case_id = _case(db, respond=False).id
    app = _app(db, "alice")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"[/]")
        await pilot.pause(2 * SEARCH_DEBOUNCE)  # the search waits for typing to pause before it runs
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "[/]"
        assert "search “[/]”" in _plain(app.screen.query_one("#filter-text", Static))

        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AcknowledgeDialog)
        date_field = app.screen.query_one("#f-acknowledged", Input)
        date_field.focus()
        date_field.value = ""
        await pilot.press(*"[/")
        await settle(pilot)
        problem = _plain(app.screen.query_one("#form-problem", Static))
        assert "Acknowledged on: '[/' is not a date (write it as 2025-04-03, 3/4/2025" in problem
    assert app.return_code in (0, None)


# -- Done when: "Smith [/] Jones" imports, shows in the inbox and in `caseworker due` ----------


async def test_a_resident_called_smith_slash_jones_imports_shows_and_prints_literally(db, tmp_path):
    names = ["Smith [/] Jones", "J Smith [deceased]", "[@click=app.quit]Click me[/]"]
    assert main(["import", str(_tracker(tmp_path, *names)), "--create-officers"]) == 0
    app = _app(db)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        shown = {str(table.get_cell(key, "Resident")) for key in table.rows}
        assert shown == set(names)
        await pilot.click(DataTable)  # clicking a row with an "@click" name runs nothing
        await settle(pilot)
        assert app.is_running
    proc = _run("due")
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    for name in names:
        assert name in out


# -- Done when: `caseworker due` prints no ESC byte ---------------------------------------------


def test_due_prints_no_escape_byte_for_a_name_holding_escape_sequences(db, tmp_path):
    assert main(["import", str(_tracker(tmp_path, "Placeholder")), "--create-officers"]) == 0
    _set(db, "UPDATE resident SET name = ?", "Ann \x1b[2J\x1b]0;owned\x07 Lee \x9b31m \u202eevil")
    proc = _run("due")
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout and "\x9b".encode() not in proc.stdout
    assert "Ann ␛[2J␛]0;owned␇ Lee" in proc.stdout.decode()


# -- Done when: every export CSV has a BOM, a formula is neutralised; an export imports back ----


def test_export_csv_has_a_bom_and_neutralised_formulas_and_reads_back(db, tmp_path):
    assert main(["import", str(_tracker(tmp_path, HYPERLINK, "-1+2", "@SUM(A1)", "Siân £5")), "--create-officers"]) == 0
    out = tmp_path / "export"
    assert main(["export", "--format", "csv", "--out", str(out)]) == 0
    files = sorted(out.glob("*.csv"))
    assert files
    for path in files:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
    with (out / "resident.csv").open(encoding="utf-8-sig", newline="") as fh:
        names = [row["name"] for row in csv.DictReader(fh)]
    assert "'" + HYPERLINK in names and "'-1+2" in names and "'@SUM(A1)" in names and "Siân £5" in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)

    # A tracker written by the same writer (as a spreadsheet of the export would be) imports back
    # to the original text.
    again = tmp_path / "again.csv"
    with inert.csv_file(again) as writer:
        writer.writerow(HEADER.split(","))
        writer.writerow(
            [
                "U-001",
                HYPERLINK,
                "1 High St",
                "",
                "",
                "2025-12-15",
                "phone",
                "Repairs",
                "Leak",
                "1",
                "Amara Okafor",
                "2025-12-16",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    assert again.read_text(encoding="utf-8-sig").splitlines()[1].startswith("U-001,\"'=HYPERLINK(")
    assert main(["import", str(again), "--create-officers"]) == 0
    stored = (
        sqlite3.connect(db)
        .execute(
            "SELECT r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id WHERE c.reference = 'U-001'"
        )
        .fetchone()[0]
    )
    assert stored == HYPERLINK  # the same resident as the first import: the text came back exactly


# -- Done when: a Word letter for a definition holding U+001F ------------------------------------


def _case(db: Path, respond: bool = True):
    """A Stage 1 case logged by alice on Mon 1 Dec 2025 through the services; with ``respond``
    also acknowledged and responded to. Returns its CaseRef."""
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.rules.facts import Decision, Definition, Role
    from caseworker.rules.lifecycle import CaseType, NewCase
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{db}"
    store = Store(open_store(url), Settings(database_url=url, config_path=Path("x")), Clock.at(TODAY))
    try:
        sv.current_officer(store, "admin")
        sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
        from caseworker.identity import os_account

        if os_account() not in ("admin", "alice"):  # the command line acts as the OS account
            sv.add_officer(store, "admin", os_account(), "Owen Operator", Role.ADMINISTRATOR)
        res = sv.add_resident(store, "alice", "Mrs Jane Smith", address="12 Elm Road, Exampletown, EX2 2BB")
        ref = sv.log_case(
            store,
            "alice",
            res,
            NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould in the bedroom"),
        )
        if respond:
            ref = sv.acknowledge(
                store,
                "alice",
                ref.id,
                ref.version,
                date(2025, 12, 2),
                Definition("Mould in the bedroom", "Mould treated", "Repairs to the structure"),
            )
            ref = sv.respond(
                store,
                "alice",
                ref.id,
                ref.version,
                date(2025, 12, 9),
                Decision.NOT_UPHELD,
                "The survey found no damp.",
                no_remedy=True,
                no_actions=True,
            )
        return ref
    finally:
        store.engine.dispose()


def test_a_word_letter_renders_for_a_definition_holding_word_optional_hyphen(db, tmp_path):
    from docx import Document
    from test_letters import ORG_TOML

    reference = _case(db).reference
    _set(db, "UPDATE stage SET issues = ?", "Mould in the bed\x1froom (pasted from Word)\x0b")
    config = tmp_path / "config.toml"
    config.write_text(ORG_TOML, encoding="utf-8")  # a council's own details: letters may be issued
    os.environ["CASEWORKER_CONFIG"] = str(config)  # (isolated_home resets it after the test)
    out = tmp_path / "letters"
    proc = _run("letter", reference, "response", "--format", "docx", "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    (target,) = out.glob("*.docx")
    text = "\n".join(p.text for p in Document(target).paragraphs)
    assert "Mould in the bedroom (pasted from Word)" in text
    # Printed to the terminal the character shows as a mark instead.
    printed = _run("letter", reference, "response").stdout.decode()
    assert "bed␟room" in printed


def test_input_is_cleaned_at_the_services_and_the_import(db, tmp_path):
    reference = _case(db).reference
    stored = sqlite3.connect(db).execute("SELECT issues FROM stage").fetchone()[0]
    assert stored == "Mould in the bedroom"
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{db}"
    store = Store(open_store(url), Settings(database_url=url, config_path=Path("x")), Clock.at(TODAY))
    try:
        sv.add_resident(store, "alice", "Ann\x1f Lee\x00", address="1\x1b Road")
    finally:
        store.engine.dispose()
    names = {r[0]: r[1] for r in sqlite3.connect(db).execute("SELECT name, address FROM resident")}
    assert names["Ann Lee"] == "1 Road"
    assert reference

    write_csv(tmp_path / "t.csv", ["T-009,Bob\x1f Roe,1 High St,,,2025-12-15,phone,Repairs,Leak,1,Amara Okafor,,,,,,,"])
    proc = _run("import", str(tmp_path / "t.csv"), "--create-officers")
    assert proc.returncode == 0, proc.stderr
    assert b"line 2: Resident: invisible control characters removed" in proc.stderr
    assert "Bob Roe" in {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM resident")}


# -- Markdown and HTML reports ------------------------------------------------------------------


def test_the_markdown_report_escapes_html_and_markdown_from_a_category(db, tmp_path):
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> *bold* | [link](x)"
    rows = [f"T-001,Ann Lee,1 High St,,,2025-12-15,phone,Repairs,{_csv_cell(hostile)},1,Amara Okafor,2025-12-16,,,,,,"]
    assert main(["import", str(write_csv(tmp_path / "t.csv", rows)), "--create-officers"]) == 0
    proc = _run("report", "--year", "2025")
    md = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and r"\*bold\* \| \[link\](x)" in md
    out = tmp_path / "reports"
    assert main(["report", "--year", "2025", "--format", "html,csv", "--out", str(out)]) == 0
    page = (out / "complaints-report-2025-26.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert (out / "complaints-report-2025-26.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# -- Deliver 3: a form removes what a letter cannot hold, and says which field -------------------


async def test_a_form_removes_control_characters_and_names_the_field(db):
    from textual.widgets import TextArea

    from caseworker.screens.dialogs.actions import AcknowledgeDialog

    case_id = _case(db, respond=False).id
    app = _app(db, "alice")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AcknowledgeDialog)
        # Pasted from a Word document: an optional hyphen (U+001F) and a vertical tab.
        app.screen.query_one("#f-issues", TextArea).load_text("Mould in the bed\x1froom\x0b")
        app.screen.query_one("#f-outcomes", TextArea).load_text("Treat the mould")
        app.screen.query_one("#f-responsible", TextArea).load_text("Repairs")
        await settle(pilot)
        info = _plain(app.screen.query_one("#form-info", Static))
        assert (
            "Removed invisible control characters (they cannot appear in a letter) from: Issues to investigate." in info
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, AcknowledgeDialog)
    stored = sqlite3.connect(db).execute("SELECT issues FROM stage").fetchone()[0]
    assert stored == "Mould in the bedroom"


# -- Deliver 6 in the app: a save while another program holds the database ----------------------


async def test_a_save_while_the_database_is_locked_says_so_and_keeps_the_form(db):
    from textual.widgets import TextArea

    from caseworker.screens.dialogs.actions import AcknowledgeDialog

    case_id = _case(db, respond=False).id
    app = _app(db, "alice")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        for name, text in (("issues", "Mould"), ("outcomes", "Treat it"), ("responsible", "Repairs")):
            app.screen.query_one(f"#f-{name}", TextArea).load_text(text)
        await settle(pilot)
        holder = sqlite3.connect(db, timeout=0)
        holder.execute("BEGIN IMMEDIATE")  # another program is writing, and keeps its transaction open
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
        finally:
            holder.rollback()
            holder.close()
        assert isinstance(app.screen, AcknowledgeDialog)  # still open, everything typed kept
        problem = _plain(app.screen.query_one("#form-problem", Static))
        assert "the database is busy" in problem.lower() and "nothing was saved" in problem
        assert "Traceback" not in problem and "INSERT" not in problem and "UPDATE" not in problem
        await pilot.press("ctrl+s")  # and once the other program is done, the same form saves
        await settle(pilot)
        assert not isinstance(app.screen, AcknowledgeDialog)
    assert sqlite3.connect(db).execute("SELECT issues FROM stage").fetchone()[0] == "Mould"

"""Issue 10, deliver 7: generated hostile strings (markup brackets, ``[@click=...]``, escape
sequences, C0/C1 controls, bidi overrides, formula prefixes, HTML, Jinja syntax, long and
multi-line text) written into every text column a case shows, then pushed through every place
stored text leaves the store: each screen (Pilot), ``caseworker due``, every letter kind in
every format, every report format, and the CSV and JSON export.

The text goes straight into the SQLite file (as an older version or another program could
have stored it: the services would clean some of it on the way in), so what is tested is the
output boundaries. Each assertion: shown literally (as ``inert.visible`` marks it), nothing
crashes, no control byte reaches the terminal, the .docx opens, CSV cells are neutralised.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from helpers import settle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_inert import NASTY
from test_letters import World

from caseworker import inert

#: Characters a terminal would act on (C0 but newline and tab, DEL, C1, bidi controls).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_PARTS = [
    "[/]",
    "[b]",
    "[@click=app.quit]",
    "\x1b[2J",
    "\x1b]0;t\x07",
    "\x9b",
    "\u202e",
    "\x1f",
    "\x00",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r\n",
    "\n",
    "<script>",
    "<img src=x onerror=alert(1)>",
    "{{ x }}",
    "{% if %}",
    "*",
    "_",
    "|",
    "#",
    "Siân",
    "£",
    "O'Brien",
    " ",
]

#: Hostile text: a fixed nasty string, or pieces of them joined, or anything (no NULs in names
#: SQLite text can hold them, but keep most examples readable).
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(_PARTS), min_size=1, max_size=8).map("".join),
    st.text(min_size=1, max_size=30),
).filter(lambda s: s.strip() != "")


def _visible_line(value: str) -> str:
    return inert.visible(value, multiline=False)


# -- one database for the module: the letters' world (a case at every point of the lifecycle) ----


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("hostile"))
    yield w
    w.engine.dispose()


#: (table, column) pairs every case screen, letter, report and export shows.
COLUMNS = [
    ("resident", "name"),
    ("resident", "address"),
    ("complaint_case", "category"),
    ("complaint_case", "summary"),
    ("stage", "issues"),
    ("stage", "outcomes"),
    ("stage", "reasons"),
    ("remedy", "description"),
    ("action", "description"),
    ("officer", "name"),
]


def _store_hostile(world: World, value: str) -> None:
    """Write ``value`` into every column in COLUMNS (the officers' names get a suffix to stay apart)."""
    path = Path(world.url.removeprefix("sqlite:///"))
    con = sqlite3.connect(path)
    with con:
        for table, column in COLUMNS:
            if (table, column) == ("officer", "name"):
                con.execute("UPDATE officer SET name = ? || ' ' || login", (value,))
            else:
                con.execute(f"UPDATE {table} SET {column} = ?", (value,))  # noqa: S608 - our own names
    con.close()


def _assert_no_control(text: str, where: str) -> None:
    found = CONTROL.search(text)
    assert found is None, f"{where}: control character {found.group()!r} at {found.start()}"


# -- the command line, letters, reports and exports: many examples ------------------------------


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
def test_due_letters_reports_and_exports_keep_hostile_text_inert(world, tmp_path, monkeypatch, value):
    from docx import Document

    from caseworker import letters
    from caseworker.cli import main
    from caseworker.reporting import annual_report, to_csv, to_html, to_markdown
    from caseworker.reporting.period import Period
    from caseworker.store.export import export_csv, export_json

    _store_hostile(world, value)
    shown = _visible_line(value)

    # caseworker due (the real CLI entry point), standard output captured as a pipe would.
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", world.url)
    monkeypatch.setenv("CASEWORKER_TODAY", world.today.isoformat())
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["due"])
    assert status == 0, err.getvalue()
    _assert_no_control(out.getvalue(), "caseworker due")
    assert shown in out.getvalue()

    # Every letter kind, in every format, for cases at every point of the lifecycle.
    for name in ("a", "b", "d", "h"):  # Stage 1 and 2 responses, not accepted, a representative
        detail = world.detail(name)
        for kind in letters.KINDS:
            letter = letters.render(kind, detail, world.settings, world.today)
            _assert_no_control(inert.terminal(letters.to_text(letter)), f"{kind} as text")
            page = letters.to_html(letter)
            _assert_no_control(page, f"{kind} as HTML")
            if "<" in value:
                assert value not in page
            path = letters.to_docx(letter, tmp_path / f"{name}-{kind}.docx")
            paragraphs = "\n".join(p.text for p in Document(path).paragraphs)  # it opens
            assert detail.header.reference in paragraphs

    # Every report format.
    report = annual_report(world.at(world.today), Period.financial_year(2025))
    md = to_markdown(report)
    _assert_no_control(md, "Markdown report")
    assert not re.search(r"<(?!br>)", md)  # no HTML of the record's making
    for row in csv.reader(io.StringIO(to_csv(report))):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    page = to_html(report)
    _assert_no_control(page, "HTML report")
    if "<" in value:
        assert value not in page

    # The CSV export: a BOM, every cell neutralised, and the stored text back exactly.
    folder = tmp_path / "export"
    export_csv(world.engine, folder)
    with (folder / "resident.csv").open(encoding="utf-8-sig", newline="") as fh:
        residents = list(csv.DictReader(fh))
    assert (folder / "resident.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for row in residents:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
        assert inert.csv_uncell(row["name"]) == value.replace("\r\n", "\n") or inert.csv_uncell(row["name"]) == value
    # The JSON export: the exact stored text, as JSON (never raw control bytes).
    buffer = io.StringIO()
    export_json(world.engine, buffer)
    assert {r["name"] for r in json.loads(buffer.getvalue())["resident"]} == {value}


# -- every screen through Pilot: few examples (each starts the app) -----------------------------


async def _screens_show(world: World, value: str) -> None:
    from textual.widgets import DataTable, Static

    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.screens.case import CaseScreen

    shown = _visible_line(value)
    app = CaseworkerApp(world.settings, clock=Clock.at(world.today), login="alice")

    def screen_text() -> str:
        svg = app.export_screenshot()
        _assert_no_control(svg, type(app.screen).__name__)
        return svg

    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert {str(table.get_cell(k, "Resident")) for k in table.rows} == {shown}
        screen_text()
        await pilot.press("slash", *"[/]")  # typed markup in the search
        await settle(pilot)
        screen_text()
        await pilot.press("escape")
        for key in ("f3", "f4", "f5", "f6", "f7", "f2"):
            await pilot.press(key)
            await settle(pilot)
            screen_text()
            await pilot.press("f1")  # the help of every screen
            await settle(pilot)
            screen_text()
            await pilot.press("escape")
        app.open_case(world.cases["a"])
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert inert.visible(value) in str(app.screen.query_one("#head", Static).render())
        for tab in ("definition", "timeline", "resident", "remedies", "actions", "letters"):
            app.screen.query_one("TabbedContent").active = tab
            await settle(pilot)
            assert app.screen.query_one(f"#body-{tab}", Static).render() is not None
            screen_text()
        app.notify(value, title=value)  # a notification quoting stored text
        await pilot.press("ctrl+p", *"Mrs")  # the palette searches residents
        await settle(pilot)
        screen_text()
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
    assert app.return_code in (0, None)


async def test_every_screen_shows_the_fixed_nasty_strings_literally(world):
    for value in (
        "Smith [/] Jones [@click=app.quit]Click me[/] \x1b[2J\x1b]0;t\x07 \u202eevil \x9b31m \x1f",
        '=HYPERLINK("http://example.invalid","x") <script>x</script> {{ settings }} [b]\n'
        "line two\r\n\tthree " + "x" * 300,
    ):
        _store_hostile(world, value)
        await _screens_show(world, value)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
async def test_every_screen_shows_generated_hostile_text_literally(world, value):
    _store_hostile(world, value)
    await _screens_show(world, value)


_ = date  # dates come from the world

""".xlsx trackers read with calamine (python-calamine): the sheet Excel opens on, rows and
columns where Excel shows them, cells as the checks expect them, and error cells (#N/A) named
as before (such a workbook is read with openpyxl, which gives them as text).

Today is Fri 19 Dec 2025.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
import python_calamine
from openpyxl import Workbook

from caseworker.store.tracker_import import check_tracker
from caseworker.store.tracker_import import reading as reading_module
from caseworker.store.tracker_import.reading import open_sheet

TODAY = date(2025, 12, 19)


def _book(path: Path, cells: dict[str, object], *, before: str | None = "Notes", title: str = "Complaints") -> Path:
    """A workbook whose tracker sheet (the one Excel opens on) holds ``cells`` (A1-style keys);
    ``before`` names a sheet ahead of it, so the tracker is not the first sheet."""
    book = Workbook()
    first = book.active
    if before:
        first.title = before
        first["A1"] = "not the tracker"
        sheet = book.create_sheet(title)
        book.active = 1
    else:
        sheet = first
        sheet.title = title
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def test_the_sheet_excel_opens_on_is_read_with_rows_and_columns_where_excel_shows_them(tmp_path):
    # The table starts in B3 under a title in B1: lines and columns are Excel's own.
    book = _book(
        tmp_path / "t.xlsx",
        {
            "B1": "Complaints log 2025",
            "B3": "Ref",
            "C3": "Customer Name",
            "D3": "Date Received",
            "E3": "Contact No",
            "F3": "Logged at",
            "B4": "C-001",
            "C4": "Ada Okafor",
            "D4": datetime(2025, 4, 3),
            "E4": 7700900123,
            "F4": datetime(2025, 4, 3, 10, 30),
            "B6": "C-002",
            "C6": "Ben Morris",
            "D6": 45750,
            "E6": 0.5,
            "F6": time(9, 15),
        },
    )
    with open_sheet(book) as sheet:
        assert (
            sheet.kind == "Excel workbook, sheet 'Complaints' (only this sheet is read; the workbook also has 'Notes')"
        )
        assert sheet.header == ["", "Ref", "Customer Name", "Date Received", "Contact No", "Logged at"]
        rows = list(sheet.rows)
    assert rows == [
        (4, ["", "C-001", "Ada Okafor", "2025-04-03", "7700900123", "2025-04-03 10:30:00"]),
        (5, ["", "", "", "", "", ""]),
        (6, ["", "C-002", "Ben Morris", "45750", "0.5", "09:15:00"]),
    ]


def test_rows_and_problems_name_excel_lines_and_columns(tmp_path):
    book = _book(
        tmp_path / "t.xlsx",
        {
            "B3": "Ref",
            "C3": "Resident",
            "D3": "Received",
            "B4": "C-001",
            "C4": "Ada Okafor",
            "D4": datetime(2025, 4, 3),
            "B5": "C-002",
            "D5": "31/02/2025",
            "B6": "C-003",
            "C6": "Cy Jones",
            "D6": datetime(2026, 1, 5),
        },
    )
    with check_tracker(book, TODAY) as check:
        problems = [(p.line, p.field, p.message) for p in check.problems]
        good = list(check.rows())
    assert [(r.line, r.reference, r.resident, r.received) for r in good] == [
        (4, "C-001", "Ada Okafor", date(2025, 4, 3))
    ]
    assert problems == [
        (5, "received", "31/02/2025 is not a real date: February 2025 has 28 days"),
        (5, "resident", "missing: every case needs the resident's name"),
        (6, "received", "2026-01-05 is in the future (today is 19/12/2025)"),
    ]


def test_an_error_cell_is_named_as_the_text_excel_shows(tmp_path):
    # calamine reads #N/A as a blank cell; the checks name it as before (read through openpyxl).
    book = _book(
        tmp_path / "t.xlsx",
        {"A1": "Ref", "B1": "Resident", "C1": "Received", "A2": "C-001", "B2": "Ada Okafor", "C2": "#N/A"},
        before=None,
    )
    with check_tracker(book, TODAY) as check:
        problems = [(p.line, p.field, p.message) for p in check.problems]
    assert problems == [
        (
            2,
            "received",
            "'#N/A' is not a date (write it as 2025-04-03, 3/4/2025, 03/04/25, 3-Apr-25 or 3 April 2025, "
            "with or without a time)",
        )
    ]


@pytest.mark.parametrize("error_cells", [False, True])
def test_both_readers_give_the_same_rows(tmp_path, monkeypatch, error_cells):
    cells: dict[str, object] = {"A1": "Ref", "B1": "Resident", "C1": "Received", "D1": "Phone", "E1": "Stage"}
    for i in range(2, 40):
        cells.update({f"A{i}": f"R-{i}", f"B{i}": f"Resident {i}", f"C{i}": datetime(2025, 1, i % 28 + 1)})
        cells.update({f"D{i}": 1632960000 + i, f"E{i}": 1 if i % 2 else "2"})
    book = _book(tmp_path / "t.xlsx", cells, before=None)
    with open_sheet(book) as sheet:
        by_calamine = (sheet.header, list(sheet.rows))
    monkeypatch.setattr(reading_module, "_has_error_cells", lambda *_: error_cells)
    with open_sheet(book) as sheet:
        other = (sheet.header, list(sheet.rows))
    assert other == by_calamine
    assert by_calamine[1][0] == (2, ["R-2", "Resident 2", "2025-01-03", "1632960002", "2"])


def test_an_empty_sheet_is_refused_naming_it(tmp_path):
    book = Workbook()
    book.active.title = "Blank"
    path = tmp_path / "blank.xlsx"
    book.save(path)
    with check_tracker(path, TODAY) as check:
        assert [str(p) for p in check.problems] == [
            "blank.xlsx: the sheet 'Blank' is empty: its first row must name the columns"
        ]


@pytest.mark.parametrize("streamed", [False, True])
def test_an_empty_sheet_opened_on_names_the_sheets_with_data_and_how_to_choose(tmp_path, monkeypatch, capsys, streamed):
    from caseworker.cli import main

    book = Workbook()
    book.active.title = "Notes"
    cases = book.create_sheet("Complaints")
    cases.append(["Reference", "Resident", "Received"])
    cases.append(["X-1", "Ann Lee", "2025-01-03"])
    book.active = 0  # saved while the empty sheet was shown
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    monkeypatch.setattr(reading_module, "_has_error_cells", lambda *_: streamed)  # both readers
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{tmp_path / 'cw.db'}")
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    # the file named once, then the sheet read, the sheet with data, and what to do
    assert err[0] == (
        "tracker.xlsx: the sheet 'Notes' is empty: its first row must name the columns. The workbook also "
        "has 'Complaints': the sheet read is the one the workbook was saved on, so open it in Excel, click "
        "the tab of the sheet with the cases, save, and import it again"
    )
    assert err[1] == "caseworker: nothing was imported: 1 problem(s) in the file; correct the file and import it again"


def test_a_sheet_too_large_to_hold_in_memory_is_streamed_and_read_the_same(tmp_path, monkeypatch):
    # Past the size calamine may hold in memory, openpyxl streams the sheet; calamine is not used.
    cells = {"A1": "Ref", "B1": "Resident", "C1": "Received", "A2": "C-001", "B2": "Ada Okafor"}
    cells.update({"C2": datetime(2025, 4, 3), "A3": "C-002", "B3": "Ben Morris", "C3": 45751})
    book = _book(tmp_path / "t.xlsx", cells, before=None)
    monkeypatch.setattr(reading_module, "CALAMINE_MAX_SHEET_XML", 100)
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", None)
    with open_sheet(book) as sheet:
        assert list(sheet.rows) == [(2, ["C-001", "Ada Okafor", "2025-04-03"]), (3, ["C-002", "Ben Morris", "45751"])]

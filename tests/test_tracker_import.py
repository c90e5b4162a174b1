"""Bringing in a council's own tracker: .xlsx and CSV in the encodings Excel writes, dates as
people type them, column mapping that says what it does, dry runs and undoing an import.

Today is Fri 19 Dec 2025 (CASEWORKER_TODAY). Due dates are worked out by hand from the
Code (hoc-2024: acknowledge within 5 working days, respond within 10 after acknowledging).
"""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import caseworker_env, cli_database, sqlite_rows
from openpyxl import Workbook

from caseworker.cli import main
from caseworker.store.tracker_import import check_tracker, parse_date, parse_map
from caseworker.store.tracker_import import reading as reading_module
from caseworker.store.tracker_import.mapping import (
    FIELDS,
    column_key,
    field_table,
    map_columns,
)
from caseworker.store.tracker_import.reading import open_sheet

TODAY = date(2025, 12, 19)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    return cli_database(tmp_path / "caseworker.db", monkeypatch, TODAY)


def write_xlsx(path: Path, header: list, data: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Complaints 2025"
    sheet.append(header)
    for r in data:
        sheet.append(r)
    book.save(path)
    return path


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-04-03", date(2025, 4, 3)),
        ("3/4/2025", date(2025, 4, 3)),
        ("03/04/25", date(2025, 4, 3)),
        ("30/3/26", date(2026, 3, 30)),
        ("03/04/2025 00:00", date(2025, 4, 3)),
        ("03/04/2025 14:35:10", date(2025, 4, 3)),
        ("2025-04-03T09:30:00", date(2025, 4, 3)),
        ("3-Apr-25", date(2025, 4, 3)),
        ("3 April 2025", date(2025, 4, 3)),
        ("03.04.2025", date(2025, 4, 3)),
        ("45750", date(2025, 4, 3)),  # Excel's serial number for 3 April 2025
    ],
)
def test_dates_as_people_and_excel_write_them_are_read_day_first(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/2026", "31/02/2026 is not a real date: February 2026 has 28 days"),
        ("29/02/2025", "29/02/2025 is not a real date: February 2025 has 28 days"),
        ("04/13/2025", "04/13/2025 is not a real date: there is no month 13; it looks month first"),
        ("31-Foo-25", "'31-Foo-25' is not a date: 'Foo' is not a month"),
        ("soon", "'soon' is not a date"),
    ],
)
def test_impossible_dates_are_refused_in_plain_words(raw, message):
    with pytest.raises(ValueError) as caught:
        parse_date(raw)
    assert str(caught.value).startswith(message)


def test_a_column_mixing_month_first_and_ambiguous_dates_is_refused(tmp_path):
    csv = tmp_path / "us.csv"
    csv.write_text("Name,Date Received\nAda,03/04/2025\nBen,04/13/2025\n", encoding="utf-8")
    with check_tracker(csv, TODAY) as check:
        found = [(p.line, p.field, p.message) for p in check.problems]
    assert (3, "received", found[0][2]) == found[0] and "month first" in found[0][2]
    assert found[1][:2] == (2, "received")
    assert found[1][2].startswith("03/04/2025 could be 3 April or 4 March: this column also has month-first dates")


# -- mapping -----------------------------------------------------------------------------------


def test_the_headers_councils_use_map_to_fields():
    assert [
        column_key(h)
        for h in (
            "Ref",
            "Customer Name",
            "Date Received",
            "Date Acknowledged",
            "Stage 1 Response Date",
            "Type",
            "Contact No",
            "Extension (working days)",
            "Extended due date",
            "E-mail",
            "S2 Response Date",
        )
    ] == [
        "reference",
        "resident",
        "received",
        "acknowledged",
        "stage 1 response",
        "case type",
        "phone",
        "extension",
        "extended due date",
        "email",
        "stage 2 response",
    ]
    assert column_key("Notes 2") == "notes 2"  # not a field


def test_map_overrides_and_refuses_unknown_fields():
    mapping = map_columns(["Name", "Logged", "Notes 2", "Tel"], parse_map(["Notes 2=description", "Logged=ignore"]))
    assert mapping.index == {"resident": 0, "description": 2, "phone": 3}
    assert mapping.ignored == ["Logged"]
    with pytest.raises(ValueError, match="'colour' is not a field"):
        parse_map(["Notes=colour"])
    with pytest.raises(ValueError, match="is not Header=field"):
        parse_map(["Notes"])


def test_the_readme_documents_every_field_and_alias():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert field_table() in readme
    assert all(f"| `{f.name}` |" in readme for f in FIELDS)


# -- the Done-when tracker: .xlsx ---------------------------------------------------------------


def test_an_xlsx_tracker_imports_every_column_and_the_mp_row_as_an_mp_enquiry(db, tmp_path, capsys):
    book = write_xlsx(
        tmp_path / "tracker.xlsx",
        ["Ref", "Customer Name", "Date Received", "Date Acknowledged", "Stage 1 Response Date", "Type", "Contact No"],
        [
            [
                "C-001",
                "Ada Okafor",
                datetime(2025, 4, 3),
                datetime(2025, 4, 7),
                datetime(2025, 4, 17),
                "Complaint",
                "01632 960001",
            ],
            ["C-002", "Ben Morris", "03/04/2025 00:00", "3-Apr-25", None, "MP Enquiry", 7700900123],
            ["C-003", "Cy Jones", 45750, None, None, "Cllr enquiry", "0161 496 0000"],
        ],
    )
    assert main(["import", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Excel workbook, sheet 'Complaints 2025'" in out
    for header, target in (
        ("Ref", "reference"),
        ("Customer Name", "resident"),
        ("Date Received", "received"),
        ("Date Acknowledged", "acknowledged"),
        ("Stage 1 Response Date", "stage 1 response"),
        ("Type", "case type"),
        ("Contact No", "phone"),
    ):
        assert any(
            line.split() and line.strip().startswith(header) and line.rstrip().endswith(f"-> {target}")
            for line in out.splitlines()
        ), (header, out)
    assert "IGNORED" not in out and "will not be imported" not in out
    stored = sqlite_rows(
        db,
        "SELECT c.reference, c.case_type, c.status, s.acknowledged, s.responded, r.phone "
        "FROM complaint_case c JOIN stage s ON s.case_id = c.id JOIN resident r ON r.id = c.resident_id "
        "ORDER BY c.reference",
    )
    assert stored == [
        ("C-001", "complaint", "responded", "2025-04-07", "2025-04-17", "01632 960001"),
        ("C-002", "mp-enquiry", "open", "2025-04-03", None, "7700900123"),
        ("C-003", "councillor-enquiry", "awaiting-acknowledgement", None, None, "0161 496 0000"),
    ]
    # C-002 acknowledged Thu 3 Apr 2025: response due 10 working days later, Thu 17 Apr (Good Friday is the 18th).
    assert sqlite_rows(db, "SELECT next_due FROM complaint_case WHERE reference = 'C-002'") == [("2025-04-17",)]


def test_an_unknown_column_is_listed_as_ignored_before_anything_is_stored(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(
        "Ref,Name,Date Received,Notes 2\nX-1,Dee Ray,01/12/2025,rang twice\nX-2,Eli,31/02/2025,\n", encoding="utf-8"
    )
    assert main(["import", str(csv)]) == 1
    captured = capsys.readouterr()
    assert "Notes 2" in captured.out and "IGNORED" in captured.out
    assert "t.csv: 1 column(s) will not be imported: Notes 2" in captured.out
    assert "line 3: received: 31/02/2025 is not a real date: February 2025 has 28 days" in captured.err
    assert not db.exists() or sqlite_rows(db, "SELECT count(*) FROM complaint_case") == [(0,)]

    csv.write_text("Ref,Name,Date Received,Notes 2\nX-1,Dee Ray,01/12/2025,rang twice\n", encoding="utf-8")
    assert main(["import", str(csv), "--map", "Notes 2=description"]) == 0
    out = capsys.readouterr().out
    assert "Notes 2" in out and "-> description (mapped)" in out
    assert sqlite_rows(db, "SELECT summary FROM complaint_case") == [("rang twice",)]


def test_a_saved_mapping_file_maps_the_same_way_next_time(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text("Complainant,Logged On,Said\nDee Ray,01/12/2025,mould in the bathroom\n", encoding="utf-8")
    saved = tmp_path / "council.map"
    assert (
        main(
            [
                "import",
                str(csv),
                "--dry-run",
                "--map",
                "Logged On=received",
                "--map",
                "Said=description",
                "--save-mapping",
                str(saved),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert "Logged On = received" in saved.read_text(encoding="utf-8")
    assert main(["import", str(csv), "--mapping", str(saved)]) == 0
    assert sqlite_rows(db, "SELECT summary, received FROM complaint_case") == [("mould in the bathroom", "2025-12-01")]


# -- encodings and files that are not trackers -----------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252", "utf-8"])
def test_csv_in_the_encodings_excel_writes(db, tmp_path, capsys, encoding):
    csv = tmp_path / "t.csv"
    sep = "\t" if encoding == "utf-16" else ","  # Excel's "Unicode text" is tab separated
    csv.write_text(
        sep.join(["Name", "Date Received", "Address"])
        + "\r\n"
        + sep.join(["Siân Llŷr" if encoding != "cp1252" else "Siân Lloyd", "01/12/2025", "£5 Lane"])
        + "\r\n",
        encoding=encoding,
    )
    assert main(["import", str(csv)]) == 0
    out = capsys.readouterr().out
    label = {"utf-16": "UTF-16", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-8": "UTF-8"}[encoding]
    assert f"CSV, {label}" in out
    name = "Siân Llŷr" if encoding != "cp1252" else "Siân Lloyd"
    assert sqlite_rows(db, "SELECT name, address FROM resident") == [(name, "£5 Lane")]


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003 workbook (.xls)"),
        # an .xlsx saved with a password: a compound file whose directory (here past the first
        # 8 KiB, as in Excel's files) names the EncryptedPackage stream ([MS-OFFCRYPTO] 2.3.4.4)
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + bytes(20_000)
            + "EncryptionInfo".encode("utf-16-le")
            + bytes(50)
            + "EncryptedPackage".encode("utf-16-le")
            + bytes(100),
            "is protected with a password (an encrypted Excel workbook), which caseworker cannot open: "
            "open it in Excel, remove the password",
        ),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "a PDF document"),
        (bytes(range(256)) * 8, "not a text or Excel file"),
        ("Name,Date Received\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"", "is empty"),
        (b"PK\x03\x04not really a zip", "cannot be opened"),
    ],
)
def test_files_that_are_not_trackers_are_refused_naming_the_cause(db, tmp_path, capsys, content, cause):
    path = tmp_path / "tracker.csv"
    path.write_bytes(content)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert cause in err and "Traceback" not in err
    assert not db.exists() or sqlite_rows(db, "SELECT count(*) FROM complaint_case") == [(0,)]


@pytest.mark.parametrize("chunk", [1 << 20, 7])  # lines counted across the chunks read too
def test_text_neither_utf8_nor_windows_1252_is_refused_naming_the_byte(tmp_path, monkeypatch, chunk):
    # 0xE9 (é in Windows-1252) makes it not UTF-8; 0x81 is a byte Windows-1252 leaves undefined.
    content = b"Name,Received\nAd\xe9le Okafor,03/04/2025\nBen\x81,03/04/2025\n"
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    undefined = content.index(b"\x81")  # byte 41
    monkeypatch.setattr(reading_module, "_CHUNK", chunk)
    with check_tracker(path, TODAY) as check:
        assert [str(p) for p in check.problems] == [
            f"odd.csv is neither UTF-8 nor Windows-1252 text (line 3, byte {undefined}, cannot be read in "
            "either): save it from Excel as 'CSV UTF-8'"
        ]
    path.write_bytes(content.replace(b"\x81", b""))
    with open_sheet(path) as sheet:
        assert sheet.kind == "CSV, Windows-1252, comma separated"
        assert [cells[0] for _line, cells in sheet.rows] == ["Adéle Okafor", "Ben"]


# -- dry run, extensions, undo ---------------------------------------------------------------------


TRACKER = (
    "Reference,Type,Resident,Received,Stage 1 Officer,Acknowledged,Stage 1 Response,Extension (working days),"
    "Extended due date,Extension reason\n"
    "A-1,Complaint,Ada Okafor,2025-11-03,Amara Okafor,2025-11-05,2025-11-28,5,,surveyor visit\n"
    "A-2,MP enquiry,Ben Morris,2025-11-03,Amara Okafor,2025-11-05,,,2025-11-26,\n"
    "A-3,Councillor,Cy Jones,2025-12-15,Chirag Patel,,,,,\n"
)


def test_a_dry_run_stores_nothing_and_says_what_it_would_store(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run: nothing was stored. The import would store 3 cases (3 new residents; new officers: " in out
    assert "by type: 1 complaint, 1 councillor enquiry, 1 MP enquiry" in out
    assert "by stage: 3 at Stage 1" in out and "by status: 1 to acknowledge, 1 investigating, 1 responded" in out
    assert not db.exists()  # no database yet: the rehearsal created none
    assert main(["import", str(csv), "--create-officers"]) == 0
    capsys.readouterr()
    before = sqlite_rows(
        db,
        "SELECT (SELECT count(*) FROM complaint_case), (SELECT count(*) FROM officer), "
        "(SELECT count(*) FROM import_batch), (SELECT count(*) FROM audit_event)",
    )
    csv.write_text(TRACKER.replace("A-", "B-"), encoding="utf-8")
    assert main(["import", str(csv), "--dry-run"]) == 0
    assert "would store 3 cases (0 new residents)" in capsys.readouterr().out  # the same people, matched
    assert (
        sqlite_rows(
            db,
            "SELECT (SELECT count(*) FROM complaint_case), (SELECT count(*) FROM officer), "
            "(SELECT count(*) FROM import_batch), (SELECT count(*) FROM audit_event)",
        )
        == before
    )


def test_a_small_import_gives_no_rate_and_a_file_of_headers_only_no_row_count(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER.splitlines()[0] + "\n", encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 1
    err = capsys.readouterr().err
    assert "t.csv: line 2: the file has a header but no rows" in err
    # not "1 problem(s) in 1 of 0 row(s)"
    assert "nothing was imported: 1 problem(s) in the file; correct the file" in err
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 0
    imported = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Imported 3 cases"))
    assert "rows/s" not in imported  # three rows in well under a second: a rate would be noise
    assert imported.endswith(" s.")


def test_extensions_in_working_days_or_as_a_new_date_move_the_due_date(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 0
    capsys.readouterr()
    # A-1 acknowledged Wed 5 Nov: due Wed 19 Nov; +5 working days = Wed 26 Nov; answered 28 Nov (late).
    # A-2 the same, extended to Wed 26 Nov: 5 working days after 19 Nov.
    got = sqlite_rows(
        db,
        "SELECT c.reference, s.response_due, e.working_days, e.reason, e.beyond_cap, e.resident_told "
        "FROM complaint_case c JOIN stage s ON s.case_id = c.id JOIN extension e ON e.stage_id = s.id "
        "ORDER BY c.reference",
    )
    assert got == [
        ("A-1", "2025-11-26", 5, "surveyor visit", 0, "2025-11-19"),
        ("A-2", "2025-11-26", 5, "(not recorded in the tracker)", 0, "2025-11-19"),
    ]
    assert sqlite_rows(db, "SELECT next_due FROM complaint_case WHERE reference = 'A-2'") == [("2025-11-26",)]


def test_an_extension_not_said_to_be_told_is_never_recorded_told_on_a_day_to_come(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(
        TRACKER.splitlines()[0] + "\n" + "A-4,Complaint,Di Evans,2025-12-15,Amara Okafor,2025-12-16,,5,,parts\n",
        encoding="utf-8",
    )
    assert main(["import", str(csv), "--create-officers"]) == 0
    capsys.readouterr()
    # Acknowledged Tue 16 Dec 2025: the response was due 10 working days later, Fri 2 Jan 2026 (17,
    # 18, 19, 22, 23, 24, 29, 30, 31 Dec, 2 Jan: 25 and 26 Dec and 1 Jan are bank holidays); +5
    # working days: Fri 9 Jan. The tracker does not say when the resident was told: not the
    # original due date (2 Jan, still to come on Fri 19 Dec 2025), but the day of the import.
    assert sqlite_rows(
        db,
        "SELECT s.response_due, e.working_days, e.resident_told FROM stage s JOIN extension e ON e.stage_id = s.id",
    ) == [("2026-01-09", 5, TODAY.isoformat())]


def test_the_first_command_after_a_first_import_says_nothing_about_due_dates_that_did_not_move(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 0
    capsys.readouterr()
    assert main(["due"]) == 0
    # the stored dates were checked against the inputs, recorded for the first time: none moved
    assert "due dates recomputed" not in capsys.readouterr().err
    assert sqlite_rows(db, "SELECT count(*) FROM setting WHERE key = 'due_inputs'") == [(1,)]


def test_an_import_is_undone_and_refused_once_a_case_was_worked(db, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 0
    assert "batch 1" in capsys.readouterr().out
    other = tmp_path / "u.csv"
    other.write_text(
        "Reference,Resident,Received,Stage 1 Officer\nB-1,Dee Ray,2025-12-01,Amara Okafor\n", encoding="utf-8"
    )
    assert main(["import", str(other), "--create-officers"]) == 0
    capsys.readouterr()

    con = sqlite3.connect(db)
    con.execute("UPDATE complaint_case SET version = 2 WHERE reference = 'B-1'")  # as a service's change does
    con.commit()
    con.close()
    assert main(["import", "--undo", "2"]) == 1
    err = capsys.readouterr().err
    assert "cannot be undone" in err and "B-1" in err

    assert main(["import", "--undo", "1"]) == 0
    out = capsys.readouterr().out
    assert "removed 3 cases, 3 residents and 1 officers" in out  # Chirag; Amara is used by batch 2
    assert sqlite_rows(db, "SELECT reference FROM complaint_case") == [("B-1",)]
    assert sqlite_rows(db, "SELECT count(*) FROM stage") == [(1,)] and sqlite_rows(
        db, "SELECT count(*) FROM extension"
    ) == [(0,)]
    logins = {login for (login,) in sqlite_rows(db, "SELECT login FROM officer")}
    assert "aokafor" in logins and "cpatel" not in logins and len(logins) == 2  # and the importer, administrator
    assert sqlite_rows(db, "SELECT action FROM audit_event ORDER BY id DESC LIMIT 1") == [("import undone",)]
    assert main(["import", "--undo", "1"]) == 1
    assert "already undone" in capsys.readouterr().err


def test_the_first_import_on_a_new_database_may_name_the_importer_as_the_officer(db, tmp_path, capsys):
    """The first person to use a new database becomes its administrator: a tracker whose officer
    column names them is theirs to import, with no --create-officers (and no second officer)."""
    from caseworker.store.services import system_login

    me = system_login()
    csv = tmp_path / "mine.csv"
    csv.write_text(
        f"Reference,Resident,Received,Stage 1 Officer\nR-1,Ann Root,2025-12-01,{me.upper()}\n", encoding="utf-8"
    )
    assert main(["import", str(csv)]) == 0, capsys.readouterr().err
    assert sqlite_rows(db, "SELECT login, role FROM officer") == [(me, "administrator")]
    assert sqlite_rows(
        db,
        "SELECT o.login FROM stage s JOIN officer o ON o.id = s.officer_id JOIN complaint_case c ON c.id = s.case_id",
    ) == [(me,)]


# -- the round trip ----------------------------------------------------------------------------


def test_an_export_loads_into_an_empty_database_and_exports_identically(db, tmp_path, monkeypatch, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 0
    first = tmp_path / "first.json"
    assert main(["export", "--out", str(first)]) == 0
    capsys.readouterr()

    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    assert main(["import-export", str(first)]) == 0
    second = tmp_path / "second.json"
    assert main(["export", "--out", str(second)]) == 0
    assert second.read_bytes() == first.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["alembic_version"] and len(data["complaint_case"]) == 3 and data["import_batch"]
    assert data["document"] == []

    assert main(["import-export", str(first)]) == 1  # not into a database that holds data
    assert "already holds data" in capsys.readouterr().err


def test_an_export_with_a_document_loads_back_with_the_same_bytes(db, tmp_path, monkeypatch, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers"]) == 0
    survey = tmp_path / "survey.bin"
    body = bytes(range(256)) + b"\x00\xff not text"
    survey.write_bytes(body)
    assert main(["document", "add", "A-1", str(survey), "--description", "damp survey"]) == 0
    first = tmp_path / "first.json"
    assert main(["export", "--out", str(first)]) == 0
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "csv")]) == 0
    capsys.readouterr()
    (doc,) = json.loads(first.read_text(encoding="utf-8"))["document"]
    assert doc["name"] == "survey.bin" and base64.b64decode(doc["content"]) == body
    assert f"file of {len(body):,} bytes kept in the database" in (tmp_path / "csv" / "document.csv").read_text(
        encoding="utf-8-sig"
    )

    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    assert main(["import-export", str(first)]) == 0
    second = tmp_path / "second.json"
    assert main(["export", "--out", str(second)]) == 0
    assert second.read_bytes() == first.read_bytes()
    assert main(["document", "save", "A-1", "1", "--out", str(tmp_path / "back.bin")]) == 0
    assert (tmp_path / "back.bin").read_bytes() == body


def test_import_dry_run_and_undo_on_each_backend(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORKER_TODAY", TODAY.isoformat())
    csv = tmp_path / "t.csv"
    csv.write_text(TRACKER, encoding="utf-8")
    assert main(["import", str(csv), "--create-officers", "--dry-run"]) == 0
    assert main(["import", str(csv), "--create-officers"]) == 0
    assert main(["import", str(csv)]) == 1  # every reference is there now
    assert "A-1 is already in the database" in capsys.readouterr().err
    assert main(["import", "--undo", "1"]) == 0
    assert "removed 3 cases, 3 residents and 2 officers" in capsys.readouterr().out
    assert main(["import", str(csv), "--create-officers"]) == 0  # and it can come in again
    assert "batch 2" in capsys.readouterr().out
    assert main(["import", "--batches"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("batch 2: t.csv, 3 cases") and listed[1].startswith("batch 1: t.csv, 3 cases")
    assert "(undone)" in listed[1]


def test_bulk_inserts_give_columns_the_writer_does_not_name_their_model_defaults(tmp_path):
    import sqlalchemy as sa

    from caseworker.store.bulk import insert_tuples

    meta = sa.MetaData()
    table = sa.Table(
        "t",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String),
        sa.Column("version", sa.Integer, nullable=False, default=1),
        sa.Column("note", sa.String, nullable=True),
        sa.Column("required", sa.String, nullable=False),
    )
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    meta.create_all(engine)
    with engine.begin() as conn:
        insert_tuples(conn, table, ("id", "name"), [(1, "a"), (2, "b")], {"required": "x"})
        assert conn.execute(sa.select(table).order_by(table.c.id)).all() == [
            (1, "a", 1, None, "x"),
            (2, "b", 1, None, "x"),
        ]
        with pytest.raises(ValueError, match="t.required: no value and no default"):
            insert_tuples(conn, table, ("id", "name"), [(3, "c")], {})
    engine.dispose()


def test_cells_the_products_csv_writer_neutralised_come_back_as_they_were_stored(db, tmp_path, capsys):
    from caseworker import inert

    names = ['=HYPERLINK("http://example.invalid","x")', "'=already quoted", "-5 Ltd", "@home", "O'Brien"]
    csv = tmp_path / "export.csv"
    with inert.csv_file(csv) as writer:
        writer.writerow(["Name", "Date Received", "Reference"])
        for i, name in enumerate(names):
            writer.writerow([name, "2025-12-01", f"N-{i}"])
    raw = csv.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "''=already quoted" in raw  # written neutralised
    assert main(["import", str(csv)]) == 0
    capsys.readouterr()
    assert [
        n
        for (n,) in sqlite_rows(
            db, "SELECT r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id ORDER BY c.reference"
        )
    ] == names


def _many_rows_csv(path: Path, n: int, first: int = 1) -> Path:
    lines = ["Reference,Resident,Address,Received,Stage 1 Officer,Summary"]
    lines += [
        f"B-{i:04d},Resident{i} Quill,{i} Ash Road,01/12/2025,Amy Stone,damp in flat {i}"
        for i in range(first, first + n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_of_many_batches_is_searchable_and_refuses_a_reference_in_a_late_batch(db_url, tmp_path, monkeypatch):
    """Checked rows are spilled to a file and read back in file order; they go in batch by
    batch (several multi-row statements each on SQLite), and every case and resident is in
    the search indexes at once; a reference already stored is found
    in whichever batch it comes, named by its line, and nothing of that import is stored."""
    from helpers import make_store

    from caseworker.store.queries.inbox import InboxFilter, inbox_page
    from caseworker.store.tracker_import import TrackerProblems, import_rows, writing

    monkeypatch.setattr(writing, "BATCH_ROWS", 7)
    monkeypatch.setattr("caseworker.store.bulk.SQLITE_ROWS_PER_INSERT", 3)
    monkeypatch.setattr("caseworker.store.tracker_import.checking._HOLD", 10)  # spilled past 10 rows
    monkeypatch.setattr("caseworker.store.tracker_import.checking._BATCH", 4)  # then 4 at a time
    store = make_store(db_url, TODAY)
    with check_tracker(_many_rows_csv(tmp_path / "a.csv", 30), TODAY) as check:
        assert check.problems == []
        assert [r.reference for r in check.rows()] == [f"B-{i:04d}" for i in range(1, 31)]  # in file order
        summary = import_rows(store, "admin", check.rows(), source="a.csv")
    assert summary.cases == 30 and summary.residents_created == 30

    def found(term: str) -> list[str]:
        return [r.reference for r in inbox_page(store, InboxFilter(search=term, include_closed=True)).rows]

    assert found("B-0029") == ["B-0029"]
    assert found("Resident17 Q") == ["B-0017"]
    assert found("flat 23") == ["B-0023"]
    assert sorted(found("B-002")) == [f"B-{i:04d}" for i in range(20, 30)]  # a reference prefix

    # the second file's 21st row (its third batch) repeats B-0030; the rows before it are new
    with check_tracker(_many_rows_csv(tmp_path / "b.csv", 21, first=10_000 - 20), TODAY) as check:
        rows = list(check.rows())
    rows[-1] = rows[-1]._replace(reference="B-0030")
    with pytest.raises(TrackerProblems) as refused:
        import_rows(store, "admin", rows, source="b.csv")
    assert [str(p) for p in refused.value.problems] == ["line 22: reference: B-0030 is already in the database"]
    assert found("B-998") == []  # nothing of the refused import is stored
    store.engine.dispose()


def test_an_import_reads_the_bank_holidays_kept_in_the_data_folder(db, tmp_path):
    """The first command keeps the bank holidays in the data folder (as start-up does); the next
    import, in a fresh process, reads them from there without importing the ``holidays`` package
    (Store.calendar) and works out the same due dates: received Thu 17 Apr 2025, acknowledged
    within 5 working days (Good Friday 18 and Easter Monday 21 Apr skipped: Tue 22, Wed 23,
    Thu 24, Fri 25, Mon 28), by Mon 28 Apr."""
    rows = "Reference,Resident,Received\nC-{n},Ada Okafor,17/04/2025\n"
    script = (
        "import sys\n"
        "from caseworker.cli import main\n"
        "code = main(['import', sys.argv[1]])\n"
        "print('HOLIDAYS', 'holidays' in sys.modules)\n"
        "raise SystemExit(code)\n"
    )
    seen = []
    for n in (1, 2):
        tracker = tmp_path / f"t{n}.csv"
        tracker.write_text(rows.format(n=n), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", script, str(tracker)], env=caseworker_env(), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        seen.append(done.stdout.strip().splitlines()[-1])
    assert seen == ["HOLIDAYS True", "HOLIDAYS False"]
    assert sqlite_rows(db, "SELECT c.reference, s.ack_due FROM complaint_case c JOIN stage s ON s.case_id = c.id") == [
        ("C-1", "2025-04-28"),
        ("C-2", "2025-04-28"),
    ]


def test_a_large_import_into_small_tables_builds_their_indexes_once_and_a_refused_one_keeps_them(tmp_path, monkeypatch):
    """SQLite: an import whose first batch is large sets aside the secondary indexes of the
    tables holding no more rows than that batch and builds them after the last row; the
    database ends with exactly the indexes it had, consistent with every row (integrity
    check), and every case is found. A refused import (a reference already stored, found in a
    late batch) leaves the indexes and the stored case exactly as they were. A table holding
    more rows than the batch keeps its indexes current row by row."""
    from helpers import make_store
    from sqlalchemy import event

    from caseworker.store.queries.inbox import InboxFilter, inbox_page
    from caseworker.store.tracker_import import TrackerProblems, import_rows, writing

    monkeypatch.setattr(writing, "BATCH_ROWS", 7)
    monkeypatch.setattr(writing, "SET_ASIDE_MIN_ROWS", 5)
    path = tmp_path / "caseworker.db"
    store = make_store(f"sqlite:///{path}", TODAY)
    dropped: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _ddl(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("DROP INDEX"):
            dropped.append(statement.split('"')[1])

    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    indexes = sqlite_rows(path, index_sql)
    with check_tracker(_many_rows_csv(tmp_path / "one.csv", 1, first=500), TODAY) as check:
        import_rows(store, "admin", check.rows(), source="one.csv")  # one case: a first batch of 1 row
    assert dropped == []

    # 30 rows, the 26th (in the fourth batch) repeating the stored B-0500: refused
    with check_tracker(_many_rows_csv(tmp_path / "a.csv", 30), TODAY) as check:
        rows = list(check.rows())
    rows[25] = rows[25]._replace(reference="B-0500")
    with pytest.raises(TrackerProblems) as refused:
        import_rows(store, "admin", rows, source="a.csv")
    assert [str(p) for p in refused.value.problems] == ["line 27: reference: B-0500 is already in the database"]
    assert "ix_case_open_due" in dropped and "ix_resident_name" in dropped  # set aside, then rolled back
    assert sqlite_rows(path, index_sql) == indexes
    assert sqlite_rows(path, "SELECT reference FROM complaint_case") == [("B-0500",)]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]

    dropped.clear()
    with check_tracker(_many_rows_csv(tmp_path / "b.csv", 30), TODAY) as check:
        summary = import_rows(store, "admin", check.rows(), source="b.csv")
    assert summary.cases == 30
    assert "ix_case_officer_due" in dropped and "ix_stage_case_id" in dropped
    assert "ix_complaint_case_reference" not in dropped  # unique: refuses a repeat as rows go in
    assert sqlite_rows(path, index_sql) == indexes
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]  # every index holds every row

    def found(term: str) -> list[str]:
        return [r.reference for r in inbox_page(store, InboxFilter(search=term, include_closed=True)).rows]

    assert found("B-0029") == ["B-0029"]
    assert found("Resident17 Q") == ["B-0017"]
    assert sorted(found("B-000")) == [f"B-{i:04d}" for i in range(1, 10)]
    plan = " ".join(
        r[3]
        for r in sqlite_rows(
            path, "EXPLAIN QUERY PLAN SELECT id FROM complaint_case WHERE closed = 0 ORDER BY next_due, id"
        )
    )
    assert "ix_case_open_due" in plan

    # 31 cases now: more than a batch, so the next import keeps complaint_case's indexes current
    dropped.clear()
    with check_tracker(_many_rows_csv(tmp_path / "c.csv", 7, first=600), TODAY) as check:
        import_rows(store, "admin", check.rows(), source="c.csv")
    assert not {"ix_case_open_due", "ix_case_officer_due", "ix_resident_name"} & set(dropped)
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
    store.engine.dispose()


def test_an_import_plans_its_statements_its_own_way_only_until_it_ends(db_url, tmp_path, monkeypatch):
    """On PostgreSQL the import's transaction lets the server keep generic plans (for the
    foreign-key checks it runs on every row); the pooled connection it used plans every
    statement for its own values again afterwards (the app's sessions), whether the import was
    stored or refused. On SQLite the import's larger page cache goes the same way."""
    from helpers import make_store

    from caseworker.store import db as store_db
    from caseworker.store.tracker_import import TrackerProblems, import_rows, writing

    monkeypatch.setattr(writing, "BATCH_ROWS", 7)
    store = make_store(db_url, TODAY)
    sqlite = store.engine.dialect.name == "sqlite"
    seen: list[object] = []
    real_lookup = writing._existing_references

    def noting(conn, case_t, rows):
        if sqlite:
            seen.append(conn.exec_driver_sql("PRAGMA cache_size").scalar())
        else:
            seen.append(conn.exec_driver_sql("SELECT current_setting('plan_cache_mode')").scalar())
        return real_lookup(conn, case_t, rows)

    monkeypatch.setattr(writing, "_existing_references", noting)

    def session_setting() -> object:
        with store.engine.connect() as connection:
            if sqlite:
                return connection.exec_driver_sql("PRAGMA cache_size").scalar()
            return connection.exec_driver_sql("SELECT current_setting('plan_cache_mode')").scalar()

    during, after = (
        (-store_db.PAGE_CACHE_KIB, -store_db.SQLITE_DEFAULT_CACHE_KIB) if sqlite else ("auto", "force_custom_plan")
    )
    with check_tracker(_many_rows_csv(tmp_path / "a.csv", 20), TODAY) as check:
        assert import_rows(store, "admin", check.rows(), source="a.csv").cases == 20
    assert seen == [during] * 3  # batches of 7, 7 and 6
    assert session_setting() == after
    with check_tracker(_many_rows_csv(tmp_path / "a.csv", 20), TODAY) as check, pytest.raises(TrackerProblems):
        import_rows(store, "admin", check.rows(), source="a.csv")  # every reference is there now
    assert seen[3:] == [during] * 3
    assert session_setting() == after
    store.engine.dispose()

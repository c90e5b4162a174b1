"""The command line: deadline, due, import, export and backup, with their exit statuses.

Today is Fri 19 Dec 2025 (CASEWORKER_TODAY); Thu 25 and Fri 26 Dec are bank holidays.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import caseworker_env, cli_database

from caseworker.cli import main
from caseworker.rules.calendar import WorkingCalendar

TODAY = date(2025, 12, 19)
CAL = WorkingCalendar()

HEADER = (
    "Reference,Resident,Address,Email,Phone,Received,Channel,Service Area,Category,Stage,Stage 1 Officer,"
    "Acknowledged,Stage 1 Response,Stage 2 Requested,Stage 2 Officer,Stage 2 Acknowledged,Stage 2 Response,Outcome"
)

BAD_ROWS = [
    "T-001,Jane Doe,1 High St,,,31/02/2025,email,Repairs,Leak,1,Amara Okafor,,,,,,,",  # impossible date
    "T-002,,2 High St,,,2025-03-01,phone,Repairs,Leak,1,Amara Okafor,2025-03-03,,,,,,",  # no resident
    "T-003,John Roe,3 High St,,,2025-03-01,phone,Repairs,Leak,3,Amara Okafor,2025-03-03,,,,,,",  # stage 3
    "T-004,Ann Poe,4 High St,,,2025-03-01,phone,Repairs,Leak,2,Amara Okafor,2025-03-03,2025-03-10,2025-03-20,amara okafor,2025-03-21,,",
    "T-005,Bob Loe,5 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,2025-03-12,2025-03-11,,,,,upheld",
    "T-006,Cat Moe,6 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,2025-03-07,,,,,,",
    "T-001,Dan Noe,7 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,,,,,,,",  # duplicate reference
    "T-008,Eve Koe,8 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,2025-03-11,2025-03-20,,,,,maybe",
]
#: (line, field) of each problem in BAD_ROWS.
BAD_PROBLEMS = [
    (2, "received"),
    (3, "resident"),
    (4, "stage"),
    (5, "stage 2 officer"),
    (6, "stage 1 response"),
    (7, "acknowledged"),
    (8, "reference"),
    (9, "outcome"),
]
GOOD_ROWS = [
    "T-001,Jane Doe,1 High St,,,28/02/2025,email,Repairs,Leak,1,Amara Okafor,,,,,,,",
    "T-002,Sam Zoe,2 High St,,,2025-12-15,phone,Repairs,Leak,1,Amara Okafor,2025-12-16,,,,,,",
    "T-003,John Roe,3 High St,,,2025-03-01,phone,Repairs,Leak,1,Amara Okafor,2025-03-03,,,,,,",
    "T-004,Ann Poe,4 High St,,,2025-03-01,phone,Repairs,Leak,2,Amara Okafor,2025-03-03,2025-03-10,2025-03-20,Chirag Patel,2025-03-21,,",
    "T-005,Bob Loe,5 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,2025-03-12,2025-03-14,,,,,upheld",
    "T-006,Cat Moe,6 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,2025-03-11,,,,,,",
    "T-007,Dan Noe,7 High St,,,2025-12-18,phone,Repairs,Leak,1,Amara Okafor,,,,,,,",
    "T-008,Eve Koe,8 High St,,,2025-03-10,phone,Repairs,Leak,1,Amara Okafor,2025-03-11,2025-03-20,,,,,partly upheld",
]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A SQLite database file named by CASEWORKER_DATABASE_URL, and today fixed."""
    return cli_database(tmp_path / "caseworker.db", monkeypatch, TODAY)


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def count(path: Path, table: str = "complaint_case") -> int:
    if not path.exists():
        return 0
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def due_rows(out: str) -> list[list[str]]:
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0].split()[:2] == ["REFERENCE", "RESIDENT"]
    return [line.split() for line in lines[1:-1]]


# -- deadline ----------------------------------------------------------------------------


def test_deadline_counts_working_days(capsys):
    assert main(["deadline", "2025-12-19", "5"]) == 0
    assert capsys.readouterr().out == "2025-12-30\n"
    assert main(["deadline", "2025-12-20", "5"]) == 0  # a Saturday: the same due date
    assert capsys.readouterr().out == "2025-12-30\n"
    assert main(["deadline", "2025-12-19", "0"]) == 0
    assert capsys.readouterr().out == "2025-12-19\n"
    assert main(["deadline", "2025-12-19", "5", "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2025-12-30\n") and "Christmas Day" in out and "Boxing Day" in out


@pytest.mark.parametrize(
    "argv, field",
    [
        (["deadline", "2025-02-31", "5"], "DATE"),
        (["deadline", "19/13/2025", "5"], "DATE"),
        (["deadline", "2025-12-19", "-1"], "N"),
        (["deadline", "2025-12-19", "five"], "N"),
        (["deadline", "2025-12-19", "5", "--region", "mars"], "--region"),
        (["deadline", "2025-12-19"], "n"),
    ],
)
def test_deadline_bad_input_is_one_line_and_status_2(argv, field, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and field in captured.err


# -- due ---------------------------------------------------------------------------------


@pytest.fixture
def demo_db(db) -> Path:
    from caseworker.store.demo import build_demo

    build_demo(os.environ["CASEWORKER_DATABASE_URL"], 150, today=TODAY)
    return db


def test_due_lists_open_cases_overdue_first(demo_db, capsys):
    assert main(["due"]) == 0
    out = capsys.readouterr().out
    assert "\033[" not in out  # no colour when not a terminal
    rows = due_rows(out)
    assert len(rows) > 20
    left = [int(r[-1]) for r in rows]
    assert left == sorted(left) and left[0] < 0  # overdue first
    for r in rows:
        due = date.fromisoformat(r[-2])
        assert int(r[-1]) == CAL.days_left(due, TODAY)
        assert r[0][:3] in ("CMP", "MPE", "CLR")
    con = sqlite3.connect(demo_db)
    live = con.execute("SELECT count(*) FROM complaint_case WHERE closed = 0").fetchone()[0]
    con.close()
    assert len(rows) == live
    assert out.rstrip().endswith(f"{live} open cases, {sum(x < 0 for x in left)} overdue.")


def test_due_within_and_officer(demo_db, capsys):
    assert main(["due", "--within", "2"]) == 0
    rows = due_rows(capsys.readouterr().out)
    assert rows and all(int(r[-1]) <= 2 for r in rows)
    assert main(["due", "--officer", "aokafor"]) == 0
    rows = due_rows(capsys.readouterr().out)
    con = sqlite3.connect(demo_db)
    owned = {
        ref
        for (ref,) in con.execute(
            "SELECT c.reference FROM complaint_case c JOIN action a ON a.case_id = c.id WHERE a.owner = 'aokafor' AND NOT a.done"
        )
    }
    con.close()
    # theirs, or a case with an open action they own (6.6, 6.17)
    assert rows and all("Amara Okafor" in " ".join(r) or r[0] in owned for r in rows)  # full names, never logins


@pytest.mark.parametrize(
    "argv, field",
    [
        (["due", "--officer", "nobody"], "--officer"),
        (["due", "--within", "-1"], "--within"),
        (["due", "--within", "two"], "--within"),
    ],
)
def test_due_bad_input(demo_db, argv, field, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and field in captured.err


# -- import and export -------------------------------------------------------------------


def test_import_reports_every_bad_row_and_stores_nothing(db, tmp_path, capsys):
    bad = write_csv(tmp_path / "tracker.csv", BAD_ROWS)
    assert main(["import", str(bad)]) == 1
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    for line, field in BAD_PROBLEMS:
        assert any(f"line {line}: {field}:" in e for e in err), (line, field, err)
    assert "nothing was imported" in err[-1]
    assert count(db) == 0

    good = write_csv(tmp_path / "tracker.csv", GOOD_ROWS)
    # Nobody is taken in silently: unknown officer names are listed and nothing is stored.
    assert main(["import", str(good)]) == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]  # (a line before it may say the new database was set up)
    assert "officer: 2 officer name(s)" in last and "'Amara Okafor', 'Chirag Patel'" in last
    assert count(db) == 0 and count(db, "officer") == 0
    assert main(["import", str(good), "--create-officers"]) == 0
    assert "Imported 8 cases" in capsys.readouterr().out
    assert count(db) == 8 and count(db, "stage") == 9 and count(db, "officer") == 3  # Amara, Chirag and the importer

    # The same file again: every reference is already there, and nothing more is stored.
    assert main(["import", str(good)]) == 1  # the officers are known now
    err = capsys.readouterr().err
    assert "line 2: reference: T-001 is already in the database" in err
    assert count(db) == 8

    # The imported cases show in `due` (the open ones) and in `export`.
    assert main(["due"]) == 0
    refs = {r[0] for r in due_rows(capsys.readouterr().out)}
    assert refs == {"T-001", "T-002", "T-003", "T-004", "T-006", "T-007"}
    assert main(["export"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {c["reference"] for c in data["complaint_case"]} == {f"T-00{i}" for i in range(1, 9)}
    assert sum(e["action"] == "imported" for e in data["audit_event"]) == 8
    case4 = next(c for c in data["complaint_case"] if c["reference"] == "T-004")
    assert case4["stage"] == 2 and case4["status"] == "open" and case4["received"] == "2025-03-01"
    stage2 = next(s for s in data["stage"] if s["case_id"] == case4["id"] and s["number"] == 2)
    officers = {o["id"]: o["login"] for o in data["officer"]}
    assert officers[stage2["officer_id"]] == "cpatel"
    assert stage2["ack_due"] == "2025-03-27" and stage2["response_due"] == CAL.add(date(2025, 3, 21), 20).isoformat()


def test_imported_due_dates_follow_the_rules(db, tmp_path, capsys):
    write_csv(tmp_path / "t.csv", GOOD_ROWS)
    assert main(["import", str(tmp_path / "t.csv"), "--create-officers"]) == 0
    capsys.readouterr()
    con = sqlite3.connect(db)
    rows = dict(con.execute("SELECT reference, next_due FROM complaint_case").fetchall())
    con.close()
    assert rows["T-007"] == CAL.add(date(2025, 12, 18), 5).isoformat()  # awaiting acknowledgement: 5 WD after receipt
    assert rows["T-002"] == CAL.add(date(2025, 12, 16), 10).isoformat()  # open: 10 WD after acknowledgement
    assert rows["T-005"] is None  # responded


def test_export_csv_and_bad_format(db, tmp_path, capsys):
    write_csv(tmp_path / "t.csv", GOOD_ROWS)
    assert main(["import", str(tmp_path / "t.csv"), "--create-officers"]) == 0
    out = tmp_path / "export"
    assert main(["export", "--format", "csv", "--out", str(out)]) == 0
    assert "Exported" in capsys.readouterr().out
    with (out / "complaint_case.csv").open(newline="", encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh))
    assert len(cases) == 8 and cases[0]["received"] == "2025-02-28" and cases[0]["closed"] == "false"
    assert {p.name for p in out.iterdir()} >= {
        "officer.csv",
        "resident.csv",
        "stage.csv",
        "audit_event.csv",
        "remedy.csv",
        "action.csv",
        "correspondence.csv",
        "extension.csv",
        "exclusion.csv",
    }
    target = tmp_path / "all.json"
    assert main(["export", "--out", str(target)]) == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))["complaint_case"]) == 8
    assert main(["export", "--format", "xml"]) == 2
    assert "--format" in capsys.readouterr().err


def test_import_missing_file_and_missing_columns(db, tmp_path, capsys):
    assert main(["import", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "cols.csv").write_text("Reference,Name of thing\nA,B\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "cols.csv")]) == 1
    err = capsys.readouterr().err
    assert "line 1: resident" in err and "line 1: received" in err


# -- backup ------------------------------------------------------------------------------


def test_backup_while_another_connection_is_writing(db, tmp_path, capsys):
    write_csv(tmp_path / "t.csv", GOOD_ROWS)
    assert main(["import", str(tmp_path / "t.csv"), "--create-officers"]) == 0
    capsys.readouterr()
    writer = sqlite3.connect(db, timeout=0.1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO officer (login, name, email, role, active, created_at) "
        "VALUES ('late', 'Late Writer', '', 'officer', 1, '2025-12-19 10:00:00.000000')"
    )
    try:
        dest = tmp_path / "copy.db"
        assert main(["backup", str(dest)]) == 0
        assert "8 cases" in capsys.readouterr().out
        copy = sqlite3.connect(dest)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT count(*) FROM complaint_case").fetchone()[0] == 8
            assert copy.execute("SELECT count(*) FROM officer WHERE login = 'late'").fetchone()[0] == 0
        finally:
            copy.close()
        # An existing file is never overwritten.
        before = dest.read_bytes()
        assert main(["backup", str(dest)]) == 2
        assert "already exists" in capsys.readouterr().err
        assert dest.read_bytes() == before
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_backup_of_postgresql_says_use_pg_dump(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", "postgresql://caseworker@db.example.invalid/complaints")
    assert main(["backup", str(tmp_path / "x.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


# -- an import killed half way -----------------------------------------------------------


def _big_tracker(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER.split(","))
        for i in range(n):
            received = date(2025, 1 + i % 11, 1 + i % 28)
            ack = CAL.add(received, 1 + i % 5)
            response = CAL.add(ack, 3 + i % 9)
            w.writerow(
                [
                    f"BIG-{i:06d}",
                    f"Resident {i % 5000}",
                    f"{i % 5000} Long Road",
                    "",
                    "",
                    received.isoformat(),
                    "email",
                    "Repairs",
                    "Leak",
                    "1",
                    ("Amara Okafor", "Chirag Patel")[i % 2],
                    ack.isoformat(),
                    response.isoformat() if response <= TODAY else "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )


def test_a_killed_import_leaves_the_database_intact_and_the_import_absent(db, tmp_path, capsys):
    write_csv(tmp_path / "t.csv", GOOD_ROWS)
    assert main(["import", str(tmp_path / "t.csv"), "--create-officers"]) == 0
    capsys.readouterr()
    big = tmp_path / "big.csv"
    n = 60_000
    _big_tracker(big, n)
    wal = Path(f"{db}-wal")
    proc = subprocess.Popen(
        [sys.executable, "-m", "caseworker", "import", str(big)],
        env=caseworker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    writing = killed = False
    try:
        # The import says when it starts writing ("... rows checked; importing..."): read up to there.
        for line in proc.stdout:
            if "importing..." in line:
                break
        # Then look at its write-ahead log between short waits on the process itself, until the
        # bulk insert has written half a megabyte of pages (or the process ended).
        for _ in range(24_000):
            if wal.exists() and wal.stat().st_size > 512 * 1024:
                writing = True
                break
            try:
                proc.wait(timeout=0.005)
                break
            except subprocess.TimeoutExpired:
                pass
        killed = proc.poll() is None
        if killed:
            proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs either way
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        cases = con.execute("SELECT count(*) FROM complaint_case").fetchone()[0]
        big_cases = con.execute("SELECT count(*) FROM complaint_case WHERE reference LIKE 'BIG-%'").fetchone()[0]
        stages = con.execute("SELECT count(*) FROM stage").fetchone()[0]
        audits = con.execute("SELECT count(*) FROM audit_event WHERE action = 'imported'").fetchone()[0]
    finally:
        con.close()
    # The point of the test: the process was killed while it was writing, before its commit.
    assert writing, "the import never started writing its rows"
    assert killed, "the import finished before it could be killed: make the tracker bigger"
    assert proc.returncode != 0
    assert big_cases == 0, f"the import committed {big_cases} of {n} rows before the kill"
    assert cases == 8 and audits == 8 and stages == 9
    # Nothing was lost and the import can simply be run again.
    assert main(["import", str(big)]) == 0
    assert count(db) == 8 + n

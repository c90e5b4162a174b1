"""No traceback reaches the user of the command line: locked, read-only, full and damaged
databases each get one or two plain lines, the traceback goes to the log, exit status 1."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import caseworker_env, cli_database
from test_cli import GOOD_ROWS, TODAY, count, write_csv

from caseworker import failures
from caseworker.cli import main

PERSONAL = ("Jane Doe", "High St", "Amara")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A SQLite database file named by CASEWORKER_DATABASE_URL, with today fixed."""
    return cli_database(tmp_path / "caseworker.db", monkeypatch, TODAY)


def _cli(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "caseworker", *argv],
        env=caseworker_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _assert_plain(proc: subprocess.CompletedProcess, max_lines: int = 3) -> list[str]:
    """The error as the user reads it (standard error; standard output may list the file's columns first)."""
    lines = proc.stderr.splitlines()
    assert len(lines) <= max_lines, lines
    assert "Traceback" not in proc.stderr and 'File "' not in proc.stderr
    for word in PERSONAL:
        assert word not in proc.stderr
    return lines


def test_import_against_a_locked_database_is_three_lines_and_stores_nothing(db, tmp_path):
    write_csv(tmp_path / "first.csv", GOOD_ROWS[:2])
    assert main(["import", str(tmp_path / "first.csv"), "--create-officers"]) == 0
    rows = [r.replace("T-00", "U-00") for r in GOOD_ROWS]
    write_csv(tmp_path / "t.csv", rows)
    holder = sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock, with a write transaction open
    holder.execute("UPDATE officer SET name = name")
    try:
        proc = _cli(tmp_path, "import", str(tmp_path / "t.csv"), "--create-officers")
    finally:
        holder.rollback()
        holder.close()
    lines = _assert_plain(proc)
    assert proc.returncode == 1
    # Refused at the first write: bringing due dates up to date on opening, or the import itself.
    assert "busy" in proc.stderr
    assert "nothing was imported" in proc.stderr or "nothing was saved" in proc.stderr
    if "nothing was imported" in proc.stderr:  # the import's own failure: its detail kept in the log
        log = failures.log_file()
        assert f"Details are in {log}" in proc.stderr
        assert "Traceback" in log.read_text(encoding="utf-8")
    assert count(db) == 2, lines
    # Once the lock is gone the same file imports.
    assert main(["import", str(tmp_path / "t.csv"), "--create-officers"]) == 0
    assert count(db) == 10


def test_damaged_database_says_restore_and_not_that_nothing_was_lost(db, tmp_path):
    db.write_bytes(b"this is not a database" * 100)
    proc = _cli(tmp_path, "export")
    _assert_plain(proc)
    assert proc.returncode == 1
    assert "backup" in proc.stderr.lower()
    assert "lost" not in proc.stderr and "unchanged" not in proc.stderr


def test_read_only_database_is_named_as_such(db, tmp_path, monkeypatch):
    write_csv(tmp_path / "first.csv", GOOD_ROWS[:2])
    assert main(["import", str(tmp_path / "first.csv"), "--create-officers"]) == 0
    write_csv(tmp_path / "t.csv", [r.replace("T-00", "U-00") for r in GOOD_ROWS])
    # Opened read-only by SQLite itself (file permissions do not stop the root user these tests may run as).
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///file:{db}?mode=ro&uri=true")
    proc = _cli(tmp_path, "import", str(tmp_path / "t.csv"), "--create-officers")
    _assert_plain(proc)
    assert proc.returncode == 1
    assert "read-only" in proc.stderr
    assert "could not be reached" not in proc.stderr
    assert count(db) == 2
    # The URI names the file after "file:"; nothing is made in the working directory.
    assert not (tmp_path / "file:").exists()


@pytest.mark.parametrize(
    ("exc", "cause"),
    [
        (sqlite3.OperationalError("database or disk is full"), "disk-full"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk-full"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.DatabaseError("file is not a database"), "damaged"),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
        (ValueError("malformed node"), "unexpected"),
        (KeyError("Jane Doe"), "unexpected"),
    ],
)
def test_describe_names_the_cause_without_quoting_the_driver(exc, cause):
    failure = failures.describe(exc)
    assert failure.cause == cause
    assert "Jane" not in failure.message and str(exc) not in failure.message
    assert failure.status == 1


def test_describe_sees_through_sqlalchemy_wrapping_and_says_saved_only_when_known():
    from sqlalchemy.exc import OperationalError

    wrapped = OperationalError(
        "INSERT INTO resident (name) VALUES (?)", ("Jane Doe",), sqlite3.OperationalError("database or disk is full")
    )
    failure = failures.describe(wrapped)
    assert failure.cause == "disk-full" and "Jane" not in failure.message
    assert "Nothing was saved" not in failure.message
    assert "Nothing was saved" in failures.describe(wrapped, rolled_back=True).message


def test_an_unexpected_error_in_a_command_is_two_lines_and_logged(monkeypatch, capsys):
    import caseworker.commands.deadline as deadline

    def boom(args):
        raise RuntimeError("Jane Doe, 1 High St, 07700 900000")

    monkeypatch.setattr(deadline, "run", boom)
    assert main(["deadline", "2025-12-19", "5"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "caseworker stopped because of an unexpected error (RuntimeError)."
    assert len(err.splitlines()) == 2 and "Jane" not in err
    assert "RuntimeError: Jane Doe" in failures.log_file().read_text(encoding="utf-8")


async def test_the_apps_own_crash_exits_non_zero_with_two_lines_and_the_log(tmp_path, capsys):
    from datetime import date

    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import Settings

    app = CaseworkerApp(
        Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", config_path=Path("x")),
        clock=Clock.at(date(2025, 12, 19)),
        login="admin",
    )

    def boom() -> None:
        raise RuntimeError("Jane Doe, 1 High St, 07700 900000")

    async def crash(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.call_next(boom)  # an error nobody catches, raised in the app's own message loop
        await pilot.pause()

    await app.run_async(headless=True, size=(100, 30), auto_pilot=crash)
    assert app.return_code == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[0] == "caseworker stopped because of an unexpected error (RuntimeError)."
    # (wrapped at the terminal's width: the log's path is long)
    assert "".join("".join(lines[1:]).split()) == "".join(f"Details are in {failures.log_file()}".split())
    assert "Traceback" not in err and "Jane" not in err
    assert "RuntimeError: Jane Doe" in failures.log_file().read_text(encoding="utf-8")

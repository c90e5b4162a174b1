"""``caseworker officer ...`` and who the command line acts as.

The tests run as the operating-system account of this process (``pwd`` of the real uid; root
on the build machine), which is who caseworker must act as whatever LOGNAME, USER or USERNAME
say. Exit 0 on success, 2 with one line naming the field on bad input.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import caseworker_env, cli_database, sqlite_rows

from caseworker.cli import main

ME = pwd.getpwuid(os.getuid()).pw_name


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    return cli_database(tmp_path / "caseworker.db", monkeypatch, date(2025, 12, 19))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_add_list_and_a_duplicate_login_on_a_fresh_database(db, capsys):
    status, out, err = run(
        capsys,
        "officer",
        "add",
        "jsmith",
        "--name",
        "Jo Smith",
        "--title",
        "Complaints Officer",
        "--role",
        "supervisor",
    )
    assert status == 0 and "officer" not in err  # (stderr may say a new database was set up)
    assert "Jo Smith" in out

    status, out, _ = run(capsys, "officer", "list")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["LOGIN", "NAME", "TITLE", "ROLE", "ACTIVE", "OPEN", "CASES"]
    jo = next(line for line in lines if line.startswith("jsmith"))
    assert jo.split() == ["jsmith", "Jo", "Smith", "Complaints", "Officer", "supervisor", "yes", "0"]
    me = next(line for line in lines if line.startswith(ME + " "))
    assert "administrator" in me.split()  # the first person to open the database administers it

    status, out, err = run(
        capsys,
        "officer",
        "add",
        "jsmith",
        "--name",
        "Jo Smith",
        "--title",
        "Complaints Officer",
        "--role",
        "supervisor",
    )
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "login" in err and "'jsmith'" in err
    assert sqlite_rows(db, "SELECT count(*) FROM officer WHERE login = 'jsmith'") == [(1,)]


@pytest.mark.parametrize(
    ("argv", "field", "says"),
    [
        (["officer", "add", "x1", "--name", "X One", "--role", "boss"], "role", "'boss'"),
        (["officer", "add", "x1", "--name", "  "], "name", "full name"),
        (["officer", "set", "nobody", "--title", "Officer"], "officer", "'nobody'"),
        (["officer", "deactivate", "nobody"], "officer", "'nobody'"),
        (["officer", "set", ME, "--role", "officer"], "role", "last active administrator"),
        (["officer", "deactivate", ME], "active", "last active administrator"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_exit_2(db, capsys, argv, field, says):
    run(capsys, "officer", "list")  # the database exists, with its first administrator
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and f"{field}: " in err and says in err, err


def test_a_caller_who_is_not_an_administrator_is_refused(db, capsys):
    assert run(capsys, "officer", "add", "second", "--name", "Second Admin", "--role", "administrator")[0] == 0
    assert run(capsys, "officer", "set", ME, "--role", "officer")[0] == 0  # another administrator exists now

    status, _, err = run(capsys, "officer", "add", "x1", "--name", "X One")
    assert status == 2 and "role: " in err and "administrator" in err
    assert sqlite_rows(db, "SELECT count(*) FROM officer WHERE login = 'x1'") == [(0,)]


def test_set_deactivate_and_activate(db, capsys):
    run(capsys, "officer", "add", "jsmith", "--name", "Jo Smith")
    assert (
        run(
            capsys,
            "officer",
            "set",
            "jsmith",
            "--name",
            "Joanna Smith",
            "--title",
            "Senior Complaints Officer",
            "--email",
            "j.smith@example.gov.uk",
            "--phone",
            "01632 960123",
        )[0]
        == 0
    )
    assert sqlite_rows(db, "SELECT name, title, email, phone, role FROM officer WHERE login = 'jsmith'") == [
        ("Joanna Smith", "Senior Complaints Officer", "j.smith@example.gov.uk", "01632 960123", "officer")
    ]
    assert run(capsys, "officer", "deactivate", "jsmith")[0] == 0
    assert (
        "no"
        in next(line for line in run(capsys, "officer", "list")[1].splitlines() if line.startswith("jsmith")).split()
    )
    assert run(capsys, "officer", "activate", "jsmith")[0] == 0
    assert sqlite_rows(db, "SELECT active FROM officer WHERE login = 'jsmith'") == [(1,)]
    assert [a for (a,) in sqlite_rows(db, "SELECT action FROM audit_event ORDER BY id")][-3:] == [
        "officer changed",
        "officer deactivated",
        "officer activated",
    ]


def test_environment_variables_cannot_change_who_is_acting(db, tmp_path, capsys):
    """LOGNAME, USER and USERNAME set to a plain officer's login: the administrator who opened
    the database (this process's OS account) is still the one acting, in a fresh process."""
    assert run(capsys, "officer", "add", "alice", "--name", "Alice Able", "--role", "officer")[0] == 0
    env = caseworker_env(
        LOGNAME="alice",
        USER="alice",
        USERNAME="alice",
        CASEWORKER_USER="alice",
        CASEWORKER_LOGIN="alice",
    )

    done = subprocess.run(
        [sys.executable, "-m", "caseworker", "officer", "add", "bob", "--name", "Bob Baker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr  # alice (a plain officer) could not have added anyone
    assert sqlite_rows(db, "SELECT actor, action FROM audit_event ORDER BY id DESC LIMIT 1") == [(ME, "officer added")]

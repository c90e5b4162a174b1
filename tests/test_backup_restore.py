"""Backup and restore of the SQLite store, migrations that say where their backup went, and
`caseworker upgrade` on PostgreSQL needing a recent pg_dump."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import cli_database

from caseworker.cli import main
from caseworker.store.db import StoreUnavailable, make_engine
from caseworker.store.migrate import SCHEMA_HEAD, open_store, upgrade

TODAY = date(2025, 12, 19)
TRACKER = "Reference,Resident,Received\nR-1,Ada Okafor,2025-12-01\nR-2,Ben Morris,2025-12-02\n"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    (tmp_path / "live").mkdir()
    return cli_database(tmp_path / "live" / "caseworker.db", monkeypatch, TODAY)


def cases(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r for (r,) in con.execute("SELECT reference FROM complaint_case ORDER BY reference")]
    finally:
        con.close()


def import_csv(tmp_path: Path, text: str, capsys) -> None:
    csv = tmp_path / f"t{len(list(tmp_path.glob('t*.csv')))}.csv"
    csv.write_text(text, encoding="utf-8")
    assert main(["import", str(csv)]) == 0
    capsys.readouterr()


def test_backup_then_restore_round_trips_and_keeps_the_current_files_aside(db, tmp_path, capsys):
    import_csv(tmp_path, TRACKER, capsys)
    backup = tmp_path / "b.db"
    assert main(["backup", str(backup)]) == 0
    assert "2 cases" in capsys.readouterr().out
    import_csv(tmp_path, "Reference,Resident,Received\nR-3,Cy Jones,2025-12-03\n", capsys)
    assert cases(db) == ["R-1", "R-2", "R-3"]

    assert main(["restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "2 cases" in out
    aside = Path(out.split("kept in ")[1].rstrip().rstrip("/.").rstrip("/"))
    assert aside.parent == db.parent and aside.name.startswith("caseworker.db.before-restore-")
    assert cases(db) == ["R-1", "R-2"]
    assert cases(aside / "caseworker.db") == ["R-1", "R-2", "R-3"]  # nothing lost: the previous state is kept
    assert main(["due"]) == 0 and "R-1" in capsys.readouterr().out


def test_a_wal_left_by_a_crash_does_not_leak_into_the_restored_database(db, tmp_path, capsys):
    import_csv(tmp_path, TRACKER, capsys)
    backup = tmp_path / "b.db"
    assert main(["backup", str(backup)]) == 0
    # Commits after the backup that sit in the -wal file (a process that died before checkpointing).
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    for i in range(300):
        writer.execute("UPDATE complaint_case SET summary = ? WHERE reference = 'R-1'", (f"commit {i}",))
    wal = Path(f"{db}-wal")
    saved_wal = wal.read_bytes()
    writer.close()  # (closing checkpoints; put the crash's -wal back as it was)
    wal.write_bytes(saved_wal)
    assert main(["restore", str(backup)]) == 0
    out = capsys.readouterr().out
    aside = Path(out.split("kept in ")[1].rstrip().rstrip("/.").rstrip("/"))
    assert (aside / "caseworker.db-wal").read_bytes() == saved_wal
    assert not wal.exists() or wal.stat().st_size == 0
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT summary FROM complaint_case WHERE reference = 'R-1'").fetchone()[0] == ""
    finally:
        con.close()


def test_restore_is_refused_while_the_database_is_open_elsewhere(db, tmp_path, capsys):
    import_csv(tmp_path, TRACKER, capsys)
    backup = tmp_path / "b.db"
    assert main(["backup", str(backup)]) == 0
    capsys.readouterr()
    other = subprocess.Popen(  # another program with the database open, idle, in WAL mode like the app
        [
            sys.executable,
            "-c",
            (
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL');"
                "c.execute('SELECT count(*) FROM complaint_case').fetchall(); print('open', flush=True);"
                "sys.stdin.read()"
            ),
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "open"
        assert main(["restore", str(backup)]) == 1
        assert "open in another program" in capsys.readouterr().err
        assert not list(db.parent.glob("*.before-restore-*"))
    finally:
        other.stdin.close()
        other.wait(timeout=30)
    assert main(["restore", str(backup)]) == 0


def _damage(path: Path) -> None:
    """Overwrite the middle of the file: pages of the b-trees become garbage, the header stays."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xa5" * 8192)


def test_a_damaged_backup_is_not_restored_and_a_damaged_database_not_backed_up(db, tmp_path, capsys):
    import_csv(
        tmp_path, TRACKER * 1 + "".join(f"X-{i},Person {i},2025-11-{1 + i % 28:02d}\n" for i in range(3000)), capsys
    )
    backup = tmp_path / "b.db"
    assert main(["backup", str(backup)]) == 0
    capsys.readouterr()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(backup.read_bytes())
    _damage(damaged)
    assert main(["restore", str(damaged)]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert not list(db.parent.glob("*.before-restore-*")) and len(cases(db)) == 3002

    _damage(db)
    assert main(["backup", str(tmp_path / "bad-copy.db")]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err and "no backup was made" in err
    assert not (tmp_path / "bad-copy.db").exists() and not list(tmp_path.glob(".bad-copy*"))


@pytest.mark.skipif(
    os.name != "posix", reason="a file-size limit (RLIMIT_FSIZE) stands in for a full disk on POSIX only"
)
def test_a_full_destination_is_named_and_leaves_no_partial_files(db, tmp_path, capsys):
    import_csv(tmp_path, TRACKER + "".join(f"X-{i},Person {i},2025-11-{1 + i % 28:02d}\n" for i in range(2000)), capsys)
    dest = tmp_path / "full"
    dest.mkdir()
    script = (
        "import resource, signal, sys\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "from caseworker.cli import main\nsys.exit(main(['backup', sys.argv[1]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(dest / "b.db")],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"Cannot write the backup to {dest / 'b.db'}" in done.stderr and "is unharmed" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(dest.iterdir()) == []


def test_an_upgrade_says_where_its_backup_went(db, tmp_path, capsys):
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, to="0003")
    engine.dispose()
    assert main(["due"]) == 0
    err = capsys.readouterr().err
    assert f"from schema revision 0003 to {SCHEMA_HEAD}; a copy from before is at {db.parent}" in err
    assert len(list(db.parent.glob("caseworker.db.before-*.bak"))) == 1


@pytest.fixture
def pg_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite is covered above")
    return db_url


def test_postgresql_with_data_is_upgraded_only_by_caseworker_upgrade_after_a_pg_dump(
    pg_url, tmp_path, monkeypatch, capsys
):
    engine = make_engine(pg_url)
    upgrade(engine, to="0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO officer (login, name, email, role, active, created_at) "
                "VALUES ('ada', 'Ada', '', 'administrator', true, now())"
            )
        )
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="the database's owner runs `caseworker upgrade`"):
        open_store(pg_url)

    monkeypatch.setenv("CASEWORKER_DATABASE_URL", pg_url)
    monkeypatch.chdir(tmp_path)
    assert main(["upgrade"]) == 0
    out = capsys.readouterr().out
    dumps = list(tmp_path.glob("caseworker-*-before-*.dump"))
    assert len(dumps) == 1 and dumps[0].read_bytes().startswith(b"PGDMP")
    assert f"Backup: pg_dump wrote {dumps[0]}" in out and f"to {SCHEMA_HEAD}" in out
    assert main(["upgrade"]) == 0
    assert "already at schema revision" in capsys.readouterr().out
    open_store(pg_url).dispose()


def test_postgresql_upgrade_takes_a_recent_dump_or_no_backup_and_says_so(pg_url, tmp_path, monkeypatch, capsys):
    engine = make_engine(pg_url)
    upgrade(engine, to="0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO officer (login, name, email, role, active, created_at) "
                "VALUES ('ada', 'Ada', '', 'administrator', true, now())"
            )
        )
    engine.dispose()
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", pg_url)
    old = tmp_path / "old.dump"
    old.write_bytes(b"PGDMP" + bytes(100))
    os.utime(old, (0, 0))  # made in 1970: not a backup taken before this upgrade
    assert main(["upgrade", "--dump", str(old)]) == 1
    assert "hours ago; take a new pg_dump" in capsys.readouterr().err
    fake = tmp_path / "notes.txt"
    fake.write_text("not a dump", encoding="utf-8")
    assert main(["upgrade", "--dump", str(fake)]) == 1
    assert "is not a pg_dump file" in capsys.readouterr().err
    assert main(["upgrade", "--no-backup"]) == 0
    out = capsys.readouterr().out
    assert "WITHOUT a backup (--no-backup)" in out and f"to {SCHEMA_HEAD}; no backup copy was taken" in out


def test_restore_of_a_postgresql_database_says_use_pg_restore(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", "postgresql://caseworker@db.example.invalid/complaints")
    backup = tmp_path / "x.dump"
    backup.write_bytes(b"PGDMP")
    assert main(["restore", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "pg_restore --clean --if-exists" in err and "--dbname=complaints" in err

"""Migrations on SQLite and PostgreSQL, the append-only audit trigger, and SQLite backups.

Every test taking ``db_url`` or ``engine`` runs on both backends when CASEWORKER_TEST_PG_URL
is set (see conftest.py). Rows are written with SQLAlchemy Core, as a council's own tools
might, so the database itself is what is being tested.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers import sqlite_rows
from sqlmodel import SQLModel

from caseworker.store import db as store_db
from caseworker.store import migrate
from caseworker.store.backup import backup_sqlite
from caseworker.store.db import StoreUnavailable, is_sqlite, make_engine, sqlite_path
from caseworker.store.migrate import (
    UpgradeResult,
    alembic_config,
    current_revision,
    describe_failure,
    head_revision,
    open_store,
    upgrade,
)

TABLES = SQLModel.metadata.tables
AUDIT = TABLES["audit_event"]
RESIDENT = TABLES["resident"]
#: The resident table as revision 0001 made it (later revisions add the version columns).
RESIDENT_0001 = sa.Table(
    "resident",
    sa.MetaData(),
    *(sa.Column(c.name, c.type) for c in RESIDENT.columns if c.name not in ("version", "updated_at", "updated_by")),
)
WHEN = datetime(2025, 12, 19, 9, 30, tzinfo=UTC)
APPEND_ONLY = "audit_event is append-only: the case history cannot be changed"


@pytest.fixture
def bare_engine(db_url: str):
    """An engine on the empty database, not yet migrated."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "caseworker.db"


def add_resident(engine: sa.Engine, name: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            RESIDENT_0001.insert().values(
                name=name,
                address="1 Example Road",
                email="",
                phone="",
                preferred_channel="letter",
                vulnerable=False,
                vulnerability_notes="",
                created_at=WHEN,
            )
        )


def resident_names(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(sa.select(RESIDENT.c.name).order_by(RESIDENT.c.id)))


def add_audit_event(engine: sa.Engine) -> int:
    with engine.begin() as connection:
        return connection.execute(
            AUDIT.insert().values(
                at=WHEN, actor="jsmith", case_id=None, action="case-logged", detail="", before="", after="{}"
            )
        ).inserted_primary_key[0]


def audit_rows(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(AUDIT.c.id, AUDIT.c.actor, AUDIT.c.action))]


# -- from empty, and from the previous revision ---------------------------------------------


def test_empty_database_is_migrated_to_exactly_the_models(bare_engine: sa.Engine) -> None:
    result = upgrade(bare_engine)

    assert result == UpgradeResult(from_revision=None, to_revision=head_revision(), backup_path=None)
    assert head_revision() == migrate.SCHEMA_HEAD
    assert current_revision(bare_engine) == head_revision()
    assert set(TABLES) <= set(sa.inspect(bare_engine).get_table_names())
    with bare_engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": same_empty_string_default,
                "include_name": migrate.include_name,  # the search indexes (0010c) are not models
            },
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def same_empty_string_default(
    context, inspected_column, metadata_column, inspected_default, metadata_default, rendered_metadata_default
):
    """Server defaults are compared too, with one correction for a comparison quirk.

    Alembic's SQLite comparison unquotes only non-empty literals (its pattern is ``'(.+)'``),
    so a reflected ``DEFAULT ''`` (text ``('')``, quotes and all) never equals the model's
    ``server_default=""``. Exactly that pair counts as equal; every other default, on every
    backend, is left to Alembic's own comparison (None).
    """
    if rendered_metadata_default == "" and inspected_default in ("''", "('')"):
        return False
    return None


def test_every_index_and_unique_constraint_of_the_models_exists(engine: sa.Engine) -> None:
    inspector = sa.inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        indexes = {
            (ix["name"], tuple(ix["column_names"]), bool(ix["unique"])) for ix in inspector.get_indexes(table.name)
        }
        for index in table.indexes:
            assert (index.name, tuple(c.name for c in index.columns), bool(index.unique)) in indexes
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name)}
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint):
                assert tuple(c.name for c in constraint.columns) in uniques


def test_a_migrated_sqlite_store_keeps_its_connection_settings(sqlite_file: Path) -> None:
    engine = open_store(f"sqlite:///{sqlite_file}")  # the migration turns foreign keys off for itself
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            # SQLite's own 2,000 KiB page cache: the cases opened over a day do not fill a larger one
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
    finally:
        engine.dispose()


def test_the_inbox_reads_through_one_connection_with_a_larger_page_cache(sqlite_file: Path) -> None:
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.store.context import Store

    url = f"sqlite:///{sqlite_file}"
    store = Store(open_store(url), Settings(database_url=url, config_path=Path("unused.toml")), Clock())
    inbox = store.inbox_engine
    assert inbox is not store.engine and inbox is store.inbox_engine
    with inbox.connect() as connection:
        # an inbox page's working set at 1,000,000 cases (issue 17), kept between refreshes
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -store_db.PAGE_CACHE_KIB
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert inbox.pool.size() == 1
    store.close()
    assert "inbox_engine" not in store.__dict__
    # closing the store closed both: SQLite removed the write-ahead log with the last connection
    assert not sqlite_file.with_name(sqlite_file.name + "-wal").exists()


def test_a_store_in_memory_reads_its_inbox_through_its_own_engine() -> None:
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.store.context import Store

    store = Store(
        make_engine("sqlite://"), Settings(database_url="sqlite://", config_path=Path("unused.toml")), Clock()
    )
    assert store.inbox_engine is store.engine  # a second engine would see an empty database


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/cw/caseworker.db", "/srv/cw/caseworker.db"),
        ("sqlite:///file:/srv/cw/caseworker.db?mode=ro&uri=true", "/srv/cw/caseworker.db"),
        ("sqlite:///file:///srv/cw/my%20cases.db?uri=true", "/srv/cw/my cases.db"),
        ("sqlite:///file:/srv/cw/caseworker.db", "file:/srv/cw/caseworker.db"),  # not a URI without uri=true
        ("sqlite:///file:shared?mode=memory&uri=true", None),
        ("sqlite://", None),
    ],
)
def test_sqlite_path_reads_uri_filenames(url: str, expected: str | None) -> None:
    assert sqlite_path(url) == (None if expected is None else Path(expected))


def test_upgrade_from_the_previous_revision_keeps_the_data(db_url: str, bare_engine: sa.Engine) -> None:
    first = upgrade(bare_engine, to="0001")
    assert first == UpgradeResult(from_revision=None, to_revision="0001", backup_path=None)  # empty: no backup
    add_resident(bare_engine, "Ada Okafor")
    with bare_engine.begin() as connection:  # no trigger yet at 0001
        connection.execute(AUDIT.insert().values(at=WHEN, actor="jsmith", action="case-logged"))
        connection.execute(AUDIT.update().values(detail="edited before 0002"))

    result = upgrade(bare_engine)

    assert (result.from_revision, result.to_revision) == ("0001", head_revision())
    assert resident_names(bare_engine) == ["Ada Okafor"]
    assert current_revision(bare_engine) == head_revision()
    path = sqlite_path(db_url)
    if path is None:
        assert result.backup_path is None  # PostgreSQL: the administrator's pg_dump, not ours
        return
    backup = result.backup_path
    assert backup is not None and backup.parent == path.parent
    assert re.fullmatch(r"caseworker\.db\.before-" + head_revision() + r"-\d{14}\.bak", backup.name)
    assert sqlite_rows(backup, "SELECT name FROM resident") == [("Ada Okafor",)]
    assert sqlite_rows(backup, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert sqlite_rows(backup, "PRAGMA integrity_check") == [("ok",)]


def test_backup_before_upgrade_goes_to_the_folder_asked_for(sqlite_file: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{sqlite_file}")
    try:
        upgrade(engine, to="0001")
        add_resident(engine, "Ben Morris")
        result = upgrade(engine, backup_dir=tmp_path / "backups")
    finally:
        engine.dispose()

    assert result.backup_path is not None and result.backup_path.parent == tmp_path / "backups"
    assert sqlite_rows(result.backup_path, "SELECT name FROM resident") == [("Ben Morris",)]
    assert not list(sqlite_file.parent.glob("*.bak"))


def test_opening_an_up_to_date_store_changes_nothing(db_url: str, engine: sa.Engine) -> None:
    add_resident(engine, "Chloe Evans")

    assert upgrade(engine) == UpgradeResult(
        from_revision=head_revision(), to_revision=head_revision(), backup_path=None
    )
    again = open_store(db_url)
    again.dispose()
    assert resident_names(engine) == ["Chloe Evans"]
    path = sqlite_path(db_url)
    assert path is None or not list(path.parent.glob("*.bak"))


def test_downgrades_remove_the_triggers_then_the_tables(bare_engine: sa.Engine) -> None:
    upgrade(bare_engine)
    with bare_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0001")
    assert current_revision(bare_engine) == "0001"
    event_id = add_audit_event(bare_engine)
    with bare_engine.begin() as connection:
        connection.execute(AUDIT.update().values(actor="changed"))
        connection.execute(AUDIT.delete().where(AUDIT.c.id == event_id))

    with bare_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "base")
    assert not set(TABLES) & set(sa.inspect(bare_engine).get_table_names())

    assert upgrade(bare_engine).to_revision == head_revision()  # and back up again


def test_two_copies_starting_at_once_both_open_the_store(db_url: str) -> None:
    results: list[object] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        engine = make_engine(db_url)
        try:
            barrier.wait()
            results.append(upgrade(engine))
        except Exception as exc:  # noqa: BLE001  (whatever it is, the assertion below shows it)
            results.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(isinstance(r, UpgradeResult) and r.to_revision == head_revision() for r in results), results
    assert sorted(r.from_revision or "" for r in results) == ["", head_revision()]  # one migrated, one found it done


def test_a_failed_migration_leaves_the_database_as_it_was(
    db_url: str, bare_engine: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(bare_engine)
    add_resident(bare_engine, "Dev Patel")
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(
        'from alembic import op\nimport sqlalchemy as sa\n\nrevision = "9999"\n'
        f'down_revision = "{head_revision()}"\n'
        "branch_labels = depends_on = None\n\n\ndef upgrade():\n"
        '    op.add_column("resident", sa.Column("nickname", sa.String(40)))\n'
        '    op.create_table("scratch", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.execute("SELECT no_such_function()")\n\n\ndef downgrade():\n    pass\n'
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)

    with pytest.raises(
        StoreUnavailable,
        match=r"^Upgrading the database .* to schema revision 9999 failed, so nothing was changed: .*no_such_function",
    ):
        upgrade(bare_engine)

    assert current_revision(bare_engine) == migrate.SCHEMA_HEAD
    inspector = sa.inspect(bare_engine)
    assert "scratch" not in inspector.get_table_names()
    assert "nickname" not in {c["name"] for c in inspector.get_columns("resident")}
    assert resident_names(bare_engine) == ["Dev Patel"]


# -- the audit is append-only ------------------------------------------------------------------


def test_the_database_refuses_to_update_or_delete_audit_events(db_url: str, engine: sa.Engine) -> None:
    event_id = add_audit_event(engine)
    before = audit_rows(engine)

    for statement in (
        AUDIT.update().where(AUDIT.c.id == event_id).values(actor="someone-else"),
        AUDIT.update().values(detail="tidied up"),
        AUDIT.delete().where(AUDIT.c.id == event_id),
        AUDIT.delete(),
    ):
        with pytest.raises(sa.exc.IntegrityError, match=APPEND_ONLY), engine.begin() as connection:
            connection.execute(statement)
    if not is_sqlite(db_url):
        with pytest.raises(sa.exc.IntegrityError, match=APPEND_ONLY), engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE audit_event")

    assert audit_rows(engine) == before
    add_audit_event(engine)  # appending still works
    assert len(audit_rows(engine)) == 2


def test_sqlite_refuses_insert_or_replace_over_an_audit_row(tmp_path: Path) -> None:
    open_store(f"sqlite:///{tmp_path / 'cw.db'}").dispose()
    con = sqlite3.connect(tmp_path / "cw.db")
    try:
        con.execute(
            "INSERT INTO audit_event (id, at, actor, action, detail, before, after) "
            "VALUES (1, '2025-11-14 09:00:00', 'alice', 'logged', 'true', '', '')"
        )
        con.commit()
        for verb in ("INSERT OR REPLACE", "REPLACE"):
            with pytest.raises(sqlite3.IntegrityError, match=APPEND_ONLY):
                con.execute(
                    f"{verb} INTO audit_event (id, at, actor, action, detail, before, after) "
                    "VALUES (1, '2025-11-14 09:00:00', 'mallory', 'logged', 'rewritten', '', '')"
                )
        assert con.execute("SELECT actor, detail FROM audit_event").fetchall() == [("alice", "true")]
    finally:
        con.close()


# -- refusals and plain-English failures ------------------------------------------------------


def test_a_database_from_a_newer_version_is_refused(db_url: str, engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))

    with pytest.raises(
        StoreUnavailable,
        match=r"newer version of caseworker \(schema revision 0099; .* up to " + head_revision() + r"\)",
    ):
        upgrade(engine)
    with pytest.raises(StoreUnavailable, match="newer version"):
        open_store(db_url)
    assert current_revision(engine) == "0099"


def test_tables_not_made_by_the_migrations_are_left_alone(bare_engine: sa.Engine) -> None:
    SQLModel.metadata.create_all(bare_engine)  # as a hand-made database would be

    with pytest.raises(StoreUnavailable, match="no schema revision"):
        upgrade(bare_engine)
    assert current_revision(bare_engine) is None


@pytest.mark.parametrize("state", ["new file", "older revision"])
def test_a_locked_sqlite_database_gives_a_plain_reason(
    state: str, sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    url = f"sqlite:///{sqlite_file}"
    if state == "older revision":
        setup = make_engine(url)
        upgrade(setup, to="0001")
        setup.dispose()
    locker = sqlite3.connect(sqlite_file, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable) as caught:
            open_store(url)
    finally:
        locker.execute("ROLLBACK")
        locker.close()

    message = str(caught.value)
    assert re.search(r"\b(locked|busy)\b", message) and str(sqlite_file) in message
    assert "\n" not in message and "Traceback" not in message
    assert not list(sqlite_file.parent.glob("*.bak"))  # no backup taken when the lock was not had
    engine = open_store(url)  # fine once the other program lets go
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_an_unreachable_server_gives_a_plain_reason() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        open_store("postgresql+psycopg://caseworker:s3cret@127.0.0.1:1/caseworker")
    message = str(caught.value)
    assert message.startswith("Cannot reach the PostgreSQL server at 127.0.0.1:1")
    assert "\n" not in message and "s3cret" not in message


@pytest.mark.parametrize(
    ("driver_message", "expected"),
    [
        (
            'connection failed: FATAL:  password authentication failed for user "caseworker"',
            "refused user caseworker: check the user name and password",
        ),
        (
            'connection failed: FATAL:  database "cases" does not exist',
            "There is no database cases on the PostgreSQL server at db.example:6543",
        ),
        (
            "failed to resolve host 'db.example': [Errno -2] Name or service not known",
            "Cannot reach the PostgreSQL server at db.example:6543",
        ),
    ],
)
def test_server_failures_are_described_without_the_password(driver_message: str, expected: str) -> None:
    message = describe_failure(
        Exception(driver_message), "postgresql+psycopg://caseworker:s3cret@db.example:6543/cases"
    )
    assert expected in message
    assert "s3cret" not in message and "\n" not in message


def test_a_file_that_is_not_a_database_gives_a_plain_reason(sqlite_file: Path) -> None:
    sqlite_file.write_bytes(b"Name,Address\n" * 200)
    with pytest.raises(StoreUnavailable, match=r"is not a usable caseworker database"):
        open_store(f"sqlite:///{sqlite_file}")


def test_a_database_folder_that_cannot_exist_gives_a_plain_reason(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(StoreUnavailable, match="Cannot create the folder for the database"):
        open_store(f"sqlite:///{tmp_path / 'a-file' / 'caseworker.db'}")


# -- backups of a SQLite store in use ----------------------------------------------------------


def test_backup_is_consistent_while_another_program_writes(sqlite_file: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{sqlite_file}"
    engine = open_store(url)
    add_resident(engine, "Committed Resident")  # still in the WAL: the engine keeps its connection
    writer = sqlite3.connect(sqlite_file, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO resident (name, address, email, phone, preferred_channel, vulnerable, vulnerability_notes, created_at) VALUES ('Uncommitted Resident', '', '', '', '', 0, '', '2025-12-19 09:30:00')"
        )

        copy = backup_sqlite(engine, tmp_path / "copy.db")

        assert copy == tmp_path / "copy.db"
        assert sqlite_rows(copy, "SELECT name FROM resident") == [("Committed Resident",)]
        assert sqlite_rows(copy, "PRAGMA integrity_check") == [("ok",)]
        assert sqlite_rows(copy, "PRAGMA journal_mode") == [("delete",)]
        assert sqlite_rows(copy, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
        triggers = {
            name
            for (name,) in sqlite_rows(
                copy, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
            )
        }
        assert triggers == {"audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace"}

        with pytest.raises(FileExistsError, match="already exists"):
            backup_sqlite(url, copy)
        writer.execute("COMMIT")
        backup_sqlite(url, copy, overwrite=True)
        assert sqlite_rows(copy, "SELECT name FROM resident") == [("Committed Resident",), ("Uncommitted Resident",)]
    finally:
        writer.close()
        engine.dispose()
    assert not list(tmp_path.glob(".*.partial"))


def test_backup_into_a_folder_picks_a_dated_name(sqlite_file: Path, tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{sqlite_file}")
    engine.dispose()
    folder = tmp_path / "backups"
    folder.mkdir()

    copy = backup_sqlite(f"sqlite:///{sqlite_file}", folder)

    assert copy.parent == folder and re.fullmatch(r"caseworker-\d{14}\.db", copy.name)
    assert sqlite_rows(copy, "PRAGMA integrity_check") == [("ok",)]


def test_backup_refuses_what_it_cannot_copy(sqlite_file: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="use pg_dump|with pg_dump"):
        backup_sqlite("postgresql+psycopg://caseworker:s3cret@127.0.0.1:1/cases", tmp_path / "x.db")
    with pytest.raises(StoreUnavailable, match="no database file"):
        backup_sqlite(f"sqlite:///{sqlite_file}", tmp_path / "x.db")
    open_store(f"sqlite:///{sqlite_file}").dispose()
    with pytest.raises(StoreUnavailable, match="is the database itself"):
        backup_sqlite(f"sqlite:///{sqlite_file}", sqlite_file, overwrite=True)
    with pytest.raises(StoreUnavailable, match="does not exist"):
        backup_sqlite(f"sqlite:///{sqlite_file}", tmp_path / "missing" / "x.db")


def test_schema_head_constant_matches_the_migrations() -> None:
    """open_store's no-Alembic fast path compares against SCHEMA_HEAD: it must be the real head."""
    assert migrate.SCHEMA_HEAD == head_revision()


def test_opening_an_up_to_date_store_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'current.db'}"
    open_store(url).dispose()
    code = (
        f"import sys; from caseworker.store.migrate import open_store; open_store({url!r}).dispose(); "
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_0006_dates_the_letters_issued_before_it_and_keeps_them(db_url: str) -> None:
    """Letters issued before 0006 keep their text and get the day they were recorded as their date."""
    from datetime import date

    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.rules.lifecycle import CaseType, NewCase
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    engine = open_store(db_url)
    store = Store(engine, Settings(database_url=db_url, config_path=Path("none.toml")), Clock.at(date(2025, 12, 4)))
    sv.current_officer(store, "admin", "Ada Admin")
    resident = sv.add_resident(store, "admin", "Ada Okafor")
    case = sv.log_case(
        store, "admin", resident, NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould")
    )
    sv.issue_letter(store, "admin", case.id, "acknowledgement", "Subject", "The letter as sent")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0004c")
    assert upgrade(engine).to_revision == head_revision()
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT body, letter_date, letter_format FROM correspondence")).all()
    assert [(r[0], str(r[1]), r[2]) for r in rows] == [("The letter as sent", "2025-12-04", "")]
    engine.dispose()


def _case_indexes(engine: sa.Engine) -> dict[str, list[str | None]]:
    return {ix["name"]: ix["column_names"] for ix in sa.inspect(engine).get_indexes("complaint_case")}


def test_0013a_drops_the_case_indexes_that_others_lead_with_and_keeps_the_data(
    db_url: str, bare_engine: sa.Engine
) -> None:
    upgrade(bare_engine, to="0013b")
    before = _case_indexes(bare_engine)
    assert before["ix_complaint_case_resident_id"] == ["resident_id"]
    assert before["ix_complaint_case_status"] == ["status"]
    add_resident(bare_engine, "Ada Okafor")

    upgrade(bare_engine)

    after = _case_indexes(bare_engine)
    assert "ix_complaint_case_resident_id" not in after
    assert "ix_complaint_case_status" not in after
    # what leads with their columns is still there
    assert after["ix_case_resident_open"][0] == "resident_id"
    assert after["ix_case_status_due"][0] == "status"
    if is_sqlite(db_url):
        assert "ix_case_status_pg" not in after
    else:  # PostgreSQL keeps the status index (two queries use it), under a PostgreSQL-only name
        assert after["ix_case_status_pg"] == ["status"]
    assert resident_names(bare_engine) == ["Ada Okafor"]

    with bare_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0013b")
    restored = _case_indexes(bare_engine)
    assert restored["ix_complaint_case_resident_id"] == ["resident_id"]
    assert restored["ix_complaint_case_status"] == ["status"]
    assert "ix_case_status_pg" not in restored


def test_a_bulk_write_has_the_larger_page_cache_until_its_connection_goes_back(sqlite_file: Path) -> None:
    from caseworker.store.bulk import begin_bulk

    engine = open_store(f"sqlite:///{sqlite_file}")
    try:
        with engine.connect() as connection:
            begin_bulk(connection, [])
            # a tracker import's index pages stay in memory while it writes (issue 17)
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -store_db.PAGE_CACHE_KIB
            connection.rollback()
        with engine.connect() as connection:  # the same pooled connection, its cache back to SQLite's own
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -store_db.SQLITE_DEFAULT_CACHE_KIB
    finally:
        engine.dispose()


def test_the_privilege_checks_answer_the_same_in_plpgsql_and_go_back_to_sql(bare_engine: sa.Engine) -> None:
    """Migration 0013h: on PostgreSQL ``caseworker_privileged()`` and ``caseworker_member(grp)``
    become PL/pgSQL functions returning the very expressions 0004c wrote (plans kept for the
    session), with the same search_path; they answer as before (the test server's user is a
    superuser: privileged, and a member of every group), and the downgrade gives back the SQL
    functions' text exactly. On SQLite there are no such functions and nothing changes."""
    upgrade(bare_engine, to="0013g")
    postgres = not is_sqlite(str(bare_engine.url))

    def functions() -> dict[str, tuple[str, str, list[str]]]:
        if not postgres:
            return {}
        with bare_engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT p.proname, l.lanname, p.prosrc, p.proconfig FROM pg_proc p "
                "JOIN pg_language l ON l.oid = p.prolang "
                "WHERE p.proname IN ('caseworker_privileged', 'caseworker_member')"
            ).all()
        return {name: (language, source, config) for name, language, source, config in rows}

    def answers() -> tuple[bool, bool] | None:
        if not postgres:
            return None
        with bare_engine.connect() as connection:
            database = connection.exec_driver_sql("SELECT current_database()").scalar()
            return tuple(
                connection.execute(
                    sa.text("SELECT caseworker_privileged(), caseworker_member(:g)"), {"g": f"{database}_officer"}
                ).one()
            )

    before = functions()
    assert answers() in (None, (True, True))
    upgrade(bare_engine, to="0013h")
    after = functions()
    assert answers() in (None, (True, True))
    if postgres:
        for name, (language, source, config) in before.items():
            assert language == "sql" and source.strip().startswith("SELECT ")
            expression = source.strip()[len("SELECT ") :]
            assert after[name] == ("plpgsql", f"BEGIN RETURN {expression}; END", config)
        assert after["caseworker_member"][1] == (
            "BEGIN RETURN caseworker_privileged() OR pg_has_role(session_user, grp, 'MEMBER'); END"
        )
    else:
        assert before == after == {}
    with bare_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0013g")
    restored = functions()
    assert {name: (language, source.strip(), config) for name, (language, source, config) in restored.items()} == {
        name: (language, source.strip(), config) for name, (language, source, config) in before.items()
    }
    assert answers() in (None, (True, True))


def test_privileged_asks_the_owner_membership_first_and_goes_back(bare_engine: sa.Engine) -> None:
    """Migration 0013h2: on PostgreSQL ``caseworker_privileged()`` returns true at once for a
    member of the owner role and otherwise its whole stored expression, unchanged; the
    downgrade gives back 0013h's text exactly. On SQLite nothing changes."""
    upgrade(bare_engine, to="0013h")
    if is_sqlite(str(bare_engine.url)):
        upgrade(bare_engine)
        with bare_engine.begin() as connection:
            command.downgrade(alembic_config(connection=connection), "0013h")
        assert current_revision(bare_engine) == "0013h"
        return

    def privileged() -> tuple[str, bool]:
        with bare_engine.connect() as connection:
            return tuple(
                connection.exec_driver_sql(
                    "SELECT p.prosrc, caseworker_privileged() FROM pg_proc p WHERE p.proname = 'caseworker_privileged'"
                ).one()
            )

    with bare_engine.connect() as connection:
        owner = connection.exec_driver_sql("SELECT current_database() || '_owner'").scalar()
    before, answer = privileged()
    assert answer is True
    expression = re.match(r"BEGIN RETURN (.*); END$", before, re.DOTALL).group(1)
    assert expression.startswith("coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)")
    upgrade(bare_engine)
    after, answer = privileged()
    assert answer is True
    assert after == (
        f"BEGIN IF pg_has_role(session_user, '{owner}', 'MEMBER') THEN RETURN true; END IF; RETURN {expression}; END"
    )
    with bare_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0013h")
    assert privileged() == (before, True)

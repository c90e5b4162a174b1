"""Schema migrations (Alembic, driven from code), with a backup taken before a SQLite store is upgraded.

``open_store`` is how the product gets an engine: it builds one from the URL and brings the
schema up to date, taking a backup copy first when an existing SQLite file is upgraded.
Every database failure comes out as ``StoreUnavailable`` with a one-line reason a user can
act on. The schema only ever comes from the migrations in ``migrations/versions``.

To write a new revision after changing ``models.py`` (from the project folder)::

    python3 -c "from alembic import command; from caseworker.store.migrate import alembic_config; \\
        command.revision(alembic_config('sqlite:///scratch.db'), autogenerate=True, message='...')"

against a scratch database upgraded to the previous head, then review the generated file.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Connection, Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import SQLModel

import caseworker.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from caseworker.store.backup import BackupFailed, copy_sqlite
from caseworker.store.db import (
    StoreUnavailable,
    make_engine,
    sqlite_path,
)

if TYPE_CHECKING:  # pragma: no cover - Alembic is imported only when a migration may be needed
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")

#: The newest revision in ``migrations/versions`` (a test keeps it equal to Alembic's head).
#: ``open_store`` compares a database against it before importing Alembic at all, so an
#: up-to-date store opens without paying for Alembic's import on every start.
SCHEMA_HEAD = "0013h2"


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's ``include_name`` hook: False for the search indexes of revision 0010c, which are
    not ORM models (SQLite's FTS5 tables with their shadow tables, PostgreSQL's pg_trgm indexes and
    its copy of the open cases' names, revision 0013g),
    and for the indexes of one database only (names ending ``_pg``, revision 0012b; ``_sqlite``,
    revision 0012a2), so that comparing the schema with the models leaves them out."""
    if (
        type_ == "table"
        and name
        and name.startswith(("case_search", "open_case_search", "resident_search", "open_case_name"))
    ):
        return False
    return not (type_ == "index" and name and name.endswith(("_trgm", "_pg", "_sqlite")))


@dataclass(frozen=True)
class UpgradeResult:
    """What ``upgrade`` did: the revisions before and after, and the backup it took (if any)."""

    from_revision: str | None
    to_revision: str
    backup_path: Path | None = None


def alembic_config(url: str | None = None, *, connection: Connection | None = None) -> Config:
    """An Alembic configuration for caseworker's migrations, on a connection or a URL."""
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolates "%", which may appear in a folder name or a password.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this version of caseworker knows."""
    head = _script().get_current_head()
    assert head is not None, "caseworker ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for a database never migrated."""
    try:
        with engine.connect() as connection:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise StoreUnavailable(describe_failure(exc, engine.url)) from exc


def upgrade(engine: Engine, *, backup_dir: Path | None = None, to: str = "head") -> UpgradeResult:
    """Bring the schema up to ``to`` (the newest revision unless told otherwise).

    An existing SQLite file at an older revision is first copied, with SQLite's online
    backup, to ``<db>.before-<revision>-<YYYYmmddHHMMSS>.bak`` beside it (or in
    ``backup_dir``); a new, empty database gets no backup. The work happens in one
    transaction holding a lock (SQLite: the write lock; PostgreSQL: an advisory lock), so
    two copies of the app starting at once do not both migrate, nobody writes between the
    backup and the migration, and a failed migration leaves the database as it was.

    Raises:
        StoreUnavailable: the database cannot be reached or changed (one line saying why),
            is newer than this version of caseworker, or has caseworker tables that no
            migration made.
    """
    script = _script()
    target = script.get_revision(to)
    if target is None:
        raise ValueError(f"no schema revision {to!r}")
    try:
        current = current_revision(engine)
        if _up_to_date(script, current, target.revision, engine):
            return UpgradeResult(current, current, None)
        with _migration_transaction(engine) as connection:
            # Read again under the lock: another copy of the app may have just migrated.
            from alembic.runtime.migration import MigrationContext

            current = MigrationContext.configure(connection).get_current_revision()
            if _up_to_date(script, current, target.revision, engine):
                return UpgradeResult(current, current, None)
            backup = None
            path = sqlite_path(_url_text(engine))
            if current is None:
                _refuse_unversioned_tables(connection, engine)
            elif path is not None:
                backup = _backup_before_upgrade(path, backup_dir or path.parent, target.revision)
            try:
                from alembic import command

                command.upgrade(alembic_config(connection=connection), target.revision)
            except DBAPIError as exc:
                undone = ", so nothing was changed" if engine.dialect.name in ("sqlite", "postgresql") else ""
                raise StoreUnavailable(
                    f"Upgrading the database {_describe_url(engine.url)} to schema revision {target.revision} "
                    f"failed{undone}: {_first_line(exc)}"
                ) from exc
    except (DBAPIError, sqlite3.Error) as exc:
        raise StoreUnavailable(describe_failure(exc, engine.url)) from exc
    return UpgradeResult(current, target.revision, backup)


def open_store(url: str, on_upgrade: Callable[[str], None] | None = None) -> Engine:
    """An engine for ``url`` with its schema brought up to date: how the product opens a store.

    A SQLite file is upgraded in place after a backup copy (``on_upgrade`` is called with a
    sentence saying where the copy went). A PostgreSQL database that holds data is never
    upgraded here: that is ``caseworker upgrade``, run by the database's owner after a
    ``pg_dump`` (a new, empty database is set up at once).

    Raises:
        StoreUnavailable: with a one-line reason (bad URL, missing driver, unreachable or
            locked database, database newer than this version, PostgreSQL database needing
            ``caseworker upgrade``).
    """
    where = _describe_url(url)
    try:
        engine = make_engine(url)
    except ArgumentError as exc:
        raise StoreUnavailable(
            f"The database URL is not one caseworker can use ({exc}): give e.g. sqlite:///path/to/caseworker.db "
            "or postgresql://user@host/dbname."
        ) from exc
    except ImportError as exc:
        hint = (
            "pip install 'caseworker[postgres]'" if make_url(url).get_backend_name() == "postgresql" else "install it"
        )
        raise StoreUnavailable(f"The database driver for {where} ({exc.name}) is not installed: {hint}.") from exc
    except OSError as exc:
        raise StoreUnavailable(f"Cannot create the folder for the database {where}: {exc.strerror or exc}.") from exc
    try:
        if not _already_at_head(engine):
            if engine.dialect.name == "postgresql":
                current = current_revision(engine)
                if current is not None and current != head_revision():
                    _up_to_date(_script(), current, head_revision(), engine)  # refuses a newer database
                    raise StoreUnavailable(
                        f"The database {_describe_url(engine.url)} is at schema revision {current} and this version of "
                        f"caseworker needs {head_revision()}: the database's owner runs `caseworker upgrade` "
                        "(it takes a pg_dump backup first)."
                    )
            result = upgrade(engine)
            if on_upgrade is not None and result.from_revision != result.to_revision:
                on_upgrade(upgrade_sentence(result, engine))
    except BaseException:
        engine.dispose()
        raise
    return engine


def upgrade_sentence(result: UpgradeResult, engine: Engine) -> str:
    """What an upgrade did, in one sentence that says where its backup went."""
    where = _describe_url(engine.url)
    if result.from_revision is None:
        return f"Set up a new caseworker database at {where} (schema revision {result.to_revision})."
    backup = f"a copy from before is at {result.backup_path}" if result.backup_path else "no backup copy was taken"
    return (
        f"Upgraded the database {where} from schema revision {result.from_revision} to {result.to_revision}; {backup}."
    )


def _already_at_head(engine: Engine) -> bool:
    """True when the database is exactly at :data:`SCHEMA_HEAD` (a cheap check, no Alembic)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    except DBAPIError:
        return False  # no version table yet, or unreachable: upgrade() says which, in plain words


def describe_failure(exc: BaseException, url: str | URL) -> str:
    """One line of plain English saying why the database at ``url`` could not be used."""
    detail = _first_line(exc)
    text = detail.lower()
    parsed = make_url(url) if isinstance(url, str) else url
    where = _describe_url(parsed)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if "locked" in text or "busy" in text:
            return f"The database {where} is locked by another program (busy): close other copies of caseworker or wait, then try again."
        if "unable to open database file" in text:
            return f"Cannot open the database file {where}: check the folder exists and you may write to it."
        if "not a database" in text or "malformed" in text:
            return f"{where} is not a usable caseworker database (damaged, or another kind of file): restore it from a backup."
        if "readonly" in text:
            return f"The database {where} is read-only: caseworker needs to write to the file and its folder."
        if "disk is full" in text or "disk i/o error" in text:
            return f"Cannot write the database {where}: the disk is full or failing."
    elif backend == "postgresql":
        server = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        user = parsed.username or "(none)"
        if "password" in text or "authentication failed" in text or re.search(r'role "[^"]*" does not exist', text):
            return f"The PostgreSQL server at {server} refused user {user}: check the user name and password."
        if missing := re.search(r'database "([^"]*)" does not exist', detail):
            return f"There is no database {missing[1]} on the PostgreSQL server at {server}: ask its administrator to create it."
        if "connection failed" in text or any(s in text for s in _UNREACHABLE):
            return f"Cannot reach the PostgreSQL server at {server}: check it is running and this computer may connect to it ({detail})."
    return f"The database {where} cannot be used: {detail}"


#: What psycopg says when the server cannot be reached at all.
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "timeout expired",
    "timed out",
    "resolve host",
    "translate host",
    "no route to host",
    "network is unreachable",
    "closed the connection",
)


def _first_line(exc: BaseException) -> str:
    """The driver's own first line of an error (without SQLAlchemy's SQL and links)."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0].strip() if lines else type(orig).__name__


# -- helpers -------------------------------------------------------------------------------

#: Key of the PostgreSQL advisory lock held while migrating ("cwmg").
_PG_MIGRATION_LOCK = 0x63776D67


def _backup_before_upgrade(path: Path, folder: Path, revision: str) -> Path:
    """Copy the SQLite file to ``<folder>/<db>.before-<revision>-<YYYYmmddHHMMSS>.bak``."""
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    dest = folder / f"{path.name}.before-{revision}-{stamp}.bak"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return copy_sqlite(path, dest)
    except OSError as exc:
        raise StoreUnavailable(
            f"Cannot write the backup copy {dest} taken before upgrading, so nothing was changed: {exc.strerror or exc}."
        ) from exc
    except BackupFailed as exc:
        raise StoreUnavailable(
            f"The backup copy taken before upgrading was not made, so nothing was changed: {exc}"
        ) from exc


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that holds the migration lock; committed on success."""
    dialect = engine.dialect.name
    with engine.connect() as connection:
        try:
            if dialect == "sqlite":
                # SQLite's recipe for schema changes: foreign keys off (a table rebuild would
                # trip them, and the pragma is ignored inside a transaction), the write lock
                # taken at once, and a foreign-key check before committing.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            elif dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
                _act_as_owner(connection)
            yield connection
            if dialect == "sqlite" and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise StoreUnavailable("The upgrade would break links between records, so nothing was changed.")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if dialect == "sqlite":
                connection.invalidate()  # its foreign_keys pragma is off: never hand it out again


def _act_as_owner(connection: Connection) -> None:
    """Team mode (PostgreSQL): migrate as the role that owns the tables (``SET LOCAL ROLE``), so
    that new tables are the owner's and officers get their privileges by default. The caller
    must be a member of that role or a superuser; on a database without team roles, nothing."""
    if connection.execute(text("SELECT to_regclass('setting')")).scalar() is None:
        return
    value = connection.execute(text("SELECT value FROM setting WHERE key = 'team_roles'")).scalar()
    if not value:
        return
    import json

    owner = json.loads(value).get("owner")
    if owner and connection.execute(text("SELECT pg_has_role(current_user, :o, 'MEMBER')"), {"o": owner}).scalar():
        connection.exec_driver_sql('SET LOCAL ROLE "' + owner.replace('"', '""') + '"')


def _up_to_date(script: ScriptDirectory, current: str | None, target: str, engine: Engine) -> bool:
    """True when ``current`` is ``target`` or newer; refuses a revision this code does not know."""
    if current is None:
        return False
    if current not in {rev.revision for rev in script.walk_revisions()}:
        raise StoreUnavailable(
            f"The database {_describe_url(engine.url)} was upgraded by a newer version of caseworker "
            f"(schema revision {current}; this version knows revisions up to {script.get_current_head()}): "
            "install that version to open it."
        )
    return current == target or target in {rev.revision for rev in script.iterate_revisions(current, "base")}


def _refuse_unversioned_tables(connection: Connection, engine: Engine) -> None:
    """Refuse a database that has caseworker's tables but no revision (not made by migrations)."""
    ours = sorted(set(SQLModel.metadata.tables) & set(inspect(connection).get_table_names()))
    if ours:
        raise StoreUnavailable(
            f"The database {_describe_url(engine.url)} already has caseworker tables ({', '.join(ours[:3])}, ...) "
            "but no schema revision, so no migration made them; nothing was changed. "
            "Move it aside or choose another database."
        )


def _url_text(engine_or_url: Engine | URL) -> str:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url
    return url.render_as_string(hide_password=False)


def _describe_url(url: str | URL) -> str:
    """The database as a user would name it: the file for SQLite, the URL without password otherwise."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "(the database URL cannot be read)"
    path = sqlite_path(parsed.render_as_string(hide_password=False))
    if path is not None:
        return str(path)
    return parsed.render_as_string(hide_password=True)

"""Backing up and restoring a SQLite store (laptop mode). A PostgreSQL store is backed up
with ``pg_dump`` and restored with ``pg_restore`` (the messages here say how).

:func:`backup_sqlite` checks the database's integrity first (a damaged database is never
copied over a good backup), copies it with SQLite's online backup API (one committed state,
even while the app writes), checks the copy, and only then gives it its name: a failure
leaves no partial file, and says which side failed (a full destination disk is not the
database's fault).

:func:`restore_sqlite` checks the backup, refuses while another program has the database
open, moves the current database and its ``-wal``/``-shm`` files aside into one folder (kept,
and named in the result), puts a copy of the backup in place and checks it again.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from caseworker.store.db import BUSY_TIMEOUT_MS, StoreUnavailable, sqlite_path

#: Files SQLite may keep beside a database.
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupFailed(StoreUnavailable):
    """The backup or restore was not made; the message names the cause and what to do."""


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the database restored, where the previous files went, and its cases."""

    database: Path
    moved_aside: Path | None
    cases: int
    revision: str | None


def integrity_problem(path: Path, *, quick: bool = False) -> str | None:
    """None when the SQLite file at ``path`` passes SQLite's integrity check, else the first finding.

    Opened read-only (a WAL beside it is read, never checkpointed into it).
    """
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        con.close()
    findings = [r[0] for r in rows]
    return None if findings == ["ok"] else "; ".join(findings[:3])


def backup_sqlite(engine_or_url: Engine | str, dest: Path, *, overwrite: bool = False) -> Path:
    """Copy a SQLite database to ``dest`` consistently, even while the app is writing to it.

    The database's integrity is checked first; the copy is made with SQLite's online backup
    API into a hidden file beside ``dest``, checked, flushed to disk and only then renamed to
    ``dest``. ``dest`` may be an existing folder, in which case a dated file name is chosen
    inside it. The copy is a single self-contained file (rollback journal, not WAL).

    Raises:
        StoreUnavailable: the database is not a SQLite file (PostgreSQL: use ``pg_dump``),
            cannot be read, or is damaged (nothing copied).
        BackupFailed: the copy could not be written (the cause named: e.g. the destination
            disk is full); no partial file is left.
        FileExistsError: ``dest`` exists and ``overwrite`` was not asked for.
    """
    from caseworker.store.migrate import _describe_url, _url_text, describe_failure

    url = _url_text(engine_or_url) if isinstance(engine_or_url, Engine) else engine_or_url
    where = _describe_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        raise StoreUnavailable(
            f"The database {where} is on a PostgreSQL server: back it up with pg_dump, e.g. "
            f"pg_dump --host={parsed.host or 'localhost'} --port={parsed.port or 5432} "
            f"--username={parsed.username or 'USER'} --format=custom --file=caseworker.dump {parsed.database or 'DBNAME'}"
        )
    path = sqlite_path(url)
    if parsed.get_backend_name() != "sqlite":
        raise StoreUnavailable(f"The database {where} is not a SQLite file: back it up with that database's own tools.")
    if path is None:
        raise StoreUnavailable("An in-memory database has no file to back up.")
    if not path.is_file():
        raise StoreUnavailable(f"There is no database file at {path} to back up.")
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"{path.stem}-{datetime.now().strftime('%Y%m%d%H%M%S')}{path.suffix or '.db'}"
    if dest.exists() and not overwrite:
        raise FileExistsError(f"{dest} already exists: choose another name, or ask to overwrite it.")
    if not dest.parent.is_dir():
        raise StoreUnavailable(f"The folder {dest.parent} does not exist.")
    if dest.resolve() == path.resolve():
        raise StoreUnavailable(f"{dest} is the database itself: choose another file for the backup.")
    problem = integrity_problem(path)
    if problem is not None:
        if "locked" in problem or "busy" in problem:
            raise StoreUnavailable(describe_failure(sqlite3.OperationalError(problem), url))
        raise StoreUnavailable(
            f"The database {path} is damaged (SQLite's integrity check: {problem}), so no backup was made "
            "(your earlier backups stay as they were). Restore the latest good one with `caseworker restore BACKUP`."
        )
    return copy_sqlite(path, dest, check=True)


def copy_sqlite(source: Path, dest: Path, *, check: bool = False) -> Path:
    """Online-backup ``source`` to ``dest`` (replacing it) through a hidden file beside it.

    Raises:
        BackupFailed: naming the side that failed and why; the hidden file and any journal
            of it are removed.
    """
    partial = dest.with_name(f".{dest.name}.partial")
    _remove_with_side_files(partial)
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise BackupFailed(f"Cannot read the database {source}: {exc}.") from exc
    try:
        try:
            dst = sqlite3.connect(partial)
        except sqlite3.Error as exc:
            raise BackupFailed(f"Cannot create the backup file in {dest.parent}: {exc}.") from exc
        try:
            dst.execute("PRAGMA journal_mode=OFF")  # a scratch file: no journal beside it to leave behind
            src.backup(dst)  # all pages in one step: a single consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise BackupFailed(
                    f"The database {source} is busy (another program holds a write lock): try again in a moment."
                ) from exc
            raise BackupFailed(
                f"Cannot write the backup to {dest}: {_write_cause(exc)}. Nothing was written "
                f"there, and the database {source} is unharmed."
            ) from exc
        finally:
            dst.close()
        if check:
            problem = integrity_problem(partial, quick=True)
            if problem is not None:
                raise BackupFailed(
                    f"The copy written to {dest.parent} did not read back correctly ({problem}): "
                    "the disk there may be failing; nothing was kept."
                )
        _fsync(partial)
        os.replace(partial, dest)
        _fsync(dest.parent)
    except OSError as exc:
        raise BackupFailed(
            f"Cannot write the backup to {dest}: {exc.strerror or exc}. Nothing was written there, "
            f"and the database {source} is unharmed."
        ) from exc
    finally:
        src.close()
        _remove_with_side_files(partial)
    return dest


def _write_cause(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "the disk (or your quota there) is full"
    if "readonly" in text or "read-only" in text:
        return "the destination is read-only"
    if "i/o" in text:
        return "the disk reported a write error (full, removed or failing)"
    return str(exc)


def _fsync(path: Path) -> None:
    """Flush a file (or, where the system allows, a folder) to disk."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder this way; its rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def database_in_use(path: Path) -> bool:
    """True when another program has the SQLite database at ``path`` open.

    In WAL mode (how caseworker opens it) every open connection holds a shared lock on the
    database file's shared-lock bytes and on the ``-shm`` file's "dead man switch" byte for
    as long as it is open, idle or not. On POSIX those locks are tested directly (nothing is
    opened through SQLite, so a ``-wal`` left by a crash stays exactly as it is); elsewhere
    SQLite's own exclusive lock is tried (closing that probe may checkpoint a stray ``-wal``
    into the database, which keeps every committed change).
    """
    if not path.exists():
        return False
    if os.name == "posix":
        return not (
            _byte_lock_free(path, _SQLITE_SHARED_FIRST, _SQLITE_SHARED_SIZE)
            and _byte_lock_free(Path(f"{path}-shm"), _SQLITE_SHM_DMS, 1)
        )
    try:
        con = sqlite3.connect(path, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        con.execute("ROLLBACK")
        return False
    except sqlite3.DatabaseError as exc:
        return "locked" in str(exc).lower() or "busy" in str(exc).lower()
    finally:
        con.close()


#: SQLite's unix VFS lock bytes: the shared-lock range of the database file, and the
#: "dead man switch" byte of the -shm file each WAL connection holds while open.
_SQLITE_SHARED_FIRST, _SQLITE_SHARED_SIZE, _SQLITE_SHM_DMS = 0x40000002, 510, 128


def _byte_lock_free(path: Path, start: int, length: int) -> bool:
    """True when no process holds a POSIX lock on ``length`` bytes of ``path`` from ``start``."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start)
        fcntl.lockf(fd, fcntl.LOCK_UN, length, start)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def restore_sqlite(url: str, backup: Path) -> RestoreResult:
    """Put the SQLite backup ``backup`` in place of the database at ``url``.

    Steps: the backup's integrity and that it is a caseworker database (of a schema this
    version knows); refused while another program has the database open; a checked copy of
    the backup made beside the database; the current database and its ``-wal``, ``-shm`` and
    ``-journal`` files moved together into ``<db>.before-restore-<YYYYmmddHHMMSS>/`` (kept);
    the copy renamed into place; the restored database checked again, and the lock tried
    again (someone who opened the database meanwhile is named as a problem).

    Raises:
        StoreUnavailable: PostgreSQL (use pg_restore), or the database or backup cannot be used.
        BackupFailed: the backup is damaged or not a caseworker database, the database is in
            use, or the files could not be moved (nothing changed).
    """
    from caseworker.store.migrate import _describe_url, head_revision

    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        raise StoreUnavailable(
            f"The database {_describe_url(url)} is on a PostgreSQL server: restore a pg_dump file with pg_restore, "
            f"e.g. pg_restore --clean --if-exists --host={parsed.host or 'localhost'} --port={parsed.port or 5432} "
            f"--username={parsed.username or 'OWNER'} --dbname={parsed.database or 'DBNAME'} caseworker.dump "
            "(as the owner role, with the app closed everywhere)"
        )
    path = sqlite_path(url)
    if path is None:
        raise StoreUnavailable("An in-memory database cannot be restored.")
    backup = Path(backup)
    if not backup.is_file():
        raise BackupFailed(f"There is no backup file at {backup}.")
    if backup.resolve() == path.resolve():
        raise BackupFailed(f"{backup} is the database itself: name the backup file to restore.")
    problem = integrity_problem(backup)
    if problem is not None:
        raise BackupFailed(
            f"The backup {backup} is damaged or not a database ({problem}): nothing was changed; choose another backup."
        )
    revision = _revision_of(backup)
    known = {head_revision()} | _known_revisions()
    if revision is None:
        raise BackupFailed(
            f"{backup} is a SQLite file but not a caseworker database (no schema revision): nothing was changed."
        )
    if revision not in known:
        raise BackupFailed(
            f"The backup {backup} was made by a newer version of caseworker (schema {revision}): "
            "install that version to restore it; nothing was changed."
        )
    if database_in_use(path):
        raise BackupFailed(
            f"The database {path} is open in another program (caseworker on this or another "
            "computer, or a reporting tool): close it everywhere, then restore again; nothing was changed."
        )
    incoming = path.with_name(f".{path.name}.restoring")
    copy_sqlite(backup, incoming, check=True)
    aside = None
    try:
        present = [Path(f"{path}{s}") for s in ("", *SIDE_FILES) if Path(f"{path}{s}").exists()]
        if present:
            aside = path.with_name(f"{path.name}.before-restore-{datetime.now().strftime('%Y%m%d%H%M%S')}")
            aside.mkdir()
            if database_in_use(path):  # check again just before moving: someone may have just opened it
                aside.rmdir()
                raise BackupFailed(
                    f"The database {path} was just opened by another program: close it everywhere, "
                    "then restore again; nothing was changed."
                )
            for file in present:
                os.replace(file, aside / file.name)
        os.replace(incoming, path)
        _fsync(path.parent)
    except OSError as exc:
        raise BackupFailed(
            f"Cannot move the database files in {path.parent}: {exc.strerror or exc}"
            + (f" (files already moved are in {aside})" if aside else "")
        ) from exc
    finally:
        _remove_with_side_files(incoming)
    problem = integrity_problem(path)
    if problem is not None:
        raise BackupFailed(
            f"The restored database {path} does not check out ({problem}); the previous files are in {aside}."
        )
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        cases = con.execute("SELECT count(*) FROM complaint_case").fetchone()[0]
    finally:
        con.close()
    return RestoreResult(path, aside, cases, revision)


def _revision_of(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            con.execute("SELECT count(*) FROM complaint_case").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _known_revisions() -> set[str]:
    from caseworker.store.migrate import _script

    return {rev.revision for rev in _script().walk_revisions()}

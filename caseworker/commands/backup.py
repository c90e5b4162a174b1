"""``caseworker backup PATH`` and ``caseworker restore BACKUP`` for the SQLite store.

Backup checks the database's integrity first and writes the copy atomically with SQLite's
online backup (``store.backup``): the copy is one committed state even while the app is
writing, a failure leaves no partial file, and the message names the real cause. Restore
checks the backup, refuses while the database is open anywhere, moves the current files
aside (and says where) and checks the result. A shared PostgreSQL database is backed up
with ``pg_dump`` and restored with ``pg_restore`` instead (the messages say how). An existing
file is never overwritten.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from caseworker.cli import CommandError
from caseworker.commands.common import load


def run(args) -> int:
    """Dispatch: ``backup`` or ``restore``."""
    if args.command == "restore":
        return run_restore(args)
    return run_backup(args)


def run_backup(args) -> int:
    """Copy the database to PATH (exit 2 if PATH exists; exit 1 for PostgreSQL, a damaged database or a failed write)."""
    from caseworker.store.backup import backup_sqlite
    from caseworker.store.db import StoreUnavailable

    settings = load()
    url = settings.database_url
    dest = Path(args.path)
    if dest.exists() and not dest.is_dir():
        raise CommandError(f"PATH: {dest} already exists: choose another name (a backup never overwrites a file)")
    try:
        written = backup_sqlite(url, dest)
    except FileExistsError as exc:
        raise CommandError(f"PATH: {exc}") from None
    except StoreUnavailable as exc:
        raise CommandError(str(exc), status=1) from None
    print(
        f"Backed up {_describe(url)} to {written} ({_cases(written)}; integrity checked before and after). "
        f"To put it back: caseworker restore {written}"
    )
    return 0


def run_restore(args) -> int:
    """Put a backup in place of the database, keeping the current files aside."""
    from caseworker.store.backup import restore_sqlite
    from caseworker.store.db import StoreUnavailable

    settings = load()
    try:
        result = restore_sqlite(settings.database_url, Path(args.backup))
    except StoreUnavailable as exc:
        raise CommandError(str(exc), status=1) from None
    aside = f" The previous database files are kept in {result.moved_aside}/." if result.moved_aside else ""
    print(
        f"Restored {result.database} from {args.backup} ({result.cases:,} case{'s' if result.cases != 1 else ''}; "
        f"integrity checked).{aside}"
    )
    return 0


def _describe(url: str) -> str:
    from caseworker.store.db import sqlite_path

    path = sqlite_path(url)
    return str(path) if path else url


def _cases(path: Path) -> str:
    """How many cases the copy holds (read back from the copy itself)."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            n = con.execute("SELECT count(*) FROM complaint_case").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return "an empty database"
    return f"{n:,} case{'s' if n != 1 else ''}"

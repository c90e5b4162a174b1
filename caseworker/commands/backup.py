"""``caseworker backup PATH``: a consistent copy of the SQLite database while it is in use.

Uses SQLite's online backup (``store.migrate.backup_sqlite``): the copy is one committed
state of the database even while the app is writing. A shared PostgreSQL database is
backed up with ``pg_dump`` instead. An existing file is never overwritten.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from caseworker.cli import CommandError
from caseworker.commands.common import load


def run(args) -> int:
    """Copy the database to PATH (exit 2 if PATH exists; exit 1 for PostgreSQL or an unreadable database)."""
    from caseworker.store.db import StoreUnavailable, is_sqlite
    from caseworker.store.migrate import backup_sqlite

    settings = load()
    url = settings.database_url
    if not is_sqlite(url):
        try:
            backup_sqlite(url, Path(args.path))
        except StoreUnavailable as exc:
            raise CommandError(str(exc), status=1) from None
    dest = Path(args.path)
    if dest.exists() and not dest.is_dir():
        raise CommandError(f"PATH: {dest} already exists: choose another name (a backup never overwrites a file)")
    try:
        written = backup_sqlite(url, dest)
    except FileExistsError as exc:
        raise CommandError(f"PATH: {exc}") from None
    except StoreUnavailable as exc:
        raise CommandError(str(exc), status=1) from None
    except OSError as exc:
        raise CommandError(f"PATH: cannot write {dest}: {exc.strerror or exc}", status=1) from None
    print(f"Backed up {_describe(url)} to {written} ({_cases(written)}).")
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

"""``caseworker upgrade [--dump FILE | --no-backup]``: bring the database's schema up to date.

SQLite: a backup copy is taken beside the database first, and the command says where.
PostgreSQL (run it as the role that owns the tables): a database that holds data is only
upgraded with a recent backup: ``pg_dump`` is run first when it is installed (the dump is
written to the current folder and named), or ``--dump FILE`` names a dump made in the last
24 hours; ``--no-backup`` upgrades without one, and says so.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path

from caseworker.cli import CommandError
from caseworker.commands.common import load

#: How old a ``--dump`` file may be and still count as a backup taken before the upgrade.
RECENT_SECONDS = 24 * 3600


def run(args) -> int:
    """Upgrade the configured database (exit 1 when refused or failed, 2 for bad input)."""
    from caseworker.store.db import StoreUnavailable, make_engine
    from caseworker.store.migrate import (
        current_revision,
        head_revision,
        upgrade,
        upgrade_sentence,
    )

    settings = load()
    url = settings.database_url
    try:
        engine = make_engine(url)
    except Exception as exc:  # noqa: BLE001 (bad URL or missing driver: one line either way)
        raise CommandError(f"The database URL cannot be used: {exc}", status=1) from None
    try:
        current = current_revision(engine)
        head = head_revision()
        if current == head:
            print(f"The database is already at schema revision {head}; nothing to do.")
            return 0
        if engine.dialect.name == "postgresql" and current is not None:
            said = _postgres_backup(args, engine.url, current, head)
            print(said, flush=True)
        result = upgrade(engine)
        print(upgrade_sentence(result, engine))
    except StoreUnavailable as exc:
        raise CommandError(str(exc), status=1) from None
    finally:
        engine.dispose()
    return 0


def _postgres_backup(args, url, current: str, head: str) -> str:
    """Make sure a recent backup exists before a PostgreSQL upgrade; say which."""
    if args.no_backup:
        return (
            f"Upgrading from schema revision {current} to {head} WITHOUT a backup (--no-backup): "
            "if it fails half way, the database rolls back, but nothing else protects your data."
        )
    if args.dump:
        dump = Path(args.dump)
        if not dump.is_file():
            raise CommandError(f"--dump: no such file {str(dump)!r}")
        age = time.time() - dump.stat().st_mtime
        if age > RECENT_SECONDS:
            raise CommandError(
                f"--dump: {dump} was made {age / 3600:.0f} hours ago; take a new pg_dump just before "
                "upgrading (or let `caseworker upgrade` run pg_dump itself)",
                status=1,
            )
        with dump.open("rb") as fh:
            head_bytes = fh.read(4096)
        if not (head_bytes.startswith(b"PGDMP") or b"PostgreSQL database dump" in head_bytes):
            raise CommandError(f"--dump: {dump} is not a pg_dump file", status=1)
        return f"Backup: {dump} (pg_dump, {datetime.fromtimestamp(dump.stat().st_mtime):%d/%m/%Y %H:%M})."
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError(
            "Upgrading a PostgreSQL database needs a recent backup, and pg_dump is not installed here: run "
            f"pg_dump --format=custom --file=caseworker.dump --host={url.host or 'localhost'} --port={url.port or 5432} "
            f"--username={url.username or 'OWNER'} {url.database} on a machine that has it, then "
            "`caseworker upgrade --dump caseworker.dump` (or --no-backup, not advised)",
            status=1,
        )
    target = Path.cwd() / f"caseworker-{url.database}-before-{head}-{datetime.now():%Y%m%d%H%M%S}.dump"
    command = [pg_dump, "--format=custom", f"--file={target}", f"--dbname={_libpq_url(url)}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise CommandError(f"pg_dump failed, so the database was not upgraded: {reason}", status=1)
    return f"Backup: pg_dump wrote {target} before the upgrade (restore it with pg_restore if ever needed)."


def _libpq_url(url) -> str:
    """The SQLAlchemy URL as a libpq connection string (no driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)

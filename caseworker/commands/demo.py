"""``caseworker demo [--cases N] [--rebuild] [--no-app]``: the app on a separate demo database.

The demo database is ``config.demo_database_url()`` (``demo.db`` in the user's data
folder), never the user's own database. It is built when missing, with ``--rebuild``, or
when ``--cases`` asks for a size other than the default; otherwise the existing demo opens
as it was left (training changes are kept). Today is the real date unless
``CASEWORKER_TODAY`` says otherwise.

``--as LOGIN`` opens the demo as one of its officers (say ``bhughes``, a supervisor) so a
trainee can try the supervisor's screens. Only the demo database can be opened so: on a
real database the officer is always the operating-system account (or, in team mode, the
PostgreSQL role), never a name given on the command line or in the environment.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from datetime import date

from caseworker.cli import CommandError
from caseworker.commands.common import load

DEFAULT_CASES = 200
MAX_CASES = 1_000_000


def _built_for(path) -> dict | None:
    """The demo marker of an existing demo file (today, cases, seed), or None if there is none."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = 'demo'").fetchone()
        finally:
            con.close()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def _check_demo_officer(path, login: str) -> None:
    """Refuse ``--as`` with a login that is not an active officer of the demo database (exit 2, listing them)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = con.execute("SELECT login, name, role FROM officer WHERE active ORDER BY role, login").fetchall()
    finally:
        con.close()
    if login not in {row[0] for row in found}:
        listed = ", ".join(f"{lg} ({role})" for lg, _name, role in found)
        raise CommandError(f"--as: {login!r} is not an officer of the demo database; its officers are {listed}")


def run(args) -> int:
    """Build the demo database if needed, then open the app on it (or just say where it is)."""
    from caseworker.config import demo_database_url
    from caseworker.store.db import sqlite_path

    if args.cases < 1 or args.cases > MAX_CASES:
        raise CommandError(f"--cases: give a number of cases from 1 to {MAX_CASES:,} (got {args.cases})")
    settings = load()
    today = settings.today or date.today()
    url = demo_database_url()
    path = sqlite_path(url)
    marker = _built_for(path) if path is not None and path.exists() else None
    if args.rebuild or marker is None or args.cases != DEFAULT_CASES:
        from caseworker.store.demo import NotADemoDatabase, build_demo

        print(f"Building the demo database ({args.cases:,} cases)...", flush=True)
        try:
            summary = build_demo(
                url,
                args.cases,
                today=today,
                settings=settings.with_database(url),
                progress=lambda line: print(line, flush=True),
            )
        except NotADemoDatabase as exc:
            raise CommandError(str(exc), status=1) from None
        except OSError as exc:
            raise CommandError(f"cannot write the demo database {path}: {exc.strerror or exc}", status=1) from None
        print(
            f"Built in {summary.seconds:.1f} s: {summary.cases:,} cases ({summary.live:,} with a live deadline), "
            f"{summary.residents:,} residents, {summary.officers} officers; history from "
            f"{summary.first_received:%d %b %Y}, due dates around {today:%a %d %b %Y}."
        )
    elif marker.get("today") != today.isoformat():
        print(
            f"The demo was built for {marker.get('today')}; run `caseworker demo --rebuild` for due dates around today."
        )
    print(f"Demo database: {path if path is not None else url}")
    if args.as_login is not None and path is not None:
        _check_demo_officer(path, args.as_login)
    if args.no_app or importlib.util.find_spec("caseworker.app") is None:
        return 0
    from caseworker.app import CaseworkerApp

    app = CaseworkerApp(settings.with_database(url), login=args.as_login)
    app.run()
    app.close_store()
    return int(app.return_code or 0)  # non-zero when the app stopped on an error

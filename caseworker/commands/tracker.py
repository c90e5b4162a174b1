"""``caseworker import FILE.csv`` and ``caseworker export [--format csv|json] [--out PATH]``.

Import checks every row first and lists every problem (line and column) on standard error;
with any problem nothing is imported (exit status 1). Otherwise all rows go in one
transaction. The work is in ``store.tracker_import`` and ``store.export``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store

#: Problems listed before "... and N more".
MAX_LISTED = 200


def run(args) -> int:
    """Dispatch on the sub-command: import or export."""
    if args.command == "import":
        return run_import(args)
    return run_export(args)


def run_import(args) -> int:
    """Check the tracker, then import it whole, or list every problem and import nothing."""
    from caseworker.store.services import system_login
    from caseworker.store.tracker_import import (
        TrackerProblems,
        import_rows,
        parse_tracker,
    )

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"FILE: no such file {str(path)!r}")
    settings = load()
    today = settings.today or date.today()
    rows, problems = parse_tracker(path, today)
    if problems:
        _report(path, problems, len(rows) + len({p.line for p in problems}))
        return 1
    print(f"{path.name}: {len(rows):,} rows checked; importing...", flush=True)
    store = open_store(settings)
    try:
        summary = import_rows(store, system_login(), rows, source=path.name)
    except TrackerProblems as exc:
        _report(path, exc.problems, len(rows))
        return 1
    finally:
        store.engine.dispose()
    officers = f"; new officers: {', '.join(summary.officers_created)}" if summary.officers_created else ""
    print(f"Imported {summary.cases:,} cases ({summary.residents_created:,} new residents{officers}) "
          f"in {summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s).")
    return 0


def _report(path: Path, problems, rows: int) -> None:
    for problem in problems[:MAX_LISTED]:
        print(f"{path.name}: {problem}", file=sys.stderr)
    if len(problems) > MAX_LISTED:
        print(f"{path.name}: ... and {len(problems) - MAX_LISTED} more", file=sys.stderr)
    bad_rows = len({p.line for p in problems})
    print(f"caseworker: nothing was imported: {len(problems)} problem(s) in {bad_rows} of {rows} row(s); "
          "correct the file and import it again", file=sys.stderr)


def run_export(args) -> int:
    """Export every table as JSON (to standard output or a file) or CSV (a folder)."""
    from caseworker.store.export import export_csv, export_json, export_json_file

    fmt = (args.format or "json").strip().lower()
    if fmt not in ("json", "csv"):
        raise CommandError(f"--format: {args.format!r} is not a format: use json or csv")
    settings = load()
    store = open_store(settings)
    try:
        if fmt == "csv":
            folder = Path(args.out) if args.out else Path(f"caseworker-export-{(settings.today or date.today()).isoformat()}")
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"--out: {folder} is a file; CSV export writes a folder of files")
            summary = export_csv(store.engine, folder)
            print(f"Exported {summary.total:,} rows from {len(summary.rows)} tables to {folder}/ (one CSV file per table).")
        elif args.out:
            target = Path(args.out)
            if target.is_dir():
                raise CommandError(f"--out: {target} is a folder; give a file name for the JSON export")
            if not target.parent.is_dir():
                raise CommandError(f"--out: the folder {target.parent} does not exist")
            summary = export_json_file(store.engine, target)
            print(f"Exported {summary.total:,} rows from {len(summary.rows)} tables to {target}.")
        else:
            try:
                export_json(store.engine, sys.stdout)
                sys.stdout.flush()
            except BrokenPipeError:  # e.g. piped into `head`: stop quietly
                import os

                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        store.engine.dispose()
    return 0

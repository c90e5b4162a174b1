"""``caseworker import FILE`` (a tracker: .xlsx or CSV), ``caseworker import --undo BATCH``,
``caseworker export [--format csv|json] [--out PATH]`` and ``caseworker import-export FILE``.

Import says first how it reads the file and where each column goes (or that it is
ignored), then checks every row and lists every problem (line and column) on standard
error; with any problem nothing is imported (exit status 1). Otherwise all rows go in one
transaction, recorded as a batch that ``--undo`` removes again. ``--dry-run`` does
everything but store. The work is in ``store.tracker_import`` and ``store.export``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from caseworker import inert
from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store

#: Problems listed before "... and N more".
MAX_LISTED = 200


def run(args) -> int:
    """Dispatch on the sub-command: import, export or import-export."""
    if args.command == "import":
        if args.undo is not None:
            return run_undo(args)
        if args.batches:
            return run_batches()
        return run_import(args)
    if args.command == "import-export":
        return run_load_export(args)
    return run_export(args)


def _overrides(args) -> dict[str, str]:
    from caseworker.store.tracker_import import MappingError, parse_map, read_map_file

    try:
        overrides = read_map_file(args.mapping) if args.mapping else {}
        overrides.update(parse_map(args.map or []))
    except MappingError as exc:
        raise CommandError(str(exc)) from None
    return overrides


def run_import(args) -> int:
    """Check the tracker, say how its columns map, then import it whole (or rehearse with --dry-run)."""
    from caseworker.store.tracker_import import (
        TrackerProblems,
        check_tracker,
        import_rows,
    )
    from caseworker.store.tracker_import.mapping import mapping_file_text

    if not args.file:
        raise CommandError("import: give the tracker FILE (.xlsx or .csv), or --undo BATCH, or --batches")
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"FILE: no such file {str(path)!r}")
    overrides = _overrides(args)
    settings = load()
    today = settings.today or date.today()
    with check_tracker(path, today, overrides) as check:
        if check.mapping is not None:
            _print_mapping(path, check)
            if args.save_mapping:
                Path(args.save_mapping).write_text(mapping_file_text(check.mapping), encoding="utf-8")
                print(f"Mapping saved to {args.save_mapping} (use it with --mapping {args.save_mapping}).")
        for notice in check.notices[:MAX_LISTED]:  # which cells were changed on the way in, and why
            print(inert.terminal(f"{path.name}: {notice}"), file=sys.stderr)
        if check.problems:
            _report(path, check.problems, check.rows_read, dry_run=args.dry_run)
            return 1
        scratch = None
        if args.dry_run:
            settings, scratch = _dry_run_target(settings)
        store = open_store(
            settings, announce=scratch is None, check_due_dates=not args.dry_run
        )  # a dry run writes nothing
        try:
            me = _importing_officer(store, check.rows(), args)
            verb = "checking what would be stored" if args.dry_run else "importing"
            print(f"{path.name}: {check.good:,} rows checked; {verb}...", flush=True)
            summary = import_rows(store, me, check.rows(), source=path.name, kind=check.kind, dry_run=args.dry_run)
        except TrackerProblems as exc:
            _report(path, exc.problems, check.good, dry_run=args.dry_run)
            return 1
        except CommandError:
            raise  # bad input (an unknown officer, say): one line naming it, exit 2
        except Exception as exc:  # noqa: BLE001 - the import is one transaction: it was rolled back
            from caseworker.failures import report

            return report(exc, prefix="caseworker: nothing was imported: ")
        finally:
            store.engine.dispose()
            if scratch is not None:
                scratch.cleanup()
    officers = f"; new officers: {', '.join(summary.officers_created)}" if summary.officers_created else ""
    if args.dry_run:
        print(
            f"Dry run: nothing was stored. The import would store {summary.cases:,} cases "
            f"({summary.residents_created:,} new residents{officers})."
        )
        _print_counts(summary)
        return 0
    # a rate says something only over a second or more (3 rows "at 147 rows/s" is noise)
    rate = f" ({summary.rows_per_second:,.0f} rows/s)" if summary.seconds >= 1 else ""
    print(
        inert.terminal(
            f"Imported {summary.cases:,} cases ({summary.residents_created:,} new residents{officers}) "
            f"in {summary.seconds:.1f} s{rate}."
        )
    )
    _print_counts(summary)
    print(
        f"This import is batch {summary.batch}: `caseworker import --undo {summary.batch}` removes it again "
        "while nothing has been done to its cases."
    )
    return 0


def _dry_run_target(settings):
    """A dry run against a SQLite file that does not exist yet rehearses on an empty scratch
    database instead, so the rehearsal creates nothing: (settings to use, the scratch folder or None)."""
    import tempfile

    from caseworker.store.db import sqlite_path

    path = sqlite_path(settings.database_url)
    if path is None or path.exists():
        return settings, None
    scratch = tempfile.TemporaryDirectory(prefix="caseworker-dry-run-")
    print(f"(There is no database at {path} yet: the dry run checks against an empty one and creates nothing.)")
    return settings.with_database(f"sqlite:///{Path(scratch.name) / 'rehearsal.db'}"), scratch


def _print_mapping(path: Path, check) -> None:
    """How the file was read and where each column goes: nothing is ignored silently."""
    mapping = check.mapping
    print(f"{path.name}: {check.kind}. Columns:")
    width = max((len(h) for h, _, _ in mapping.columns), default=0)
    for header, target, how in mapping.columns:
        if target == "ignore":
            note = "ignored (as mapped)"
        elif not target:
            note = 'IGNORED: not a known column (name its field with --map "Header=field", or --map "Header=ignore")'
        else:
            note = target + (" (mapped)" if how == "mapped" else "")
        print(inert.terminal(f"  {header.ljust(width)}  -> {note}"))
    ignored = [h for h, t, _ in mapping.columns if not t]
    if ignored:
        print(inert.terminal(f"{path.name}: {len(ignored)} column(s) will not be imported: {', '.join(ignored)}"))


def _print_counts(summary) -> None:
    from caseworker import labels as labels_words
    from caseworker.rules.facts import CaseType

    labels = {
        CaseType.COMPLAINT.value: ("complaint", "complaints"),
        CaseType.MP_ENQUIRY.value: ("MP enquiry", "MP enquiries"),
        CaseType.COUNCILLOR_ENQUIRY.value: ("councillor enquiry", "councillor enquiries"),
    }
    types = ", ".join(f"{n:,} {labels.get(k, (k, k))[n != 1]}" for k, n in sorted(summary.types.items()))
    stages = ", ".join(f"{n:,} at Stage {k}" for k, n in sorted(summary.stages.items()))
    statuses = ", ".join(f"{n:,} {labels_words.status(k)}" for k, n in sorted(summary.statuses.items()))
    print(f"  by type: {types or 'none'}")
    print(f"  by stage: {stages or 'none'}")
    print(f"  by status: {statuses or 'none'}")
    if summary.extensions:
        print(f"  extensions: {summary.extensions:,}")


def _importing_officer(store, rows, args) -> str:
    """Who imports: an active officer (asked of the system, never the environment); the
    tracker's officer names must all be known unless ``--create-officers`` (administrators)
    asks to create them. Raises CommandError (exit 2) naming the cause; nothing is stored."""
    from caseworker.store import services as sv
    from caseworker.store.officer_matching import fold_name, match_officers
    from caseworker.store.queries.officers import officers

    new_database = False
    try:
        if not officers(store, active_only=False):  # a new database: the importer becomes its administrator
            login, administrator = sv.acting_login(store), True  # (the import records it; a dry run stores nothing)
            new_database = True
        else:
            me = sv.current_officer(store)
            login, administrator = me.login, me.role.value == "administrator"
    except sv.DomainError as exc:
        raise CommandError(f"import: {exc}") from None
    pairs: dict[tuple[str, str], int] = {}  # (Stage 1 name, Stage 2 name) -> first line
    names: dict[str, None] = {}
    for row in rows:  # streamed: only the distinct names and pairs are kept
        names[row.officer1] = names[row.officer2] = None
        if row.officer1 and row.officer2:
            pairs.setdefault((row.officer1, row.officer2), row.line)
    match = match_officers(store, names)
    if new_database:  # the importer's own login in the officer column: the administrator the import makes
        for name in [n for n in match.unknown if fold_name(n) == fold_name(login)]:
            match.known[name] = match.unknown.pop(name)
    if match.unknown and not getattr(args, "create_officers", False):
        raise CommandError(
            f"import: officer: {match.unknown_sentence()}; nothing was imported. Add them with "
            '`caseworker officer add LOGIN --name "FULL NAME"`, or import again with --create-officers '
            "to create them as officers"
        )
    if match.unknown and not administrator:
        raise CommandError("import: --create-officers: only an administrator creates officers; nothing was imported")
    logins = {**match.known, **match.unknown}
    same = [
        f"line {line}"
        for line in sorted(
            line
            for (one, two), line in pairs.items()
            if logins.get(" ".join(one.split())) == logins.get(" ".join(two.split()))
        )
    ]
    if same:
        raise CommandError(
            f"import: stage 2 officer: {len(same)} row(s) give the Stage 2 officer as the officer who "
            f"handled Stage 1 under another name ({', '.join(map(str, same[:5]))}): the Stage 2 officer "
            "must be someone else (Code 6.13); nothing was imported"
        )
    return login


def _report(path: Path, problems, rows: int, dry_run: bool = False) -> None:
    problems = sorted(problems, key=lambda p: p.line)  # whole-file problems first, then by line
    for problem in problems[:MAX_LISTED]:
        text = str(problem)  # a whole-file problem may name the file itself ("t.csv is empty")
        print(
            inert.terminal(
                text if text.startswith(f"{path.name} ") or text.startswith(f"{path.name}:") else f"{path.name}: {text}"
            ),
            file=sys.stderr,
        )
    if len(problems) > MAX_LISTED:
        print(f"{path.name}: ... and {len(problems) - MAX_LISTED} more", file=sys.stderr)
    bad_rows = len({p.line for p in problems if p.line})
    what = "the import would store nothing" if dry_run else "nothing was imported"
    where = f"in {bad_rows} of {rows} row(s)" if rows else "in the file"
    print(
        f"caseworker: {what}: {len(problems)} problem(s) {where}; correct the file and import it again",
        file=sys.stderr,
    )


def run_undo(args) -> int:
    """Remove what one import batch created, or say why not."""
    from caseworker.store.services import system_login
    from caseworker.store.tracker_import.undo import UndoRefused, undo_batch

    store = open_store()
    try:
        summary = undo_batch(store, system_login(), args.undo)
    except UndoRefused as exc:
        raise CommandError(f"--undo: {exc}", status=1) from None
    finally:
        store.engine.dispose()
    kept = ""
    if summary.kept_residents or summary.kept_officers:
        kept = (
            f"; kept {summary.kept_residents} resident(s) and {summary.kept_officers} officer(s) that other records use"
        )
    print(
        f"Undid import batch {summary.batch} ({summary.source}): removed {summary.cases:,} cases, "
        f"{summary.residents:,} residents and {summary.officers:,} officers{kept}. The audit trail records it."
    )
    return 0


def run_batches() -> int:
    """List the import batches, newest first."""
    from caseworker.store.tracker_import.undo import list_batches

    store = open_store()
    try:
        batches = list_batches(store)
    finally:
        store.engine.dispose()
    if not batches:
        print("No tracker imports recorded yet.")
    for b in batches:
        state = "undone" if b.undone else f"undo: caseworker import --undo {b.id}"
        print(
            inert.terminal(
                f"batch {b.id}: {b.source}, {b.rows:,} cases, {b.imported_at:%d/%m/%Y %H:%M} "
                f"by {b.imported_by} ({state})"
            )
        )
    return 0


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
            folder = (
                Path(args.out)
                if args.out
                else Path(f"caseworker-export-{(settings.today or date.today()).isoformat()}")
            )
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"--out: {folder} is a file; CSV export writes a folder of files")
            summary = export_csv(store.engine, folder)
            print(
                f"Exported {summary.total:,} rows from {len(summary.rows)} tables to {folder}/ (one CSV file per table)."
            )
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


def run_load_export(args) -> int:
    """Load a JSON export into an empty database (moving from a laptop to a team server)."""
    from caseworker.store.load_export import ExportUnusable, load_export

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"FILE: no such file {str(path)!r}")
    store = open_store()
    try:
        summary = load_export(store.engine, path)
    except ExportUnusable as exc:
        raise CommandError(str(exc), status=1) from None
    finally:
        store.engine.dispose()
    print(
        f"Loaded {summary.total:,} rows into {len(summary.rows)} tables from {path}. "
        "`caseworker export --format json` now gives the same content."
    )
    return 0

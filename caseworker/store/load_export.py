"""Loading a JSON export (``caseworker export --format json``) into an empty database: how a
council moves from a laptop's SQLite file to a team's PostgreSQL server, or back.

The file is read a line at a time (the export writes one row per line), so a large export
is never held in memory; rows keep their ids, and everything goes in one transaction, so a
failure leaves the database empty. Exporting the loaded database again gives the same file.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, Table, func, select, update
from sqlalchemy import types as sa_types

from caseworker.store.bulk import begin_bulk, insert_rows, reset_sequences
from caseworker.store.export import VERSION_TABLE, ExportSummary, tables

_TABLE_START = re.compile(r'^("(?:[^"\\]|\\.)*"): \[(\])?$')
#: Rows inserted at a time.
_BATCH = 5000


class ExportUnusable(Exception):
    """The file or the database is not fit for loading; the message says why and what to do."""


def load_export(engine: Engine, path: str | Path) -> ExportSummary:
    """Load a JSON export into the (empty, migrated) database behind ``engine``.

    Returns:
        Rows loaded per table.

    Raises:
        ExportUnusable: the database already holds data; the file is not a caseworker JSON
            export (naming the line); it was made by a different schema revision; or a row
            does not fit its table (naming the table and line). Nothing is stored then.
    """
    path = Path(path)
    known = {t.name: t for t in tables()}
    with engine.connect() as conn:
        begin_bulk(conn, list(known.values()))
        try:
            held = [name for name, t in known.items() if conn.execute(select(func.count()).select_from(t)).scalar_one()]
            if held:
                raise ExportUnusable(
                    f"the database already holds data (in {', '.join(held[:4])}): import-export loads into an empty "
                    "database only; point CASEWORKER_DATABASE_URL (or database_url) at a new database and try again"
                )
            current = conn.execute(select(VERSION_TABLE.c.version_num)).scalar()
            counts: dict[str, int] = {}
            for name, line, rows in _table_rows(path):
                if name == VERSION_TABLE.name:
                    revisions = [r.get("version_num") for _, r in rows]
                    if revisions != [current]:
                        raise ExportUnusable(
                            f"{path.name} was exported at schema revision {', '.join(map(str, revisions))} and this "
                            f"database is at {current}: load it with the caseworker version that exported it, "
                            "or export it again with this version"
                        )
                    continue
                table = known.get(name)
                if table is None:
                    raise ExportUnusable(
                        f"{path.name} line {line}: table {name!r} is not one this version of "
                        "caseworker has: export it again with this version"
                    )
                counts[name] = counts.get(name, 0) + _load_table(conn, table, rows, path.name)
            reset_sequences(conn, [t for t in known.values() if "id" in t.c and t.c.id.primary_key])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return ExportSummary(counts, str(path))


def _table_rows(path: Path) -> Iterator[tuple[str, int, Iterator[tuple[int, dict]]]]:
    """(table name, its line, its rows as (line, dict)) in file order, read a line at a time."""
    try:
        fh = path.open("r", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ExportUnusable(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        lines = enumerate(fh, start=1)
        first = next(lines, (1, ""))[1].strip()
        if first != "{":
            raise ExportUnusable(
                f"{path.name} is not a caseworker JSON export (line 1 is not '{{'): "
                "make one with `caseworker export --format json --out FILE`"
            )
        pending: list[tuple[int, str]] = []

        for number, raw in lines:
            text = raw.rstrip("\n").rstrip(",")
            if text == "}":
                return
            m = _TABLE_START.match(text)
            if not m:
                raise ExportUnusable(
                    f"{path.name} line {number} is not part of a caseworker JSON export (was the file edited?)"
                )
            name = json.loads(m.group(1))
            if m.group(2):
                yield name, number, iter(())
                continue
            yield name, number, _rows_until_close(path, lines, pending)
        raise ExportUnusable(f"{path.name} ends before the export does (cut short?): export it again")


def _rows_until_close(path: Path, lines, pending) -> Iterator[tuple[int, dict]]:
    for number, raw in lines:
        text = raw.rstrip("\n").rstrip(",")
        if text == "]":
            return
        if not text.startswith("  {"):
            raise ExportUnusable(f"{path.name} line {number} is not a row of a caseworker JSON export")
        try:
            yield number, json.loads(text)
        except json.JSONDecodeError as exc:
            raise ExportUnusable(f"{path.name} line {number} is not valid JSON ({exc.msg})") from None
    raise ExportUnusable(f"{path.name} ends in the middle of a table (cut short?): export it again")


def _file_bytes(text: str) -> bytes:
    """A stored file's bytes from the export's base64 text (RFC 4648); raises ``binascii.Error``
    on text that is not base64."""
    return base64.b64decode(text, validate=True)


def _converters(table: Table) -> dict[str, object]:
    out: dict[str, object] = {}
    for c in table.columns:
        kind = c.type
        impl = getattr(kind, "impl", None)
        if isinstance(kind, sa_types.DateTime) or isinstance(impl, sa_types.DateTime):
            out[c.name] = datetime.fromisoformat
        elif isinstance(kind, sa_types.Date):
            out[c.name] = date.fromisoformat
        elif isinstance(kind, sa_types.LargeBinary):  # a stored file, written as base64 text
            out[c.name] = _file_bytes
    return out


def _load_table(conn, table: Table, rows: Iterator[tuple[int, dict]], source: str) -> int:
    """Insert one table's rows in batches; self-references (a case split from a later case) set afterwards."""
    names = [c.name for c in table.columns]
    expected = set(names)
    convert = _converters(table)
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    later: list[tuple[object, dict]] = []
    batch: list[dict] = []
    n = 0
    for line, row in rows:
        if set(row) != expected:
            missing, extra = expected - set(row), set(row) - expected
            raise ExportUnusable(
                f"{source} line {line}: a {table.name} row with "
                f"{'missing columns ' + ', '.join(sorted(missing)) if missing else ''}"
                f"{' and ' if missing and extra else ''}"
                f"{'unknown columns ' + ', '.join(sorted(extra)) if extra else ''}: "
                "export it again with this version of caseworker"
            )
        try:
            for key, fn in convert.items():
                value = row[key]
                if value is not None:
                    row[key] = fn(value)
        except (TypeError, ValueError) as exc:
            raise ExportUnusable(
                f"{source} line {line}: {table.name}.{key} is not a date, a time or a file in base64 ({exc})"
            ) from None
        for key in self_refs:
            if row[key] is not None:
                later.append((row["id"], {key: row[key]}))
                row[key] = None
        batch.append(row)
        n += 1
        if len(batch) >= _BATCH:
            insert_rows(conn, table, batch)
            batch = []
    insert_rows(conn, table, batch)
    for row_id, values in later:
        conn.execute(update(table).where(table.c.id == row_id).values(**values))
    return n

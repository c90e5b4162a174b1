"""Export everything: every table as JSON (one object, table name to a list of rows) or as CSV
(one file per table in a folder).

Rows are streamed from one read transaction (a consistent snapshot while others keep
working) and written as they come, so 100,000 cases export without holding them in memory.
Dates are ISO (``2025-12-19``), timestamps ISO in UTC (``2025-12-19T10:30:00+00:00``). A
stored file's bytes (a document's ``content``) are base64 text (RFC 4648) in the JSON export, so
``caseworker import-export`` gives back the same bytes; the CSV files, read by people, say how
large the file is and how to save it instead.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Column, Engine, MetaData, String, Table, select
from sqlmodel import SQLModel

import caseworker.store.models  # noqa: F401  (registers the tables)
from caseworker import inert

#: Rows fetched from the database at a time.
_BATCH = 2000


@dataclass(frozen=True)
class ExportSummary:
    """What was exported: rows per table, and where to."""

    rows: dict[str, int] = field(default_factory=dict)
    where: str = ""

    @property
    def total(self) -> int:
        """Rows exported in all."""
        return sum(self.rows.values())


#: Alembic's one-row table naming the schema revision: exported first, so a loader can check it.
VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


def tables() -> list[Table]:
    """caseworker's tables, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def _plain(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite hands timestamps back naive; they are stored in UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):  # SQLite gives bytes, psycopg may give a view
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _rows(conn, table: Table) -> Iterator[dict]:
    order = list(table.primary_key.columns) or list(table.columns)[:1]
    result = conn.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
    keys = list(result.keys())
    for partition in result.partitions():
        for row in partition:
            yield {k: _plain(v) for k, v in zip(keys, row, strict=False)}


def _snapshot(engine: Engine):
    """A connection in one read transaction: PostgreSQL at REPEATABLE READ, SQLite's own snapshot."""
    conn = engine.connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # a read transaction: one consistent view of every table
    return conn


def export_json(engine: Engine, out: IO[str]) -> ExportSummary:
    """Write every table as one JSON object, ``{"officer": [{...}, ...], ...}``, to ``out``.

    The first entry is ``alembic_version`` (the schema revision), then every table, parents
    before children, one row per line: ``caseworker import-export`` loads it back.
    """
    counts: dict[str, int] = {}
    conn = _snapshot(engine)
    try:
        out.write("{")
        for t_index, table in enumerate([VERSION_TABLE, *tables()]):
            out.write(("," if t_index else "") + f"\n{json.dumps(table.name)}: [")
            n = 0
            for row in _rows(conn, table):
                out.write(("," if n else "") + "\n  " + inert.json_dumps(row))  # no raw control byte
                n += 1
            out.write("\n]" if n else "]")
            counts[table.name] = n
        out.write("\n}\n")
        conn.rollback()
    finally:
        conn.close()
    return ExportSummary(counts)


def export_json_file(engine: Engine, path: Path) -> ExportSummary:
    """Write the JSON export to ``path`` (through a temporary file, so a failed export leaves no half file)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as fh:
            summary = export_json(engine, fh)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return ExportSummary(summary.rows, str(path))


def _remedy_for_people(row: dict) -> dict:
    """A remedy's calculation basis in words (the JSON export keeps the stored JSON)."""
    from caseworker.rules.remedy_record import basis_in_words

    return {**row, "calculation_basis": basis_in_words(row.get("calculation_basis") or "")}


def _document_for_people(row: dict) -> dict:
    """A stored file in words: its size and how to save it (a cell cannot hold a file)."""
    size = len(base64.b64decode(row.get("content") or ""))
    return {**row, "content": f"file of {size:,} bytes kept in the database: caseworker document save"}


#: CSV files are read by people (in a spreadsheet): columns holding JSON for the program are
#: written in words there. The JSON export keeps every value as stored, for loading back.
_FOR_PEOPLE = {"remedy": _remedy_for_people, "document": _document_for_people}


def export_csv(engine: Engine, folder: Path) -> ExportSummary:
    """Write one CSV file per table (``<table>.csv``, header row first) into ``folder`` (created if needed).

    Every file is UTF-8 with a byte-order mark and every cell is neutralised against formula
    injection (``inert.csv_file``; ``inert.csv_uncell`` gives the stored text back). A remedy's
    calculation basis is written in words, as the case screen shows it, not as stored JSON.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    conn = _snapshot(engine)
    try:
        for table in tables():
            target = folder / f"{table.name}.csv"
            partial = folder / f".{table.name}.csv.partial"
            try:
                with inert.csv_file(partial) as writer:
                    writer.writerow([c.name for c in table.columns])
                    n = 0
                    readable = _FOR_PEOPLE.get(table.name)
                    for row in _rows(conn, table):
                        writer.writerow((readable(row) if readable else row).values())
                        n += 1
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
            counts[table.name] = n
        conn.rollback()
    finally:
        conn.close()
    return ExportSummary(counts, str(folder))

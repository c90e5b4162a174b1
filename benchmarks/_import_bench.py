"""Tracker import speed and peak memory, each measured in a fresh process.

``python benchmarks/_import_bench.py FILE URL TODAY`` checks and imports FILE (CSV or .xlsx)
into the (new, empty) database at URL, exactly as ``caseworker import`` does (stream the
file, check every row, then store in batches in one transaction), and prints one JSON line:
rows, seconds (check + store, from opening the file to the commit), the process's peak
resident memory (VmHWM) before the import (modules imported and the store opened: the
baseline) and after it. ``--floor-xlsx`` instead times calamine's own reading of every cell of
FILE (python-calamine, the reader the import uses: the least an .xlsx import can take);
``--floor-xlsx-openpyxl`` times openpyxl's read-only reading of it (the reader used before).
``--floor-store DB`` times storing the rows an import stored in the SQLite file DB again, as
they are, into a new database of the same schema with the driver alone (sqlite3, multi-row
INSERTs of ``bulk.SQLITE_ROWS_PER_INSERT`` in one transaction): what the schema's indexes,
search indexes and triggers cost the import whatever Python does around them.
``--floor-store-pg URL BASE`` does the same on PostgreSQL: the rows the import stored in the
database at URL, copied out first, then stored again by psycopg alone (``COPY ... FROM STDIN`` of
each table's rows as PostgreSQL wrote them out, in one transaction holding the same table locks
and plan setting as the import, :func:`caseworker.store.bulk.begin_bulk`) into a new database on
the server of BASE migrated to the same schema: the server's own work for those rows (every
index, foreign-key check and trigger), the most any import into that schema can do.

``make_files`` writes the trackers: the CSV of ``_store_bench.write_tracker_csv`` and the
same rows as an Excel workbook with real date cells.
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

MIB = 1024  # ru_maxrss is in KiB on Linux


def peak_mib() -> float:
    """This process's own peak resident memory so far (``VmHWM``), in MiB.

    Not ``ru_maxrss``: Linux carries that over ``execve`` from the process that started this
    one (``subprocess`` forks or vforks the parent, so a large ``run.py`` made "before" and
    "after" both read its size, 171 MiB). ``VmHWM`` belongs to this program's own memory map.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB


def make_files(folder: Path, rows: int, today: date, xlsx: bool) -> tuple[Path, Path | None]:
    """(the CSV tracker, the same as .xlsx or None), written once per size."""
    import _store_bench as sb

    folder.mkdir(parents=True, exist_ok=True)
    src = folder / f"tracker-{rows}.csv"
    if not src.exists():
        sb.write_tracker_csv(src, rows, today)
    book = folder / f"tracker-{rows}.xlsx" if xlsx else None
    if book is not None and not book.exists():
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Tracker")
        with src.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            ws.append(header)
            dated = {
                i
                for i, h in enumerate(header)
                if h.lower()
                in (
                    "received",
                    "acknowledged",
                    "stage 1 response",
                    "stage 2 requested",
                    "stage 2 acknowledged",
                    "stage 2 response",
                )
            }
            for record in reader:
                ws.append([datetime.strptime(v, "%d/%m/%Y") if i in dated and v else v for i, v in enumerate(record)])
        wb.save(book)
        _declare_dimension(book, f"A1:{chr(ord('A') + len(header) - 1)}{rows + 1}")
    return src, book


def _declare_dimension(book: Path, ref: str) -> None:
    """Write the sheet's ``<dimension ref=...>`` as Excel does (openpyxl's write-only mode leaves it
    out, and without it openpyxl's read-only mode parses the whole sheet once more just to size it)."""
    import shutil
    import zipfile

    tmp = book.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            with src.open(item) as fin, dst.open(item.filename, "w") as fout:
                first = True
                while chunk := fin.read(1 << 20):
                    if first and item.filename.startswith("xl/worksheets/"):
                        chunk = chunk.replace(b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1)
                    first = False
                    fout.write(chunk)
    shutil.move(tmp, book)


def run_one(file: Path, url: str, today: date) -> dict:
    """Measure one import in a fresh process (this script run as a subprocess)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), str(file), url, today.isoformat()],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"import benchmark failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def xlsx_floor(file: Path, reader: str = "calamine") -> dict:
    """calamine's (or openpyxl's read-only) reading of every cell of ``file``, in a fresh process."""
    flag = "--floor-xlsx" if reader == "calamine" else "--floor-xlsx-openpyxl"
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), flag, str(file)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


#: The tables an import writes, in the order their foreign keys need.
_IMPORT_TABLES = ("officer", "resident", "complaint_case", "stage", "extension", "audit_event", "import_batch")


def store_floor(db: Path) -> dict:
    """The rows an import stored in the SQLite file ``db``, stored again by the driver alone, in a fresh process."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), "--floor-store", str(db)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _store_floor(db: Path) -> dict:
    import sqlite3
    from itertools import chain

    from caseworker.store.bulk import SQLITE_MAX_VARIABLES, SQLITE_ROWS_PER_INSERT
    from caseworker.store.migrate import open_store

    target = db.with_name(db.stem + "-floor.db")
    for leftover in db.parent.glob(target.name + "*"):
        leftover.unlink()
    open_store(f"sqlite:///{target}").dispose()  # migrated: the same tables, indexes and triggers
    src = sqlite3.connect(db)
    tables = _IMPORT_TABLES
    rows = {t: src.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    cases = len(rows["complaint_case"])
    src.close()
    con = sqlite3.connect(target, isolation_level=None)
    started, cpu = time.perf_counter(), time.process_time()
    con.execute("BEGIN IMMEDIATE")
    for table in tables:
        data = rows[table]
        if not data:
            continue
        one = "(" + ", ".join("?" * len(data[0])) + ")"
        per = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_VARIABLES // len(data[0])))
        for i in range(0, len(data), per):
            part = data[i : i + per]
            con.execute(f"INSERT INTO {table} VALUES " + ", ".join([one] * len(part)), tuple(chain.from_iterable(part)))
    con.execute("COMMIT")
    out = {"rows": cases, "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu}
    con.close()
    for leftover in db.parent.glob(target.name + "*"):
        leftover.unlink()
    return out


def store_floor_pg(url: str, base_url: str) -> dict:
    """The rows an import stored in the PostgreSQL database at ``url``, stored again by psycopg
    alone into a new database of the same schema on the server of ``base_url``, in a fresh process."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), "--floor-store-pg", url, base_url],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _store_floor_pg(url: str, base_url: str) -> dict:
    import psycopg
    from sqlalchemy.engine import make_url

    from caseworker.store.migrate import open_store

    def dsn(u: str) -> str:
        return make_url(u).set(drivername="postgresql").render_as_string(hide_password=False)

    data: dict[str, bytes] = {}
    with psycopg.connect(dsn(url)) as src:
        cases = src.execute("SELECT count(*) FROM complaint_case").fetchone()[0]
        for table in _IMPORT_TABLES:
            buf = bytearray()
            with src.cursor().copy(f"COPY (SELECT * FROM {table} ORDER BY id) TO STDOUT") as copy:
                for part in copy:
                    buf += part
            data[table] = bytes(buf)
    target = _fresh_pg(base_url, "caseworker_import_floor")
    open_store(target).dispose()  # migrated: the same tables, indexes, constraints and triggers
    with psycopg.connect(dsn(target)) as con:
        started, cpu = time.perf_counter(), time.process_time()
        with con.transaction():
            con.execute(f"LOCK TABLE {', '.join(_IMPORT_TABLES)} IN SHARE ROW EXCLUSIVE MODE")
            con.execute("SET LOCAL plan_cache_mode = auto")
            for table in _IMPORT_TABLES:
                if data[table]:
                    with con.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                        copy.write(data[table])
        out = {"rows": cases, "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu}
    return out


def _main() -> None:
    if sys.argv[1] == "--floor-store-pg":
        print(json.dumps(_store_floor_pg(sys.argv[2], sys.argv[3])))
        return
    if sys.argv[1] == "--floor-store":
        print(json.dumps(_store_floor(Path(sys.argv[2]))))
        return
    if sys.argv[1] == "--floor-xlsx":
        from python_calamine import CalamineWorkbook

        started, cpu = time.perf_counter(), time.process_time()
        book = CalamineWorkbook.from_path(sys.argv[2])
        n = sum(1 for _ in book.get_sheet_by_index(0).iter_rows()) - 1
        book.close()
        print(
            json.dumps({"rows": n, "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu})
        )
        return
    if sys.argv[1] == "--floor-xlsx-openpyxl":
        from openpyxl import load_workbook

        started, cpu = time.perf_counter(), time.process_time()
        book = load_workbook(sys.argv[2], read_only=True, data_only=True)
        n = sum(1 for _ in book.active.iter_rows(values_only=True)) - 1
        book.close()
        print(
            json.dumps({"rows": n, "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu})
        )
        return
    import _store_bench as sb

    from caseworker.store.tracker_import import check_tracker, import_rows

    file, url, today = Path(sys.argv[1]), sys.argv[2], date.fromisoformat(sys.argv[3])
    store = sb.open_store(url, today)
    baseline = peak_mib()
    started, cpu = time.perf_counter(), time.process_time()
    with check_tracker(file, today) as check:
        if check.problems:
            raise SystemExit(f"the tracker has problems, e.g. {check.problems[0]}")
        checked, checked_cpu = time.perf_counter(), time.process_time()
        summary = import_rows(store, "benchmark", check.rows(), source=file.name)
    done, done_cpu = time.perf_counter(), time.process_time()
    store.engine.dispose()
    print(
        json.dumps(
            {
                "rows": summary.cases,
                "seconds": done - started,
                "check_seconds": checked - started,
                "cpu_seconds": done_cpu - cpu,
                "check_cpu_seconds": checked_cpu - cpu,
                "baseline_mib": baseline,
                "peak_mib": peak_mib(),
            }
        )
    )


def _fresh_pg(base_url: str, name: str) -> str:
    """A new empty database ``name`` on the server of ``base_url`` (dropped first if left over)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def measure_all(folder: Path, today: date, big: int, pg_url: str | None) -> dict:
    """Every tracker-import figure: CSV at 20,000 and ``big`` rows, .xlsx at 20,000 rows (and
    calamine's own reading as its floor), peak memory at ``big`` rows on SQLite and PostgreSQL."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    csv20, xlsx20 = make_files(folder, 20_000, today, xlsx=True)
    csv_big, _ = make_files(folder, big, today, xlsx=False)
    for leftover in folder.glob("bench-*.db*"):
        leftover.unlink()
    out["csv20"] = run_one(csv20, f"sqlite:///{folder / 'bench-csv20.db'}", today)
    out["store_floor"] = store_floor(folder / "bench-csv20.db")
    out["xlsx20"] = run_one(xlsx20, f"sqlite:///{folder / 'bench-xlsx20.db'}", today)
    out["xlsx_floor"] = xlsx_floor(xlsx20)
    out["xlsx_floor_openpyxl"] = xlsx_floor(xlsx20, "openpyxl")
    out["csv_big_sqlite"] = run_one(csv_big, f"sqlite:///{folder / 'bench-big.db'}", today)
    for leftover in folder.glob("bench-*.db*"):
        leftover.unlink()
    if pg_url:
        url = _fresh_pg(pg_url, "caseworker_import_bench")
        out["csv_big_pg"] = run_one(csv_big, url, today)
        out["store_floor_pg"] = store_floor_pg(url, pg_url)
    return out


if __name__ == "__main__":
    _main()

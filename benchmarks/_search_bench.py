"""The inbox's search and every filter, timed beside an indexed-lookup floor in the same run, on
SQLite and (given a server) PostgreSQL.

Each figure is what the inbox does when the filter changes: ``inbox_first_page``, the first
200 rows and the count bounded at :data:`caseworker.store.queries.inbox.COUNT_AT_MOST` (the
screen's count), median of ``reps``. The floor is the plainest indexed query on the same
database through the bare driver: the first 200 open cases by deadline
(``SELECT ... ORDER BY next_due, id LIMIT 200`` on ``ix_case_open_due``).

Standalone (a demo database built by ``run.py`` or ``caseworker demo``)::

    python benchmarks/_search_bench.py --db benchmarks/out/demo-200000.db [--pg-url URL] [--reps 7]

``--pg-url`` names a PostgreSQL database that already holds a demo (``caseworker demo --cases N
--database-url URL``), and ``--explain`` prints each query's plan.

The PostgreSQL demo ``run.py`` uses, built (again) alone, with what the build took written
beside it (seconds including the closing VACUUM ANALYZE, rows, load, CPU)::

    python benchmarks/_search_bench.py --pg-server URL --pg-cases 1000000 --rebuild --info out/pg-demo-1000000.build.json
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TODAY = date(2025, 12, 19)
BUDGET = 0.020  # seconds: the budget for search and every filter at 1,000,000 cases
perf = time.perf_counter

FLOOR_SQL = (
    "SELECT id, reference, resident_id, status, next_due FROM complaint_case "
    "WHERE closed = {false} AND next_due IS NOT NULL ORDER BY next_due, id LIMIT 200"
)


def open_store(url: str, today: date = TODAY):
    """A Store over ``url`` with the clock at ``today`` (migrated to the newest schema)."""
    from caseworker.clock import Clock
    from caseworker.config import load_settings
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store as open_engine

    settings = load_settings({"CASEWORKER_DATABASE_URL": url, "CASEWORKER_TODAY": today.isoformat()})
    return Store(open_engine(url), settings, Clock(today))


def picks(store) -> dict[str, str]:
    """Logins and search terms taken from the data: the officer with the most open cases, a
    case in the middle of the open ones (its reference, the reference's first characters, the
    resident's surname), and the officer who owns the most open actions on cases they do not hold."""
    from sqlalchemy import text

    with store.engine.connect() as c:
        login = c.execute(
            text(
                "SELECT o.login FROM officer o JOIN complaint_case c ON c.officer_id = o.id "
                "WHERE c.closed = :f GROUP BY o.login ORDER BY count(*) DESC LIMIT 1"
            ),
            {"f": False},
        ).scalar_one()
        n = c.execute(text("SELECT count(*) FROM complaint_case WHERE closed = :f"), {"f": False}).scalar_one()
        ref, name = c.execute(
            text(
                "SELECT c.reference, r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id "
                "WHERE c.closed = :f ORDER BY c.id LIMIT 1 OFFSET :o"
            ),
            {"f": False, "o": n // 2},
        ).one()
    return {"login": login, "reference": ref, "prefix": ref[: max(3, len(ref) - 3)], "surname": name.split()[-1]}


def filters(p: dict[str, str]) -> dict[str, object]:
    """label -> InboxFilter: every filter the inbox offers, and searches of each kind."""
    from caseworker.store.queries.inbox import InboxFilter as F

    me = p["login"]
    return {
        "team: all open cases": F(),
        f"my cases ({me})": F(officer_login=me),
        "my cases, overdue": F(officer_login=me, overdue=True),
        "my cases, Stage 2": F(officer_login=me, stage=2),
        "overdue": F(overdue=True),
        "due within 2 working days": F(due_within=2),
        "awaiting approval": F(awaiting_approval=True),
        "Stage 1": F(stage=1),
        "Stage 2": F(stage=2),
        "status: awaiting acknowledgement": F(status="awaiting-acknowledgement"),
        "status: open": F(status="open"),
        "all cases (closed too)": F(include_closed=True),
        "status: responded (closed)": F(status="responded", include_closed=True),
        f"search: exact reference '{p['reference']}'": F(search=p["reference"]),
        f"search: reference prefix '{p['prefix']}'": F(search=p["prefix"]),
        "search: two letters 'CM'": F(search="CM"),
        f"search: surname '{p['surname']}'": F(search=p["surname"]),
        f"search: surname '{p['surname']}', my cases": F(search=p["surname"], officer_login=me),
        "search: text word 'mould'": F(search="mould"),
        "search: text word 'mould', all cases": F(search="mould", include_closed=True),
        "search: matching nothing": F(search="zqxjvw"),
    }


def filter_times(store, flts: dict[str, object], reps: int) -> dict[str, tuple[float, float, int, int]]:
    """label -> (median seconds of page + bounded count, median CPU seconds of this process for
    the same, rows on the first page, the count). On a shared machine the CPU time is the
    steadier figure for SQLite (which runs in this process); PostgreSQL works in its server."""
    from caseworker.store.queries.inbox import COUNT_AT_MOST, inbox_first_page

    inbox_first_page(store)  # imports, statement cache
    out = {}
    for label, flt in flts.items():
        times, cpu = [], []
        for _ in range(reps):
            t, c = perf(), time.process_time()
            page, n = inbox_first_page(store, flt, 200, COUNT_AT_MOST)
            times.append(perf() - t)
            cpu.append(time.process_time() - c)
        out[label] = (statistics.median(times), statistics.median(cpu), len(page.rows), n)
    return out


def floor_times(store, reps: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of :data:`FLOOR_SQL` through the bare driver (sqlite3 or psycopg)."""
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        sqlite = store.engine.dialect.name == "sqlite"
        sql = FLOOR_SQL.format(false="0" if sqlite else "false")
        cur.execute(sql)
        cur.fetchall()
        times, cpu = [], []
        for _ in range(reps):
            t, c = perf(), time.process_time()
            cur.execute(sql)
            rows = cur.fetchall()
            times.append(perf() - t)
            cpu.append(time.process_time() - c)
        assert rows
        return statistics.median(times), statistics.median(cpu)
    finally:
        raw.close()


def measure(url: str, reps: int) -> tuple[dict[str, tuple[float, float, int, int]], tuple[float, float], int]:
    """(filter times, floor seconds, cases in the database) for the database at ``url``."""
    from sqlalchemy import text

    store = open_store(url)
    try:
        with store.engine.connect() as c:
            cases = c.execute(text("SELECT count(*) FROM complaint_case")).scalar_one()
        floor = floor_times(store, max(reps, 20))
        times = filter_times(store, filters(picks(store)), reps)
        floor = min(floor, floor_times(store, max(reps, 20)))  # before and after: the quieter one
    finally:
        store.engine.dispose()
    return times, floor, cases


def explain(url: str) -> None:
    """Print the plan of every statement the inbox runs for each filter."""
    from sqlalchemy import event

    from caseworker.store.queries.inbox import COUNT_AT_MOST, inbox_count, inbox_page

    store = open_store(url)
    sqlite = store.engine.dialect.name == "sqlite"
    for label, flt in filters(picks(store)).items():
        seen: list = []

        def grab(conn, cursor, statement, parameters, context, executemany, seen=seen):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append((statement, parameters))

        event.listen(store.inbox_engine, "before_cursor_execute", grab)
        inbox_page(store, flt, None, 200)
        inbox_count(store, flt, at_most=COUNT_AT_MOST)
        event.remove(store.inbox_engine, "before_cursor_execute", grab)
        print(f"== {label}")
        raw = store.engine.raw_connection()
        cur = raw.cursor()
        for sql, params in seen:
            cur.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql, params)
            print("   " + "\n   ".join(str(r[-1] if sqlite else r[0]) for r in cur.fetchall()))
            print("   --")
        raw.close()
    store.engine.dispose()


def timed_build(build) -> dict:
    """Run ``build`` (returning a DemoSummary) and say what it took: wall seconds, rows, the
    load average (mean of before and after: the machine is shared) and the CPU seconds of
    this process and of its worker processes (the builder forks one a part)."""
    load = os.getloadavg()[0]
    cpu, before = time.process_time(), os.times()
    summary = build()
    after = os.times()
    workers = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    built = {
        "seconds": summary.seconds,
        "rows": summary.rows,
        "load": (load + os.getloadavg()[0]) / 2,
        "cpu": time.process_time() - cpu + workers,
    }
    print(f"  built in {built['seconds']:.1f} s ({built['rows']:,} rows, {built['cpu']:.0f} s of CPU)")
    return built


def ensure_pg_demo(server_url: str, cases: int, seed: int, rebuild: bool = False, info=None) -> str:
    """The URL of database ``caseworker_bench_<cases>`` on the server at ``server_url``, holding the
    demo of ``cases`` cases for :data:`TODAY` and ``seed`` (built with the demo builder when it
    does not). When it builds and ``info`` (a path) is given, what the build took is written
    there as JSON (seconds, rows, load, CPU of this process and its workers, cases)."""
    import json

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from caseworker.store.db import make_engine
    from caseworker.store.demo import build_demo

    name = f"caseworker_bench_{cases}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            if not c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            marker = None
            if c.execute(text("SELECT to_regclass('setting')")).scalar():
                value = c.execute(text("SELECT value FROM setting WHERE key = 'demo'")).scalar()
                marker = json.loads(value) if value else None
    finally:
        engine.dispose()
    wanted = {"cases": cases, "today": TODAY.isoformat(), "seed": seed}
    if rebuild or not marker or any(marker.get(k) != v for k, v in wanted.items()):
        print(f"Building the PostgreSQL demo {name} with {cases:,} cases ...")
        built = timed_build(lambda: build_demo(url, cases=cases, today=TODAY, seed=seed, progress=print))
        if info is not None:  # the build ends with VACUUM (ANALYZE): counted in its seconds
            info.write_text(json.dumps({**built, "cases": cases}))
    return url


def table_rows(url: str, reps: int) -> list[tuple[str, str, str, str, str, bool]]:
    """The benchmark table's rows for the database at ``url``: (figure, measured, floor, ratio,
    budget, met) per filter and search."""
    times, (floor, _floor_cpu), cases = measure(url, reps)
    backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    out = []
    for label, (secs, cpu, rows, n) in times.items():
        shown = f"{n:,}" if n <= 1000 else "more than 1,000"
        out.append(
            (
                f"inbox {label} ({backend}, {cases:,} cases; {rows} rows of {shown})",
                f"{secs * 1000:.1f} ms" + (f" (CPU {cpu * 1000:.1f} ms)" if backend == "SQLite" else ""),
                f"{floor * 1000:.2f} ms indexed first page",
                f"{secs / floor:.0f}x",
                "< 20 ms",
                secs < BUDGET,
            )
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="a SQLite demo database")
    ap.add_argument("--pg-url", help="a PostgreSQL database holding a demo")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--pg-server", help="a PostgreSQL server (a superuser's URL) to build caseworker_bench_<cases> on")
    ap.add_argument("--pg-cases", type=int, help="with --pg-server: the cases of the demo to make sure of")
    ap.add_argument("--rebuild", action="store_true", help="with --pg-server: build it again even when it is there")
    ap.add_argument("--info", type=Path, help="with --pg-server: where to write what the build took (JSON)")
    args = ap.parse_args()
    if args.pg_server:
        from run import SEED

        print(ensure_pg_demo(args.pg_server, args.pg_cases or 100_000, SEED, rebuild=args.rebuild, info=args.info))
        return
    urls = ([f"sqlite:///{args.db}"] if args.db else []) + ([args.pg_url] if args.pg_url else [])
    for url in urls:
        if args.explain:
            explain(url)
            continue
        times, floor, cases = measure(url, args.reps)
        backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
        print(
            f"\n{backend}, {cases:,} cases; floor (indexed first 200 by deadline): "
            f"{floor[0] * 1000:.2f} ms (CPU {floor[1] * 1000:.2f} ms); load {os.getloadavg()[0]:.1f}"
        )
        for label, (secs, cpu, rows, n) in times.items():
            print(
                f"  {label:<48} {secs * 1000:8.2f} ms  CPU {cpu * 1000:7.2f} ms  {secs / floor[0]:6.1f}x floor  "
                f"{'ok' if secs < BUDGET else 'OVER':>4}  rows {rows:>3}, count {n:,}"
            )


if __name__ == "__main__":
    main()

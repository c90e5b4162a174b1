"""The caseworker benchmark: every DESIGN section 4 figure beside its floor, measured in one run.

    python benchmarks/run.py              # 100,000 cases (builds the demo database once, ~1-2 min)
    python benchmarks/run.py --quick      # 10,000 cases, fewer repetitions: to try it out
    python benchmarks/run.py --rebuild    # build the demo database again
    python benchmarks/run.py --cases 1000000   # a million cases (the build takes a while, once)
    python benchmarks/run.py --pg-url postgresql+psycopg://user@host/postgres   # PostgreSQL figures too
    python benchmarks/run.py --cases 1000000 --pg-cases 100000   # a smaller PostgreSQL demo

The demo database lives in ``benchmarks/out/demo-<cases>.db`` (git-ignored) and is reused
when it was built for the same number of cases, day and seed (and brought to the current
schema by the migrations); how long its build took is kept beside it (``demo-<cases>.build.json``)
and shown in the table. With a PostgreSQL server (``--pg-url``, or ``$CASEWORKER_BENCH_PG_URL``
/ ``$CASEWORKER_TEST_PG_URL``) a demo database ``caseworker_bench_<cases>`` is built there
once too, for the PostgreSQL team load and import rows. The table is printed and
written to ``benchmarks/out/latest.md``. Machines are noisy (about 30% between runs, more
when other work shares the machine), so each figure stands beside a floor measured in the
same run, with their ratio; the load average is printed with the table.

How each figure is measured:

* start-up (``_startup.py``, ``_pty.py``): fresh processes in a real 160x50 pseudo-terminal,
  from just before the spawn to the moment the marker's bytes arrive on the terminal;
  floors: a bare Textual app, and one with textual + sqlmodel + holidays imported first;
  median of the rounds. "Inbox filled" is the status line written after the first page is
  in the table. A traced run then shows where the time to a filled inbox goes.
* key press and opening a case on screen (``_inbox_keys.py``): Textual's Pilot in a fresh
  process; from the key event to the end of the first frame (rendered to terminal bytes)
  that shows the cursor on its new row, keys at a held key's repeat rate (30/s); floor: a
  bare 1,000-row DataTable app driven the same way.
* store and rules (``_store_bench.py``): in this process against the demo database.
* search and every inbox filter (``_search_bench.py``): the first page of 200 and the count
  (bounded at 1,000) for each filter and kinds of search, on SQLite and, with ``--pg-url`` (or
  ``$CASEWORKER_TEST_PG_URL``), on PostgreSQL in database ``caseworker_bench_<cases>`` (built
  there once with the demo builder); floor: the first 200 open cases by deadline through the
  bare driver on the same database; budget 20 ms.
* team load (``_writers.py``): officers saving at once, each in their own process, on a
  copy of the demo database (5 on SQLite, back to back; 20 on PostgreSQL, on a ``CREATE
  DATABASE ... TEMPLATE`` copy, each saving every ``_writers.THINK_S`` on average, beside the
  floor of the bare driver at that pace, then back to back): p99 of a save, saves that met
  "busy", saves stored but lost.
* start-up runs as the operating-system account (the app never reads ``LOGNAME``); the
  demo builder makes that account an administrator holding its share of the cases.
* a long case (``_long_case.py``): the demo's first open case is given 10,000 events (once;
  the demo database keeps them), then opened in a fresh process; keys on its Timeline tab.
* a long day (``_long_day.py``): memory after opening and closing 10 and then ``--long-day``
  cases (default 500) in one fresh process.
* peak memory: VmHWM of the app process once the inbox has filled (start-up runs); floor:
  the 1,000-row DataTable app in the same terminal.

Benchmarks never run in the test suite: tests do not time things.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import _search_bench
import _store_bench as sb
import _writers
from _inbox_keys import RESULT_PREFIX
from _startup import run_startup, trace_startup

TODAY = date(2025, 12, 19)
SEED = 2025
MIB = 1024


@dataclass
class Row:
    figure: str
    measured: str
    floor: str
    ratio: str
    budget: str
    met: str


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}x"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else "yes" if ok else "**NO**"


# -- the demo database ------------------------------------------------------------------


def demo_marker(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = 'demo'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def ensure_demo(out: Path, cases: int, rebuild: bool) -> tuple[Path, dict]:
    """The demo database for ``cases`` (reused when built for the same cases, day and seed, and
    brought up to the current schema by the migrations), and how long its build took."""
    path = out / f"demo-{cases}.db"
    info = out / f"demo-{cases}.build.json"
    marker = demo_marker(path)
    if (
        not rebuild
        and marker
        and marker.get("cases") == cases
        and marker.get("today") == TODAY.isoformat()
        and marker.get("seed") == SEED
    ):
        print(f"Reusing {path} ({cases:,} cases, built {marker.get('built_at', '?')})")
        upgrade_in_place(f"sqlite:///{path}")
        return path, json.loads(info.read_text()) if info.exists() else {}
    from caseworker.store.demo import build_demo

    print(f"Building {path} with {cases:,} cases for {TODAY} ...")
    built = _search_bench.timed_build(
        lambda: build_demo(f"sqlite:///{path}", cases=cases, today=TODAY, seed=SEED, progress=print)
    )
    info.write_text(json.dumps(built))
    return path, built


def upgrade_in_place(url: str) -> None:
    """Bring a reused demo database to the current schema (timed), so no start-up pays for it."""
    from caseworker.store.db import make_engine
    from caseworker.store.migrate import SCHEMA_HEAD, current_revision, upgrade

    t0 = time.perf_counter()
    engine = make_engine(url)
    try:
        if current_revision(engine) != SCHEMA_HEAD:
            upgrade(engine)  # a SQLite file is copied aside first, as `caseworker upgrade` does
            print(f"  upgraded to the current schema in {time.perf_counter() - t0:.1f} s")
    finally:
        engine.dispose()


def pg_writers_on_copy(url: str, writers: int, seconds: float) -> dict:
    """Run ``_writers`` on a copy of the PostgreSQL demo (``CREATE DATABASE ... TEMPLATE``), dropped after:
    officers at :data:`_writers.THINK_S` between saves, its floor (the bare driver at the same pace),
    and the same officers saving back to back (the most the machine serves). The first's figures,
    with ``floor`` and ``saturated`` the other two's."""
    from sqlalchemy.engine import make_url

    from caseworker.store.db import make_engine

    parsed = make_url(url)
    copy = f"{parsed.database}_writers"
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            c.exec_driver_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{parsed.database}"')
        try:
            at = parsed.set(database=copy).render_as_string(hide_password=False)
            floor = _writers.run(at, writers, seconds, _writers.THINK_S, floor=True)
            saturated = _writers.run(at, writers, seconds)
            return {**_writers.run(at, writers, seconds, _writers.THINK_S), "floor": floor, "saturated": saturated}
        finally:
            with admin.connect() as c:
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    finally:
        admin.dispose()


def pick_logins(path: Path) -> tuple[str, int, str]:
    """(the login with the most open cases and how many, the supervisor with the most open cases)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT o.login, o.role, count(c.id) AS n FROM officer o LEFT JOIN complaint_case c "
            "ON c.officer_id = o.id AND c.closed = 0 WHERE o.active = 1 GROUP BY o.id ORDER BY n DESC"
        ).fetchall()
    finally:
        con.close()
    busiest = rows[0]
    supervisor = next(r for r in rows if r[1] == "supervisor")
    return busiest[0], busiest[2], supervisor[0]


def open_cases_of(path: Path, login: str) -> int:
    """How many open cases ``login`` holds in the demo database."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT count(*) FROM complaint_case c JOIN officer o ON o.id = c.officer_id "
            "WHERE o.login = ? AND c.closed = 0",
            (login,),
        ).fetchone()[0]
    finally:
        con.close()


def writers_on_copy(db: Path, out: Path, writers: int, seconds: float) -> dict:
    """Run ``_writers`` on a consistent copy of the demo database (the demo itself stays as built)."""
    copy = out / "writers.db"
    for suffix in ("", "-wal", "-shm", "-writers"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(db), sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    try:
        return _writers.run(f"sqlite:///{copy}", writers, seconds)
    finally:
        for suffix in ("", "-wal", "-shm", "-writers"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


# -- key presses (subprocesses) -----------------------------------------------------------


def run_json(argv: list[str], prefix: str) -> dict | None:
    """Run a benchmark script in a fresh process; its JSON result, or None (its error printed)."""
    proc = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT, timeout=3600, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith(prefix):
            return json.loads(line[len(prefix) :])
    print(f"  {Path(argv[0]).name} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-2500:]}")
    return None


def cpu_note(run: dict) -> str:
    """A key run's CPU time per key, median/p95/p99 (``_inbox_keys.py``), as text."""
    cpu = run.get("cpu") or []
    if not cpu:
        return "–"
    return "/".join(f"{sb.percentile(cpu, q) * 1000:.1f}" for q in (50, 95, 99)) + " ms"


def run_keys(argv: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, str(HERE / "_inbox_keys.py"), *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"_inbox_keys.py {' '.join(argv)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")


# -- the report --------------------------------------------------------------------------


def machine_note() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlalchemy
    import textual

    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; Python "
        f"{platform.python_version()}, Textual {textual.__version__}, SQLAlchemy {sqlalchemy.__version__}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def render(rows: list[Row], markdown: bool) -> str:
    head = ("figure", "measured", "floor", "ratio", "budget", "met?")
    cells = [head] + [(r.figure, r.measured, r.floor, r.ratio, r.budget, r.met) for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c) + " |" for c in cells[1:]]
        return "\n".join(lines)
    widths = [max(len(c[i].replace("**", "")) for c in cells) for i in range(len(head))]
    out = []
    for n, c in enumerate(cells):
        out.append(
            "  ".join(
                v.replace("**", "").ljust(w) if i == 0 else v.replace("**", "").rjust(w)
                for i, (v, w) in enumerate(zip(c, widths, strict=False))
            )
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=None, help="cases in the demo database (default 100,000)")
    p.add_argument("--quick", action="store_true", help="10,000 cases and fewer repetitions")
    p.add_argument("--rebuild", action="store_true", help="build the demo database again")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--long-day", type=int, default=None, help="cases opened and closed for the long day (500)")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("CASEWORKER_BENCH_PG_URL") or os.environ.get("CASEWORKER_TEST_PG_URL"),
        help="a PostgreSQL server (a superuser's URL): its figures too (default: $CASEWORKER_TEST_PG_URL)",
    )
    p.add_argument("--writers-seconds", type=float, default=None, help="how long the writers save (default 30 s)")
    p.add_argument("--no-pg", action="store_true", help="no PostgreSQL rows even when a server is given")
    p.add_argument(
        "--pg-cases", type=int, default=None, help="cases in the PostgreSQL demo database (default: --cases)"
    )
    args = p.parse_args()
    cases = args.cases or (10_000 if args.quick else 100_000)
    pg_url = None if args.no_pg else args.pg_url
    pg_cases = args.pg_cases or cases
    pg_demo_url = pg_built = None
    args.out.mkdir(parents=True, exist_ok=True)
    if pg_url:
        pg_built_info = args.out / f"pg-demo-{pg_cases}.build.json"
        pg_demo_url = _search_bench.ensure_pg_demo(pg_url, pg_cases, SEED, rebuild=args.rebuild, info=pg_built_info)
        pg_built = json.loads(pg_built_info.read_text()) if pg_built_info.exists() else None
        upgrade_in_place(pg_demo_url)
    rounds, presses, opens, key_runs, reps = (2, 200, 3, 1, 3) if args.quick else (5, 300, 10, 2, 7)
    args.out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.time()

    db, built = ensure_demo(args.out, cases, args.rebuild)
    url = f"sqlite:///{db}"
    _busiest, _busiest_open, supervisor = pick_logins(db)
    # The app is the officer of the operating-system account (never an environment variable):
    # the demo builder makes that account an administrator holding its share of the cases.
    from caseworker.identity import os_account

    login = os_account()
    login_open = open_cases_of(db, login)
    print(f"Start-up as {login} ({login_open:,} open cases); keys as supervisor {supervisor} in the team view")

    print("Start-up in a pseudo-terminal ...")
    st = run_startup(url, TODAY.isoformat(), login, rounds)
    timeline = trace_startup(url, TODAY.isoformat(), login)

    print("Key presses (Pilot) ...")
    floor_keys: list[float] = []
    cw_keys: list[float] = []
    case_open: list[float] = []
    first_open: list[float] = []
    notes: list[str] = []
    for _ in range(key_runs):
        f = run_keys(["floor", "--rows", "1000", "--presses", str(presses)])
        floor_keys += f["latencies"]
        c = run_keys(
            [
                "caseworker",
                "--db",
                url,
                "--today",
                TODAY.isoformat(),
                "--login",
                supervisor,
                "--presses",
                str(presses),
                "--open-cases",
                str(opens),
            ]
        )
        cw_keys += c["latencies"]
        case_open += c["case_open"]
        first_open += c["case_open"][:1]
        notes.append(
            f"key run: {c['view']} view of {c['total']:,} open cases, {len(c['latencies'])} presses, "
            f"{c['rows_at_end']} rows loaded at the end, {c['missed']} key(s) never shown; "
            f"CPU per key (the process, every thread) median/p95/p99 {cpu_note(c)}, the floor's {cpu_note(f)}; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(f"  floor median {ms(sb.median(f['latencies']))}, caseworker median {ms(sb.median(c['latencies']))}")

    print("Store and rules ...")
    store = sb.open_store(url, TODAY)
    detail = sb.case_detail_times(store, 50)
    store.engine.dispose()
    print("Search and every inbox filter ...")
    searches = _search_bench.table_rows(url, reps)
    if pg_demo_url:
        searches += _search_bench.table_rows(pg_demo_url, reps)
    cal, cal_floor = sb.calendar_times()
    imp_total, imp_store, imp_floor, imp_rows = sb.import_times(args.out / "import", 20_000, TODAY)
    print("Tracker import: .xlsx, large files and memory (fresh processes) ...")
    import _import_bench as ib

    big = 20_000 if args.quick else 200_000
    tracker = ib.measure_all(args.out / "import", TODAY, big, pg_url)

    print("A long case (10,000 events) ...")
    long_case = run_json(
        [str(HERE / "_long_case.py"), "--db", url, "--login", supervisor, "--today", TODAY.isoformat()], "LONGCASE:"
    )
    day_cases = args.long_day or (50 if args.quick else 500)
    print(f"A long day: {day_cases} cases opened and closed ...")
    long_day = run_json(
        [
            str(HERE / "_long_day.py"),
            "--db",
            url,
            "--login",
            supervisor,
            "--today",
            TODAY.isoformat(),
            "--cases",
            str(day_cases),
        ],
        "LONGDAY:",
    )

    writers_seconds = args.writers_seconds or (10 if args.quick else 30)
    print("Team load: 5 writer processes on a copy of the demo database ...")
    team = writers_on_copy(db, args.out, 5, writers_seconds)
    pg_team = None
    if pg_demo_url:
        print("Team load: 20 writer processes on a copy of the PostgreSQL demo database ...")
        pg_team = pg_writers_on_copy(pg_demo_url, 20, writers_seconds)

    def pct(xs, q):
        return sb.percentile(xs, q) if xs else None

    def med(xs):
        return sb.median(xs) if xs else None

    bare, heavy, paint, filled = med(st.bare), med(st.heavy), med(st.paint), med(st.filled)
    rows = []
    for what, figures in (("", built), ("PostgreSQL ", pg_built)):
        if figures:
            rows.append(
                Row(
                    f"{what}demo database built by the demo builder ({figures.get('cases', cases):,} cases, "
                    f"{figures['rows']:,} rows; load {figures.get('load', 0):.0f}"
                    + (f", {figures['cpu']:.0f} s of CPU)" if "cpu" in figures else ")"),
                    ms(figures["seconds"]),
                    "–",
                    "–",
                    "a few minutes (≤ 5 min)",
                    verdict(figures["seconds"] <= 300),
                )
            )
    rows += [
        Row(
            "start to first paint",
            ms(paint),
            f"{ms(bare)} bare Textual app",
            ratio(paint, bare),
            "≤ 1.3x bare app",
            verdict(paint / bare <= 1.3) if paint and bare else "–",
        ),
        Row(
            "start to first paint, vs floor 2",
            ms(paint),
            f"{ms(heavy)} Textual + sqlmodel + holidays",
            ratio(paint, heavy),
            "–",
            "–",
        ),
        Row(
            f"start to inbox filled ({cases:,} cases)",
            ms(filled),
            f"{ms(bare)} bare app painted",
            ratio(filled, bare),
            "≤ 1.0 s",
            verdict(filled <= 1.0) if filled else "–",
        ),
    ]
    fk = (pct(floor_keys, 50), pct(floor_keys, 95), pct(floor_keys, 99))
    ck = (pct(cw_keys, 50), pct(cw_keys, 95), pct(cw_keys, 99))
    rows += [
        Row("key press in the inbox, median", ms(ck[0]), f"{ms(fk[0])} bare DataTable", ratio(ck[0], fk[0]), "–", "–"),
        Row(
            "key press in the inbox, p95",
            ms(ck[1]),
            f"{ms(fk[1])} bare DataTable",
            ratio(ck[1], fk[1]),
            "≤ 1.2x bare DataTable",
            verdict(ck[1] / fk[1] <= 1.2) if ck[1] and fk[1] else "–",
        ),
        Row(
            "key press in the inbox, p99",
            ms(ck[2]),
            f"{ms(fk[2])} bare DataTable",
            ratio(ck[2], fk[2]),
            "< 50 ms",
            verdict(ck[2] < 0.050) if ck[2] else "–",
        ),
        Row(
            "open a case: case_detail, p95 of 50 random",
            ms(pct(detail, 95)),
            "–",
            "–",
            "< 100 ms",
            verdict(pct(detail, 95) < 0.1),
        ),
        Row(
            f"open a case: screen shown, median of {len(case_open)} (first in a process: {ms(max(first_open, default=None))})",
            ms(med(case_open)),
            "–",
            "–",
            "< 100 ms",
            verdict(med(case_open) < 0.1) if case_open else "–",
        ),
        Row(
            f"open a case: the first in a process, slowest of {len(first_open)} processes",
            ms(max(first_open, default=None)),
            "–",
            "–",
            "< 200 ms",
            verdict(max(first_open) < 0.2) if first_open else "–",
        ),
    ]
    rows += [Row(f, m, fl, r, b, verdict(ok)) for f, m, fl, r, b, ok in searches]
    rows.append(
        Row(
            "deadline arithmetic, 100,000 due dates",
            ms(cal),
            f"{ms(cal_floor)} table + bisect",
            ratio(cal, cal_floor),
            "< 0.5 s",
            verdict(cal < 0.5),
        )
    )
    rate, store_rate, floor_rate = imp_rows / imp_total, imp_rows / imp_store, imp_rows / imp_floor
    rows.append(
        Row(
            f"tracker CSV import, {imp_rows:,} rows (parse + store)",
            f"{rate:,.0f} rows/s",
            f"{floor_rate:,.0f} rows/s Core executemany",
            f"{floor_rate / rate:.2f}x slower",
            "≥ 20,000 rows/s",
            verdict(rate >= 20_000),
        )
    )
    rows.append(
        Row(
            "tracker CSV import, store only",
            f"{store_rate:,.0f} rows/s",
            f"{floor_rate:,.0f} rows/s",
            f"{floor_rate / store_rate:.2f}x slower",
            "–",
            "–",
        )
    )
    for key, label in (
        ("csv20", "tracker CSV import, streamed, 20,000 rows"),
        ("csv_big_sqlite", f"tracker CSV import, streamed, {big:,} rows (SQLite)"),
        ("csv_big_pg", f"tracker CSV import, streamed, {big:,} rows (PostgreSQL)"),
    ):
        if key in tracker:
            r = tracker[key]["rows"] / tracker[key]["seconds"]
            rows.append(
                Row(
                    label,
                    f"{r:,.0f} rows/s",
                    f"{floor_rate:,.0f} rows/s Core executemany",
                    f"{floor_rate / r:.2f}x slower",
                    "≥ 20,000 rows/s",
                    verdict(r >= 20_000),
                )
            )
    if "store_floor" in tracker:
        r = tracker["csv20"]["rows"] / tracker["csv20"]["seconds"]
        sf = tracker["store_floor"]["rows"] / tracker["store_floor"]["seconds"]
        rows.append(
            Row(
                "tracker CSV import, streamed, 20,000 rows, beside the schema's own inserts",
                f"{r:,.0f} rows/s",
                f"{sf:,.0f} rows/s the same stored rows inserted again by sqlite3 alone (indexes, FTS5, triggers)",
                f"{sf / r:.2f}x slower",
                "–",
                "–",
            )
        )
    if "store_floor_pg" in tracker:
        r = tracker["csv_big_pg"]["rows"] / tracker["csv_big_pg"]["seconds"]
        sf = tracker["store_floor_pg"]["rows"] / tracker["store_floor_pg"]["seconds"]
        rows.append(
            Row(
                f"tracker CSV import, streamed, {big:,} rows (PostgreSQL), beside the schema's own inserts",
                f"{r:,.0f} rows/s",
                f"{sf:,.0f} rows/s the same stored rows copied in again by psycopg alone "
                "(indexes, foreign keys, triggers)",
                f"{sf / r:.2f}x slower",
                "–",
                "–",
            )
        )
    x, xf = tracker["xlsx20"], tracker["xlsx_floor"]
    xr, xfr = x["rows"] / x["seconds"], xf["rows"] / xf["seconds"]
    rows.append(
        Row(
            "tracker .xlsx import, 20,000 rows (read + check + store)",
            f"{xr:,.0f} rows/s",
            f"{xfr:,.0f} rows/s calamine reading only (openpyxl's read-only reading: "
            f"{tracker['xlsx_floor_openpyxl']['rows'] / tracker['xlsx_floor_openpyxl']['seconds']:,.0f})",
            f"{xfr / xr:.2f}x slower",
            "≥ 5,000 rows/s",
            verdict(xr >= 5_000),
        )
    )
    for key, label in (("csv_big_sqlite", "SQLite"), ("csv_big_pg", "PostgreSQL")):
        if key in tracker:
            m = tracker[key]
            rows.append(
                Row(
                    f"peak memory, {big:,}-row tracker import ({label})",
                    f"{m['peak_mib']:.0f} MiB",
                    f"{m['baseline_mib']:.0f} MiB the same process before importing",
                    ratio(m["peak_mib"], m["baseline_mib"]),
                    "< 200 MiB",
                    verdict(m["peak_mib"] < 200),
                )
            )
    rows.append(
        Row(
            f"team load, SQLite: 5 writer processes, save p99 ({team['saves']:,} saves, "
            f"{team['rate']:.0f}/s; median {ms(team['p50'])})",
            ms(team["p99"]),
            "–",
            "–",
            "< 500 ms",
            verdict(team["p99"] < 0.5),
        )
    )
    rows.append(
        Row(
            'team load, SQLite: saves told "busy" / lost',
            f"{team['busy']} / {team['lost']}",
            "–",
            "–",
            "0 / 0",
            verdict(team["busy"] == 0 and team["lost"] == 0),
        )
    )
    if pg_team:
        floor, saturated = pg_team["floor"], pg_team["saturated"]
        rows.append(
            Row(
                f"team load, PostgreSQL ({pg_cases:,} cases): 20 officers' processes, each saving every "
                f"{pg_team['think']:g} s on average, save p99 ({pg_team['saves']:,} saves, {pg_team['rate']:.0f}/s; "
                f"median {ms(pg_team['p50'])}, floor's {ms(floor['p50'])})",
                ms(pg_team["p99"]),
                f"{ms(floor['p99'])} one bare UPDATE a save, same pace",
                ratio(pg_team["p99"], floor["p99"]),
                "< 200 ms",
                verdict(pg_team["p99"] < 0.2),
            )
        )
        rows.append(
            Row(
                f"team load, PostgreSQL: the same 20 saving back to back, save p99 ({saturated['saves']:,} saves, "
                f"{saturated['rate']:.0f}/s: the most this machine served; median {ms(saturated['p50'])})",
                ms(saturated["p99"]),
                "–",
                "–",
                "–",
                "–",
            )
        )
        rows.append(
            Row(
                f'team load, PostgreSQL ({pg_cases:,} cases): saves told "busy" / lost',
                f"{pg_team['busy'] + saturated['busy']} / {pg_team['lost'] + saturated['lost']}",
                "–",
                "–",
                "0 / 0",
                verdict(pg_team["busy"] + saturated["busy"] == 0 and pg_team["lost"] + saturated["lost"] == 0),
            )
        )
    if long_case:
        opens = long_case["opens"]
        rows.append(
            Row(
                f"long case ({long_case['timeline_total']:,} events): open, median of {len(opens)} "
                f"(first {ms(opens[0])})",
                ms(med(opens)),
                "–",
                "–",
                "< 150 ms",
                verdict(med(opens) < 0.15),
            )
        )
        for key, times in long_case["keys"].items():
            rows.append(
                Row(
                    f"long case: '{key}' on the Timeline, median (p95 {ms(pct(times, 95))})",
                    ms(med(times)),
                    f"{ms(fk[0])} bare DataTable key",
                    ratio(med(times), fk[0]),
                    "< 50 ms",
                    verdict(med(times) < 0.05) if times else "–",
                )
            )
    if long_day:
        growth = long_day["rss_end_kib"] / long_day["rss_10_kib"]
        rows.append(
            Row(
                f"long day: memory after {long_day['cases']} cases opened and closed (widgets "
                f"{long_day['widgets_10']} → {long_day['widgets_end']})",
                f"{long_day['rss_end_kib'] / MIB:.0f} MiB",
                f"{long_day['rss_10_kib'] / MIB:.0f} MiB after 10",
                f"{growth:.2f}x",
                "≤ 1.10x",
                verdict(growth <= 1.10),
            )
        )
    hwm, table_hwm = max(st.hwm_kib, default=0) / MIB, max(st.table_hwm_kib, default=0) / MIB
    rows.append(
        Row(
            f"peak memory, inbox filled ({cases:,} cases)",
            f"{hwm:.0f} MiB" if hwm else "–",
            f"{table_hwm:.0f} MiB 1,000-row DataTable" if table_hwm else "–",
            ratio(hwm, table_hwm),
            "< 150 MiB",
            verdict(hwm < 150) if hwm else "–",
        )
    )

    load_after = os.getloadavg()
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    header = (
        f"caseworker benchmark, {stamp}, {cases:,} cases ({db.name}), today {TODAY}\n"
        f"Machine: {machine_note()}\n"
        f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f}; "
        f"took {time.time() - started:.0f} s; start-up: median of {len(st.paint)} rounds as {login} "
        f"({login_open:,} open cases); keys: {len(cw_keys)} presses (floor {len(floor_keys)})"
    )
    app_filled = [m["inbox_filled"] for m in st.app_marks if "inbox_filled" in m]
    app_paint = [m["first_paint"] for m in st.app_marks if "first_paint" in m]
    marks = (
        f"app's own marks (from spawn, median): first_paint {ms(med(app_paint))}, "
        f"inbox_filled {ms(med(app_filled))} (the terminal sees the frame after that)"
    )
    extra = [marks, *notes, *st.failures]
    trace = "\n".join(f"{secs * 1000:8.0f} ms  {thread:<11} {what}" for secs, thread, what in timeline)

    print("\n" + header + "\n")
    print(render(rows, markdown=False))
    print("\n" + "\n".join(extra))
    print("\nStart-up, one traced run (ms after spawn):\n" + trace)
    md = (
        f"{header.replace(chr(10), '  ' + chr(10))}\n\n{render(rows, markdown=True)}\n\n"
        + "\n".join(f"- {e}" for e in extra)
        + f"\n\nStart-up, one traced run (ms after spawn):\n\n```\n{trace}\n```\n"
    )
    (args.out / "latest.md").write_text(md, encoding="utf-8")
    print(f"\nWritten to {args.out / 'latest.md'}")


if __name__ == "__main__":
    main()

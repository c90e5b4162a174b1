"""Start-up and memory in a real pseudo-terminal (see ``_pty.py``), from process spawn.

* floors: ``_floor_apps.py bare`` (Header + Static) and ``heavy`` (the same with textual,
  sqlmodel and holidays imported first) to first paint; ``table`` (a 1,000-row DataTable)
  to filled, with its peak memory;
* caseworker: ``python -m caseworker`` (the real entry point) on the demo database with
  ``CASEWORKER_TODAY`` fixed and ``LOGNAME`` set: first paint is the first frame showing
  the inbox screen (its title), inbox filled is the status line's "N of M case(s) shown" (or "more than M"),
  written after the first page is in the table. The app's own ``CASEWORKER_TIMINGS``
  marks (epoch) are read back as a cross-check. Peak memory is VmHWM of the app process
  once the inbox has filled and settled.

Rounds are interleaved (bare, heavy, table, caseworker, then again) so that a noisy
neighbour slows all of them alike; a first warm-up round (disk cache) is dropped.

Byte code: the floors load Textual from byte code compiled when it was installed, as ``pip
install caseworker`` compiles caseworker's. A checkout installed editable in an environment
with ``PYTHONDONTWRITEBYTECODE=1`` (this machine's) never writes any, so every start compiled
each of caseworker's modules from source (about a third of the gap to the bare app).
:func:`byte_compile` compiles the package the app will import, the way an install does,
before the first round.

Run with ``trace-child`` as the first argument this module is instead a launcher for one
traced caseworker run: it marks (epoch, thread) when Python is up, when the app module is
imported, each step of opening the workspace (its imports one by one, opening the store,
the officer, the calendar check) and each database job and the inbox's first page, so
the report can say where the time to a filled inbox goes.

On its own, on an existing database (medians, the ratio to the bare app, one traced run)::

    python benchmarks/_startup.py --db /work/bench-me/demo-1000000.db --rounds 5
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _pty import read_timings, run_in_pty

PAINT_MARK = b"Inbox"  # the screen title, in the Header (and the footer) of the first frame
FILLED_MARK = b"shown"  # the status line's "N of M case(s) shown" (or "of more than"), once the first page is in


@dataclass
class StartupResults:
    bare: list[float] = field(default_factory=list)
    heavy: list[float] = field(default_factory=list)
    table_filled: list[float] = field(default_factory=list)
    table_hwm_kib: list[int] = field(default_factory=list)
    paint: list[float] = field(default_factory=list)
    filled: list[float] = field(default_factory=list)
    app_marks: list[dict[str, float]] = field(default_factory=list)
    hwm_kib: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def caseworker_env(db_url: str, today: str, login: str, timings: Path) -> dict[str, str]:
    return {
        "CASEWORKER_DATABASE_URL": db_url,
        "CASEWORKER_TODAY": today,
        "LOGNAME": login,
        "USER": login,
        "CASEWORKER_TIMINGS": str(timings),
    }


def byte_compile(env: dict[str, str] | None = None) -> str:
    """Compile the ``caseworker`` package the app's processes import to byte code
    (``__pycache__``, as ``pip install`` does); returns the package's folder, or why not."""
    import subprocess

    code = (
        "import compileall, os, caseworker; d = os.path.dirname(caseworker.__file__); "
        "print(d if compileall.compile_dir(d, quiet=1) else 'byte code not written in ' + d)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=dict(os.environ, **(env or {})), capture_output=True, text=True, check=False
    )
    return (done.stdout or done.stderr).strip()


def _floor(kind: str, marks: dict[str, bytes], *args: str):
    return run_in_pty([sys.executable, str(HERE / "_floor_apps.py"), kind, *args], marks)


def run_startup(db_url: str, today: str, login: str, rounds: int, progress=print) -> StartupResults:
    res = StartupResults()
    progress(f"  byte code: {byte_compile()}")
    tmp = Path(tempfile.mkdtemp(prefix="cw-bench-"))
    for n in range(rounds + 1):
        counted = n > 0
        r = _floor("bare", {"paint": b"FLOOR-READY"})
        if counted and "paint" in r.seen:
            res.bare.append(r.seen["paint"])
        r = _floor("heavy", {"paint": b"FLOOR-READY"})
        if counted and "paint" in r.seen:
            res.heavy.append(r.seen["paint"])
        r = _floor("table", {"filled": b"FLOOR-FILLED"}, "1000")
        if counted and "filled" in r.seen:
            res.table_filled.append(r.seen["filled"])
            if r.vm_hwm_kib:
                res.table_hwm_kib.append(r.vm_hwm_kib)
        timings = tmp / f"timings-{n}.txt"
        r = run_in_pty(
            [sys.executable, "-m", "caseworker"],
            {"paint": PAINT_MARK, "filled": FILLED_MARK},
            env=caseworker_env(db_url, today, login, timings),
            timeout=60,
            settle=0.5,
        )
        missing = [m for m in ("paint", "filled") if m not in r.seen]
        if missing:
            res.failures.append(f"caseworker run {n}: never saw {', '.join(missing)}; last output {r.output[-300:]!r}")
        elif counted:
            res.paint.append(r.seen["paint"])
            res.filled.append(r.seen["filled"])
            res.app_marks.append(read_timings(timings, r.spawn_epoch))
            if r.vm_hwm_kib:
                res.hwm_kib.append(r.vm_hwm_kib)
        progress(
            f"  start-up round {n}{'' if counted else ' (warm-up, not counted)'}: "
            f"caseworker paint {r.seen.get('paint', float('nan')):.3f} s, filled {r.seen.get('filled', float('nan')):.3f} s"
        )
    return res


def trace_startup(db_url: str, today: str, login: str) -> list[tuple[float, str, str]]:
    """One traced caseworker run: (seconds after spawn, thread, what), in time order."""
    tmp = Path(tempfile.mkdtemp(prefix="cw-trace-"))
    trace, timings = tmp / "trace.txt", tmp / "timings.txt"
    env = caseworker_env(db_url, today, login, timings) | {"BENCH_TRACE": str(trace)}
    r = run_in_pty(
        [sys.executable, str(HERE / "_startup.py"), "trace-child"],
        {"paint": PAINT_MARK, "filled": FILLED_MARK},
        env=env,
        timeout=60,
    )
    events = [(secs, "terminal", f"pty: {name}") for name, secs in r.seen.items()]
    events += [(secs, "MainThread", f"app mark: {what}") for what, secs in read_timings(timings, r.spawn_epoch).items()]
    if trace.exists():
        for line in trace.read_text().splitlines():
            epoch, thread, what = line.split(" ", 2)
            events.append((float(epoch) - r.spawn_epoch, thread, what))
    return sorted(events)


# -- the traced child ----------------------------------------------------------------------


def _trace_child() -> None:  # pragma: no cover - runs in the pty
    import functools
    import threading

    out = open(os.environ["BENCH_TRACE"], "a", encoding="utf-8")  # noqa: SIM115

    def mark(what: str) -> None:
        out.write(f"{time.time():.6f} {threading.current_thread().name} {what}\n")
        out.flush()

    mark("python is up (interpreter and site loaded)")
    import caseworker.app as app_module

    mark("imported caseworker.app (textual and the app's modules)")
    from caseworker import workspace
    from caseworker.screens import base

    def traced(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            mark(f"{name} start")
            try:
                return fn(*args, **kwargs)
            finally:
                mark(f"{name} end")

        return wrapper

    original_open = workspace.open_workspace

    workspace.first_page = traced("first page read with sqlite3 (before SQLAlchemy)", workspace.first_page)

    def open_workspace(settings, clock, login=None, show_first_page=None, limit=200):
        mark("open_workspace: start")
        if show_first_page is not None:  # as open_workspace does, first of all
            page = workspace.first_page(settings, clock, login, limit)
            if page is not None:
                show_first_page(page)
        import sqlalchemy  # noqa: F401

        mark("open_workspace: imported sqlalchemy")
        import sqlmodel  # noqa: F401

        mark("open_workspace: imported sqlmodel")
        import caseworker.store.models  # noqa: F401

        mark("open_workspace: imported caseworker.store.models")
        from caseworker.store import services

        mark("open_workspace: imported caseworker.store.services")
        from caseworker.store import migrate

        mark("open_workspace: imported caseworker.store.migrate (alembic)")
        migrate.open_store = traced("open_store (engine, schema check)", migrate.open_store)
        services.current_officer = traced("current_officer", services.current_officer)
        services.calendar_changed = traced("calendar_changed (builds the calendar)", services.calendar_changed)
        try:
            return original_open(settings, clock, login)
        finally:
            mark("open_workspace: end")

    workspace.open_workspace = open_workspace
    original_run_db = base.WorkerMixin.run_db

    def run_db(self, fn, *args, **kwargs):
        name = getattr(fn, "__qualname__", repr(fn))
        return original_run_db(self, traced(f"db job {name}", fn), *args, **kwargs)

    base.WorkerMixin.run_db = run_db
    from caseworker.screens import inbox

    inbox.InboxScreen.load = traced("InboxScreen.load (UI thread; imports the queries)", inbox.InboxScreen.load)
    inbox.InboxScreen.show_first_page = traced(
        "InboxScreen.show_first_page (UI thread: the page read before the store)", inbox.InboxScreen.show_first_page
    )
    inbox.InboxScreen._first_page = traced(
        "InboxScreen._first_page (UI thread: rows into the table)", inbox.InboxScreen._first_page
    )
    original_init = app_module.CaseworkerApp.__init__

    def init(self, *args, **kwargs):
        mark("CaseworkerApp() created")
        original_init(self, *args, **kwargs)

    app_module.CaseworkerApp.__init__ = init
    from caseworker.cli import main

    raise SystemExit(main([]))


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Start-up alone, on one database: the medians, the ratio to the bare app and one traced run."""
    import argparse

    parser = argparse.ArgumentParser(
        description="Time caseworker's start-up (first paint, inbox filled) beside a bare Textual app, "
        "in a real pseudo-terminal, on an existing database (never written to by this script; "
        "it must already be at the current schema, else the first start upgrades it)."
    )
    parser.add_argument("--db", required=True, help="a SQLite demo database file (or a database URL)")
    parser.add_argument("--today", default="2025-12-19", help="CASEWORKER_TODAY for the app (the demo's day)")
    parser.add_argument("--login", default=None, help="the officer (default: the operating-system account)")
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds (a warm-up round is added)")
    parser.add_argument("--no-trace", action="store_true", help="skip the traced run")
    args = parser.parse_args(argv)
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    if args.login is None:
        sys.path.insert(0, str(HERE.parent))
        from caseworker.identity import os_account

        args.login = os_account()
    print(f"load average {os.getloadavg()[0]:.1f}")
    res = run_startup(url, args.today, args.login, args.rounds)
    for failure in res.failures:
        print("FAILED:", failure)
    bare, paint, filled = _median(res.bare), _median(res.paint), _median(res.filled)
    print(f"bare Textual app, first paint  {bare * 1000:7.1f} ms  (all: {[round(x * 1000) for x in res.bare]})")
    print(f"heavy floor, first paint       {_median(res.heavy) * 1000:7.1f} ms")
    print(f"caseworker first paint         {paint * 1000:7.1f} ms  ({paint / bare:.2f}x bare; budget 1.3x)")
    print(f"caseworker inbox filled        {filled * 1000:7.1f} ms  (budget 1,000 ms)")
    print(f"  paint rounds  {[round(x * 1000) for x in res.paint]}")
    print(f"  filled rounds {[round(x * 1000) for x in res.filled]}")
    for name in sorted({k for marks in res.app_marks for k in marks}):
        print(f"  app mark {name:<16} {_median([m[name] for m in res.app_marks if name in m]) * 1000:7.1f} ms")
    print(f"load average {os.getloadavg()[0]:.1f}")
    if not args.no_trace:
        print("\nOne traced run (ms after spawn):")
        for secs, thread, what in trace_startup(url, args.today, args.login):
            print(f"{secs * 1000:8.0f} ms  {thread:<11} {what}")
    return 1 if res.failures else 0


if __name__ == "__main__" and sys.argv[1:2] == ["trace-child"]:
    _trace_child()
elif __name__ == "__main__":
    raise SystemExit(main())

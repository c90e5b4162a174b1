"""Team load: N officers saving at once, each in their own process, through the real services.

    python benchmarks/_writers.py --url sqlite:///benchmarks/out/demo-100000.db --writers 5 --seconds 20
    python benchmarks/_writers.py --url postgresql://.../db --writers 20 --seconds 20 --think 1
    python benchmarks/_writers.py --url postgresql://.../db --writers 20 --seconds 20 --think 1 --floor

Each writer process logs in as its own officer (``loadtestNN``, a supervisor, made by the
administrator when missing) and, until the time is up, saves one real change after another
on random live cases (open or awaiting acknowledgement), as an officer working through a
queue does: a note (a third of rounds), handing the case to a colleague from the version it
just read (a third), and a remedy offered then accepted (a third, two saves). With
``--think S`` the officer pauses between saves for an exponentially distributed time of
mean S seconds (``THINK_S``, 1 s, in ``run.py``'s budgeted PostgreSQL row: each of 20
officers saving about once a second, 20 saves a second between them, many times what a
council's team makes); without it (0) every officer saves back to back, and the figure is
then the most the machine serves: with N writers always waiting, a save's wait is N over
the rate (Little's law), whatever the database does.

A save is timed from the service call to its return, including any waiting for another
writer's lock and any retry inside the services; p50/p95/p99 are over every timed save of
every writer (``cpu_*``: the writer process's own CPU time for a save). Before the start
line each process makes one stored save of each kind, untimed (``warmup_max`` reports the
slowest): a process's first save imports the rules and the holiday calendar and compiles its
statements, which the app has done by the time an officer saves, and 20 processes doing it
at once on two cores is start-up, not team load.

Outcomes: stored; ConcurrentChange (another officer changed the same case first: the right
answer, counted apart); "busy" (the database stayed locked: the failure the budget
forbids); any other error (a refusal, e.g. the colleague already holds the case). Afterwards
the notes and remedies each writer says it stored are counted in the database: "lost" is
what a writer was told was stored but is not there.

``--floor``: the same processes at the same pace, each save one ``UPDATE`` that takes the
case's row lock and changes nothing, in its own transaction through the bare driver (three
round trips, no ORM, no rules): what the machine's load alone costs a save. ``--dump FILE``
writes every save (service, wall s, CPU s) by writer. Prints one JSON line prefixed
``WRITERS:``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

RESULT_PREFIX = "WRITERS:"
#: An officer's mean pause between saves in the budgeted PostgreSQL run (seconds): see the docstring.
THINK_S = 1.0
NOTE = "load test note"


def _officers(url: str, n: int) -> tuple[list[str], str]:
    """``n`` active officers' logins (created by the administrator when missing), and the administrator."""
    from sqlalchemy import text

    from caseworker.rules.facts import Role
    from caseworker.store import services as sv
    from caseworker.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as c:
            admin = c.execute(
                text("SELECT login FROM officer WHERE role = 'administrator' AND active ORDER BY id LIMIT 1")
            ).scalar()
            have = {r[0] for r in c.execute(text("SELECT login FROM officer WHERE login LIKE 'loadtest%'"))}
        store = _store(engine, url)
        logins = [f"loadtest{i:02d}" for i in range(n)]
        for login in logins:
            if login not in have:
                sv.add_officer(store, admin, login, f"Load Test {login[-2:]}", Role.SUPERVISOR)
        return logins, admin
    finally:
        engine.dispose()


def _store(engine, url: str):
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.store.context import Store

    return Store(engine, Settings(database_url=url, config_path=Path("unused-config.toml")), Clock())


def _writer(
    url: str,
    login: str,
    officers: list[str],
    case_ids: list[int],
    seconds: float,
    think: float,
    seed: int,
    start,
    results,
) -> None:
    from caseworker.rules.facts import RemedyKind, RemedyState
    from caseworker.store import services as sv
    from caseworker.store.db import make_engine

    engine = make_engine(url)
    store = _store(engine, url)
    rng = random.Random(seed)
    saves: list[tuple[str, float, float]] = []  # (service, wall s, this process's CPU s), timed saves
    first: list[tuple[str, float, float]] = []  # the same for the untimed warm-up saves
    counts = {"stored": 0, "conflict": 0, "busy": 0, "other": 0}
    warm_counts = dict(counts)
    stored = {"notes": 0, "remedies": 0}
    errors: list[str] = []
    today = store.today()
    log = first

    def timed(fn, *args, **kwargs):
        tally = counts if log is saves else warm_counts
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            out = fn(*args, **kwargs)
            tally["stored"] += 1
            return out
        except sv.ConcurrentChange:
            tally["conflict"] += 1
        except sv.DomainError as exc:
            kind = "busy" if "busy" in str(exc) else "other"
            tally[kind] += 1
            if len(errors) < 5:
                errors.append(str(exc))
        finally:
            log.append((fn.__name__, time.perf_counter() - t0, time.process_time() - c0))
        return None

    def save(case_id: int, roll: float) -> None:
        if roll < 1 / 3:
            if timed(sv.add_correspondence, store, login, case_id, "note", NOTE, subject=login) is not None:
                stored["notes"] += 1
        elif roll < 2 / 3:
            try:
                version = sv.current_version(store, case_id)
            except sv.DomainError:
                return
            colleague = rng.choice([o for o in officers if o != login])
            timed(sv.assign, store, login, case_id, version, colleague, "load test: handing the case over")
        else:
            rid = timed(
                sv.offer_remedy,
                store,
                login,
                case_id,
                RemedyKind.APOLOGY,
                f"apology from {login}",
                today + timedelta(days=14),
            )
            if rid is not None:
                stored["remedies"] += 1
                timed(sv.move_remedy, store, login, rid, RemedyState.ACCEPTED)

    # Warm-up, before the start line and not timed: one save of each kind, as an officer's app has
    # made (or prepared, opening the inbox and a case) before the day's saves. A process's first
    # save imports the rules and the calendar and compiles its statements; reported apart.
    for roll in (0.0, 0.5, 0.9):
        for _try in range(10):  # until one is stored (an assignment can be refused: no change)
            before = warm_counts["stored"]
            save(rng.choice(case_ids), roll)
            if warm_counts["stored"] > before:
                break
    log = saves
    start.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        save(rng.choice(case_ids), rng.random())
        if think:
            time.sleep(min(rng.expovariate(1 / think), max(0.0, end - time.monotonic())))
    engine.dispose()
    results.put(
        {
            "login": login,
            "saves": saves,
            "first": first,
            "counts": counts,
            "warm_counts": warm_counts,
            **stored,
            "errors": errors,
        }
    )


def _floor_writer(url: str, case_ids: list[int], seconds: float, think: float, seed: int, start, results) -> None:
    """The floor: the same pace, each save one statement in its own transaction through the bare
    driver (an UPDATE that takes the case's row lock and changes nothing), no ORM and no rules."""
    from caseworker.store.db import is_sqlite, sqlite_path

    rng = random.Random(seed)
    if is_sqlite(url):
        import sqlite3

        conn = sqlite3.connect(str(sqlite_path(url)), timeout=5)
        sql = "UPDATE complaint_case SET version = version WHERE id = ?"
    else:
        import psycopg
        from sqlalchemy.engine import make_url

        conn = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
        sql = "UPDATE complaint_case SET version = version WHERE id = %s"
    saves: list[tuple[str, float, float]] = []
    start.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0, c0 = time.perf_counter(), time.process_time()
        conn.execute(sql, (rng.choice(case_ids),))
        conn.commit()
        saves.append(("floor", time.perf_counter() - t0, time.process_time() - c0))
        if think:
            time.sleep(min(rng.expovariate(1 / think), max(0.0, end - time.monotonic())))
    conn.close()
    counts = {"stored": len(saves), "conflict": 0, "busy": 0, "other": 0}
    results.put({"login": "", "saves": saves, "first": [], "counts": counts, "notes": 0, "remedies": 0, "errors": []})


def run(
    url: str, writers: int, seconds: float, think: float = 0.0, sample: int = 2000, dump: str = "", floor: bool = False
) -> dict:
    """Run ``writers`` processes for ``seconds``; return latencies, counts and the lost-save check.

    ``think``: each officer's mean pause between saves (seconds, exponentially distributed); 0
    saves back to back, which measures the most the machine serves (saves/s), not an officer's wait.
    ``floor``: the same processes and pace saving through the bare driver (:func:`_floor_writer`).
    """
    from sqlalchemy import text

    from caseworker.store.db import make_engine

    logins, _admin = _officers(url, writers)
    engine = make_engine(url)
    with engine.connect() as c:
        case_ids = [
            r[0]
            for r in c.execute(
                text(
                    "SELECT id FROM complaint_case WHERE closed = :f"
                    " AND status IN ('open', 'awaiting-acknowledgement') ORDER BY id LIMIT :n"
                ),
                {"f": False, "n": sample * 50},
            )
        ]
        before_notes = dict(
            c.execute(
                text("SELECT subject, count(*) FROM correspondence WHERE body = :b GROUP BY subject"), {"b": NOTE}
            ).all()
        )
        before_rem = dict(
            c.execute(
                text(
                    "SELECT description, count(*) FROM remedy WHERE description LIKE 'apology from loadtest%' "
                    "GROUP BY description"
                )
            ).all()
        )
    random.Random(1).shuffle(case_ids)
    case_ids = case_ids[:sample]
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(writers + 1), ctx.Queue()
    seeds = random.Random().sample(range(10**9), len(logins))
    procs = [
        ctx.Process(target=_floor_writer, args=(url, case_ids, seconds, think, seed, start, results))
        if floor
        else ctx.Process(target=_writer, args=(url, login, logins, case_ids, seconds, think, seed, start, results))
        for login, seed in zip(logins, seeds, strict=True)
    ]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.monotonic()
    got = [results.get(timeout=seconds + 600) for _ in procs]
    wall = time.monotonic() - t0
    for p in procs:
        p.join(timeout=60)
    with engine.connect() as c:
        after_notes = dict(
            c.execute(
                text("SELECT subject, count(*) FROM correspondence WHERE body = :b GROUP BY subject"), {"b": NOTE}
            ).all()
        )
        after_rem = dict(
            c.execute(
                text(
                    "SELECT description, count(*) FROM remedy WHERE description LIKE 'apology from loadtest%' "
                    "GROUP BY description"
                )
            ).all()
        )
    engine.dispose()
    lost = 0
    for g in got:
        stored_notes = after_notes.get(g["login"], 0) - before_notes.get(g["login"], 0)
        key = f"apology from {g['login']}"
        stored_rem = after_rem.get(key, 0) - before_rem.get(key, 0)
        lost += max(0, g["notes"] - stored_notes) + max(0, g["remedies"] - stored_rem)
    times = sorted(t for g in got for _name, t, _cpu in g["saves"])
    cpu = sorted(c for g in got for _name, _t, c in g["saves"])
    first = sorted(t for g in got for _name, t, _cpu in g["first"])
    if dump:
        Path(dump).write_text(json.dumps(got))
    counts = {k: sum(g["counts"][k] for g in got) for k in ("stored", "conflict", "busy", "other")}

    def pct(q: float) -> float | None:
        return times[min(len(times) - 1, int(q / 100 * len(times)))] if times else None

    return {
        "writers": writers,
        "think": think,
        "seconds": wall,
        "saves": len(times),
        "rate": counts["stored"] / wall if wall else 0,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": times[-1] if times else None,
        "cpu_p50": cpu[len(cpu) // 2] if cpu else None,
        "cpu_mean": sum(cpu) / len(cpu) if cpu else None,
        "warmup_max": first[-1] if first else None,
        **counts,
        "lost": lost,
        "errors": [e for g in got for e in g["errors"]][:5],
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--writers", type=int, default=5)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--think", type=float, default=0.0, help="each officer's mean pause between saves, seconds")
    p.add_argument("--dump", default="", help="write every save (service, wall s, CPU s) per writer to this JSON file")
    p.add_argument("--floor", action="store_true", help="the floor: one bare-driver statement a save")
    args = p.parse_args()
    print(
        RESULT_PREFIX
        + json.dumps(run(args.url, args.writers, args.seconds, args.think, dump=args.dump, floor=args.floor))
    )


if __name__ == "__main__":
    main()

"""Team load: N officers saving at once, each in their own process, through the real services.

    python benchmarks/_writers.py --url sqlite:///benchmarks/out/demo-100000.db --writers 5 --seconds 20
    python benchmarks/_writers.py --url postgresql://.../db --writers 20 --seconds 20

Each writer process logs in as its own officer and, until the time is up, saves one change
after another on random open cases, as an officer working through a queue does: a note
(a third of saves), an assignment to itself from the version it just read (a third), and
a remedy offered then accepted (a third, two saves). A save is timed from the service call
to its return, including any waiting for another writer's lock and any retry inside the
services. Outcomes: stored; ConcurrentChange (another officer changed the same case first:
the right answer, counted apart); "busy" (the database stayed locked: the failure the
budget forbids); any other error. Afterwards the notes and remedies each writer says it
stored are counted in the database: "lost" is what a writer was told was stored but is
not there. Prints one JSON line prefixed ``WRITERS:``.
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


def _writer(url: str, login: str, case_ids: list[int], seconds: float, seed: int, start, results) -> None:
    from caseworker.rules.facts import RemedyKind, RemedyState
    from caseworker.store import services as sv
    from caseworker.store.db import make_engine

    engine = make_engine(url)
    store = _store(engine, url)
    rng = random.Random(seed)
    times: list[float] = []
    counts = {"stored": 0, "conflict": 0, "busy": 0, "other": 0}
    notes = remedies = 0
    errors: list[str] = []
    today = store.today()

    def timed(fn, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            out = fn(*args, **kwargs)
            counts["stored"] += 1
            return out
        except sv.ConcurrentChange:
            counts["conflict"] += 1
        except sv.DomainError as exc:
            kind = "busy" if "busy" in str(exc) else "other"
            counts[kind] += 1
            if len(errors) < 5:
                errors.append(str(exc))
        finally:
            times.append(time.perf_counter() - t0)
        return None

    start.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        case_id = rng.choice(case_ids)
        roll = rng.random()
        if roll < 1 / 3:
            if timed(sv.add_correspondence, store, login, case_id, "note", NOTE, subject=login) is not None:
                notes += 1
        elif roll < 2 / 3:
            try:
                version = sv.current_version(store, case_id)
            except sv.DomainError:
                continue
            timed(sv.assign, store, login, case_id, version, login, "load test: taking the case over")
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
                remedies += 1
                timed(sv.move_remedy, store, login, rid, RemedyState.ACCEPTED)
    engine.dispose()
    results.put(
        {"login": login, "times": times, "counts": counts, "notes": notes, "remedies": remedies, "errors": errors}
    )


def run(url: str, writers: int, seconds: float, sample: int = 2000) -> dict:
    """Run ``writers`` processes for ``seconds``; return latencies, counts and the lost-save check."""
    from sqlalchemy import text

    from caseworker.store.db import make_engine

    logins, _admin = _officers(url, writers)
    engine = make_engine(url)
    with engine.connect() as c:
        case_ids = [
            r[0]
            for r in c.execute(
                text("SELECT id FROM complaint_case WHERE closed = :f ORDER BY id LIMIT :n"),
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
    procs = [
        ctx.Process(target=_writer, args=(url, login, case_ids, seconds, i, start, results))
        for i, login in enumerate(logins)
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
    times = sorted(t for g in got for t in g["times"])
    counts = {k: sum(g["counts"][k] for g in got) for k in ("stored", "conflict", "busy", "other")}

    def pct(q: float) -> float | None:
        return times[min(len(times) - 1, int(q / 100 * len(times)))] if times else None

    return {
        "writers": writers,
        "seconds": wall,
        "saves": len(times),
        "rate": counts["stored"] / wall if wall else 0,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": times[-1] if times else None,
        **counts,
        "lost": lost,
        "errors": [e for g in got for e in g["errors"]][:5],
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--writers", type=int, default=5)
    p.add_argument("--seconds", type=float, default=20)
    args = p.parse_args()
    print(RESULT_PREFIX + json.dumps(run(args.url, args.writers, args.seconds)))


if __name__ == "__main__":
    main()

"""The store and rules figures, each beside a floor measured in the same process.

* open a case: ``queries.case_detail`` for random cases (closed ones have the longest
  timelines);
* deadline arithmetic: 100,000 due dates with ``WorkingCalendar`` (``bench_calendar.py``);
  floor: a precomputed working-day table with bisect;
* tracker CSV import: ``parse_tracker`` + ``import_rows`` of a generated 20,000-row CSV
  into a fresh database; floor: ``csv`` + SQLAlchemy Core executemany of the same rows
  into one plain table.

Each function returns seconds (lists of samples); ``run.py`` turns them into the table.
"""

from __future__ import annotations

import csv
import math
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

perf = time.perf_counter


def open_store(url: str, today: date):
    """A Store over ``url`` with the clock fixed at ``today`` (as the app opens it)."""
    from caseworker.clock import Clock
    from caseworker.config import load_settings
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store as open_engine

    settings = load_settings({"CASEWORKER_DATABASE_URL": url, "CASEWORKER_TODAY": today.isoformat()})
    return Store(open_engine(url), settings, Clock(today))


def case_detail_times(store, n: int, seed: int = 11) -> list[float]:
    """``case_detail`` for ``n`` random cases (each read once, so from a cold-ish page cache)."""
    from sqlalchemy import func, select

    from caseworker.store.models import Case
    from caseworker.store.queries.case import case_detail

    with store.session() as s:
        top = s.exec(select(func.max(Case.id))).scalar_one()
    case_detail(store, case_id=1)  # first call pays for imports and statement compilation
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        cid = rng.randint(1, top)
        t = perf()
        detail = case_detail(store, case_id=cid)
        out.append(perf() - t)
        assert detail is not None, cid
    return out


def calendar_times() -> tuple[float, float]:
    """(WorkingCalendar, bisect floor) best-of-3 seconds for 100,000 due dates (bench_calendar.py)."""
    import bench_calendar as bc

    from caseworker.rules.calendar import WorkingCalendar

    inputs = bc.make_inputs()
    cal = WorkingCalendar("england-and-wales")
    cal.add(date(2024, 1, 1), 1)
    lo, hi = date(2023, 1, 1), date(2029, 12, 31)
    days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    table = [x.toordinal() for x in days if cal.is_working_day(x)]
    measured, got = bc.best_of(lambda: bc.run_calendar(cal, inputs))
    floor, want = bc.best_of(lambda: bc.run_table(table, inputs))
    assert got == want, "WorkingCalendar and the bisect floor disagree"
    return measured, floor


# -- tracker CSV --------------------------------------------------------------------------

CSV_HEADER = (
    "reference",
    "resident",
    "address",
    "email",
    "phone",
    "received",
    "channel",
    "service area",
    "category",
    "stage",
    "stage 1 officer",
    "acknowledged",
    "stage 1 response",
    "stage 2 requested",
    "stage 2 officer",
    "stage 2 acknowledged",
    "stage 2 response",
    "outcome",
)
_OFFICERS = ("Amy Stone", "Ben Ortiz", "Cara Lewis", "Dev Rao", "Eve Hart", "Finn Doyle")
_SURNAMES = ("Smith", "Jones", "Patel", "Khan", "Evans", "Walsh", "Nowak", "Okafor", "Reid", "Hughes")
_FIRST = ("Anne", "Bilal", "Chloe", "Dylan", "Eleri", "Femi", "Grace", "Hamza", "Isla", "Jack")


def write_tracker_csv(path: Path, rows: int, today: date, seed: int = 5) -> None:
    """A spreadsheet tracker of ``rows`` cases: mostly closed at Stage 1, some open, some at Stage 2."""
    rng = random.Random(seed)

    def uk(d: date | None) -> str:
        return f"{d:%d/%m/%Y}" if d else ""

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([h.title() for h in CSV_HEADER])
        for i in range(rows):
            received = today - timedelta(days=rng.randint(5, 700))
            o1, o2 = rng.sample(_OFFICERS, 2)
            name = f"{rng.choice(_FIRST)} {rng.choice(_SURNAMES)}"
            ack = received + timedelta(days=rng.randint(1, 5))
            kind = rng.random()
            resp1 = req2 = ack2 = resp2 = None
            outcome, stage, officer2 = "", "1", ""
            if kind < 0.6:
                resp1 = ack + timedelta(days=rng.randint(3, 12))
                outcome = rng.choice(("Upheld", "Partly upheld", "Not upheld"))
            elif kind < 0.75:
                pass  # open at Stage 1
            elif kind < 0.9:
                resp1 = ack + timedelta(days=rng.randint(3, 12))
                req2 = resp1 + timedelta(days=rng.randint(1, 20))
                ack2 = req2 + timedelta(days=rng.randint(1, 5))
                stage, officer2 = "2", o2
                if ack2 + timedelta(days=25) < today:
                    resp2 = ack2 + timedelta(days=rng.randint(5, 20))
                    outcome = rng.choice(("Upheld", "Not upheld"))
            else:
                ack = None  # awaiting acknowledgement
            dates = [d if d is None or d <= today else today for d in (received, ack, resp1, req2, ack2, resp2)]
            received, ack, resp1, req2, ack2, resp2 = dates
            w.writerow(
                [
                    f"TRK-{i + 1:06d}",
                    name,
                    f"{rng.randint(1, 200)} Example Street, Exampletown",
                    f"{name.split()[0].lower()}{i}@example.org",
                    f"01632 {rng.randint(100000, 999999)}",
                    uk(received),
                    rng.choice(("email", "phone", "online form")),
                    rng.choice(("Repairs", "Waste", "Council Tax")),
                    rng.choice(("Service failure", "Staff conduct", "Delay")),
                    stage,
                    o1,
                    uk(ack),
                    uk(resp1),
                    uk(req2),
                    officer2,
                    uk(ack2),
                    uk(resp2),
                    outcome,
                ]
            )


def import_times(work: Path, rows: int, today: date) -> tuple[float, float, float, int]:
    """(parse+import seconds, import-only seconds, floor seconds, rows imported) for a fresh database."""
    from sqlalchemy import (
        Column,
        Integer,
        MetaData,
        String,
        Table,
        create_engine,
        insert,
    )

    from caseworker.store.tracker_import import import_rows, parse_tracker

    work.mkdir(parents=True, exist_ok=True)
    src = work / f"tracker-{rows}.csv"
    write_tracker_csv(src, rows, today)
    for leftover in work.glob("import-*.db*"):
        leftover.unlink()
    store = open_store(f"sqlite:///{work / 'import-target.db'}", today)

    t = perf()
    good, problems = parse_tracker(src, today=today)
    if problems:
        raise RuntimeError(f"the generated CSV has problems, e.g. {problems[0]}")
    t_import = perf()
    summary = import_rows(store, "benchmark", good)
    done = perf()
    store.engine.dispose()
    assert summary.cases == rows, summary

    engine = create_engine(f"sqlite:///{work / 'import-floor.db'}")
    meta = MetaData()
    table = Table(
        "tracker",
        meta,
        Column("id", Integer, primary_key=True),
        *(Column(h.replace(" ", "_"), String) for h in CSV_HEADER),
    )
    meta.create_all(engine)
    keys = [h.replace(" ", "_") for h in CSV_HEADER]
    t_floor = perf()
    with src.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        records = [dict(zip(keys, r, strict=False)) for r in reader]
    with engine.begin() as conn:
        conn.execute(insert(table), records)
    floor = perf() - t_floor
    engine.dispose()
    return done - t, done - t_import, floor, summary.cases


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def percentile(xs: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``xs``."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]

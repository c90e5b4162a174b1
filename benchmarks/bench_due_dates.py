"""Recomputing the open cases' due dates after their inputs change (budget: 100,000 cases
well under a second).

Builds a SQLite file with N open Stage 1 cases (default 100,000; half awaiting
acknowledgement, half acknowledged, received over the last 60 days), records the due-date
inputs, then adds a closure day and times :func:`services.due_dates.ensure_due_dates_current`
from the call to its commit: reading the open cases and stages, recomputing every due date
with ``rules.deadlines.stage_deadlines``, the executemany updates and one timeline entry per
moved case. Also times the check when nothing changed (what every command pays).

    python benchmarks/bench_due_dates.py [--cases N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from caseworker.clock import Clock  # noqa: E402
from caseworker.config import Settings  # noqa: E402
from caseworker.store.context import Store  # noqa: E402
from caseworker.store.migrate import open_store  # noqa: E402
from caseworker.store.models import Case, Officer, Resident, Stage  # noqa: E402
from caseworker.store.services.due_dates import ensure_due_dates_current  # noqa: E402

TODAY = date(2026, 11, 30)


def build(url: str, n: int) -> None:
    engine = open_store(url)
    now = datetime.now(UTC)
    cal = Settings(database_url=url, config_path=Path("x")).calendar()
    with engine.begin() as conn:
        conn.execute(
            insert(Officer),
            [
                {
                    "id": 1,
                    "login": "bench",
                    "name": "Bench",
                    "email": "",
                    "role": "administrator",
                    "active": True,
                    "created_at": now,
                }
            ],
        )
        conn.execute(
            insert(Resident),
            [
                {
                    "id": 1,
                    "name": "R",
                    "address": "",
                    "email": "",
                    "phone": "",
                    "preferred_channel": "",
                    "vulnerable": False,
                    "vulnerability_notes": "",
                    "created_at": now,
                }
            ],
        )
        cases, stages = [], []
        for i in range(1, n + 1):
            received = TODAY - timedelta(days=i % 60)
            acked = received + timedelta(days=1) if i % 2 else None
            ack_due = cal.add(received, 5)
            resp_due = cal.add(min(acked, ack_due) if acked else ack_due, 10)
            status = "open" if acked else "awaiting-acknowledgement"
            cases.append(
                {
                    "id": i,
                    "reference": f"B-{i:06d}",
                    "case_type": "complaint",
                    "resident_id": 1,
                    "channel": "phone",
                    "service_area": "Repairs",
                    "category": "",
                    "summary": "",
                    "received": received,
                    "discretion_reason": "",
                    "policy_key": "hoc-2024",
                    "stage": 1,
                    "status": status,
                    "closed": False,
                    "officer_id": 1,
                    "next_due": resp_due if acked else ack_due,
                    "next_due_kind": "respond" if acked else "acknowledge",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": "bench",
                }
            )
            stages.append(
                {
                    "id": i,
                    "case_id": i,
                    "number": 1,
                    "officer_id": 1,
                    "requested": received,
                    "request_reason": "",
                    "acknowledged": acked,
                    "ack_due": ack_due,
                    "response_due": resp_due,
                    "issues": "",
                    "outcomes": "",
                    "responsible": "",
                    "not_responsible": "",
                    "decision": "",
                    "reasons": "",
                    "no_remedy": False,
                    "no_actions": False,
                }
            )
        for chunk in range(0, n, 5000):
            conn.execute(insert(Case), cases[chunk : chunk + 5000])
            conn.execute(insert(Stage), stages[chunk : chunk + 5000])
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build(url, args.cases)
        engine = open_store(url)
        plain = Store(engine, Settings(database_url=url, config_path=Path("x")), Clock.at(TODAY))
        started = time.perf_counter()
        first = ensure_due_dates_current(plain)
        print(
            f"first recording of the inputs ({first.checked:,} open cases, {len(first.moved):,} moved): "
            f"{time.perf_counter() - started:.3f} s"
        )
        started = time.perf_counter()
        assert ensure_due_dates_current(plain) is None
        print(f"check with nothing changed: {time.perf_counter() - started:.3f} s")
        closed = Store(
            engine,
            Settings(database_url=url, config_path=Path("x"), closure_days={TODAY + timedelta(days=3): "office move"}),
            Clock.at(TODAY),
        )
        closed.calendar.add(TODAY, 1)  # the calendar table built outside the timing, as an open store has it
        with engine.connect() as conn:  # floor: just reading the open cases' stages, no work on them
            cursor = conn.connection.cursor()
            started = time.perf_counter()
            cursor.execute(
                "SELECT c.id, c.received, s.id, s.requested, s.acknowledged, s.ack_due, s.response_due "
                "FROM complaint_case c JOIN stage s ON s.case_id = c.id WHERE c.closed = false"
            )
            cursor.fetchall()
            print(f"floor: reading the open cases' stages only: {time.perf_counter() - started:.3f} s")
            cursor.close()
        loop = time.perf_counter()
        sum(range(10_000_000))
        print(f"machine speed: sum(range(10**7)) {time.perf_counter() - loop:.3f} s (about 0.15 s on an idle core)")
        started = time.perf_counter()
        done = ensure_due_dates_current(closed)
        print(
            f"closure day added: {done.checked:,} open cases recomputed, {len(done.moved):,} moved, "
            f"{time.perf_counter() - started:.3f} s"
        )
        engine.dispose()


if __name__ == "__main__":
    main()

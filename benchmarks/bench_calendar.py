"""Recompute 100,000 due dates with WorkingCalendar and compare with a floor.

Run as ``python benchmarks/bench_calendar.py``. The budget is 0.5 s for 100,000
(add + days_left). Floors measured in the same run over the same inputs: a
precomputed working-day table with bisect written inline here (plain Python), and
numpy.busday_offset / busday_count when numpy is importable.
"""

from __future__ import annotations

import random
import sys
import time
from bisect import bisect_right
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseworker.rules.calendar import WorkingCalendar  # noqa: E402

COUNT = 100_000
BUDGET = 0.5  # seconds for COUNT due dates
REPEAT = 3


def make_inputs(seed: int = 2024) -> list[tuple[date, int, date]]:
    """(received, working days, today): received over 2024-2027, N in 5/10/20 plus extensions."""
    rng = random.Random(seed)
    first, span = date(2024, 1, 1), (date(2027, 12, 31) - date(2024, 1, 1)).days
    out = []
    for _ in range(COUNT):
        received = first + timedelta(days=rng.randrange(span + 1))
        n = rng.choice((5, 10, 20)) + rng.choice((0, 0, 0, 5, 10, 20))  # plus extensions
        out.append((received, n, received + timedelta(days=rng.randrange(-10, 60))))
    return out


def best_of(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run_calendar(cal: WorkingCalendar, inputs):
    add, left = cal.add, cal.days_left
    out = []
    for received, n, today in inputs:
        due = add(received, n)
        out.append((due, left(due, today)))
    return out


def run_table(table: list[int], inputs):
    """The plain-Python floor: one bisect for add, two for days_left."""
    out = []
    fromordinal = date.fromordinal
    for received, n, today in inputs:
        r = received.toordinal()
        due = table[bisect_right(table, r) + n - 1]
        # count(T, due) when due >= T and -count(due, T) otherwise are the same expression
        left = bisect_right(table, due) - bisect_right(table, today.toordinal())
        out.append((fromordinal(due), left))
    return out


def main() -> None:
    inputs = make_inputs()
    cal = WorkingCalendar("england-and-wales")
    cal.add(date(2024, 1, 1), 1)  # build the table outside the timed runs

    lo, hi = date(2023, 1, 1), date(2029, 12, 31)
    days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    table = [x.toordinal() for x in days if cal.is_working_day(x)]

    measured, got = best_of(lambda: run_calendar(cal, inputs))
    floor, want = best_of(lambda: run_table(table, inputs))
    assert got == want, "WorkingCalendar and the bisect floor disagree"
    rows = [("WorkingCalendar add+days_left", measured, BUDGET), ("floor: inline table + bisect", floor, None)]

    try:
        import numpy as np
    except ImportError:
        rows.append(("floor: numpy.busday_offset", None, None))
    else:
        holidays = np.array([x for x in days if x.weekday() < 5 and not cal.is_working_day(x)], dtype="datetime64[D]")
        cal_np = np.busdaycalendar(holidays=holidays)
        rec = np.array([r for r, _, _ in inputs], dtype="datetime64[D]")
        ns = np.array([n for _, n, _ in inputs])
        tod = np.array([t for _, _, t in inputs], dtype="datetime64[D]")
        one = np.timedelta64(1, "D")

        def run_numpy():
            # roll backward: a non-working start acts as the working day before it, so
            # "D itself never counts". busday_count counts [begin, end), or -(end, begin]
            # when end < begin: shift by a day only for the not-overdue case.
            due = np.busday_offset(rec, ns, roll="backward", busdaycal=cal_np)
            ahead = due >= tod
            begin, end = np.where(ahead, tod + one, tod), np.where(ahead, due + one, due)
            return due, np.busday_count(begin, end, busdaycal=cal_np)

        np_time, (np_due, np_left) = best_of(run_numpy)
        assert [x.astype(date) for x in np_due] == [g[0] for g in got], "numpy due dates disagree"
        assert np_left.tolist() == [g[1] for g in got], "numpy days left disagree"
        rows.append(("floor: numpy.busday_offset", np_time, None))

    print(f"{COUNT:,} due dates (received 2024-2027, N 5-40), best of {REPEAT}, perf_counter")
    print(f"{'figure':<32}{'measured':>12}{'budget':>10}{'x floor':>9}")
    for name, secs, budget in rows:
        if secs is None:
            print(f"{name:<32}{'skipped (numpy not installed)':>31}")
            continue
        budget_text = f"{budget:.2f} s" if budget else "-"
        print(f"{name:<32}{secs:>10.3f} s{budget_text:>10}{secs / floor:>8.1f}x")
    verdict = "within" if measured <= BUDGET else "OVER"
    print(f"WorkingCalendar is {verdict} budget ({measured / BUDGET:.0%} of {BUDGET} s)")


if __name__ == "__main__":
    main()

"""Key-press latency in the inbox (and opening a case), driven in-process with Textual's Pilot.

Run by ``run.py`` in a fresh process for each app::

    python benchmarks/_inbox_keys.py caseworker --db URL --today 2025-12-19 --login bhughes --presses 300
    python benchmarks/_inbox_keys.py floor --rows 1000 --presses 300

What is timed, per key: from the moment the key event is handed to the app (the way
Textual's input thread hands it over, ``driver.send_message``) to the end of the first
frame that shows the cursor on its new row. A "frame" is Textual's own screen update
(``App._display``) *plus* rendering that update to the escape sequences a terminal would
be sent: under Pilot the driver is headless and Textual skips that last step, so it is
done here and timed, the way the Linux driver would have to. Only writing the bytes to a
terminal is left out.

Beside each key's latency the process's CPU time over it is noted (all threads, so a page
read in its worker counts): on this shared machine the wall-clock figures grow with the load
average (at load 6 the bare DataTable's median was about three times its CPU time), the CPU
time much less.

Keys are sent at a held-down arrow key's repeat rate (``--pace``, 30 a second), not one
at a time waiting for the app to go idle (``pilot.press`` waits at least 20 ms for idle
after each key, which hides any work that lands between keys). So when a page fetch comes
back from its worker and is appended to the table, the keys arriving meanwhile wait for
it, as they would for a user holding the key down, and that shows in p95/p99.

The caseworker run logs in as a supervisor, waits for the inbox to fill, switches to the
team view (every open case: the longest list a user can page through), and presses
``down`` ``--presses`` times from the top: past row 160 the next 200 rows are fetched in a
worker. The floor is a bare DataTable app with ``--rows`` rows filled at mount, the same
columns, driven the same way. Neither run calls ``gc.freeze`` on its own: the caseworker
app freezes after its inbox fills (the app's choice); the floor is plain Textual.

Then (caseworker only) ``--open-cases`` random cases are opened with ``app.open_case``:
the time from that call to the first frame showing the case's details (pushed screen,
``case_detail`` in a worker, all panes filled), then ``escape`` back and wait for the
inbox to reload.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RESULT_PREFIX = "RESULT-JSON "
perf = time.perf_counter


class FrameClock:
    """Wraps ``app._display``: render the update to terminal bytes, then note the time, the
    process's CPU time (all threads) and the state."""

    def __init__(self, app, state) -> None:
        from textual._compositor import CompositorUpdate

        self.frames: list[tuple[float, object, float]] = []
        #: The process CPU time at the frame :meth:`wait_for` last found.
        self.found_cpu = 0.0
        self.event = asyncio.Event()
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            self.frames.append((perf(), state(), time.process_time()))
            self.event.set()

        app._display = display

    async def wait_for(self, since: float, ok, timeout: float = 5.0) -> float | None:
        """Seconds from ``since`` to the first frame after it whose state passes ``ok``."""
        limit = perf() + timeout
        i = len(self.frames)
        while i and self.frames[i - 1][0] >= since:
            i -= 1
        while perf() < limit:
            while i < len(self.frames):
                t, st, cpu = self.frames[i]
                if t >= since and ok(st):
                    self.found_cpu = cpu
                    return t - since
                i += 1
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), max(0.0, limit - perf()))
            except TimeoutError:
                break
        return None


async def drive_keys(app, table, clock: FrameClock, presses: int, pace: float) -> dict:
    """Press ``down`` ``presses`` times at ``pace`` seconds apart (or as soon as the last key showed)."""
    from textual import events

    driver = app._driver
    latencies: list[float] = []
    cpu: list[float] = []  # the process's CPU time (every thread) over each key's latency
    missed = 0
    start_row = table.cursor_row
    next_send = perf()
    for i in range(presses):
        delay = next_send - perf()
        if delay > 0:
            await asyncio.sleep(delay)
        target = start_row + i + 1
        t0, c0 = perf(), time.process_time()
        next_send = t0 + pace
        driver.send_message(events.Key("down", None))
        got = await clock.wait_for(t0, lambda row, target=target: isinstance(row, int) and row >= target)
        if got is None:
            missed += 1
            break
        latencies.append(got)
        cpu.append(clock.found_cpu - c0)
    return {
        "latencies": latencies,
        "cpu": cpu,
        "missed": missed,
        "rows_at_end": table.row_count,
        "cursor": table.cursor_row,
    }


async def workers_done(app) -> None:
    """Wait for the app's workers. A worker the app cancelled (an exclusive one superseded by the
    next, as a page read is when another key asks for the next) counts as done, where Textual's
    ``wait_for_complete`` raises ``WorkerCancelled``; a failed worker still raises."""
    from textual.worker import WorkerCancelled

    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


async def warm_up(pilot, n: int = 10) -> None:
    for _ in range(n):
        await pilot.press("down")
    for _ in range(n):
        await pilot.press("up")


async def run_floor(args) -> dict:
    from _floor_apps import table_app_class

    app = table_app_class()(args.rows)
    async with app.run_test(size=(160, 50)) as pilot:
        from textual.widgets import DataTable

        await pilot.pause()
        table = app.query_one(DataTable)
        clock = FrameClock(app, lambda: table.cursor_row)
        await warm_up(pilot)
        await pilot.pause()
        out = await drive_keys(app, table, clock, args.presses, args.pace)
    return out


async def run_caseworker(args) -> dict:
    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import load_settings

    settings = load_settings(_env(args))
    app = CaseworkerApp(settings, Clock(date.fromisoformat(args.today)), login=args.login)
    out: dict = {}
    async with app.run_test(size=(160, 50)) as pilot:
        from textual.widgets import DataTable

        limit = perf() + 60
        # the first page may be shown before the store is open (read early with sqlite3): wait
        # for the store and for the inbox's own reading of that page
        while ("inbox_filled" not in app.timings or app.workspace is None) and perf() < limit:
            await pilot.pause(0.02)
        for _ in range(2):
            try:
                await workers_done(app)
            except Exception:  # noqa: BLE001 - a cancelled (superseded) load
                pass
            await pilot.pause()
        if "inbox_filled" not in app.timings:
            raise SystemExit("the inbox never filled")
        screen = app.screen
        table = screen.query_one(DataTable)

        def state():
            s = app.screen
            if s is screen:
                return table.cursor_row
            return ("case", getattr(s, "detail", None) is not None)

        clock = FrameClock(app, state)
        # the team view: every open case
        filled = asyncio.Event()
        first_page = screen._first_page

        def first_page_then_flag(result) -> None:
            first_page(result)
            filled.set()

        screen._first_page = first_page_then_flag
        if app.workspace.officer.supervises:
            screen.action_cycle_view()
            await asyncio.wait_for(filled.wait(), 30)
        await pilot.pause()
        out["view"] = screen.view
        out["total"] = screen._total
        await warm_up(pilot)
        await pilot.pause()
        out.update(await drive_keys(app, table, clock, args.presses, args.pace))

        # open random cases
        from sqlalchemy import func, select

        from caseworker.store.models import Case

        with app.workspace.store.session() as s:
            top = s.exec(select(func.max(Case.id))).scalar_one()
        rng = random.Random(args.seed)
        opens: list[float] = []
        for _ in range(args.open_cases):
            await pilot.pause()
            filled.clear()
            t0 = perf()
            app.open_case(rng.randint(1, top))
            got = await clock.wait_for(t0, lambda st: st == ("case", True), timeout=10)
            if got is not None:
                opens.append(got)
            await pilot.press("escape")
            for _ in range(500):  # back on the inbox (it reloads only if a case it shows changed)
                if app.screen is screen:
                    break
                await pilot.pause(0.02)
            await pilot.pause()
        out["case_open"] = opens
    return out


def _env(args) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.update({"CASEWORKER_DATABASE_URL": args.db, "CASEWORKER_TODAY": args.today})
    return env


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=("caseworker", "floor"))
    p.add_argument("--db")
    p.add_argument("--today", default="2025-12-19")
    p.add_argument("--login")
    p.add_argument("--rows", type=int, default=1000)
    p.add_argument("--presses", type=int, default=300)
    p.add_argument("--pace", type=float, default=1 / 30)
    p.add_argument("--open-cases", type=int, default=10)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    result = asyncio.run(run_caseworker(args) if args.kind == "caseworker" else run_floor(args))
    print(RESULT_PREFIX + json.dumps(result))


if __name__ == "__main__":
    main()

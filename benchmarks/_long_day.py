"""A long day: memory after opening and closing many cases, in a fresh process with Pilot.

    python benchmarks/_long_day.py --db sqlite:///benchmarks/out/demo-100000.db --login bhughes --cases 500

The app starts as ``--login``, waits for the inbox to fill, then opens ``--cases`` random
cases one after another with ``app.open_case`` and goes back with ``escape`` each time,
waiting for the case to show and for the inbox to reload. After the first 10 and after the
last, a full garbage collection, then the process's resident memory (VmRSS) and the number
of live Textual widgets. Budget: memory after 500 within 10% of after 10, and
no widgets accumulating. Prints one JSON line prefixed ``LONGDAY:``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import sys
import time
import weakref
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _inbox_keys import workers_done  # noqa: E402

RESULT_PREFIX = "LONGDAY:"


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


#: Every Textual widget made in this process, held weakly: what is still alive after a full
#: collection is counted. ``gc.get_objects()`` cannot do it: it leaves out what
#: ``caseworker.collector`` froze after start-up (``gc.freeze``), so it counted 0 widgets.
_MADE: weakref.WeakSet = weakref.WeakSet()


def count_widgets_made() -> None:
    """From now on every Widget made is put in :data:`_MADE` (wraps ``Widget.__init__``)."""
    from textual.widget import Widget

    init = Widget.__init__

    def __init__(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        _MADE.add(self)

    Widget.__init__ = __init__  # type: ignore[method-assign]


def widgets() -> int:
    """The widgets made so far that are still alive (not collected) after a full collection,
    whether frozen or not, on screen or detached."""
    gc.collect()
    return len(_MADE)


async def run(args) -> dict:
    import os

    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import load_settings
    from caseworker.screens.case import CaseScreen

    count_widgets_made()
    env = dict(os.environ, CASEWORKER_DATABASE_URL=args.db, CASEWORKER_TODAY=args.today)
    app = CaseworkerApp(load_settings(env), Clock(date.fromisoformat(args.today)), login=args.login)
    out: dict = {"cases": args.cases}
    async with app.run_test(size=(160, 50)) as pilot:
        limit = time.monotonic() + 60
        # the first page may be shown before the store is open (read early with sqlite3): wait
        # for the store and for the inbox's own reading of that page
        while ("inbox_filled" not in app.timings or app.workspace is None) and time.monotonic() < limit:
            await pilot.pause(0.02)
        for _ in range(2):
            try:
                await workers_done(app)
            except Exception:  # noqa: BLE001 - a cancelled (superseded) load
                pass
            await pilot.pause()
        inbox = app.screen
        from sqlalchemy import func, select

        from caseworker.store.models import Case

        with app.workspace.store.session() as s:
            top = s.exec(select(func.max(Case.id))).scalar_one()
        rng = random.Random(args.seed)

        async def settle() -> None:
            from textual.worker import WorkerCancelled

            for _ in range(3):
                try:
                    await workers_done(app)
                except WorkerCancelled:
                    pass
                await pilot.pause()

        started = time.perf_counter()
        for n in range(1, args.cases + 1):
            app.open_case(rng.randint(1, top))
            await settle()
            if not isinstance(app.screen, CaseScreen):
                raise SystemExit(f"case {n} did not open")
            await pilot.press("escape")
            await settle()
            if app.screen is not inbox:
                raise SystemExit(f"case {n} did not close")
            if n == 10:
                out["widgets_10"], out["rss_10_kib"] = widgets(), rss_kib()
        out["widgets_end"], out["rss_end_kib"] = widgets(), rss_kib()
        out["seconds"] = time.perf_counter() - started
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--login", required=True)
    p.add_argument("--today", default="2025-12-19")
    p.add_argument("--cases", type=int, default=500)
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args()
    print(RESULT_PREFIX + json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()

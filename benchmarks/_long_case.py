"""A long case: opening a case with 10,000 events and moving through its timeline by key.

    python benchmarks/_long_case.py --db sqlite:///benchmarks/out/long.db --events 10000 --login bhughes

The database given is changed: the first open case gets ``--events`` more events (half
notes, each with its "note added" audit event, half other audit events, a day apart), unless
it already has that many. Then in a fresh app (Pilot, 160x50) the case is opened
``--opens`` times: from ``app.open_case`` to the end of the first frame, rendered to terminal
bytes, that shows the case's details (as ``_inbox_keys.py`` times opening a case). On the
Timeline tab, ``down``, ``j``, ``pagedown``, ``end``, ``k`` and ``home`` are pressed in turn at a
held key's pace: from the key event to the first frame showing the timeline scrolled. ``end``
at the foot of what is shown reads the next page. Prints one JSON line prefixed ``LONGCASE:``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _inbox_keys import FrameClock, perf, workers_done  # noqa: E402

RESULT_PREFIX = "LONGCASE:"
#: Keys pressed on the Timeline, in this order, ``--presses`` times each (k moves up from where
#: End left it; before each Home, an untimed Page Down moves off the top).
KEYS = ("down", "j", "pagedown", "end", "k", "home")


def make_long_case(path: Path, events: int) -> int:
    """The id of the first open case, given ``events`` events if it has fewer (plain SQL, one transaction)."""
    con = sqlite3.connect(path)
    try:
        cid = con.execute("SELECT id FROM complaint_case WHERE closed = 0 ORDER BY id LIMIT 1").fetchone()[0]
        have = con.execute("SELECT count(*) FROM correspondence WHERE case_id = ?", (cid,)).fetchone()[0]
        if have >= events // 2:
            return cid
        start = datetime(2020, 1, 1, 9, 0)
        notes, audit = [], []
        for i in range(events // 2):
            at = (start + timedelta(hours=7 * i)).strftime("%Y-%m-%d %H:%M:%S.000000")
            notes.append(
                (
                    cid,
                    "note",
                    "internal",
                    "",
                    f"Call {i}",
                    "Spoke to the resident about the damp.\nThe mould is back in the bedroom; surveyor booked.",
                    at,
                    "bench",
                )
            )
            audit.append((at, "bench", cid, "note added", f"Call {i}", "", ""))
            audit.append((at, "bench", cid, "reminder", f"Follow-up {i} set", "", ""))
        con.executemany(
            "INSERT INTO correspondence (case_id, kind, direction, letter_kind, subject, body, at, by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            notes,
        )
        con.executemany(
            "INSERT INTO audit_event (at, actor, case_id, action, detail, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            audit,
        )
        con.commit()
        return cid
    finally:
        con.close()


async def run(args) -> dict:
    import os

    from textual import events
    from textual.containers import VerticalScroll
    from textual.widgets import TabbedContent

    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import load_settings

    env = dict(os.environ, CASEWORKER_DATABASE_URL=args.db, CASEWORKER_TODAY=args.today)
    app = CaseworkerApp(load_settings(env), Clock(date.fromisoformat(args.today)), login=args.login)
    out: dict = {"opens": [], "keys": {}}
    async with app.run_test(size=(160, 50)) as pilot:
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
        inbox = app.screen

        def state():
            s = app.screen
            if s is inbox:
                return "inbox"
            scroll = s.query("#scroll-timeline")
            return ("case", getattr(s, "detail", None) is not None, scroll.first().scroll_y if scroll else None)

        clock = FrameClock(app, state)
        for _ in range(args.opens):
            await pilot.pause()
            t0 = perf()
            app.open_case(args.case_id)
            got = await clock.wait_for(t0, lambda st: isinstance(st, tuple) and st[1], timeout=15)
            out["opens"].append(got)
            if _ < args.opens - 1:
                await pilot.press("escape")
                await workers_done(app)
                await pilot.pause()
        screen = app.screen
        screen.query_one(TabbedContent).active = "timeline"
        await workers_done(app)
        await pilot.pause()
        scroll = screen.query_one("#scroll-timeline", VerticalScroll)
        scroll.focus()
        await pilot.pause()
        driver = app._driver
        for key in KEYS:
            times = []
            for _ in range(args.presses):
                if key == "home":  # from somewhere below the top (not timed)
                    driver.send_message(events.Key("pagedown", None))
                    await workers_done(app)
                    await asyncio.sleep(1 / 30)
                before = scroll.scroll_y
                t0 = perf()
                driver.send_message(events.Key(key, None))
                got = await clock.wait_for(t0, lambda st, b=before: isinstance(st, tuple) and st[2] != b, timeout=5)
                if got is not None:
                    times.append(got)
                await workers_done(app)
                await asyncio.sleep(1 / 30)
            out["keys"][key] = times
        out["timeline_total"] = screen.detail.timeline_total
        out["timeline_shown"] = screen._timeline_shown
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, help="a SQLite URL (the database is changed)")
    p.add_argument("--login", required=True)
    p.add_argument("--today", default="2025-12-19")
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--opens", type=int, default=5)
    p.add_argument("--presses", type=int, default=20)
    args = p.parse_args()
    args.case_id = make_long_case(Path(args.db.split("///", 1)[1]), args.events)
    print(RESULT_PREFIX + json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()

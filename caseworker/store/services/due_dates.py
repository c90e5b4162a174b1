"""One due date everywhere: the stored due dates, the inputs they were computed from, and
the bulk recompute of the open cases when those inputs change.

The inputs (:func:`due_inputs`) are the region, its bank holidays from the ``holidays``
data, the organisation's closure days, every policy file's contents and the settings that
choose a profile. They are kept in the ``due_inputs`` setting beside the dates. Anything
that opens the store (every command, the app) calls :func:`ensure_due_dates_current`
before it shows anything: when the inputs differ, every open case's due dates are
recomputed with :func:`rules.deadlines.stage_deadlines` (the one place they are computed),
each case whose date moved gets "due date moved from X to Y" and why on its timeline, and
the caller is told how many moved.

The recompute is bulk Core work (three reads, executemany updates and inserts), not the
ORM: 100,000 open cases take well under a second (``benchmarks/bench_due_dates.py``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import insert
from sqlmodel import select

from caseworker.rules.calendar import short_date
from caseworker.rules.deadlines import next_due, stage_deadlines
from caseworker.store.context import Store
from caseworker.store.due_inputs import SETTING_KEY, due_inputs_for
from caseworker.store.models import AuditEvent, Case, Setting
from caseworker.store.services.base import utcnow, with_extra_deadlines
from caseworker.store.services.cases import transaction

SYSTEM_ACTOR = "caseworker (due dates)"


@dataclass(frozen=True)
class MovedDate:
    """A case whose next due date moved when the inputs changed."""

    reference: str
    before: date | None
    after: date | None


@dataclass(frozen=True)
class Recomputed:
    """What a recompute did: why, how many open cases it looked at, and which dates moved."""

    why: str
    checked: int
    moved: tuple[MovedDate, ...]
    #: The inputs were recorded for the first time (a database written before they were, or by
    #: an import): a check of the stored dates rather than a change of the inputs.
    first: bool = False

    def summary(self) -> str:
        """One line for a terminal or a notification."""
        n = len(self.moved)
        return (
            f"due dates recomputed for {self.checked:,} open case(s) because {self.why}: "
            f"{n:,} due date{'s' if n != 1 else ''} moved"
        )


class _Days(dict):
    """A stored date (ISO text from SQLite, a date from PostgreSQL, or None) -> the date, once per distinct value."""

    def __missing__(self, value):
        day = self[value] = date.fromisoformat(value) if isinstance(value, str) else value
        return day


def due_inputs(store: Store) -> dict:
    """The inputs due dates are computed from, as a JSON-ready dict (kept in Setting ``due_inputs``)."""
    return due_inputs_for(store.calendar, store.settings, store.today())


def _listed(days: dict[str, str]) -> str:
    return ", ".join(f"{short_date(date.fromisoformat(d))} ({n})" for d, n in sorted(days.items()))


def why_changed(old: dict | None, new: dict) -> str:
    """Plain words for what changed between two sets of inputs (the reason written on each moved case)."""
    if not old:
        return "the inputs of the due dates were first recorded by this version of caseworker"
    parts: list[str] = []
    if old.get("rules") != new["rules"]:
        parts.append(
            "the way due dates are worked out changed (a late acknowledgement no longer extends the response deadline)"
        )
    if old.get("region") != new["region"]:
        parts.append(f"the region changed from {old.get('region')} to {new['region']}")
    else:
        oh, nh = old.get("holidays", {}), new["holidays"]
        lo, hi = max(old.get("years", [0, 0])[0], new["years"][0]), min(old.get("years", [0, 0])[1], new["years"][1])
        span = lambda d: lo <= int(d[:4]) <= hi  # noqa: E731  (compare only the years both recorded)
        added = {d: n for d, n in nh.items() if d not in oh and span(d)}
        removed = {d: n for d, n in oh.items() if d not in nh and span(d)}
        if added:
            parts.append(f"bank holiday added: {_listed(added)}")
        if removed:
            parts.append(f"bank holiday removed: {_listed(removed)}")
    oc, nc = old.get("closures", {}), new["closures"]
    added = {d: n for d, n in nc.items() if d not in oc}
    removed = {d: n for d, n in oc.items() if d not in nc}
    if added:
        parts.append(f"closure day added: {_listed(added)}")
    if removed:
        parts.append(f"closure day removed: {_listed(removed)}")
    op, np_ = old.get("policies", {}), new["policies"]
    edited = sorted(k for k in np_ if k in op and op[k] != np_[k])
    if edited:
        parts.append(f"policy file changed: {', '.join(k + '.toml' for k in edited)}")
    if old.get("policy") != new["policy"] or old.get("policy_by_received_date") != new["policy_by_received_date"]:
        parts.append("the policy settings changed")
    return "; ".join(parts) or "the inputs of the due dates changed"


def stored_due_inputs(store: Store) -> dict | None:
    """The inputs the stored due dates were computed from, or None when none are recorded."""
    with store.session() as session:
        row = session.get(Setting, SETTING_KEY)
        if row is None or not row.value:
            return None
        try:
            return json.loads(row.value)
        except ValueError:
            return None


def _any_case(store: Store) -> bool:
    with store.session() as session:
        return session.exec(select(Case.id).limit(1)).first() is not None


def due_inputs_changed(store: Store) -> bool:
    """True when the stored due dates were computed from other inputs (or none are recorded)."""
    return stored_due_inputs(store) != due_inputs(store)


def ensure_due_dates_current(store: Store, login: str = SYSTEM_ACTOR) -> Recomputed | None:
    """Recompute the open cases' due dates if their inputs changed; None when they had not.

    Call before showing anything read from the store (every command does, through
    ``commands.common.open_store``; the app, when it opens its workspace).
    """
    old, new = stored_due_inputs(store), due_inputs(store)
    if old == new:
        return None
    if old is None and not _any_case(store):
        return None  # a new, empty database: nothing to recompute, and nothing written into it yet
    done = recompute_open_cases(store, login, why_changed(old, new), new)
    return replace(done, first=old is None)


def recompute_open_cases(
    store: Store, login: str = SYSTEM_ACTOR, why: str = "they were recomputed on request", inputs: dict | None = None
) -> Recomputed:
    """Recompute every open case's stored due dates in bulk; note each moved date on its case's timeline.

    Returns what moved. The case's version is not bumped: only derived dates change, so an
    officer editing the case at the same moment is not refused.
    """
    inputs = inputs or due_inputs(store)
    cal = store.calendar
    moved: list[MovedDate] = []
    with transaction(store) as session:
        conn = session.connection()
        # One pass over the open cases' stages as plain driver rows (fetchall on the DBAPI
        # cursor, no per-value type processing: SQLite hands dates back as ISO text, PostgreSQL
        # as dates); each distinct date value becomes a date once.
        day = _Days()
        cursor = conn.connection.cursor()
        try:
            cursor.execute(
                "SELECT c.id, c.reference, c.received, c.policy_key, c.status, c.stage, c.next_due, c.next_due_kind, "
                "s.id, s.number, s.requested, s.acknowledged, s.ack_due, s.response_due, s.policy_key, "
                "s.promised_due, s.promised_ext_days FROM complaint_case c JOIN stage s ON s.case_id = c.id "
                "WHERE c.closed = false ORDER BY c.id, s.number"
            )
            rows = cursor.fetchall()
            cursor.execute(
                "SELECT e.stage_id, SUM(e.working_days) FROM extension e JOIN stage s ON s.id = e.stage_id "
                "JOIN complaint_case c ON c.id = s.case_id WHERE c.closed = false AND e.told_late = false "
                "GROUP BY e.stage_id"
            )
            ext_days = dict(cursor.fetchall())
        finally:
            cursor.close()
        cases: list[tuple] = []
        by_case: dict[int, list] = defaultdict(list)
        for cid, ref, rec, case_key, status, number, nd, kind, sid, snum, req, ack, ad, rd, skey, pd, pe in rows:
            if not by_case.get(cid):
                cases.append((cid, ref, day[rec], case_key, status, number, day[nd], kind))
            by_case[cid].append((sid, cid, snum, day[req], day[ack], day[ad], day[rd], skey, day[pd], pe))
        policies: dict[str, object] = {}

        def policy(key: str):
            if key not in policies:
                policies[key] = store.policy(key)
            return policies[key]

        stage_updates, case_updates, notes = [], [], []
        now = utcnow(store)
        # Values as the driver takes them: ISO text for SQLite (as SQLAlchemy stores dates), dates for PostgreSQL.
        sqlite = conn.dialect.name == "sqlite"
        out: dict = {None: None}
        stored = (lambda d: out[d] if d in out else out.setdefault(d, d.isoformat())) if sqlite else (lambda d: d)  # noqa: E731
        shown: dict = {None: "none"}
        words = lambda d: shown[d] if d in shown else shown.setdefault(d, short_date(d))  # noqa: E731
        why_json = json.dumps(why)
        at = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
        memo: dict[tuple, object] = {}  # cases share dates: each distinct input is computed once
        for cid, reference, received, case_key, status, current_number, next_on, next_kind in cases:
            current = None
            for (
                sid,
                _,
                number,
                requested,
                acknowledged,
                ack_due,
                response_due,
                stage_key,
                promised,
                p_ext,
            ) in by_case.get(cid, ()):
                key = (
                    stage_key or case_key,
                    number,
                    received,
                    requested,
                    acknowledged,
                    int(ext_days.get(sid) or 0),
                    promised,
                    p_ext or 0,
                )
                due = memo.get(key)
                if due is None:
                    due = memo[key] = stage_deadlines(policy(key[0]), cal, *key[1:])
                if due.ack_due != ack_due or due.response_due != response_due:
                    stage_updates.append((stored(due.ack_due), stored(due.response_due), sid))
                if number == current_number:
                    current = due
            if current is None:
                continue
            due_on, kind = next_due(status, current.ack_due, current.response_due)
            if due_on != next_on or kind != next_kind:
                # Differs from what is stored: weigh the case's extra deadlines (Ombudsman orders, open
                # actions, agreed updates) as refresh_deadlines does. Only these cases pay the queries.
                due_on, kind, _ = with_extra_deadlines(session, store, cid, status, current_number, due_on, kind)
            if due_on != next_on or kind != next_kind:
                case_updates.append((stored(due_on), kind, cid))
                if due_on != next_on:
                    moved.append(MovedDate(reference, next_on, due_on))
                    before = f'{{"due": "{next_on.isoformat()}"}}' if next_on else '{"due": null}'
                    after = (
                        f'{{"due": "{due_on.isoformat()}", "why": {why_json}}}'
                        if due_on
                        else f'{{"due": null, "why": {why_json}}}'
                    )
                    notes.append(
                        (
                            at,
                            login,
                            cid,
                            "due date moved",
                            f"due date moved from {words(next_on)} to {words(due_on)} because {why}",
                            before,
                            after,
                        )
                    )
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        cursor = conn.connection.cursor()
        try:
            if stage_updates:
                cursor.executemany(
                    f"UPDATE stage SET ack_due = {mark}, response_due = {mark} WHERE id = {mark}", stage_updates
                )
            if case_updates:
                cursor.executemany(
                    f"UPDATE complaint_case SET next_due = {mark}, next_due_kind = {mark} WHERE id = {mark}",
                    case_updates,
                )
            if notes:
                cursor.executemany(
                    f"INSERT INTO audit_event (at, actor, case_id, action, detail, before, after) "
                    f"VALUES ({', '.join([mark] * 7)})",
                    notes,
                )
        finally:
            cursor.close()
        conn.execute(
            insert(AuditEvent),
            [
                {
                    "at": now,
                    "actor": login,
                    "case_id": None,
                    "action": "due dates recomputed",
                    "detail": f"{len(moved)} due date(s) of {len(cases)} open case(s) moved because {why}",
                    "before": "",
                    "after": json.dumps({"moved": len(moved), "checked": len(cases)}),
                }
            ],
        )
        setting = session.get(Setting, SETTING_KEY) or Setting(key=SETTING_KEY)
        setting.value = json.dumps(inputs, sort_keys=True)
        session.add(setting)
    return Recomputed(why, len(cases), tuple(moved))

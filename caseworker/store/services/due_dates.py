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

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, insert, select, update

from caseworker.config import Settings
from caseworker.rules.calendar import WorkingCalendar, short_date
from caseworker.rules.deadlines import next_due, stage_deadlines
from caseworker.rules.policy import policy_files
from caseworker.store.context import Store
from caseworker.store.models import AuditEvent, Case, Setting, Stage
from caseworker.store.models import Extension as ExtensionRow
from caseworker.store.services.base import utcnow
from caseworker.store.services.cases import transaction

#: Bumped when the way due dates are worked out changes (e.g. a late acknowledgement no
#: longer extends the response deadline), so stored dates are recomputed on upgrade.
RULES_VERSION = "2"
#: The Setting row holding the inputs the stored due dates were computed from.
SETTING_KEY = "due_inputs"
#: Years of bank holidays recorded: every open case's dates fall in this window.
FIRST_YEAR = 2012
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

    def summary(self) -> str:
        """One line for a terminal or a notification."""
        n = len(self.moved)
        return (f"due dates recomputed for {self.checked:,} open case(s) because {self.why}: "
                f"{n:,} due date{'s' if n != 1 else ''} moved")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def due_inputs(store: Store) -> dict:
    """The inputs due dates are computed from, as a JSON-ready dict (kept in Setting ``due_inputs``)."""
    return due_inputs_for(store.calendar, store.settings, store.today())


def due_inputs_for(cal: WorkingCalendar, settings: Settings, today: date) -> dict:
    """:func:`due_inputs` from a calendar, the settings and today (for the demo builder, which has no Store)."""
    last = today.year + 3
    holidays = {d.isoformat(): n for d, n in cal.bank_holidays(FIRST_YEAR, last).items()}
    policies = {key: _digest(path.read_text(encoding="utf-8")) for key, path in sorted(policy_files(settings.policy_dirs).items())}
    return {
        "rules": RULES_VERSION,
        "region": cal.region,
        "years": [FIRST_YEAR, last],
        "holidays": holidays,
        "closures": {d.isoformat(): n for d, n in sorted(cal.closure_days.items())},
        "policies": policies,
        "policy": settings.policy,
        "policy_by_received_date": settings.policy_by_received_date,
    }


def _listed(days: dict[str, str]) -> str:
    return ", ".join(f"{short_date(date.fromisoformat(d))} ({n})" for d, n in sorted(days.items()))


def why_changed(old: dict | None, new: dict) -> str:
    """Plain words for what changed between two sets of inputs (the reason written on each moved case)."""
    if not old:
        return "the inputs of the due dates were first recorded by this version of caseworker"
    parts: list[str] = []
    if old.get("rules") != new["rules"]:
        parts.append("the way due dates are worked out changed (a late acknowledgement no longer extends the response deadline)")
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
    return recompute_open_cases(store, login, why_changed(old, new), new)


def recompute_open_cases(store: Store, login: str = SYSTEM_ACTOR, why: str = "they were recomputed on request",
                         inputs: dict | None = None) -> Recomputed:
    """Recompute every open case's stored due dates in bulk; note each moved date on its case's timeline.

    Returns what moved. The case's version is not bumped: only derived dates change, so an
    officer editing the case at the same moment is not refused.
    """
    inputs = inputs or due_inputs(store)
    cal = store.calendar
    moved: list[MovedDate] = []
    with transaction(store) as session:
        conn = session.connection()
        cases = conn.execute(
            select(Case.id, Case.reference, Case.received, Case.policy_key, Case.status, Case.stage,
                   Case.next_due, Case.next_due_kind).where(Case.closed == False)  # noqa: E712
        ).all()
        stage_rows = conn.execute(
            select(Stage.id, Stage.case_id, Stage.number, Stage.requested, Stage.acknowledged, Stage.ack_due,
                   Stage.response_due, Stage.policy_key, Stage.promised_due, Stage.promised_ext_days)
            .join(Case, Case.id == Stage.case_id).where(Case.closed == False)  # noqa: E712
        ).all()
        ext_days = dict(conn.execute(
            select(ExtensionRow.stage_id, func.sum(ExtensionRow.working_days))
            .join(Stage, Stage.id == ExtensionRow.stage_id).join(Case, Case.id == Stage.case_id)
            .where(Case.closed == False, ExtensionRow.told_late == False)  # noqa: E712
            .group_by(ExtensionRow.stage_id)
        ).all())
        by_case: dict[int, list] = defaultdict(list)
        for st in stage_rows:
            by_case[st.case_id].append(st)
        policies: dict[str, object] = {}

        def policy(key: str):
            if key not in policies:
                policies[key] = store.policy(key)
            return policies[key]

        stage_updates, case_updates, notes = [], [], []
        now = utcnow(store)
        for c in cases:
            current = None
            for st in by_case.get(c.id, ()):
                due = stage_deadlines(policy(st.policy_key or c.policy_key), cal, st.number, c.received, st.requested,
                                      st.acknowledged, int(ext_days.get(st.id) or 0), st.promised_due,
                                      st.promised_ext_days or 0)
                if (due.ack_due, due.response_due) != (st.ack_due, st.response_due):
                    stage_updates.append({"sid": st.id, "a": due.ack_due, "r": due.response_due})
                if st.number == c.stage:
                    current = due
            if current is None:
                continue
            due_on, kind = next_due(c.status, current.ack_due, current.response_due)
            if (due_on, kind) != (c.next_due, c.next_due_kind):
                case_updates.append({"cid": c.id, "d": due_on, "k": kind})
                if due_on != c.next_due:
                    moved.append(MovedDate(c.reference, c.next_due, due_on))
                    text = (f"due date moved from {short_date(c.next_due) if c.next_due else 'none'} to "
                            f"{short_date(due_on) if due_on else 'none'} because {why}")
                    notes.append({"at": now, "actor": login, "case_id": c.id, "action": "due date moved",
                                  "detail": text, "before": json.dumps({"due": c.next_due.isoformat() if c.next_due else None}),
                                  "after": json.dumps({"due": due_on.isoformat() if due_on else None, "why": why})})
        if stage_updates:
            conn.execute(update(Stage).where(Stage.id == bindparam("sid"))
                         .values(ack_due=bindparam("a"), response_due=bindparam("r")), stage_updates)
        if case_updates:
            conn.execute(update(Case).where(Case.id == bindparam("cid"))
                         .values(next_due=bindparam("d"), next_due_kind=bindparam("k")), case_updates)
        if notes:
            conn.execute(insert(AuditEvent), notes)
        conn.execute(insert(AuditEvent), [{
            "at": now, "actor": login, "case_id": None, "action": "due dates recomputed",
            "detail": f"{len(moved)} due date(s) of {len(cases)} open case(s) moved because {why}",
            "before": "", "after": json.dumps({"moved": len(moved), "checked": len(cases)}),
        }])
        setting = session.get(Setting, SETTING_KEY) or Setting(key=SETTING_KEY)
        setting.value = json.dumps(inputs, sort_keys=True)
        session.add(setting)
    return Recomputed(why, len(cases), tuple(moved))

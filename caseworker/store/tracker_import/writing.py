"""Writing checked tracker rows: all of them in one transaction, or none.

The references are checked against the database under the write lock, so a failure or a
killed process leaves nothing half-imported. Due dates come from the case's policy and the
working-day calendar exactly as the services store them.

Speed (DESIGN section 4: at least 20,000 rows a second, parse to commit): rows are plain
tuples, work that rows share is done once per distinct value (a name, an officer, the due
dates for a pair of dates), constant columns are written once into the INSERT, and the
cyclic garbage collector waits until the rows are built and stored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date

from sqlalchemy import Connection, Table, select

from caseworker.rules.deadlines import next_due, stage_due_dates
from caseworker.rules.facts import LIVE_STATUSES, Role, Status
from caseworker.store.bulk import (
    begin_bulk,
    gc_paused,
    insert_rows,
    insert_tuples,
    max_ids,
    reset_sequences,
    sqlite_datetime,
)
from caseworker.store.tracker_import.checking import (
    Problem,
    TrackerProblems,
    TrackerRow,
)


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored."""

    cases: int
    residents_created: int
    officers_created: tuple[str, ...]
    seconds: float
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        """Import speed (rows of the tracker per second)."""
        return self.cases / self.seconds if self.seconds > 0 else float("inf")



_WITHDRAWN, _RESPONDED = Status.WITHDRAWN.value, Status.RESPONDED.value
_OPEN, _AWAITING_ACK = Status.OPEN.value, Status.AWAITING_ACK.value
_ADMINISTRATOR, _OFFICER = Role.ADMINISTRATOR.value, Role.OFFICER.value
_LIVE = frozenset(s.value for s in LIVE_STATUSES)


def _status_of(row: TrackerRow) -> str:
    if row.outcome == "withdrawn":
        return _WITHDRAWN
    if row.stage == 2:
        ack, resp = row.acknowledged2, row.responded2
    else:
        ack, resp = row.acknowledged, row.responded1
    if resp:
        return _RESPONDED
    if ack:
        return _OPEN
    return _AWAITING_ACK


def _login_for(name: str, taken: set[str]) -> str:
    """A login for a new officer: the value itself if it looks like a login, else initial + surname."""
    plain = name.strip()
    if re.fullmatch(r"[a-z0-9._-]+", plain):
        base = plain
    else:
        words = re.findall(r"[a-z]+", plain.casefold())
        base = (words[0][0] + words[-1]) if len(words) > 1 else (words[0] if words else "officer")
    login, n = base, 1
    while login in taken:
        n += 1
        login = f"{base}{n}"
    return login


#: The columns of the rows :func:`import_rows` builds, as tuples in this order; every other
#: column has one value for the whole import (given to :func:`insert_tuples` separately).
_RESIDENT_COLUMNS = ("id", "name", "address", "email", "phone")
_CASE_COLUMNS = (
    "id", "reference", "resident_id", "channel", "service_area", "category", "summary", "received", "stage",
    "status", "closed", "officer_id", "next_due", "next_due_kind",
)
_STAGE_COLUMNS = (
    "id", "case_id", "number", "officer_id", "requested", "acknowledged", "responded", "ack_due", "response_due",
    "decision",
)
_AUDIT_COLUMNS = ("id", "case_id", "action", "detail")


def import_rows(store, login: str, rows: Sequence[TrackerRow], *, source: str = "tracker") -> ImportSummary:
    """Store checked tracker rows: all of them in one transaction, or none.

    Unknown officers are created (as officers), residents are matched by name and address
    or created, and each case gets its stages with due dates from the policy and calendar
    and an "imported" audit event by ``login``. On a database with no officers yet,
    ``login`` becomes its administrator (as when the app is first opened).

    The rows are built as plain tuples. Work repeated across rows is done once per distinct
    input: due dates (``stage_due_dates`` and ``next_due``, with the calendar's ``add``, are
    pure for one import, so each distinct argument tuple is computed once), name folding,
    officer look-ups and date-to-text conversion.

    Raises:
        TrackerProblems: a reference is already in the database (each one listed); nothing stored.
    """
    started = time.perf_counter()
    with gc_paused():
        summary = _import_rows(store, login, rows, source)
    return replace(summary, seconds=time.perf_counter() - started)


def _import_rows(store, login: str, rows: Sequence[TrackerRow], source: str) -> ImportSummary:
    from caseworker.store.models import AuditEvent, Case, Officer, Resident, Stage

    policy = store.policy()
    cal = _RememberedAdds(store.calendar)
    now = store.clock.now().astimezone(UTC)
    case_t, stage_t, officer_t = Case.__table__, Stage.__table__, Officer.__table__
    resident_t, audit_t = Resident.__table__, AuditEvent.__table__
    with store.engine.connect() as conn:
        begin_bulk(conn, [officer_t, resident_t, case_t, stage_t, audit_t])
        try:
            dupes = _existing_references(conn, case_t, rows)
            if dupes:
                raise TrackerProblems([
                    Problem(r.line, "reference", f"{r.reference} is already in the database") for r in dupes
                ])
            ids = max_ids(conn, [officer_t, resident_t, case_t, stage_t, audit_t])
            # Values as stored: on SQLite dates and datetimes go in as SQLAlchemy writes them
            # (see insert_rows); other servers' drivers adapt them.
            sqlite = conn.dialect.name == "sqlite"
            day: dict = _DateText() if sqlite else _Same()
            at = sqlite_datetime(now) if sqlite else now
            folded = _Folded()  # " ".join(text.casefold().split()), once per distinct text

            # Officers: by login or by name (case-insensitive); unknown ones are created.
            officers: dict[str, int] = {}
            taken: set[str] = set()
            any_officer = False
            for oid, o_login, o_name in conn.execute(select(officer_t.c.id, officer_t.c.login, officer_t.c.name)):
                any_officer = True
                officers[o_login.casefold()] = oid
                officers.setdefault(folded[o_name], oid)
                taken.add(o_login)
            new_officers: list[dict] = []
            audits: list[tuple] = []
            audit_base = ids["audit_event"]  # audit ids follow the order events are recorded
            #: officer cell text -> officer id (None for a blank cell); forgotten whenever an
            #: officer is added, since a new login can take over a name's entry in ``officers``.
            officer_ids: dict[str, int | None] = {"": None}

            def add_officer(o_login: str, name: str, role: str) -> int:
                ids["officer"] += 1
                oid = ids["officer"]
                new_officers.append({"id": oid, "login": o_login, "name": name, "email": "", "role": role,
                                     "active": True, "created_at": now})
                taken.add(o_login)
                officers[o_login.casefold()] = oid
                officers.setdefault(folded[name], oid)
                audits.append((audit_base + len(audits) + 1, None, "officer added",
                               f"{o_login} ({role}) added by the import of {source}"))
                officer_ids.clear()
                officer_ids[""] = None
                return oid

            if not any_officer:
                add_officer(login, login, _ADMINISTRATOR)

            def officer_id(name: str) -> int:
                found = officers.get(folded[name])
                if found is None:
                    found = add_officer(_login_for(name, taken), name, _OFFICER)
                officer_ids[name] = found
                return found

            # Residents: by name and address.
            residents: dict[tuple[str, str], int] = {}
            for rid, r_name, r_address in conn.execute(select(resident_t.c.id, resident_t.c.name, resident_t.c.address)):
                residents.setdefault((folded[r_name], folded[r_address or ""]), rid)

            # Due dates: the rule in rules.deadlines, computed once per distinct input.
            stage1_due = _Remembered(lambda received, ack: stage_due_dates(policy, cal, 1, received, received, ack, 0))
            stage2_due = _Remembered(
                lambda received, requested, ack: stage_due_dates(policy, cal, 2, received, requested, ack, 0))
            next_dues = _Remembered(next_due)

            new_residents: list[tuple] = []
            cases: list[tuple] = []
            stages: list[tuple] = []
            statuses: dict[str, int] = {}
            used_refs: set[str] = set()
            clashes: list[Problem] = []
            resident_base, case_base, stage_base = ids["resident"], ids["complaint_case"], ids["stage"]
            live, unseen = _LIVE, -1
            new_resident, new_case, new_stage, new_audit = (
                new_residents.append, cases.append, stages.append, audits.append)
            for row in rows:
                rkey = (folded[row.resident], folded[row.address])
                rid = residents.get(rkey)
                if rid is None:
                    rid = residents[rkey] = resident_base + len(new_residents) + 1
                    new_resident((rid, row.resident, row.address, row.email, row.phone))
                officer1, officer2 = row.officer1, row.officer2
                o1 = officer_ids.get(officer1, unseen)
                if o1 == unseen:
                    o1 = officer_id(officer1)
                o2 = officer_ids.get(officer2, unseen)
                if o2 == unseen:
                    o2 = officer_id(officer2)
                if o1 is not None and o1 == o2:
                    clashes.append(Problem(row.line, "stage 2 officer",
                                           f"{officer2} is the Stage 1 officer ({officer1}): the Stage 2 "
                                           "officer must be someone else (Code 6.13)"))
                cid = case_base + len(cases) + 1
                reference = row.reference or _free_reference(cid, used_refs)
                used_refs.add(reference.casefold())

                status = _status_of(row)
                statuses[status] = statuses.get(status, 0) + 1
                number, outcome, received = row.stage, row.outcome, row.received
                ack1, resp1 = row.acknowledged, row.responded1
                decision = outcome if outcome and outcome != "withdrawn" else ""
                s1_ack, s1_resp = stage1_due[received, ack1]
                new_stage((stage_base + len(stages) + 1, cid, 1, o1, day[received], day[ack1], day[resp1],
                           day[s1_ack], day[s1_resp], decision if number == 1 and resp1 else ""))
                if number == 2:
                    requested2, ack2, resp2 = row.requested2, row.acknowledged2, row.responded2
                    s2_ack, s2_resp = stage2_due[received, requested2, ack2]
                    new_stage((stage_base + len(stages) + 1, cid, 2, o2, day[requested2], day[ack2], day[resp2],
                               day[s2_ack], day[s2_resp], decision if resp2 else ""))
                    due, kind = next_dues[status, s2_ack, s2_resp]
                    officer = o2
                else:
                    due, kind = next_dues[status, s1_ack, s1_resp]
                    officer = o1
                summary = f"Imported from {source} (line {row.line})"
                service_area, category = row.service_area, row.category
                if category or service_area:
                    summary = f"{service_area or 'Complaint'}: {category or 'not recorded'}. {summary}"
                new_case((cid, reference, rid, row.channel or "not recorded", service_area, category, summary,
                          day[received], number, status, status not in live, officer, day[due], kind))
                new_audit((audit_base + len(audits) + 1, cid, "imported",
                           f"imported from {source} line {row.line}: Stage {number}, {status}"))
            if clashes:
                raise TrackerProblems(clashes)
            insert_rows(conn, officer_t, new_officers)
            insert_tuples(conn, resident_t, _RESIDENT_COLUMNS, new_residents, {
                "preferred_channel": "", "vulnerable": False, "vulnerability_notes": "", "created_at": at})
            insert_tuples(conn, case_t, _CASE_COLUMNS, cases, {
                "case_type": "complaint", "representative_id": None, "issue_date": None, "discretion_reason": "",
                "policy_key": policy.key, "related_case_id": None, "service_request_id": None, "version": 1,
                "created_at": at, "updated_at": at, "updated_by": login})
            insert_tuples(conn, stage_t, _STAGE_COLUMNS, stages, {
                "request_reason": "", "issues": "", "outcomes": "", "responsible": "", "not_responsible": "",
                "reasons": "", "no_remedy": False, "no_actions": False})
            insert_tuples(conn, audit_t, _AUDIT_COLUMNS, audits, {"at": at, "actor": login, "before": "", "after": ""})
            reset_sequences(conn, [officer_t, resident_t, case_t, stage_t, audit_t])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return ImportSummary(
        cases=len(cases), residents_created=len(new_residents),
        officers_created=tuple(o["login"] for o in new_officers), seconds=0.0, statuses=statuses,
    )


class _Remembered(dict):
    """A pure function's results by argument tuple: ``memo[a, b]`` is ``fn(a, b)``, computed once."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, args: tuple):
        value = self[args] = self.fn(*args)
        return value


class _RememberedAdds:
    """A working-day calendar whose ``add`` remembers each (start, n) it has answered.

    For one import the calendar does not change, and tracker rows share a few hundred dates.
    Everything else is the calendar's own.
    """

    def __init__(self, cal) -> None:
        self._cal = cal
        self._adds: dict[tuple[date, int], date] = {}

    def add(self, start: date, n: int) -> date:
        key = (start, n)
        found = self._adds.get(key)
        if found is None:
            found = self._adds[key] = self._cal.add(start, n)
        return found

    def __getattr__(self, name: str):
        return getattr(self._cal, name)


class _Folded(dict):
    """Text -> ``" ".join(text.casefold().split())`` (how names are matched), once per distinct text."""

    def __missing__(self, text_: str) -> str:
        value = self[text_] = " ".join(text_.casefold().split())
        return value


class _DateText(dict):
    """A date (or None) -> its ISO text (or None), as SQLAlchemy stores dates in SQLite."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, day: date) -> str:
        value = self[day] = day.isoformat()
        return value


class _Same(dict):
    """A date (or None) -> itself: for drivers that adapt dates themselves."""

    def __missing__(self, value):
        self[value] = value
        return value


def _free_reference(cid: int, used: set[str]) -> str:
    ref, n = f"IMP-{cid:06d}", 1
    while ref.casefold() in used:
        n += 1
        ref = f"IMP-{cid:06d}-{n}"
    return ref


def _existing_references(conn: Connection, case_t: Table, rows: Sequence[TrackerRow]) -> list[TrackerRow]:
    wanted = {r.reference: r for r in rows if r.reference}
    found: list[TrackerRow] = []
    keys = list(wanted)
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # the driver's own statement: compiling 40 SQLAlchemy IN-lists costs several times the lookups
        prep = conn.dialect.identifier_preparer
        head = f"SELECT {prep.quote(case_t.c.reference.name)} FROM {prep.format_table(case_t)} WHERE {prep.quote(case_t.c.reference.name)} IN "
    for i in range(0, len(keys), 500):  # exact matches, so the unique index on reference is used
        chunk = keys[i:i + 500]
        if sqlite:
            result = conn.exec_driver_sql(head + "(" + ", ".join("?" * len(chunk)) + ")", tuple(chunk))
        else:
            result = conn.execute(select(case_t.c.reference).where(case_t.c.reference.in_(chunk)))
        for (ref,) in result:
            found.append(wanted[ref])
    return sorted(found, key=lambda r: r.line)


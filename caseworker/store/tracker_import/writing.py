"""Writing checked tracker rows: all of them in one transaction, or none, recorded as a batch.

The rows are stored in batches of a few thousand inside one transaction that holds the
write lock, so a 200,000-row import never holds every row in memory, and a failure or a
killed process leaves nothing half-imported. References are checked against the database
under the lock. Due dates come from the case's policy and the working-day calendar exactly
as the services store them. A dry run does all of this on a read transaction and stores
nothing.

Speed (DESIGN section 4: at least 20,000 rows a second, parse to commit): rows are plain
tuples, work that rows share is done once per distinct value (an officer, the due dates for
a pair of dates, a date's text), constant columns are written once into the INSERT, and the
cyclic garbage collector waits until the rows are stored.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date
from functools import partial
from itertools import count, islice

from sqlalchemy import Connection, Table, select

from caseworker import labels
from caseworker.rules.deadlines import next_due, stage_due_dates
from caseworker.rules.facts import LIVE_STATUSES, Role, Status
from caseworker.rules.officers import derive_login
from caseworker.store.bulk import (
    begin_bulk,
    gc_paused,
    insert_rows,
    insert_tuples,
    max_ids,
    reset_sequences,
    set_aside_sqlite_indexes,
    sqlite_datetime,
)
from caseworker.store.tracker_import.checking import (
    Problem,
    TrackerProblems,
    TrackerRow,
)

#: Rows built and stored at a time (inside the one transaction).
BATCH_ROWS = 10_000
#: SQLite: an import whose first batch holds at least this many rows sets aside the secondary
#: indexes of each table it writes that holds no more rows than that batch, and builds them once
#: after the last row (:func:`caseworker.store.bulk.set_aside_sqlite_indexes`): at 20,000 rows
#: into a new database SQLite's own work 0.60 -> 0.53 s of CPU, at 200,000 rows 7.6 -> 5.0 s.
SET_ASIDE_MIN_ROWS = 5_000


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored (or, for a dry run, would store)."""

    cases: int
    residents_created: int
    officers_created: tuple[str, ...]
    seconds: float
    statuses: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    stages: dict[int, int] = field(default_factory=dict)
    extensions: int = 0
    batch: int | None = None  # the import batch's id (None for a dry run)
    dry_run: bool = False

    @property
    def rows_per_second(self) -> float:
        """Import speed (rows of the tracker per second)."""
        return self.cases / self.seconds if self.seconds > 0 else float("inf")


_WITHDRAWN, _RESPONDED = Status.WITHDRAWN.value, Status.RESPONDED.value
_OPEN, _AWAITING_ACK = Status.OPEN.value, Status.AWAITING_ACK.value
_ADMINISTRATOR, _OFFICER = Role.ADMINISTRATOR.value, Role.OFFICER.value
_LIVE = frozenset(s.value for s in LIVE_STATUSES)


def _login_for(name: str, taken: set[str]) -> str:
    """A login for a new officer, derived from the name without collisions (the one rule:
    :func:`caseworker.rules.officers.derive_login`, as ``store.officer_matching`` plans them)."""
    return derive_login(name, taken)


#: The columns of the rows :func:`import_rows` builds, as tuples in this order; every other
#: column has one value for the whole import (given to :func:`insert_tuples` separately).
_RESIDENT_COLUMNS = ("id", "name", "address", "email", "phone")
_CASE_COLUMNS = (
    "id",
    "reference",
    "case_type",
    "resident_id",
    "channel",
    "service_area",
    "category",
    "summary",
    "received",
    "stage",
    "status",
    "closed",
    "officer_id",
    "next_due",
    "next_due_kind",
    "logged",
    "policy_key",
)
_STAGE_COLUMNS = (
    "id",
    "case_id",
    "number",
    "officer_id",
    "requested",
    "acknowledged",
    "responded",
    "ack_due",
    "response_due",
    "decision",
    "policy_key",
)
_EXTENSION_COLUMNS = ("id", "stage_id", "working_days", "reason", "beyond_cap", "resident_told")
_AUDIT_COLUMNS = ("id", "case_id", "action", "detail")


def import_rows(
    store, login: str, rows: Iterable[TrackerRow], *, source: str = "tracker", kind: str = "", dry_run: bool = False
) -> ImportSummary:
    """Store checked tracker rows: all of them in one transaction, or none, as one import batch.

    Unknown officers are created (as officers), residents are matched by name and address
    or created, and each case gets its type, stages (with any extension, in working days,
    flagged beyond the policy's cap as the services do: Code 6.5, 6.16) and due dates from
    the policy and calendar, and an "imported" audit event by ``login``. On a database with
    no officers yet, ``login`` becomes its administrator (as when the app is first opened).
    The import is recorded as an ``import_batch`` (see :func:`undo_batch`).

    With ``dry_run`` nothing is written and no lock is taken: the summary says what would
    be stored, and the same problems are raised.

    Raises:
        TrackerProblems: a reference is already in the database, or an extended due date is
            not after the due date it extends (each one listed); nothing stored.
    """
    started = time.perf_counter()
    with gc_paused():
        summary = _import_rows(store, login, rows, source, kind, dry_run)
    return replace(summary, seconds=time.perf_counter() - started)


def _chunks(rows: Iterable[TrackerRow], size: int) -> Iterator[list[TrackerRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _import_rows(store, login: str, rows: Iterable[TrackerRow], source: str, kind: str, dry_run: bool) -> ImportSummary:
    from caseworker.store.models import (
        AuditEvent,
        Case,
        ImportBatch,
        Officer,
        Resident,
        Stage,
    )
    from caseworker.store.models import Extension as ExtensionRow

    # The profile by received date (hoc-2022 before 1 April 2024, rules.policy), and a Stage 2's own.
    policies = _RememberedOne(store.policy)
    case_key = _RememberedOne(store.policy_key_for)
    stage2_key = _Remembered(store.stage2_policy_key)
    caps = _Remembered(lambda key, n: policies[key].stage(n).extension_cap)
    cal = _RememberedAdds(store.calendar)
    now = store.clock.now().astimezone(UTC)
    today = store.today()
    case_t, stage_t, officer_t = Case.__table__, Stage.__table__, Officer.__table__
    resident_t, audit_t, ext_t, batch_t = (
        Resident.__table__,
        AuditEvent.__table__,
        ExtensionRow.__table__,
        ImportBatch.__table__,
    )
    tables = [officer_t, resident_t, case_t, stage_t, ext_t, audit_t, batch_t]
    with store.engine.connect() as conn:
        if dry_run:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")  # one read snapshot; no write lock
        else:
            begin_bulk(conn, tables)
        writer: ThreadPoolExecutor | None = None
        try:
            ids = max_ids(conn, tables)
            first = dict(ids)
            # Values as stored: on SQLite dates and datetimes go in as SQLAlchemy writes them
            # (see insert_rows); other servers' drivers adapt them.
            sqlite = conn.dialect.name == "sqlite"
            day: dict = _DateText() if sqlite else _Same()
            at = sqlite_datetime(now) if sqlite else now
            folded = _Folded()  # officer names folded, once per distinct text

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
            created_logins: list[str] = []
            audits: list[tuple] = []
            #: officer cell text -> officer id (None for a blank cell); forgotten whenever an
            #: officer is added, since a new login can take over a name's entry in ``officers``.
            officer_ids: dict[str, int | None] = {"": None}

            next_audit = partial(next, count(ids["audit_event"] + 1))  # audit ids follow the order events are recorded

            def add_officer(o_login: str, name: str, role: str) -> int:
                ids["officer"] += 1
                oid = ids["officer"]
                new_officers.append(
                    {
                        "id": oid,
                        "login": o_login,
                        "name": name,
                        "title": "",
                        "email": "",
                        "phone": "",
                        "role": role,
                        "active": True,
                        "created_at": now,
                    }
                )
                created_logins.append(o_login)
                taken.add(o_login)
                officers[o_login.casefold()] = oid
                officers.setdefault(folded[name], oid)
                audits.append(
                    (next_audit(), None, "officer added", f"{o_login} ({role}) added by the import of {source}")
                )
                officer_ids.clear()
                officer_ids[""] = None
                return oid

            if not any_officer:
                add_officer(login, login, _ADMINISTRATOR)
                first["officer"] = ids["officer"]  # the database's administrator: not undone with the batch

            def officer_id(name: str) -> int:
                found = officers.get(folded[name])
                if found is None:
                    found = add_officer(_login_for(name, taken), name, _OFFICER)
                officer_ids[name] = found
                return found

            # Residents: by name and address (one key string each: a 200,000-row import
            # keeps one small string per resident, not a tuple of two).
            residents: dict[str, int] = {}
            for rid, r_name, r_address in conn.execute(
                select(resident_t.c.id, resident_t.c.name, resident_t.c.address)
            ):
                residents.setdefault(_resident_key(r_name, r_address or ""), rid)
            used_refs = {
                r.casefold()
                for (r,) in conn.execute(select(case_t.c.reference).where(case_t.c.reference.like("IMP-%")))
            }

            # Due dates: the rule in rules.deadlines, computed once per distinct input.
            stage1_due = _Remembered(
                lambda key, received, ack, ext: stage_due_dates(policies[key], cal, 1, received, received, ack, ext)
            )
            stage2_due = _Remembered(
                lambda key, received, requested, ack, ext: stage_due_dates(
                    policies[key], cal, 2, received, requested, ack, ext
                )
            )
            next_dues = _Remembered(next_due)
            status_words = _RememberedOne(labels.status)

            next_resident, next_case, next_stage, next_extension = (
                partial(next, count(ids[name] + 1)) for name in ("resident", "complaint_case", "stage", "extension")
            )
            statuses: dict[str, int] = {}
            types: dict[str, int] = {}
            by_stage: dict[int, int] = {}
            problems: list[Problem] = []
            cases_done = residents_done = extensions_done = 0
            live, unseen = _LIVE, -1
            # SQLite: secondary indexes set aside for a large import into small tables (decided
            # at the first batch stored); put back before the commit.
            restore_indexes = None
            set_aside_decided = dry_run or not sqlite
            recorded_on = day[today]

            def store_batch(
                chunk: list[TrackerRow],
                officers_: list[dict],
                residents_: list[tuple],
                cases_: list[tuple],
                stages_: list[tuple],
                extensions_: list[tuple],
                audits_: list[tuple],
            ) -> None:
                """One batch: its references looked up in the database, then (unless there is a
                problem by now or this is a dry run) its rows stored. Runs on the writer thread,
                the only user of ``conn`` until the last batch is stored."""
                nonlocal restore_indexes, set_aside_decided
                for dupe in _existing_references(conn, case_t, chunk):
                    problems.append(Problem(dupe.line, "reference", f"{dupe.reference} is already in the database"))
                if problems or dry_run:
                    return  # keep checking the rest, store nothing
                if not set_aside_decided:
                    set_aside_decided = True
                    if len(chunk) >= SET_ASIDE_MIN_ROWS:
                        small = [
                            t for t in (resident_t, case_t, stage_t, ext_t, audit_t) if first[t.name] <= len(chunk)
                        ]
                        restore_indexes = set_aside_sqlite_indexes(conn, small)
                insert_rows(conn, officer_t, officers_)
                insert_tuples(
                    conn,
                    resident_t,
                    _RESIDENT_COLUMNS,
                    residents_,
                    {"preferred_channel": "", "vulnerable": False, "vulnerability_notes": "", "created_at": at},
                )
                insert_tuples(
                    conn,
                    case_t,
                    _CASE_COLUMNS,
                    cases_,
                    {
                        "representative_id": None,
                        "issue_date": None,
                        "discretion_reason": "",
                        "related_case_id": None,
                        "service_request_id": None,
                        "version": 1,
                        "created_at": at,
                        "updated_at": at,
                        "updated_by": login,
                    },
                )
                insert_tuples(
                    conn,
                    stage_t,
                    _STAGE_COLUMNS,
                    stages_,
                    {
                        "promised_due": None,
                        "promised_ext_days": 0,
                        "promised_in": "",
                        "request_reason": "",
                        "issues": "",
                        "outcomes": "",
                        "responsible": "",
                        "not_responsible": "",
                        "reasons": "",
                        "no_remedy": False,
                        "no_actions": False,
                    },
                )
                insert_tuples(
                    conn,
                    ext_t,
                    _EXTENSION_COLUMNS,
                    extensions_,
                    {
                        "good_reason": "",
                        "approved_by": None,
                        "recorded_on": recorded_on,
                        "recorded_by": login,
                        "created_at": at,
                        "told_late": False,
                    },
                )
                insert_tuples(
                    conn, audit_t, _AUDIT_COLUMNS, audits_, {"at": at, "actor": login, "before": "", "after": ""}
                )

            pending: Future[None] | None = None
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caseworker-import")
            for chunk in _chunks(rows, BATCH_ROWS):
                new_residents: list[tuple] = []
                cases: list[tuple] = []
                stages: list[tuple] = []
                extensions: list[tuple] = []
                new_resident, new_case, new_stage, new_audit, new_extension = (
                    new_residents.append,
                    cases.append,
                    stages.append,
                    audits.append,
                    extensions.append,
                )
                for row in chunk:
                    # One unpacking instead of a named-tuple attribute look-up per field.
                    (
                        line,
                        reference,
                        case_type,
                        resident,
                        address,
                        email,
                        phone,
                        received,
                        channel,
                        service_area,
                        category,
                        description,
                        number,
                        officer1,
                        ack1,
                        resp1,
                        ext1,
                        ext1_to,
                        ext1_reason,
                        _told1,
                        requested2,
                        officer2,
                        ack2,
                        resp2,
                        ext2,
                        ext2_to,
                        ext2_reason,
                        _told2,
                        outcome,
                        logged,
                    ) = row
                    rkey = " ".join(resident.casefold().split()) + "\x00" + " ".join(address.casefold().split())
                    rid = residents.get(rkey)
                    if rid is None:
                        rid = residents[rkey] = next_resident()
                        new_resident((rid, resident, address, email, phone))
                    o1 = officer_ids.get(officer1, unseen)
                    if o1 == unseen:
                        o1 = officer_id(officer1)
                    o2 = officer_ids.get(officer2, unseen)
                    if o2 == unseen:
                        o2 = officer_id(officer2)
                    if o1 is not None and o1 == o2:
                        problems.append(
                            Problem(
                                line,
                                "stage 2 officer",
                                f"{officer2} is the Stage 1 officer ({officer1}): the Stage 2 "
                                "officer must be someone else (Code 6.13)",
                            )
                        )
                    cid = next_case()
                    if not reference:
                        reference = _free_reference(cid, used_refs)
                    if reference[:4].upper() == "IMP-":  # the only references _free_reference could clash with
                        used_refs.add(reference.casefold())

                    if outcome == "withdrawn":
                        status = _WITHDRAWN
                    elif resp2 if number == 2 else resp1:
                        status = _RESPONDED
                    elif ack2 if number == 2 else ack1:
                        status = _OPEN
                    else:
                        status = _AWAITING_ACK
                    statuses[status] = statuses.get(status, 0) + 1
                    types[case_type] = types.get(case_type, 0) + 1
                    by_stage[number] = by_stage.get(number, 0) + 1
                    decision = outcome if outcome and outcome != "withdrawn" else ""
                    key1 = case_key[received]
                    if ext1 or ext1_to:
                        ext1, told = _extension(
                            problems,
                            row,
                            1,
                            ext1,
                            ext1_to,
                            row.extension1_told,
                            stage1_due[key1, received, ack1, 0][1],
                            cal,
                            today,
                        )
                    s1_ack, s1_resp = stage1_due[key1, received, ack1, ext1]
                    sid = next_stage()
                    new_stage(
                        (
                            sid,
                            cid,
                            1,
                            o1,
                            day[received],
                            day[ack1],
                            day[resp1],
                            day[s1_ack],
                            day[s1_resp],
                            decision if number == 1 and resp1 else "",
                            "",
                        )
                    )
                    if ext1:
                        cap = caps[key1, 1]
                        new_extension(
                            (
                                next_extension(),
                                sid,
                                ext1,
                                ext1_reason or _NO_REASON,
                                cap is None or ext1 > cap,
                                day[told],
                            )
                        )
                    if number == 2:
                        key2 = stage2_key[key1, requested2]
                        if ext2 or ext2_to:
                            ext2, told = _extension(
                                problems,
                                row,
                                2,
                                ext2,
                                ext2_to,
                                row.extension2_told,
                                stage2_due[key2, received, requested2, ack2, 0][1],
                                cal,
                                today,
                            )
                        s2_ack, s2_resp = stage2_due[key2, received, requested2, ack2, ext2]
                        sid = next_stage()
                        new_stage(
                            (
                                sid,
                                cid,
                                2,
                                o2,
                                day[requested2],
                                day[ack2],
                                day[resp2],
                                day[s2_ack],
                                day[s2_resp],
                                decision if resp2 else "",
                                "" if key2 == key1 else key2,
                            )
                        )
                        if ext2:
                            cap = caps[key2, 2]
                            new_extension(
                                (
                                    next_extension(),
                                    sid,
                                    ext2,
                                    ext2_reason or _NO_REASON,
                                    cap is None or ext2 > cap,
                                    day[told],
                                )
                            )
                        due, due_kind = next_dues[status, s2_ack, s2_resp]
                        officer = o2
                    else:
                        due, due_kind = next_dues[status, s1_ack, s1_resp]
                        officer = o1
                    new_case(
                        (
                            cid,
                            reference,
                            case_type,
                            rid,
                            channel or "not recorded",
                            service_area,
                            category,
                            description,
                            day[received],
                            number,
                            status,
                            status not in live,
                            officer,
                            day[due],
                            due_kind,
                            day[logged],
                            key1,
                        )
                    )
                    new_audit(
                        (
                            next_audit(),
                            cid,
                            "imported",
                            f"imported from {source} line {line}: Stage {number}, {status_words[status]}",
                        )
                    )
                cases_done += len(cases)
                residents_done += len(new_residents)
                extensions_done += len(extensions)
                # Stored by the writer thread while the next batch is built (SQLite and the
                # server do their part outside the GIL): at most one batch waits to be stored.
                if pending is not None:
                    pending.result()
                pending = writer.submit(
                    store_batch,
                    chunk,
                    list(new_officers),
                    new_residents,
                    cases,
                    stages,
                    extensions,
                    list(audits),
                )
                new_officers.clear()
                audits.clear()
            if pending is not None:
                pending.result()
            writer.shutdown()
            if problems:
                raise TrackerProblems(sorted(problems, key=lambda p: p.line))
            if restore_indexes is not None:
                restore_indexes(conn)
            for name, seq in (
                ("resident", next_resident),
                ("complaint_case", next_case),
                ("stage", next_stage),
                ("extension", next_extension),
                ("audit_event", next_audit),
            ):
                ids[name] = seq() - 1  # the last id used
            batch_id = None
            if not dry_run:
                insert_rows(conn, officer_t, new_officers)  # an administrator made for an empty file
                ids["import_batch"] += 1
                batch_id = ids["import_batch"]
                span = {
                    name: (first[name] + 1, ids[name]) if ids[name] > first[name] else (0, 0)
                    for name in ("complaint_case", "resident", "officer")
                }
                audit_last = ids["audit_event"] + 1
                insert_rows(
                    conn,
                    batch_t,
                    [
                        {
                            "id": batch_id,
                            "source": source[:300],
                            "kind": kind[:100],
                            "imported_at": now,
                            "imported_by": login,
                            "rows": cases_done,
                            "case_first": span["complaint_case"][0],
                            "case_last": span["complaint_case"][1],
                            "resident_first": span["resident"][0],
                            "resident_last": span["resident"][1],
                            "officer_first": span["officer"][0],
                            "officer_last": span["officer"][1],
                            "audit_last": audit_last,
                            "undone_at": None,
                            "undone_by": "",
                        }
                    ],
                )
                insert_tuples(
                    conn,
                    audit_t,
                    _AUDIT_COLUMNS,
                    audits
                    + [
                        (
                            audit_last,
                            None,
                            "import batch",
                            (
                                f"import batch {batch_id}: {cases_done:,} cases from {source} "
                                f"(undo with: caseworker import --undo {batch_id})"
                            ),
                        )
                    ],
                    {"at": at, "actor": login, "before": "", "after": ""},
                )
                reset_sequences(conn, tables)
                conn.commit()
            else:
                conn.rollback()
        except BaseException:
            if writer is not None:
                writer.shutdown()  # the batch being stored finishes before the rollback
            conn.rollback()
            raise
    return ImportSummary(
        cases=cases_done,
        residents_created=residents_done,
        officers_created=tuple(created_logins),
        seconds=0.0,
        statuses=statuses,
        types=types,
        stages=by_stage,
        extensions=extensions_done,
        batch=batch_id,
        dry_run=dry_run,
    )


#: The reason stored for an extension whose reason the tracker did not give.
_NO_REASON = "(not recorded in the tracker)"


def _extension(
    problems: list[Problem],
    row: TrackerRow,
    number: int,
    days: int,
    new_due: date | None,
    told: date | None,
    due: date | None,
    cal,
    today: date,
) -> tuple[int, date | None]:
    """An extension in working days from the tracker's days or new due date, and the date the
    resident was told: when the tracker does not say, the original due date, or ``today`` when
    that is still to come (an extension already in the tracker was told by the day it is imported,
    and a date to come is not a fact to record).

    A new due date becomes the working days from the original due date to it (Code 6.5, 6.16
    count extensions in working days). A new date on or before the original is a problem.
    """
    name = "extended due date" if number == 1 else "stage 2 extended due date"
    if due is None:
        return days, told
    if new_due is not None:
        days = cal.count(due, new_due)
        if days <= 0:
            problems.append(
                Problem(
                    row.line,
                    name,
                    f"{new_due:%d/%m/%Y} is not after the Stage {number} due date it extends ({due:%d/%m/%Y})",
                )
            )
    return days, told or min(due, today)


def _resident_key(name: str, address: str) -> str:
    """Residents are matched by name and address, folded (one string: less memory than a tuple)."""
    return " ".join(name.casefold().split()) + "\x00" + " ".join(address.casefold().split())


class _RememberedOne(dict):
    """A pure function of one argument's results: ``memo[a]`` is ``fn(a)``, computed once."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, arg):
        value = self[arg] = self.fn(arg)
        return value


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
    """The rows whose reference is already in ``case_t`` (exact matches, as the unique index
    on reference compares them), in file order: one or a few index probes per batch."""
    wanted = {r.reference: r for r in rows if r.reference}
    found: list[TrackerRow] = []
    keys = list(wanted)
    prep = conn.dialect.identifier_preparer
    column, table = prep.quote(case_t.c.reference.name), prep.format_table(case_t)
    if conn.dialect.name == "postgresql":
        # One statement per batch, the references as one array. It is run once per batch, so
        # psycopg prepares it, and PostgreSQL would then keep a generic plan made while the
        # table looked empty (before autovacuum has counted what the import adds): a
        # sequential scan that grows with every batch stored (187 rows/s at 200,000 rows).
        # Planned with its values each time, it probes the unique index on reference.
        # The references are joined as rows (unnest), not tested as ``reference = ANY(array)``:
        # pg_trgm's GIN index on reference also answers ``=``, and on a database already holding
        # cases (200,000, analysed) PostgreSQL chose it for the array, 10,000 trigram look-ups
        # taking 23 s a batch; joined, each reference is one probe of the unique B-tree (12 ms).
        mode = conn.exec_driver_sql("SELECT current_setting('plan_cache_mode')").scalar_one()
        conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        try:
            result = conn.exec_driver_sql(
                f"SELECT c.{column} FROM unnest(CAST(%(refs)s AS text[])) AS r(ref) "
                f"JOIN {table} AS c ON c.{column} = r.ref",
                {"refs": keys},
            )
            found = [wanted[ref] for (ref,) in result]
        finally:
            conn.exec_driver_sql("SELECT set_config('plan_cache_mode', %(mode)s, true)", {"mode": mode})
        return sorted(found, key=lambda r: r.line)
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # the driver's own statement: compiling 40 SQLAlchemy IN-lists costs several times the lookups
        head = f"SELECT {column} FROM {table} WHERE {column} IN "
    for i in range(0, len(keys), 500):  # exact matches, so the unique index on reference is used
        chunk = keys[i : i + 500]
        if sqlite:
            result = conn.exec_driver_sql(head + "(" + ", ".join("?" * len(chunk)) + ")", tuple(chunk))
        else:
            result = conn.execute(select(case_t.c.reference).where(case_t.c.reference.in_(chunk)))
        for (ref,) in result:
            found.append(wanted[ref])
    return sorted(found, key=lambda r: r.line)

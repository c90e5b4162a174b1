"""Bring in a spreadsheet tracker (CSV): check every row, then import all of them in one
transaction, or nothing.

:func:`parse_tracker` reads and validates a file without touching a database and returns
the good rows with every problem found (line number and field). :func:`import_rows` writes
the rows with SQLAlchemy Core bulk inserts in one transaction, after checking the references
against the database under the write lock: a failure or a killed process leaves nothing
half-imported. Due dates are computed from the case's policy and the working-day calendar
exactly as the services store them.

The bulk helpers at the end (:func:`insert_rows`,
:func:`begin_bulk`, :func:`reset_sequences`, :func:`max_ids`) are shared with the demo builder.
Building SQLModel objects for tens of thousands of rows is several times slower than plain
Core rows (DESIGN section 4), so bulk work never goes through the ORM session.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, Table, bindparam, func, insert, select, text
from sqlalchemy import types as sa_types

from caseworker.rules.deadlines import next_due, stage_due_dates  # noqa: F401  (re-exported for the demo builder)
from caseworker.rules.facts import LIVE_STATUSES, Decision, Role, Status

#: The tracker's columns, as named in the header (case-insensitive; spaces, underscores and
#: hyphens are the same). Only ``resident`` and ``received`` are required.
COLUMNS = (
    "reference", "resident", "address", "email", "phone", "received", "channel", "service area", "category",
    "stage", "stage 1 officer", "acknowledged", "stage 1 response", "stage 2 requested", "stage 2 officer",
    "stage 2 acknowledged", "stage 2 response", "outcome",
)
REQUIRED_COLUMNS = ("resident", "received")
DATE_COLUMNS = (
    "received", "acknowledged", "stage 1 response", "stage 2 requested", "stage 2 acknowledged", "stage 2 response",
)

#: Outcome words accepted in the ``outcome`` column, to the decision (or withdrawal) they mean.
OUTCOMES = {
    "upheld": Decision.UPHELD.value,
    "partly upheld": Decision.PARTLY_UPHELD.value,
    "partially upheld": Decision.PARTLY_UPHELD.value,
    "part upheld": Decision.PARTLY_UPHELD.value,
    "not upheld": Decision.NOT_UPHELD.value,
    "withdrawn": "withdrawn",
}

_ALIASES = {
    "ref": "reference", "case reference": "reference", "name": "resident", "resident name": "resident",
    "date received": "received", "received date": "received", "service": "service area",
    "stage1 officer": "stage 1 officer", "officer": "stage 1 officer", "stage 1 acknowledged": "acknowledged",
    "stage1 response": "stage 1 response", "stage 1 responded": "stage 1 response",
    "stage2 requested": "stage 2 requested", "stage2 officer": "stage 2 officer",
    "stage2 acknowledged": "stage 2 acknowledged", "stage2 response": "stage 2 response",
    "stage 2 responded": "stage 2 response", "decision": "outcome",
}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_STAGE = re.compile(r"^(?:stage\s*)?([0-9]+)$")


class TrackerProblems(Exception):
    """The tracker cannot be imported; ``problems`` lists every one (nothing was stored)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s): " + "; ".join(str(p) for p in self.problems[:3]))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (line, field) and what."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TrackerRow:
    """One valid tracker row, with dates parsed and the stage worked out."""

    line: int
    reference: str  # "" when the tracker gave none: one is made on import
    resident: str
    address: str
    email: str
    phone: str
    received: date
    channel: str
    service_area: str
    category: str
    stage: int
    officer1: str
    acknowledged: date | None
    responded1: date | None
    requested2: date | None
    officer2: str
    acknowledged2: date | None
    responded2: date | None
    outcome: str  # a Decision value, "withdrawn" or ""


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


# -- parsing and validation --------------------------------------------------------------


def _key(header: str) -> str:
    words = re.sub(r"[\s_\-]+", " ", header.strip().lower()).strip()
    words = re.sub(r"\bstage(\d)", r"stage \1", words)
    return _ALIASES.get(words, words)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel on Windows saves "ANSI" CSV


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_date(raw: str) -> date:
    """``2025-12-19`` or ``19/12/2025`` (day first, as UK spreadsheets write it).

    Raises:
        ValueError: with a message saying what is wrong (not a date, or an impossible one).
    """
    text_ = raw.strip()
    m = _ISO.match(text_)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _UK.match(text_)
        if not m:
            raise ValueError(f"{raw!r} is not a date (use 2025-12-19 or 19/12/2025)")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"{raw!r} is not a real date (there is no day {d} in month {mo} of {y})") from None


def parse_tracker(path: str | Path, today: date | None = None) -> tuple[list[TrackerRow], list[Problem]]:
    """Read and check a tracker CSV without touching any database.

    Every row is checked and every problem reported (line number and column): impossible
    dates, a missing resident or received date, an unknown stage or outcome, the same
    officer at both stages (6.13), an acknowledgement before receipt, a response before
    its acknowledgement, an escalation before the Stage 1 response, dates after ``today``
    and a reference used twice in the file. References already in the database are
    checked by :func:`import_rows`.

    Returns:
        The valid rows and the problems; import only when there are no problems.
    """
    path = Path(path)
    today = today or date.today()
    problems: list[Problem] = []
    try:
        content = _read_text(path)
    except OSError as exc:
        return [], [Problem(0, "", f"cannot read {path}: {exc.strerror or exc}")]
    lines = content.splitlines()
    if not lines or not lines[0].strip():
        return [], [Problem(1, "", "the file is empty: the first line must name the columns")]
    reader = csv.reader(content.splitlines(keepends=True), delimiter=_delimiter(lines[0]))
    header = next(reader)
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _key(name)
        if key in COLUMNS and key not in index:
            index[key] = i
        elif key in COLUMNS:
            problems.append(Problem(1, name.strip(), f"column {key!r} appears twice"))
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    for c in missing:
        problems.append(Problem(1, c, f"no {c!r} column in the header (columns found: {', '.join(h.strip() for h in header)})"))
    if missing:
        return [], problems

    columns = list(index.items())
    blank = dict.fromkeys(COLUMNS, "")
    date_cache: dict[str, date | str] = {}
    rows: list[TrackerRow] = []
    seen: dict[str, int] = {}
    line = 1
    for record in reader:
        start = line + 1
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        cells = len(record)
        get = dict(blank)
        for column, i in columns:
            if i < cells:
                get[column] = record[i].strip()
        row_problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            row_problems.append(Problem(start, column, message))  # noqa: B023

        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            bad("", f"{len(record)} cells but the header names {len(header)} columns (a comma inside an unquoted value?)")
        dates: dict[str, date | None] = {}
        for column in DATE_COLUMNS:
            raw = get[column]
            if not raw:
                dates[column] = None
                continue
            parsed = date_cache.get(raw)
            if parsed is None:
                try:
                    parsed = parse_date(raw)
                except ValueError as exc:
                    parsed = str(exc)
                date_cache[raw] = parsed
            if isinstance(parsed, str):
                bad(column, parsed)
                dates[column] = None
            elif parsed > today:
                bad(column, f"{raw} is in the future (today is {today:%d/%m/%Y})")
                dates[column] = None
            else:
                dates[column] = parsed

        reference = get["reference"]
        if reference:
            folded = reference.casefold()
            if folded in seen:
                bad("reference", f"{reference} is used twice in the file (first on line {seen[folded]})")
            else:
                seen[folded] = start
        resident = get["resident"]
        if not resident:
            bad("resident", "missing: every case needs the resident's name")
        received = dates["received"]
        if not get["received"]:
            bad("received", "missing: the date the complaint was received")

        ack1, resp1 = dates["acknowledged"], dates["stage 1 response"]
        req2, ack2, resp2 = dates["stage 2 requested"], dates["stage 2 acknowledged"], dates["stage 2 response"]
        officer1, officer2 = get["stage 1 officer"], get["stage 2 officer"]
        stage2_given = any(get[c] for c in ("stage 2 requested", "stage 2 officer", "stage 2 acknowledged", "stage 2 response"))

        raw_stage = get["stage"]
        stage = 2 if stage2_given else 1
        if raw_stage:
            m = _STAGE.match(raw_stage.lower())
            if not m or m.group(1) not in ("1", "2"):
                bad("stage", f"unknown stage {raw_stage!r}: there are only two stages, 1 and 2 (Code 5.2, 5.3)")
            else:
                stage = int(m.group(1))
                if stage == 1 and stage2_given:
                    bad("stage", "says Stage 1 but Stage 2 columns are filled in")
        if stage == 2 and not get["stage 2 requested"]:
            bad("stage 2 requested", "missing: a Stage 2 case needs the date the resident asked to escalate")

        outcome_raw = get["outcome"]
        outcome = ""
        if outcome_raw:
            outcome = OUTCOMES.get(re.sub(r"[\s_\-]+", " ", outcome_raw.lower()).strip(), "")
            if not outcome:
                bad("outcome", f"unknown outcome {outcome_raw!r} (use upheld, partly upheld, not upheld or withdrawn)")

        if received and ack1 and ack1 < received:
            bad("acknowledged", f"{ack1:%d/%m/%Y} is before the date received ({received:%d/%m/%Y})")
        if resp1 and not get["acknowledged"]:
            bad("stage 1 response", "given without the acknowledgement date (a complaint is acknowledged before it is answered, 6.2)")
        if resp1 and ack1 and resp1 < ack1:
            bad("stage 1 response", f"{resp1:%d/%m/%Y} is before the acknowledgement ({ack1:%d/%m/%Y})")
        if resp1 and received and not ack1 and resp1 < received:
            bad("stage 1 response", f"{resp1:%d/%m/%Y} is before the date received ({received:%d/%m/%Y})")
        if get["stage 2 requested"] and not get["stage 1 response"]:
            bad("stage 2 requested", "given without the Stage 1 response date: Stage 2 follows the Stage 1 response (6.10)")
        if req2 and resp1 and req2 < resp1:
            bad("stage 2 requested", f"{req2:%d/%m/%Y} is before the Stage 1 response ({resp1:%d/%m/%Y})")
        if ack2 and req2 and ack2 < req2:
            bad("stage 2 acknowledged", f"{ack2:%d/%m/%Y} is before the escalation request ({req2:%d/%m/%Y})")
        if get["stage 2 acknowledged"] and not officer2:
            bad("stage 2 officer", "missing: a Stage 2 officer is assigned before the escalation is acknowledged (6.13)")
        if resp2 and not get["stage 2 acknowledged"]:
            bad("stage 2 response", "given without the Stage 2 acknowledgement date (6.11)")
        if resp2 and ack2 and resp2 < ack2:
            bad("stage 2 response", f"{resp2:%d/%m/%Y} is before the Stage 2 acknowledgement ({ack2:%d/%m/%Y})")
        if officer1 and officer2 and _same_person(officer1, officer2):
            bad("stage 2 officer", f"{officer2} also handled Stage 1: the Stage 2 officer must be someone else (Code 6.13)")
        current_response_given = get["stage 2 response"] if stage == 2 else get["stage 1 response"]
        if outcome and outcome != "withdrawn" and not current_response_given:
            bad("outcome", f"{outcome_raw!r} given but there is no Stage {stage} response date")
        if outcome == "withdrawn" and current_response_given:
            bad("outcome", f"withdrawn, but the Stage {stage} response was already sent")

        if row_problems:
            problems.extend(row_problems)
            continue
        assert received is not None
        rows.append(TrackerRow(
            line=start, reference=reference, resident=resident, address=get["address"], email=get["email"],
            phone=get["phone"], received=received, channel=get["channel"], service_area=get["service area"],
            category=get["category"], stage=stage, officer1=officer1, acknowledged=ack1, responded1=resp1, requested2=req2, officer2=officer2, acknowledged2=ack2, responded2=resp2,
            outcome=outcome,
        ))
    if not rows and not problems:
        problems.append(Problem(2, "", "the file has a header but no rows"))
    return rows, problems


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


# -- import ------------------------------------------------------------------------------


def _status_of(row: TrackerRow) -> str:
    if row.outcome == "withdrawn":
        return Status.WITHDRAWN.value
    if row.stage == 2:
        ack, resp = row.acknowledged2, row.responded2
    else:
        ack, resp = row.acknowledged, row.responded1
    if resp:
        return Status.RESPONDED.value
    if ack:
        return Status.OPEN.value
    return Status.AWAITING_ACK.value


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


def import_rows(store, login: str, rows: Sequence[TrackerRow], *, source: str = "tracker") -> ImportSummary:
    """Store checked tracker rows: all of them in one transaction, or none.

    Unknown officers are created (as officers), residents are matched by name and address
    or created, and each case gets its stages with due dates from the policy and calendar
    and an "imported" audit event by ``login``. On a database with no officers yet,
    ``login`` becomes its administrator (as when the app is first opened).

    Raises:
        TrackerProblems: a reference is already in the database (each one listed); nothing stored.
    """
    started = time.perf_counter()
    from caseworker.store.models import AuditEvent, Case, Officer, Resident, Stage

    policy = store.policy()
    cal = store.calendar
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

            # Officers: by login or by name (case-insensitive); unknown ones are created.
            officers: dict[str, int] = {}
            taken: set[str] = set()
            any_officer = False
            for oid, o_login, o_name in conn.execute(select(officer_t.c.id, officer_t.c.login, officer_t.c.name)):
                any_officer = True
                officers[o_login.casefold()] = oid
                officers.setdefault(" ".join(o_name.casefold().split()), oid)
                taken.add(o_login)
            new_officers: list[dict] = []
            audits: list[dict] = []

            def add_officer(o_login: str, name: str, role: str) -> int:
                ids["officer"] += 1
                oid = ids["officer"]
                new_officers.append({"id": oid, "login": o_login, "name": name, "email": "", "role": role,
                                     "active": True, "created_at": now})
                taken.add(o_login)
                officers[o_login.casefold()] = oid
                officers.setdefault(" ".join(name.casefold().split()), oid)
                audits.append(_audit(ids, now, login, None, "officer added",
                                     f"{o_login} ({role}) added by the import of {source}"))
                return oid

            if not any_officer:
                add_officer(login, login, Role.ADMINISTRATOR.value)

            def officer_id(name: str) -> int | None:
                if not name:
                    return None
                found = officers.get(" ".join(name.casefold().split()))
                if found is None:
                    found = add_officer(_login_for(name, taken), name, Role.OFFICER.value)
                return found

            # Residents: by name and address.
            residents: dict[tuple[str, str], int] = {}
            for rid, r_name, r_address in conn.execute(select(resident_t.c.id, resident_t.c.name, resident_t.c.address)):
                residents.setdefault((" ".join(r_name.casefold().split()), " ".join((r_address or "").casefold().split())), rid)
            new_residents: list[dict] = []
            cases: list[dict] = []
            stages: list[dict] = []
            statuses: dict[str, int] = {}
            used_refs: set[str] = set()
            clashes: list[Problem] = []
            for row in rows:
                rkey = (" ".join(row.resident.casefold().split()), " ".join(row.address.casefold().split()))
                rid = residents.get(rkey)
                if rid is None:
                    ids["resident"] += 1
                    rid = residents[rkey] = ids["resident"]
                    new_residents.append({
                        "id": rid, "name": row.resident, "address": row.address, "email": row.email, "phone": row.phone,
                        "preferred_channel": "", "vulnerable": False, "vulnerability_notes": "", "created_at": now,
                    })
                o1, o2 = officer_id(row.officer1), officer_id(row.officer2)
                if o1 is not None and o1 == o2:
                    clashes.append(Problem(row.line, "stage 2 officer",
                                           f"{row.officer2} is the Stage 1 officer ({row.officer1}): the Stage 2 "
                                           "officer must be someone else (Code 6.13)"))
                ids["complaint_case"] += 1
                cid = ids["complaint_case"]
                reference = row.reference or _free_reference(cid, used_refs)
                used_refs.add(reference.casefold())
                status = _status_of(row)
                statuses[status] = statuses.get(status, 0) + 1
                s1_ack, s1_resp = stage_due_dates(policy, cal, 1, row.received, row.received, row.acknowledged, 0)
                stage_rows = [_stage_row(ids, cid, 1, o1, row.received, row.acknowledged, row.responded1, s1_ack, s1_resp,
                                         row.outcome if row.stage == 1 else "")]
                current_due = (s1_ack, s1_resp)
                if row.stage == 2:
                    s2_ack, s2_resp = stage_due_dates(policy, cal, 2, row.received, row.requested2, row.acknowledged2, 0)
                    stage_rows.append(_stage_row(ids, cid, 2, o2, row.requested2, row.acknowledged2, row.responded2,
                                                 s2_ack, s2_resp, row.outcome))
                    current_due = (s2_ack, s2_resp)
                due, kind = next_due(status, *current_due)
                summary = f"Imported from {source} (line {row.line})"
                if row.category or row.service_area:
                    summary = f"{row.service_area or 'Complaint'}: {row.category or 'not recorded'}. {summary}"
                cases.append({
                    "id": cid, "reference": reference, "case_type": "complaint", "resident_id": rid,
                    "representative_id": None, "channel": row.channel or "not recorded",
                    "service_area": row.service_area, "category": row.category, "summary": summary,
                    "received": row.received, "issue_date": None, "discretion_reason": "", "policy_key": policy.key,
                    "stage": row.stage, "status": status, "closed": status not in _LIVE,
                    "officer_id": o2 if row.stage == 2 else o1, "next_due": due, "next_due_kind": kind,
                    "related_case_id": None, "service_request_id": None, "version": 1,
                    "created_at": now, "updated_at": now, "updated_by": login,
                })
                stages.extend(stage_rows)
                audits.append(_audit(ids, now, login, cid, "imported",
                                     f"imported from {source} line {row.line}: Stage {row.stage}, {status}"))
            if clashes:
                raise TrackerProblems(clashes)
            insert_rows(conn, officer_t, new_officers)
            insert_rows(conn, resident_t, new_residents)
            insert_rows(conn, case_t, cases)
            insert_rows(conn, stage_t, stages)
            insert_rows(conn, audit_t, audits)
            reset_sequences(conn, [officer_t, resident_t, case_t, stage_t, audit_t])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return ImportSummary(
        cases=len(cases), residents_created=len(new_residents),
        officers_created=tuple(o["login"] for o in new_officers), seconds=time.perf_counter() - started,
        statuses=statuses,
    )


_LIVE = frozenset(s.value for s in LIVE_STATUSES)


def _free_reference(cid: int, used: set[str]) -> str:
    ref, n = f"IMP-{cid:06d}", 1
    while ref.casefold() in used:
        n += 1
        ref = f"IMP-{cid:06d}-{n}"
    return ref


def _stage_row(ids, cid, number, officer_id, requested, acknowledged, responded, ack_due, response_due, outcome) -> dict:
    ids["stage"] += 1
    decision = outcome if outcome and outcome != "withdrawn" and responded else ""
    return {
        "id": ids["stage"], "case_id": cid, "number": number, "officer_id": officer_id, "requested": requested,
        "request_reason": "", "acknowledged": acknowledged, "responded": responded, "ack_due": ack_due,
        "response_due": response_due, "issues": "", "outcomes": "", "responsible": "", "not_responsible": "",
        "decision": decision, "reasons": "", "no_remedy": False, "no_actions": False,
    }


def _audit(ids, at: datetime, actor: str, case_id: int | None, action: str, detail: str) -> dict:
    ids["audit_event"] += 1
    return {"id": ids["audit_event"], "at": at, "actor": actor, "case_id": case_id, "action": action,
            "detail": detail, "before": "", "after": ""}


def _existing_references(conn: Connection, case_t: Table, rows: Sequence[TrackerRow]) -> list[TrackerRow]:
    wanted = {r.reference: r for r in rows if r.reference}
    found: list[TrackerRow] = []
    keys = list(wanted)
    for i in range(0, len(keys), 500):  # exact matches, so the unique index on reference is used
        chunk = keys[i:i + 500]
        for (ref,) in conn.execute(select(case_t.c.reference).where(case_t.c.reference.in_(chunk))):
            found.append(wanted[ref])
    return sorted(found, key=lambda r: r.line)


# -- bulk helpers shared with the demo builder -------------------------------------------


def begin_bulk(conn: Connection, tables: Iterable[Table]) -> None:
    """Start the bulk transaction holding the write lock, so ids read next stay free until commit.

    SQLite: ``BEGIN IMMEDIATE`` (the database's write lock). PostgreSQL: the tables locked
    against other writers (readers carry on).
    """
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def max_ids(conn: Connection, tables: Iterable[Table]) -> dict[str, int]:
    """The largest id in each table (0 when empty), keyed by table name."""
    return {t.name: conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one() for t in tables}


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict], chunk: int = 20_000) -> None:
    """Executemany inserts of plain dicts (every dict with every column of ``table``).

    On PostgreSQL with psycopg 3 the rows go in with COPY; on other servers this is
    ``insert(table)`` executed with the list of dicts, which SQLAlchemy batches into
    multi-row statements. On SQLite the same compiled
    ``insert(table)`` goes to the driver's executemany with the values already in the form
    SQLAlchemy stores them (ISO dates; UTC datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff``):
    SQLAlchemy's per-value bind processing costs about twice the insert itself, and this
    path is what keeps the demo and tracker imports within their budgets (DESIGN section 4).
    The dicts are converted in place.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy_rows(conn, table, rows)
        return
    if conn.dialect.name != "sqlite":
        for i in range(0, len(rows), chunk):
            conn.execute(insert(table), list(rows[i:i + chunk]))
        return
    sql, dates, datetimes = _sqlite_insert(conn, table)
    for row in rows:
        for key in dates:
            value = row[key]
            if value is not None:
                row[key] = value.isoformat()
        for key in datetimes:
            value = row[key]
            if value is not None:
                row[key] = _sqlite_datetime(value)
    for i in range(0, len(rows), chunk):
        conn.exec_driver_sql(sql, rows[i:i + chunk] if isinstance(rows, list) else list(rows[i:i + chunk]))


def _copy_rows(conn: Connection, table: Table, rows: Sequence[dict]) -> None:
    """PostgreSQL with psycopg 3: ``COPY ... FROM STDIN`` on the connection's own transaction.

    Several times faster than multi-row INSERTs; psycopg adapts dates, aware datetimes and
    booleans itself.
    """
    names = [c.name for c in table.columns]
    prep = conn.dialect.identifier_preparer
    columns = ", ".join(prep.quote(n) for n in names)
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {prep.format_table(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
    finally:
        cursor.close()


_SQLITE_INSERTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}


def _sqlite_insert(conn: Connection, table: Table) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The compiled named-parameter INSERT for ``table`` and its date and datetime columns."""
    cached = _SQLITE_INSERTS.get(table.name)
    if cached is None:
        stmt = insert(table).values({c.name: bindparam(c.name) for c in table.columns})
        sql = str(stmt.compile(dialect=type(conn.dialect)(paramstyle="named")))
        dates = tuple(c.name for c in table.columns if isinstance(c.type, sa_types.Date) and not isinstance(c.type, sa_types.DateTime))
        datetimes = tuple(c.name for c in table.columns if isinstance(c.type, sa_types.DateTime)
                          or isinstance(getattr(c.type, "impl", None), sa_types.DateTime))
        cached = _SQLITE_INSERTS[table.name] = (sql, dates, datetimes)
    return cached


_DATETIME_TEXT: dict[datetime, str] = {}


def _sqlite_datetime(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite dialect stores it (UTC, no offset, microseconds)."""
    text_ = _DATETIME_TEXT.get(value)
    if text_ is None:
        plain = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
        text_ = plain.isoformat(" ")
        if not plain.microsecond:
            text_ += ".000000"
        if len(_DATETIME_TEXT) > 200_000:
            _DATETIME_TEXT.clear()
        _DATETIME_TEXT[value] = text_
    return text_


def reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        name = conn.dialect.identifier_preparer.format_table(t)
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE((SELECT MAX(id) FROM {name}), 1), "
            f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"
        ), {"table": t.name})

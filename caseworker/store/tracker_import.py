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

Speed (DESIGN section 4: at least 20,000 rows a second, parse to commit): rows are plain
tuples, work that rows share is done once per distinct value (a date cell's text, a name,
an officer, the due dates for a pair of dates), constant columns are written once into
the INSERT, and the cyclic garbage collector waits until the rows are built and stored.
"""

from __future__ import annotations

import csv
import gc
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from operator import itemgetter
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
    with _gc_paused():
        return _parse_tracker(Path(path), today or date.today())


def _parse_tracker(path: Path, today: date) -> tuple[list[TrackerRow], list[Problem]]:
    problems: list[Problem] = []
    try:
        content = _read_text(path)
    except OSError as exc:
        return [], [Problem(0, "", f"cannot read {path}: {exc.strerror or exc}")]
    lines = content.splitlines(keepends=True)
    first = lines[0].splitlines()[0] if lines else ""
    if not first.strip():
        return [], [Problem(1, "", "the file is empty: the first line must name the columns")]
    reader = csv.reader(lines, delimiter=_delimiter(first))
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

    # Every row's cells in COLUMNS order, in one C-level call: a blank is added to each record
    # (more when it is short), and a column the file lacks reads that last blank (index -1).
    positions = [index.get(column, -1) for column in COLUMNS]
    last = max(positions)
    pad = [""] * (last + 1)
    pick = itemgetter(*positions)
    width = len(header)
    strip = str.strip
    # Each distinct cell text is parsed once: a date (or None for a blank), or the problem's message.
    dates = _DateCells(today)
    stages: dict[str, int] = {}  # stage cell -> 1 or 2, or 0 when it is not a stage
    outcomes: dict[str, str] = {}  # outcome cell -> a Decision value, "withdrawn" or "" when unknown
    new_row = object.__new__
    rows: list[TrackerRow] = []
    seen: dict[str, int] = {}
    bad = problems.append
    line = 1
    for record in reader:
        start = line + 1
        line = reader.line_num
        if not "".join(record).strip():
            continue  # a blank row
        cells = len(record)
        found = len(problems)  # the row is good when this is still the number of problems after the checks
        if cells > width and any(cell.strip() for cell in record[width:]):
            bad(Problem(start, "", f"{cells} cells but the header names {width} columns (a comma inside an unquoted value?)"))
        record.append("")
        if cells <= last:
            record += pad
        (reference, resident, address, email, phone, received_raw, channel, service_area, category, raw_stage,
         officer1, ack_raw, resp1_raw, req2_raw, officer2, ack2_raw, resp2_raw, outcome_raw) = map(strip, pick(record))
        received, ack1, resp1 = dates[received_raw], dates[ack_raw], dates[resp1_raw]
        req2, ack2, resp2 = dates[req2_raw], dates[ack2_raw], dates[resp2_raw]
        if str in (received.__class__, ack1.__class__, resp1.__class__, req2.__class__, ack2.__class__, resp2.__class__):
            checked = []
            for column, value in zip(DATE_COLUMNS, (received, ack1, resp1, req2, ack2, resp2)):
                if value.__class__ is str:
                    bad(Problem(start, column, value))
                    value = None
                checked.append(value)
            received, ack1, resp1, req2, ack2, resp2 = checked

        if reference:
            folded = reference.casefold()
            if folded in seen:
                bad(Problem(start, "reference", f"{reference} is used twice in the file (first on line {seen[folded]})"))
            else:
                seen[folded] = start
        if not resident:
            bad(Problem(start, "resident", "missing: every case needs the resident's name"))
        if not received_raw:
            bad(Problem(start, "received", "missing: the date the complaint was received"))

        stage2_given = bool(req2_raw or officer2 or ack2_raw or resp2_raw)
        stage = 2 if stage2_given else 1
        if raw_stage:
            given = stages.get(raw_stage)
            if given is None:
                m = _STAGE.match(raw_stage.lower())
                given = stages[raw_stage] = int(m.group(1)) if m and m.group(1) in ("1", "2") else 0
            if not given:
                bad(Problem(start, "stage", f"unknown stage {raw_stage!r}: there are only two stages, 1 and 2 (Code 5.2, 5.3)"))
            else:
                stage = given
                if stage == 1 and stage2_given:
                    bad(Problem(start, "stage", "says Stage 1 but Stage 2 columns are filled in"))
        if stage == 2 and not req2_raw:
            bad(Problem(start, "stage 2 requested", "missing: a Stage 2 case needs the date the resident asked to escalate"))

        outcome = ""
        if outcome_raw:
            outcome = outcomes.get(outcome_raw)
            if outcome is None:
                outcome = outcomes[outcome_raw] = OUTCOMES.get(re.sub(r"[\s_\-]+", " ", outcome_raw.lower()).strip(), "")
            if not outcome:
                bad(Problem(start, "outcome", f"unknown outcome {outcome_raw!r} (use upheld, partly upheld, not upheld or withdrawn)"))

        if received and ack1 and ack1 < received:
            bad(Problem(start, "acknowledged", f"{ack1:%d/%m/%Y} is before the date received ({received:%d/%m/%Y})"))
        if resp1 and not ack_raw:
            bad(Problem(start, "stage 1 response", "given without the acknowledgement date (a complaint is acknowledged before it is answered, 6.2)"))
        if resp1 and ack1 and resp1 < ack1:
            bad(Problem(start, "stage 1 response", f"{resp1:%d/%m/%Y} is before the acknowledgement ({ack1:%d/%m/%Y})"))
        if resp1 and received and not ack1 and resp1 < received:
            bad(Problem(start, "stage 1 response", f"{resp1:%d/%m/%Y} is before the date received ({received:%d/%m/%Y})"))
        if req2_raw and not resp1_raw:
            bad(Problem(start, "stage 2 requested", "given without the Stage 1 response date: Stage 2 follows the Stage 1 response (6.10)"))
        if req2 and resp1 and req2 < resp1:
            bad(Problem(start, "stage 2 requested", f"{req2:%d/%m/%Y} is before the Stage 1 response ({resp1:%d/%m/%Y})"))
        if ack2 and req2 and ack2 < req2:
            bad(Problem(start, "stage 2 acknowledged", f"{ack2:%d/%m/%Y} is before the escalation request ({req2:%d/%m/%Y})"))
        if ack2_raw and not officer2:
            bad(Problem(start, "stage 2 officer", "missing: a Stage 2 officer is assigned before the escalation is acknowledged (6.13)"))
        if resp2 and not ack2_raw:
            bad(Problem(start, "stage 2 response", "given without the Stage 2 acknowledgement date (6.11)"))
        if resp2 and ack2 and resp2 < ack2:
            bad(Problem(start, "stage 2 response", f"{resp2:%d/%m/%Y} is before the Stage 2 acknowledgement ({ack2:%d/%m/%Y})"))
        if officer1 and officer2 and _same_person(officer1, officer2):
            bad(Problem(start, "stage 2 officer", f"{officer2} also handled Stage 1: the Stage 2 officer must be someone else (Code 6.13)"))
        if outcome:
            current_response_given = resp2_raw if stage == 2 else resp1_raw
            if outcome == "withdrawn":
                if current_response_given:
                    bad(Problem(start, "outcome", f"withdrawn, but the Stage {stage} response was already sent"))
            elif not current_response_given:
                bad(Problem(start, "outcome", f"{outcome_raw!r} given but there is no Stage {stage} response date"))

        if len(problems) != found:
            continue
        assert received is not None
        # TrackerRow(...) without the frozen dataclass's object.__setattr__ per field (about
        # 25 ms of 20,000 rows): the same fields, so the same object.
        row = new_row(TrackerRow)
        row.__dict__.update(
            line=start, reference=reference, resident=resident, address=address, email=email, phone=phone,
            received=received, channel=channel, service_area=service_area, category=category, stage=stage,
            officer1=officer1, acknowledged=ack1, responded1=resp1, requested2=req2, officer2=officer2,
            acknowledged2=ack2, responded2=resp2, outcome=outcome,
        )
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem(2, "", "the file has a header but no rows"))
    return rows, problems


class _DateCells(dict):
    """Date cell text -> the date, None for a blank cell, or the problem's message (a str):
    each distinct text is parsed once per file (trackers repeat the same dates many times)."""

    def __init__(self, today: date) -> None:
        super().__init__({"": None})
        self.today = today

    def __missing__(self, raw: str) -> date | str:
        try:
            value: date | str = parse_date(raw)
        except ValueError as exc:
            value = str(exc)
        else:
            if value > self.today:
                value = f"{raw} is in the future (today is {self.today:%d/%m/%Y})"
        self[raw] = value
        return value


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


# -- import ------------------------------------------------------------------------------

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
#: column has one value for the whole import (given to :func:`_insert_tuples` separately).
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
    with _gc_paused():
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
            at = _sqlite_datetime(now) if sqlite else now
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
            _insert_tuples(conn, resident_t, _RESIDENT_COLUMNS, new_residents, {
                "preferred_channel": "", "vulnerable": False, "vulnerability_notes": "", "created_at": at})
            _insert_tuples(conn, case_t, _CASE_COLUMNS, cases, {
                "case_type": "complaint", "representative_id": None, "issue_date": None, "discretion_reason": "",
                "policy_key": policy.key, "related_case_id": None, "service_request_id": None, "version": 1,
                "created_at": at, "updated_at": at, "updated_by": login})
            _insert_tuples(conn, stage_t, _STAGE_COLUMNS, stages, {
                "request_reason": "", "issues": "", "outcomes": "", "responsible": "", "not_responsible": "",
                "reasons": "", "no_remedy": False, "no_actions": False})
            _insert_tuples(conn, audit_t, _AUDIT_COLUMNS, audits, {"at": at, "actor": login, "before": "", "after": ""})
            reset_sequences(conn, [officer_t, resident_t, case_t, stage_t, audit_t])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return ImportSummary(
        cases=len(cases), residents_created=len(new_residents),
        officers_created=tuple(o["login"] for o in new_officers), seconds=0.0, statuses=statuses,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while tens of thousands of rows are built.

    The rows hold no reference cycles, but allocating that many containers triggers
    collections, and each full one walks every object in the process: about 0.1 s of an
    import of 20,000 rows. Reference counting frees memory as usual meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def _fill_defaults(table: Table, rows: Sequence[dict]) -> None:
    """Give columns the writer leaves out (e.g. a new record's ``version``) their model default."""
    first = rows[0]
    fill = {c.name: c.default.arg for c in table.columns
            if c.name not in first and c.default is not None and c.default.is_scalar}
    fill.update({c.name: None for c in table.columns if c.name not in first and c.name not in fill and c.nullable})
    if fill:
        for row in rows:
            for key, value in fill.items():
                row.setdefault(key, value)


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
    _fill_defaults(table, rows)
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


def _insert_tuples(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple],
                   fixed: dict[str, object]) -> None:
    """Insert rows given as tuples of ``columns``, with ``fixed`` giving every other column of
    ``table`` one value for all of them. Values are as stored (on SQLite, dates and datetimes
    already text, as :func:`insert_rows` makes them).

    SQLite: one positional INSERT through the driver's executemany (binding tuples is cheaper
    than looking up named parameters in dicts), with the fixed values written into the
    statement as literals when they are NULL, booleans, integers or text (stored exactly as
    if bound) and bound with every row otherwise. PostgreSQL with psycopg 3: COPY. Others:
    SQLAlchemy ``insert(table)`` with dicts.
    """
    if not rows:
        return
    if sorted((*columns, *fixed)) != sorted(c.name for c in table.columns):
        raise ValueError(f"{table.name}: {columns} and {tuple(fixed)} are not the table's columns")
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        tail = tuple(fixed.values())
        _copy_tuples(conn, table, (*columns, *fixed), [row + tail for row in rows])
        return
    if dialect.name != "sqlite":
        for i in range(0, len(rows), 20_000):
            conn.execute(insert(table), [{**dict(zip(columns, row)), **fixed} for row in rows[i:i + 20_000]])
        return
    literals = {name: _sqlite_literal(value) for name, value in fixed.items()}
    bound = tuple(name for name, literal in literals.items() if literal is None)
    if bound:
        tail = tuple(fixed[name] for name in bound)
        rows = [row + tail for row in rows]
    prep = dialect.identifier_preparer
    names = (*columns, *bound, *(name for name in fixed if name not in bound))
    values = ["?"] * (len(columns) + len(bound)) + [literals[name] for name in fixed if name not in bound]
    conn.exec_driver_sql(f"INSERT INTO {prep.format_table(table)} ({', '.join(prep.quote(n) for n in names)}) "
                         f"VALUES ({', '.join(values)})", rows)


def _sqlite_literal(value: object) -> str | None:
    """``value`` as a SQLite literal that stores exactly what binding it would; None when there is none."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "1" if value else "0"  # the driver binds booleans as the integers 1 and 0
    if type(value) is int:
        return str(value)
    if type(value) is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _copy_tuples(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """PostgreSQL with psycopg 3: ``COPY ... FROM STDIN`` of tuples on the connection's own transaction."""
    prep = conn.dialect.identifier_preparer
    names = ", ".join(prep.quote(c) for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {prep.format_table(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
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

"""Checking a tracker: every row read, every problem found (line and column), nothing stored."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path

from caseworker.store.bulk import gc_paused
from caseworker.store.tracker_import.mapping import (
    COLUMNS,
    DATE_COLUMNS,
    OUTCOMES,
    REQUIRED_COLUMNS,
    column_key,
)
from caseworker.store.tracker_import.reading import delimiter, parse_date, read_text

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
    with gc_paused():
        return _parse_tracker(Path(path), today or date.today())


def _parse_tracker(path: Path, today: date) -> tuple[list[TrackerRow], list[Problem]]:
    problems: list[Problem] = []
    try:
        content = read_text(path)
    except OSError as exc:
        return [], [Problem(0, "", f"cannot read {path}: {exc.strerror or exc}")]
    lines = content.splitlines(keepends=True)
    first = lines[0].splitlines()[0] if lines else ""
    if not first.strip():
        return [], [Problem(1, "", "the file is empty: the first line must name the columns")]
    reader = csv.reader(lines, delimiter=delimiter(first))
    header = next(reader)
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = column_key(name)
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

"""Checking a tracker: every row read, every problem found (line and column), nothing stored.

:func:`check_tracker` streams the file once: each row is checked and, when good, kept as a
compact :class:`TrackerRow`; past the first 25,000 good rows they are spilled to a temporary
file in batches, so a 200,000-row tracker is never held in memory. :meth:`TrackerCheck.rows` reads them back for the writer.
"""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import IO, NamedTuple, Self

from caseworker import inert
from caseworker.store.bulk import gc_paused
from caseworker.store.tracker_import.mapping import (
    CASE_TYPES,
    COLUMNS,
    DATE_COLUMNS,
    OUTCOMES,
    ColumnMapping,
    fold,
    map_columns,
)
from caseworker.store.tracker_import.reading import (
    UnreadableFile,
    open_sheet,
    parse_date,
)

_STAGE = re.compile(r"^(?:stage\s*)?([0-9]+)$")
_DAYS = re.compile(r"^(\d{1,3})(?:\s*(?:working\s*)?(?:days?|wd))?$")
#: Good rows kept in memory before they are spilled to the temporary file.
_BATCH = 5000
#: Good rows held in memory before the first spill: a tracker of up to this many rows is never
#: written out and read back (about a tenth of a 20,000-row import's time), and what it holds,
#: ~25 MiB, is well inside the import's memory budget (DESIGN section 4: under 200 MiB).
_HOLD = 25_000


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
        if not self.line:  # the whole file, or a whole column
            return f"column {self.field}: {self.message}" if self.field else self.message
        where = f"line {self.line}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class TrackerRow(NamedTuple):
    """One valid tracker row, with dates parsed and the stage worked out.

    Extensions are in working days; an ``extended due date`` column arrives as
    ``extension1_to`` and is turned into working days by the writer (which has the policy
    and calendar).
    """

    line: int
    reference: str  # "" when the tracker gave none: one is made on import
    case_type: str  # a CaseType value
    resident: str
    address: str
    email: str
    phone: str
    received: date
    channel: str
    service_area: str
    category: str
    description: str
    stage: int
    officer1: str
    acknowledged: date | None
    responded1: date | None
    extension1: int  # working days, 0 for none
    extension1_to: date | None
    extension1_reason: str
    extension1_told: date | None
    requested2: date | None
    officer2: str
    acknowledged2: date | None
    responded2: date | None
    extension2: int
    extension2_to: date | None
    extension2_reason: str
    extension2_told: date | None
    outcome: str  # a Decision value, "withdrawn" or ""
    logged: date | None = None  # when it was logged, if a date apart from received (3.2)


@dataclass
class TrackerCheck:
    """What checking a tracker found: the file's kind, its column mapping, the problems and the good rows."""

    path: Path
    kind: str
    mapping: ColumnMapping | None
    problems: list[Problem] = field(default_factory=list)
    #: Cells changed on the way in (control characters a letter cannot hold removed), to tell the officer.
    notices: list[Problem] = field(default_factory=list)
    good: int = 0
    rows_read: int = 0
    _spill: IO[bytes] | None = field(default=None, repr=False)
    _held: list[TrackerRow] = field(default_factory=list, repr=False)

    def rows(self) -> Iterator[TrackerRow]:
        """The good rows in file order (read back from the spill file: call once per import)."""
        if self._spill is not None:
            self._spill.seek(0)
            while True:
                try:
                    batch = pickle.load(self._spill)
                except EOFError:
                    break
                yield from batch
        yield from self._held

    def close(self) -> None:
        """Remove the temporary spill file."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        self._held = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def parse_tracker(
    path: str | Path, today: date | None = None, overrides: dict[str, str] | None = None
) -> tuple[list[TrackerRow], list[Problem]]:
    """Read and check a tracker without touching any database; the good rows as a list.

    Convenient for small files and tests; :func:`check_tracker` streams instead.

    Returns:
        The valid rows and the problems; import only when there are no problems.
    """
    with check_tracker(path, today, overrides) as check:
        return list(check.rows()), check.problems


def check_tracker(path: str | Path, today: date | None = None, overrides: dict[str, str] | None = None) -> TrackerCheck:
    """Read and check a tracker file (.xlsx or CSV) without touching any database.

    Every row is checked and every problem reported (line number and column): the file's
    kind or encoding when it cannot be read, impossible or month-first dates, a missing
    resident or received date, an unknown case type, stage or outcome, the same officer at
    both stages (6.13), an acknowledgement before receipt, a response before its
    acknowledgement, an escalation before the Stage 1 response, dates after ``today``, a
    bad extension and a reference used twice in the file. References already in the
    database are checked by the writer.

    Args:
        overrides: {folded header: field} from ``--map`` and a mapping file.

    Returns:
        A :class:`TrackerCheck` (close it, or use it in ``with``, to remove its spill file).
    """
    path = Path(path)
    today = today or date.today()
    try:
        sheet = open_sheet(path)
    except UnreadableFile as exc:
        return TrackerCheck(path, "unreadable", None, [Problem(0, "", str(exc))])
    with sheet, gc_paused():
        check = TrackerCheck(path, sheet.kind, map_columns(sheet.header, overrides))
        try:
            _check_rows(check, sheet, today)
        except UnreadableFile as exc:
            check.problems.append(Problem(0, "", str(exc)))
        except BaseException:
            check.close()
            raise
    return check


def _check_rows(check: TrackerCheck, sheet, today: date) -> None:
    problems = check.problems
    mapping = check.mapping
    assert mapping is not None
    for header, target in mapping.duplicates:
        problems.append(
            Problem(
                1,
                header,
                f"names the field {target!r} again (it is already column "
                f"{mapping.index[target] + 1}); map one of them elsewhere with --map",
            )
        )
    missing = mapping.missing()
    for c in missing:
        problems.append(
            Problem(
                1,
                c,
                f"no column holds the {c!r} field (columns found: "
                f'{", ".join(h.strip() for h in sheet.header)}); name it with --map "Header={c}"',
            )
        )
    if missing:
        return

    index = mapping.index
    positions = [index.get(column, -1) for column in COLUMNS]
    last = max(positions)
    pad = [""] * (last + 1)
    pick = itemgetter(*positions)
    width = len(sheet.header)
    strip = str.strip
    # Each distinct cell text is parsed once per column: a date (or None for a blank), or the problem's message.
    date_cells = {column: _DateCells(today) for column in DATE_COLUMNS}
    (d_received, d_ack1, d_resp1, d_ext1_to, d_ext1_told, d_req2, d_ack2, d_resp2, d_ext2_to, d_ext2_told, d_logged) = (
        date_cells[c] for c in DATE_COLUMNS
    )
    stages: dict[str, int] = {}  # stage cell -> 1 or 2, or 0 when it is not a stage
    outcomes: dict[str, str] = {}  # outcome cell -> a Decision value, "withdrawn" or "" when unknown
    types: dict[str, str] = {"": "complaint"}
    days: dict[str, int | None] = {"": 0}
    held = check._held
    seen: dict[str, int] = {}
    bad = problems.append
    make = TrackerRow._make
    rows_read = good = 0
    header = sheet.header
    notices = check.notices
    for start, record in sheet.rows:
        joined = "".join(record)
        if not joined.strip():
            continue  # a blank row
        if inert.needs_cleaning(joined):  # rare: characters a letter cannot hold (Word's U+001F, say)
            for i, cell in enumerate(record):
                if inert.needs_cleaning(cell):
                    record[i] = inert.clean(cell)
                    notices.append(
                        Problem(
                            start,
                            header[i] if i < len(header) else f"column {i + 1}",
                            "invisible control characters removed (they cannot appear in a letter)",
                        )
                    )
        rows_read += 1
        cells = len(record)
        found = len(problems)  # the row is good when this is still the number of problems after the checks
        if cells > width and any(cell.strip() for cell in record[width:]):
            bad(
                Problem(
                    start, "", f"{cells} cells but the header names {width} columns (a comma inside an unquoted value?)"
                )
            )
        record.append("")
        if cells <= last:
            record += pad
        (
            reference,
            type_raw,
            resident,
            address,
            email,
            phone,
            received_raw,
            channel,
            service_area,
            category,
            description,
            raw_stage,
            officer1,
            ack_raw,
            resp1_raw,
            ext1_raw,
            ext1_to_raw,
            ext1_reason,
            ext1_told_raw,
            req2_raw,
            officer2,
            ack2_raw,
            resp2_raw,
            ext2_raw,
            ext2_to_raw,
            ext2_reason,
            ext2_told_raw,
            outcome_raw,
            logged_raw,
        ) = map(strip, pick(record))
        received, ack1, resp1 = d_received[received_raw], d_ack1[ack_raw], d_resp1[resp1_raw]
        ext1_to, ext1_told = d_ext1_to[ext1_to_raw], d_ext1_told[ext1_told_raw]
        req2, ack2, resp2 = d_req2[req2_raw], d_ack2[ack2_raw], d_resp2[resp2_raw]
        ext2_to, ext2_told = d_ext2_to[ext2_to_raw], d_ext2_told[ext2_told_raw]
        logged = d_logged[logged_raw]
        if str in (
            received.__class__,
            ack1.__class__,
            resp1.__class__,
            req2.__class__,
            ack2.__class__,
            resp2.__class__,
            ext1_to.__class__,
            ext1_told.__class__,
            ext2_to.__class__,
            ext2_told.__class__,
            logged.__class__,
        ):
            values = [received, ack1, resp1, ext1_to, ext1_told, req2, ack2, resp2, ext2_to, ext2_told, logged]
            for i, (column, value) in enumerate(zip(DATE_COLUMNS, values, strict=True)):
                if value.__class__ is str:
                    bad(Problem(start, column, value))
                    values[i] = None
            received, ack1, resp1, ext1_to, ext1_told, req2, ack2, resp2, ext2_to, ext2_told, logged = values

        if reference:
            folded = reference.casefold()
            if folded in seen:
                bad(
                    Problem(start, "reference", f"{reference} is used twice in the file (first on line {seen[folded]})")
                )
            else:
                seen[folded] = start
        if not resident:
            bad(Problem(start, "resident", "missing: every case needs the resident's name"))
        if not received_raw:
            bad(Problem(start, "received", "missing: the date the complaint was received"))

        case_type = types.get(type_raw)
        if case_type is None:
            case_type = types[type_raw] = CASE_TYPES.get(fold(type_raw), "")
        if not case_type:
            bad(
                Problem(
                    start,
                    "case type",
                    f"unknown case type {type_raw!r} (use complaint, MP enquiry or councillor enquiry)",
                )
            )

        stage2_given = bool(req2_raw or officer2 or ack2_raw or resp2_raw or ext2_raw or ext2_to_raw)
        stage = 2 if stage2_given else 1
        if raw_stage:
            given = stages.get(raw_stage)
            if given is None:
                m = _STAGE.match(raw_stage.lower())
                given = stages[raw_stage] = int(m.group(1)) if m and m.group(1) in ("1", "2") else 0
            if not given:
                bad(
                    Problem(
                        start,
                        "stage",
                        f"unknown stage {raw_stage!r}: there are only two stages, 1 and 2 (Code 5.2, 5.3)",
                    )
                )
            else:
                stage = given
                if stage == 1 and stage2_given:
                    bad(Problem(start, "stage", "says Stage 1 but Stage 2 columns are filled in"))
        if stage == 2 and not req2_raw:
            bad(
                Problem(
                    start, "stage 2 requested", "missing: a Stage 2 case needs the date the resident asked to escalate"
                )
            )

        outcome = ""
        if outcome_raw:
            outcome = outcomes.get(outcome_raw)
            if outcome is None:
                outcome = outcomes[outcome_raw] = OUTCOMES.get(fold(outcome_raw), "")
            if not outcome:
                bad(
                    Problem(
                        start,
                        "outcome",
                        f"unknown outcome {outcome_raw!r} (use upheld, partly upheld, not upheld or withdrawn)",
                    )
                )

        ext1 = days.get(ext1_raw)
        if ext1 is None:
            ext1 = days[ext1_raw] = _days(ext1_raw)
        ext2 = days.get(ext2_raw)
        if ext2 is None:
            ext2 = days[ext2_raw] = _days(ext2_raw)
        if ext1 is None or ext1 < 0:
            bad(Problem(start, "extension", f"{ext1_raw!r} is not a number of working days (e.g. 10)"))
            ext1 = 0
        if ext2 is None or ext2 < 0:
            bad(Problem(start, "stage 2 extension", f"{ext2_raw!r} is not a number of working days (e.g. 10)"))
            ext2 = 0

        if received and ack1 and ack1 < received:
            bad(Problem(start, "acknowledged", f"{ack1:%d/%m/%Y} is before the date received ({received:%d/%m/%Y})"))
        # A response with no acknowledgement, a Stage 2 request with no Stage 2 acknowledgement and a
        # logged date apart from received are what happened on some cases: they are imported, and the
        # missing acknowledgement shows as missed (6.2, 6.11); every clock runs from received (3.2).
        if logged and received and logged < received:
            bad(
                Problem(
                    start,
                    "logged",
                    f"{logged:%d/%m/%Y} is before the date received ({received:%d/%m/%Y}): "
                    "received is when the resident first complained to anyone at the landlord (3.2)",
                )
            )
        if resp1 and ack1 and resp1 < ack1:
            bad(Problem(start, "stage 1 response", f"{resp1:%d/%m/%Y} is before the acknowledgement ({ack1:%d/%m/%Y})"))
        if resp1 and received and not ack1 and resp1 < received:
            bad(
                Problem(
                    start, "stage 1 response", f"{resp1:%d/%m/%Y} is before the date received ({received:%d/%m/%Y})"
                )
            )
        if req2_raw and not resp1_raw:
            bad(
                Problem(
                    start,
                    "stage 2 requested",
                    "given without the Stage 1 response date: Stage 2 follows the Stage 1 response (6.10)",
                )
            )
        if req2 and resp1 and req2 < resp1:
            bad(
                Problem(
                    start, "stage 2 requested", f"{req2:%d/%m/%Y} is before the Stage 1 response ({resp1:%d/%m/%Y})"
                )
            )
        if ack2 and req2 and ack2 < req2:
            bad(
                Problem(
                    start, "stage 2 acknowledged", f"{ack2:%d/%m/%Y} is before the escalation request ({req2:%d/%m/%Y})"
                )
            )
        if ack2_raw and not officer2:
            bad(
                Problem(
                    start,
                    "stage 2 officer",
                    "missing: a Stage 2 officer is assigned before the escalation is acknowledged (6.13)",
                )
            )
        if resp2 and req2 and not ack2 and resp2 < req2:
            bad(
                Problem(
                    start, "stage 2 response", f"{resp2:%d/%m/%Y} is before the escalation request ({req2:%d/%m/%Y})"
                )
            )
        if resp2 and ack2 and resp2 < ack2:
            bad(
                Problem(
                    start,
                    "stage 2 response",
                    f"{resp2:%d/%m/%Y} is before the Stage 2 acknowledgement ({ack2:%d/%m/%Y})",
                )
            )
        if officer1 and officer2 and _same_person(officer1, officer2):
            bad(
                Problem(
                    start,
                    "stage 2 officer",
                    f"{officer2} also handled Stage 1: the Stage 2 officer must be someone else (Code 6.13)",
                )
            )
        if ext1_raw and ext1_to_raw:
            bad(
                Problem(
                    start,
                    "extended due date",
                    "give the Stage 1 extension as working days or as the new due date, not both",
                )
            )
        if ext2_raw and ext2_to_raw:
            bad(
                Problem(
                    start,
                    "stage 2 extended due date",
                    "give the Stage 2 extension as working days or as the new due date, not both",
                )
            )
        if (ext1_reason or ext1_told_raw) and not (ext1 or ext1_to_raw):
            bad(
                Problem(
                    start,
                    "extension",
                    "an extension reason or date is given but not the extension itself (working days or new due date)",
                )
            )
        if (ext2_reason or ext2_told_raw) and not (ext2 or ext2_to_raw):
            bad(
                Problem(
                    start,
                    "stage 2 extension",
                    "an extension reason or date is given but not the extension itself (working days or new due date)",
                )
            )
        if outcome:
            current_response_given = resp2_raw if stage == 2 else resp1_raw
            if outcome == "withdrawn":
                if current_response_given:
                    bad(Problem(start, "outcome", f"withdrawn, but the Stage {stage} response was already sent"))
            elif not current_response_given:
                bad(Problem(start, "outcome", f"{outcome_raw!r} given but there is no Stage {stage} response date"))

        if len(problems) != found:
            continue
        good += 1
        held.append(
            make(
                (
                    start,
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
                    stage,
                    officer1,
                    ack1,
                    resp1,
                    ext1,
                    ext1_to,
                    ext1_reason,
                    ext1_told,
                    req2,
                    officer2,
                    ack2,
                    resp2,
                    ext2,
                    ext2_to,
                    ext2_reason,
                    ext2_told,
                    outcome,
                    logged if logged != received else None,
                )
            )
        )
        if len(held) >= (_HOLD if check._spill is None else _BATCH):
            _spill(check)
    mixed = {column: cache for column, cache in date_cells.items() if cache.month_first and cache.ambiguous}
    if mixed:  # rare: read the file again to name every date that could be read either way
        _name_ambiguous(check, mixed)
    check.good, check.rows_read = good, rows_read
    if not rows_read and not problems:
        problems.append(Problem(2, "", "the file has a header but no rows"))


def _name_ambiguous(check: TrackerCheck, mixed: dict[str, _DateCells], limit: int = 200) -> None:
    """A problem for each date that could be read either way (``03/04/2025``) in a column that
    also holds month-first dates (``04/13/2025``): such a column cannot be trusted day first."""
    assert check.mapping is not None
    where = {check.mapping.index[column]: column for column in mixed}
    found = 0
    with open_sheet(check.path) as sheet:
        for start, record in sheet.rows:
            for i, column in where.items():
                cell = record[i].strip() if i < len(record) else ""
                m = _DMY_BOTH.match(cell)
                if m and m.group(1) != m.group(2) and int(m.group(1)) <= 12 and int(m.group(2)) <= 12:
                    found += 1
                    if found <= limit:
                        check.problems.append(
                            Problem(
                                start,
                                column,
                                (
                                    f"{cell} could be {int(m.group(1))} {_month(int(m.group(2)))} or {int(m.group(2))} "
                                    f"{_month(int(m.group(1)))}: this column also has month-first dates (e.g. "
                                    f"{mixed[column].month_first}), so it cannot be read day first with confidence; "
                                    "write the column's dates day first throughout, or as 2025-04-03"
                                ),
                            )
                        )
    if found > limit:
        check.problems.append(Problem(0, "", f"... and {found - limit} more dates that could be read either way"))


def _month(n: int) -> str:
    import calendar

    return calendar.month_name[n]


def _spill(check: TrackerCheck) -> None:
    if check._spill is None:
        check._spill = tempfile.TemporaryFile(prefix="caseworker-import-")  # noqa: SIM115 (closed by TrackerCheck.close)
    pickle.dump(check._held, check._spill, protocol=pickle.HIGHEST_PROTOCOL)
    check._held.clear()


def _days(raw: str) -> int | None:
    m = _DAYS.match(raw.lower())
    return int(m.group(1)) if m else None


_DMY_BOTH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]")


class _DateCells(dict):
    """Date cell text -> the date, None for a blank cell, or the problem's message (a str):
    each distinct text is parsed once per column (trackers repeat the same dates many times).

    Notes the first month-first date (``04/13/2025``) and the first date that could be read
    either way (``03/04/2025``), so a column mixing them can be refused as untrustworthy.
    """

    def __init__(self, today: date) -> None:
        super().__init__({"": None})
        self.today = today
        self.month_first = ""
        self.ambiguous = ""

    def __missing__(self, raw: str) -> date | str:
        try:
            value: date | str = parse_date(raw)
        except ValueError as exc:
            value = str(exc)
            if "month first" in value and not self.month_first:
                self.month_first = raw
        else:
            if value > self.today:
                value = f"{raw} is in the future (today is {self.today:%d/%m/%Y})"
            elif (
                not self.ambiguous
                and (m := _DMY_BOTH.match(raw))
                and m.group(1) != m.group(2)
                and int(m.group(1)) <= 12
                and int(m.group(2)) <= 12
            ):
                self.ambiguous = raw
        if len(self) > 50_000:  # cells with times of day rarely repeat: keep memory bounded
            self.clear()
            self[""] = None
        self[raw] = value
        return value


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())

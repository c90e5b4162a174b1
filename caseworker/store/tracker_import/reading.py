"""Reading a tracker file: its text and delimiter, and the dates as people type them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel on Windows saves "ANSI" CSV


def delimiter(first_line: str) -> str:
    """The delimiter of a header line: comma, semicolon or tab, whichever it has most of."""
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

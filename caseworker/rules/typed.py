"""What officers type, read in one place and refused in plain words naming the cause: dates
(UK day first), whole numbers, email addresses, phone numbers and the channels a complaint
comes in by. The forms (``screens/dialogs/fields.py``), the command line and the tracker
import all use these, so a bad value reads the same everywhere, e.g. "31/02/2026 is not a real
date: February 2026 has 28 days" (never Python's "day is out of range for month").

Pure: no Textual, no SQL. Every reader raises ``ValueError`` whose message starts with the
value as typed; callers put the field's name in front ("Date received: ...").
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# -- dates --------------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
_TIME = re.compile(r"^(.*?)(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})$")
_D_MON_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[-\s/]+([A-Za-z]{3,9})\.?,?[-\s/]+(\d{4}|\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
#: Excel's day 0 (its serial numbers count days from here, allowing for its 1900 leap-year bug).
_EXCEL_EPOCH = date(1899, 12, 30)
#: Excel serial numbers accepted as dates: 1 January 1980 to 31 December 2099.
_SERIAL_RANGE = (29221, 73050)

#: The ways a date may be typed, as said in messages.
DATE_FORMATS = "2025-04-03, 3/4/2025, 03/04/25, 3-Apr-25 or 3 April 2025, with or without a time"
#: The short hint forms show in an empty date field.
DATE_HINT = "DD/MM/YYYY or YYYY-MM-DD"


def parse_date(raw: str, *, excel_serials: bool = False) -> date:
    """A date as people type it (or a UK spreadsheet writes it), read day first.

    Takes ISO (``2025-04-03``), ``d/m/yyyy`` and ``dd/mm/yy`` (also with ``-`` or ``.``),
    ``d-Mon-yy`` and ``d Month yyyy``, any of them with a time after it, and, with
    ``excel_serials``, Excel serial numbers (``45750``). Two-digit years are 2000 to 2099.
    Returns the ``date``.

    Raises:
        ValueError: in plain words, what is wrong: not a date, or not a real one
            ("31/02/2026 is not a real date: February 2026 has 28 days").
    """
    text = (raw or "").strip()
    m = _TIME.match(text)
    if m and m.group(1):
        text = m.group(1).strip()
    if m := _DMY.match(text):
        d, mo, y = int(m.group(1)), int(m.group(3)), m.group(4)
        return real_date(raw, int(y) + 2000 if len(y) == 2 else int(y), mo, d, swapped=True)
    if m := _ISO.match(text):
        return real_date(raw, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _D_MON_Y.match(text):
        month = _MONTHS.get(m.group(2).lower())
        if month is None:
            raise ValueError(f"{raw.strip()!r} is not a date: {m.group(2)!r} is not a month")
        y = m.group(3)
        return real_date(raw, int(y) + 2000 if len(y) == 2 else int(y), month, int(m.group(1)))
    if excel_serials and (m := _SERIAL.match(text)):
        serial = int(m.group(1))
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=serial)
    raise ValueError(f"{(raw or '').strip()!r} is not a date (write it as {DATE_FORMATS})")


def real_date(raw: str, y: int, mo: int, d: int, swapped: bool = False) -> date:
    """``date(y, mo, d)``, or a ValueError saying in plain words why there is no such day.

    ``swapped`` (the text was read day first) adds a hint when it looks month first.
    """
    shown = raw.strip()
    if not 1 <= mo <= 12:
        hint = ""
        if swapped and 1 <= d <= 12:
            hint = (
                f"; it looks month first, but dates are read day first (day/month/year): "
                f"write {mo}/{d}/{y} for {mo} {calendar.month_name[d]} {y}"
            )
        raise ValueError(f"{shown} is not a real date: there is no month {mo}{hint}")
    if not 1 <= y <= 9999:
        raise ValueError(f"{shown} is not a real date: there is no year {y}")
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        raise ValueError(f"{shown} is not a real date: {calendar.month_name[mo]} {y} has {last} days")
    return date(y, mo, d)


# -- numbers ------------------------------------------------------------------------------------


def parse_whole_number(raw: str, unit: str = "") -> int:
    """A whole number typed by a person ("3", " 10 "); "2.5", "2,5" and "abc" are refused, never
    read as 25. ``unit`` ("working days") words the message. Returns the int.

    Raises:
        ValueError: "'2.5' is not a whole number of working days".
    """
    text = (raw or "").strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    what = f"a whole number of {unit}" if unit else "a whole number"
    if re.fullmatch(r"[+-]?\d*[.,]\d+", text):
        raise ValueError(f"{text!r} is not {what}; type whole numbers only, e.g. 2 or 3")
    raise ValueError(f"{text!r} is not {what}")


# -- contact details ----------------------------------------------------------------------------

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def email_problem(raw: str) -> str | None:
    """Why ``raw`` is not an email address a letter or email could be sent to, or None when it
    is one (or empty). The rule: one ``@``, something before it, and a domain of dot-separated
    names ending in a name of two or more letters (``jo.smith@example.org.uk``); no spaces.
    Nothing is looked up: this works offline.
    """
    text = (raw or "").strip()
    if not text:
        return None
    bad = f"{text!r} is not an email address"
    if " " in text:
        return f"{bad}: it has a space in it"
    if text.count("@") != 1:
        return f"{bad}: it needs one @, as in name@example.org.uk"
    local, domain = text.split("@")
    if not local or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return f"{bad}: the part before the @ is not a mailbox name"
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or not labels[-1].isalpha():
        return f"{bad}: after the @ comes a domain such as example.org.uk"
    if len(labels[-1]) < 2:
        return f"{bad}: after the @ comes a domain such as example.org.uk"
    return None


def phone_problem(raw: str) -> str | None:
    """Why ``raw`` is not a phone number, or None when it is one (or empty). The rule: digits
    with spaces, brackets, dashes or dots between them, an optional leading ``+``, and 7 to 15
    digits in all (UK numbers have 10 or 11; an extension may follow ``ext``/``x``).
    """
    text = (raw or "").strip()
    if not text:
        return None
    number = re.split(r"\s*(?:ext\.?|x)\s*(?=\d+$)", text, maxsplit=1, flags=re.IGNORECASE)[0]
    if not re.fullmatch(r"\+?[\d\s().-]+", number):
        return f"{text!r} is not a phone number: use digits, e.g. 01632 960123 or +44 1632 960123"
    digits = sum(c.isdigit() for c in number)
    if not 7 <= digits <= 15:
        return f"{text!r} is not a phone number: it has {digits} digits (a UK number has 10 or 11)"
    return None


#: How a complaint can come in (stored value, label), in the order forms offer them.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("online form", "Online form"),
    ("in person", "In person"),
    ("social media", "Social media"),
    ("MP", "Via an MP"),
    ("councillor", "Via a councillor"),
)


def channel_value(raw: str) -> str:
    """The stored channel for what was typed ("Email", "online form", "via an MP"), matched
    without regard to case. Returns the stored value (e.g. "online form").

    Raises:
        ValueError: "'carrier pigeon' is not a channel: choose phone, email, ...".
    """
    text = " ".join((raw or "").split()).lower()
    for value, label in CHANNELS:
        if text in (value.lower(), label.lower()):
            return value
    names = ", ".join(value for value, _ in CHANNELS)
    raise ValueError(f"{(raw or '').strip()!r} is not a channel: choose one of {names}")


__all__ = [
    "CHANNELS",
    "DATE_FORMATS",
    "DATE_HINT",
    "channel_value",
    "email_problem",
    "parse_date",
    "parse_whole_number",
    "phone_problem",
    "real_date",
]

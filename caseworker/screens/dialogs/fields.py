"""Form field specs and the parsing of what officers type: dates as YYYY-MM-DD or DD/MM/YYYY,
whole numbers, pounds and pence; each bad value is refused with a message naming its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseworker.rules.facts import Refusal

KINDS = ("text", "textarea", "date", "int", "select", "checkbox", "pounds", "pick")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_UK = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Choice:
    """One entry of a ``pick`` list; ``disabled_reason`` greys it out and makes it unselectable."""

    value: str
    label: str
    disabled_reason: str = ""


@dataclass(frozen=True)
class Field:
    """One form field.

    Attributes:
        name: the key in the values dict (and, ideally, the ``field`` a Refusal names).
        label: what the officer sees.
        kind: text, textarea, date, int, select, checkbox, pounds or pick.
        required: refuse to save while empty.
        help: a line of guidance under the field.
        options: (label, value) pairs for ``select``; :class:`Choice` items for ``pick``.
        default: the starting value (a date for ``date``, a value for ``select``, a bool for ``checkbox``).
        show_if: shown (and checked) only when this returns True for the current values.
        placeholder: greyed text in an empty input.
        aliases: other field names a Refusal may use for this field.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    help: str = ""
    options: tuple = ()
    default: Any = None
    show_if: Callable[[dict[str, Any]], bool] | None = None
    placeholder: str = ""
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


class BadValue(ValueError):
    """A value that cannot be read (an impossible date, say); carries the refusal naming the field."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def parse_date(text: str, label: str = "date", name: str = "") -> date | None:
    """A date typed as YYYY-MM-DD or DD/MM/YYYY (None when empty).

    Raises:
        BadValue: naming the field, e.g. "Date received: 31/02/2025 is not a real date (February 2025 has 28 days)".
    """
    text = (text or "").strip()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            raise BadValue(Refusal(f"{label}: {text!r} is not a date; type it as DD/MM/YYYY or YYYY-MM-DD", "", name))
        day, month, year = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise BadValue(Refusal(f"{label}: {text} is not a real date (there is no month {month})", "", name))
    try:
        return date(year, month, day)
    except ValueError:
        import calendar

        days = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 0
        raise BadValue(
            Refusal(
                f"{label}: {text} is not a real date ({_MONTHS[month - 1]} {year} has {days} days)",
                "",
                name,
            )
        ) from None


def parse_int(text: str, label: str, name: str = "") -> int | None:
    """A whole number (None when empty)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadValue(Refusal(f"{label}: {text!r} is not a whole number", "", name)) from None


def parse_pence(text: str, label: str, name: str = "") -> int | None:
    """Pounds typed by a person as whole pence (None when empty)."""
    from caseworker.rules.money import parse_pounds

    if not (text or "").strip():
        return None
    try:
        return parse_pounds(text)
    except ValueError as exc:
        raise BadValue(Refusal(f"{label}: {exc}", "", name)) from None


def refusal_text(refusal: Refusal) -> str:
    """The message with a capital letter and its Code paragraph: "X is required (Code 5.6)"."""
    message = refusal.message[:1].upper() + refusal.message[1:]
    return f"{message} (Code {refusal.code_ref})" if refusal.code_ref else message


__all__ = ["KINDS", "BadValue", "Choice", "Field", "parse_date", "parse_int", "parse_pence", "refusal_text"]

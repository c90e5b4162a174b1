"""Form field specs and the parsing of what officers type: dates (UK day first), whole numbers,
pounds and pence, email addresses and phone numbers; each bad value is refused with a message
naming its field, in the same words as the command line (both use :mod:`caseworker.rules.typed`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseworker.rules import typed
from caseworker.rules.facts import Refusal

KINDS = ("text", "textarea", "address", "date", "int", "select", "checkbox", "pounds", "pick", "email", "phone")
#: The example a case reference field shows: the shape of this organisation's references
#: (``services.cases.REFERENCE_PREFIX`` and six digits), never another council's.
REFERENCE_EXAMPLE = "e.g. CMP-000123"
#: Kinds typed into an Input and read by a parser (a bad value is named, never silently changed).
PARSED = ("date", "int", "pounds", "email", "phone")


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
        kind: text, textarea, address (several lines, pasted lines kept), date, int (whole
            numbers), select, checkbox, pounds, pick, email or phone.
        required: refuse to save while empty.
        help: a line of guidance under the field.
        options: (label, value) pairs for ``select``; :class:`Choice` items for ``pick``.
        default: the starting value (a date for ``date``, a value for ``select``, a bool for ``checkbox``).
        show_if: shown (and checked) only when this returns True for the current values.
        placeholder: greyed text in an empty input.
        aliases: other field names a Refusal may use for this field.
        suggestions: completions offered as the officer types (text fields).
        unit: what an ``int`` field counts ("working days"), for its message.
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
    suggestions: tuple[str, ...] = ()
    unit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


class BadValue(ValueError):
    """A value that cannot be read (an impossible date, say); carries the refusal naming the field."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def parse_date(text: str, label: str = "date", name: str = "") -> date | None:
    """A typed date (None when empty), read by :func:`caseworker.rules.typed.parse_date`.

    Raises:
        BadValue: naming the field, e.g. "Date received: 31/02/2026 is not a real date:
            February 2026 has 28 days".
    """
    if not (text or "").strip():
        return None
    try:
        return typed.parse_date(text)
    except ValueError as exc:
        raise BadValue(Refusal(f"{label}: {exc}", "", name)) from None


def parse_int(text: str, label: str, name: str = "", unit: str = "") -> int | None:
    """A whole number (None when empty); "2.5" is refused naming the field, never read as 25."""
    if not (text or "").strip():
        return None
    try:
        return typed.parse_whole_number(text, unit)
    except ValueError as exc:
        raise BadValue(Refusal(f"{label}: {exc}", "", name)) from None


def parse_email(text: str, label: str, name: str = "") -> str:
    """An email address as typed ("" when empty), refused naming the field when it is not one."""
    problem = typed.email_problem(text)
    if problem:
        raise BadValue(Refusal(f"{label}: {problem}", "", name))
    return (text or "").strip()


def parse_phone(text: str, label: str, name: str = "") -> str:
    """A phone number as typed ("" when empty), refused naming the field when it is not one."""
    problem = typed.phone_problem(text)
    if problem:
        raise BadValue(Refusal(f"{label}: {problem}", "", name))
    return " ".join((text or "").split())


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


#: The parser of each parsed kind: (text, label, name) -> value.
PARSERS: dict[str, Callable[..., Any]] = {
    "date": parse_date,
    "int": parse_int,
    "pounds": parse_pence,
    "email": parse_email,
    "phone": parse_phone,
}

__all__ = [
    "KINDS",
    "REFERENCE_EXAMPLE",
    "PARSED",
    "PARSERS",
    "BadValue",
    "Choice",
    "Field",
    "parse_date",
    "parse_email",
    "parse_int",
    "parse_pence",
    "parse_phone",
    "refusal_text",
]

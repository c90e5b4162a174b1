"""Small guards shared by the lifecycle and the registers: required text, dates in order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from caseworker import labels
from caseworker.rules.facts import CaseFacts, Refusal, Status


def required(value: str | None, field_name: str, what: str, code_ref: str) -> Refusal | None:
    if not (value or "").strip():
        return Refusal(f"{what} is required", code_ref, field_name)
    return None


def not_future(day: date | None, today: date, field_name: str, what: str) -> Refusal | None:
    if day is not None and day > today:
        return Refusal(f"the {what} ({day:%d %b %Y}) is in the future", "5.12", field_name)
    return None


def not_before(
    day: date | None, earlier: date | None, field_name: str, what: str, earlier_what: str, code_ref: str
) -> Refusal | None:
    if day is not None and earlier is not None and day < earlier:
        return Refusal(
            f"the {what} ({day:%d %b %Y}) is before the {earlier_what} ({earlier:%d %b %Y})", code_ref, field_name
        )
    return None


def status_in(case: CaseFacts, allowed: Iterable[Status], action: str, code_ref: str) -> Refusal | None:
    allowed = tuple(allowed)
    if case.status not in allowed:
        return Refusal(
            f"cannot {action}: the case is {labels.status_phrase(case.status.value)} at Stage {case.stage}",
            code_ref,
            "status",
        )
    return None

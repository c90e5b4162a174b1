"""Reporting periods: a financial year (1 April to 31 March) by default, or any dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.rules.account import financial_year_label


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month (``day`` is a first of month)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, 1)


def financial_year_of(day: date) -> int:
    """The financial year (named by the year it starts in) that contains ``day``."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Period:
    """The dates ``start`` to ``end``, both included, with a short label."""

    start: date
    end: date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        if not self.label:
            object.__setattr__(self, "label", f"{self.start:%d %b %Y} to {self.end:%d %b %Y}")

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """1 April ``year`` to 31 March ``year + 1``, labelled ``2025-26``."""
        return cls(date(year, 4, 1), date(year + 1, 3, 31), financial_year_label(year))

    @property
    def is_financial_year(self) -> bool:
        """True for 1 April to 31 March of the next year."""
        return (self.start.month, self.start.day) == (4, 1) and self.end == date(self.start.year + 1, 3, 31)

    @property
    def slug(self) -> str:
        """A file-name fragment: ``2025-26``, or ``2025-04-01_2025-09-30``."""
        return self.label if self.is_financial_year else f"{self.start.isoformat()}_{self.end.isoformat()}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def quarters(self) -> tuple[Period, ...]:
        """Three-month slices from the start (Q1 April to June ... Q4 January to March for a
        financial year); the last is cut at the period's end. A period not starting on the
        first of a month is sliced from the first of its month, clipped to the period."""
        out: list[Period] = []
        first = date(self.start.year, self.start.month, 1)
        number = 1
        while first <= self.end:
            nxt = _add_months(first, 3)
            out.append(Period(max(first, self.start), min(nxt - timedelta(days=1), self.end), f"Q{number}"))
            first, number = nxt, number + 1
        return tuple(out)

    def quarter_of(self, day: date) -> str | None:
        """The label of the quarter holding ``day``, or None outside the period."""
        for quarter in self.quarters():
            if day in quarter:
                return quarter.label
        return None

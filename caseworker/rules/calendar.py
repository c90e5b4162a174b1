"""Working days: add, count and explain, for a UK region plus organisation closure days.

One implementation, used everywhere (SPEC section 2). Bank holidays come from the
``holidays`` package; nothing is hard-coded. Arithmetic runs over a sorted table of
working-day ordinals that extends itself by whole years whenever a date outside it is
asked for, so there is no year at which the calendar silently stops being right.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.rules.defaults import DEFAULT_REGION, REGIONS

_WEEKEND_NAMES = {5: "Saturday", 6: "Sunday"}


class OutsideCalendar(ValueError):
    """Raised for a date in a year whose bank holidays the ``holidays`` package does not know.

    Refusing is better than silently treating Christmas Day as a working day.
    """

    def __init__(self, year: int, first: int, last: int) -> None:
        super().__init__(f"bank holidays are known for {first} to {last} only; {year} is outside that range")
        self.year = year


class UnknownRegion(ValueError):
    """Raised for a region key that is not one of :data:`REGIONS`."""

    def __init__(self, region: str) -> None:
        super().__init__(f"unknown region {region!r}: choose one of {', '.join(sorted(REGIONS))}")
        self.region = region


def short_date(d: date) -> str:
    """Format a date the way letters and screens show it: ``Tue 30 Dec 2025``."""
    return f"{d:%a} {d.day} {d:%b %Y}"


@dataclass(frozen=True)
class SkippedDay:
    """A non-working day and why it does not count."""

    day: date
    reason: str  # "Saturday", "Sunday", a bank holiday's name, or "closure: <name>"
    weekend: bool

    def label(self, with_month: bool) -> str:
        """``Sat 20`` or ``Thu 25 (Christmas Day)``; with the month when asked."""
        text = f"{self.day:%a} {self.day.day}" + (f" {self.day:%b}" if with_month else "")
        if self.reason not in _WEEKEND_NAMES.values():
            text += f" ({self.reason})"
        return text


@dataclass(frozen=True)
class Explanation:
    """Why a due date falls where it does."""

    start: date
    working_days: int
    due: date
    skipped: tuple[SkippedDay, ...]
    rule: str = ""

    def text(self) -> str:
        """The explanation in words, e.g. ``due Tue 30 Dec 2025: 5 working days after
        Fri 19 Dec 2025; skipped Sat 20, Sun 21, Thu 25 (Christmas Day), ...``."""
        unit = "working day" if self.working_days == 1 else "working days"
        head = f"due {short_date(self.due)}: {self.working_days} {unit} after {short_date(self.start)}"
        if self.rule:
            head += f" ({self.rule})"
        if not self.skipped:
            return head + "; no days skipped"
        months = {(s.day.year, s.day.month) for s in self.skipped}
        with_month = len(months) > 1 or months != {(self.start.year, self.start.month)}
        return head + "; skipped " + ", ".join(s.label(with_month) for s in self.skipped)


@dataclass(frozen=True)
class HolidayTable:
    """A region's bank holidays for a span of years, as the ``holidays`` package gives them.

    What start-up keeps in a small cache file (``caseworker.holiday_cache``) so that a
    calendar can count working days before the ``holidays`` package is imported.

    Attributes:
        region: one of :data:`REGIONS`.
        years: the first and last year ``days`` covers (whole years).
        known_years: the years the ``holidays`` package knows for the region at all.
        days: date to name, every bank holiday in ``years`` (names as the package gives them,
            e.g. ``"Christmas Day (observed)"``).
    """

    region: str
    years: tuple[int, int]
    known_years: tuple[int, int]
    days: dict[date, str]


def _library_calendar(region: str):
    import holidays  # imported here, not at module level, so the app paints before it loads

    return holidays.country_holidays("GB", subdiv=REGIONS[region])


def _library_table(region: str, first_year: int, last_year: int) -> HolidayTable:
    import holidays

    found = holidays.country_holidays("GB", subdiv=REGIONS[region], years=range(first_year, last_year + 1))
    country = type(found)
    known = (getattr(country, "start_year", 1), getattr(country, "end_year", 9999))
    return HolidayTable(region, (first_year, last_year), known, {d: str(n) for d, n in sorted(found.items())})


def holiday_table(region: str, first_year: int, last_year: int) -> HolidayTable:
    """The bank holidays of ``region`` in ``first_year`` to ``last_year`` (clamped to the years
    the ``holidays`` package knows), read from that package.

    Raises:
        UnknownRegion: for a region not in :data:`REGIONS`.
    """
    if region not in REGIONS:
        raise UnknownRegion(region)
    country = type(_library_calendar(region))
    lo, hi = max(first_year, getattr(country, "start_year", 1)), min(last_year, getattr(country, "end_year", 9999))
    return _library_table(region, lo, hi)


class WorkingCalendar:
    """Working days of one UK region, less organisation closure days.

    Args:
        region: one of :data:`REGIONS` (default England and Wales).
        closure_days: dates the organisation is closed, either a mapping of date to a
            name (``{date(2025, 12, 24): "Christmas shutdown"}``) or plain dates.
        known: the region's bank holidays already read from the ``holidays`` package for
            some years (:class:`HolidayTable`); dates outside those years are looked up in
            the package itself. Ignored when it is for another region.
    """

    def __init__(
        self,
        region: str = DEFAULT_REGION,
        closure_days: Mapping[date, str] | Iterable[date] = (),
        known: HolidayTable | None = None,
    ) -> None:
        if region not in REGIONS:
            raise UnknownRegion(region)
        self.region = region
        if isinstance(closure_days, Mapping):
            self.closure_days: dict[date, str] = {d: (n or "closure day") for d, n in closure_days.items()}
        else:
            self.closure_days = {d: "closure day" for d in closure_days}
        # The ``holidays`` package is imported on first need, not here: start-up builds a
        # calendar from a cached table of the same data (``known``) before it paints the inbox.
        self._known = known if known is not None and known.region == region else None
        self._library = None  # the holidays package's calendar for the region, once needed
        self._known_years: tuple[int, int] | None = None
        self._lock = threading.Lock()
        # (first year, last year, sorted ordinals of working days in those years), swapped
        # in whole so a reader never pairs a new range with an old table.
        self._span: tuple[int, int, list[int]] = (0, -1, [])

    @property
    def _holidays(self):
        """The ``holidays`` package's calendar for this region (imported and built on first use)."""
        if self._library is None:
            self._library = _library_calendar(self.region)
        return self._library

    @property
    def known_years(self) -> tuple[int, int]:
        """The first and last year the ``holidays`` package knows this region's bank holidays for."""
        if self._known_years is None:
            if self._known is not None:
                self._known_years = self._known.known_years
            else:
                country = type(self._holidays)
                self._known_years = (getattr(country, "start_year", 1), getattr(country, "end_year", 9999))
        return self._known_years

    def _holiday(self, day: date) -> str | None:
        """The bank holiday's name on ``day`` (as the ``holidays`` package gives it), or None."""
        known = self._known
        if known is not None and known.years[0] <= day.year <= known.years[1]:
            return known.days.get(day)
        name = self._holidays.get(day)
        return str(name) if name else None

    # -- single days -------------------------------------------------------------

    def _check_year(self, year: int) -> None:
        first, last = self.known_years
        if not first <= year <= last:
            raise OutsideCalendar(year, first, last)

    def non_working_reason(self, day: date) -> str | None:
        """Why ``day`` is not a working day, or None if it is one."""
        self._check_year(day.year)
        name = self._holiday(day)
        if name:
            if name.endswith(" (observed)"):
                return f"substitute day for {name[: -len(' (observed)')]}"
            return name
        if day in self.closure_days:
            return f"closure: {self.closure_days[day]}"
        if day.weekday() >= 5:
            return _WEEKEND_NAMES[day.weekday()]
        return None

    def bank_holidays(self, first_year: int, last_year: int) -> dict[date, str]:
        """The region's bank holidays in the given years (clamped to the years known), date to name.

        What due dates depend on from the ``holidays`` data: recorded with the due dates so
        that a bank holiday added at short notice is noticed and the open cases recomputed.
        """
        lo, hi = max(first_year, self.known_years[0]), min(last_year, self.known_years[1])
        known = self._known
        if known is not None and known.years[0] <= lo and hi <= known.years[1]:
            return {d: n for d, n in known.days.items() if lo <= d.year <= hi}
        return _library_table(self.region, lo, hi).days

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` is Monday to Friday and neither a bank holiday nor a closure day."""
        self._check_year(day.year)
        return day.weekday() < 5 and self._holiday(day) is None and day not in self.closure_days

    def non_working_days(self, first: date, last: date) -> list[SkippedDay]:
        """Every non-working day in ``[first, last]`` with its reason, in date order."""
        out: list[SkippedDay] = []
        day = first
        while day <= last:
            reason = self.non_working_reason(day)
            if reason:
                out.append(SkippedDay(day, reason, day.weekday() >= 5))
            day += timedelta(days=1)
        return out

    # -- the fast table ------------------------------------------------------------

    def _cover(self, first_year: int, last_year: int) -> list[int]:
        """Return a table covering at least the given years, extending it if needed."""
        lo, hi, table = self._span
        if lo <= first_year and last_year <= hi:
            return table
        self._check_year(first_year)
        known_first, known_last = self.known_years
        with self._lock:
            lo, hi, table = self._span
            if lo <= first_year and last_year <= hi:
                return table
            lo = min(first_year, lo) if table else first_year
            hi = max(last_year, hi) if table else last_year
            # Grow a little beyond what is asked so that runs of nearby dates do not
            # rebuild the table year by year; never past the years holidays are known for.
            lo, hi = max(known_first, lo - 1), min(known_last, hi + 2)
            new: list[int] = []
            day, end, one = date(lo, 1, 1), date(hi, 12, 31), timedelta(days=1)
            while day <= end:
                if self.is_working_day(day):
                    new.append(day.toordinal())
                day += one
            self._span = (lo, hi, new)
            return new

    # -- arithmetic ---------------------------------------------------------------

    def add(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``.

        Steps forward one calendar day at a time counting only working days until
        ``n`` have been counted. ``start`` itself never counts, whatever day it is;
        ``n == 0`` gives ``start``.
        """
        if n < 0:
            raise ValueError(f"number of working days must not be negative (got {n})")
        if n == 0:
            return start
        # Each year has at least 240 working days; cover enough years for n of them.
        years_needed = n // 240 + 1
        table = self._cover(start.year, start.year + years_needed)
        index = bisect_right(table, start.toordinal()) + n - 1
        if index >= len(table):
            raise OutsideCalendar(start.year + years_needed, *self.known_years)
        return date.fromordinal(table[index])

    def count(self, after: date, upto: date) -> int:
        """Number of working days in the half-open interval ``(after, upto]`` (0 if empty)."""
        if upto <= after:
            return 0
        table = self._cover(after.year, upto.year)
        return bisect_right(table, upto.toordinal()) - bisect_right(table, after.toordinal())

    def days_left(self, due: date, today: date) -> int:
        """Working days left on a deadline seen on ``today``.

        The working days in ``(today, due]`` when ``due >= today`` (0 means due today);
        when ``due < today``, minus the working days in ``(due, today]`` (overdue).
        """
        if due >= today:
            return self.count(today, due)
        return -self.count(due, today)

    def explain(self, start: date, n: int, rule: str = "") -> Explanation:
        """The due date ``n`` working days after ``start``, with every skipped day named."""
        due = self.add(start, n)
        skipped = tuple(self.non_working_days(start + timedelta(days=1), due)) if n else ()
        return Explanation(start=start, working_days=n, due=due, skipped=skipped, rule=rule)
